import { runContractSuite } from '../contract/suite';
import { subject } from './source';

runContractSuite(subject);

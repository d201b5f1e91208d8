import { DataSource } from 'typeorm';
import { loaderById } from '../../db/batch';
import { ReportingDate } from './rollout.entities';

export function createRolloutLoaders(ds: DataSource) {
  return { reportingDate: loaderById(ds.getRepository(ReportingDate)) };
}

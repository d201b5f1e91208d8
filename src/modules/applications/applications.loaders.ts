import { DataSource } from 'typeorm';
import { loaderById, loaderOfChildren } from '../../db/batch';
import { Account } from '../accounts/account.entity';
import { ParentApplicationEvent } from './application.entity';

export function createApplicationLoaders(ds: DataSource) {
  return {
    eventsOfApplication: loaderOfChildren(ds.getRepository(ParentApplicationEvent), 'applicationId', { id: 'ASC' }),
    account: loaderById(ds.getRepository(Account)),
  };
}

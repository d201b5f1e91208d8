import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { loaderById, loaderOfChildren } from '../../db/batch';
import { Account } from '../accounts/account.entity';
import { ParentApplication, ParentApplicationEvent } from './application.entity';
import { ApplicationsService, Candidate } from './applications.service';

export function createApplicationLoaders(ds: DataSource, applications: ApplicationsService) {
  return {
    candidatesOfApplication: new DataLoader<ParentApplication, Candidate[], string>(
      (keys) => applications.candidatesOf(ds.manager, keys),
      { cacheKeyFn: (a) => `${a.schoolId}/${a.id}` },
    ),
    eventsOfApplication: loaderOfChildren(ds.getRepository(ParentApplicationEvent), 'applicationId', { id: 'ASC' }),
    account: loaderById(ds.getRepository(Account)),
  };
}

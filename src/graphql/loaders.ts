import { DataSource } from 'typeorm';
import type { Services } from './services';
import { createPeopleLoaders } from '../modules/people/people.loaders';
import { createSchoolLoaders } from '../modules/schools/schools.loaders';
import { createJournalLoaders } from '../modules/journal/journal.loaders';
import { createApplicationLoaders } from '../modules/applications/applications.loaders';
import { createRolloutLoaders } from '../modules/rollout/rollout.loaders';

export function createLoaders(ds: DataSource, services: Services) {
  return { ...createSchoolLoaders(ds), ...createPeopleLoaders(ds), ...createJournalLoaders(ds), ...createApplicationLoaders(ds, services.applications), ...createRolloutLoaders(ds) };
}

export type Loaders = ReturnType<typeof createLoaders>;

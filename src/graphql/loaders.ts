import { DataSource } from 'typeorm';
import { createPeopleLoaders } from '../modules/people/people.loaders';
import { createSchoolLoaders } from '../modules/schools/schools.loaders';
import { createJournalLoaders } from '../modules/journal/journal.loaders';
import { createApplicationLoaders } from '../modules/applications/applications.loaders';
import { createRolloutLoaders } from '../modules/rollout/rollout.loaders';

export function createLoaders(ds: DataSource) {
  return { ...createSchoolLoaders(ds), ...createPeopleLoaders(ds), ...createJournalLoaders(ds), ...createApplicationLoaders(ds), ...createRolloutLoaders(ds) };
}

export type Loaders = ReturnType<typeof createLoaders>;

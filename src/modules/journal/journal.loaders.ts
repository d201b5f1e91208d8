import { DataSource } from 'typeorm';
import { loaderBySchoolKey } from '../../db/batch';
import { Lesson } from './journal.entities';

export function createJournalLoaders(ds: DataSource) {
  return {
    lesson: loaderBySchoolKey(ds.getRepository(Lesson)),
  };
}

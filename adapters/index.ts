import type { Adapter } from './contract';
import { dnevnikAdapter } from './dnevnik';
import { eljurAdapter } from './eljur';
import { netSchoolAdapter } from './netschool';
import { oneRosterCsvAdapter } from './oneroster/csv';
import { oneRosterRestAdapter } from './oneroster/rest';

/**
 * Every adapter the hub offers, registered explicitly: adding an adapter is adding its folder and
 * one line here. Ids are stored with synced rows and must never change.
 */
export const adapters: readonly Adapter[] = [oneRosterRestAdapter, oneRosterCsvAdapter, eljurAdapter, netSchoolAdapter, dnevnikAdapter];

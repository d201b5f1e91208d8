import { SchoolKey } from '../db/batch';
import { badInput } from './errors';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const SCHOOL_SCOPED = new RegExp(`^(${UUID}):(${UUID})$`, 'i');
const PLAIN = new RegExp(`^${UUID}$`, 'i');

/**
 * The API id of a school-owned row is "<school id>:<row id>": every lookup it leads to carries the
 * school (DESIGN rule 2), so it stays one school's query once the data is distributed by school.
 * Clients treat ids as opaque strings.
 */
export const toApiId = ({ schoolId, id }: SchoolKey) => `${schoolId}:${id}`;

export function parseApiId(value: string, field: string): SchoolKey {
  const match = SCHOOL_SCOPED.exec(value);
  if (!match) throw badInput('ID_INVALID', { [field]: 'is not an id given out by this API' });
  return { schoolId: match[1].toLowerCase(), id: match[2].toLowerCase() };
}

/** Ids of shared rows (schools, subjects) are plain UUIDs. */
export function parsePlainId(value: string, field: string): string {
  if (!PLAIN.test(value)) throw badInput('ID_INVALID', { [field]: 'is not an id given out by this API' });
  return value.toLowerCase();
}

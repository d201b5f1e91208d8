/** The shapes shared by generation, storage and serving: OneRoster 1.2 JSON binding. */
export const ROSTERING_BASE_PATH = '/ims/oneroster/rostering/v1p2';
export const GRADEBOOK_BASE_PATH = '/ims/oneroster/gradebook/v1p2';

/** A record as served: `sourcedId`, `status`, `dateLastModified`, `metadata` and the entity's own fields. */
export type OneRosterRecord = Record<string, unknown>;

/** The collections a provider stores; the endpoints (`schools`, `students`, `terms`, …) are views over them. */
export const STORED_COLLECTIONS = [
  'orgs', 'academicSessions', 'courses', 'classes', 'users', 'enrollments', 'demographics',
  'categories', 'lineItems', 'results', 'scoreScales',
] as const;
export type StoredCollection = (typeof STORED_COLLECTIONS)[number];

export type Dataset = Record<StoredCollection, OneRosterRecord[]>;

export type RefType = 'org' | 'academicSession' | 'course' | 'class' | 'user' | 'category' | 'lineItem' | 'scoreScale';

export interface GuidRef {
  href: string;
  sourcedId: string;
  type: RefType;
}

const HREF_COLLECTION: Record<RefType, string> = {
  org: `${ROSTERING_BASE_PATH}/orgs`,
  academicSession: `${ROSTERING_BASE_PATH}/academicSessions`,
  course: `${ROSTERING_BASE_PATH}/courses`,
  class: `${ROSTERING_BASE_PATH}/classes`,
  user: `${ROSTERING_BASE_PATH}/users`,
  category: `${GRADEBOOK_BASE_PATH}/categories`,
  lineItem: `${GRADEBOOK_BASE_PATH}/lineItems`,
  scoreScale: `${GRADEBOOK_BASE_PATH}/scoreScales`,
};

/**
 * A GUIDRef. The href is stored as a path because the port is only known once the server listens;
 * responses make it absolute.
 */
export function ref(type: RefType, sourcedId: string): GuidRef {
  return { href: `${HREF_COLLECTION[type]}/${sourcedId}`, sourcedId, type };
}

/** A new active record; the provider's own bookkeeping fields come first, as providers serve them. */
export function newRecord(sourcedId: string, dateLastModified: string, fields: OneRosterRecord): OneRosterRecord {
  return { sourcedId, status: 'active', dateLastModified, metadata: {}, ...fields };
}

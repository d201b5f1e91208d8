/**
 * OneRoster 1.2 JSON records as the adapter reads them. Providers send what they send: every field is
 * read defensively, and a value the adapter cannot make sense of is passed on as it came (the engine
 * quarantines the record and names the field).
 */
export type OrRecord = Record<string, unknown>;

/** The sourcedId a GUIDRef points at, or undefined when the reference is missing or broken. */
export function refId(record: OrRecord, field: string): string | undefined {
  const ref = record[field];
  if (ref === null || typeof ref !== 'object') return undefined;
  const id = (ref as OrRecord).sourcedId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The sourcedIds of a list of GUIDRefs (broken entries skipped). */
export function refIds(record: OrRecord, field: string): string[] {
  const refs = record[field];
  if (!Array.isArray(refs)) return [];
  return refs
    .map((ref) => (ref !== null && typeof ref === 'object' ? (ref as OrRecord).sourcedId : undefined))
    .filter((id): id is string => typeof id === 'string' && id !== '');
}

export const idOf = (record: OrRecord): string => String(record.sourcedId ?? '');

export const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

export const isDeleted = (record: OrRecord) => record.status === 'tobedeleted';

/** A parseable dateLastModified as epoch milliseconds, or null (a malformed stamp never moves a watermark). */
export function stampOf(record: OrRecord | undefined | null): number | null {
  const value = record?.dateLastModified;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A canonical record's `updatedAt`: the dateLastModified of the vendor record it mainly comes from, or
 * of the latest of the records it is built from. A main record with a stamp the adapter cannot read
 * passes it on as it came, so that the engine quarantines the record naming `updatedAt`.
 */
export function updatedAt(main: OrRecord, ...others: (OrRecord | null | undefined)[]): string | undefined {
  const own = stampOf(main);
  if (own === null) return typeof main.dateLastModified === 'string' ? main.dateLastModified : undefined;
  const latest = Math.max(own, ...others.map(stampOf).filter((s): s is number => s !== null));
  return latest === own ? (main.dateLastModified as string) : new Date(latest).toISOString();
}

/** The roles of a user (role name and the org it holds it at). */
export function rolesOf(user: OrRecord): { role: string; orgId: string | undefined }[] {
  const roles = user.roles;
  if (!Array.isArray(roles)) return [];
  return roles
    .filter((r): r is OrRecord => r !== null && typeof r === 'object')
    .map((r) => ({ role: String(r.role ?? ''), orgId: refId(r, 'org') }));
}

export const GUARDIAN_ROLES = ['parent', 'guardian', 'relative'];

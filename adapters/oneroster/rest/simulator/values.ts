/** Reading and comparing field values the way filters and sorting need them. */

/** Scalar values at a dotted path; arrays on the way fan out (`roles.org.sourcedId` reads every role's org). */
export function valuesAt(value: unknown, path: readonly string[]): unknown[] {
  if (Array.isArray(value)) return value.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) return value === undefined || value === null || typeof value === 'object' ? [] : [value];
  if (value === null || typeof value !== 'object') return [];
  return valuesAt((value as Record<string, unknown>)[path[0]], path.slice(1));
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/** A parseable ISO 8601 date or date-time ("2026-11-02", "2026-11-02T00:00:00Z"). */
export function isIsoDate(text: string): boolean {
  return ISO_DATE.test(text) && !Number.isNaN(Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text));
}

const instant = (text: string) => Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);

/** A date's instant as filters compare it; null for text that is not an ISO 8601 date. */
export const instantOf = (text: string): number | null => sortKey(text).instant;
const collator = new Intl.Collator('ru');

/** A value as filters and sorting compare it, read once (a collection is filtered and sorted record by record). */
export interface SortKey {
  text: string;
  instant: number | null;
  number: number | null;
}

/** The keys of the values met lately: a filter reads the same few dates and ids in record after record. */
const keys = new Map<string, SortKey>();
const KEYS_KEPT = 100_000;

export function sortKey(value: unknown): SortKey {
  const text = String(value);
  let key = keys.get(text);
  if (key === undefined) {
    if (keys.size >= KEYS_KEPT) keys.clear();
    key = { text, instant: isIsoDate(text) ? instant(text) : null, number: NUMBER.test(text) ? Number(text) : null };
    keys.set(text, key);
  }
  return key;
}

/**
 * Dates compare as instants (so "…T00:00:00Z" equals "…T00:00:00.000Z"), numbers as numbers, the rest
 * as Russian text (so «Ёлкин» sorts after «Елисеев», not after «Яковлев»).
 */
export function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a.instant !== null && b.instant !== null) return Math.sign(a.instant - b.instant);
  if (a.number !== null && b.number !== null) return Math.sign(a.number - b.number);
  return collator.compare(a.text, b.text);
}

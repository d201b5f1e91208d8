import { CollectionView } from './collections';
import { Filter, matchesFilter, parseFilter } from './filter';
import { badRequest } from './imsx';
import { OneRosterRecord } from './model';
import { compareSortKeys, sortKey, valuesAt } from './values';

/** A collection request's parameters: paging, sorting, field selection and filter. */
export interface ListQuery {
  limit: number;
  offset: number;
  sort?: string[];
  descending: boolean;
  fields?: string[];
  filter?: Filter;
}

const DEFAULT_LIMIT = 100;

export function parseListQuery(params: URLSearchParams, view: CollectionView, maxPageSize: number): ListQuery {
  const limit = integerParam(params, 'limit', DEFAULT_LIMIT);
  if (limit < 1) throw badRequest('invalid_data', `limit must be at least 1, got ${limit}`);
  const offset = integerParam(params, 'offset', 0);
  if (offset < 0) throw badRequest('invalid_data', `offset must not be negative, got ${offset}`);
  const orderBy = params.get('orderBy') ?? 'asc';
  if (orderBy !== 'asc' && orderBy !== 'desc') throw badRequest('invalid_data', `orderBy is asc or desc, got ${orderBy}`);
  const filterText = params.get('filter');
  return {
    // Oversized pages are clamped rather than refused, as the Ed-Fi OneRoster service does.
    limit: Math.min(limit, maxPageSize),
    offset,
    sort: sortPath(params.get('sort'), view),
    descending: orderBy === 'desc',
    fields: parseFields(params, view),
    filter: filterText ? parseFilter(filterText, view.fields) : undefined,
  };
}

/** A single-record request may only select fields. */
export function parseItemQuery(params: URLSearchParams, view: CollectionView): Pick<ListQuery, 'fields'> {
  return { fields: parseFields(params, view) };
}

/** Every record the query's filter lets through, in the query's order (paging aside). */
export function matchingSorted(records: OneRosterRecord[], query: Pick<ListQuery, 'filter' | 'sort' | 'descending'>): OneRosterRecord[] {
  const matching = query.filter ? records.filter((r) => matchesFilter(r, query.filter!)) : records;
  return query.sort ? sortedBy(matching, query.sort, query.descending) : matching;
}

/** One page of a query's records; the total counts every record that passed the filter. */
export function pageOf(matching: OneRosterRecord[], query: Pick<ListQuery, 'offset' | 'limit'>): { page: OneRosterRecord[]; total: number } {
  return { page: matching.slice(query.offset, query.offset + query.limit), total: matching.length };
}

/** Lists kept at most, of the latest distinct queries. */
const CACHED_LISTS = 16;

/**
 * The filtered and sorted records of a query, kept while the data it reads is unchanged: a client pages
 * through a collection one request per page, and filtering and sorting the whole collection again for
 * every page (tens of thousands of results) made the simulator most of a sync's time. A list is kept
 * with the version of the data it was computed from and computed again once that moved, so each page
 * is exactly what computing it afresh gives.
 */
export class ListCache {
  private readonly lists = new Map<string, { version: number; records: OneRosterRecord[] }>();

  get(version: number, key: string, compute: () => OneRosterRecord[]): OneRosterRecord[] {
    const kept = this.lists.get(key);
    if (kept?.version === version) return kept.records;
    this.lists.delete(key);
    if (this.lists.size >= CACHED_LISTS) this.lists.delete(this.lists.keys().next().value!);
    const records = compute();
    this.lists.set(key, { version, records });
    return records;
  }
}

export function selectFields(record: OneRosterRecord, fields: string[] | undefined): OneRosterRecord {
  if (!fields) return record;
  return Object.fromEntries(Object.entries(record).filter(([key]) => fields.includes(key)));
}

function integerParam(params: URLSearchParams, name: string, fallback: number): number {
  const text = params.get(name);
  if (text === null) return fallback;
  if (!/^\s*-?\d+\s*$/.test(text)) throw badRequest('invalid_data', `${name} must be an integer, got '${text}'`);
  return Number(text);
}

function parseFields(params: URLSearchParams, view: CollectionView): string[] | undefined {
  const text = params.get('fields');
  if (text === null || text.trim() === '') return undefined;
  const fields = text.split(',').map((f) => f.trim()).filter(Boolean);
  const unknown = fields.filter((f) => !view.fields.includes(f));
  if (unknown.length > 0) throw badRequest('invalid_selection_field', `unknown field ${unknown.join(', ')} for ${view.name}`);
  return fields;
}

/** The spec: sorting by a field the entity does not have returns the provider's default order. */
function sortPath(text: string | null, view: CollectionView): string[] | undefined {
  if (!text) return undefined;
  const path = text.trim().split('.');
  return view.fields.includes(path[0]) ? path : undefined;
}

/** Stable, so records with equal keys keep the default order and pages stay consistent; missing values go last. */
function sortedBy(records: OneRosterRecord[], path: string[], descending: boolean): OneRosterRecord[] {
  // Each record's key read once, not at every comparison.
  const keyed = records.map((record) => {
    const value = valuesAt(record, path)[0];
    return { record, key: value === undefined ? undefined : sortKey(value) };
  });
  keyed.sort((a, b) => {
    if (a.key === undefined || b.key === undefined) return a.key === b.key ? 0 : a.key === undefined ? 1 : -1;
    return descending ? compareSortKeys(b.key, a.key) : compareSortKeys(a.key, b.key);
  });
  return keyed.map((k) => k.record);
}

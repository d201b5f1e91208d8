import { FaultInjector } from './faults';
import { changedSince } from './filter';
import { notFound } from './imsx';
import { OneRosterRecord } from './model';
import { ListCache, matchingSorted, pageOf, parseItemQuery, parseListQuery, selectFields } from './query';
import { Route } from './routes';
import { RecordStore } from './store';

/** What an endpoint answers, before it is written to the wire. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface DataContext {
  store: RecordStore;
  faults: FaultInjector;
  maxPageSize: number;
  origin: string;
  lists: ListCache;
}

/** Answers a GET on a data path; throws ImsxError for the client's mistakes. */
export function serveData(route: Route, url: URL, context: DataContext): Answer {
  const { store, faults, origin } = context;
  const { view } = route;
  // Fields are selected before the copy with absolute hrefs is made: a narrow listing copies little.
  const present = (record: OneRosterRecord, fields?: string[]) =>
    withOrigin(selectFields(faults.served(view.stored, record), fields), origin) as OneRosterRecord;

  if (route.kind === 'item') {
    const { fields } = parseItemQuery(url.searchParams, view);
    const record = store.get(view.stored, route.sourcedId);
    if (!record || !view.includes(record)) throw notFound(`no ${view.itemKey} ${route.sourcedId} in ${view.name}`);
    return { status: 200, body: { [view.itemKey]: present(record, fields) } };
  }

  const query = parseListQuery(url.searchParams, view, context.maxPageSize);
  if (route.parent) {
    const { view: parentView, sourcedId } = route.parent;
    const parent = store.get(parentView.stored, sourcedId);
    if (!parent || !parentView.includes(parent)) throw notFound(`no ${parentView.itemKey} ${sourcedId} in ${parentView.name}`);
  }
  // The pages of one query differ only in offset and limit. A collection's own listing reads that
  // collection alone; a parent's part of one (a class's results) may read others too.
  const key = [url.pathname, ...['filter', 'sort', 'orderBy'].map((p) => url.searchParams.get(p) ?? '')].join('\n');
  const version = route.parent ? store.version : store.versionOf(view.stored);
  const matching = context.lists.get(version, key, () => {
    const since = changedSince(query.filter);
    let records = (since ? store.modifiedAfter(view.stored, since.instant, since.inclusive) : store.all(view.stored)).filter(view.includes);
    if (route.parent) records = records.filter(route.parent.belongs(store, route.parent.sourcedId));
    return matchingSorted(records, query);
  });
  const { page, total } = pageOf(matching, query);
  return {
    status: 200,
    headers: { 'X-Total-Count': String(total), Link: linkHeader(url, origin, total, query.limit, query.offset) },
    body: { [view.listKey]: page.map((record) => present(record, query.fields)) },
  };
}

/** first, prev, next and last pages, keeping the request's other parameters. */
function linkHeader(url: URL, origin: string, total: number, limit: number, offset: number): string {
  const link = (pageOffset: number, rel: string) => {
    const target = new URL(url.pathname, origin);
    url.searchParams.forEach((value, name) => target.searchParams.set(name, value));
    target.searchParams.set('limit', String(limit));
    target.searchParams.set('offset', String(pageOffset));
    return `<${target}>; rel="${rel}"`;
  };
  const lastOffset = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links = [link(0, 'first')];
  if (offset > 0) links.push(link(Math.min(Math.max(0, offset - limit), lastOffset), 'prev'));
  if (offset + limit < total) links.push(link(offset + limit, 'next'));
  links.push(link(lastOffset, 'last'));
  return links.join(', ');
}

/**
 * A deep copy with every stored href path made absolute against the server's origin. Plain loops: it
 * runs for every record served, and the entries/fromEntries version was a sixth of the simulator's time.
 */
export function withOrigin(value: unknown, origin: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const copy = new Array(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = withOrigin(value[i], origin);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = key === 'href' && typeof item === 'string' && item.startsWith('/') ? origin + item : withOrigin(item, origin);
  }
  return copy;
}

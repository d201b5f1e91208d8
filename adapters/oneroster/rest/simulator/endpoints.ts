import { FaultInjector } from './faults';
import { notFound } from './imsx';
import { OneRosterRecord } from './model';
import { parseItemQuery, parseListQuery, runListQuery, selectFields } from './query';
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
}

/** Answers a GET on a data path; throws ImsxError for the client's mistakes. */
export function serveData(route: Route, url: URL, context: DataContext): Answer {
  const { store, faults, origin } = context;
  const { view } = route;
  const present = (record: OneRosterRecord, fields?: string[]) =>
    selectFields(faults.served(view.stored, withOrigin(record, origin) as OneRosterRecord), fields);

  if (route.kind === 'item') {
    const { fields } = parseItemQuery(url.searchParams, view);
    const record = store.get(view.stored, route.sourcedId);
    if (!record || !view.includes(record)) throw notFound(`no ${view.itemKey} ${route.sourcedId} in ${view.name}`);
    return { status: 200, body: { [view.itemKey]: present(record, fields) } };
  }

  const query = parseListQuery(url.searchParams, view, context.maxPageSize);
  let records = store.all(view.stored).filter(view.includes);
  if (route.parent) {
    const { view: parentView, sourcedId, belongs } = route.parent;
    const parent = store.get(parentView.stored, sourcedId);
    if (!parent || !parentView.includes(parent)) throw notFound(`no ${parentView.itemKey} ${sourcedId} in ${parentView.name}`);
    records = records.filter(belongs(store, sourcedId));
  }
  const { page, total } = runListQuery(records, query);
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

/** A deep copy with every stored href path made absolute against the server's origin. */
export function withOrigin(value: unknown, origin: string): unknown {
  if (Array.isArray(value)) return value.map((item) => withOrigin(item, origin));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      key === 'href' && typeof item === 'string' && item.startsWith('/') ? origin + item : withOrigin(item, origin),
    ]),
  );
}

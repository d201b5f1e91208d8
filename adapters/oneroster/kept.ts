import { OrRecord, refId } from './oneroster';

/**
 * The school's line items as an adapter's state keeps them between runs (the CSV binding's index of
 * the export, the REST binding's class and category of each for the marks): per class, one array each
 * — [sourcedId, assignDate, category, title, status, dateLastModified], trailing empties left out —
 * with the few category ids, titles and statuses written once and named by their number. As records
 * they were two thirds of the CSV state (1 MB of 1.5 for the bench's school: 260 bytes a line item),
 * and the engine writes the state at every checkpoint.
 */
export interface KeptLineItems {
  strings: string[];
  /** By class sourcedId ('' for a line item without one). */
  byClass: Record<string, (string | number | null)[][]>;
}

export function keepLineItems(items: Iterable<OrRecord>): KeptLineItems {
  const strings: string[] = [];
  const numbers = new Map<string, number>();
  const number = (value: unknown) => {
    if (typeof value !== 'string') return null;
    let n = numbers.get(value);
    if (n === undefined) {
      n = strings.push(value) - 1;
      numbers.set(value, n);
    }
    return n;
  };
  const byClass: KeptLineItems['byClass'] = {};
  for (const item of items) {
    const row: (string | number | null)[] = [
      String(item.sourcedId), typeof item.assignDate === 'string' ? item.assignDate : null, number(refId(item, 'category')), number(item.title),
      number(item.status), typeof item.dateLastModified === 'string' ? item.dateLastModified : null,
    ];
    while (row.length > 1 && row[row.length - 1] === null) row.pop();
    (byClass[refId(item, 'class') ?? ''] ??= []).push(row);
  }
  return { strings, byClass };
}

/** The kept line items as records again; an index saved before they were kept this way holds the records themselves. */
export function keptLineItems(kept: KeptLineItems | OrRecord[] | undefined): OrRecord[] | undefined {
  if (kept === undefined || Array.isArray(kept)) return kept;
  const { strings, byClass } = kept;
  const string = (n: unknown) => (typeof n === 'number' ? strings[n] : undefined);
  const items: OrRecord[] = [];
  for (const [classId, rows] of Object.entries(byClass)) {
    for (const [sourcedId, assignDate, category, title, status, dateLastModified] of rows) {
      const item: OrRecord = { sourcedId };
      if (typeof assignDate === 'string') item.assignDate = assignDate;
      if (classId !== '') item.class = { sourcedId: classId };
      if (string(category) !== undefined) item.category = { sourcedId: string(category) };
      if (string(title) !== undefined) item.title = string(title);
      if (string(status) !== undefined) item.status = string(status);
      if (typeof dateLastModified === 'string') item.dateLastModified = dateLastModified;
      items.push(item);
    }
  }
  return items;
}

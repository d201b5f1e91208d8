import { DATE_FIELDS } from './collections';
import { badRequest } from './imsx';
import { OneRosterRecord } from './model';
import { compareSortKeys, isIsoDate, SortKey, sortKey, valuesAt } from './values';

/**
 * The `filter` parameter as providers implement it: `field<op>'value'` predicates, ops `= != > >= < <= ~`
 * (contains), joined by ` AND ` or ` OR ` (one kind per filter), dotted paths into references.
 * A quote inside a value is written twice: `familyName='Д''Артаньян'`.
 */
export type Operator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';

interface Predicate {
  path: string[];
  operator: Operator;
  value: string;
  /** The value read once for comparing (a filter is tested against every record of a collection). */
  key: SortKey;
}

export interface Filter {
  join: 'AND' | 'OR';
  predicates: Predicate[];
}

const PREDICATE = /\s*([A-Za-z_][\w.]*)\s*(!=|>=|<=|=|>|<|~)\s*'((?:[^']|'')*)'/y;
const JOIN = /\s+(AND|OR)\s+/y;

export function parseFilter(text: string, knownFields: readonly string[]): Filter {
  const predicates: Predicate[] = [];
  const joins = new Set<'AND' | 'OR'>();
  let position = 0;
  for (;;) {
    PREDICATE.lastIndex = position;
    const match = PREDICATE.exec(text);
    if (!match) throw badRequest('invalid_filter_field', `cannot read a predicate field<op>'value' at position ${position} of the filter`);
    const [, field, operator, quoted] = match;
    const value = quoted.replace(/''/g, "'");
    predicates.push(checked({ path: field.split('.'), operator: operator as Operator, value, key: sortKey(value) }, knownFields));
    position = PREDICATE.lastIndex;
    if (text.slice(position).trim() === '') break;
    JOIN.lastIndex = position;
    const join = JOIN.exec(text);
    if (!join) throw badRequest('invalid_filter_field', `expected AND or OR at position ${position} of the filter`);
    joins.add(join[1] as 'AND' | 'OR');
    position = JOIN.lastIndex;
  }
  if (joins.size > 1) throw badRequest('invalid_filter_field', 'a filter joins its predicates with AND or with OR, not both');
  return { join: joins.has('OR') ? 'OR' : 'AND', predicates };
}

function checked(predicate: Predicate, knownFields: readonly string[]): Predicate {
  const [field] = predicate.path;
  if (!knownFields.includes(field)) throw badRequest('invalid_filter_field', `unknown filter field ${field}`);
  const ordering = ['>', '>=', '<', '<='].includes(predicate.operator);
  if (ordering && DATE_FIELDS.has(field) && !isIsoDate(predicate.value)) {
    throw badRequest('invalid_filter_field', `${field} compares with an ISO 8601 date, not '${predicate.value}'`);
  }
  return predicate;
}

/**
 * The earliest change a filter lets through, when it says (`dateLastModified>'…'` or `>=`, joined by
 * AND): the records changed since are the only candidates.
 */
export function changedSince(filter: Filter | undefined): { instant: number; inclusive: boolean } | null {
  if (!filter || filter.join !== 'AND') return null;
  const bound = filter.predicates.find((p) => p.path.length === 1 && p.path[0] === 'dateLastModified' && (p.operator === '>' || p.operator === '>=') && p.key.instant !== null);
  return bound ? { instant: bound.key.instant!, inclusive: bound.operator === '>=' } : null;
}

export function matchesFilter(record: OneRosterRecord, filter: Filter): boolean {
  const test = (p: Predicate) => holds(valuesAt(record, p.path), p);
  return filter.join === 'AND' ? filter.predicates.every(test) : filter.predicates.some(test);
}

/** `!=` holds when no value equals; every other operator when some value satisfies it. */
function holds(values: unknown[], { operator, value, key }: Predicate): boolean {
  if (operator === '!=') return values.every((v) => compareSortKeys(sortKey(v), key) !== 0);
  if (operator === '~') return values.some((v) => String(v).toLowerCase().includes(value.toLowerCase()));
  return values.some((v) => {
    const order = compareSortKeys(sortKey(v), key);
    switch (operator) {
      case '=': return order === 0;
      case '>': return order > 0;
      case '>=': return order >= 0;
      case '<': return order < 0;
      case '<=': return order <= 0;
      default: return false;
    }
  });
}

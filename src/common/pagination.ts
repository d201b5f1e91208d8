import { Max, Min } from 'class-validator';
import { ArgsType, ClassType, Field, Int, ObjectType } from 'type-graphql';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badInput } from './errors';

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'How many items to return, 1–100.' })
  @Min(1)
  @Max(100)
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor (from pageInfo.endCursor).' })
  after?: string | null;
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage: boolean;
  @Field(() => String, { nullable: true }) endCursor: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  /** Counted only when a client asks for it: GraphQL awaits it only then. */
  totalCount: PromiseLike<number>;
}

/** A Relay-style connection type for `node`: `<Name>Connection { edges { cursor node } pageInfo totalCount }`. */
export function Connection<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field() cursor: string;
    @Field(() => node) node: T;
  }
  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge]) edges: Edge[];
    @Field(() => PageInfo) pageInfo: PageInfo;
    @Field(() => Int, { description: 'All items matching the filter, on every page.' }) totalCount: number;
  }
  return ConnectionType;
}

/** One key of a keyset ordering: the SQL expression and the entity property that holds its value. */
export interface SortKey<T> {
  sql: string;
  property: keyof T & string;
}

/** A promise-like that starts its work only when first awaited. */
function lazy<T>(start: () => Promise<T>): PromiseLike<T> {
  let promise: Promise<T> | undefined;
  return { then: (onFulfilled, onRejected) => (promise ??= start()).then(onFulfilled, onRejected) };
}

const encodeCursor = (values: unknown[]) => Buffer.from(JSON.stringify(values)).toString('base64url');

function decodeCursor(cursor: string, length: number): unknown[] {
  try {
    const values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === length) return values;
  } catch {
    // fall through to the error below
  }
  throw badInput('PAGINATION_CURSOR_INVALID', { after: 'is not a cursor this list gave out' });
}

/**
 * Keyset pagination over a query builder: stable under inserts, and as fast on page 1,000 as on
 * page 1. The last sort key must be unique (an id), so that the order is total.
 */
export async function paginate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  keys: SortKey<T>[],
  { first, after }: PageArgs,
): Promise<Page<T>> {
  const counted = query.clone();
  const page = query.clone();
  if (after) {
    const values = decodeCursor(after, keys.length);
    const params = Object.fromEntries(values.map((v, i) => [`cursor${i}`, v]));
    page.andWhere(`(${keys.map((k) => k.sql).join(', ')}) > (${values.map((_, i) => `:cursor${i}`).join(', ')})`, params);
  }
  keys.forEach((k, i) => (i === 0 ? page.orderBy(k.sql, 'ASC') : page.addOrderBy(k.sql, 'ASC')));
  const rows = await page.limit(first + 1).getMany();
  const hasNextPage = rows.length > first;
  const edges = rows.slice(0, first).map((node) => ({ node, cursor: encodeCursor(keys.map((k) => node[k.property])) }));
  return {
    edges,
    pageInfo: { hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: lazy(() => counted.getCount()),
  };
}

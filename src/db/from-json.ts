import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** A table row as SQL returns it inside json (`row_to_json(t)`, `json_agg(t)`): column names as keys. */
export type JsonRow = Record<string, unknown>;

/**
 * The entity of a row that one set-based statement returned as json, converted column by column the
 * way TypeORM converts its own reads (timestamps to Date, numeric transformers, the entity's class and
 * getters), so that it is the same object a loader of that entity would have given. It lets one
 * statement bring several tables' rows at once.
 */
export function entityFromJson<T extends ObjectLiteral>(ds: DataSource, target: EntityTarget<T>, row: JsonRow): T {
  const metadata = ds.getMetadata(target);
  const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
  for (const column of metadata.columns) {
    if (column.databaseName in row) column.setEntityValue(entity, ds.driver.prepareHydratedValue(row[column.databaseName], column));
  }
  return entity;
}

/** entityFromJson for each row of a json array; `json_agg` of no rows is null, and gives none. */
export function entitiesFromJson<T extends ObjectLiteral>(ds: DataSource, target: EntityTarget<T>, rows: JsonRow[] | null): T[] {
  return (rows ?? []).map((row) => entityFromJson(ds, target, row));
}

import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';

/** A table's row as PostgreSQL's `row_to_json` writes it: column names as keys. */
export type JsonRow = Record<string, unknown>;

/**
 * Entities from rows a statement returned as JSON (`row_to_json`, `json_agg`), converted as TypeORM's
 * own reads convert them (dates, numerics, transformers). It lets one statement bring several tables'
 * rows at once and still hand the API the same entities.
 */
export function entitiesFromJson<T extends ObjectLiteral>(ds: DataSource, target: EntityTarget<T>, rows: JsonRow[] | null): T[] {
  const metadata = ds.getMetadata(target);
  return (rows ?? []).map((row) => {
    const entity = metadata.create() as T;
    for (const column of metadata.columns) column.setEntityValue(entity, ds.driver.prepareHydratedValue(row[column.databaseName], column));
    return entity;
  });
}

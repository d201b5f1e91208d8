import DataLoader from 'dataloader';
import { ObjectLiteral, Repository } from 'typeorm';

/** A row of a school-owned table is found by its school and its id (DESIGN rule 2: keys carry school_id). */
export interface SchoolKey {
  schoolId: string;
  id: string;
}

const schoolKeyString = (k: SchoolKey) => `${k.schoolId}/${k.id}`;

/**
 * Loads rows of a shared table by id: one `WHERE id = ANY($1)` per batch, results in key order,
 * null for a missing id.
 */
export function loaderById<T extends ObjectLiteral & { id: string }>(repo: Repository<T>): DataLoader<string, T | null> {
  return new DataLoader(async (ids) => {
    const rows = await repo.createQueryBuilder('t').where('t.id = ANY(:ids)', { ids: [...ids] }).getMany();
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Loads rows of a school-owned table by (school, id): one statement per batch whatever the schools. */
export function loaderBySchoolKey<T extends ObjectLiteral & SchoolKey>(repo: Repository<T>): DataLoader<SchoolKey, T | null, string> {
  return new DataLoader(
    async (keys) => {
      const rows = await repo
        .createQueryBuilder('t')
        .where('(t.school_id, t.id) IN (SELECT * FROM unnest(CAST(:schools AS uuid[]), CAST(:ids AS uuid[])))', {
          schools: keys.map((k) => k.schoolId),
          ids: keys.map((k) => k.id),
        })
        .getMany();
      const found = new Map(rows.map((r) => [schoolKeyString(r), r]));
      return keys.map((k) => found.get(schoolKeyString(k)) ?? null);
    },
    { cacheKeyFn: schoolKeyString },
  );
}

/**
 * Loads the children of many parents at once: all rows whose `column` is one of the parents' ids,
 * within each parent's school, grouped back per parent in key order (empty list when none).
 */
export function loaderOfChildren<T extends ObjectLiteral & { schoolId: string }>(
  repo: Repository<T>,
  column: keyof T & string,
  orderBy: Record<string, 'ASC' | 'DESC'> = {},
): DataLoader<SchoolKey, T[], string> {
  const columnSql = repo.metadata.findColumnWithPropertyName(column)!.databaseName;
  return new DataLoader(
    async (keys) => {
      let query = repo
        .createQueryBuilder('t')
        .where(`(t.school_id, t.${columnSql}) IN (SELECT * FROM unnest(CAST(:schools AS uuid[]), CAST(:ids AS uuid[])))`, {
          schools: keys.map((k) => k.schoolId),
          ids: keys.map((k) => k.id),
        });
      for (const [property, direction] of Object.entries(orderBy)) query = query.addOrderBy(`t.${property}`, direction);
      const rows = await query.getMany();
      const groups = new Map<string, T[]>();
      for (const row of rows) {
        const key = schoolKeyString({ schoolId: row.schoolId, id: row[column] as string });
        const group = groups.get(key);
        if (group) group.push(row);
        else groups.set(key, [row]);
      }
      return keys.map((k) => groups.get(schoolKeyString(k)) ?? []);
    },
    { cacheKeyFn: schoolKeyString },
  );
}

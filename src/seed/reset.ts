import type { DataSource } from 'typeorm';
import { TABLE_NAMES } from './rows';

/** Lookup tables the migrations fill; a reset keeps them. */
const LOOKUP_TABLES = new Set(['subject', 'work_kind']);

export class ResetRefusedError extends Error {}

export async function hasMunicipalityData(dataSource: DataSource): Promise<boolean> {
  const [{ present }] = await dataSource.query(
    'SELECT EXISTS (SELECT 1 FROM school) OR EXISTS (SELECT 1 FROM municipality) AS present');
  return present;
}

interface Reference {
  referencing: string;
  referenced: string;
}

/**
 * Empties the municipality's data, keeping the schema and the lookup tables: the tables the seed
 * writes and every table that refers to them, directly or not (so that tables of later migrations,
 * such as accounts, go too instead of blocking the reset). All in one transaction.
 *
 * TRUNCATE does the bulk: DELETE would check each deleted row's foreign keys, by scanning tables with
 * no index on the referencing column (lesson.teacher_id, mark.entered_by_id …): hours at city scale.
 * A table guarded against TRUNCATE and DELETE (the append-only audit trail) cannot be emptied: the
 * reset is refused when it holds rows; when empty, it stays, and the tables it refers to are emptied
 * with DELETE, since TRUNCATE needs every referring table in the same statement.
 * Returns the emptied tables, those that refer to others first.
 */
export async function deleteMunicipalityData(dataSource: DataSource): Promise<string[]> {
  return dataSource.transaction(async (manager) => {
    const references: Reference[] = await manager.query(`
      SELECT c.conrelid::regclass::text AS referencing, c.confrelid::regclass::text AS referenced
      FROM pg_constraint c
      WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace AND c.conrelid <> c.confrelid`);
    const guardedRows: { table: string }[] = await manager.query(`
      SELECT DISTINCT t.tgrelid::regclass::text AS table
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
      WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace AND t.tgtype & 32 <> 0`);
    const tables = closureOfReferrers(new Set<string>(TABLE_NAMES), references);
    const guarded = new Set(guardedRows.map((r) => r.table).filter((t) => tables.has(t)));
    for (const table of guarded) {
      const [{ present }] = await manager.query(`SELECT EXISTS (SELECT 1 FROM ${table}) AS present`);
      if (present) throw new ResetRefusedError(`${table} is append-only and holds rows: load into a fresh database instead of resetting this one`);
    }
    const deleted = referencedByAny(guarded, tables, references);
    const truncated = [...tables].filter((t) => !guarded.has(t) && !deleted.has(t));
    const order = dependencyOrder([...tables], references);
    if (truncated.length > 0) await manager.query(`TRUNCATE TABLE ${order.filter((t) => truncated.includes(t)).join(', ')}`);
    for (const table of order.filter((t) => deleted.has(t))) await manager.query(`DELETE FROM ${table}`);
    return order.filter((t) => !guarded.has(t));
  });
}

/** The tables plus every table that refers to one of them, directly or not (lookup tables excepted). */
function closureOfReferrers(tables: Set<string>, references: Reference[]): Set<string> {
  for (let grew = true; grew;) {
    grew = false;
    for (const { referencing, referenced } of references) {
      if (tables.has(referenced) && !tables.has(referencing) && !LOOKUP_TABLES.has(referencing)) {
        tables.add(referencing);
        grew = true;
      }
    }
  }
  return tables;
}

/** Tables of `among` that a guarded table refers to, or that such a table refers to, and so on up. */
function referencedByAny(guarded: Set<string>, among: Set<string>, references: Reference[]): Set<string> {
  const reached = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const { referencing, referenced } of references) {
      if ((guarded.has(referencing) || reached.has(referencing)) && among.has(referenced) && !guarded.has(referenced) && !reached.has(referenced)) {
        reached.add(referenced);
        grew = true;
      }
    }
  }
  return reached;
}

/** Tables that refer to others come before the tables they refer to. */
function dependencyOrder(tables: string[], references: Reference[]): string[] {
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (table: string) => {
    if (visiting.has(table)) return;
    visiting.add(table);
    for (const r of references) if (r.referenced === table && tables.includes(r.referencing)) visit(r.referencing);
    ordered.push(table);
  };
  tables.forEach(visit);
  return ordered;
}

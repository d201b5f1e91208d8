import { emptyRowSet, RowCounts, RowSet, TABLE_NAMES, TABLES, TableName, zeroCounts } from './rows';

export type Query = (sql: string, parameters: unknown[]) => Promise<unknown>;

export const DEFAULT_BATCH_ROWS = 5000;

/**
 * Writes generated rows with one set-based statement per table and batch
 * (INSERT … SELECT * FROM unnest($1::uuid[], $2::text[], …)), never a statement per row.
 * While one batch is being written, the caller goes on generating the next: `add` returns as soon as
 * the rows are buffered, and waits only when a second write would queue behind the first.
 */
export class BulkWriter<Label> {
  readonly written: RowCounts = zeroCounts();
  private buffered: RowSet = emptyRowSet();
  private label: Label | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly query: Query,
    private readonly onWritten: (label: Label, written: RowCounts) => void = () => {},
    private readonly batchRows = DEFAULT_BATCH_ROWS,
  ) {}

  async add(rows: RowSet, label: Label): Promise<void> {
    this.throwIfFailed();
    for (const table of TABLE_NAMES) {
      const buffer = this.buffered[table] as unknown[];
      for (const row of rows[table]) buffer.push(row);
    }
    this.label = label;
    if (TABLE_NAMES.some((table) => this.buffered[table].length >= this.batchRows)) await this.flush();
  }

  /** Writes everything buffered and waits for it. */
  async finish(): Promise<RowCounts> {
    await this.flush();
    await this.writing;
    this.throwIfFailed();
    return this.written;
  }

  /** Starts writing what is buffered (after the write in progress, if any) without waiting for it. */
  async flush(): Promise<void> {
    await this.writing;
    this.throwIfFailed();
    const rows = this.buffered;
    const label = this.label as Label;
    this.buffered = emptyRowSet();
    // The failure is kept and rethrown by the next call: nobody awaits this promise in between.
    this.writing = this.write(rows, label).catch((error: unknown) => {
      this.failure = { error };
    });
  }

  private async write(rows: RowSet, label: Label): Promise<void> {
    let any = false;
    for (const table of TABLE_NAMES) {
      const list = rows[table] as object[];
      for (let start = 0; start < list.length; start += this.batchRows) {
        const batch = list.slice(start, start + this.batchRows);
        await this.query(insertStatement(table), columnArrays(table, batch));
        this.written[table] += batch.length;
        any = true;
      }
    }
    if (any) this.onWritten(label, this.written);
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure.error;
  }
}

const statements = new Map<TableName, string>();

function insertStatement(table: TableName): string {
  let sql = statements.get(table);
  if (!sql) {
    const columns = Object.entries(TABLES[table]).map(([key, type]) => ({ name: snakeCase(key), type }));
    const names = columns.map((c) => c.name).join(', ');
    // A text[] column travels as the text of its array literal: unnest would flatten an array of arrays.
    const arrays = columns.map((c, i) => `$${i + 1}::${c.type === 'text[]' ? 'text' : c.type}[]`).join(', ');
    const selected = columns.map((c) => (c.type === 'text[]' ? `${c.name}::text[]` : c.name)).join(', ');
    sql = `INSERT INTO ${table} (${names}) SELECT ${selected} FROM unnest(${arrays}) AS t(${names})`;
    statements.set(table, sql);
  }
  return sql;
}

/** One PostgreSQL array literal per column, built directly: faster than node-postgres's generic conversion. */
function columnArrays(table: TableName, rows: object[]): string[] {
  return Object.entries(TABLES[table]).map(([key, type]) => {
    const quoted = type === 'text' || type === 'timestamptz';
    let literal = '{';
    for (let i = 0; i < rows.length; i++) {
      const value = (rows[i] as Record<string, unknown>)[key];
      if (i > 0) literal += ',';
      if (value === null || value === undefined) literal += 'NULL';
      else if (type === 'text[]') literal += quote(`{${(value as string[]).map(quote).join(',')}}`);
      else literal += quoted ? quote(String(value)) : String(value);
    }
    return `${literal}}`;
  });
}

function quote(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&')}"`;
}

function snakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

import { parse } from 'csv-parse';
import { AdapterError } from '../../contract';
import { ExportFiles } from './files';

/** One data row of a CSV file: its cells as parsed and its row number as a spreadsheet shows it (the header is row 1). */
export interface CsvRow {
  file: string;
  row: number;
  cells: string[];
  /** Each column's place in `cells`, from the header (one map for all the file's rows: no object built per row). */
  columns: Map<string, number>;
  /** Why the row cannot be read as a record of its file (e.g. its cells do not match the header). */
  problem?: string;
}

export const where = (row: CsvRow) => `${row.file} row ${row.row}`;

/** A cell by its column's name, trimmed; a blank cell, or one the row or the header lacks, is undefined. */
export function cell(row: CsvRow, column: string): string | undefined {
  const i = row.columns.get(column);
  const value = i === undefined ? undefined : row.cells[i]?.trim();
  return value === '' ? undefined : value;
}

function parser() {
  // RFC 4180: quoted fields with commas, quotes and line breaks; a UTF-8 BOM; CRLF or LF line ends.
  return parse({ bom: true, relax_column_count: true, skip_empty_lines: true });
}

function readError(file: string, error: unknown): AdapterError {
  if (error instanceof AdapterError) return error;
  const e = error as { message?: string; lines?: number; code?: string };
  if (e.code && /^CSV_/.test(e.code)) {
    return new AdapterError('config', `${file} is not a well-formed CSV file${e.lines ? ` (near line ${e.lines})` : ''}: ${e.message}. The vendor's export must be fixed.`);
  }
  return new AdapterError('transient', `${file} could not be read to the end (${e.message ?? String(error)}); the next run tries again.`);
}

/** The column names of a file (its first row). */
export async function headerOf(files: ExportFiles, file: string): Promise<string[]> {
  const stream = await files.open(file);
  const csv = stream.pipe(parser());
  try {
    for await (const record of csv as AsyncIterable<string[]>) return record.map((name) => name.trim());
    return [];
  } catch (error) {
    throw readError(file, error);
  } finally {
    stream.destroy();
    csv.destroy();
  }
}

/** The file's data rows in order, streamed; rows up to `after` are skipped (resuming). */
export async function* rowsOf(files: ExportFiles, file: string, after = 0): AsyncGenerator<CsvRow> {
  const stream = await files.open(file);
  const csv = stream.pipe(parser());
  stream.once('error', (error) => csv.destroy(error));
  let columns: Map<string, number> | null = null;
  let width = 0;
  let row = 0;
  try {
    for await (const record of csv as AsyncIterable<string[]>) {
      row++;
      if (!columns) {
        // A name the header repeats is its last column's, as it always was.
        columns = new Map(record.map((name, i) => [name.trim(), i]));
        width = record.length;
        continue;
      }
      if (row <= after) continue;
      const problem = record.length === width ? undefined : `${record.length} cells where the header has ${width}`;
      yield { file, row, cells: record, columns, problem };
    }
  } catch (error) {
    throw readError(file, error);
  } finally {
    stream.destroy();
    csv.destroy();
  }
}

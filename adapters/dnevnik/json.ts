import { isInteger, isSafeNumber, parse } from 'lossless-json';

/** A vendor object as parsed: fields of any JSON type; integers beyond 2^53 as bigint. */
export type VendorRecord = Record<string, unknown>;

/**
 * JSON.parse loses integers above 2^53 (Dnevnik.ru's ids are 64-bit: 9007199254740993 would read as
 * …992). lossless-json keeps them: safe numbers as numbers, larger integers as bigint.
 */
export function parseVendorJson(text: string): unknown {
  return parse(text, null, (value: string) => (isSafeNumber(value) ? Number(value) : isInteger(value) ? BigInt(value) : Number(value)));
}

export const isRecord = (v: unknown): v is VendorRecord => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An id value as a string: exact for bigint, a safe integer number, a numeric string, or an object with an id. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (isRecord(value)) return idOf(value);
  return undefined;
}

/**
 * The id in `field`, from its string twin when there is one (`id_str`, `idStr`, `lesson_str`, `lessonStr`:
 * the vendor spells it several ways), else from the exactly parsed number.
 */
export function idOf(record: VendorRecord, field = 'id'): string | undefined {
  for (const twin of [`${field}_str`, `${field}Str`]) {
    const v = record[twin];
    if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return v.trim();
  }
  return idText(record[field]);
}

/** The ids in a list field (`parentIds`, `teachers`), from its twin list when there is one. */
export function idsOf(record: VendorRecord, field: string): string[] {
  const twins = record[`${field}_str`] ?? record[`${field}Str`];
  const list = Array.isArray(twins) && twins.length > 0 ? twins : record[field];
  return Array.isArray(list) ? list.map((v) => (isRecord(v) && isRecord(v.person) ? idOf(v.person) : idText(v))).filter((v): v is string => v !== undefined) : [];
}

export const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

const LOCAL = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** The calendar date of a vendor date-time ("2026-09-03T00:00:00", with or without milliseconds or a zone); undefined when it is not one. */
export function localDate(value: unknown): string | undefined {
  const m = typeof value === 'string' ? LOCAL.exec(value.trim()) : null;
  return m && !Number.isNaN(Date.parse(m[1])) ? m[1] : undefined;
}

/**
 * The instant of a vendor date-time. Dnevnik.ru writes local time without a zone, sometimes with
 * milliseconds: it is read in the school's offset (School.timeZone, hours). A time with a zone keeps it.
 */
export function instantOf(value: unknown, offsetHours: number): string | undefined {
  const m = typeof value === 'string' ? LOCAL.exec(value.trim()) : null;
  if (!m) return undefined;
  const time = (m[2] ?? '00:00:00').padEnd(8, ':00');
  const sign = offsetHours < 0 ? '-' : '+';
  const abs = Math.abs(offsetHours);
  const zone = m[4] ?? `${sign}${String(Math.floor(abs)).padStart(2, '0')}:${String(Math.round((abs % 1) * 60)).padStart(2, '0')}`;
  const at = Date.parse(`${m[1]}T${time}${(m[3] ?? '').slice(0, 4)}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  return Number.isNaN(at) ? undefined : new Date(at).toISOString();
}

/**
 * Calendar dates in the school's time zone (DESIGN rule 7: lesson dates are calendar dates, instants
 * are instants). OneRoster gives instants in UTC ("2026-09-07T03:30:00.000Z"); a lesson at 08:30 in
 * Kogalym (UTC+5) is on the 7th, while one at 02:00 local would still be on the 6th in UTC.
 */
import type { ConfigField, ConfigReader } from '../contract';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const DEFAULT_TIME_ZONE = 'Asia/Yekaterinburg';

/** The school's time zone, a configuration field of every OneRoster binding (OneRoster's date-times are UTC). */
export const TIME_ZONE_FIELD: ConfigField = {
  name: 'timeZone', label: 'Часовой пояс школы', type: 'string', required: false, default: DEFAULT_TIME_ZONE,
  description: 'IANA time zone used to read lesson dates from the provider\'s UTC times.',
};

/** The configured time zone (the default when unset); a zone the runtime does not know is a problem noted. */
export function timeZoneOf(read: ConfigReader): string {
  const zone = read.value(TIME_ZONE_FIELD.name) || DEFAULT_TIME_ZONE;
  if (!isTimeZone(zone)) read.problem(TIME_ZONE_FIELD.name, `"${zone}" is not a known time zone (for Kogalym it is ${DEFAULT_TIME_ZONE}).`);
  return zone;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "YYYY-MM-DD" that names a real day (Date.parse accepts 2026-02-30). */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
    });
    formatters.set(zone, f);
  }
  return f;
}

function wallClock(ms: number, zone: string) {
  const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), h: Number(parts.hour), min: Number(parts.minute), s: Number(parts.second) };
}

/** How far the zone's wall clock is ahead of UTC at the instant, in milliseconds. */
function offsetMs(ms: number, zone: string): number {
  const w = wallClock(ms, zone);
  return Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s) - (ms - (((ms % 1000) + 1000) % 1000));
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The calendar date of a OneRoster date or date-time in the zone: a date stays as it is, an instant
 * is read on the school's wall clock. Null when the value is neither.
 */
export function calendarDate(value: unknown, zone: string): string | null {
  if (isCalendarDate(value)) return value;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  return remembered(calendarDates, zone, value, () => {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return null;
    const w = wallClock(ms, zone);
    return `${pad(w.y, 4)}-${pad(w.m)}-${pad(w.d)}`;
  });
}

/** The instant (ISO 8601, UTC) the calendar date begins in the zone. */
export function startOfDay(date: string, zone: string): string {
  return remembered(dayStarts, zone, date, () => {
    const [y, m, d] = date.split('-').map(Number);
    const guess = Date.UTC(y, m - 1, d);
    const first = guess - offsetMs(guess, zone);
    return new Date(guess - offsetMs(first, zone)).toISOString();
  });
}

/**
 * Reading the zone's wall clock (Intl's formatToParts) was a tenth of a sync's CPU: every lesson and
 * mark asks it again for one of a few hundred school-day instants and dates. The answers are kept,
 * per zone and value, up to a bound.
 */
const REMEMBERED = 20_000;
const calendarDates = new Map<string, string | null>();
const dayStarts = new Map<string, string>();
function remembered<T>(kept: Map<string, T>, zone: string, value: string, compute: () => T): T {
  const key = `${zone} ${value}`;
  const known = kept.get(key);
  if (known !== undefined || kept.has(key)) return known as T;
  if (kept.size >= REMEMBERED) kept.clear();
  const answer = compute();
  kept.set(key, answer);
  return answer;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** An instant for a OneRoster date or date-time: a date is the start of that day in the zone. */
export function instantOf(value: unknown, zone: string): unknown {
  if (isCalendarDate(value)) return startOfDay(value, zone);
  return value;
}

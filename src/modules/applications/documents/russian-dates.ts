import { badInput } from '../../../common/errors';

/** Genitive month names: a Russian date reads «28 ноября», never «28 ноябрь». */
const MONTHS_GENITIVE = [
  'января', 'февраля', 'марта', 'апреля', 'мая', 'июня',
  'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря',
] as const;

export interface DateParts {
  year: number;
  month: number;
  day: number;
}

/** Parses a calendar date "YYYY-MM-DD", refusing impossible ones such as 2026-02-30. */
export function parseCalendarDate(value: string, field: string): DateParts {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const parts = match && { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  const probe = parts && new Date(Date.UTC(parts.year, parts.month - 1, parts.day));
  if (!parts || !probe || probe.getUTCMonth() !== parts.month - 1 || probe.getUTCDate() !== parts.day) {
    throw badInput('APPLICATION_DOCUMENT_DATE_INVALID', { [field]: `expected a calendar date YYYY-MM-DD, got "${value}"` });
  }
  return parts;
}

export const monthGenitive = (month: number): string => MONTHS_GENITIVE[month - 1];

/** "2026-11-28" → «28 ноября 2026 г.» */
export function russianDate(value: string, field = 'date'): string {
  const { year, month, day } = parseCalendarDate(value, field);
  return `${day} ${monthGenitive(month)} ${year} г.`;
}

/** "2026-11-28" → «« 28 » ноября 2026 г.», the way a date is written on a signed paper form. */
export function quotedRussianDate(value: string, field = 'date'): string {
  const { year, month, day } = parseCalendarDate(value, field);
  return `« ${String(day).padStart(2, '0')} » ${monthGenitive(month)} ${year} г.`;
}

/**
 * An instant as «28 ноября 2026 г., 14:05». With a time zone the wall clock is that zone's (a school
 * prints in its own time, DESIGN rule 7); without one it is the clock written in the string itself,
 * so "2026-11-28T14:05:00+05:00" prints 14:05 whatever the server's zone.
 */
export function russianDateTime(value: string, field: string, timeZone?: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})/.exec(value);
  const instant = new Date(value);
  if (!match || Number.isNaN(instant.getTime())) {
    throw badInput('APPLICATION_DOCUMENT_DATE_INVALID', { [field]: `expected an ISO date-time, got "${value}"` });
  }
  if (!timeZone) return `${russianDate(match[1], field)}, ${match[2]}:${match[3]}`;
  let local: Intl.DateTimeFormatPart[];
  try {
    local = new Intl.DateTimeFormat('en-CA', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    }).formatToParts(instant);
  } catch {
    throw badInput('APPLICATION_DOCUMENT_TIME_ZONE_INVALID', { timeZone: `unknown time zone "${timeZone}"` });
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => local.find((p) => p.type === type)?.value ?? '';
  return `${russianDate(`${part('year')}-${part('month')}-${part('day')}`, field)}, ${part('hour')}:${part('minute')}`;
}

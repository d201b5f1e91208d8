/**
 * The 2026/2027 school year of the generated municipality. Dates are calendar dates "YYYY-MM-DD"
 * (DESIGN rule 7); the arithmetic runs on UTC midnights so that no local time zone shifts a day.
 */

export const ACADEMIC_YEAR = { label: '2026/2027', startsOn: '2026-09-01', endsOn: '2027-08-31' } as const;

/** Kogalym keeps Yekaterinburg time, UTC+5 all year (no daylight saving since 2014). */
export const TIME_ZONE = 'Asia/Yekaterinburg';
const UTC_OFFSET = '+05:00';

export type TermKind = 'quarter' | 'half';

export interface TermPlan {
  kind: TermKind;
  number: number;
  name: string;
  startsOn: string;
  endsOn: string;
}

/** Four quarters for grades 1–9 and two halves for grades 10–11; the gaps between quarters are the holidays. */
export const TERMS: readonly TermPlan[] = [
  { kind: 'quarter', number: 1, name: '1 четверть', startsOn: '2026-09-01', endsOn: '2026-10-25' },
  { kind: 'quarter', number: 2, name: '2 четверть', startsOn: '2026-11-05', endsOn: '2026-12-28' },
  { kind: 'quarter', number: 3, name: '3 четверть', startsOn: '2027-01-12', endsOn: '2027-03-21' },
  { kind: 'quarter', number: 4, name: '4 четверть', startsOn: '2027-04-01', endsOn: '2027-05-26' },
  { kind: 'half', number: 1, name: '1 полугодие', startsOn: '2026-09-01', endsOn: '2026-12-28' },
  { kind: 'half', number: 2, name: '2 полугодие', startsOn: '2027-01-12', endsOn: '2027-05-26' },
];

export const LAST_LESSON_DAY = '2027-05-26';

/** Public holidays that fall on school days, with the usual transfers of 1 and 9 May to the next Monday. */
const PUBLIC_HOLIDAYS = new Set(['2026-11-04', '2027-02-23', '2027-03-08', '2027-05-03', '2027-05-10']);

/** First-graders get an extra week of holidays in February. */
const FIRST_GRADE_BREAK = { startsOn: '2027-02-15', endsOn: '2027-02-21' };

export function termKindOfGrade(grade: number): TermKind {
  return grade >= 10 ? 'half' : 'quarter';
}

export function parseDate(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

export function formatDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return formatDate(parseDate(date) + days * 86_400_000);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  return ((new Date(parseDate(date)).getUTCDay() + 6) % 7) + 1;
}

export function isValidDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && formatDate(parseDate(date)) === date;
}

/** An instant at a local time of the school's day, as an ISO string PostgreSQL reads as timestamptz. */
export function localInstant(date: string, minutesOfDay: number): string {
  const hours = Math.floor(minutesOfDay / 60);
  const minutes = Math.floor(minutesOfDay % 60);
  return `${date}T${pad2(hours)}:${pad2(minutes)}:00${UTC_OFFSET}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Monday-to-Friday lesson days of the year, up to `until` (included). */
export function schoolDays(until: string): string[] {
  const last = until < LAST_LESSON_DAY ? until : LAST_LESSON_DAY;
  const days: string[] = [];
  for (let day: string = ACADEMIC_YEAR.startsOn; day <= last; day = addDays(day, 1)) {
    if (isoWeekday(day) <= 5 && !PUBLIC_HOLIDAYS.has(day) && TERMS.some((t) => t.kind === 'quarter' && t.startsOn <= day && day <= t.endsOn)) {
      days.push(day);
    }
  }
  return days;
}

export function hasLessonsOn(grade: number, day: string): boolean {
  return grade !== 1 || day < FIRST_GRADE_BREAK.startsOn || day > FIRST_GRADE_BREAK.endsOn;
}

/** The term of that kind the date falls in, if any. */
export function termOn<T extends TermPlan>(terms: readonly T[], kind: TermKind, date: string): T | undefined {
  return terms.find((t) => t.kind === kind && t.startsOn <= date && date <= t.endsOn);
}

/** The term a newcomer would call current on `date`: the one it falls in, or else the last one begun. */
export function currentTerm(kind: TermKind, date: string): TermPlan {
  const begun = TERMS.filter((t) => t.kind === kind && t.startsOn <= date);
  return begun.length > 0 ? begun[begun.length - 1] : TERMS.find((t) => t.kind === kind)!;
}

/** Today's date in the municipality's time zone, kept inside the school year. */
export function todayInSchoolYear(now: Date = new Date()): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(now);
  if (today < ACADEMIC_YEAR.startsOn) return ACADEMIC_YEAR.startsOn;
  return today > ACADEMIC_YEAR.endsOn ? ACADEMIC_YEAR.endsOn : today;
}

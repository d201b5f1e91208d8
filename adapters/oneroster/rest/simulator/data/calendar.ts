/**
 * The 2026/2027 school year of a Kogalym school: quarters, holidays, school days and the bell schedule.
 * Dates are calendar dates ("YYYY-MM-DD"); instants are UTC. Kogalym is UTC+5 all year.
 */
export const SCHOOL_YEAR = { title: '2026/2027 учебный год', startDate: '2026-09-01', endDate: '2027-05-31', schoolYear: '2027' };

export const QUARTERS = [
  { title: '1 четверть', startDate: '2026-09-01', endDate: '2026-10-25' },
  { title: '2 четверть', startDate: '2026-11-05', endDate: '2026-12-27' },
  { title: '3 четверть', startDate: '2027-01-11', endDate: '2027-03-21' },
  { title: '4 четверть', startDate: '2027-03-29', endDate: '2027-05-26' },
] as const;

/** Public holidays that fall inside a quarter (the breaks cover the others). */
const HOLIDAYS = new Set(['2027-02-23', '2027-03-08', '2027-05-03', '2027-05-10']);

const SCHOOL_UTC_OFFSET_HOURS = 5;

/** When the provider was loaded with the year's roster and gradebook set-up, before 1 September. */
export const DATA_LOADED_AT = '2026-08-25T06:00:00.000Z';

/** Lesson start times, local, for lessons 1..7. */
const BELLS = ['08:30', '09:25', '10:25', '11:25', '12:25', '13:20', '14:15'];
export const LESSON_MINUTES = 40;

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
}

/** The index into QUARTERS of the quarter that holds the date, or -1 during a break. */
export function quarterOf(date: string): number {
  return QUARTERS.findIndex((q) => q.startDate <= date && date <= q.endDate);
}

/** Monday-to-Friday days inside a quarter, from `from` for `weeks` weeks. */
export function schoolDays(from: string, weeks: number): string[] {
  const days: string[] = [];
  for (let i = 0; i < weeks * 7; i++) {
    const date = addDays(from, i);
    if (weekday(date) <= 5 && quarterOf(date) >= 0 && !HOLIDAYS.has(date)) days.push(date);
  }
  return days;
}

/** The UTC instant a lesson starts (lessonNumber from 1). */
export function lessonStart(date: string, lessonNumber: number): Date {
  const [hours, minutes] = BELLS[Math.min(lessonNumber, BELLS.length) - 1].split(':').map(Number);
  return new Date(Date.parse(`${date}T00:00:00Z`) + ((hours - SCHOOL_UTC_OFFSET_HOURS) * 60 + minutes) * 60_000);
}

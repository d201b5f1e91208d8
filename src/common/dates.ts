/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than formatting with it. */
const formats = new Map<string, Intl.DateTimeFormat>();

/** Today's calendar date in a time zone, "YYYY-MM-DD" (DESIGN rule 7: each school decides its own "today"). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formats.set(timeZone, format);
  }
  return format.format(now);
}

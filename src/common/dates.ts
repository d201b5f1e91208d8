/** Today's calendar date in a time zone, "YYYY-MM-DD" (DESIGN rule 7: each school decides its own "today"). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

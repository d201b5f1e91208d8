/** Russian alphabetical order of people, as class lists are kept: last name, then first name. */
export const byName = (a: { lastName: string; firstName: string }, b: { lastName: string; firstName: string }) =>
  a.lastName.localeCompare(b.lastName, 'ru') || a.firstName.localeCompare(b.firstName, 'ru');

/** Whether a period (an enrollment: the last day included, an open end for "still there") covers the date. */
export const covers = (period: { startsOn: string; endsOn: string | null }, date: string) =>
  period.startsOn <= date && (period.endsOn === null || period.endsOn >= date);

import { ACADEMIC_YEAR, isValidDate, todayInSchoolYear } from './calendar';
import { MAX_CLASSES_PER_GRADE } from './school-roster';

export interface SeedOptions {
  /** Same seed and options, same municipality: ids, names, marks, everything. */
  seed: number;
  schools: number;
  classesPerGrade: number;
  studentsPerClass: number;
  /** Lessons are generated from 1 September up to this day (included). */
  until: string;
  /** School position (1-based) → id of the vendor system it syncs from; the others keep the built-in journal. */
  syncedSchools: Record<number, string>;
}

export type Scale = 'small' | 'demo' | 'city';

type SizeOptions = Pick<SeedOptions, 'schools' | 'classesPerGrade' | 'studentsPerClass'> & { until?: string };

export const SCALES: Record<Scale, SizeOptions> = {
  small: { schools: 2, classesPerGrade: 1, studentsPerClass: 15 },
  demo: { schools: 3, classesPerGrade: 2, studentsPerClass: 20 },
  /** About 10,000 students, lessons up to the end of May. */
  city: { schools: 10, classesPerGrade: 3, studentsPerClass: 30, until: '2027-05-31' },
};

export const LIMITS = {
  seed: [0, 2 ** 32 - 1],
  schools: [1, 50],
  classesPerGrade: [1, MAX_CLASSES_PER_GRADE],
  studentsPerClass: [1, 40],
} as const;

export class SeedOptionsError extends Error {}

export function seedOptions(scale: Scale = 'demo', overrides: Partial<SeedOptions> = {}, today = todayInSchoolYear()): SeedOptions {
  return { seed: 1, until: today, syncedSchools: {}, ...SCALES[scale], ...overrides };
}

/** Throws SeedOptionsError naming every option that is out of range. */
export function validateSeedOptions(options: SeedOptions): void {
  const problems: string[] = [];
  for (const [key, [min, max]] of Object.entries(LIMITS) as [keyof typeof LIMITS, readonly [number, number]][]) {
    const value = options[key];
    if (!Number.isInteger(value) || value < min || value > max) problems.push(`${key} must be an integer from ${min} to ${max} (got ${value})`);
  }
  if (!isValidDate(options.until) || options.until < ACADEMIC_YEAR.startsOn || options.until > ACADEMIC_YEAR.endsOn) {
    problems.push(`until must be a date from ${ACADEMIC_YEAR.startsOn} to ${ACADEMIC_YEAR.endsOn} (got ${options.until})`);
  }
  for (const [position, system] of Object.entries(options.syncedSchools)) {
    if (!Number.isInteger(Number(position)) || Number(position) < 1 || Number(position) > options.schools) {
      problems.push(`synced school ${position} is not one of the ${options.schools} schools`);
    }
    if (!/^[a-z][a-z0-9-]*$/.test(system) || system === 'builtin') {
      problems.push(`synced school ${position}: "${system}" is not a vendor system id (kebab-case, not "builtin")`);
    }
  }
  if (problems.length > 0) throw new SeedOptionsError(problems.join('; '));
}

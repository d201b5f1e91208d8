export interface SimulatorOptions {
  /** Same seed, same school (and the same fault sequence). */
  seed?: number;
  /** Parallels taught, 5..9 (quarters). */
  grades?: number[];
  classesPerGrade?: number;
  studentsPerClass?: number;
  /** Lessons, marks, attendance and homework cover this many weeks from 1 September 2026. */
  weeks?: number;
  /** The partner token the school issued (any value; the simulator accepts what it is configured with). */
  accessToken?: string;
  /** Accepted by POST /v2/authorizations/bycredentials. */
  username?: string;
  password?: string;
  /** Accepted by POST /v2/authorizations (code grant). */
  authorizationCode?: string;
  /** Tokens issued by the simulator run out after this long on its clock. */
  tokenTtlSeconds?: number;
}

export interface Faults {
  /** Added to every response. */
  latencyMs?: number;
  /** Share of data requests answered 500 apiServerError, drawn from a sequence seeded by the simulator's seed. */
  failureRate?: number;
  /** Every Nth data request gets 429 with Retry-After: 1. */
  throttleEvery?: number;
  /** The next N data requests fail (500), then the vendor recovers. */
  failNext?: number;
  /** Failures are answered with the vendor's HTML error page instead of the JSON envelope. */
  htmlErrors?: boolean;
  /** Every token stops working (401 invalidToken, "the session expired") after this many data requests. */
  expireTokensAfter?: number;
  /** Ids (as strings) of marks, lessons, persons or log entries ("lesson:person") served broken but parseable. */
  malformed?: string[];
  /** Every request has its connection reset. */
  down?: boolean;
}

export type ResolvedOptions = Required<SimulatorOptions>;

const DEFAULTS: ResolvedOptions = {
  seed: 1,
  grades: [5, 6, 7],
  classesPerGrade: 1,
  studentsPerClass: 10,
  weeks: 8,
  accessToken: 'dnevnik-partner-token',
  username: 'it-admin',
  password: 'secret',
  authorizationCode: 'authorization-code',
  tokenTtlSeconds: 30 * 24 * 3600,
};

/** Presets for the demo and the tests: a small school, and a whole one. */
export const SCHOOL_SIZES = {
  small: { grades: [5, 6], classesPerGrade: 1, studentsPerClass: 6, weeks: 8 },
  medium: { grades: [5, 6, 7], classesPerGrade: 2, studentsPerClass: 15, weeks: 8 },
  full: { grades: [5, 6, 7, 8, 9], classesPerGrade: 3, studentsPerClass: 25, weeks: 8 },
} as const satisfies Record<string, SimulatorOptions>;

export type SchoolSize = keyof typeof SCHOOL_SIZES;

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as SimulatorOptions;
  const resolved: ResolvedOptions = { ...DEFAULTS, ...given };
  const integer = (name: keyof ResolvedOptions, min: number, max: number) => {
    const value = resolved[name] as number;
    if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  };
  integer('seed', -(2 ** 31), 2 ** 32);
  integer('classesPerGrade', 1, 4);
  integer('studentsPerClass', 2, 40);
  integer('weeks', 0, 34);
  integer('tokenTtlSeconds', 1, 10 ** 8);
  if (resolved.grades.length === 0 || resolved.grades.some((g) => !Number.isInteger(g) || g < 5 || g > 9)) {
    throw new RangeError('grades must be a non-empty list of parallels from 5 to 9');
  }
  return { ...resolved, grades: [...new Set(resolved.grades)].sort((a, b) => a - b) };
}

export function checkFaults({ latencyMs, failureRate, throttleEvery, failNext, expireTokensAfter }: Faults): void {
  const problems = [
    latencyMs !== undefined && !(latencyMs >= 0) && 'latencyMs must be 0 or more',
    failureRate !== undefined && !(failureRate >= 0 && failureRate <= 1) && 'failureRate must be from 0 to 1',
    throttleEvery !== undefined && !(Number.isInteger(throttleEvery) && throttleEvery >= 1) && 'throttleEvery must be a whole number from 1',
    failNext !== undefined && !(Number.isInteger(failNext) && failNext >= 0) && 'failNext must be a whole number from 0',
    expireTokensAfter !== undefined && !(Number.isInteger(expireTokensAfter) && expireTokensAfter >= 0) && 'expireTokensAfter must be a whole number from 0',
  ].filter(Boolean);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
}

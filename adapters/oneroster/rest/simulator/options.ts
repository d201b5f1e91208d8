import { CLASS_LETTERS, SUPPORTED_GRADES } from './data/curriculum';

export interface SimulatorOptions {
  /** Same seed, same data (and the same fault sequence). */
  seed?: number;
  /** Orgs of type school under one district. */
  schools?: number;
  /** Grade levels taught, 5..11. */
  grades?: number[];
  classesPerGrade?: number;
  studentsPerClass?: number;
  /** Line items and results cover this many weeks from 2026-09-01. */
  weeks?: number;
  clientId?: string;
  clientSecret?: string;
  tokenTtlSeconds?: number;
  /** Larger `limit`s are clamped to this, as the Ed-Fi OneRoster service does. */
  maxPageSize?: number;
}

export interface Faults {
  /** Added to every response. */
  latencyMs?: number;
  /** Share of data requests answered 500, drawn from a sequence seeded by the simulator's seed. */
  failureRate?: number;
  /** Every Nth data request gets 429 with Retry-After: 1. */
  throttleEvery?: number;
  /** A token stops working after this many data requests (401) until a new one is fetched. */
  expireTokensAfter?: number;
  /** sourcedIds served broken but parseable (a result with score "abc", a user without familyName, …). */
  malformed?: string[];
  /** Every request has its connection reset. */
  down?: boolean;
  /** The next this many data requests are answered 500, then the provider recovers (an outage that passes). */
  failNext?: number;
}

export type ResolvedOptions = Required<SimulatorOptions>;

const DEFAULTS: ResolvedOptions = {
  seed: 1,
  schools: 1,
  grades: [5, 6, 7],
  classesPerGrade: 1,
  studentsPerClass: 10,
  weeks: 4,
  clientId: 'hub',
  clientSecret: 'secret',
  tokenTtlSeconds: 3600,
  maxPageSize: 500,
};

export function resolveOptions(options: SimulatorOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = { ...DEFAULTS, ...withoutUndefined(options) };
  requireInteger('seed', resolved.seed, -(2 ** 31), 2 ** 32);
  requireInteger('schools', resolved.schools, 1, 99);
  requireInteger('classesPerGrade', resolved.classesPerGrade, 1, CLASS_LETTERS.length);
  requireInteger('studentsPerClass', resolved.studentsPerClass, 1, 45);
  requireInteger('weeks', resolved.weeks, 0, 39);
  requireInteger('tokenTtlSeconds', resolved.tokenTtlSeconds, 1, 10 ** 7);
  requireInteger('maxPageSize', resolved.maxPageSize, 1, 10 ** 6);
  if (resolved.grades.length === 0 || resolved.grades.some((g) => !SUPPORTED_GRADES.includes(g))) {
    throw new RangeError(`grades must be a non-empty list from ${SUPPORTED_GRADES.join(', ')}`);
  }
  return { ...resolved, grades: [...new Set(resolved.grades)].sort((a, b) => a - b) };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

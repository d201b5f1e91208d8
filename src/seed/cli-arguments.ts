import { ACADEMIC_YEAR } from './calendar';
import { DEFAULT_PARALLEL_SCHOOLS } from './loader';
import { LIMITS, Scale, SCALES, seedOptions, SeedOptions, SeedOptionsError, validateSeedOptions } from './options';

export interface SeedCommand {
  options: SeedOptions;
  parallelSchools: number;
  databaseUrl: string | undefined;
  reset: boolean;
  help: boolean;
}

export class UsageError extends Error {}

export const USAGE = `Usage: npm run seed -- [options]

Generates a synthetic municipality (Kogalym, school year ${ACADEMIC_YEAR.label}) and loads it into the database.

  --scale small|demo|city     preset sizes (default demo): small = 2 schools, 1 class per grade, 15 students;
                              demo = 3 schools, 2 classes, 20 students; city = 10 schools, 3 classes, 30 students, until 2027-05-31
  --schools N                 number of schools (${LIMITS.schools.join('–')})
  --classes-per-grade N       classes in each of grades 1–11 (${LIMITS.classesPerGrade.join('–')})
  --students-per-class N      students per class at 1 September, give or take two (${LIMITS.studentsPerClass.join('–')})
  --until YYYY-MM-DD          last day of generated lessons (${ACADEMIC_YEAR.startsOn} … ${ACADEMIC_YEAR.endsOn}; default today)
  --seed N                    same seed, same data (default 1)
  --synced N=SYSTEM           school N keeps its journal in vendor system SYSTEM (e.g. --synced 2=netschool); repeatable
  --parallel N                schools loaded at once, one connection each (1–8, default ${DEFAULT_PARALLEL_SCHOOLS})
  --database-url URL          PostgreSQL to write to (default: DATABASE_URL, or the embedded server, as for npm start)
  --reset                     empty the municipality's tables first (the schema and lookup tables stay)
  --help                      show this text`;

const NUMERIC_FLAGS = {
  '--schools': 'schools',
  '--classes-per-grade': 'classesPerGrade',
  '--students-per-class': 'studentsPerClass',
  '--seed': 'seed',
} as const;

/** Reads `npm run seed` arguments; throws UsageError naming the first bad one. */
export function parseSeedArguments(argv: readonly string[], today?: string): SeedCommand {
  const values = splitFlags(argv);
  let scale: Scale = 'demo';
  const overrides: Partial<SeedOptions> = {};
  const syncedSchools: Record<number, string> = {};
  let parallelSchools = DEFAULT_PARALLEL_SCHOOLS;
  let databaseUrl: string | undefined;
  let reset = false;
  let help = false;
  for (const [flag, value] of values) {
    if (flag === '--help') help = true;
    else if (flag === '--reset') reset = true;
    else if (flag === '--scale') {
      if (!(value in SCALES)) throw new UsageError(`--scale must be one of ${Object.keys(SCALES).join(', ')} (got "${value}")`);
      scale = value as Scale;
    } else if (flag in NUMERIC_FLAGS) {
      if (!/^\d+$/.test(value)) throw new UsageError(`${flag} needs a whole number (got "${value}")`);
      overrides[NUMERIC_FLAGS[flag as keyof typeof NUMERIC_FLAGS]] = Number(value);
    } else if (flag === '--parallel') {
      if (!/^[1-8]$/.test(value)) throw new UsageError(`--parallel needs a whole number from 1 to 8 (got "${value}")`);
      parallelSchools = Number(value);
    } else if (flag === '--until') overrides.until = value;
    else if (flag === '--database-url') databaseUrl = value;
    else if (flag === '--synced') {
      const match = /^(\d+)=(.+)$/.exec(value);
      if (!match) throw new UsageError(`--synced needs SCHOOL=SYSTEM, e.g. 2=netschool (got "${value}")`);
      syncedSchools[Number(match[1])] = match[2];
    }
  }
  const options = seedOptions(scale, { ...overrides, syncedSchools }, today);
  try {
    validateSeedOptions(options);
  } catch (error) {
    if (error instanceof SeedOptionsError) throw new UsageError(error.message);
    throw error;
  }
  return { options, parallelSchools, databaseUrl, reset, help };
}

const SWITCHES = new Set(['--help', '--reset']);
const WITH_VALUE = new Set(['--scale', '--until', '--parallel', '--database-url', '--synced', ...Object.keys(NUMERIC_FLAGS)]);

/** `--flag value` and `--flag=value` both work; an unknown flag or a missing value is an error. */
function splitFlags(argv: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    if (SWITCHES.has(flag)) {
      if (inline !== undefined) throw new UsageError(`${flag} takes no value`);
      pairs.push([flag, '']);
    } else if (WITH_VALUE.has(flag)) {
      const value = inline ?? argv[++i];
      if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new UsageError(`${flag} needs a value`);
      pairs.push([flag, value]);
    } else {
      throw new UsageError(`unknown argument "${argv[i]}"`);
    }
  }
  return pairs;
}

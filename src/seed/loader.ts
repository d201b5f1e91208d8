import type { DataSource } from 'typeorm';
import { markLearningDataChanged } from '../modules/metrics/learning-rollups';
import { currentTerm } from './calendar';
import { curriculumOf } from './curriculum';
import { BulkWriter, DEFAULT_BATCH_ROWS } from './bulk-insert';
import { generateJournal } from './journal';
import { planMunicipality, SchoolPlan } from './municipality';
import { SeedOptions, validateSeedOptions } from './options';
import { RowCounts, TABLE_NAMES, zeroCounts } from './rows';
import { Catalog, fullName, isEnrolledOn, SchoolModel } from './school-model';
import { rosterRows } from './school-rows';

export type SeedPhase = 'roster' | 'journal';

export type SeedProgressEvent =
  | { type: 'school-started'; position: number; of: number; shortName: string }
  | { type: 'rows-written'; position: number; shortName: string; phase: SeedPhase; through: string | null; written: RowCounts; elapsedMs: number }
  | { type: 'school-loaded'; position: number; shortName: string; written: RowCounts; elapsedMs: number; timetableClashes: number };

/** Where a newcomer can start looking in one school. */
export interface SchoolSample {
  classGroup: { id: string; name: string };
  student: { id: string; name: string };
  course: { id: string; subjectName: string };
  currentTerm: { id: string; name: string };
}

export interface LoadedSchool {
  id: string;
  shortName: string;
  systemOfRecord: string;
  sample: SchoolSample;
}

export interface SeedResult {
  municipalityId: string;
  schools: LoadedSchool[];
  rowCounts: RowCounts;
  elapsedMs: number;
}

export class SeedCatalogError extends Error {}

export interface LoadTuning {
  /** Schools loaded at once, each on its own connection and transaction. */
  parallelSchools?: number;
  batchRows?: number;
}

/** PostgreSQL spends most of a load checking foreign keys, on one core per connection; two keep two cores busy. */
export const DEFAULT_PARALLEL_SCHOOLS = 2;

/**
 * Generates the municipality described by `options` and writes it: the municipality first, then each
 * school in a transaction of its own (a failure leaves no half-written school), streaming the school's
 * journal week by week so that memory stays bounded at city scale.
 */
export async function loadMunicipality(
  dataSource: DataSource,
  options: SeedOptions,
  onProgress: (event: SeedProgressEvent) => void = () => {},
  { parallelSchools = DEFAULT_PARALLEL_SCHOOLS, batchRows = DEFAULT_BATCH_ROWS }: LoadTuning = {},
): Promise<SeedResult> {
  validateSeedOptions(options);
  const started = Date.now();
  const catalog = await readCatalog(dataSource);
  const plan = planMunicipality(options, catalog);
  const { id, name, directorateName, timeZone } = plan.municipality;
  await dataSource.query(
    'INSERT INTO municipality (id, name, directorate_name, time_zone) VALUES ($1, $2, $3, $4)', [id, name, directorateName, timeZone]);
  const rowCounts = { ...zeroCounts(), municipality: 1 };

  const context: SchoolLoad = { dataSource, catalog, until: options.until, of: plan.schools.length, onProgress, batchRows };
  const schools: LoadedSchool[] = [];
  const waiting = [...plan.schools];
  const failures: unknown[] = [];
  // Each school is generated from its own random stream, so loading several at once gives the same data.
  const worker = async () => {
    for (let next = waiting.shift(); next && failures.length === 0; next = waiting.shift()) {
      try {
        const { loaded, written } = await loadSchool(next, context);
        schools[next.position - 1] = loaded;
        for (const table of TABLE_NAMES) rowCounts[table] += written[table];
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallelSchools, plan.schools.length) }, worker));
  if (failures.length > 0) {
    // A municipality without a single school would pass for loaded data and block the next attempt.
    if (!schools.some(Boolean)) await dataSource.query('DELETE FROM municipality WHERE id = $1', [id]);
    throw failures[0];
  }
  // Fresh statistics now, so that the first queries on the new data do not plan for empty tables.
  await dataSource.query(`ANALYZE ${TABLE_NAMES.join(', ')}`);
  return { municipalityId: id, schools, rowCounts, elapsedMs: Date.now() - started };
}

interface SchoolLoad {
  dataSource: DataSource;
  catalog: Catalog;
  until: string;
  of: number;
  onProgress: (event: SeedProgressEvent) => void;
  batchRows: number;
}

/** One school in one transaction: its roster, then its journal week by week. */
async function loadSchool(plan: SchoolPlan, { dataSource, catalog, until, of, onProgress, batchRows }: SchoolLoad): Promise<{ loaded: LoadedSchool; written: RowCounts }> {
  const started = Date.now();
  const { position, row: { shortName } } = plan;
  onProgress({ type: 'school-started', position, of, shortName });
  const { school, written } = await dataSource.transaction(async (manager) => {
    const writer = new BulkWriter<{ phase: SeedPhase; through: string | null }>(
      (sql, parameters) => manager.query(sql, parameters),
      (label, counts) => onProgress({ type: 'rows-written', position, shortName, ...label, written: { ...counts }, elapsedMs: Date.now() - started }),
      batchRows,
    );
    const model = plan.build();
    await writer.add(rosterRows(model, plan.row, catalog), { phase: 'roster', through: null });
    await writer.flush();
    for (const week of generateJournal(model, until)) await writer.add(week.rows, { phase: 'journal', through: week.through });
    const finished = { ...(await writer.finish()) };
    await markLearningDataChanged(manager, model.id);
    return { school: model, written: finished };
  });
  onProgress({ type: 'school-loaded', position, shortName, written, elapsedMs: Date.now() - started, timetableClashes: school.timetableClashes });
  return { loaded: { id: school.id, shortName, systemOfRecord: school.systemOfRecord, sample: sampleOf(school, until, catalog) }, written };
}

/** The subjects and kinds of work the migration seeded; the curriculum must find all of its subjects there. */
async function readCatalog(dataSource: DataSource): Promise<Catalog> {
  const subjects: { code: string; id: string; name: string }[] = await dataSource.query('SELECT code, id, name FROM subject');
  const kinds: { code: string; default_weight: string }[] = await dataSource.query('SELECT code, default_weight FROM work_kind');
  const catalog: Catalog = {
    subjects: new Map(subjects.map((s) => [s.code, { id: s.id, name: s.name }])),
    workKindWeights: new Map(kinds.map((k) => [k.code, Number(k.default_weight)])),
  };
  const needed = new Set(Array.from({ length: 11 }, (_, i) => curriculumOf(i + 1).map((s) => s.code)).flat());
  const missing = [...needed].filter((code) => !catalog.subjects.has(code));
  if (missing.length > 0) throw new SeedCatalogError(`The subject table lacks ${missing.join(', ')}: are the migrations applied?`);
  return catalog;
}

/** 5А (or the highest class below it in a tiny school), its first student still enrolled, its mathematics course. */
function sampleOf(school: SchoolModel, until: string, catalog: Catalog): SchoolSample {
  const classGroup = school.classes.find((c) => c.grade === 5) ?? school.classes[school.classes.length - 1];
  const enrollment = classGroup.enrollments.find((e) => isEnrolledOn(e, until)) ?? classGroup.enrollments[0];
  const course = classGroup.courses.find((c) => c.subject.code === 'mathematics') ?? classGroup.courses[0];
  const term = currentTerm(classGroup.termKind, until);
  return {
    classGroup: { id: classGroup.id, name: classGroup.name },
    student: { id: enrollment.student.id, name: fullName(enrollment.student.name) },
    course: { id: course.id, subjectName: catalog.subjects.get(course.subject.code)!.name },
    currentTerm: { id: school.terms.find((t) => t.kind === term.kind && t.number === term.number)!.id, name: term.name },
  };
}

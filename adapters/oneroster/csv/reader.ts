import { AdapterContext, AdapterError, AdapterMessage, AdapterState, StreamName } from '../../contract';
import {
  CategoryWeights, dayKey, guardianLinks, inWritingOrder, isMark, lessonNumbers, People, SchoolStructure, sexFromPatronymic,
} from '../mapping';
import { pacedCheckpoints } from '../checkpoints';
import { GUARDIAN_ROLES, idOf, isDeleted, OrRecord, refId, refIds } from '../oneroster';
import { checkColumns, fileName, FileMode, Manifest, OrFile, readManifest, recordOf } from './binding';
import { CsvConfig } from './config';
import { ExportFiles, openExport } from './files';
import { keepLineItems, KeptLineItems, keptLineItems } from '../kept';
import { CsvRow, rowsOf, where } from './table';

/** Every this many rows of the files streamed row by row (enrollments, results), a checkpoint may come… */
export const ROWS_PER_CHECKPOINT = 1000;
/** …when at least this many records came since the last one (the state it saves holds the index: see pacedCheckpoints). */
export const RECORDS_PER_CHECKPOINT = 1000;

const PHASES = ['structure', 'enrollments', 'lessons', 'marks'] as const;
type Phase = (typeof PHASES)[number];

/**
 * What the hub keeps of the school's OneRoster data between exports, to apply a delta export on top
 * of it: the small collections whole, and of people and line items only what the mapping of a changed
 * neighbour needs (roles, agents, birth dates and sex; a line item's class, day and category) — the
 * names are in the hub's tables, and results are never kept.
 */
interface RosterIndex {
  schoolId: string;
  academicSessions: OrRecord[];
  courses: OrRecord[];
  classes: OrRecord[];
  teacherEnrollments: OrRecord[];
  categories: OrRecord[];
  roles: OrRecord[];
  users: OrRecord[];
  demographics: OrRecord[];
  lineItems: OrRecord[];
}

/** The index as the state holds it: the line items kept compactly (an index saved before holds them as records). */
type SavedIndex = Omit<RosterIndex, 'lineItems'> & { lineItems: KeptLineItems | OrRecord[] };

/** `applied`: the last export applied whole; `progress`: how far the export being applied got (file and row). */
interface CsvState {
  applied: string | null;
  index: SavedIndex | null;
  progress: { export: string; phase: Phase; row: number } | null;
}

const saved = (state: CsvState) => state as unknown as AdapterState;

/** A collection of this export merged onto the kept one: bulk replaces it, delta updates it, absent keeps it. */
interface Merged {
  mode: FileMode;
  all: Map<string, OrRecord>;
  changed: Map<string, OrRecord>;
  origins: Map<string, string>;
  /** Rows that could not be read as records: the file was not read whole, so nothing missing from it is gone. */
  malformed: number;
}

const pick = (record: OrRecord, fields: string[]): OrRecord => Object.fromEntries(fields.filter((f) => record[f] !== undefined).map((f) => [f, record[f]]));

/**
 * One read of a OneRoster 1.2 CSV export for one school. The export's files are streamed in the
 * engine's order — structure and people (from the small files, merged onto what the last export
 * left), student enrollments, lessons, marks — with a checkpoint between them and every
 * ROWS_PER_CHECKPOINT rows of the big files, saying which export, which file and which row. The state
 * after the last checkpoint names the export as applied: the same export is not applied again.
 */
export class ExportReader {
  private files!: ExportFiles;
  private manifest!: Manifest;
  private fingerprint!: string;
  private readonly state: CsvState;
  private base: RosterIndex | null;
  private schoolId!: string;
  private structure!: SchoolStructure;
  private people!: People;
  private readonly merged = new Map<OrFile, Merged>();
  private readonly weights: CategoryWeights;

  constructor(private readonly config: CsvConfig, state: AdapterState | null, private readonly ctx: AdapterContext) {
    const saved = (state ?? {}) as Partial<CsvState>;
    this.state = { applied: saved.applied ?? null, index: saved.index ?? null, progress: saved.progress ?? null };
    const index = this.state.index;
    this.base = index && { ...index, lineItems: keptLineItems(index.lineItems) ?? [] };
    this.weights = new CategoryWeights((message, details) => ctx.log(message, details));
  }

  async *read(): AsyncGenerator<AdapterMessage> {
    this.files = await openExport(this.config.path);
    try {
      this.manifest = await readManifest(this.files);
      await checkColumns(this.files, this.manifest);
      this.fingerprint = await this.files.fingerprint();
      if (this.state.applied === this.fingerprint) {
        yield { type: 'progress', message: 'this export was applied already: nothing to do until the vendor writes a new one' };
        return;
      }
      const progress = this.state.progress?.export === this.fingerprint ? this.state.progress : null;
      if (this.state.progress && !progress) this.ctx.log('a new export replaced one that was not applied to the end: the new one is applied on top of the last export applied whole');
      const from = progress ? PHASES.indexOf(progress.phase) : 0;
      const row = (phase: Phase) => (progress?.phase === phase ? progress.row : 0);
      const deltas = Object.entries(this.manifest).filter(([, mode]) => mode === 'delta').map(([file]) => file);
      yield { type: 'progress', message: `${progress ? 'resuming' : 'reading'} the export${deltas.length ? ` (delta: ${deltas.join(', ')})` : ' (bulk)'}` };
      if (deltas.length > 0 && !this.base) this.ctx.log('a delta export without an earlier export applied: it is applied on its own');

      await this.load();
      yield* pacedCheckpoints(this.phases(from, row), RECORDS_PER_CHECKPOINT);
      yield { type: 'checkpoint', state: saved({ applied: this.fingerprint, index: this.nextIndex(), progress: null }) };
    } finally {
      this.files.close();
    }
  }

  private async *phases(from: number, row: (phase: Phase) => number): AsyncGenerator<AdapterMessage> {
    // Structure and people are re-read whole on a resume too (they are small and upserts idempotent).
    yield* this.yieldStructure();
    yield* this.yieldPeople();
    yield this.checkpoint('enrollments', 0);
    if (from <= 1) yield* this.readEnrollments(row('enrollments'));
    yield this.checkpoint('lessons', 0);
    if (from <= 2) yield* this.yieldLessons();
    yield this.checkpoint('marks', 0);
    yield* this.readMarks(row('marks'));
  }

  /** The old index with how far this export got: resuming re-merges the export onto the same base. */
  private checkpoint(phase: Phase, row: number): AdapterMessage {
    return { type: 'checkpoint', state: saved({ applied: this.state.applied, index: this.base && this.state.index, progress: { export: this.fingerprint, phase, row } }) };
  }

  // ---------------------------------------------------------------- reading the small files

  private async merge(file: OrFile, kept: OrRecord[] | undefined, keep: (record: OrRecord) => boolean): Promise<Merged> {
    const mode = this.manifest[file];
    const all = new Map<string, OrRecord>(mode === 'bulk' ? [] : (kept ?? []).map((r) => [idOf(r), r]));
    const merged: Merged = { mode, all, changed: new Map(), origins: new Map(), malformed: 0 };
    if (mode !== 'absent') {
      for await (const row of rowsOf(this.files, fileName(file))) {
        const record = recordOf(file, row);
        if (row.problem || !record.sourcedId) {
          merged.malformed++;
          this.ctx.log(`${where(row)} cannot be read: ${row.problem ?? 'it has no sourcedId'}`);
          continue;
        }
        if (!keep(record)) continue;
        all.set(idOf(record), record);
        merged.changed.set(idOf(record), record);
        merged.origins.set(idOf(record), where(row));
      }
    }
    this.merged.set(file, merged);
    return merged;
  }

  private whole(...files: OrFile[]) {
    return files.every((f) => this.merged.get(f)?.mode === 'bulk' && this.merged.get(f)!.malformed === 0);
  }

  private async findSchool(): Promise<string> {
    const orgs = await this.merge('orgs', [], () => true);
    const schools = [...orgs.changed.values()].filter((o) => o.type === 'school' && !isDeleted(o));
    const listed = () => schools.slice(0, 10).map((s) => `${s.name ?? '?'} (${idOf(s)})`).join('; ');
    const wanted = this.config.schoolSourcedId ?? this.base?.schoolId;
    if (wanted) {
      if (orgs.mode === 'bulk' && !schools.some((s) => idOf(s) === wanted)) {
        throw new AdapterError('config', `orgs.csv has no school with sourcedId "${wanted}". Check «Идентификатор школы в выгрузке» (schoolSourcedId)${schools.length ? `; the export's schools: ${listed()}` : ''}.`);
      }
      return wanted;
    }
    if (schools.length === 1) return idOf(schools[0]);
    throw new AdapterError('config', schools.length === 0
      ? 'orgs.csv of the export has no school: fill in «Идентификатор школы в выгрузке» (schoolSourcedId).'
      : `The export holds several schools: fill in «Идентификатор школы в выгрузке» (schoolSourcedId) with one of: ${listed()}.`);
  }

  /** Reads the small files and the people, keeping only this school's (and its people's) rows. */
  private async load() {
    this.schoolId = await this.findSchool();
    const base = this.base?.schoolId === this.schoolId ? this.base : null;
    this.base = base;
    const school = this.schoolId;
    const sessions = await this.merge('academicSessions', base?.academicSessions, () => true);
    const courses = await this.merge('courses', base?.courses, () => true);
    const classes = await this.merge('classes', base?.classes, (c) => refId(c, 'school') === school);
    const categories = await this.merge('categories', base?.categories, () => true);
    const teachers = await this.merge('enrollments', base?.teacherEnrollments, (e) => e.role === 'teacher' && classes.all.has(refId(e, 'class') ?? ''));
    // Courses of the school's classes only: a city's export has every school's.
    const used = new Set([...classes.all.values()].map((c) => refId(c, 'course')));
    for (const id of [...courses.all.keys()]) if (!used.has(id)) courses.all.delete(id);
    this.structure = new SchoolStructure(school, [...sessions.all.values()], [...classes.all.values()], [...courses.all.values()], [...teachers.all.values()], [...categories.all.values()]);
    const teacherIds = this.structure.teacherIds();
    this.people = new People(school, teacherIds);

    // Roles at the school, of its teachers, and every guardian's (a parent may be registered at another org): narrowed below.
    const roles = await this.merge('roles', base?.roles, (r) => refId(r, 'org') === school || teacherIds.has(refId(r, 'user') ?? '') || GUARDIAN_ROLES.includes(String(r.role)));
    const rolesOf = new Map<string, OrRecord[]>();
    const formerRolesOf = new Map<string, OrRecord[]>();
    for (const r of roles.all.values()) {
      const user = refId(r, 'user') ?? '';
      const into = isDeleted(r) ? formerRolesOf : rolesOf;
      into.set(user, [...(into.get(user) ?? []), r]);
    }
    // A user flagged tobedeleted usually takes their roles along: those still say which streams to delete them from.
    const withRoles = (u: OrRecord): OrRecord => ({ ...u, roles: [...(rolesOf.get(idOf(u)) ?? []), ...(isDeleted(u) ? formerRolesOf.get(idOf(u)) ?? [] : [])] });
    const users = await this.merge('users', base?.users, (u) => rolesOf.has(idOf(u)) || formerRolesOf.has(idOf(u)) || teacherIds.has(idOf(u)));
    for (const map of [users.all, users.changed]) for (const [id, u] of map) map.set(id, withRoles(u));
    const p = this.people;
    // Guardians belong through a child of the school, named on either side.
    const students = new Set([...users.all.values()].filter((u) => p.isStudent(u) && !isDeleted(u)).map(idOf));
    const agentsOfStudents = new Set([...users.all.values()].filter((u) => students.has(idOf(u))).flatMap((u) => refIds(u, 'agents')));
    const belongs = (u: OrRecord) => p.belongs(u) || (p.isGuardian(u) && (agentsOfStudents.has(idOf(u)) || refIds(u, 'agents').some((id) => students.has(id))));
    for (const map of [users.all, users.changed]) for (const [id, u] of map) if (!belongs(u)) map.delete(id);
    for (const id of [...roles.all.keys()]) if (!users.all.has(refId(roles.all.get(id)!, 'user') ?? '')) roles.all.delete(id);
    await this.merge('demographics', base?.demographics, (d) => users.all.has(idOf(d)));
    await this.merge('lineItems', base?.lineItems, (l) => classes.all.has(refId(l, 'class') ?? '') || refId(l, 'school') === school);
  }

  // ---------------------------------------------------------------- yielding

  private *tombstone(stream: StreamName, record: OrRecord, file: OrFile, sourceId = idOf(record)): Generator<AdapterMessage> {
    // Reported once: by the export that flagged it, not again from what the hub kept.
    if (this.merged.get(file)!.changed.has(idOf(record))) yield { type: 'deleted', stream, sourceId };
  }

  private *yieldStructure(): Generator<AdapterMessage> {
    const s = this.structure;
    // The merged small collections are the whole picture once an export was applied before (or these files are bulk).
    const whole = this.base !== null || this.whole('academicSessions', 'classes', 'courses', 'enrollments', 'categories');
    const complete = (stream: StreamName): AdapterMessage[] => (whole ? [{ type: 'complete', stream }] : []);
    for (const year of s.years) {
      if (isDeleted(year)) yield* this.tombstone('academicYears', year, 'academicSessions');
      else yield { type: 'record', stream: 'academicYears', record: s.academicYear(year) };
    }
    yield* complete('academicYears');
    for (const year of s.years) {
      for (const term of s.termsByYear.get(idOf(year)) ?? []) if (isDeleted(term)) yield* this.tombstone('terms', term, 'academicSessions');
      if (!isDeleted(year)) for (const record of s.terms(year)) yield { type: 'record', stream: 'terms', record };
    }
    yield* complete('terms');
    for (const [id, { record }] of s.homerooms) {
      if (isDeleted(record)) yield* this.tombstone('classGroups', record, 'classes');
      else yield { type: 'record', stream: 'classGroups', record: { ...s.classGroup(id), origin: this.merged.get('classes')!.origins.get(id) } };
    }
    yield* complete('classGroups');
    for (const [id, cls] of s.scheduled) {
      if (isDeleted(cls)) yield* this.tombstone('courses', cls, 'classes');
      else yield { type: 'record', stream: 'courses', record: { ...s.course(id), origin: this.merged.get('classes')!.origins.get(id) } };
    }
    yield* complete('courses');
    const { records, tombstones } = s.courseTeachers();
    for (const e of tombstones) yield* this.tombstone('courseTeachers', e, 'enrollments');
    for (const record of records) yield { type: 'record', stream: 'courseTeachers', record };
    yield* complete('courseTeachers');
  }

  private demographicsOf(id: string): OrRecord | null {
    const d = this.merged.get('demographics')!.all.get(id);
    return d && !isDeleted(d) ? d : null;
  }

  /**
   * People whose users.csv row is in this export (all of them from a bulk file), and their links. A
   * link whose other side did not change is built from what the hub kept of that side.
   */
  private *yieldPeople(): Generator<AdapterMessage> {
    const p = this.people;
    const users = this.merged.get('users')!;
    const changed = [...users.changed.values()];
    const origin = (u: OrRecord) => users.origins.get(idOf(u));
    const staff = changed.filter((u) => p.staffPositions(u).length > 0);
    const students = changed.filter((u) => p.isStudent(u));
    const guardians = changed.filter((u) => p.isGuardian(u));
    // A changed student's guardians are re-linked even when they did not change themselves.
    const linked = new Map(guardians.map((g) => [idOf(g), g]));
    for (const s of students) {
      if (isDeleted(s)) continue;
      for (const id of refIds(s, 'agents')) {
        const g = users.all.get(id);
        if (g && p.isGuardian(g) && !linked.has(id)) linked.set(id, g);
      }
    }
    const { links, deleted } = guardianLinks(p, students, linked.values(), (id) => users.all.get(id));

    for (const u of staff) {
      if (isDeleted(u)) yield* this.tombstone('staff', u, 'users');
      else yield { type: 'record', stream: 'staff', record: { ...p.staff(u), origin: origin(u) } };
    }
    for (const u of students) {
      if (isDeleted(u)) yield* this.tombstone('students', u, 'users');
      else yield { type: 'record', stream: 'students', record: { ...p.student(u, this.demographicsOf(idOf(u))), origin: origin(u) } };
    }
    for (const g of guardians) {
      if (isDeleted(g)) yield* this.tombstone('guardians', g, 'users');
      else yield { type: 'record', stream: 'guardians', record: { ...p.guardian(g), origin: origin(g) } };
    }
    for (const [id, tombstone] of deleted) yield* this.tombstone('studentGuardians', tombstone, 'users', id);
    for (const { student, guardian } of links.values()) {
      yield { type: 'record', stream: 'studentGuardians', record: p.link(student, guardian, this.demographicsOf(idOf(guardian))) };
    }
    if (this.whole('users', 'roles') || (this.whole('users') && this.manifest.roles === 'absent')) {
      for (const stream of ['staff', 'students', 'guardians', 'studentGuardians'] as const) yield { type: 'complete', stream };
    }
    yield { type: 'progress', message: `people: ${staff.length} staff, ${students.length} students, ${guardians.length} guardians` };
  }

  /** Student enrollments in the school's homeroom classes, streamed from enrollments.csv (a second pass: the first kept the teachers'). */
  private async *readEnrollments(after: number): AsyncGenerator<AdapterMessage> {
    const mode = this.manifest.enrollments;
    if (mode === 'absent') return;
    let read = 0;
    let malformed = 0;
    for await (const row of rowsOf(this.files, 'enrollments.csv', after)) {
      const e = recordOf('enrollments', row);
      if (row.problem || !e.sourcedId) {
        malformed++;
        if (this.structure.homerooms.has(refId(e, 'class') ?? '')) yield { type: 'record', stream: 'enrollments', record: unreadable(row, e) as never };
      } else if (e.role === 'student' && this.structure.homerooms.has(refId(e, 'class') ?? '')) {
        read++;
        if (isDeleted(e)) yield { type: 'deleted', stream: 'enrollments', sourceId: idOf(e) };
        else yield { type: 'record', stream: 'enrollments', record: { ...this.structure.enrollment(e, this.config.timeZone), origin: where(row) } };
      }
      if (row.row % ROWS_PER_CHECKPOINT === 0) yield this.checkpoint('enrollments', row.row);
    }
    if (mode === 'bulk' && after === 0 && malformed === 0 && this.merged.get('enrollments')!.malformed === 0) yield { type: 'complete', stream: 'enrollments' };
    yield { type: 'progress', message: `enrollments: ${read}` };
  }

  /**
   * Line items become lessons, numbered among their class's line items that day. From a delta file,
   * the changed ones and every lesson of their days (a new one may shift its neighbours' numbers).
   */
  private *yieldLessons(): Generator<AdapterMessage> {
    const items = this.merged.get('lineItems')!;
    if (items.mode === 'absent') return;
    const zone = this.config.timeZone;
    const days = new Set([...items.changed.values()].map((i) => dayKey(i, zone)).filter((k): k is string => !!k));
    const wanted = (item: OrRecord) => items.mode === 'bulk' || items.changed.has(idOf(item)) || (days.size > 0 && days.has(dayKey(item, zone) ?? ''));
    // A lesson's number depends only on its day's line items: those of the days not wanted are not numbered.
    const onWantedDays = [...items.all.values()].filter(wanted);
    const numbers = lessonNumbers(onWantedDays, zone);
    const lessons = inWritingOrder(onWantedDays.filter((i) => this.structure.scheduled.has(refId(i, 'class') ?? '')), numbers);
    for (const item of lessons) {
      if (isDeleted(item)) yield* this.tombstone('lessons', item, 'lineItems');
      else yield { type: 'record', stream: 'lessons', record: { ...this.structure.lesson(item, numbers.get(idOf(item)) ?? null, zone), origin: items.origins.get(idOf(item)) } };
    }
    if (this.whole('lineItems')) yield { type: 'complete', stream: 'lessons' };
    yield { type: 'progress', message: `lessons: ${lessons.length}` };
  }

  /** Results become marks, streamed from results.csv; those of the school's subject classes only (results name no school). */
  private async *readMarks(after: number): AsyncGenerator<AdapterMessage> {
    const mode = this.manifest.results;
    if (mode === 'absent') return;
    const s = this.structure;
    const items = this.merged.get('lineItems')!.all;
    const classOf = (r: OrRecord) => refId(r, 'class') ?? refId(items.get(refId(r, 'lineItem') ?? '') ?? {}, 'class');
    let read = 0;
    let malformed = 0;
    for await (const row of rowsOf(this.files, 'results.csv', after)) {
      const result = recordOf('results', row);
      if (row.problem || !result.sourcedId) {
        malformed++;
        if (s.scheduled.has(classOf(result) ?? '')) yield { type: 'record', stream: 'marks', record: unreadable(row, result) as never };
      } else if (s.scheduled.has(classOf(result) ?? '')) {
        read++;
        if (isDeleted(result)) yield { type: 'deleted', stream: 'marks', sourceId: idOf(result) };
        else if (!isMark(result)) {
          // An exempt result is not a mark; from a delta file it may have been one before.
          if (mode === 'delta') yield { type: 'deleted', stream: 'marks', sourceId: idOf(result) };
        } else {
          const record = s.mark(result, items.get(refId(result, 'lineItem') ?? ''), this.config.timeZone, this.weights.of);
          yield { type: 'record', stream: 'marks', record: { ...record, origin: where(row) } };
        }
      }
      if (row.row % ROWS_PER_CHECKPOINT === 0) yield this.checkpoint('marks', row.row);
    }
    if (mode === 'bulk' && after === 0 && malformed === 0) yield { type: 'complete', stream: 'marks' };
    yield { type: 'progress', message: `marks: ${read}` };
  }

  // ---------------------------------------------------------------- what is kept for the next export

  private nextIndex(): SavedIndex {
    const live = (file: OrFile, fields?: string[]) =>
      [...this.merged.get(file)!.all.values()].filter((r) => !isDeleted(r)).map((r) => (fields ? pick(r, fields) : r));
    const users = this.merged.get('users')!.all;
    return {
      schoolId: this.schoolId,
      academicSessions: live('academicSessions'),
      courses: live('courses'),
      classes: live('classes'),
      teacherEnrollments: live('enrollments'),
      categories: live('categories'),
      roles: live('roles', ['sourcedId', 'status', 'dateLastModified', 'user', 'role', 'org']),
      users: live('users', ['sourcedId', 'status', 'dateLastModified', 'agents']),
      // A guardian's sex read from the patronymic now, as the names are not kept: their links keep their relation.
      demographics: [...users.values()].filter((u) => !isDeleted(u)).map((u) => {
        const d = this.demographicsOf(idOf(u));
        const sex = d?.sex ?? sexFromPatronymic(u.middleName);
        return pick({ sourcedId: idOf(u), dateLastModified: d?.dateLastModified, birthDate: d?.birthDate, sex }, ['sourcedId', 'dateLastModified', 'birthDate', 'sex']);
      }).filter((d) => d.birthDate !== undefined || d.sex !== undefined),
      // Tombstones kept: a deleted lesson keeps its place in the day's numbering.
      lineItems: this.keptLineItemsNext(),
    };
  }

  /** Line items no row of this export changed are kept as they were saved, not unpacked and packed again. */
  private keptLineItemsNext(): KeptLineItems {
    const items = this.merged.get('lineItems')!;
    const saved = this.base && this.state.index?.lineItems;
    if (items.mode !== 'bulk' && items.changed.size === 0 && saved && !Array.isArray(saved)) return saved;
    return keepLineItems(items.all.values());
  }
}

/** A row the adapter cannot read: passed on with its place and the problem, for the engine to quarantine. */
function unreadable(row: CsvRow, record: OrRecord) {
  return { sourceId: String(record.sourcedId ?? ''), origin: `${where(row)}: ${row.problem ?? 'it has no sourcedId'}` };
}

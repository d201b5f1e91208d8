import { AdapterContext, AdapterError, AdapterMessage, AdapterState, StreamName } from '../../contract';
import { pacedCheckpoints } from '../checkpoints';
import { addDays } from '../dates';
import { keepLineItems, KeptLineItems, keptLineItems } from '../kept';
import { CategoryWeights, dayKey, guardianLinks, inWritingOrder, isMark, lessonNumbers, People, SchoolStructure } from '../mapping';
import { idOf, isDeleted, OrRecord, refId, refIds, stampOf } from '../oneroster';
import { OneRosterClient, quote } from './client';
import { OneRosterConfig } from './config';

/** Above this many records to look up one by one, the whole collection is listed instead. */
const LOOKUP_LIMIT = 100;
/** Above this many (class, day) pairs whose lesson numbers may shift, the school's line items are listed whole. */
const DAY_LIMIT = 40;
/** A checkpoint between streams only when at least this many records came since the last (see pacedCheckpoints). */
const RECORDS_PER_CHECKPOINT = 1000;

/**
 * How long before a run began reading its watermark must lie for the next read to ask only for what
 * changed after it: the provider's web and database clocks may be that far apart. A provider whose
 * stamps all fall on midnight may stamp by the day: then a day more.
 */
const SETTLED_AFTER_MS = 5 * 60_000;
const DAY_MS = 24 * 3600_000;

const DEMOGRAPHIC_FIELDS = ['sourcedId', 'status', 'dateLastModified', 'birthDate', 'sex'];
/**
 * What a result's mark needs of its line item: the class (when the result names none) and the category.
 * Nothing more: it is what the state keeps of each line item, and what a listing for marks asks for.
 */
const MARK_LINE_ITEM_FIELDS = ['sourcedId', 'class', 'category'];

/**
 * `lineItems`: what the marks need of every line item of the school, as of the watermark, so that a
 * delta read finds the line items of changed results without listing the school's (most of what such a
 * read would fetch). Missing from a state saved before it was kept; a run without it lists once.
 */
interface RestState {
  watermark: string | null;
  settled?: true;
  lineItems?: KeptLineItems;
}

const saved = (state: RestState) => state as unknown as AdapterState;

const isKept = (value: unknown): value is KeptLineItems => {
  const kept = value as KeptLineItems | null | undefined;
  return Array.isArray(kept?.strings) && typeof kept.byClass === 'object' && kept.byClass !== null;
};
const markFieldsOf = (item: OrRecord): OrRecord => Object.fromEntries(MARK_LINE_ITEM_FIELDS.map((field) => [field, item[field]]));

const path = (...segments: string[]) => segments.map(encodeURIComponent).join('/');
const unique = <T>(values: T[]) => [...new Set(values)];
const and = (...predicates: (string | undefined)[]) => predicates.filter(Boolean).join(' AND ') || undefined;

/**
 * One read of a school: the small collections (school year, classes, courses, teacher enrollments,
 * categories) whole every run; people, student enrollments, line items and results whole on the
 * first run and, from then on, only what changed since the watermark (`dateLastModified>=`, or `>`
 * once the watermark is settled). Streams come in the engine's order, parents first, with a
 * checkpoint between them that keeps the old state (resuming from it reads again what was not
 * finished) and one at the end with the new watermark.
 */
export class SchoolReader {
  private readonly client: OneRosterClient;
  private readonly since: string | null;
  private readonly sinceMs: number | null;
  /** The saved watermark was settled: nothing the provider changed after that run began reading is stamped at it. */
  private readonly settled: boolean;
  private latest: { ms: number; text: string } | null = null;
  /** A stamp with a time of day was seen: the provider stamps finer than by the day. */
  private timeOfDaySeen = false;
  private readonly users = new Map<string, OrRecord | null>();
  private readonly demographics = new Map<string, OrRecord | null>();
  /** Line items read in this run: the freshest copies. */
  private readonly lineItems = new Map<string, OrRecord>();
  /** What the saved state kept of the school's line items (delta reads only), as saved and as records by id. */
  private readonly keptLineItems: KeptLineItems | undefined;
  private readonly kept = new Map<string, OrRecord>();
  private schoolUsersListed = false;
  private demographicsListed = false;
  private lineItemsListed = false;
  private structure!: SchoolStructure;
  private people!: People;

  constructor(private readonly config: OneRosterConfig, state: AdapterState | null, private readonly ctx: AdapterContext) {
    this.client = new OneRosterClient(config, ctx, (record) => this.saw(record));
    const watermark = state?.watermark;
    const ms = typeof watermark === 'string' ? Date.parse(watermark) : NaN;
    if (typeof watermark === 'string' && Number.isNaN(ms)) ctx.log('the saved watermark cannot be read: reading everything again', { watermark });
    this.since = Number.isNaN(ms) ? null : (watermark as string);
    this.sinceMs = Number.isNaN(ms) ? null : ms;
    this.settled = this.since !== null && state?.settled === true;
    if (this.since !== null && isKept(state?.lineItems)) {
      this.keptLineItems = state.lineItems;
      for (const item of keptLineItems(this.keptLineItems)!) this.kept.set(idOf(item), item);
    }
  }

  private get full() {
    return this.since === null;
  }

  private get school() {
    return this.config.schoolSourcedId;
  }

  /** The watermark moves to the latest dateLastModified seen (a malformed stamp never moves it). */
  private saw(record: OrRecord) {
    const ms = stampOf(record);
    if (ms === null) return;
    if (this.latest === null || ms > this.latest.ms) this.latest = { ms, text: record.dateLastModified as string };
    if (ms % DAY_MS !== 0) this.timeOfDaySeen = true;
  }

  /**
   * `dateLastModified>=` the watermark: ">=" so that a change stamped at the watermark itself after the
   * last run read is not lost (what is read again is unchanged, and upserts are idempotent). Once the
   * watermark is settled no change can be stamped at it any more: `>`, and what was stamped at the
   * watermark (a bulk load stamps thousands of records alike) is not read again every run.
   */
  private get changedSince() {
    return this.since === null ? undefined : `dateLastModified${this.settled ? '>' : '>='}${quote(this.since)}`;
  }

  /**
   * The state to save with a watermark. It is settled when the provider's clock (the Date of its first
   * answer in this run) was already SETTLED_AFTER_MS past it: whatever the provider changes after this
   * run read is stamped later than the watermark, and what was stamped at it before, this run read.
   */
  private stateWith(watermark: string | null): AdapterState {
    const at = this.client.firstAnsweredAt;
    const ms = watermark === null ? NaN : Date.parse(watermark);
    const margin = SETTLED_AFTER_MS + (this.timeOfDaySeen ? 0 : DAY_MS);
    const settled = at != null && !Number.isNaN(ms) && at - ms >= margin;
    return saved({ watermark, ...(settled && { settled: true }), lineItems: this.lineItemsToKeep() });
  }

  /** The kept line items with what this run read of them laid over (every line item a delta read changed is among those). */
  private lineItemsToKeep(): KeptLineItems {
    const all = new Map(this.kept);
    for (const [id, item] of this.lineItems) all.set(id, item);
    return keepLineItems([...all.values()].map(markFieldsOf));
  }

  /** A tombstone to report: every one on a full read; on a delta read, those the last run had not seen. */
  private isNewTombstone(record: OrRecord) {
    if (this.sinceMs === null) return true;
    const ms = stampOf(record);
    return ms === null || ms > this.sinceMs;
  }

  /** The state this run started from: resuming from it reads again what changed since its watermark, line items included. */
  private resume(): AdapterMessage {
    return { type: 'checkpoint', state: saved({ watermark: this.since, ...(this.settled && { settled: true }), lineItems: this.keptLineItems }) };
  }

  private progress(message: string): AdapterMessage {
    return { type: 'progress', message: `${message} (${this.client.requests} requests so far)` };
  }

  async *read(): AsyncGenerator<AdapterMessage> {
    const school = await this.client.get('rostering', path('schools', this.school), 'org');
    if (!school) throw unknownSchool(this.school);
    yield this.progress(this.full ? 'full read of the school' : `reading changes since ${this.since}`);
    yield* pacedCheckpoints(this.streams(), RECORDS_PER_CHECKPOINT);
    // A state saved before line items were kept: they are listed once, to be kept from now on.
    if (this.keptLineItems === undefined && !this.lineItemsListed) await this.listLineItemsForMarks();
    // The latest stamp seen, never earlier than the old watermark (the small collections read whole carry old stamps).
    const moved = this.latest !== null && (this.sinceMs === null || this.latest.ms > this.sinceMs);
    yield { type: 'checkpoint', state: this.stateWith(moved ? this.latest!.text : this.since) };
  }

  private async *streams(): AsyncGenerator<AdapterMessage> {
    yield* this.readStructure();
    yield* this.readPeople();
    yield this.resume();
    yield* this.yieldClasses();
    yield this.resume();
    yield* this.readEnrollments();
    yield this.resume();
    yield* this.readLessons();
    yield this.resume();
    yield* this.readMarks();
  }

  // ---------------------------------------------------------------- school year, classes, courses

  private async *readStructure(): AsyncGenerator<AdapterMessage> {
    const sessions = await this.client.all('rostering', 'academicSessions', 'academicSessions');
    const classes = await this.client.all('rostering', path('schools', this.school, 'classes'), 'classes');
    const courses = await this.client.all('rostering', path('schools', this.school, 'courses'), 'courses');
    const teachers = await this.client.all('rostering', path('schools', this.school, 'enrollments'), 'enrollments', { filter: "role='teacher'" });
    const categories = await this.client.all('gradebook', 'categories', 'categories');
    this.structure = new SchoolStructure(this.school, sessions, classes, courses, teachers, categories);
    this.people = new People(this.school, this.structure.teacherIds());

    for (const year of this.structure.years) {
      if (isDeleted(year)) yield* this.tombstone('academicYears', year);
      else yield { type: 'record', stream: 'academicYears', record: this.structure.academicYear(year) };
    }
    yield { type: 'complete', stream: 'academicYears' };
    for (const year of this.structure.years) {
      for (const term of this.structure.termsByYear.get(idOf(year)) ?? []) if (isDeleted(term)) yield* this.tombstone('terms', term);
      if (isDeleted(year)) continue;
      for (const record of this.structure.terms(year)) yield { type: 'record', stream: 'terms', record };
    }
    yield { type: 'complete', stream: 'terms' };
  }

  private *yieldClasses(): Generator<AdapterMessage> {
    const s = this.structure;
    for (const [id, { record }] of s.homerooms) {
      if (isDeleted(record)) yield* this.tombstone('classGroups', record);
      else yield { type: 'record', stream: 'classGroups', record: s.classGroup(id) };
    }
    yield { type: 'complete', stream: 'classGroups' };
    for (const [id, cls] of s.scheduled) {
      if (isDeleted(cls)) yield* this.tombstone('courses', cls);
      else yield { type: 'record', stream: 'courses', record: s.course(id) };
    }
    yield { type: 'complete', stream: 'courses' };
    const { records, tombstones } = s.courseTeachers();
    for (const e of tombstones) yield* this.tombstone('courseTeachers', e);
    for (const record of records) yield { type: 'record', stream: 'courseTeachers', record };
    yield { type: 'complete', stream: 'courseTeachers' };
  }

  private *tombstone(stream: StreamName, record: OrRecord, sourceId = idOf(record)): Generator<AdapterMessage> {
    if (this.isNewTombstone(record)) yield { type: 'deleted', stream, sourceId };
  }

  // ---------------------------------------------------------------- people

  /** Users by id, from what was read or one by one (a guardian may be registered at another org). */
  private async ensureUsers(ids: string[]) {
    const missing = unique(ids).filter((id) => !this.users.has(id));
    if (missing.length > LOOKUP_LIMIT && !this.schoolUsersListed) await this.listSchoolUsers();
    for (const id of missing) if (!this.users.has(id)) this.users.set(id, await this.client.get('rostering', path('users', id), 'user'));
  }

  private async listSchoolUsers(): Promise<OrRecord[]> {
    const listed = await this.client.all('rostering', 'users', 'users', { filter: `roles.org.sourcedId=${quote(this.school)}` });
    for (const u of listed) this.users.set(idOf(u), u);
    this.schoolUsersListed = true;
    return listed;
  }

  private async ensureDemographics(ids: string[]) {
    if (this.demographicsListed) return;
    const missing = unique(ids).filter((id) => !this.demographics.has(id));
    if (missing.length > LOOKUP_LIMIT) await this.listDemographics();
    for (const id of missing) {
      if (!this.demographics.has(id)) this.demographics.set(id, this.demographicsListed ? null : await this.client.get('rostering', path('demographics', id), 'demographics'));
    }
  }

  private async listDemographics(filter?: string): Promise<OrRecord[]> {
    const listed = await this.client.all('rostering', 'demographics', 'demographics', { filter, fields: DEMOGRAPHIC_FIELDS });
    for (const d of listed) this.demographics.set(idOf(d), d);
    if (!filter) this.demographicsListed = true;
    return listed;
  }

  private demographicsOf(id: string): OrRecord | null {
    const d = this.demographics.get(id);
    return d && !isDeleted(d) ? d : null;
  }

  /**
   * The school's people that changed (all of them on a full read): staff and students by their roles
   * at the school, guardians by theirs or because a student of the school names them among its
   * agents, and the student–guardian links from the agents of both sides.
   */
  private async *readPeople(): AsyncGenerator<AdapterMessage> {
    const p = this.people;
    let candidates: OrRecord[];
    if (this.full) {
      candidates = await this.listSchoolUsers();
      // A teacher of the school's classes may hold the role at the district: staff all the same.
      const listed = new Set(candidates.map(idOf));
      const elsewhere = [...this.structure.teacherIds()].filter((id) => !listed.has(id));
      await this.ensureUsers(elsewhere);
      candidates.push(...elsewhere.map((id) => this.users.get(id)).filter((u): u is OrRecord => !!u));
      await this.listDemographics();
    } else {
      const changed = await this.client.all('rostering', 'users', 'users', { filter: this.changedSince });
      for (const u of changed) this.users.set(idOf(u), u);
      const changedIds = new Set(changed.map(idOf));
      // A changed birth date or sex changes the person (or a link) though the user record did not change.
      const demographicsOnly = (await this.listDemographics(this.changedSince)).map(idOf).filter((id) => !changedIds.has(id));
      if (demographicsOnly.length > LOOKUP_LIMIT && !this.schoolUsersListed) await this.listSchoolUsers();
      if (!this.schoolUsersListed) await this.ensureUsers(demographicsOnly);
      candidates = [...changed, ...demographicsOnly.map((id) => this.users.get(id)).filter((u): u is OrRecord => !!u)];
      // A guardian registered elsewhere belongs to the school through a child of the school.
      await this.ensureUsers(candidates.filter((u) => p.isGuardian(u) && !p.belongs(u)).flatMap((g) => refIds(g, 'agents')));
      candidates = candidates.filter((u) => p.belongs(u) || (p.isGuardian(u) && refIds(u, 'agents').some((id) => p.isStudent(this.users.get(id)))));
    }
    const students = candidates.filter((u) => p.isStudent(u));
    const staff = candidates.filter((u) => p.staffPositions(u).length > 0);
    await this.ensureUsers(students.filter((s) => !isDeleted(s)).flatMap((s) => refIds(s, 'agents')));
    const guardians = new Map(candidates.filter((u) => p.isGuardian(u)).map((g) => [idOf(g), g]));
    for (const s of students) {
      if (isDeleted(s)) continue;
      for (const id of refIds(s, 'agents')) {
        const g = this.users.get(id);
        if (g && p.isGuardian(g) && !guardians.has(id)) guardians.set(id, g);
      }
    }
    await this.ensureUsers([...guardians.values()].filter((g) => !isDeleted(g)).flatMap((g) => refIds(g, 'agents')));
    await this.ensureDemographics([...students, ...guardians.values()].map(idOf));

    const { links, deleted: deletedLinks } = guardianLinks(p, students, guardians.values(), (id) => this.users.get(id));

    for (const u of staff) {
      if (isDeleted(u)) yield* this.tombstone('staff', u);
      else yield { type: 'record', stream: 'staff', record: p.staff(u) };
    }
    for (const u of students) {
      if (isDeleted(u)) yield* this.tombstone('students', u);
      else yield { type: 'record', stream: 'students', record: p.student(u, this.demographicsOf(idOf(u))) };
    }
    for (const g of guardians.values()) {
      if (isDeleted(g)) yield* this.tombstone('guardians', g);
      else yield { type: 'record', stream: 'guardians', record: p.guardian(g) };
    }
    for (const [id, tombstone] of deletedLinks) yield* this.tombstone('studentGuardians', tombstone, id);
    for (const { student, guardian } of links.values()) {
      yield { type: 'record', stream: 'studentGuardians', record: p.link(student, guardian, this.demographicsOf(idOf(guardian))) };
    }
    if (this.full) for (const stream of ['staff', 'students', 'guardians', 'studentGuardians'] as const) yield { type: 'complete', stream };
    yield this.progress(`people: ${staff.length} staff, ${students.length} students, ${guardians.size} guardians`);
  }

  // ---------------------------------------------------------------- enrollments

  private async *readEnrollments(): AsyncGenerator<AdapterMessage> {
    let count = 0;
    const filter = and("role='student'", this.changedSince);
    for await (const page of this.client.pages('rostering', path('schools', this.school, 'enrollments'), 'enrollments', { filter })) {
      for (const e of page) {
        // Enrollments in subject classes follow from the class group's (a whole-class course takes its roster from it).
        if (!this.structure.homerooms.has(refId(e, 'class') ?? '')) continue;
        count++;
        if (isDeleted(e)) yield* this.tombstone('enrollments', e);
        else yield { type: 'record', stream: 'enrollments', record: this.structure.enrollment(e, this.config.timeZone) };
      }
    }
    if (this.full) yield { type: 'complete', stream: 'enrollments' };
    yield this.progress(`enrollments: ${count}`);
  }

  // ---------------------------------------------------------------- lessons

  private async listSchoolLineItems(filter?: string, fields?: string[]): Promise<OrRecord[]> {
    const items = await this.client.all('gradebook', 'lineItems', 'lineItems', { filter: and(`school.sourcedId=${quote(this.school)}`, filter), fields });
    for (const item of items) this.lineItems.set(idOf(item), item);
    if (!filter) this.lineItemsListed = true;
    return items;
  }

  private dayKey(item: OrRecord): string | undefined {
    return dayKey(item, this.config.timeZone);
  }

  /**
   * Line items become lessons, numbered by their order among the class's line items that day. On a
   * delta read a changed line item may shift its neighbours' numbers, so the whole day of its class is
   * read again (and yielded: the unchanged ones stay unchanged).
   */
  private async *readLessons(): AsyncGenerator<AdapterMessage> {
    let wanted: (item: OrRecord) => boolean;
    let changed: Map<string, OrRecord>;
    if (this.full) {
      changed = new Map((await this.listSchoolLineItems()).map((i) => [idOf(i), i]));
      wanted = () => true;
    } else {
      changed = new Map((await this.listSchoolLineItems(this.changedSince)).map((i) => [idOf(i), i]));
      // Days of the school's subject classes only: a line item naming a class the school does not have is
      // yielded as it is (and quarantined), not looked into.
      const days = new Set([...changed.values()].map((i) => this.dayKey(i)).filter((k): k is string => !!k && this.structure.scheduled.has(k.split('|')[0])));
      if (days.size > DAY_LIMIT) {
        await this.listSchoolLineItems();
      } else {
        for (const day of days) {
          const [classId, date] = day.split('|');
          const filter = `assignDate>=${quote(addDays(date, -1))} AND assignDate<${quote(addDays(date, 2))}`;
          const around = await this.client.all('gradebook', path('classes', classId, 'lineItems'), 'lineItems', { filter });
          for (const item of around) if (!changed.has(idOf(item))) this.lineItems.set(idOf(item), item);
        }
      }
      // What changed is the freshest copy.
      for (const [id, item] of changed) this.lineItems.set(id, item);
      wanted = (item) => changed.has(idOf(item)) || days.has(this.dayKey(item) ?? '');
    }

    const numbers = lessonNumbers(this.lineItems.values(), this.config.timeZone);
    const lessons = inWritingOrder(
      [...this.lineItems.values()].filter((item) => wanted(item) && !this.structure.homerooms.has(refId(item, 'class') ?? '')), // the class hour is not a course
      numbers,
    );
    for (const item of lessons) {
      if (isDeleted(item)) {
        if (changed.has(idOf(item))) yield* this.tombstone('lessons', item);
      } else {
        yield { type: 'record', stream: 'lessons', record: this.structure.lesson(item, numbers.get(idOf(item)) ?? null, this.config.timeZone) };
      }
    }
    const count = lessons.length;
    if (this.full) yield { type: 'complete', stream: 'lessons' };
    yield this.progress(`lessons: ${count}`);
  }

  // ---------------------------------------------------------------- marks

  /** A line item for a result's mark: as read in this run, else as kept from the last. */
  private lineItemOf(id: string): OrRecord | undefined {
    return this.lineItems.get(id) ?? this.kept.get(id);
  }

  /** The school's line items with only what marks need (after the lessons, which need more). */
  private async listLineItemsForMarks() {
    await this.listSchoolLineItems(undefined, MARK_LINE_ITEM_FIELDS);
  }

  /**
   * Line items of results, for their marks. Listed whole when many are missing, or when none were kept
   * (the listing is to be kept at the end anyway).
   */
  private async ensureLineItems(ids: string[]) {
    const missing = unique(ids).filter((id) => !this.lineItemOf(id));
    if (missing.length > 0 && (missing.length > LOOKUP_LIMIT || this.keptLineItems === undefined) && !this.lineItemsListed) await this.listLineItemsForMarks();
    for (const id of missing) {
      if (this.lineItemOf(id)) continue;
      const item = await this.client.get('gradebook', path('lineItems', id), 'lineItem');
      if (item) this.lineItems.set(id, item);
    }
  }

  private readonly weights = new CategoryWeights((message, details) => this.ctx.log(message, details));

  /**
   * Results become marks. Results carry no school: a full read takes the provider's whole list when
   * this school is the only one it serves, else goes class by class; a delta read takes the provider's
   * changed results and keeps those of the school's classes. A changed category (its title or weight
   * is in every mark of it) makes the read whole.
   */
  private async *readMarks(): AsyncGenerator<AdapterMessage> {
    const categoriesChanged = !this.full && [...this.structure.categories.values()].some((c) => (stampOf(c) ?? -Infinity) > this.sinceMs!);
    this.marksRead = 0;
    if (this.full || categoriesChanged) {
      if ((await this.client.first('rostering', 'schools', 'orgs', { limit: 2 })).length <= 1) {
        for await (const page of this.client.pages('gradebook', 'results', 'results')) yield* this.takeResults(page, 'all');
      } else {
        for (const classId of [...this.structure.scheduled.keys()].sort()) {
          for await (const page of this.client.pages('gradebook', path('classes', classId, 'results'), 'results')) yield* this.takeResults(page, 'class');
        }
      }
      yield { type: 'complete', stream: 'marks' };
    } else {
      for await (const page of this.client.pages('gradebook', 'results', 'results', { filter: this.changedSince })) yield* this.takeResults(page, 'changed');
    }
    yield this.progress(`marks: ${this.marksRead}`);
  }

  private marksRead = 0;

  /**
   * A page of results: of one class (`class`), of a provider that serves only this school (`all`), or
   * the provider's changed results (`changed`), of which only the school's subject classes' are kept —
   * a result naming another class is not looked into further.
   */
  private async *takeResults(page: OrRecord[], source: 'class' | 'all' | 'changed'): AsyncGenerator<AdapterMessage> {
    const s = this.structure;
    const candidates = source === 'changed' ? page.filter((r) => { const c = refId(r, 'class'); return c === undefined || s.scheduled.has(c); }) : page;
    await this.ensureLineItems(candidates.map((r) => refId(r, 'lineItem')).filter((id): id is string => !!id));
    for (const result of candidates) {
      const lineItem = this.lineItemOf(refId(result, 'lineItem') ?? '');
      const classId = refId(result, 'class') ?? (lineItem && refId(lineItem, 'class'));
      // The homeroom class hour has no lessons in the hub, so no marks either.
      if (source === 'changed' ? !s.scheduled.has(classId ?? '') : source === 'all' && s.homerooms.has(classId ?? '')) continue;
      this.marksRead++;
      if (isDeleted(result)) {
        yield* this.tombstone('marks', result);
      } else if (!isMark(result)) {
        // An exempt result is not a mark; on a delta read it may have been one before.
        if (source === 'changed') yield* this.tombstone('marks', result);
      } else {
        yield { type: 'record', stream: 'marks', record: s.mark(result, lineItem, this.config.timeZone, this.weights.of) };
      }
    }
  }
}

export function unknownSchool(id: string) {
  return new AdapterError('config',
    `The OneRoster provider has no school with sourcedId "${id}". Check «Идентификатор школы у поставщика» (schoolSourcedId): "Find the school" lists the provider's schools.`);
}

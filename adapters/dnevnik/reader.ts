import { AdapterContext, AdapterError, AdapterMessage, AdapterState, CourseRecord, StreamName } from '../contract';
import { DnevnikClient } from './client';
import { DnevnikConfig } from './config';
import { idOf, idsOf, isRecord, localDate, text, VendorRecord } from './json';
import {
  attendance, finalMark, isMark, lesson, lessonSubjectId, mark, parseClassName, personRecord, termKindOf, unwrapPerson, WorkTypeInfo, worksOf,
} from './mapping';

/** Kogalym (UTC+5), when the school does not say its offset. */
const DEFAULT_OFFSET_HOURS = 5;
/** Lessons are read this far past today: next week's homework is already set. */
const DAYS_AHEAD = 7;
/** Lesson ids per lesson-log-entries request, to keep the URL short. */
const LESSONS_PER_LOG_REQUEST = 40;
/** A mark whose lesson has not turned up in this many weeks is passed on (the engine quarantines it if the lesson is unknown). */
const PENDING_WEEKS = 2;

/**
 * The saved state. Every run reads the school whole (Dnevnik.ru has no change feed); `resumeFrom` is set
 * only while a run is under way: the Monday of the first week not yet committed, so that a run that
 * failed resumes there instead of starting over.
 */
export interface ReadState {
  resumeFrom?: string | null;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

const mondayOf = (date: string) => addDays(date, -((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7));

/** Runs `fn` over the items, at most `limit` at a time; results in the items' order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface Unit {
  groupId: string;
  monday: string;
}

interface UnitData {
  lessons: { lesson: VendorRecord; works: VendorRecord[] }[];
  marks: VendorRecord[];
  entries: VendorRecord[];
}

interface Group {
  record: VendorRecord;
  id: string;
  /** The class a subgroup belongs to; a class's own id. */
  classId: string | undefined;
  isSubgroup: boolean;
  subjects: VendorRecord[];
  periods: VendorRecord[];
  members: { person: VendorRecord; archived: boolean }[];
}

export function unknownSchool(id: string) {
  return new AdapterError('config',
    `Dnevnik.ru has no school with id ${id} that this token can read. Check «Идентификатор школы в Дневник.ру» (schoolId): "Find the school" lists the token's schools.`);
}

/**
 * Reads one school: its structure (classes and subgroups, subjects, reporting periods, students with
 * archived ones, teachers, work types) and term marks whole, then lessons, marks and attendance
 * class-week by class-week — in parallel up to the configured limit, at the configured rate — with a
 * checkpoint after each week.
 */
export class SchoolReader {
  private readonly client: DnevnikClient;
  private offsetHours = DEFAULT_OFFSET_HOURS;
  private readonly groups = new Map<string, Group>();
  private readonly courses = new Set<string>();
  private readonly subjectNames = new Map<string, string>();
  private readonly workTypes = new Map<string, WorkTypeInfo>();
  private readonly courseTeachers = new Set<string>();
  private readonly seenLessons = new Set<string>();
  private readonly pending = new Map<string, { mark: VendorRecord; monday: string }>();
  private readonly workKinds = new Map<string, string>();
  /** A reporting period's id → the id of the term it is (periods with the same dates are one term). */
  private readonly termOf = new Map<string, string>();
  private readonly counts = { lessons: 0, marks: 0, attendance: 0 };

  constructor(
    private readonly config: DnevnikConfig,
    private readonly state: ReadState | null,
    ctx: AdapterContext,
  ) {
    this.client = new DnevnikClient(config, ctx);
  }

  async *read(): AsyncGenerator<AdapterMessage> {
    const schoolId = this.config.schoolId;
    const school = await this.client.get(`schools/${schoolId}`);
    if (!isRecord(school)) throw unknownSchool(schoolId);
    if (typeof school.timeZone === 'number' && Math.abs(school.timeZone) <= 14) this.offsetHours = school.timeZone;

    yield* this.readStructure();
    yield* this.readFinalMarks();
    // Structure and term marks are in: a failure in the walk below resumes from here, not from the start.
    const resumeFrom = this.state?.resumeFrom ?? null;
    yield { type: 'checkpoint', state: { resumeFrom } satisfies ReadState as AdapterState };

    const whole = yield* this.walk(resumeFrom);
    const always: StreamName[] = ['academicYears', 'terms', 'staff', 'students', 'classGroups', 'courseStudents', 'enrollments', 'finalMarks'];
    const walked: StreamName[] = ['courses', 'courseTeachers', 'lessons', 'marks', 'attendance'];
    for (const stream of whole ? [...always, ...walked] : always) yield { type: 'complete', stream };
    yield { type: 'checkpoint', state: {} };
    yield this.progress(`done: ${this.counts.lessons} lessons, ${this.counts.marks} marks, ${this.counts.attendance} attendance records${whole ? '' : ' (resumed: the weeks before were read by the run that failed)'}`);
  }

  private progress(message: string): AdapterMessage {
    return { type: 'progress', message: `${message}; ${this.client.requests} requests` };
  }

  // ---------------------------------------------------------------- structure

  private async *readStructure(): AsyncGenerator<AdapterMessage> {
    const schoolId = this.config.schoolId;
    const listed = (await this.client.list(`schools/${schoolId}/edu-groups`)).filter(isRecord);
    const details = await mapLimited(listed, this.config.parallelism, async (record) => {
      const id = idOf(record) as string;
      const isSubgroup = record.type === 'Subgroup';
      const [subjects, periods, members] = [
        (await this.client.list(`edu-groups/${id}/subjects`)).filter(isRecord),
        isSubgroup ? [] : (await this.client.list(`edu-groups/${id}/reporting-periods`)).filter(isRecord),
        // Archived (left) students too: their marks stay with them.
        (await this.client.list(`edu-groups/${id}/students`, [['includeArchive', 'true']])).map(unwrapPerson).filter((m) => m !== null),
      ];
      const group: Group = { record, id, classId: isSubgroup ? idsOf(record, 'parentIds')[0] : id, isSubgroup, subjects, periods, members };
      return group;
    });
    for (const g of details) this.groups.set(g.id, g);
    const teachers = (await this.client.list(`schools/${schoolId}/teachers`)).map(unwrapPerson).filter((m) => m !== null);
    for (const t of (await this.client.list(`work-types/${schoolId}`)).filter(isRecord)) {
      this.workTypes.set(idOf(t) as string, { kind: text(t.kind), title: text(t.title) ?? text(t.name), weight: t.weight });
    }
    const classes = details.filter((g) => !g.isSubgroup);

    const years = new Map<string, number>();
    for (const c of classes) if (typeof c.record.studyyear === 'number') years.set(String(c.record.studyyear), c.record.studyyear);
    for (const [id, year] of years) {
      yield { type: 'record', stream: 'academicYears', record: { sourceId: id, label: `${year}/${year + 1}`, startsOn: `${year}-09-01`, endsOn: `${year + 1}-08-31` } };
    }
    // Parallels may have periods of their own with the same dates: one term each, the first period's id.
    const terms = new Map<string, string>();
    for (const c of classes) {
      const periods = [...c.periods].sort((a, b) => String(a.start).localeCompare(String(b.start)));
      const kind = termKindOf(periods);
      for (const [i, p] of periods.entries()) {
        const id = idOf(p) as string;
        // A period shared by several classes is one term.
        if (this.termOf.has(id)) continue;
        const key = `${p.year ?? c.record.studyyear}|${kind}|${localDate(p.start)}|${localDate(p.finish)}`;
        const same = terms.get(key);
        this.termOf.set(id, same ?? id);
        if (same !== undefined) continue;
        terms.set(key, id);
        yield {
          type: 'record', stream: 'terms',
          record: {
            sourceId: id, academicYearSourceId: String(p.year ?? c.record.studyyear), kind: kind as 'quarter', number: i + 1,
            name: text(p.name) ?? `${i + 1}`, startsOn: (localDate(p.start) ?? p.start) as string, endsOn: (localDate(p.finish) ?? p.finish) as string,
          },
        };
      }
    }
    for (const { person } of teachers) yield { type: 'record', stream: 'staff', record: { ...personRecord(person), positions: ['teacher'] } };

    const students = new Map<string, VendorRecord>();
    for (const c of classes) for (const { person } of c.members) students.set(idOf(person) as string, person);
    for (const person of students.values()) {
      yield { type: 'record', stream: 'students', record: { ...personRecord(person), birthDate: localDate(person.birthday ?? person.birthDate) ?? null } };
    }
    for (const c of classes) {
      const name = parseClassName(c.record.name ?? c.record.fullName);
      yield {
        type: 'record', stream: 'classGroups',
        record: {
          sourceId: c.id, academicYearSourceId: String(c.record.studyyear),
          gradeLevel: (typeof c.record.parallel === 'number' ? c.record.parallel : name?.grade) as number, letter: name?.letter as string,
          termKind: termKindOf(c.periods),
        },
      };
    }
    for (const g of details) {
      for (const s of g.subjects) {
        const subjectId = idOf(s) as string;
        if (text(s.name)) this.subjectNames.set(subjectId, text(s.name)!);
        yield* this.course(g.id, subjectId);
      }
    }
    for (const g of details.filter((x) => x.isSubgroup)) {
      for (const s of g.subjects) {
        for (const { person, archived } of g.members) {
          if (archived) continue;
          const courseSourceId = `${g.id}:${idOf(s)}`;
          yield { type: 'record', stream: 'courseStudents', record: { sourceId: `${courseSourceId}:${idOf(person)}`, courseSourceId, studentSourceId: idOf(person) as string } };
        }
      }
    }
    for (const c of classes) {
      for (const { person, archived } of c.members) {
        // An archived student has left the class: no enrollment (the vendor gives no leaving date), the student and their marks stay.
        if (archived) continue;
        yield {
          type: 'record', stream: 'enrollments',
          record: { sourceId: `${c.id}:${idOf(person)}`, studentSourceId: idOf(person) as string, classGroupSourceId: c.id, startsOn: `${c.record.studyyear}-09-01` },
        };
      }
    }
    yield this.progress(`structure: ${classes.length} classes, ${details.length - classes.length} subgroups, ${students.size} students, ${teachers.length} teachers`);
  }

  /** A course is a group's subject: a class's, or a subgroup's (of its class, named after the subgroup). */
  private *course(groupId: string, subjectId: string): Generator<AdapterMessage> {
    const sourceId = `${groupId}:${subjectId}`;
    if (this.courses.has(sourceId)) return;
    this.courses.add(sourceId);
    const g = this.groups.get(groupId);
    const vendorName = this.subjectNames.get(subjectId);
    const record: CourseRecord = {
      sourceId,
      classGroupSourceId: g?.classId as string,
      subjectName: vendorName as string,
      subgroup: g?.isSubgroup ? text(g.record.name) ?? g.id : null,
    };
    yield { type: 'record', stream: 'courses', record };
  }

  /** The course a student's mark in a class's subject belongs to: their subgroup's, when the subject is taught in subgroups. */
  private courseFor(classId: string, subjectId: string, personId: string): string {
    for (const g of this.groups.values()) {
      if (g.isSubgroup && g.classId === classId && this.courses.has(`${g.id}:${subjectId}`) && g.members.some((m) => idOf(m.person) === personId)) return `${g.id}:${subjectId}`;
    }
    return `${classId}:${subjectId}`;
  }

  private async *readFinalMarks(): AsyncGenerator<AdapterMessage> {
    const classes = [...this.groups.values()].filter((g) => !g.isSubgroup);
    const lists = await mapLimited(classes, this.config.parallelism, (c) => this.client.list(`edu-groups/${c.id}/final-marks`));
    let count = 0;
    for (const [i, rows] of lists.entries()) {
      const classId = classes[i].id;
      for (const row of rows.filter(isRecord)) {
        const person = idOf(row, 'person') as string;
        const given = idOf(row, 'reportingPeriod');
        const period = given === undefined ? null : this.termOf.get(given) ?? given;
        const perSubject = row['per-subject-final-marks'] ?? row.perSubjectFinalMarks;
        for (const entry of Array.isArray(perSubject) ? perSubject.filter(isRecord) : []) {
          const m = entry['final-mark'] ?? entry.finalMark;
          if (!isRecord(m) || !isMark(m)) continue;
          const subject = idOf(entry, 'subject') as string;
          const courseSourceId = this.courseFor(classId, subject, person);
          count++;
          yield {
            type: 'record', stream: 'finalMarks',
            record: finalMark(m, { sourceId: `${courseSourceId}:${person}:${period ?? 'year'}`, courseSourceId, studentSourceId: person, termSourceId: period }),
          };
        }
      }
    }
    yield this.progress(`term marks: ${count}`);
  }

  // ---------------------------------------------------------------- the walk

  /** The weeks to read: from the first reporting period's Monday to a week past today (the school's today), within the year. */
  private weeks(): string[] {
    const periods = [...this.groups.values()].flatMap((g) => g.periods);
    const starts = periods.map((p) => localDate(p.start)).filter((d): d is string => !!d).sort();
    const ends = periods.map((p) => localDate(p.finish)).filter((d): d is string => !!d).sort();
    const years = [...this.groups.values()].map((g) => g.record.studyyear).filter((y): y is number => typeof y === 'number');
    const first = starts[0] ?? (years.length ? `${Math.min(...years)}-09-01` : undefined);
    if (!first) return [];
    const today = new Date(Date.now() + this.offsetHours * 3_600_000).toISOString().slice(0, 10);
    const yearEnd = ends.at(-1) ?? addDays(first, 364);
    const last = [yearEnd, addDays(today, DAYS_AHEAD)].sort()[0];
    const weeks: string[] = [];
    for (let monday = mondayOf(first); monday <= last; monday = addDays(monday, 7)) weeks.push(monday);
    return weeks;
  }

  /**
   * Lessons, marks and attendance class-week by class-week, at most `parallelism` class-weeks at a time,
   * yielded in order with a checkpoint after each week. Returns whether the walk began at the start.
   */
  private async *walk(resumeFrom: string | null): AsyncGenerator<AdapterMessage, boolean> {
    const all = this.weeks();
    // A resumed walk reads the week before its checkpoint again, so that marks given this week on last week's lessons find them.
    const from = resumeFrom ? addDays(mondayOf(resumeFrom), -7) : null;
    const weeks = from ? all.filter((w) => w >= from) : all;
    const whole = weeks.length === all.length;
    const groupIds = [...this.groups.keys()];
    const units: Unit[] = weeks.flatMap((monday) => groupIds.map((groupId) => ({ groupId, monday })));
    yield this.progress(whole ? `reading ${all.length} weeks of ${groupIds.length} classes and subgroups` : `resuming at the week of ${resumeFrom}: ${weeks.length} of ${all.length} weeks left`);

    const running: Promise<UnitData>[] = [];
    let launched = 0;
    let inFlight = 0;
    const launch = () => {
      while (inFlight < this.config.parallelism && launched < units.length) {
        const promise = this.readUnit(units[launched]).finally(() => inFlight--);
        // Awaited in order below; until then a failure must not count as unhandled.
        promise.catch(() => {});
        running.push(promise);
        launched++;
        inFlight++;
      }
    };
    for (let i = 0; i < units.length; i++) {
      launch();
      const data = await running[i];
      yield* this.take(units[i], data);
      launch();
      const weekDone = i === units.length - 1 || units[i + 1].monday !== units[i].monday;
      if (!weekDone) continue;
      const monday = units[i].monday;
      const next = addDays(monday, 7);
      // On a resumed walk the first week's unmatched marks were committed by the failed run, or their lessons were.
      if (!whole && monday === weeks[0]) yield* this.flushPending(() => true);
      yield* this.flushPending((p) => p.monday <= addDays(monday, -7 * PENDING_WEEKS));
      const oldestPending = [...this.pending.values()].map((p) => p.monday).sort()[0];
      yield { type: 'checkpoint', state: { resumeFrom: oldestPending && oldestPending < next ? oldestPending : next } satisfies ReadState as AdapterState };
      yield this.progress(`week ${all.indexOf(monday) + 1}/${all.length} (${monday}) read: ${this.counts.lessons} lessons, ${this.counts.marks} marks, ${this.counts.attendance} attendance records so far`);
    }
    yield* this.flushPending(() => true);
    return whole;
  }

  private async readUnit({ groupId, monday }: Unit): Promise<UnitData> {
    const sunday = addDays(monday, 6);
    const listed = (await this.client.list(`edu-groups/${groupId}/lessons/${monday}/${sunday}`)).filter(isRecord);
    const lessons = [];
    for (const l of listed) {
      // Works may come as objects beside the lesson or as bare ids: then they are read by lesson.
      const inline = Array.isArray(l.works) && l.works.some((w) => !isRecord(w));
      lessons.push({ lesson: l, works: inline ? (await this.client.list(`lessons/${idOf(l)}/works`)).filter(isRecord) : worksOf(l) });
    }
    const marks = (await this.client.list(`edu-groups/${groupId}/marks/${monday}/${sunday}`)).filter(isRecord);
    const ids = listed.map((l) => idOf(l)).filter((id): id is string => !!id);
    const entries: VendorRecord[] = [];
    for (let i = 0; i < ids.length; i += LESSONS_PER_LOG_REQUEST) {
      const chunk = ids.slice(i, i + LESSONS_PER_LOG_REQUEST);
      entries.push(...(await this.client.list('lesson-log-entries', chunk.map((id) => ['lessons', id]))).filter(isRecord));
    }
    return { lessons, marks, entries };
  }

  private *take(unit: Unit, data: UnitData): Generator<AdapterMessage> {
    for (const { lesson: l, works } of data.lessons) {
      const groupId = idOf(l, 'group') ?? unit.groupId;
      const subjectId = lessonSubjectId(l) as string;
      if (isRecord(l.subject) && text(l.subject.name) && !this.subjectNames.has(subjectId)) this.subjectNames.set(subjectId, text(l.subject.name)!);
      const courseSourceId = `${groupId}:${subjectId}`;
      // A subject the group's list did not show (it lists the current reporting period's) is a course all the same.
      yield* this.course(groupId, subjectId);
      for (const w of works) if (idOf(w) && text(w.type)) this.workKinds.set(idOf(w)!, w.type as string);
      const record = lesson(l, courseSourceId, works);
      this.counts.lessons++;
      yield { type: 'record', stream: 'lessons', record };
      this.seenLessons.add(record.sourceId);
      for (const teacher of idsOf(l, 'teachers')) {
        const key = `${courseSourceId}:${teacher}`;
        if (this.courseTeachers.has(key)) continue;
        this.courseTeachers.add(key);
        yield { type: 'record', stream: 'courseTeachers', record: { sourceId: key, courseSourceId, staffSourceId: teacher } };
      }
    }
    for (const m of data.marks) {
      if (!isMark(m)) continue;
      const lessonId = idOf(m, 'lesson');
      if (lessonId && !this.seenLessons.has(lessonId)) this.pending.set(idOf(m) ?? `${lessonId}:${idOf(m, 'person')}`, { mark: m, monday: unit.monday });
      else yield this.markMessage(m);
    }
    yield* this.flushPending((p) => this.seenLessons.has(idOf(p.mark, 'lesson') ?? ''));
    for (const e of data.entries) {
      const record = attendance(e);
      if (!record) continue;
      this.counts.attendance++;
      yield { type: 'record', stream: 'attendance', record };
    }
  }

  private *flushPending(which: (p: { mark: VendorRecord; monday: string }) => boolean): Generator<AdapterMessage> {
    for (const [id, p] of this.pending) {
      if (!which(p)) continue;
      this.pending.delete(id);
      yield this.markMessage(p.mark);
    }
  }

  private markMessage(m: VendorRecord): AdapterMessage {
    this.counts.marks++;
    const type = this.workTypes.get(idOf(m, 'workType') ?? '');
    return { type: 'record', stream: 'marks', record: mark(m, this.offsetHours, type, this.workKinds.get(idOf(m, 'work') ?? '')) };
  }
}

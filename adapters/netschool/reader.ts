import {
  AdapterContext, AdapterError, AdapterMessage, AdapterState, AttendanceRecord, FinalMarkRecord, LessonRecord, MarkRecord, StreamName, TermRecord,
} from '../contract';
import { NetSchoolClient } from './client';
import { NetSchoolConfig } from './config';
import {
  addDays, attendanceStatus, calendarDate, className, diaryMark, finalColumn, isHomeworkType, Json, mondayOf, personName, reportMark, termName, termSourceId,
} from './mapping';
import { findTable } from './report-html';

type TermKind = TermRecord['kind'];
interface TermSpan { name: string; kind: TermKind; number: number; start: string; end: string }

/**
 * The adapter's saved state. `after` is the last pupil (by id) whose whole year is written while a
 * walk is under way, null between walks. Term dates and class term kinds are kept across runs: the
 * web API has no term calendar, so they are learnt from the diaries, and must not shrink back
 * while a new walk has seen only part of the school.
 */
export interface NetSchoolState {
  yearId: string;
  after: number | null;
  terms: Record<string, TermSpan>;
  classTermKinds: Record<string, TermKind>;
}

interface Pupil { id: string; nickName: unknown; classId: string; className: unknown }

/** Everything read for one pupil, yielded in one go once the pupil is done. */
interface PupilRead {
  pupil: Pupil;
  courses: Map<string, string>;
  lessons: LessonRecord[];
  marks: MarkRecord[];
  attendance: AttendanceRecord[];
  finalMarks: FinalMarkRecord[];
  terms: TermSpan[];
  overdue: number;
  skipped: number;
}

/** Streams read whole on every walk from the first pupil: rows of them not seen are gone from the server. */
const WALKED: StreamName[] = ['terms', 'classGroups', 'students', 'enrollments', 'courses', 'lessons', 'marks', 'attendance', 'finalMarks'];

const DATEFORMAT = 'd\u0001mm\u0001yy\u0001.';

/**
 * Reads one school from NetSchool's web API, pupil by pupil: each pupil's week diaries from the first
 * week of the school year to next week (lessons, homework, marks), then the pupil's final-marks and
 * attendance reports through the report queue. Pupils are read `parallelism` at a time, within the
 * client's request rate, and a checkpoint follows each group so that a failed run resumes from the
 * next pupil.
 */
export class SchoolReader {
  private readonly client: NetSchoolClient;
  private state: NetSchoolState;
  private yearId = '';
  private yearStart = '';
  private yearEnd = '';
  private today = '';
  private weeks: string[] = [];
  private types = new Map<string, { name: string }>();
  private readonly seenClasses = new Set<string>();
  private readonly seenCourses = new Set<string>();
  private readonly seenLessons = new Set<string>();
  private readonly unknownTypes = new Set<string>();
  private totals = { pupils: 0, lessons: 0, marks: 0, overdue: 0, attendance: 0, finalMarks: 0, skipped: 0 };

  constructor(private readonly config: NetSchoolConfig, state: AdapterState | null, private readonly ctx: AdapterContext) {
    this.client = new NetSchoolClient(config, ctx);
    this.state = (state as NetSchoolState | null) ?? { yearId: '', after: null, terms: {}, classTermKinds: {} };
  }

  async *read(): AsyncGenerator<AdapterMessage> {
    try {
      yield* this.readAll();
    } finally {
      await this.client.logout();
    }
  }

  private async *readAll(): AsyncGenerator<AdapterMessage> {
    await this.client.signIn();
    const context = (await this.client.get('context')) as Json;
    let year = context?.schoolyear as Json | undefined;
    if (year?.id == null) year = (await this.client.get('years/current')) as Json;
    if (year?.id == null) throw new AdapterError('transient', 'NetSchool did not say which school year is current (context and years/current have no id).');
    this.yearId = String(year.id);
    this.yearStart = calendarDate(year.startDate);
    this.yearEnd = calendarDate(year.endDate);
    if (this.state.yearId !== this.yearId) this.state = { yearId: this.yearId, after: null, terms: {}, classTermKinds: {} };

    const types = await this.client.get('grade/assignment/types', { all: 'false' });
    this.types = new Map((Array.isArray(types) ? types : []).filter((t: Json) => t?.id != null).map((t: Json) => [String(t.id), { name: String(t.name ?? '') }]));

    const init = (await this.client.get('student/diary/init')) as Json;
    const pupils: Pupil[] = (Array.isArray(init?.students) ? init.students : [])
      .filter((s: Json) => s?.studentId != null && Number.isFinite(Number(s.studentId)))
      .map((s: Json) => ({ id: String(s.studentId), nickName: s.nickName, classId: String(s.classId ?? s.className), className: s.className }))
      .sort((a: Pupil, b: Pupil) => Number(a.id) - Number(b.id));
    // "Today" is the server's: its current week from diary/init, else its Date header.
    const thisWeek = /^\d{4}-\d{2}-\d{2}/.test(String(init?.weekStart ?? '')) ? mondayOf(calendarDate(init.weekStart)) : mondayOf(this.client.serverDate ?? new Date().toISOString().slice(0, 10));
    this.today = addDays(thisWeek, 6) < this.yearEnd ? addDays(thisWeek, 6) : this.yearEnd;
    const lastWeek = addDays(thisWeek, 7);
    for (let week = mondayOf(this.yearStart); week <= lastWeek && week <= this.yearEnd; week = addDays(week, 7)) this.weeks.push(week);

    const label = String(year.name ?? '').replace(/^\(\*\)\s*/, '').trim();
    yield {
      type: 'record', stream: 'academicYears',
      record: { sourceId: this.yearId, label: label || `${this.yearStart.slice(0, 4)}/${this.yearEnd.slice(0, 4)}`, startsOn: this.yearStart, endsOn: this.yearEnd },
    };
    yield { type: 'complete', stream: 'academicYears' };

    const fromStart = this.state.after === null;
    const after = this.state.after ?? -Infinity;
    const pending = pupils.filter((p) => Number(p.id) > after);
    yield this.progress(fromStart
      ? `reading ${pupils.length} pupils, ${this.weeks.length} weeks each (${this.config.parallelism} at a time, at most ${this.config.requestsPerSecond} requests a second)`
      : `resuming after pupil ${this.state.after}: ${pending.length} of ${pupils.length} pupils left`);

    for (let i = 0; i < pending.length; i += this.config.parallelism) {
      const group = pending.slice(i, i + this.config.parallelism);
      const reads = await Promise.all(group.map((pupil) => this.readPupil(pupil)));
      for (const read of reads) yield* this.messages(read);
      this.state = { ...this.state, after: Number(group[group.length - 1].id) };
      yield this.progress(
        `pupils ${pupils.length - pending.length + i + group.length}/${pupils.length}: ${this.totals.lessons} lessons, ${this.totals.marks} marks ` +
        `(${this.totals.overdue} overdue without a mark), ${this.totals.attendance} absences, ${this.totals.finalMarks} final marks; ${this.client.requests} requests`);
      yield { type: 'checkpoint', state: { ...this.state } };
    }

    // Every term learnt so far, so that a whole walk names them all.
    for (const span of Object.values(this.state.terms)) yield { type: 'record', stream: 'terms', record: this.term(span) };
    if (fromStart) for (const stream of WALKED) yield { type: 'complete', stream };
    if (this.totals.skipped > 0) this.ctx.log('report cells that are not marks were skipped (н/а, осв, or a lesson not in the diary)', { count: this.totals.skipped });
    this.state = { ...this.state, after: null };
    yield { type: 'checkpoint', state: { ...this.state } };
  }

  private progress(message: string): AdapterMessage {
    return { type: 'progress', message };
  }

  private term(span: TermSpan): TermRecord {
    return { sourceId: termSourceId(this.yearId, span.kind, span.number), academicYearSourceId: this.yearId, kind: span.kind, number: span.number, name: span.name, startsOn: span.start, endsOn: span.end };
  }

  private courseId(pupil: Pupil, vendorSubject: string) {
    return `${pupil.classId}:${vendorSubject}`;
  }

  /** One pupil's year: every week's diary, then the final-marks and attendance reports. */
  private async readPupil(pupil: Pupil): Promise<PupilRead> {
    const read: PupilRead = { pupil, courses: new Map(), lessons: [], marks: [], attendance: [], finalMarks: [], terms: [], overdue: 0, skipped: 0 };
    /** date|number → the lesson, for the attendance report (which names lessons by day and number). */
    const slots = new Map<string, { id: string; subject: string }>();
    /** The first and last lesson days of each term in this pupil's weeks. */
    const spans = new Map<string, TermSpan>();
    for (const week of this.weeks) {
      if (this.ctx.signal.aborted) throw new AdapterError('transient', 'cancelled');
      const diary = (await this.client.get('student/diary', { studentId: pupil.id, yearId: this.yearId, weekStart: week, weekEnd: addDays(week, 6) })) as Json;
      const term = termName(diary?.termName);
      for (const day of Array.isArray(diary?.weekDays) ? diary.weekDays : []) {
        for (const lesson of Array.isArray(day?.lessons) ? day.lessons : []) {
          if (lesson?.classmeetingId == null) continue;
          const id = String(lesson.classmeetingId);
          const date = calendarDate(lesson.day ?? day.date);
          const subject = String(lesson.subjectName ?? '').trim();
          const courseSourceId = this.courseId(pupil, subject);
          read.courses.set(courseSourceId, subject);
          // Lessons without assignments have no `assignments` key at all.
          const assignments: Json[] = Array.isArray(lesson.assignments) ? lesson.assignments.filter((a: Json) => a?.id != null) : [];
          const homework = assignments
            .filter((a) => isHomeworkType(this.typeOf(a)?.name))
            .map((a) => String(a.assignmentName ?? '').trim()).filter(Boolean).join('; ');
          read.lessons.push({
            sourceId: id, courseSourceId, date, number: lesson.number,
            topic: typeof lesson.lessonTheme === 'string' ? lesson.lessonTheme : null, homework: homework || null,
          });
          slots.set(`${date}|${lesson.number}`, { id, subject });
          // Any assignment — a homework too — may carry the pupil's mark.
          for (const assignment of assignments) {
            const found = diaryMark(assignment, pupil.id, String(assignment.classMeetingId ?? id), this.typeOf(assignment));
            if (found && 'mark' in found) read.marks.push(found.mark);
            else if (found) read.overdue++;
          }
          if (term && /^\d{4}-\d{2}-\d{2}$/.test(date)) {
            const key = `${term.kind}${term.number}`;
            const span = spans.get(key);
            if (!span) spans.set(key, { name: String(diary.termName).trim(), ...term, start: date, end: date });
            else if (date < span.start) span.start = date;
            else if (date > span.end) span.end = date;
          }
        }
      }
    }
    read.terms = [...spans.values()];
    await this.readFinalMarks(pupil, read);
    await this.readAttendance(pupil, read, slots);
    return read;
  }

  private typeOf(assignment: Json): { name: string } | undefined {
    const key = String(assignment.typeId);
    const type = this.types.get(key);
    if (!type && !this.unknownTypes.has(key)) {
      this.unknownTypes.add(key);
      this.ctx.log('an assignment type is not in grade/assignment/types: its marks are of kind "other"', { typeId: key });
    }
    return type;
  }

  /**
   * A report through the queue: queue it, start the task (the SignalR hub's startTaskAsync, whose
   * `complete` message carries the file id), then fetch the HTML file.
   */
  private async report(name: string, pupil: Pupil, filters: { filterId: string; filterValue: string }[]): Promise<string> {
    const queued = (await this.client.post(`reports/${name}/queue`, {
      params: [
        { name: 'SCHOOLYEARID', value: Number(this.yearId) }, { name: 'SERVERTIMEZONE', value: 5 },
        { name: 'FULLSCHOOLNAME', value: '' }, { name: 'DATEFORMAT', value: DATEFORMAT },
      ],
      selectedData: [{ filterId: 'SID', filterValue: pupil.id, filterText: '' }, ...filters.map((f) => ({ ...f, filterText: f.filterValue }))],
    })) as Json;
    if (queued?.taskId == null) throw new AdapterError('transient', `NetSchool did not queue the ${name} report (no taskId).`);
    const done = (await this.client.post('signalr/queueHub/startTaskAsync', { taskId: queued.taskId, queueKey: queued.queueKey })) as Json;
    const fileId = done?.target === 'complete' ? done.arguments?.[0]?.data : undefined;
    if (fileId == null) throw new AdapterError('transient', `NetSchool did not finish the ${name} report (${String(done?.target ?? 'no answer')}).`);
    return this.client.text(`files/${encodeURIComponent(String(fileId))}`);
  }

  /** Term, year, exam and final marks: the studenttotalmarks report, a row per subject, a column per period. */
  private async readFinalMarks(pupil: Pupil, read: PupilRead): Promise<void> {
    const html = await this.report('studenttotalmarks', pupil, []);
    const table = findTable(html, [/предмет/]);
    if (!table) {
      this.ctx.log('a final-marks report has no table with a «Предмет» column: the layout may have changed', { pupil: pupil.id });
      return;
    }
    const subjectAt = table.header.findIndex((h) => /предмет/i.test(h));
    const columns = table.header.map((h, i) => (i === subjectAt ? null : finalColumn(h)));
    for (const row of table.rows) {
      const subject = (row[subjectAt] ?? '').trim();
      if (!subject || /^(итого|средн)/i.test(subject)) continue;
      const courseSourceId = this.courseId(pupil, subject);
      columns.forEach((column, i) => {
        const text = (row[i] ?? '').trim();
        if (!column || text === '') return;
        const mark = reportMark(text);
        if (!mark) {
          read.skipped++;
          return;
        }
        read.courses.set(courseSourceId, subject);
        const term = column.kind === 'term' ? termSourceId(this.yearId, column.term.kind, column.term.number) : null;
        read.finalMarks.push({
          sourceId: `${pupil.id}:${courseSourceId}:${column.kind}${column.kind === 'term' ? `:${column.term.kind}${column.term.number}` : ''}`,
          courseSourceId, studentSourceId: pupil.id, kind: column.kind, termSourceId: term, scale: mark.scale, value: mark.value, numericValue: null,
        });
      });
    }
  }

  /** Absences and lateness: the studentgrades report for the year so far, a row per lesson missed. */
  private async readAttendance(pupil: Pupil, read: PupilRead, slots: Map<string, { id: string; subject: string }>): Promise<void> {
    const html = await this.report('studentgrades', pupil, [{ filterId: 'period', filterValue: `${this.yearStart} - ${this.today}` }]);
    const table = findTable(html, [/дата/, /посещ|пропуск/]);
    if (!table) {
      this.ctx.log('an attendance report has no table with «Дата» and «Посещаемость» columns: the layout may have changed', { pupil: pupil.id });
      return;
    }
    const at = (pattern: RegExp) => table.header.findIndex((h) => pattern.test(h.toLowerCase()));
    const [dateAt, numberAt, subjectAt, codeAt] = [at(/дата/), at(/урок|№/), at(/предмет/), at(/посещ|пропуск/)];
    for (const row of table.rows) {
      const day = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec((row[dateAt] ?? '').trim());
      const code = (row[codeAt] ?? '').trim();
      if (!day || code === '') continue;
      const date = `${day[3]}-${day[2]}-${day[1]}`;
      const subject = subjectAt >= 0 ? (row[subjectAt] ?? '').trim() : '';
      const lesson = numberAt >= 0 && slots.get(`${date}|${Number(row[numberAt])}`)
        || [...slots].find(([key, l]) => key.startsWith(`${date}|`) && l.subject === subject)?.[1];
      const status = attendanceStatus(code);
      if (!lesson || !status) {
        read.skipped++;
        continue;
      }
      read.attendance.push({ sourceId: `${lesson.id}:${pupil.id}`, lessonSourceId: lesson.id, studentSourceId: pupil.id, status, comment: code.toUpperCase() });
    }
  }

  /** A pupil's records, in the order the engine writes streams; new terms, classes, courses and lessons once per run. */
  private *messages(read: PupilRead): Generator<AdapterMessage> {
    const { pupil } = read;
    for (const span of read.terms) {
      const key = termSourceId(this.yearId, span.kind, span.number);
      const known = this.state.terms[key];
      const merged = known ? { ...known, start: span.start < known.start ? span.start : known.start, end: span.end > known.end ? span.end : known.end } : span;
      if (!known || merged.start !== known.start || merged.end !== known.end) {
        this.state.terms = { ...this.state.terms, [key]: merged };
        yield { type: 'record', stream: 'terms', record: this.term(merged) };
      }
    }
    if (!this.seenClasses.has(pupil.classId)) {
      this.seenClasses.add(pupil.classId);
      const kinds = read.terms.map((t) => t.kind);
      const kind = this.state.classTermKinds[pupil.classId] ?? kinds[kinds.length - 1];
      if (kind) this.state.classTermKinds = { ...this.state.classTermKinds, [pupil.classId]: kind };
      const parsed = className(pupil.className);
      yield {
        type: 'record', stream: 'classGroups',
        record: { sourceId: pupil.classId, academicYearSourceId: this.yearId, gradeLevel: parsed?.gradeLevel ?? NaN, letter: parsed?.letter ?? String(pupil.className ?? ''), ...(kind ? { termKind: kind } : {}) },
      };
    }
    yield { type: 'record', stream: 'students', record: { sourceId: pupil.id, ...personName(pupil.nickName) } };
    yield {
      type: 'record', stream: 'enrollments',
      record: { sourceId: `${pupil.id}:${pupil.classId}`, studentSourceId: pupil.id, classGroupSourceId: pupil.classId, startsOn: this.yearStart },
    };
    for (const [sourceId, vendorName] of read.courses) {
      if (this.seenCourses.has(sourceId)) continue;
      this.seenCourses.add(sourceId);
      yield {
        type: 'record', stream: 'courses',
        record: { sourceId, classGroupSourceId: pupil.classId, subjectName: vendorName },
      };
    }
    for (const lesson of read.lessons) {
      if (this.seenLessons.has(lesson.sourceId)) continue;
      this.seenLessons.add(lesson.sourceId);
      this.totals.lessons++;
      yield { type: 'record', stream: 'lessons', record: lesson };
    }
    for (const record of read.marks) yield { type: 'record', stream: 'marks', record };
    for (const record of read.attendance) yield { type: 'record', stream: 'attendance', record };
    for (const record of read.finalMarks) yield { type: 'record', stream: 'finalMarks', record };
    this.totals.pupils++;
    this.totals.marks += read.marks.length;
    this.totals.overdue += read.overdue;
    this.totals.attendance += read.attendance.length;
    this.totals.finalMarks += read.finalMarks.length;
    this.totals.skipped += read.skipped;
  }
}

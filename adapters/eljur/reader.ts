import { AdapterContext, AdapterError, AdapterMessage, AdapterState, StreamName, StreamRecords } from '../contract';
import { EljurClient } from './client';
import { EljurConfig } from './config';
import {
  assessmentOf, attendanceSourceId, calendarDate, classGroup, classSourceId, course, courseSourceId, dayKey, entries, finalKindOf,
  finalMarkSourceId, flag, isObject, Json, lessonSourceId, markSourceId, numberOf, Period, periodsOf, schoolYearOf, student, Teachers, termOf, text,
} from './mapping';

/** Where an interrupted walk stands: per student, the start of the last week read; whose term marks are read; their groups. */
interface WalkState {
  /** studentId → "YYYY-MM-DD", the start of the last week read. */
  done: Record<string, string>;
  /** Students whose term marks are read. */
  finals: string[];
  /** studentId → subject → group, for students in a subject's subgroup (their term marks go to that group's course). */
  groups: Record<string, Record<string, string>>;
}

type Unit = { studentId: string; week: { start: string; end: string } } | { studentId: string; finals: true };

const WALKED_STREAMS: StreamName[] = ['staff', 'courses', 'courseTeachers', 'courseStudents', 'lessons', 'marks', 'attendance', 'finalMarks'];

const record = <S extends StreamName>(stream: S, r: StreamRecords[S]) => ({ type: 'record', stream, record: r }) as AdapterMessage;

function walkStateOf(state: AdapterState | null): WalkState | null {
  const walk = state?.walk;
  if (!isObject(walk) || !isObject(walk.done)) return null;
  return {
    done: Object.fromEntries(Object.entries(walk.done).filter((e): e is [string, string] => typeof e[1] === 'string')),
    finals: Array.isArray(walk.finals) ? walk.finals.filter((s): s is string => typeof s === 'string') : [],
    groups: isObject(walk.groups) ? (walk.groups as WalkState['groups']) : {},
  };
}

/**
 * One read of a school. ЭлЖур's API is shaped for a family, so the school is read the way a parent's
 * app reads a child, for every student: the account's `getrules` gives the students and classes, a
 * class's `getperiods` its terms and weeks, then each student's `getdiary` week by week (lessons,
 * homework, marks and absences) and `getfinalassessments` (term marks). Requests keep within the
 * configured rate, several students at a time; after each round a checkpoint records how far each
 * student is, so that a failed run resumes there instead of starting over. Every run reads the
 * year so far whole (ЭлЖур reports no changes or deletions to a student account).
 */
export class SchoolReader {
  private readonly client: EljurClient;
  private readonly walk: WalkState;
  private readonly resumed: boolean;
  private readonly teachers = new Teachers();
  /** What this read has yielded already (lessons come once per student of the class). */
  private readonly yielded = new Set<string>();
  private readonly classOfStudent = new Map<string, string>();
  private readonly periodsOfClass = new Map<string, Period[]>();
  private readonly termIds = new Map<string, string>();
  private yearId = '';
  private notAssessed = 0;

  constructor(private readonly config: EljurConfig, state: AdapterState | null, private readonly ctx: AdapterContext, private readonly today = new Date().toISOString().slice(0, 10)) {
    this.client = new EljurClient(config, ctx);
    const walk = walkStateOf(state);
    this.resumed = walk !== null;
    this.walk = walk ?? { done: {}, finals: [], groups: {} };
  }

  private checkpoint(): AdapterMessage {
    return { type: 'checkpoint', state: { walk: this.walk } };
  }

  private progress(message: string): AdapterMessage {
    return { type: 'progress', message: `${message} (${this.client.requests} requests so far)` };
  }

  private once(stream: StreamName, id: string): boolean {
    const key = `${stream}\u0000${id}`;
    if (this.yielded.has(key)) return false;
    this.yielded.add(key);
    return true;
  }

  async *read(): AsyncGenerator<AdapterMessage> {
    yield this.progress(this.resumed ? 'resuming the interrupted read of the school' : 'reading the school');
    const students = yield* this.readStructure();
    yield this.checkpoint();
    const whole = yield* this.walkStudents(students);
    if (whole) for (const stream of WALKED_STREAMS) yield { type: 'complete', stream };
    if (this.notAssessed > 0) this.ctx.log('term marks «н/а» (not assessed) are not marks and were left out', { count: this.notAssessed });
    // The walk is finished: the next run starts a new one from the beginning of the year.
    yield { type: 'checkpoint', state: { lastWholeRead: this.today } };
  }

  // ---------------------------------------------------------------- school year, terms, classes, students

  private async *readStructure(): AsyncGenerator<AdapterMessage, string[]> {
    const rules = await this.client.call('getrules');
    if (!isObject(rules)) throw new AdapterError('config', 'ЭлЖур answered getrules without the account\'s rules. Check «Адрес API ЭлЖур».');
    const relations = isObject(rules.relations) ? rules.relations : {};
    const students = entries(relations.students).filter(([, s]) => !s.rel || ['child', 'student', 'pupil'].includes(String(s.rel)) || !!text(s.class));
    if (students.length === 0) {
      throw new AdapterError('config', 'The journal-hub account sees no students in ЭлЖур (getrules lists none). Ask the school to give the account access to every student of the school.');
    }
    const groups = new Map(entries(relations.groups).map(([name, g]) => [classSourceId(text(g.name) ?? name), { name: text(g.name) ?? name, group: g }]));
    const studentsOfClass = new Map<string, string[]>();
    for (const [id, s] of students) {
      const className = text(s.class) ?? '';
      const classId = classSourceId(className);
      this.classOfStudent.set(id, classId);
      if (!groups.has(classId) && className) groups.set(classId, { name: className, group: { parallel: s.parallel } });
      studentsOfClass.set(classId, [...(studentsOfClass.get(classId) ?? []), id]);
    }

    // A class's terms, from one of its students (the API gives periods per student; a class shares them).
    for (const [classId, ids] of studentsOfClass) {
      if (!classId) continue;
      const result = await this.client.call('getperiods', { student: ids[0], weeks: 'true' });
      const list = isObject(result) ? entries(result.students) : [];
      const own = list.find(([key, s]) => key === ids[0] || text(s.name) === ids[0]) ?? list[0];
      const { periods, skipped } = periodsOf(own?.[1].periods);
      if (skipped.length > 0) this.ctx.log('periods that are not a quarter, trimester or half are not terms', { class: classId, periods: skipped });
      this.periodsOfClass.set(classId, periods);
    }
    const all = [...this.periodsOfClass.values()].flat().sort((a, b) => a.startsOn.localeCompare(b.startsOn));
    if (all.length === 0) throw new AdapterError('config', 'ЭлЖур lists no quarters, trimesters or halves for the school\'s classes (getperiods). Ask the school to set up the year\'s periods.');
    const year = schoolYearOf(all[0].startsOn);
    this.yearId = year.label;
    yield record('academicYears', { sourceId: year.label, ...year });
    yield { type: 'complete', stream: 'academicYears' };
    for (const period of all) {
      const id = `${year.label}:${period.kind}:${period.number}`;
      this.termIds.set(period.name.toLowerCase(), id);
      if (!this.once('terms', id)) continue;
      yield record('terms', { sourceId: id, academicYearSourceId: year.label, kind: period.kind, number: period.number, name: period.name, startsOn: period.startsOn, endsOn: period.endsOn });
    }
    yield { type: 'complete', stream: 'terms' };

    for (const [classId, { group }] of groups) {
      const teacherId = text(group.hometeacher_id);
      const teacher = teacherId ? this.teachers.addHomeroomTeacher(teacherId, group) : undefined;
      if (teacher && this.once('staff', teacher.sourceId)) yield record('staff', teacher);
      groups.get(classId)!.group = { ...group, teacherId: teacher?.sourceId ?? null };
    }
    for (const [id, s] of students) yield record('students', student(id, s));
    yield { type: 'complete', stream: 'students' };
    for (const [classId, { name, group }] of groups) {
      if (!classId) continue;
      const kind = this.periodsOfClass.get(classId)?.[0]?.kind;
      yield record('classGroups', classGroup(name, year.label, kind, (group.teacherId as string | null) ?? null, numberOf(group.parallel)));
    }
    yield { type: 'complete', stream: 'classGroups' };
    for (const [id] of students) {
      const classId = this.classOfStudent.get(id)!;
      // A student without a class is passed on so: the engine quarantines the enrollment naming it.
      yield record('enrollments', { sourceId: `${id}:${classId}`, studentSourceId: id, classGroupSourceId: classId, startsOn: year.startsOn });
    }
    yield { type: 'complete', stream: 'enrollments' };
    yield this.progress(`${students.length} students in ${studentsOfClass.size} classes, ${new Set(this.termIds.values()).size} terms`);
    return students.map(([id]) => id);
  }

  // ---------------------------------------------------------------- every student, week by week

  /** The walk; true when it read every student's year from the beginning in this read. */
  private async *walkStudents(students: string[]): AsyncGenerator<AdapterMessage, boolean> {
    const units: Unit[] = [];
    let total = 0;
    for (const id of [...students].sort((a, b) => (this.classOfStudent.get(a) ?? '').localeCompare(this.classOfStudent.get(b) ?? '') || a.localeCompare(b))) {
      const weeks = (this.periodsOfClass.get(this.classOfStudent.get(id) ?? '') ?? []).flatMap((p) => p.weeks).filter((w) => w.start <= this.today);
      total += weeks.length + 1;
      const done = this.walk.done[id];
      for (const week of weeks) if (!done || week.start > done) units.push({ studentId: id, week });
      if (!this.walk.finals.includes(id)) units.push({ studentId: id, finals: true });
    }
    const whole = units.length === total;
    let reported = Math.floor(((total - units.length) / Math.max(total, 1)) * 10);
    for (let i = 0; i < units.length; i += this.config.parallelism) {
      const round = units.slice(i, i + this.config.parallelism);
      const results = await Promise.all(round.map((unit) => ('finals' in unit ? this.readFinals(unit.studentId) : this.readWeek(unit.studentId, unit.week))));
      for (const messages of results) yield* messages;
      for (const unit of round) {
        if ('finals' in unit) this.walk.finals.push(unit.studentId);
        else if (!this.walk.done[unit.studentId] || unit.week.start > this.walk.done[unit.studentId]) this.walk.done[unit.studentId] = unit.week.start;
      }
      yield this.checkpoint();
      const done = total - units.length + Math.min(i + round.length, units.length);
      const tenth = Math.floor((done / total) * 10);
      if (tenth > reported) {
        reported = tenth;
        yield this.progress(`students' weeks read: ${done} of ${total} (${tenth * 10}%)`);
      }
    }
    return whole;
  }

  private async readWeek(studentId: string, week: { start: string; end: string }): Promise<AdapterMessage[]> {
    const result = await this.client.call('getdiary', { student: studentId, days: `${dayKey(week.start)}-${dayKey(week.end)}`, rings: 'true' });
    const own = this.ownEntry(result, studentId);
    const out: AdapterMessage[] = [];
    const classId = this.classOfStudent.get(studentId) ?? '';
    for (const [key, day] of entries(own?.days)) {
      const date = calendarDate(text(day.name) ?? key);
      if (!date) {
        this.ctx.log('a diary day whose key is not a date was left out', { day: key });
        continue;
      }
      for (const [itemKey, item] of entries(day.items)) out.push(...this.lesson(studentId, classId, date, itemKey, item));
    }
    return out;
  }

  /** The student's own entry in `result.students` (keyed by id, or a list with `name` = id). */
  private ownEntry(result: unknown, studentId: string): Json | undefined {
    const list = isObject(result) ? entries(result.students) : [];
    return (list.find(([key, s]) => key === studentId || text(s.name) === studentId) ?? (list.length === 1 ? list[0] : undefined))?.[1];
  }

  /** One diary item: the course, teacher and lesson (once per read), and the student's marks and attendance in it. */
  private lesson(studentId: string, classId: string, date: string, itemKey: string, item: Json): AdapterMessage[] {
    const out: AdapterMessage[] = [];
    const subject = text(item.name) ?? '';
    const group = text(item.grp) ?? '';
    const c = course(classId, subject, group);
    if (this.once('courses', c.sourceId)) out.push(record('courses', c));
    if (group) (this.walk.groups[studentId] ??= {})[subject] = group;
    const teacher = this.teachers.named(item.teacher);
    if (teacher && this.once('staff', teacher.sourceId)) out.push(record('staff', teacher));
    if (teacher && this.once('courseTeachers', `${c.sourceId}|${teacher.sourceId}`)) {
      out.push(record('courseTeachers', { sourceId: `${c.sourceId}|${teacher.sourceId}`, courseSourceId: c.sourceId, staffSourceId: teacher.sourceId }));
    }
    if (this.once('courseStudents', `${c.sourceId}|${studentId}`)) {
      out.push(record('courseStudents', { sourceId: `${c.sourceId}|${studentId}`, courseSourceId: c.sourceId, studentSourceId: studentId }));
    }
    const numberText = text(item.num) ?? text(item.sort) ?? itemKey;
    const lessonId = lessonSourceId(c.sourceId, date, numberText);
    if (this.once('lessons', lessonId)) {
      // Homework set for one student (individual) is theirs, not the lesson's.
      const homework = entries(item.homework).filter(([, h]) => flag(h.individual) !== true).map(([, h]) => text(h.value)).filter(Boolean).join('; ');
      out.push(record('lessons', {
        sourceId: lessonId, courseSourceId: c.sourceId, date, number: numberOf(numberText) as number,
        topic: text(item.topic) ?? null, homework: homework || null, teacherSourceId: teacher?.sourceId ?? null,
      }));
    }
    let place = 0;
    let absent = false;
    const assessments = Array.isArray(item.assessments) ? item.assessments : entries(item.assessments).map(([, a]) => a);
    for (const a of assessments.filter(isObject)) {
      const assessment = assessmentOf(a, lessonId, studentId);
      if (assessment.kind === 'attendance') {
        if (absent) continue;
        absent = true;
        out.push(record('attendance', { sourceId: attendanceSourceId(studentId, lessonId), lessonSourceId: lessonId, studentSourceId: studentId, status: assessment.status, comment: assessment.comment }));
      } else if (assessment.kind === 'mark') {
        for (const value of assessment.values) out.push(record('marks', { ...assessment.record, sourceId: markSourceId(studentId, lessonId, ++place), value }));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- term marks

  private async readFinals(studentId: string): Promise<AdapterMessage[]> {
    const result = await this.client.call('getfinalassessments', { student: studentId });
    const own = this.ownEntry(result, studentId);
    const classId = this.classOfStudent.get(studentId) ?? '';
    const out: AdapterMessage[] = [];
    for (const [, item] of entries(own?.items)) {
      const subject = text(item.name) ?? '';
      const group = this.walk.groups[studentId]?.[subject] ?? '';
      const courseId = courseSourceId(classId, subject, group);
      // A subject with term marks but no lesson read yet is a course all the same.
      if (subject && this.once('courses', courseId)) out.push(record('courses', course(classId, subject, group)));
      const list = Array.isArray(item.assessments) ? item.assessments : entries(item.assessments).map(([, a]) => a);
      for (const a of list.filter(isObject)) {
        const period = text(a.period) ?? '';
        const value = text(a.value) ?? '';
        if (!period || !value) continue;
        if (/^н\/?а$/i.test(value)) {
          this.notAssessed++;
          continue;
        }
        const kind = finalKindOf(period);
        if (!kind) {
          this.ctx.log('a term mark for a period that is not a term, year, exam or final mark was left out', { period });
          continue;
        }
        // Term marks are keyed by the period's name: matched by name, else by its kind and number («1 четверть» = «I четверть»).
        const term = termOf(period);
        const termId = kind === 'term' ? (this.termIds.get(period.toLowerCase()) ?? (term ? `${this.yearId}:${term.kind}:${term.number}` : null)) : null;
        const convert = numberOf(a.convert);
        out.push(record('finalMarks', {
          sourceId: finalMarkSourceId(studentId, courseId, period), courseSourceId: courseId, studentSourceId: studentId, kind, termSourceId: termId,
          scale: /^(зач|незач|н\/з)/i.test(value) ? 'pass_fail' : 'five_point', value, numericValue: convert !== undefined && convert > 0 ? convert : null,
        }));
      }
    }
    return out;
  }
}

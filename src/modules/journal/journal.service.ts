import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { notFound } from '../../common/errors';
import { SchoolKey } from '../../db/batch';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { recordAudit } from '../audit/audit.service';
import { markLearningDataChanged } from '../metrics/learning-rollups';
import { byName, covers } from '../people/people.order';
import { Course } from '../schools/class-group.entity';
import { BUILTIN_JOURNAL } from '../schools/school.entity';
import { weightsOfSchool } from '../schools/weights';
import { Attendance, AttendanceStatus, FinalMark, FinalMarkKind, Lesson, Mark, MarkChangeAction, MarkHistoryEntry, MarkScale } from './journal.entities';
import { JournalErrors } from './journal.errors';
import { primeJournalLoaders } from './journal.loaders';
import { JournalRepository, StudentPeriod } from './journal.repository';
import { EnrollmentPeriod, Journal, JournalRow } from './journal.types';
import { parseMark, weightedAverage } from './mark-scale';

export interface MarkInput {
  lessonId: SchoolKey;
  studentId: SchoolKey;
  value: string;
  scale: MarkScale;
  workKind: string;
  weight?: number | null;
  comment?: string | null;
}

export interface MarkChanges {
  value?: string | null;
  scale?: MarkScale | null;
  workKind?: string | null;
  weight?: number | null;
  comment?: string | null;
}

export interface FinalMarkInput {
  courseId: SchoolKey;
  studentId: SchoolKey;
  kind: FinalMarkKind;
  termId?: SchoolKey | null;
  /** Null removes the mark. */
  value: string | null;
  scale: MarkScale;
}

const inPeriods = (date: string, periods: EnrollmentPeriod[]) => periods.some((p) => covers(p, date));

const snapshot = (m: Mark | FinalMark) => ({
  value: m.value,
  scale: m.scale,
  numericValue: m.numericValue,
  ...(m instanceof Mark
    ? { lessonId: m.lessonId, workKind: m.workKind, weight: m.weight, comment: m.comment }
    : { courseId: m.courseId, kind: m.kind, termId: m.termId }),
});

/** The built-in journal: reading a course's grid, and the writes of schools whose journal is the hub. */
export class JournalService {
  private readonly repo: JournalRepository;

  constructor(private readonly ds: DataSource) {
    this.repo = new JournalRepository(ds);
  }

  /**
   * A course's journal for a term in two statements whatever the class size: the heading the policy
   * decides on, then everything the journal shows, which also fills the request's loaders for the
   * journal's nested fields.
   */
  async journal(ctx: Context, courseKey: SchoolKey, termKey: SchoolKey): Promise<Journal> {
    const { course, classGroup, term } = await this.repo.journalHeading(courseKey, termKey);
    if (!course) throw notFound('course', courseKey.id);
    const viewer = policy.readJournal(ctx.viewer, course.schoolId, course.id, course.classGroupId);
    // A class deleted in source takes its courses with it.
    if (!classGroup) throw notFound('course', courseKey.id);
    if (!term) throw notFound('term', termKey.id);
    if (term.academicYearId !== classGroup.academicYearId) throw JournalErrors.termOfAnotherYear();

    const range = { from: term.startsOn, to: term.endsOn };
    const contents = await this.repo.journalOfCourse(course, classGroup, term);
    primeJournalLoaders(ctx.loaders, course, classGroup, term, contents);
    const { lessons, marks, attendance, termMarks } = contents;
    const periods = periodsByStudent(contents.periods, range);
    const studentById = new Map(contents.students.map((s) => [s.id, s]));
    // In the order of the periods, as before the sort by name, so that namesakes keep their order.
    const students = [...periods.keys()].flatMap((id) => studentById.get(id) ?? []);
    const weightOf = await weightsOfSchool(ctx.loaders, course.schoolId);

    const marksByCell = groupBy(marks, (m) => `${m.studentId}/${m.lessonId}`);
    const attendanceByCell = new Map(attendance.map((a) => [`${a.studentId}/${a.lessonId}`, a]));
    const termMarkOf = new Map(termMarks.map((f) => [f.studentId, f]));
    const rows: JournalRow[] = students.map((student) => {
      const enrolled = periods.get(student.id)!;
      const cells = lessons
        .filter((lesson) => inPeriods(lesson.date, enrolled))
        .map((lesson) => ({
          lesson,
          marks: marksByCell.get(`${student.id}/${lesson.id}`) ?? [],
          attendance: attendanceByCell.get(`${student.id}/${lesson.id}`) ?? null,
        }));
      const marksInTerm = cells.flatMap((c) => c.marks);
      return {
        student,
        enrolled,
        cells,
        average: weightedAverage(marksInTerm.map((m) => ({ numericValue: m.numericValue, weight: m.weight ?? weightOf(m.workKind) }))),
        termMark: termMarkOf.get(student.id) ?? null,
      };
    });
    rows.sort((a, b) => byName(a.student, b.student));

    await recordAudit(this.ds.manager, rows.filter((r) => !policy.isStudentSelf(viewer, course.schoolId, r.student.id)).map((r) => ({
      action: 'journal.read',
      schoolId: course.schoolId,
      actorAccountId: viewer.accountId,
      subjectType: 'course',
      subjectId: course.id,
      studentId: r.student.id,
      clientAddress: ctx.clientAddress,
      details: { termId: term.id },
    })), { waitForDisk: false });
    return { course, term, lessons, rows };
  }

  async updateLesson(ctx: Context, lessonKey: SchoolKey, changes: { topic?: string | null; homework?: string | null }): Promise<Lesson> {
    const lesson = await ctx.loaders.lesson.load(lessonKey);
    if (!lesson) throw notFound('lesson', lessonKey.id);
    const { viewer } = await this.writableCourse(ctx, lesson.schoolId, lesson.courseId);
    return this.ds.transaction(async (em) => {
      const patch: Partial<Lesson> = {};
      if (changes.topic !== undefined) patch.topic = changes.topic?.trim() || null;
      if (changes.homework !== undefined) patch.homework = changes.homework?.trim() || null;
      await em.update(Lesson, { schoolId: lesson.schoolId, id: lesson.id }, patch);
      await recordAudit(em, [{
        action: 'lesson.updated', schoolId: lesson.schoolId, actorAccountId: viewer.accountId,
        subjectType: 'lesson', subjectId: lesson.id, clientAddress: ctx.clientAddress, details: { fields: Object.keys(patch) },
      }]);
      return em.findOneByOrFail(Lesson, { schoolId: lesson.schoolId, id: lesson.id });
    });
  }

  async addMark(ctx: Context, input: MarkInput): Promise<Mark> {
    const lesson = await ctx.loaders.lesson.load(input.lessonId);
    if (!lesson) throw notFound('lesson', input.lessonId.id);
    const { viewer, course } = await this.writableCourse(ctx, lesson.schoolId, lesson.courseId);
    const parsed = parseMark(input.scale, input.value);
    if (!parsed) throw JournalErrors.markOffScale(input.scale, input.value);
    await this.assertWorkKind(ctx, input.workKind);
    return this.ds.transaction(async (em) => {
      if (input.studentId.schoolId !== lesson.schoolId || !(await this.repo.isInCourseOn(em, course, input.studentId.id, lesson.date))) {
        throw JournalErrors.studentNotInCourse(lesson.date);
      }
      const mark = em.create(Mark, {
        schoolId: lesson.schoolId,
        id: randomUUID(),
        lessonId: lesson.id,
        studentId: input.studentId.id,
        ...parsed,
        workKind: input.workKind,
        weight: input.weight ?? null,
        comment: input.comment?.trim() || null,
        enteredById: policy.staffIdIn(viewer, lesson.schoolId),
      });
      await em.insert(Mark, mark);
      const created = await em.findOneByOrFail(Mark, { schoolId: lesson.schoolId, id: mark.id });
      await this.recordMarkChange(em, ctx, viewer.accountId, 'mark', MarkChangeAction.CREATED, null, created);
      return created;
    });
  }

  async changeMark(ctx: Context, markKey: SchoolKey, changes: MarkChanges): Promise<Mark> {
    const mark = await this.ds.getRepository(Mark).findOneBy({ schoolId: markKey.schoolId, id: markKey.id });
    if (!mark) throw notFound('mark', markKey.id);
    const lesson = (await ctx.loaders.lesson.load({ schoolId: mark.schoolId, id: mark.lessonId }))!;
    const { viewer } = await this.writableCourse(ctx, mark.schoolId, lesson.courseId);
    if (changes.workKind) await this.assertWorkKind(ctx, changes.workKind);
    return this.ds.transaction(async (em) => {
      // The unchanged parts come from the row as locked, so a concurrent change is not written back.
      const before = await em.findOne(Mark, { where: { schoolId: mark.schoolId, id: mark.id }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw notFound('mark', markKey.id);
      const scale = changes.scale ?? before.scale;
      const value = changes.value ?? before.value;
      const parsed = parseMark(scale, value);
      if (!parsed) throw JournalErrors.markOffScale(scale, value);
      const patch: Partial<Mark> = { ...parsed };
      if (changes.workKind) patch.workKind = changes.workKind;
      if (changes.weight !== undefined) patch.weight = changes.weight;
      if (changes.comment !== undefined) patch.comment = changes.comment?.trim() || null;
      await em.update(Mark, { schoolId: mark.schoolId, id: mark.id }, patch);
      const after = await em.findOneByOrFail(Mark, { schoolId: mark.schoolId, id: mark.id });
      await this.recordMarkChange(em, ctx, viewer.accountId, 'mark', MarkChangeAction.CHANGED, before, after);
      return after;
    });
  }

  async removeMark(ctx: Context, markKey: SchoolKey): Promise<Mark> {
    const mark = await this.ds.getRepository(Mark).findOneBy({ schoolId: markKey.schoolId, id: markKey.id });
    if (!mark) throw notFound('mark', markKey.id);
    const lesson = (await ctx.loaders.lesson.load({ schoolId: mark.schoolId, id: mark.lessonId }))!;
    const { viewer } = await this.writableCourse(ctx, mark.schoolId, lesson.courseId);
    return this.ds.transaction(async (em) => {
      const before = await em.findOne(Mark, { where: { schoolId: mark.schoolId, id: mark.id }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw notFound('mark', markKey.id);
      await em.delete(Mark, { schoolId: mark.schoolId, id: mark.id });
      await this.recordMarkChange(em, ctx, viewer.accountId, 'mark', MarkChangeAction.REMOVED, before, null);
      return before;
    });
  }

  /** Records a student's attendance in a lesson; a null status means present (the record is removed). */
  async setAttendance(ctx: Context, lessonKey: SchoolKey, studentKey: SchoolKey, status: AttendanceStatus | null, comment?: string | null): Promise<Attendance | null> {
    const lesson = await ctx.loaders.lesson.load(lessonKey);
    if (!lesson) throw notFound('lesson', lessonKey.id);
    const { viewer, course } = await this.writableCourse(ctx, lesson.schoolId, lesson.courseId);
    return this.ds.transaction(async (em) => {
      if (studentKey.schoolId !== lesson.schoolId || !(await this.repo.isInCourseOn(em, course, studentKey.id, lesson.date))) {
        throw JournalErrors.studentNotInCourse(lesson.date);
      }
      const where = { schoolId: lesson.schoolId, lessonId: lesson.id, studentId: studentKey.id };
      await markLearningDataChanged(em, lesson.schoolId);
      if (status === null) await em.delete(Attendance, where);
      else {
        await em.upsert(Attendance, {
          ...where, status, comment: comment?.trim() || null, recordedAt: new Date(), recordedById: policy.staffIdIn(viewer, lesson.schoolId),
        }, ['schoolId', 'lessonId', 'studentId']);
      }
      await recordAudit(em, [{
        action: 'attendance.set', schoolId: lesson.schoolId, actorAccountId: viewer.accountId, subjectType: 'lesson',
        subjectId: lesson.id, studentId: studentKey.id, clientAddress: ctx.clientAddress, details: { status },
      }]);
      return status === null ? null : em.findOneByOrFail(Attendance, where);
    });
  }

  /** Sets (or, with a null value, removes) a term, year, exam or final mark. */
  async setFinalMark(ctx: Context, input: FinalMarkInput): Promise<FinalMark | null> {
    const { viewer, course } = await this.writableCourse(ctx, input.courseId.schoolId, input.courseId.id);
    if ((input.kind === FinalMarkKind.TERM) !== Boolean(input.termId)) throw JournalErrors.termKindMismatch();
    let termId: string | null = null;
    if (input.termId) {
      const [term, classGroup] = await Promise.all([
        input.termId.schoolId === course.schoolId ? ctx.loaders.term.load(input.termId) : null,
        ctx.loaders.classGroup.load({ schoolId: course.schoolId, id: course.classGroupId }),
      ]);
      if (!term) throw notFound('term', input.termId.id);
      if (term.academicYearId !== classGroup!.academicYearId) throw JournalErrors.termOfAnotherYear();
      termId = term.id;
    }
    const parsed = input.value === null ? null : parseMark(input.scale, input.value);
    if (input.value !== null && !parsed) throw JournalErrors.markOffScale(input.scale, input.value);
    const studentId = input.studentId.id;
    return this.ds.transaction(async (em) => {
      if (input.studentId.schoolId !== course.schoolId || !(await this.repo.isInCourseOn(em, course, studentId, null))) {
        throw JournalErrors.studentNotInCourse('any day of the year');
      }
      const where = { schoolId: course.schoolId, studentId, courseId: course.id, kind: input.kind };
      const before = await em.createQueryBuilder(FinalMark, 'f').setLock('pessimistic_write')
        .where('f.school_id = :schoolId AND f.student_id = :studentId AND f.course_id = :courseId AND f.kind = :kind AND f.term_id IS NOT DISTINCT FROM :termId',
          { ...where, termId })
        .getOne();
      if (!parsed) {
        if (before) {
          await em.delete(FinalMark, { schoolId: before.schoolId, id: before.id });
          await this.recordMarkChange(em, ctx, viewer.accountId, 'final_mark', MarkChangeAction.REMOVED, before, null);
        }
        return null;
      }
      const values = { ...parsed, enteredAt: new Date(), enteredById: policy.staffIdIn(viewer, course.schoolId) };
      let id: string;
      if (before) {
        await em.update(FinalMark, { schoolId: before.schoolId, id: before.id }, values);
        id = before.id;
      } else {
        id = randomUUID();
        await em.insert(FinalMark, { ...where, id, termId, ...values });
      }
      const after = await em.findOneByOrFail(FinalMark, { schoolId: course.schoolId, id });
      await this.recordMarkChange(em, ctx, viewer.accountId, 'final_mark', before ? MarkChangeAction.CHANGED : MarkChangeAction.CREATED, before, after);
      return after;
    });
  }

  /**
   * The history of a lesson mark or a final mark, for those who may read its course's journal. The
   * course is found from the history itself, so the history of a removed mark stays readable.
   */
  async historyQuery(ctx: Context, markKey: SchoolKey) {
    const [latest] = await this.ds.query(
      `SELECT mark_type, student_id, coalesce(after, before) AS state FROM mark_history WHERE school_id = $1 AND mark_id = $2 ORDER BY id DESC LIMIT 1`,
      [markKey.schoolId, markKey.id],
    );
    if (!latest) throw notFound('mark', markKey.id);
    const courseId: string = latest.mark_type === 'mark'
      ? (await ctx.loaders.lesson.load({ schoolId: markKey.schoolId, id: latest.state.lessonId }))!.courseId
      : latest.state.courseId;
    const course = (await ctx.loaders.course.load({ schoolId: markKey.schoolId, id: courseId }))!;
    const viewer = policy.readJournal(ctx.viewer, course.schoolId, course.id, course.classGroupId);
    await recordAudit(this.ds.manager, [{
      action: 'mark_history.read', schoolId: markKey.schoolId, actorAccountId: viewer.accountId, subjectType: latest.mark_type,
      subjectId: markKey.id, studentId: latest.student_id, clientAddress: ctx.clientAddress,
    }], { waitForDisk: false });
    return this.ds.getRepository(MarkHistoryEntry).createQueryBuilder('h')
      .where('h.school_id = :schoolId AND h.mark_id = :markId', { schoolId: markKey.schoolId, markId: markKey.id });
  }

  /** Who may write, and whether the school's journal is the hub's: asked in this order, so a stranger learns nothing. */
  private async writableCourse(ctx: Context, schoolId: string, courseId: string) {
    const viewer = policy.writeJournal(ctx.viewer, schoolId, courseId);
    const course = await ctx.loaders.course.load({ schoolId, id: courseId });
    if (!course) throw notFound('course', courseId);
    const school = (await ctx.loaders.school.load(schoolId))!;
    if (school.systemOfRecord !== BUILTIN_JOURNAL) throw JournalErrors.readOnlySchool(school);
    return { viewer, course: course as Course, school };
  }

  private async assertWorkKind(ctx: Context, code: string): Promise<void> {
    const kinds = await ctx.loaders.workKinds.load('all');
    if (!kinds.some((k) => k.code === code)) throw JournalErrors.unknownWorkKind(code);
  }

  private async recordMarkChange(
    em: EntityManager, ctx: Context, accountId: string, markType: 'mark' | 'final_mark',
    action: MarkChangeAction, before: Mark | FinalMark | null, after: Mark | FinalMark | null,
  ): Promise<void> {
    const mark = (after ?? before)!;
    await markLearningDataChanged(em, mark.schoolId);
    await em.query(
      `INSERT INTO mark_history (school_id, mark_type, mark_id, student_id, action, before, after, changed_by_account_id, changed_via)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'journal')`,
      [mark.schoolId, markType, mark.id, mark.studentId, action, before && snapshot(before), after && snapshot(after), accountId],
    );
    await recordAudit(em, [{
      action: `${markType}.${action}`, schoolId: mark.schoolId, actorAccountId: accountId, subjectType: markType,
      subjectId: mark.id, studentId: mark.studentId, clientAddress: ctx.clientAddress,
    }]);
  }
}

/**
 * Each student's periods in the course within the range (a student may have left and come back).
 * An open end stays open; an end after the range is shown as the range's last day.
 */
function periodsByStudent(roster: StudentPeriod[], range: { from: string; to: string }): Map<string, EnrollmentPeriod[]> {
  const periods = new Map<string, EnrollmentPeriod[]>();
  for (const r of roster) {
    const startsOn = r.startsOn > range.from ? r.startsOn : range.from;
    const endsOn = r.endsOn === null ? null : r.endsOn > range.to ? range.to : r.endsOn;
    const list = periods.get(r.studentId) ?? [];
    list.push({ startsOn, endsOn });
    periods.set(r.studentId, list);
  }
  return periods;
}

export function groupBy<T>(items: T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

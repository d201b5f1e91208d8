import { DataSource } from 'typeorm';
import { badInput, notFound } from '../../common/errors';
import { SchoolKey } from '../../db/batch';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { recordAudit } from '../audit/audit.service';
import { Enrollment, Student } from '../people/person.entity';
import { weightsOfSchool } from '../schools/weights';
import { Mark } from '../journal/journal.entities';
import { groupBy } from '../journal/journal.service';
import { weightedAverage } from '../journal/mark-scale';
import { DiaryRepository, DiaryRows } from './diary.repository';
import { Diary, DiaryDay, DiaryTerm } from './diary.types';

/** The longest range one diary request may cover: a school year and a little more. */
export const MAX_DIARY_DAYS = 366;

const DAY_MS = 24 * 60 * 60 * 1000;
const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS;
const overlaps = (aFrom: string, aTo: string | null, bFrom: string, bTo: string) => aFrom <= bTo && (aTo === null || aTo >= bFrom);
const unique = <T>(items: T[]) => [...new Set(items)];

/** A student's diary: the days of a range with lessons, marks and attendance, and the terms it touches. */
export class DiaryService {
  private readonly repo: DiaryRepository;

  constructor(private readonly ds: DataSource) {
    this.repo = new DiaryRepository(ds);
  }

  async diary(ctx: Context, studentKey: SchoolKey, from: string, to: string): Promise<Diary> {
    if (from > to) throw badInput('DIARY_RANGE_INVALID', { to: 'must not be before "from"' });
    if (daysBetween(from, to) >= MAX_DIARY_DAYS) throw badInput('DIARY_RANGE_TOO_LONG', { to: `must be within ${MAX_DIARY_DAYS} days of "from"` });
    const { schoolId } = studentKey;
    const { student, enrollments } = await this.repo.student(schoolId, studentKey.id);
    const inRange = enrollments.filter((e) => overlaps(e.startsOn, e.endsOn, from, to));
    // Asked before "does the student exist?", so that a stranger learns nothing from the answer.
    const viewer = policy.readStudentRecord(ctx.viewer, schoolId, studentKey.id, inRange.map((e) => e.classGroupId));
    if (!student) throw notFound('student', studentKey.id);
    const visible = policy.visibleClassGroups(viewer, schoolId, student.id);
    const seen = (e: Enrollment) => visible === null || visible.has(e.classGroupId);

    const rows = await this.repo.rows(schoolId, student.id, from, to, enrollments.filter(seen));
    primeLoaders(ctx, schoolId, student, rows);
    const weightOf = await weightsOfSchool(ctx.loaders, schoolId);
    const courseById = new Map(rows.courses.map((c) => [c.id, c]));
    const subjectById = new Map(rows.subjects.map((s) => [s.id, s]));
    const subjectOfCourse = (courseId: string) => subjectById.get(courseById.get(courseId)!.subjectId)!;
    const marksOfLesson = groupBy(rows.marks.map((m) => m.mark), (m) => m.lessonId);
    const attendanceOfLesson = new Map(rows.attendance.map((a) => [a.lessonId, a]));

    const days: DiaryDay[] = [...groupBy(rows.lessons, (l) => l.date)].map(([date, ofDay]) => ({
      date,
      lessons: ofDay.map((lesson) => ({
        lesson,
        subject: subjectOfCourse(lesson.courseId),
        marks: marksOfLesson.get(lesson.id) ?? [],
        attendance: attendanceOfLesson.get(lesson.id) ?? null,
      })),
    }));

    const subjects = unique(rows.courses.map((c) => c.subjectId)).map((id) => subjectById.get(id)!)
      .sort((a, b) => a.name.localeCompare(b.name, 'ru'));
    const terms: DiaryTerm[] = rows.terms.map((term) => {
      const inTerm = rows.marks.filter((m) => m.date >= term.startsOn && m.date <= term.endsOn);
      const bySubject = groupBy(inTerm, (m) => subjectOfCourse(m.courseId).id);
      return {
        term,
        subjects: subjects.map((subject) => {
          const subjectMarks: Mark[] = (bySubject.get(subject.id) ?? []).map((m) => m.mark);
          return {
            subject,
            marks: subjectMarks,
            average: weightedAverage(subjectMarks.map((m) => ({ numericValue: m.numericValue, weight: m.weight ?? weightOf(m.workKind) }))),
            termMark: rows.termMarks.find((f) => f.termId === term.id && courseById.get(f.courseId)?.subjectId === subject.id) ?? null,
          };
        }),
      };
    });

    if (!policy.isStudentSelf(viewer, schoolId, student.id)) {
      await recordAudit(this.ds.manager, [{
        action: 'diary.read', schoolId, actorAccountId: viewer.accountId, subjectType: 'student', subjectId: student.id,
        studentId: student.id, clientAddress: ctx.clientAddress, details: { from, to },
      }], { waitForDisk: false });
    }
    return { student, from, to, days, terms };
  }
}

/**
 * Seeds the request's loaders with the rows the diary's statement already brought, so that the
 * answer's nested fields (a lesson's teacher, a mark's kind of work and weight…) send no statement more.
 */
function primeLoaders(ctx: Context, schoolId: string, student: Student, rows: DiaryRows): void {
  const { loaders } = ctx;
  loaders.student.prime(student, student);
  for (const course of rows.courses) loaders.course.prime(course, course);
  for (const term of rows.terms) loaders.term.prime(term, term);
  for (const subject of rows.subjects) loaders.subject.prime(subject.id, subject);
  const teachers = new Map(rows.teachers.map((t) => [t.id, t]));
  for (const id of unique(rows.lessons.map((l) => l.teacherId).filter((id) => id !== null))) {
    loaders.staff.prime({ schoolId, id: id! }, teachers.get(id!) ?? null);
  }
  loaders.workKinds.prime('all', rows.workKinds);
  loaders.workKindWeightsOfSchool.prime(schoolId, rows.weights);
}

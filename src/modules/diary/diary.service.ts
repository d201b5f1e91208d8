import { DataSource } from 'typeorm';
import { badInput, notFound } from '../../common/errors';
import { SchoolKey } from '../../db/batch';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { recordAudit } from '../audit/audit.service';
import { Enrollment } from '../people/person.entity';
import { covers } from '../people/people.order';
import { Term } from '../schools/academic-year.entity';
import { ClassGroup, Course } from '../schools/class-group.entity';
import { Subject } from '../schools/school.entity';
import { weightsOfSchool } from '../schools/weights';
import { Lesson, Mark } from '../journal/journal.entities';
import { JournalRepository } from '../journal/journal.repository';
import { groupBy } from '../journal/journal.service';
import { weightedAverage } from '../journal/mark-scale';
import { Diary, DiaryDay, DiaryTerm } from './diary.types';

/** The longest range one diary request may cover: a school year and a little more. */
export const MAX_DIARY_DAYS = 366;

const DAY_MS = 24 * 60 * 60 * 1000;
const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY_MS;
const overlaps = (aFrom: string, aTo: string | null, bFrom: string, bTo: string) => aFrom <= bTo && (aTo === null || aTo >= bFrom);
const unique = <T>(items: T[]) => [...new Set(items)];
const minDate = (...d: string[]) => d.reduce((a, b) => (a < b ? a : b));
const maxDate = (...d: string[]) => d.reduce((a, b) => (a > b ? a : b));

/** A student's diary: the days of a range with lessons, marks and attendance, and the terms it touches. */
export class DiaryService {
  private readonly repo: JournalRepository;

  constructor(private readonly ds: DataSource) {
    this.repo = new JournalRepository(ds);
  }

  async diary(ctx: Context, studentKey: SchoolKey, from: string, to: string): Promise<Diary> {
    if (from > to) throw badInput('DIARY_RANGE_INVALID', { to: 'must not be before "from"' });
    if (daysBetween(from, to) >= MAX_DIARY_DAYS) throw badInput('DIARY_RANGE_TOO_LONG', { to: `must be within ${MAX_DIARY_DAYS} days of "from"` });
    const { schoolId } = studentKey;
    const [student, allEnrollments] = await Promise.all([
      ctx.loaders.student.load(studentKey),
      ctx.loaders.enrollmentsOfStudent.load(studentKey),
    ]);
    const inRange = allEnrollments.filter((e) => overlaps(e.startsOn, e.endsOn, from, to));
    // Asked before "does the student exist?", so that a stranger learns nothing from the answer.
    const viewer = policy.readStudentRecord(ctx.viewer, schoolId, studentKey.id, inRange.map((e) => e.classGroupId));
    if (!student) throw notFound('student', studentKey.id);
    const visible = policy.visibleClassGroups(viewer, schoolId, student.id);
    const seen = (e: Enrollment) => visible === null || visible.has(e.classGroupId);

    const rangeClasses = (await ctx.loaders.classGroup.loadMany(unique(inRange.filter(seen).map((e) => e.classGroupId)).map((id) => ({ schoolId, id })))) as ClassGroup[];
    const terms = await this.termsTouched(ctx, rangeClasses, from, to);
    // One read of lessons and marks covers both the days asked for and the whole of each term touched;
    // the classes are those of the whole span, so a term's summary does not depend on the range asked.
    const span = { from: minDate(from, ...terms.map((t) => t.startsOn)), to: maxDate(to, ...terms.map((t) => t.endsOn)) };
    const enrollments = allEnrollments.filter((e) => seen(e) && overlaps(e.startsOn, e.endsOn, span.from, span.to));
    const classGroupKeys = unique(enrollments.map((e) => e.classGroupId)).map((id) => ({ schoolId, id }));
    const [coursesPerClass, subgroups, weightOf] = await Promise.all([
      ctx.loaders.coursesOfClassGroup.loadMany(classGroupKeys) as Promise<Course[][]>,
      this.repo.subgroupCoursesOfStudent(schoolId, student.id),
      weightsOfSchool(ctx.loaders, schoolId),
    ]);
    const courses = coursesPerClass.flat().filter((c) => c.subgroup === '' || subgroups.has(c.id));
    const courseById = new Map(courses.map((c) => [c.id, c]));
    const lessons = (await this.repo.lessonsOfCourses(schoolId, courses.map((c) => c.id), span))
      .filter((l) => wasInClassOn(courseById.get(l.courseId)!.classGroupId, l.date, enrollments));
    const dayLessons = lessons.filter((l) => l.date >= from && l.date <= to);
    const [marks, attendance, termMarks] = await Promise.all([
      this.repo.marksOfLessons(schoolId, lessons.map((l) => l.id), student.id),
      this.repo.attendanceOfLessons(schoolId, dayLessons.map((l) => l.id), student.id),
      this.repo.termMarks(schoolId, courses.map((c) => c.id), terms.map((t) => t.id), student.id),
    ]);
    const subjects = new Map(
      ((await ctx.loaders.subject.loadMany(unique(courses.map((c) => c.subjectId)))) as Subject[]).map((s) => [s.id, s]),
    );
    const subjectOf = (lesson: Lesson) => subjects.get(courseById.get(lesson.courseId)!.subjectId)!;
    const marksOfLesson = groupBy(marks, (m) => m.lessonId);
    const attendanceOfLesson = new Map(attendance.map((a) => [a.lessonId, a]));

    const days: DiaryDay[] = [...groupBy(dayLessons, (l) => l.date)].map(([date, ofDay]) => ({
      date,
      lessons: ofDay
        .sort((a, b) => a.number - b.number)
        .map((lesson) => ({
          lesson,
          subject: subjectOf(lesson),
          marks: marksOfLesson.get(lesson.id) ?? [],
          attendance: attendanceOfLesson.get(lesson.id) ?? null,
        })),
    }));

    const lessonById = new Map(lessons.map((l) => [l.id, l]));
    const termSummaries: DiaryTerm[] = terms.map((term) => {
      const inTerm = marks.filter((m) => {
        const date = lessonById.get(m.lessonId)!.date;
        return date >= term.startsOn && date <= term.endsOn;
      });
      const bySubject = groupBy(inTerm, (m) => subjectOf(lessonById.get(m.lessonId)!).id);
      return {
        term,
        subjects: unique(courses.map((c) => c.subjectId))
          .map((subjectId) => subjects.get(subjectId)!)
          .sort((a, b) => a.name.localeCompare(b.name, 'ru'))
          .map((subject) => {
            const subjectMarks: Mark[] = bySubject.get(subject.id) ?? [];
            return {
              subject,
              marks: subjectMarks,
              average: weightedAverage(subjectMarks.map((m) => ({ numericValue: m.numericValue, weight: m.weight ?? weightOf(m.workKind) }))),
              termMark: termMarks.find((f) => f.termId === term.id && courseById.get(f.courseId)?.subjectId === subject.id) ?? null,
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
    return { student, from, to, days, terms: termSummaries };
  }

  /** Terms of the student's classes (each class's own kind of term) that overlap the range. */
  private async termsTouched(ctx: Context, classGroups: ClassGroup[], from: string, to: string): Promise<Term[]> {
    if (classGroups.length === 0) return [];
    const years = [...new Set(classGroups.map((c) => c.academicYearId))];
    const termsPerYear = (await ctx.loaders.termsOfYear.loadMany(years.map((id) => ({ schoolId: classGroups[0].schoolId, id })))) as Term[][];
    const kinds = new Set(classGroups.map((c) => `${c.academicYearId}/${c.termKind}`));
    return termsPerYear
      .flat()
      .filter((t) => kinds.has(`${t.academicYearId}/${t.kind}`) && overlaps(t.startsOn, t.endsOn, from, to))
      .sort((a, b) => a.startsOn.localeCompare(b.startsOn));
  }
}

/** Whether the student was in the class on the day: a student who changed class sees each class's own days. */
function wasInClassOn(classGroupId: string, date: string, enrollments: Enrollment[]): boolean {
  return enrollments.some((e) => e.classGroupId === classGroupId && covers(e, date));
}

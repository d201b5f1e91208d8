import { DataSource, EntityManager } from 'typeorm';
import { Course } from '../schools/class-group.entity';
import { Attendance, FinalMark, FinalMarkKind, Lesson, Mark } from './journal.entities';

export interface DateRange {
  from: string;
  to: string;
}

export interface StudentPeriod {
  studentId: string;
  startsOn: string;
  endsOn: string | null;
}

/** The SQL of journals and diaries. Each method is one statement, whatever the number of rows. */
export class JournalRepository {
  constructor(private readonly ds: DataSource) {}

  lessonsOfCourses(schoolId: string, courseIds: string[], { from, to }: DateRange): Promise<Lesson[]> {
    if (courseIds.length === 0) return Promise.resolve([]);
    return this.ds.getRepository(Lesson).createQueryBuilder('l')
      .where('l.school_id = :schoolId AND l.course_id = ANY(:courseIds) AND l.date BETWEEN :from AND :to', { schoolId, courseIds, from, to })
      .orderBy('l.date').addOrderBy('l.number').getMany();
  }

  /**
   * The periods each student belonged to a course within a range: enrolled in its class and, for a
   * subgroup course, a member of the subgroup.
   */
  async rosterOfCourse(course: Course, { from, to }: DateRange): Promise<StudentPeriod[]> {
    const rows: { student_id: string; starts_on: string; ends_on: string | null }[] = await this.ds.query(
      `SELECT e.student_id, e.starts_on, e.ends_on
         FROM enrollment e
        WHERE e.school_id = $1 AND e.class_group_id = $2 AND e.deleted_in_source_at IS NULL
          AND e.starts_on <= $4 AND (e.ends_on IS NULL OR e.ends_on >= $3)
          AND ($5 = '' OR EXISTS (SELECT 1 FROM course_student cs
                                   WHERE cs.school_id = e.school_id AND cs.course_id = $6 AND cs.student_id = e.student_id))
        ORDER BY e.starts_on`,
      [course.schoolId, course.classGroupId, from, to, course.subgroup, course.id],
    );
    return rows.map((r) => ({ studentId: r.student_id, startsOn: r.starts_on, endsOn: r.ends_on }));
  }

  marksOfLessons(schoolId: string, lessonIds: string[], studentId?: string): Promise<Mark[]> {
    if (lessonIds.length === 0) return Promise.resolve([]);
    const q = this.ds.getRepository(Mark).createQueryBuilder('m')
      .where('m.school_id = :schoolId AND m.lesson_id = ANY(:lessonIds)', { schoolId, lessonIds });
    if (studentId) q.andWhere('m.student_id = :studentId', { studentId });
    return q.orderBy('m.entered_at').addOrderBy('m.id').getMany();
  }

  attendanceOfLessons(schoolId: string, lessonIds: string[], studentId?: string): Promise<Attendance[]> {
    if (lessonIds.length === 0) return Promise.resolve([]);
    const q = this.ds.getRepository(Attendance).createQueryBuilder('a')
      .where('a.school_id = :schoolId AND a.lesson_id = ANY(:lessonIds)', { schoolId, lessonIds });
    if (studentId) q.andWhere('a.student_id = :studentId', { studentId });
    return q.getMany();
  }

  termMarks(schoolId: string, courseIds: string[], termIds: string[], studentId?: string): Promise<FinalMark[]> {
    if (courseIds.length === 0 || termIds.length === 0) return Promise.resolve([]);
    const q = this.ds.getRepository(FinalMark).createQueryBuilder('f')
      .where('f.school_id = :schoolId AND f.course_id = ANY(:courseIds) AND f.kind = :kind AND f.term_id = ANY(:termIds)',
        { schoolId, courseIds, termIds, kind: FinalMarkKind.TERM });
    if (studentId) q.andWhere('f.student_id = :studentId', { studentId });
    return q.getMany();
  }

  /**
   * Whether the student belonged to the course — enrolled in its class and, for a subgroup course, a
   * member of the subgroup — on the date, or on any day when `date` is null.
   */
  async isInCourseOn(em: EntityManager, course: Course, studentId: string, date: string | null): Promise<boolean> {
    const [row] = await em.query(
      `SELECT EXISTS (
         SELECT 1 FROM enrollment e
          WHERE e.school_id = $1 AND e.class_group_id = $2 AND e.student_id = $3 AND e.deleted_in_source_at IS NULL
            AND ($4::date IS NULL OR (e.starts_on <= $4::date AND (e.ends_on IS NULL OR e.ends_on >= $4::date)))
            AND ($5 = '' OR EXISTS (SELECT 1 FROM course_student cs
                                     WHERE cs.school_id = $1 AND cs.course_id = $6 AND cs.student_id = $3))) AS ok`,
      [course.schoolId, course.classGroupId, studentId, date, course.subgroup, course.id],
    );
    return row.ok;
  }

  /** The subgroup courses (language groups) a student belongs to. */
  async subgroupCoursesOfStudent(schoolId: string, studentId: string): Promise<Set<string>> {
    const rows: { course_id: string }[] = await this.ds.query(
      'SELECT course_id FROM course_student WHERE school_id = $1 AND student_id = $2', [schoolId, studentId]);
    return new Set(rows.map((r) => r.course_id));
  }
}

import { DataSource, EntityManager } from 'typeorm';
import { SchoolKey } from '../../db/batch';
import { preparedStatement, queryPrepared } from '../../db/prepared';
import { entitiesFromJson, entityFromJson, JsonRow } from '../../db/from-json';
import { Staff, Student } from '../people/person.entity';
import { Term } from '../schools/academic-year.entity';
import { ClassGroup, Course, CourseTeacher } from '../schools/class-group.entity';
import { SchoolWorkKindWeight, Subject, WorkKind } from '../schools/school.entity';
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

export interface JournalHeading {
  course: Course | null;
  classGroup: ClassGroup | null;
  term: Term | null;
}

/** What journalOfCourse reads; the rows are entities, as the loaders would give them. */
export interface JournalContents {
  lessons: Lesson[];
  /** Ordered by start. */
  periods: StudentPeriod[];
  /** The live students among those of the periods. */
  students: Student[];
  /** Of those students in those lessons, in the order they were entered. */
  marks: Mark[];
  attendance: Attendance[];
  termMarks: FinalMark[];
  teacherLinks: CourseTeacher[];
  /** Every staff member the journal refers to: teachers, the homeroom teacher, who entered marks. */
  staff: { id: string; staff: Staff | null }[];
  subject: Subject;
  /** All of them, in their order. */
  workKinds: WorkKind[];
  workKindWeights: SchoolWorkKindWeight[];
}

type ContentsRow = Record<'lessons' | 'periods' | 'students' | 'marks' | 'attendance' | 'term_marks' | 'teacher_links' | 'work_kinds' | 'work_kind_weights', JsonRow[]>
  & { staff: { id: string; staff: JsonRow | null }[]; subject: JsonRow };

const JOURNAL_HEADING = preparedStatement('journal_heading', `
  SELECT to_jsonb(c) AS course, to_jsonb(g) AS class_group, to_jsonb(t) AS term
    FROM course c
    LEFT JOIN class_group g ON g.school_id = c.school_id AND g.id = c.class_group_id AND g.deleted_in_source_at IS NULL
    LEFT JOIN term t ON t.school_id = c.school_id AND t.school_id = $3 AND t.id = $4 AND t.deleted_in_source_at IS NULL
   WHERE c.school_id = $1 AND c.id = $2 AND c.deleted_in_source_at IS NULL`);

const JOURNAL_OF_COURSE = preparedStatement('journal_of_course', `
  WITH lesson_row AS (
    SELECT * FROM lesson
     WHERE school_id = $1 AND course_id = $2 AND date BETWEEN $3::date AND $4::date AND deleted_in_source_at IS NULL),
  period AS (
    SELECT e.student_id, e.starts_on, e.ends_on FROM enrollment e
     WHERE e.school_id = $1 AND e.class_group_id = $5 AND e.deleted_in_source_at IS NULL
       AND e.starts_on <= $4::date AND (e.ends_on IS NULL OR e.ends_on >= $3::date)
       AND ($6 = '' OR EXISTS (SELECT 1 FROM course_student cs
                                WHERE cs.school_id = $1 AND cs.course_id = $2 AND cs.student_id = e.student_id))),
  student_row AS (
    SELECT * FROM student
     WHERE school_id = $1 AND id IN (SELECT student_id FROM period) AND deleted_in_source_at IS NULL),
  mark_row AS (
    SELECT * FROM mark
     WHERE school_id = $1 AND lesson_id IN (SELECT id FROM lesson_row) AND student_id IN (SELECT id FROM student_row)),
  attendance_row AS (
    SELECT * FROM attendance
     WHERE school_id = $1 AND lesson_id IN (SELECT id FROM lesson_row) AND student_id IN (SELECT id FROM student_row)),
  term_mark_row AS (
    SELECT * FROM final_mark
     WHERE school_id = $1 AND course_id = $2 AND kind = $10 AND term_id = $7
       AND student_id IN (SELECT id FROM student_row)),
  teacher_link AS (
    SELECT * FROM course_teacher WHERE school_id = $1 AND course_id = $2),
  staff_ref AS (
    SELECT staff_id AS id FROM teacher_link
    UNION SELECT $8::uuid
    UNION SELECT teacher_id FROM lesson_row
    UNION SELECT entered_by_id FROM mark_row)
  SELECT
    (SELECT coalesce(json_agg(l ORDER BY l.date, l.number), '[]') FROM lesson_row l) AS lessons,
    (SELECT coalesce(json_agg(p ORDER BY p.starts_on), '[]') FROM period p) AS periods,
    (SELECT coalesce(json_agg(s), '[]') FROM student_row s) AS students,
    (SELECT coalesce(json_agg(m ORDER BY m.entered_at, m.id), '[]') FROM mark_row m) AS marks,
    (SELECT coalesce(json_agg(a), '[]') FROM attendance_row a) AS attendance,
    (SELECT coalesce(json_agg(f), '[]') FROM term_mark_row f) AS term_marks,
    (SELECT coalesce(json_agg(t), '[]') FROM teacher_link t) AS teacher_links,
    (SELECT coalesce(json_agg(json_build_object('id', r.id, 'staff', to_jsonb(s))), '[]')
       FROM staff_ref r LEFT JOIN staff s ON s.school_id = $1 AND s.id = r.id AND s.deleted_in_source_at IS NULL
      WHERE r.id IS NOT NULL) AS staff,
    (SELECT to_jsonb(s) FROM subject s WHERE s.id = $9) AS subject,
    (SELECT coalesce(json_agg(k ORDER BY k.sort_order), '[]') FROM work_kind k) AS work_kinds,
    (SELECT coalesce(json_agg(w), '[]') FROM school_work_kind_weight w WHERE w.school_id = $1) AS work_kind_weights`);

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
   * A journal's heading: the live course, its live class and the live term of the same school — each
   * null when not found. Nothing of the course's students: the policy decides on these facts first.
   */
  async journalHeading(courseKey: SchoolKey, termKey: SchoolKey): Promise<JournalHeading> {
    const [row] = await queryPrepared<{ course: JsonRow; class_group: JsonRow | null; term: JsonRow | null }>(
      this.ds, JOURNAL_HEADING, [courseKey.schoolId, courseKey.id, termKey.schoolId, termKey.id]);
    if (!row) return { course: null, classGroup: null, term: null };
    return {
      course: entityFromJson(this.ds, Course, row.course),
      classGroup: row.class_group && entityFromJson(this.ds, ClassGroup, row.class_group),
      term: row.term && entityFromJson(this.ds, Term, row.term),
    };
  }

  /**
   * Everything a course's journal for a term shows, in one statement whatever the class size: the
   * term's lessons; the periods each student belonged to the course within the term (enrolled in its
   * class and, for a subgroup course, a member of the subgroup) and those students; their marks,
   * attendance and term marks; and what the journal's nested fields name — the course's teacher
   * links, every staff member referred to (null when deleted in source), the subject, the work kinds
   * and the school's weights.
   */
  async journalOfCourse(course: Course, classGroup: ClassGroup, term: Term): Promise<JournalContents> {
    const [row] = await queryPrepared<ContentsRow>(this.ds, JOURNAL_OF_COURSE, [
      course.schoolId, course.id, term.startsOn, term.endsOn, classGroup.id, course.subgroup, term.id, classGroup.homeroomTeacherId, course.subjectId,
      FinalMarkKind.TERM,
    ]);
    const ds = this.ds;
    return {
      lessons: entitiesFromJson(ds, Lesson, row.lessons),
      periods: row.periods.map((p) => ({ studentId: p.student_id as string, startsOn: p.starts_on as string, endsOn: p.ends_on as string | null })),
      students: entitiesFromJson(ds, Student, row.students),
      marks: entitiesFromJson(ds, Mark, row.marks),
      attendance: entitiesFromJson(ds, Attendance, row.attendance),
      termMarks: entitiesFromJson(ds, FinalMark, row.term_marks),
      teacherLinks: entitiesFromJson(ds, CourseTeacher, row.teacher_links),
      staff: row.staff.map((r) => ({ id: r.id, staff: r.staff && entityFromJson(ds, Staff, r.staff) })),
      subject: entityFromJson(ds, Subject, row.subject),
      workKinds: entitiesFromJson(ds, WorkKind, row.work_kinds),
      workKindWeights: entitiesFromJson(ds, SchoolWorkKindWeight, row.work_kind_weights),
    };
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

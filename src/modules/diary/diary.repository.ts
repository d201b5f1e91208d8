import { DataSource, EntityTarget, ObjectLiteral } from 'typeorm';
import { entitiesFromArrays, entitiesFromJson, entityFromArray, entityFromJson, jsonArray, JsonRow } from '../../db/from-json';
import { preparedStatement, preparedStatementOfEntities, queryPrepared } from '../../db/prepared';
import { Enrollment, Staff, Student } from '../people/person.entity';
import { Term } from '../schools/academic-year.entity';
import { Course } from '../schools/class-group.entity';
import { SchoolWorkKindWeight, Subject, WorkKind } from '../schools/school.entity';
import { Attendance, FinalMark, Lesson, Mark } from '../journal/journal.entities';

/** A mark of the diary's span, with the date and course of its lesson (for the term summaries). */
export interface SpanMark {
  mark: Mark;
  date: string;
  courseId: string;
}

/** Everything a diary shows besides the student, read in one statement. */
export interface DiaryRows {
  /** Terms of the student's classes that the range touches, in date order. */
  terms: Term[];
  /** Courses of the student's classes over the range and the terms touched (subgroup courses only the student's). */
  courses: Course[];
  subjects: Subject[];
  /** Lessons of the days asked for, on days the student was in the course's class, by date and number. */
  lessons: Lesson[];
  /** The student's marks in the lessons of the range and of the whole of each term touched. */
  marks: SpanMark[];
  attendance: Attendance[];
  termMarks: FinalMark[];
  /** Staff teaching the lessons of the days asked for. */
  teachers: Staff[];
  workKinds: WorkKind[];
  weights: SchoolWorkKindWeight[];
}

const STUDENT_WITH_ENROLLMENTS = preparedStatement('diary_student', `
  SELECT (SELECT row_to_json(s) FROM student s WHERE s.school_id = $1 AND s.id = $2 AND s.deleted_in_source_at IS NULL) AS student,
         (SELECT json_agg(e ORDER BY e.starts_on) FROM enrollment e
           WHERE e.school_id = $1 AND e.student_id = $2 AND e.deleted_in_source_at IS NULL) AS enrollments`);

/** The rows come as json arrays of their entities' columns (see jsonArray). */
const DIARY_ROWS = preparedStatementOfEntities('diary_rows', (ds) => {
  const row = (target: EntityTarget<ObjectLiteral>, alias: string) => jsonArray(ds, target, alias);
  return `
  WITH enr AS (
    SELECT * FROM unnest($5::uuid[], $6::date[], $7::date[]) AS e(class_group_id, starts_on, ends_on)),
  terms AS (
    SELECT t.* FROM term t
     WHERE t.school_id = $1 AND t.deleted_in_source_at IS NULL AND t.starts_on <= $4::date AND t.ends_on >= $3::date
       AND EXISTS (SELECT 1 FROM class_group cg JOIN enr ON enr.class_group_id = cg.id
                    WHERE cg.school_id = $1 AND cg.deleted_in_source_at IS NULL
                      AND cg.academic_year_id = t.academic_year_id AND cg.term_kind = t.kind
                      AND enr.starts_on <= $4::date AND (enr.ends_on IS NULL OR enr.ends_on >= $3::date))),
  span AS (
    SELECT least($3::date, min(starts_on)) AS first_day, greatest($4::date, max(ends_on)) AS last_day FROM terms),
  courses AS (
    SELECT c.* FROM course c
     WHERE c.school_id = $1 AND c.deleted_in_source_at IS NULL
       AND c.class_group_id IN (SELECT enr.class_group_id FROM enr, span
                                 WHERE enr.starts_on <= span.last_day AND (enr.ends_on IS NULL OR enr.ends_on >= span.first_day))
       AND (c.subgroup = '' OR EXISTS (SELECT 1 FROM course_student cs
                                        WHERE cs.school_id = $1 AND cs.course_id = c.id AND cs.student_id = $2))),
  lessons AS (
    SELECT l.* FROM lesson l JOIN courses c ON c.id = l.course_id, span
     WHERE l.school_id = $1 AND l.deleted_in_source_at IS NULL AND l.date BETWEEN span.first_day AND span.last_day
       AND EXISTS (SELECT 1 FROM enr WHERE enr.class_group_id = c.class_group_id
                                       AND enr.starts_on <= l.date AND (enr.ends_on IS NULL OR enr.ends_on >= l.date))),
  days AS (SELECT * FROM lessons WHERE date BETWEEN $3::date AND $4::date)
  SELECT json_build_object(
    'terms', (SELECT json_agg(${row(Term, 't')} ORDER BY t.starts_on) FROM terms t),
    'courses', (SELECT json_agg(${row(Course, 'c')}) FROM courses c),
    'subjects', (SELECT json_agg(${row(Subject, 's')}) FROM subject s WHERE s.id IN (SELECT subject_id FROM courses)),
    'lessons', (SELECT json_agg(${row(Lesson, 'd')} ORDER BY d.date, d.number) FROM days d),
    'marks', (SELECT json_agg(json_build_array(${row(Mark, 'm')}, l.date, l.course_id) ORDER BY m.entered_at, m.id)
                FROM mark m JOIN lessons l ON l.id = m.lesson_id WHERE m.school_id = $1 AND m.student_id = $2),
    'attendance', (SELECT json_agg(${row(Attendance, 'a')}) FROM attendance a
                    WHERE a.school_id = $1 AND a.student_id = $2 AND a.lesson_id IN (SELECT id FROM days)),
    'termMarks', (SELECT json_agg(${row(FinalMark, 'f')}) FROM final_mark f
                   WHERE f.school_id = $1 AND f.student_id = $2 AND f.kind = 'term'
                     AND f.course_id IN (SELECT id FROM courses) AND f.term_id IN (SELECT id FROM terms)),
    'teachers', (SELECT json_agg(${row(Staff, 'st')}) FROM staff st
                  WHERE st.school_id = $1 AND st.deleted_in_source_at IS NULL AND st.id IN (SELECT teacher_id FROM days)),
    'workKinds', (SELECT json_agg(${row(WorkKind, 'k')} ORDER BY k.sort_order) FROM work_kind k),
    'weights', (SELECT json_agg(${row(SchoolWorkKindWeight, 'w')}) FROM school_work_kind_weight w WHERE w.school_id = $1)) AS diary`;
});

/**
 * The diary's SQL: two statements whatever the range — the student with their enrollments (which the
 * policy decides on), then the rest for the enrollments the viewer may see.
 */
export class DiaryRepository {
  constructor(private readonly ds: DataSource) {}

  async student(schoolId: string, studentId: string): Promise<{ student: Student | null; enrollments: Enrollment[] }> {
    const [row] = await queryPrepared<{ student: JsonRow | null; enrollments: JsonRow[] | null }>(this.ds, STUDENT_WITH_ENROLLMENTS, [schoolId, studentId]);
    return {
      student: row.student ? entityFromJson(this.ds, Student, row.student) : null,
      enrollments: entitiesFromJson(this.ds, Enrollment, row.enrollments),
    };
  }

  /**
   * The days from..to and the whole of each term they touch, for the given enrollments only: the
   * terms come from the classes of the range, the courses from the classes of the whole span (so that a
   * term's summary does not depend on the range asked), and a lesson counts on a day the student was
   * in its class (a student who changed class sees each class's own days).
   */
  async rows(schoolId: string, studentId: string, from: string, to: string, enrollments: Enrollment[]): Promise<DiaryRows> {
    const [{ diary }] = await queryPrepared<{ diary: Record<string, unknown[][] | null> }>(this.ds, DIARY_ROWS(this.ds), [
      schoolId, studentId, from, to, enrollments.map((e) => e.classGroupId), enrollments.map((e) => e.startsOn), enrollments.map((e) => e.endsOn),
    ]);
    const as = <T extends object>(target: new () => T, rows: unknown[][] | null) => entitiesFromArrays(this.ds, target, rows);
    return {
      terms: as(Term, diary.terms),
      courses: as(Course, diary.courses),
      subjects: as(Subject, diary.subjects),
      lessons: as(Lesson, diary.lessons),
      marks: ((diary.marks ?? []) as [unknown[], string, string][])
        .map(([mark, date, courseId]) => ({ mark: entityFromArray(this.ds, Mark, mark), date, courseId })),
      attendance: as(Attendance, diary.attendance),
      termMarks: as(FinalMark, diary.termMarks),
      teachers: as(Staff, diary.teachers),
      workKinds: as(WorkKind, diary.workKinds),
      weights: as(SchoolWorkKindWeight, diary.weights),
    };
  }
}

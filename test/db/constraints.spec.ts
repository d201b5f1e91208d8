import { randomUUID } from 'node:crypto';
import { Fixture, Ref } from '../factories/fixture';
import { useTestDatabase } from '../setup/database';

/** The schema itself refuses wrong data, whatever path writes it. */
describe('constraints of the canonical model', () => {
  const db = useTestDatabase();
  let f: Fixture;
  let school: string;
  let year: Ref, cls: Ref, course: Ref, lesson: Ref, student: Ref, term: Ref;

  beforeAll(async () => {
    f = new Fixture(db.dataSource);
    school = await f.school();
    year = await f.year(school);
    term = await f.term(year, 'quarter', 1, '2026-09-01', '2026-10-26');
    cls = await f.classGroup(year, 5, 'А');
    course = await f.course(cls, 'mathematics', []);
    lesson = await f.lesson(course, '2026-09-02', 1);
    student = await f.student(school);
    await f.enroll(student, cls, '2026-09-01', '2026-12-31');
  });

  const refused = (sql: string, params: unknown[], constraint: string) =>
    expect(db.dataSource.query(sql, params)).rejects.toMatchObject({ driverError: expect.objectContaining({ constraint }) });

  it.each([
    ['five_point', '6', 6],
    ['five_point', '4', 9],
    ['five_point', '5', 1],
    ['ten_point', '7', 8],
    ['five_point', '5+-', 5],
    ['pass_fail', 'зач', 1],
    ['pass_fail', 'отлично', null],
    ['ten_point', '0', 0],
    ['hundred_point', '101', 101],
    ['letter', 'A', 5],
  ])('refuses a %s mark "%s" (numeric %p)', async (scale, value, numeric) => {
    await refused(
      `INSERT INTO mark (school_id, lesson_id, student_id, scale, value, numeric_value) VALUES ($1, $2, $3, $4, $5, $6)`,
      [school, lesson.id, student.id, scale, value, numeric],
      scale === 'letter' ? 'mark_scale_check' : 'mark_value_check',
    );
  });

  it('accepts marks on every scale', async () => {
    for (const [scale, value, numeric] of [['five_point', '4-', 3.75], ['pass_fail', 'незач', null], ['ten_point', '10', 10], ['hundred_point', '0', 0]]) {
      await db.dataSource.query(
        `INSERT INTO mark (school_id, lesson_id, student_id, scale, value, numeric_value) VALUES ($1, $2, $3, $4, $5, $6)`,
        [school, lesson.id, student.id, scale, value, numeric],
      );
    }
  });

  it('refuses duplicates', async () => {
    await refused(`INSERT INTO class_group (school_id, academic_year_id, grade_level, letter) VALUES ($1, $2, 5, 'А')`, [school, year.id],
      'class_group_school_id_academic_year_id_grade_level_letter_uq');
    await refused(`INSERT INTO lesson (school_id, course_id, date, number) VALUES ($1, $2, '2026-09-02', 1)`, [school, course.id],
      'lesson_school_id_course_id_date_number_uq');
    await db.dataSource.query(`INSERT INTO student (school_id, last_name, first_name, source_system, source_id) VALUES ($1, 'А', 'Б', 'eljur', '42')`, [school]);
    await refused(`INSERT INTO student (school_id, last_name, first_name, source_system, source_id) VALUES ($1, 'В', 'Г', 'eljur', '42')`, [school],
      'student_school_id_source_uq');
    await f.termMark(course, student, term, '5');
    await refused(
      `INSERT INTO final_mark (school_id, student_id, course_id, kind, term_id, scale, value, numeric_value) VALUES ($1, $2, $3, 'term', $4, 'five_point', '4', 4)`,
      [school, student.id, course.id, term.id], 'final_mark_school_id_student_id_course_id_kind_term_id_uq');
    await db.dataSource.query(
      `INSERT INTO final_mark (school_id, student_id, course_id, kind, scale, value, numeric_value) VALUES ($1, $2, $3, 'year', 'five_point', '4', 4)`,
      [school, student.id, course.id]);
    await refused(
      `INSERT INTO final_mark (school_id, student_id, course_id, kind, scale, value, numeric_value) VALUES ($1, $2, $3, 'year', 'five_point', '5', 5)`,
      [school, student.id, course.id], 'final_mark_school_id_student_id_course_id_kind_term_id_uq');
  });

  it('refuses dangling references, also across schools', async () => {
    await refused(`INSERT INTO mark (school_id, lesson_id, student_id, scale, value, numeric_value) VALUES ($1, $2, $3, 'five_point', '5', 5)`,
      [school, randomUUID(), student.id], 'mark_lesson_id_fkey');
    const otherSchool = await f.school();
    // The student exists, but in another school: school-scoped keys make that a dangling reference too.
    await refused(`INSERT INTO enrollment (school_id, student_id, class_group_id, starts_on) VALUES ($1, $2, $3, '2026-09-01')`,
      [otherSchool, student.id, cls.id], 'enrollment_student_id_fkey');
    await refused(`INSERT INTO course (school_id, class_group_id, subject_id) VALUES ($1, $2, $3)`, [school, cls.id, randomUUID()], 'course_subject_id_fkey');
  });

  it('refuses overlapping enrollments and terms, bad enumerations and bad dates', async () => {
    await refused(`INSERT INTO enrollment (school_id, student_id, class_group_id, starts_on) VALUES ($1, $2, $3, '2026-12-01')`,
      [school, student.id, cls.id], 'enrollment_no_overlap_excl');
    await refused(`INSERT INTO term (school_id, academic_year_id, kind, number, name, starts_on, ends_on) VALUES ($1, $2, 'quarter', 2, 'x', '2026-10-20', '2026-12-28')`,
      [school, year.id], 'term_no_overlap_excl');
    await refused(`INSERT INTO term (school_id, academic_year_id, kind, number, name, starts_on, ends_on) VALUES ($1, $2, 'half', 3, 'x', '2027-06-01', '2027-06-02')`,
      [school, year.id], 'term_number_check');
    await refused(`INSERT INTO attendance (school_id, lesson_id, student_id, status) VALUES ($1, $2, $3, 'sleeping')`,
      [school, lesson.id, student.id], 'attendance_status_check');
    await refused(`INSERT INTO staff (school_id, last_name, first_name, positions) VALUES ($1, 'А', 'Б', ARRAY['janitor'])`, [school], 'staff_positions_check');
    await refused(`INSERT INTO class_group (school_id, academic_year_id, grade_level, letter) VALUES ($1, $2, 12, 'А')`, [school, year.id], 'class_group_grade_level_check');
    await refused(`INSERT INTO school (municipality_id, full_name, short_name, time_zone) VALUES ($1, 'x', 'y', 'Mars/Olympus')`,
      [await f.municipality()], 'school_time_zone_check');
    await refused(`INSERT INTO enrollment (school_id, student_id, class_group_id, starts_on, ends_on) VALUES ($1, $2, $3, '2027-01-10', '2027-01-01')`,
      [school, student.id, cls.id], 'enrollment_dates_check');
    await refused(`INSERT INTO student_guardian (school_id, student_id, guardian_id, relation) VALUES ($1, $2, $3, 'aunt')`,
      [school, student.id, (await f.guardian(student)).id], 'student_guardian_relation_check');
  });

  it('keeps the audit trail append-only', async () => {
    await db.dataSource.query(`INSERT INTO audit_event (school_id, action) VALUES ($1, 'test.appended')`, [school]);
    await expect(db.dataSource.query(`UPDATE audit_event SET action = 'test.changed'`)).rejects.toThrow(/append-only/);
    await expect(db.dataSource.query(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
  });

  it('puts school_id in every key of every school-owned table (DESIGN rule 2)', async () => {
    const [problems] = await db.dataSource.query(`
      WITH owned AS (
        SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r'
           AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'school_id' AND NOT a.attisdropped))
      SELECT
        (SELECT array_agg(DISTINCT o.relname) FROM owned o JOIN pg_index i ON i.indrelid = o.oid
          WHERE (i.indisprimary OR i.indisunique)
            AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = o.oid AND a.attnum = ANY(i.indkey) AND a.attname = 'school_id')) AS keys_without_school,
        (SELECT array_agg(c.conname) FROM pg_constraint c
          WHERE c.contype = 'f' AND c.conrelid IN (SELECT oid FROM owned) AND c.confrelid IN (SELECT oid FROM owned)
            AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey) AND a.attname = 'school_id')) AS fkeys_without_school,
        (SELECT array_agg(o.relname) FROM owned o WHERE NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = o.oid AND i.indisprimary)) AS without_primary_key`);
    expect(problems).toEqual({ keys_without_school: null, fkeys_without_school: null, without_primary_key: null });
  });
});

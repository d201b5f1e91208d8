import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The canonical school model. Rules that shape it (DESIGN.md):
 * - school-owned tables carry school_id in every primary, unique and foreign key (rule 2);
 * - every row a vendor can send has an origin (source_system, source_id), unique per school (rule 3);
 * - enumerations and mark values are checked here, so wrong data cannot be stored by any path.
 */
export class CreateCanonicalModel1764320000000 implements MigrationInterface {
  name = 'CreateCanonicalModel1764320000000';

  async up(q: QueryRunner): Promise<void> {
    // btree_gist lets exclusion constraints mix equality (school, student) with date-range overlap.
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      -- IMMUTABLE so that CHECK may use it; a zone removed from a later tz database would only make
      -- an existing row fail its next update, which is the right moment to notice.
      CREATE FUNCTION is_time_zone(tz text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
      BEGIN
        PERFORM now() AT TIME ZONE tz;
        RETURN true;
      EXCEPTION WHEN invalid_parameter_value THEN
        RETURN false;
      END $$`);

    // One definition of a valid mark, shared by lesson marks and term/year/final marks.
    // CASE fixes the evaluation order, so a numeric cast never sees a non-numeric value.
    await q.query(`
      CREATE FUNCTION is_valid_mark(scale text, value text, numeric_value numeric) RETURNS boolean
      LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE scale
          -- «4-» may count as 3.75 or 3.5 depending on the source, but never further than half a point from 4.
          WHEN 'five_point' THEN value ~ '^[1-5][+-]?$' AND numeric_value BETWEEN 1 AND 5
                                 AND abs(numeric_value - left(value, 1)::numeric) <= 0.5
          WHEN 'pass_fail' THEN value IN ('зач', 'незач') AND numeric_value IS NULL
          WHEN 'ten_point' THEN value ~ '^([1-9]|10)$' AND numeric_value = value::numeric
          WHEN 'hundred_point' THEN value ~ '^([0-9]|[1-9][0-9]|100)$' AND numeric_value = value::numeric
          ELSE false
        END
      $$`);

    await q.query(`
      CREATE TABLE municipality (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        name text NOT NULL,
        directorate_name text NOT NULL,
        time_zone text NOT NULL DEFAULT 'Asia/Yekaterinburg',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT municipality_pkey PRIMARY KEY (id),
        CONSTRAINT municipality_name_check CHECK (btrim(name) <> ''),
        CONSTRAINT municipality_time_zone_check CHECK (is_time_zone(time_zone))
      )`);

    await q.query(`
      CREATE TABLE school (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL,
        full_name text NOT NULL,
        short_name text NOT NULL,
        address text,
        website text,
        time_zone text NOT NULL DEFAULT 'Asia/Yekaterinburg',
        system_of_record text NOT NULL DEFAULT 'builtin',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT school_pkey PRIMARY KEY (id),
        CONSTRAINT school_municipality_id_fkey FOREIGN KEY (municipality_id) REFERENCES municipality (id),
        CONSTRAINT school_municipality_id_short_name_uq UNIQUE (municipality_id, short_name),
        CONSTRAINT school_full_name_check CHECK (btrim(full_name) <> ''),
        CONSTRAINT school_short_name_check CHECK (btrim(short_name) <> ''),
        CONSTRAINT school_time_zone_check CHECK (is_time_zone(time_zone)),
        CONSTRAINT school_system_of_record_check CHECK (system_of_record ~ '^[a-z][a-z0-9-]*$')
      )`);

    // Lookup tables, shared by all schools.
    await q.query(`
      CREATE TABLE subject (
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        code text NOT NULL,
        name text NOT NULL,
        CONSTRAINT subject_pkey PRIMARY KEY (id),
        CONSTRAINT subject_code_uq UNIQUE (code),
        CONSTRAINT subject_name_uq UNIQUE (name),
        CONSTRAINT subject_code_check CHECK (code ~ '^[a-z][a-z0-9_]*$')
      )`);
    // The municipality's subject list (Russian curriculum, ФГОС); vendor subject names map onto it.
    await q.query(`
      INSERT INTO subject (code, name) VALUES
        ('russian', 'Русский язык'), ('literary_reading', 'Литературное чтение'), ('literature', 'Литература'),
        ('native_language', 'Родной язык'), ('english', 'Английский язык'), ('german', 'Немецкий язык'),
        ('mathematics', 'Математика'), ('algebra', 'Алгебра'), ('geometry', 'Геометрия'),
        ('probability', 'Вероятность и статистика'), ('informatics', 'Информатика'),
        ('world_around', 'Окружающий мир'), ('history', 'История'), ('social_studies', 'Обществознание'),
        ('geography', 'География'), ('biology', 'Биология'), ('physics', 'Физика'), ('chemistry', 'Химия'),
        ('music', 'Музыка'), ('art', 'Изобразительное искусство'), ('technology', 'Труд (технология)'),
        ('physical_education', 'Физическая культура'), ('life_safety', 'Основы безопасности и защиты Родины'),
        ('orkse', 'Основы религиозных культур и светской этики'),
        ('odnknr', 'Основы духовно-нравственной культуры народов России'),
        ('individual_project', 'Индивидуальный проект')`);
    await q.query(`
      CREATE TABLE work_kind (
        code text NOT NULL,
        name text NOT NULL,
        default_weight numeric(4,2) NOT NULL,
        sort_order smallint NOT NULL,
        CONSTRAINT work_kind_pkey PRIMARY KEY (code),
        CONSTRAINT work_kind_code_check CHECK (code ~ '^[a-z][a-z_]*$'),
        CONSTRAINT work_kind_default_weight_check CHECK (default_weight > 0)
      )`);
    await q.query(`
      INSERT INTO work_kind (code, name, default_weight, sort_order) VALUES
        ('class_answer', 'Ответ на уроке', 1, 1),
        ('homework', 'Домашнее задание', 1, 2),
        ('independent_work', 'Самостоятельная работа', 1.5, 3),
        ('check_work', 'Проверочная работа', 1.5, 4),
        ('dictation', 'Диктант', 1.5, 5),
        ('recitation', 'Чтение наизусть', 1, 6),
        ('essay', 'Сочинение / изложение', 2, 7),
        ('lab_work', 'Лабораторная работа', 1.5, 8),
        ('practical_work', 'Практическая работа', 1.5, 9),
        ('test', 'Тест', 1.5, 10),
        ('project', 'Проект', 2, 11),
        ('control_work', 'Контрольная работа', 2, 12),
        ('credit', 'Зачёт', 1, 13),
        ('other', 'Другое', 1, 14)`);

    await q.query(`
      CREATE TABLE school_work_kind_weight (
        school_id uuid NOT NULL,
        work_kind text NOT NULL,
        weight numeric(4,2) NOT NULL,
        CONSTRAINT school_work_kind_weight_pkey PRIMARY KEY (school_id, work_kind),
        CONSTRAINT school_work_kind_weight_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT school_work_kind_weight_work_kind_fkey FOREIGN KEY (work_kind) REFERENCES work_kind (code),
        CONSTRAINT school_work_kind_weight_weight_check CHECK (weight > 0 AND weight <= 10)
      )`);

    const origin = (t: string) => `
        source_system text,
        source_id text,
        CONSTRAINT ${t}_origin_check CHECK ((source_system IS NULL) = (source_id IS NULL)),
        CONSTRAINT ${t}_school_id_source_uq UNIQUE (school_id, source_system, source_id)`;
    const stamps = `
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()`;
    const schoolFk = (t: string) =>
      `CONSTRAINT ${t}_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id)`;
    const personName = (t: string) => `
        last_name text NOT NULL,
        first_name text NOT NULL,
        middle_name text,
        CONSTRAINT ${t}_name_check CHECK (btrim(last_name) <> '' AND btrim(first_name) <> '')`;

    await q.query(`
      CREATE TABLE academic_year (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        label text NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        ${stamps},
        CONSTRAINT academic_year_pkey PRIMARY KEY (school_id, id),
        ${schoolFk('academic_year')},
        CONSTRAINT academic_year_school_id_label_uq UNIQUE (school_id, label),
        CONSTRAINT academic_year_label_check CHECK (label ~ '^[0-9]{4}/[0-9]{4}$'),
        CONSTRAINT academic_year_dates_check CHECK (ends_on > starts_on),
        ${origin('academic_year')}
      )`);

    await q.query(`
      CREATE TABLE term (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        academic_year_id uuid NOT NULL,
        kind text NOT NULL,
        number smallint NOT NULL,
        name text NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        ${stamps},
        CONSTRAINT term_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT term_academic_year_id_fkey FOREIGN KEY (school_id, academic_year_id) REFERENCES academic_year (school_id, id),
        CONSTRAINT term_school_id_academic_year_id_kind_number_uq UNIQUE (school_id, academic_year_id, kind, number),
        CONSTRAINT term_kind_check CHECK (kind IN ('quarter', 'trimester', 'half')),
        CONSTRAINT term_number_check CHECK (number >= 1 AND number <= CASE kind WHEN 'quarter' THEN 4 WHEN 'trimester' THEN 3 ELSE 2 END),
        CONSTRAINT term_dates_check CHECK (ends_on >= starts_on),
        CONSTRAINT term_no_overlap_excl EXCLUDE USING gist
          (school_id WITH =, academic_year_id WITH =, kind WITH =, daterange(starts_on, ends_on, '[]') WITH &&),
        ${origin('term')}
      )`);

    await q.query(`
      CREATE TABLE staff (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        ${personName('staff')},
        positions text[] NOT NULL,
        email text,
        phone text,
        ${stamps},
        CONSTRAINT staff_pkey PRIMARY KEY (school_id, id),
        ${schoolFk('staff')},
        CONSTRAINT staff_positions_check CHECK (
          cardinality(positions) > 0 AND positions <@ ARRAY['teacher', 'director', 'deputy_director', 'it']::text[]),
        ${origin('staff')}
      )`);

    await q.query(`
      CREATE TABLE student (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        ${personName('student')},
        birth_date date,
        ${stamps},
        CONSTRAINT student_pkey PRIMARY KEY (school_id, id),
        ${schoolFk('student')},
        ${origin('student')}
      )`);

    await q.query(`
      CREATE TABLE guardian (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        ${personName('guardian')},
        phone text,
        email text,
        ${stamps},
        CONSTRAINT guardian_pkey PRIMARY KEY (school_id, id),
        ${schoolFk('guardian')},
        ${origin('guardian')}
      )`);

    await q.query(`
      CREATE TABLE student_guardian (
        school_id uuid NOT NULL,
        student_id uuid NOT NULL,
        guardian_id uuid NOT NULL,
        relation text NOT NULL,
        ${stamps},
        CONSTRAINT student_guardian_pkey PRIMARY KEY (school_id, student_id, guardian_id),
        CONSTRAINT student_guardian_student_id_fkey FOREIGN KEY (school_id, student_id) REFERENCES student (school_id, id),
        CONSTRAINT student_guardian_guardian_id_fkey FOREIGN KEY (school_id, guardian_id) REFERENCES guardian (school_id, id),
        CONSTRAINT student_guardian_relation_check CHECK (relation IN ('mother', 'father', 'legal_guardian')),
        ${origin('student_guardian')}
      )`);
    await q.query(`CREATE INDEX student_guardian_school_id_guardian_id_idx ON student_guardian (school_id, guardian_id)`);

    await q.query(`
      CREATE TABLE class_group (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        academic_year_id uuid NOT NULL,
        grade_level smallint NOT NULL,
        letter text NOT NULL,
        name text NOT NULL GENERATED ALWAYS AS (grade_level::text || letter) STORED,
        term_kind text NOT NULL DEFAULT 'quarter',
        homeroom_teacher_id uuid,
        ${stamps},
        CONSTRAINT class_group_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT class_group_academic_year_id_fkey FOREIGN KEY (school_id, academic_year_id) REFERENCES academic_year (school_id, id),
        CONSTRAINT class_group_homeroom_teacher_id_fkey FOREIGN KEY (school_id, homeroom_teacher_id) REFERENCES staff (school_id, id),
        CONSTRAINT class_group_school_id_academic_year_id_grade_level_letter_uq UNIQUE (school_id, academic_year_id, grade_level, letter),
        CONSTRAINT class_group_grade_level_check CHECK (grade_level BETWEEN 1 AND 11),
        CONSTRAINT class_group_letter_check CHECK (letter ~ '^[А-ЯЁA-Z0-9]{1,3}$'),
        CONSTRAINT class_group_term_kind_check CHECK (term_kind IN ('quarter', 'trimester', 'half')),
        ${origin('class_group')}
      )`);

    await q.query(`
      CREATE TABLE course (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        class_group_id uuid NOT NULL,
        subject_id uuid NOT NULL,
        subgroup text NOT NULL DEFAULT '',
        source_subject_name text,
        ${stamps},
        CONSTRAINT course_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT course_class_group_id_fkey FOREIGN KEY (school_id, class_group_id) REFERENCES class_group (school_id, id),
        CONSTRAINT course_subject_id_fkey FOREIGN KEY (subject_id) REFERENCES subject (id),
        CONSTRAINT course_school_id_class_group_id_subject_id_subgroup_uq UNIQUE (school_id, class_group_id, subject_id, subgroup),
        ${origin('course')}
      )`);

    await q.query(`
      CREATE TABLE course_teacher (
        school_id uuid NOT NULL,
        course_id uuid NOT NULL,
        staff_id uuid NOT NULL,
        CONSTRAINT course_teacher_pkey PRIMARY KEY (school_id, course_id, staff_id),
        CONSTRAINT course_teacher_course_id_fkey FOREIGN KEY (school_id, course_id) REFERENCES course (school_id, id),
        CONSTRAINT course_teacher_staff_id_fkey FOREIGN KEY (school_id, staff_id) REFERENCES staff (school_id, id),
        ${origin('course_teacher')}
      )`);
    await q.query(`CREATE INDEX course_teacher_school_id_staff_id_idx ON course_teacher (school_id, staff_id)`);

    // Members of a subgroup course (a language group); whole-class courses take their roster from enrollment.
    await q.query(`
      CREATE TABLE course_student (
        school_id uuid NOT NULL,
        course_id uuid NOT NULL,
        student_id uuid NOT NULL,
        CONSTRAINT course_student_pkey PRIMARY KEY (school_id, course_id, student_id),
        CONSTRAINT course_student_course_id_fkey FOREIGN KEY (school_id, course_id) REFERENCES course (school_id, id),
        CONSTRAINT course_student_student_id_fkey FOREIGN KEY (school_id, student_id) REFERENCES student (school_id, id),
        ${origin('course_student')}
      )`);

    await q.query(`
      CREATE TABLE enrollment (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        student_id uuid NOT NULL,
        class_group_id uuid NOT NULL,
        starts_on date NOT NULL,
        ends_on date,
        ${stamps},
        CONSTRAINT enrollment_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT enrollment_student_id_fkey FOREIGN KEY (school_id, student_id) REFERENCES student (school_id, id),
        CONSTRAINT enrollment_class_group_id_fkey FOREIGN KEY (school_id, class_group_id) REFERENCES class_group (school_id, id),
        CONSTRAINT enrollment_dates_check CHECK (ends_on IS NULL OR ends_on >= starts_on),
        CONSTRAINT enrollment_no_overlap_excl EXCLUDE USING gist
          (school_id WITH =, student_id WITH =, daterange(starts_on, ends_on, '[]') WITH &&),
        ${origin('enrollment')}
      )`);
    await q.query(`CREATE INDEX enrollment_school_id_class_group_id_idx ON enrollment (school_id, class_group_id)`);

    await q.query(`
      CREATE TABLE lesson (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL,
        date date NOT NULL,
        number smallint NOT NULL,
        topic text,
        homework text,
        teacher_id uuid,
        ${stamps},
        CONSTRAINT lesson_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT lesson_course_id_fkey FOREIGN KEY (school_id, course_id) REFERENCES course (school_id, id),
        CONSTRAINT lesson_teacher_id_fkey FOREIGN KEY (school_id, teacher_id) REFERENCES staff (school_id, id),
        CONSTRAINT lesson_school_id_course_id_date_number_uq UNIQUE (school_id, course_id, date, number),
        CONSTRAINT lesson_number_check CHECK (number BETWEEN 0 AND 12),
        ${origin('lesson')}
      )`);
    await q.query(`CREATE INDEX lesson_school_id_date_idx ON lesson (school_id, date)`);
    await q.query(`CREATE INDEX lesson_school_id_teacher_id_idx ON lesson (school_id, teacher_id)`);

    await q.query(`
      CREATE TABLE mark (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        lesson_id uuid NOT NULL,
        student_id uuid NOT NULL,
        scale text NOT NULL,
        value text NOT NULL,
        numeric_value numeric(6,3),
        source_value text,
        work_kind text NOT NULL DEFAULT 'class_answer',
        weight numeric(4,2),
        comment text,
        entered_at timestamptz NOT NULL DEFAULT now(),
        entered_by_id uuid,
        ${stamps},
        CONSTRAINT mark_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT mark_lesson_id_fkey FOREIGN KEY (school_id, lesson_id) REFERENCES lesson (school_id, id),
        CONSTRAINT mark_student_id_fkey FOREIGN KEY (school_id, student_id) REFERENCES student (school_id, id),
        CONSTRAINT mark_entered_by_id_fkey FOREIGN KEY (school_id, entered_by_id) REFERENCES staff (school_id, id),
        CONSTRAINT mark_work_kind_fkey FOREIGN KEY (work_kind) REFERENCES work_kind (code),
        CONSTRAINT mark_scale_check CHECK (scale IN ('five_point', 'pass_fail', 'ten_point', 'hundred_point')),
        CONSTRAINT mark_value_check CHECK (is_valid_mark(scale, value, numeric_value)),
        CONSTRAINT mark_weight_check CHECK (weight > 0 AND weight <= 10),
        ${origin('mark')}
      )`);
    await q.query(`CREATE INDEX mark_school_id_lesson_id_idx ON mark (school_id, lesson_id)`);
    await q.query(`CREATE INDEX mark_school_id_student_id_idx ON mark (school_id, student_id)`);

    await q.query(`
      CREATE TABLE attendance (
        school_id uuid NOT NULL,
        lesson_id uuid NOT NULL,
        student_id uuid NOT NULL,
        status text NOT NULL,
        comment text,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        recorded_by_id uuid,
        ${stamps},
        CONSTRAINT attendance_pkey PRIMARY KEY (school_id, lesson_id, student_id),
        CONSTRAINT attendance_lesson_id_fkey FOREIGN KEY (school_id, lesson_id) REFERENCES lesson (school_id, id),
        CONSTRAINT attendance_student_id_fkey FOREIGN KEY (school_id, student_id) REFERENCES student (school_id, id),
        CONSTRAINT attendance_recorded_by_id_fkey FOREIGN KEY (school_id, recorded_by_id) REFERENCES staff (school_id, id),
        CONSTRAINT attendance_status_check CHECK (status IN ('absent', 'ill', 'excused', 'late')),
        ${origin('attendance')}
      )`);
    await q.query(`CREATE INDEX attendance_school_id_student_id_idx ON attendance (school_id, student_id)`);

    await q.query(`
      CREATE TABLE final_mark (
        school_id uuid NOT NULL,
        id uuid NOT NULL DEFAULT gen_random_uuid(),
        student_id uuid NOT NULL,
        course_id uuid NOT NULL,
        kind text NOT NULL,
        term_id uuid,
        scale text NOT NULL,
        value text NOT NULL,
        numeric_value numeric(6,3),
        source_value text,
        entered_at timestamptz NOT NULL DEFAULT now(),
        entered_by_id uuid,
        ${stamps},
        CONSTRAINT final_mark_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT final_mark_student_id_fkey FOREIGN KEY (school_id, student_id) REFERENCES student (school_id, id),
        CONSTRAINT final_mark_course_id_fkey FOREIGN KEY (school_id, course_id) REFERENCES course (school_id, id),
        CONSTRAINT final_mark_term_id_fkey FOREIGN KEY (school_id, term_id) REFERENCES term (school_id, id),
        CONSTRAINT final_mark_entered_by_id_fkey FOREIGN KEY (school_id, entered_by_id) REFERENCES staff (school_id, id),
        CONSTRAINT final_mark_school_id_student_id_course_id_kind_term_id_uq
          UNIQUE NULLS NOT DISTINCT (school_id, student_id, course_id, kind, term_id),
        CONSTRAINT final_mark_kind_check CHECK (kind IN ('term', 'year', 'exam', 'final')),
        CONSTRAINT final_mark_term_id_check CHECK ((kind = 'term') = (term_id IS NOT NULL)),
        CONSTRAINT final_mark_scale_check CHECK (scale IN ('five_point', 'pass_fail', 'ten_point', 'hundred_point')),
        CONSTRAINT final_mark_value_check CHECK (is_valid_mark(scale, value, numeric_value)),
        ${origin('final_mark')}
      )`);
    await q.query(`CREATE INDEX final_mark_school_id_course_id_idx ON final_mark (school_id, course_id)`);

    // Append-only record of every change to a lesson mark or a final mark. No foreign key to the
    // mark itself: the history outlives a removed mark.
    await q.query(`
      CREATE TABLE mark_history (
        school_id uuid NOT NULL,
        id bigint GENERATED ALWAYS AS IDENTITY,
        mark_type text NOT NULL,
        mark_id uuid NOT NULL,
        student_id uuid NOT NULL,
        action text NOT NULL,
        before jsonb,
        after jsonb,
        changed_at timestamptz NOT NULL DEFAULT now(),
        changed_via text NOT NULL,
        CONSTRAINT mark_history_pkey PRIMARY KEY (school_id, id),
        CONSTRAINT mark_history_school_id_fkey FOREIGN KEY (school_id) REFERENCES school (id),
        CONSTRAINT mark_history_mark_type_check CHECK (mark_type IN ('mark', 'final_mark')),
        CONSTRAINT mark_history_action_check CHECK (action IN ('created', 'changed', 'removed')),
        CONSTRAINT mark_history_changed_via_check CHECK (changed_via IN ('journal', 'sync')),
        CONSTRAINT mark_history_states_check CHECK (
          (action = 'created' AND before IS NULL AND after IS NOT NULL) OR
          (action = 'changed' AND before IS NOT NULL AND after IS NOT NULL) OR
          (action = 'removed' AND before IS NOT NULL AND after IS NULL))
      )`);
    await q.query(`CREATE INDEX mark_history_school_id_mark_id_idx ON mark_history (school_id, mark_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'mark_history', 'final_mark', 'attendance', 'mark', 'lesson', 'enrollment', 'course_student',
      'course_teacher', 'course', 'class_group', 'student_guardian', 'guardian', 'student', 'staff',
      'term', 'academic_year', 'school_work_kind_weight', 'work_kind', 'subject', 'school', 'municipality',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP FUNCTION is_valid_mark(text, text, numeric)`);
    await q.query(`DROP FUNCTION is_time_zone(text)`);
    // btree_gist stays: another schema object may have come to depend on it.
  }
}

import { loadMunicipality, SeedResult } from '../../src/seed/loader';
import { seedOptions, SeedOptions } from '../../src/seed/options';
import { deleteMunicipalityData } from '../../src/seed/reset';
import { TABLE_NAMES } from '../../src/seed/rows';
import { useTestDatabase } from '../setup/database';

const UNTIL = '2026-11-06';
const small = (overrides: Partial<SeedOptions> = {}) =>
  seedOptions('small', { seed: 11, schools: 2, classesPerGrade: 2, studentsPerClass: 8, until: UNTIL, syncedSchools: { 2: 'netschool' }, ...overrides });

describe('loading a synthetic municipality', () => {
  const db = useTestDatabase();
  const one = async <T = Record<string, unknown>>(sql: string, parameters: unknown[] = []): Promise<T> => (await db.dataSource.query(sql, parameters))[0];
  let loaded: SeedResult;

  beforeAll(async () => {
    loaded = await loadMunicipality(db.dataSource, small());
  });

  /** Row counts and a hash of every mark, term mark and person, in id order. */
  async function digest(): Promise<string> {
    const counts = await Promise.all(TABLE_NAMES.map((t) => one<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)));
    const hashes = await one<Record<string, string>>(`
      SELECT (SELECT md5(string_agg(concat_ws(' ', id, lesson_id, student_id, value, work_kind, entered_at), ',' ORDER BY id)) FROM mark) AS marks,
             (SELECT md5(string_agg(concat_ws(' ', id, value), ',' ORDER BY id)) FROM final_mark) AS final_marks,
             (SELECT md5(string_agg(concat_ws(' ', id, last_name, first_name, middle_name), ',' ORDER BY id)) FROM student) AS students`);
    return JSON.stringify([counts.map((c) => c.n), hashes]);
  }

  it('writes every table, within every constraint of the schema', async () => {
    for (const table of TABLE_NAMES) expect(loaded.rowCounts[table]).toBeGreaterThan(0);
    expect(await one(`SELECT count(*) AS n FROM mark`)).toEqual({ n: loaded.rowCounts.mark });
  });

  it('gives grade 1 no marks', async () => {
    expect(await one(`
      SELECT count(*) AS n FROM mark m
      JOIN lesson l ON (l.school_id, l.id) = (m.school_id, m.lesson_id)
      JOIN course c ON (c.school_id, c.id) = (l.school_id, l.course_id)
      JOIN class_group g ON (g.school_id, g.id) = (c.school_id, c.class_group_id)
      WHERE g.grade_level = 1`)).toEqual({ n: 0 });
  });

  it('marks and registers a student only on days enrolled in the class, and in the group of a group course', async () => {
    for (const table of ['mark', 'attendance']) {
      expect(await one(`
        SELECT count(*) AS n FROM ${table} x
        JOIN lesson l ON (l.school_id, l.id) = (x.school_id, x.lesson_id)
        JOIN course c ON (c.school_id, c.id) = (l.school_id, l.course_id)
        WHERE NOT EXISTS (
                SELECT 1 FROM enrollment e
                WHERE e.school_id = x.school_id AND e.student_id = x.student_id AND e.class_group_id = c.class_group_id
                  AND l.date BETWEEN e.starts_on AND coalesce(e.ends_on, 'infinity'))
           OR (c.subgroup <> '' AND NOT EXISTS (
                SELECT 1 FROM course_student cs WHERE (cs.school_id, cs.course_id, cs.student_id) = (x.school_id, c.id, x.student_id)))`))
        .toEqual({ n: 0 });
    }
  });

  it('has students who change class or leave during the term, each in one class at a time', async () => {
    const { moved, left } = await one<{ moved: number; left: number }>(`
      SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM enrollment n WHERE n.school_id = e.school_id AND n.student_id = e.student_id AND n.starts_on = e.ends_on + 1)) AS moved,
             count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM enrollment n WHERE n.school_id = e.school_id AND n.student_id = e.student_id AND n.starts_on > e.starts_on)) AS left
      FROM enrollment e WHERE e.ends_on IS NOT NULL`);
    expect(moved).toBeGreaterThan(0);
    expect(left).toBeGreaterThan(0);
  });

  it('keeps a student ill (or excused) for all the lessons of a day, with one status a day', async () => {
    expect(await one(`
      WITH day AS (
        SELECT a.school_id, a.student_id, l.date, count(DISTINCT a.status) AS statuses, count(*) AS marked, min(a.status) AS status
        FROM attendance a JOIN lesson l ON (l.school_id, l.id) = (a.school_id, a.lesson_id)
        GROUP BY 1, 2, 3),
      lessons AS (
        SELECT e.school_id, e.student_id, l.date, count(*) AS n
        FROM enrollment e
        JOIN course c ON (c.school_id, c.class_group_id) = (e.school_id, e.class_group_id)
        JOIN lesson l ON (l.school_id, l.course_id) = (c.school_id, c.id) AND l.date BETWEEN e.starts_on AND coalesce(e.ends_on, 'infinity')
        WHERE c.subgroup = '' OR EXISTS (SELECT 1 FROM course_student cs WHERE (cs.school_id, cs.course_id, cs.student_id) = (c.school_id, c.id, e.student_id))
        GROUP BY 1, 2, 3)
      SELECT count(*) FILTER (WHERE d.statuses > 1) AS mixed,
             count(*) FILTER (WHERE d.status IN ('ill', 'excused') AND d.marked <> s.n) AS partial
      FROM day d JOIN lessons s USING (school_id, student_id, date)`)).toEqual({ mixed: 0, partial: 0 });
  });

  it('has students absent in some form in 3–10 % of their lessons', async () => {
    const { share } = await one<{ share: number }>(`
      SELECT (SELECT count(*) FROM attendance)::float / count(*) AS share
      FROM enrollment e
      JOIN course c ON (c.school_id, c.class_group_id) = (e.school_id, e.class_group_id)
      JOIN lesson l ON (l.school_id, l.course_id) = (c.school_id, c.id) AND l.date BETWEEN e.starts_on AND coalesce(e.ends_on, 'infinity')
      WHERE c.subgroup = '' OR EXISTS (SELECT 1 FROM course_student cs WHERE (cs.school_id, cs.course_id, cs.student_id) = (c.school_id, c.id, e.student_id))`);
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.1);
  });

  it('gives believable marks: mostly fours and fives, a few pass/fail in physical education', async () => {
    const rows: { digit: string; share: number }[] = await db.dataSource.query(`
      SELECT left(value, 1) AS digit, count(*)::float / sum(count(*)) OVER () AS share FROM mark WHERE scale = 'five_point' GROUP BY 1`);
    const share = Object.fromEntries(rows.map((r) => [r.digit, r.share]));
    expect(share['5']).toBeGreaterThan(0.22);
    expect(share['4']).toBeGreaterThan(0.32);
    expect(share['3']).toBeGreaterThan(0.15);
    expect(share['2']).toBeLessThan(0.12);
    expect(await one(`
      SELECT bool_and(s.code = 'physical_education') AS only_pe, count(*) > 0 AS some
      FROM mark m JOIN lesson l ON (l.school_id, l.id) = (m.school_id, m.lesson_id)
      JOIN course c ON (c.school_id, c.id) = (l.school_id, l.course_id) JOIN subject s ON s.id = c.subject_id
      WHERE m.scale = 'pass_fail'`)).toEqual({ only_pe: true, some: true });
  });

  it('holds a control work for the whole class on one lesson', async () => {
    const { lessons, per_lesson } = await one<{ lessons: number; per_lesson: number }>(`
      SELECT count(DISTINCT lesson_id) AS lessons, count(*)::float / count(DISTINCT lesson_id) AS per_lesson
      FROM mark WHERE work_kind = 'control_work'`);
    expect(lessons).toBeGreaterThan(10);
    expect(per_lesson).toBeGreaterThan(5);
  });

  it('sets term marks only for the finished first quarter, from the term marks of students in class at its end', async () => {
    expect(await db.dataSource.query(`
      SELECT DISTINCT t.kind, t.number FROM final_mark f JOIN term t ON (t.school_id, t.id) = (f.school_id, f.term_id)`))
      .toEqual([{ kind: 'quarter', number: 1 }]);
    expect(await one(`
      SELECT count(*) AS n FROM final_mark f JOIN term t ON (t.school_id, t.id) = (f.school_id, f.term_id)
      WHERE f.kind <> 'term' OR t.ends_on >= $1
         OR NOT EXISTS (SELECT 1 FROM course c JOIN enrollment e ON (e.school_id, e.class_group_id) = (c.school_id, c.class_group_id)
                        WHERE (c.school_id, c.id) = (f.school_id, f.course_id) AND e.student_id = f.student_id
                          AND t.ends_on BETWEEN e.starts_on AND coalesce(e.ends_on, 'infinity'))`, [UNTIL])).toEqual({ n: 0 });
  });

  it('records the origin of every row of a school synced from a vendor, and of none of a built-in one', async () => {
    const schools: { system_of_record: string; lessons_without_origin: number; lessons_with_origin: number }[] = await db.dataSource.query(`
      SELECT s.system_of_record,
             count(*) FILTER (WHERE l.source_id IS NULL) AS lessons_without_origin,
             count(*) FILTER (WHERE l.source_system = s.system_of_record AND l.source_id IS NOT NULL) AS lessons_with_origin
      FROM school s JOIN lesson l ON l.school_id = s.id GROUP BY 1 ORDER BY 1`);
    expect(schools).toEqual([
      { system_of_record: 'builtin', lessons_without_origin: expect.any(Number), lessons_with_origin: 0 },
      { system_of_record: 'netschool', lessons_without_origin: 0, lessons_with_origin: expect.any(Number) },
    ]);
    expect(await one(`SELECT count(*) AS n FROM mark WHERE (source_system IS NULL) <> (weight IS NULL)`)).toEqual({ n: 0 });
  });

  it('loads the same data again after a reset with the same seed, and other data with another', async () => {
    const first = await digest();
    await deleteMunicipalityData(db.dataSource);
    expect(await one(`SELECT (SELECT count(*) FROM school) + (SELECT count(*) FROM mark) AS n, (SELECT count(*) FROM subject) > 0 AS lookups`))
      .toEqual({ n: 0, lookups: true });
    await loadMunicipality(db.dataSource, small(), undefined, { parallelSchools: 1 });
    expect(await digest()).toBe(first);
    await deleteMunicipalityData(db.dataSource);
    await loadMunicipality(db.dataSource, small({ seed: 12 }));
    expect(await digest()).not.toBe(first);
  });

  it('leaves no half-written school when a school fails', async () => {
    await deleteMunicipalityData(db.dataSource);
    await db.dataSource.query(`
      CREATE FUNCTION fail_on_term_marks() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$;
      CREATE TRIGGER fail_on_term_marks BEFORE INSERT ON final_mark FOR EACH STATEMENT EXECUTE FUNCTION fail_on_term_marks()`);
    try {
      await expect(loadMunicipality(db.dataSource, small())).rejects.toThrow('disk full');
      expect(await one(`
        SELECT (SELECT count(*) FROM municipality) AS municipalities, (SELECT count(*) FROM school) AS schools,
               (SELECT count(*) FROM lesson) AS lessons, (SELECT count(*) FROM student) AS students`))
        .toEqual({ municipalities: 0, schools: 0, lessons: 0, students: 0 });
    } finally {
      await db.dataSource.query(`DROP TRIGGER fail_on_term_marks ON final_mark; DROP FUNCTION fail_on_term_marks()`);
    }
  });
});

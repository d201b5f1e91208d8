import { EntityManager } from 'typeorm';
import { applicationCountsByClass, COUNTED_APPLICATION } from '../applications/applications.service';
import { systemName } from '../schools/system-name';

export interface ClassShare {
  className: string;
  percent: number | null;
}

export interface ClassShareSet {
  percent: number | null;
  classes: ClassShare[];
}

export interface ActRef {
  title: string;
  approvalNumber: string | null;
  approvalDate: string | null;
}

/** The 15 items of the Appendix 3 report. Percentages are 0–100, null when not known. */
export interface ReportItems {
  responsiblePerson: { name: string | null; position: string | null };
  systemName: string;
  plan: { approvalNumber: string | null; approvalDate: string | null };
  localActs: ActRef[];
  amendments: ActRef[];
  familiarization: { teachers: number | null; parents: number | null; students: number | null };
  familiarizationForms: string | null;
  applications: ClassShareSet;
  databaseFullness: { percent: number | null; parts: { name: string; percent: number | null }[] };
  training: { teachers: number | null; parents: number | null; students: number | null };
  websiteLink: boolean | null;
  logins: { parents: ClassShareSet; teachers: { percent: number | null }; students: ClassShareSet };
  teachersWorking: number | null;
  parentActivation: ClassShareSet;
  additionalInfo: string | null;
}

/** What the school enters itself: overrides of derived coverage, and the items the hub cannot know. */
export interface EnteredItems {
  familiarization?: Partial<ReportItems['familiarization']>;
  familiarizationForms?: string | null;
  training?: Partial<ReportItems['training']>;
  websiteLink?: boolean | null;
  additionalInfo?: string | null;
}

/** The counts behind the report's main shares, so that shares can be summed across schools exactly. */
export interface ReportTotals {
  applications: Fraction;
  parentLogins: Fraction;
  studentLogins: Fraction;
  parentActivation: Fraction;
  teachersWorking: Fraction;
}

export interface Fraction {
  part: number;
  whole: number;
}

/** How far back "recent" activity counts for items 9 and 13. */
export const ACTIVITY_WINDOW_DAYS = 14;

const percent = (part: number, whole: number) => (whole === 0 ? null : Math.round((Math.min(part, whole) / whole) * 1000) / 10);

interface ClassCount {
  class_name: string;
  part: number;
  whole: number;
}

const total = (rows: ClassCount[]): Fraction => ({ part: rows.reduce((s, r) => s + r.part, 0), whole: rows.reduce((s, r) => s + r.whole, 0) });

const shareSet = (rows: ClassCount[]): ClassShareSet => ({
  percent: percentOf(total(rows)),
  classes: rows.map((r) => ({ className: r.class_name, percent: percent(r.part, r.whole) })),
});

export const percentOf = ({ part, whole }: Fraction) => percent(part, whole);

/**
 * Computes the report's items (and the counts behind its shares) from the school's data as of `asOf` (the school's today when the report
 * is prepared), with what the school entered on top. How each figure is counted:
 * - 6, 10: participants of the recorded familiarisation and training events over the audience
 *   (teachers: staff with a teacher position; parents: guardians of the students enrolled; students:
 *   students enrolled), capped at 100 %, unless the school entered its own figure;
 * - 8: registered applications over parents, per class of the current year;
 * - 9: the mean of five parts: classes with students, students with a guardian, courses with a lesson
 *   in the last 14 days, those lessons with a topic, students of grades 2–11 with a mark in the last
 *   14 days;
 * - 12: accounts issued over people, per class: students, and parents counted per child (a parent of
 *   two children counts in each child's class, in the whole as in the part);
 * - 13: teachers of a course this year who entered a mark in the last 14 days, over those teachers;
 * - 14: parent accounts activated over parent accounts issued (those able to use the service), per class.
 */
export async function computeReport(
  em: EntityManager, schoolId: string, campaignId: string, asOf: string, entered: EnteredItems,
): Promise<{ items: ReportItems; totals: ReportTotals }> {
  const q = <T>(sql: string, params: unknown[] = []): Promise<T[]> => em.query(`${CONTEXT} ${sql}`, [schoolId, asOf, ...params]);
  const [school] = await em.query('SELECT system_of_record FROM school WHERE id = $1', [schoolId]);
  const [rollout] = await em.query('SELECT * FROM school_rollout WHERE school_id = $1 AND campaign_id = $2', [schoolId, campaignId]);
  const acts: { kind: string; title: string; approval_number: string | null; approval_date: string | null }[] = await em.query(
    `SELECT kind, title, approval_number, approval_date FROM local_act WHERE school_id = $1 AND campaign_id = $2 ORDER BY approval_date NULLS LAST, created_at`,
    [schoolId, campaignId],
  );
  const [population] = await q<{ teachers: number; parents: number; students: number }>(`
    SELECT (SELECT count(*) FROM staff WHERE school_id = $1 AND 'teacher' = ANY(positions) AND deleted_in_source_at IS NULL)::int AS teachers,
           (SELECT count(*) FROM student_guardian sg JOIN present p ON p.student_id = sg.student_id WHERE sg.school_id = $1)::int AS parents,
           (SELECT count(*) FROM present)::int AS students`);
  const events: { kind: string; audience: 'teachers' | 'parents' | 'students'; participants: number; forms: string }[] = await em.query(
    `SELECT kind, audience, sum(participants)::int AS participants, string_agg(DISTINCT form, ', ') AS forms
       FROM rollout_event WHERE school_id = $1 AND campaign_id = $2 AND held_on <= $3 GROUP BY kind, audience`,
    [schoolId, campaignId, asOf],
  );
  const coverage = (kind: string) => {
    const of = (audience: 'teachers' | 'parents' | 'students') =>
      percent(events.find((e) => e.kind === kind && e.audience === audience)?.participants ?? 0, population[audience]);
    return { teachers: of('teachers'), parents: of('parents'), students: of('students') };
  };
  const [forms] = await em.query(
    `SELECT string_agg(DISTINCT form, ', ' ORDER BY form) AS forms FROM rollout_event WHERE school_id = $1 AND campaign_id = $2 AND kind = 'familiarization' AND held_on <= $3`,
    [schoolId, campaignId, asOf],
  );

  const applications: ClassCount[] = (await applicationCountsByClass(em, schoolId, asOf))
    .map((r) => ({ class_name: r.class_name!, part: r.applications, whole: r.parents }));
  const parentLogins = await q<ClassCount & { activated: number }>(`
    SELECT c.name AS class_name,
           count(r.account_id)::int AS part,
           count(r.account_id) FILTER (WHERE a.activated_at IS NOT NULL)::int AS activated,
           (SELECT count(*) FROM student_guardian sg2 JOIN present p2 ON p2.student_id = sg2.student_id
             WHERE sg2.school_id = $1 AND p2.class_group_id = c.id)::int AS whole
      FROM classes c
      LEFT JOIN present p ON p.class_group_id = c.id
      LEFT JOIN student_guardian sg ON sg.school_id = $1 AND sg.student_id = p.student_id
      LEFT JOIN account_role r ON r.school_id = $1 AND r.role = 'parent' AND r.guardian_id = sg.guardian_id
      LEFT JOIN account a ON a.id = r.account_id
     GROUP BY c.id, c.name, c.grade_level, c.letter ORDER BY c.grade_level, c.letter`);
  const studentLogins = await q<ClassCount>(`
    SELECT c.name AS class_name, count(r.account_id)::int AS part, count(p.student_id)::int AS whole
      FROM classes c
      LEFT JOIN present p ON p.class_group_id = c.id
      LEFT JOIN account_role r ON r.school_id = $1 AND r.role = 'student' AND r.student_id = p.student_id
     GROUP BY c.id, c.name, c.grade_level, c.letter ORDER BY c.grade_level, c.letter`);
  const [teachers] = await q<{ with_login: number; teaching: number; working: number }>(`
    , teaching AS (
        SELECT DISTINCT ct.staff_id FROM course_teacher ct JOIN course co ON co.school_id = ct.school_id AND co.id = ct.course_id
          JOIN classes c ON c.id = co.class_group_id WHERE ct.school_id = $1 AND co.deleted_in_source_at IS NULL)
    SELECT (SELECT count(*) FROM staff s JOIN account_role r ON r.school_id = s.school_id AND r.staff_id = s.id AND r.role = 'teacher'
             WHERE s.school_id = $1 AND 'teacher' = ANY(s.positions) AND s.deleted_in_source_at IS NULL)::int AS with_login,
           (SELECT count(*) FROM teaching)::int AS teaching,
           (SELECT count(*) FROM teaching t WHERE EXISTS (
              SELECT 1 FROM mark m JOIN lesson l ON l.school_id = m.school_id AND l.id = m.lesson_id
               WHERE m.school_id = $1 AND (m.entered_by_id = t.staff_id OR l.teacher_id = t.staff_id)
                 AND m.entered_at >= $2::date - $3::int AND m.entered_at < $2::date + 1))::int AS working`, [ACTIVITY_WINDOW_DAYS]);
  const [fullness] = await q<Record<string, number | null>>(`
    , recent AS (
        SELECT l.* FROM lesson l JOIN course co ON co.school_id = l.school_id AND co.id = l.course_id JOIN classes c ON c.id = co.class_group_id
         WHERE l.school_id = $1 AND l.date > $2::date - $3::int AND l.date <= $2::date
           AND l.deleted_in_source_at IS NULL AND co.deleted_in_source_at IS NULL)
    SELECT (SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM present p WHERE p.class_group_id = c.id)) * 100.0 / nullif(count(*), 0) FROM classes c) AS classes,
           (SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM student_guardian sg WHERE sg.school_id = $1 AND sg.student_id = p.student_id)) * 100.0
                   / nullif(count(*), 0) FROM present p) AS guardians,
           (SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM recent r WHERE r.course_id = co.id)) * 100.0 / nullif(count(*), 0)
              FROM course co JOIN classes c ON c.id = co.class_group_id WHERE co.school_id = $1 AND co.deleted_in_source_at IS NULL) AS timetable,
           (SELECT count(*) FILTER (WHERE topic IS NOT NULL) * 100.0 / nullif(count(*), 0) FROM recent) AS topics,
           (SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM mark m JOIN recent r ON r.id = m.lesson_id WHERE m.school_id = $1 AND m.student_id = p.student_id))
                   * 100.0 / nullif(count(*), 0)
              FROM present p JOIN classes c ON c.id = p.class_group_id WHERE c.grade_level >= 2) AS marks`, [ACTIVITY_WINDOW_DAYS]);
  const parts = [
    { name: 'Классы и обучающиеся', percent: round(fullness.classes) },
    { name: 'Родители (законные представители)', percent: round(fullness.guardians) },
    { name: 'Расписание (уроки за две недели)', percent: round(fullness.timetable) },
    { name: 'Темы уроков', percent: round(fullness.topics) },
    { name: 'Отметки (2–11 классы, за две недели)', percent: round(fullness.marks) },
  ];
  const known = parts.map((p) => p.percent).filter((p): p is number => p !== null);

  const activation = parentLogins.map((r) => ({ class_name: r.class_name, part: r.activated, whole: r.part }));
  const totals: ReportTotals = {
    applications: total(applications),
    parentLogins: total(parentLogins),
    studentLogins: total(studentLogins),
    parentActivation: total(activation),
    teachersWorking: { part: teachers.working, whole: teachers.teaching },
  };
  const items: ReportItems = {
    responsiblePerson: { name: rollout?.responsible_name ?? null, position: rollout?.responsible_position ?? null },
    systemName: systemName(school.system_of_record),
    plan: { approvalNumber: rollout?.plan_approval_number ?? null, approvalDate: rollout?.plan_approval_date ?? null },
    localActs: acts.filter((a) => a.kind === 'act').map(actRef),
    amendments: acts.filter((a) => a.kind === 'amendment').map(actRef),
    familiarization: { ...coverage('familiarization'), ...entered.familiarization },
    familiarizationForms: entered.familiarizationForms ?? forms?.forms ?? null,
    applications: shareSet(applications),
    databaseFullness: { percent: known.length ? round(known.reduce((a, b) => a + b, 0) / known.length) : null, parts },
    training: { ...coverage('training'), ...entered.training },
    websiteLink: entered.websiteLink ?? rollout?.website_link ?? null,
    logins: {
      parents: shareSet(parentLogins),
      teachers: { percent: percent(teachers.with_login, population.teachers) },
      students: shareSet(studentLogins),
    },
    teachersWorking: percentOf(totals.teachersWorking),
    parentActivation: shareSet(activation),
    additionalInfo: entered.additionalInfo ?? null,
  };
  return { items, totals };
}

/** What the directorate's figures need of every school's report: the counts behind its main shares, and teachers with a login. */
export interface SchoolShares {
  totals: ReportTotals;
  teacherLogins: number | null;
}

/**
 * The counts behind items 8, 12, 13 and 14 for every school at once, each school on its own day
 * (`asOf`: school id → the school's today), counted exactly as computeReport counts them for one
 * school — in two statements whatever the number of schools (DESIGN rule 5).
 */
export async function sharesOfSchools(em: EntityManager, asOf: Map<string, string>): Promise<Map<string, SchoolShares>> {
  const params = [[...asOf.keys()], [...asOf.values()]];
  const q = <T>(sql: string, extra: unknown[] = []): Promise<T[]> => em.query(`${CONTEXT_OF_SCHOOLS} ${sql}`, [...params, ...extra]);
  const [people, teachers] = await Promise.all([
    // Item 8 (applications over parents), 12 (parent and student accounts over parents and students)
    // and 14 (activated parent accounts): pairs of a present student and one of their guardians,
    // accounts or applications, counted per school. Each count joins rows, never pre-aggregated
    // subqueries, so that a wrong row estimate costs index lookups, not a re-aggregation per class.
    q<{ school_id: string; students: number; student_accounts: number; parents: number; parent_accounts: number; activated: number; applications: number }>(`
      SELECT t.school_id,
             coalesce(s.students, 0) AS students, coalesce(s.accounts, 0) AS student_accounts,
             coalesce(g.parents, 0) AS parents, coalesce(g.accounts, 0) AS parent_accounts, coalesce(g.activated, 0) AS activated,
             coalesce(a.applications, 0) AS applications
        FROM today t
        LEFT JOIN (
          SELECT p.school_id, count(*)::int AS students, count(r.account_id)::int AS accounts
            FROM present p
            LEFT JOIN account_role r ON r.school_id = p.school_id AND r.role = 'student' AND r.student_id = p.student_id
           GROUP BY p.school_id) s ON s.school_id = t.school_id
        LEFT JOIN (
          SELECT p.school_id, count(*)::int AS parents, count(r.account_id)::int AS accounts,
                 count(r.account_id) FILTER (WHERE a.activated_at IS NOT NULL)::int AS activated
            FROM present p
            JOIN student_guardian sg ON sg.school_id = p.school_id AND sg.student_id = p.student_id
            LEFT JOIN account_role r ON r.school_id = p.school_id AND r.role = 'parent' AND r.guardian_id = sg.guardian_id
            LEFT JOIN account a ON a.id = r.account_id
           GROUP BY p.school_id) g ON g.school_id = t.school_id
        LEFT JOIN (
          SELECT p.school_id, count(*)::int AS applications
            FROM present p
            JOIN (SELECT school_id, student_id FROM parent_application WHERE ${COUNTED_APPLICATION}) ap
              ON ap.school_id = p.school_id AND ap.student_id = p.student_id
           GROUP BY p.school_id) a ON a.school_id = t.school_id`),
    // Item 13: teachers of a course this year who entered a mark in the window, or whose lesson got
    // one. A fortnight's marks of a city are ~130,000 rows on ~20,000 lessons, entered by nearly every
    // teacher: so the teachers who entered none of them themselves ("idle", a few per school while
    // the term runs) are found first, and only their lessons are matched against the recent ones,
    // instead of looking up the teacher of every recent lesson. With no recent marks (holidays) the
    // idle teachers' lessons are not read at all: the join stops at its empty side.
    q<{ school_id: string; teachers: number; with_login: number; teaching: number; working: number }>(`
      , teaching AS MATERIALIZED (
          SELECT DISTINCT ct.school_id, ct.staff_id FROM course_teacher ct
            JOIN course co ON co.school_id = ct.school_id AND co.id = ct.course_id AND co.deleted_in_source_at IS NULL
            JOIN classes c ON c.school_id = co.school_id AND c.id = co.class_group_id),
      recent AS MATERIALIZED (
          SELECT DISTINCT m.school_id, m.lesson_id, m.entered_by_id
            FROM today t
            JOIN mark m ON m.school_id = t.school_id AND m.entered_at >= t.d - $3::int AND m.entered_at < t.d + 1),
      entering AS MATERIALIZED (SELECT DISTINCT school_id, entered_by_id AS staff_id FROM recent WHERE entered_by_id IS NOT NULL),
      idle AS MATERIALIZED (
          SELECT x.school_id, x.staff_id FROM teaching x
           WHERE NOT EXISTS (SELECT 1 FROM entering e WHERE e.school_id = x.school_id AND e.staff_id = x.staff_id)),
      idle_lessons AS MATERIALIZED (
          SELECT i.school_id, i.staff_id, l.id AS lesson_id FROM idle i JOIN lesson l ON l.school_id = i.school_id AND l.teacher_id = i.staff_id),
      taught AS (
          SELECT DISTINCT il.school_id, il.staff_id FROM recent r JOIN idle_lessons il ON il.school_id = r.school_id AND il.lesson_id = r.lesson_id),
      counts AS (
          SELECT x.school_id, count(*) AS teaching, count(*) - count(i.staff_id) + count(k.staff_id) AS working
            FROM teaching x
            LEFT JOIN idle i ON i.school_id = x.school_id AND i.staff_id = x.staff_id
            LEFT JOIN taught k ON k.school_id = x.school_id AND k.staff_id = x.staff_id
           GROUP BY x.school_id)
      SELECT t.school_id,
             (SELECT count(*) FROM staff s WHERE s.school_id = t.school_id AND 'teacher' = ANY(s.positions) AND s.deleted_in_source_at IS NULL)::int AS teachers,
             (SELECT count(*) FROM staff s JOIN account_role r ON r.school_id = s.school_id AND r.staff_id = s.id AND r.role = 'teacher'
               WHERE s.school_id = t.school_id AND 'teacher' = ANY(s.positions) AND s.deleted_in_source_at IS NULL)::int AS with_login,
             coalesce(n.teaching, 0)::int AS teaching,
             coalesce(n.working, 0)::int AS working
        FROM today t
        LEFT JOIN counts n ON n.school_id = t.school_id`, [ACTIVITY_WINDOW_DAYS]),
  ]);
  const bySchool = <T extends { school_id: string }>(rows: T[]) => new Map(rows.map((r) => [r.school_id, r]));
  const [p, t] = [bySchool(people), bySchool(teachers)];
  return new Map([...asOf.keys()].map((schoolId) => {
    const person = p.get(schoolId)!;
    const teacher = t.get(schoolId)!;
    return [schoolId, {
      totals: {
        applications: { part: person.applications, whole: person.parents },
        parentLogins: { part: person.parent_accounts, whole: person.parents },
        studentLogins: { part: person.student_accounts, whole: person.students },
        parentActivation: { part: person.activated, whole: person.parent_accounts },
        teachersWorking: { part: teacher.working, whole: teacher.teaching },
      },
      teacherLogins: percent(teacher.with_login, teacher.teachers),
    }];
  }));
}

const round = (n: number | string | null) => (n === null ? null : Math.round(Number(n) * 10) / 10);
const actRef = (a: { title: string; approval_number: string | null; approval_date: string | null }): ActRef =>
  ({ title: a.title, approvalNumber: a.approval_number, approvalDate: a.approval_date });

/**
 * The same for many schools, each on its own date ($1 school ids, $2 their dates). Classes and present
 * students are computed once however often a statement reads them, and their row estimates (often far
 * off: the planner cannot know which year contains each date) do not spread into the statement's plan.
 */
const CONTEXT_OF_SCHOOLS = `
  WITH today AS (SELECT * FROM unnest($1::uuid[], $2::date[]) AS t (school_id, d)),
  classes AS MATERIALIZED (
    SELECT cg.school_id, cg.id, t.d FROM class_group cg
      JOIN today t ON t.school_id = cg.school_id
      JOIN academic_year y ON y.school_id = cg.school_id AND y.id = cg.academic_year_id
     WHERE t.d BETWEEN y.starts_on AND y.ends_on AND cg.deleted_in_source_at IS NULL AND y.deleted_in_source_at IS NULL),
  present AS MATERIALIZED (
    SELECT e.school_id, e.student_id, e.class_group_id FROM enrollment e
      JOIN classes c ON c.school_id = e.school_id AND c.id = e.class_group_id
     WHERE e.starts_on <= c.d AND (e.ends_on IS NULL OR e.ends_on >= c.d) AND e.deleted_in_source_at IS NULL)`;

/** The classes of the school's year that contains the date, and the students in them on that date ($1 school, $2 date). */
const CONTEXT = `
  WITH classes AS (
    SELECT cg.id, cg.name, cg.grade_level, cg.letter FROM class_group cg
      JOIN academic_year y ON y.school_id = cg.school_id AND y.id = cg.academic_year_id
     WHERE cg.school_id = $1 AND $2::date BETWEEN y.starts_on AND y.ends_on AND cg.deleted_in_source_at IS NULL AND y.deleted_in_source_at IS NULL),
  present AS (
    SELECT e.student_id, e.class_group_id FROM enrollment e JOIN classes c ON c.id = e.class_group_id
     WHERE e.school_id = $1 AND e.starts_on <= $2::date AND (e.ends_on IS NULL OR e.ends_on >= $2::date) AND e.deleted_in_source_at IS NULL)`;

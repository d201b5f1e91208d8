import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { newToken, tokenHash } from '../../src/modules/accounts/tokens';
import { Role } from '../../src/policy/viewer';

export interface Ref {
  schoolId: string;
  id: string;
}

const apiId = (r: Ref) => `${r.schoolId}:${r.id}`;

let counter = 0;
const next = () => ++counter;

/**
 * Builds test data row by row through SQL (the schema's constraints check every row). Each method
 * returns the row's key; `apiId()` gives the id the API speaks.
 */
export class Fixture {
  constructor(readonly ds: DataSource) {}

  static apiId = apiId;

  async municipality(): Promise<string> {
    const [existing] = await this.ds.query('SELECT id FROM municipality LIMIT 1');
    if (existing) return existing.id;
    const id = randomUUID();
    await this.ds.query(`INSERT INTO municipality (id, name, directorate_name) VALUES ($1, 'Тестовый округ', 'Управление образования')`, [id]);
    return id;
  }

  async school(o: { systemOfRecord?: string; shortName?: string } = {}): Promise<string> {
    const id = randomUUID();
    const n = next();
    await this.ds.query(
      `INSERT INTO school (id, municipality_id, full_name, short_name, system_of_record) VALUES ($1, $2, $3, $4, $5)`,
      [id, await this.municipality(), `Средняя школа №${n}`, o.shortName ?? `СОШ №${n}`, o.systemOfRecord ?? 'builtin'],
    );
    return id;
  }

  private async insert(table: string, schoolId: string, values: Record<string, unknown>): Promise<Ref> {
    const id = randomUUID();
    const cols = ['school_id', 'id', ...Object.keys(values)];
    const params = [schoolId, id, ...Object.values(values)];
    await this.ds.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${params.map((_, i) => `$${i + 1}`).join(', ')})`, params);
    return { schoolId, id };
  }

  year(schoolId: string, label = '2026/2027', startsOn = '2026-09-01', endsOn = '2027-08-31') {
    return this.insert('academic_year', schoolId, { label, starts_on: startsOn, ends_on: endsOn });
  }

  term(year: Ref, kind: 'quarter' | 'trimester' | 'half', number: number, startsOn: string, endsOn: string) {
    return this.insert('term', year.schoolId, { academic_year_id: year.id, kind, number, name: `${number} ${kind}`, starts_on: startsOn, ends_on: endsOn });
  }

  staff(schoolId: string, positions: string[] = ['teacher'], lastName = `Учителев${next()}`) {
    return this.insert('staff', schoolId, { last_name: lastName, first_name: 'Иван', middle_name: 'Петрович', positions });
  }

  classGroup(year: Ref, gradeLevel: number, letter: string, homeroom?: Ref, termKind = 'quarter') {
    return this.insert('class_group', year.schoolId, {
      academic_year_id: year.id, grade_level: gradeLevel, letter, homeroom_teacher_id: homeroom?.id ?? null, term_kind: termKind,
    });
  }

  async course(classGroup: Ref, subjectCode: string, teachers: Ref[], subgroup = ''): Promise<Ref> {
    const [subject] = await this.ds.query('SELECT id FROM subject WHERE code = $1', [subjectCode]);
    const course = await this.insert('course', classGroup.schoolId, { class_group_id: classGroup.id, subject_id: subject.id, subgroup });
    for (const t of teachers) {
      await this.ds.query('INSERT INTO course_teacher (school_id, course_id, staff_id) VALUES ($1, $2, $3)', [t.schoolId, course.id, t.id]);
    }
    return course;
  }

  student(schoolId: string, lastName = `Ученов${next()}`, firstName = 'Пётр') {
    return this.insert('student', schoolId, { last_name: lastName, first_name: firstName });
  }

  async guardian(student: Ref, relation = 'mother'): Promise<Ref> {
    const guardian = await this.insert('guardian', student.schoolId, { last_name: `Родителева${next()}`, first_name: 'Анна' });
    await this.ds.query(
      'INSERT INTO student_guardian (school_id, student_id, guardian_id, relation) VALUES ($1, $2, $3, $4)',
      [student.schoolId, student.id, guardian.id, relation],
    );
    return guardian;
  }

  enroll(student: Ref, classGroup: Ref, startsOn: string, endsOn: string | null = null) {
    return this.insert('enrollment', student.schoolId, { student_id: student.id, class_group_id: classGroup.id, starts_on: startsOn, ends_on: endsOn });
  }

  async addToSubgroup(course: Ref, student: Ref): Promise<void> {
    await this.ds.query('INSERT INTO course_student (school_id, course_id, student_id) VALUES ($1, $2, $3)', [course.schoolId, course.id, student.id]);
  }

  lesson(course: Ref, date: string, number: number, teacher?: Ref, o: { topic?: string; homework?: string } = {}) {
    return this.insert('lesson', course.schoolId, {
      course_id: course.id, date, number, teacher_id: teacher?.id ?? null, topic: o.topic ?? `Тема ${date}`, homework: o.homework ?? null,
    });
  }

  mark(lesson: Ref, student: Ref, value: string, o: { numeric?: number | null; scale?: string; workKind?: string; weight?: number; enteredBy?: Ref } = {}) {
    const scale = o.scale ?? 'five_point';
    const numeric = o.numeric !== undefined ? o.numeric : scale === 'pass_fail' ? null : Number(value.replace(/[+-]$/, ''));
    return this.insert('mark', lesson.schoolId, {
      lesson_id: lesson.id, student_id: student.id, scale, value, numeric_value: numeric, work_kind: o.workKind ?? 'class_answer', weight: o.weight ?? null,
      entered_by_id: o.enteredBy?.id ?? null,
    });
  }

  async attendance(lesson: Ref, student: Ref, status: string): Promise<void> {
    await this.ds.query(
      'INSERT INTO attendance (school_id, lesson_id, student_id, status) VALUES ($1, $2, $3, $4)',
      [lesson.schoolId, lesson.id, student.id, status],
    );
  }

  termMark(course: Ref, student: Ref, term: Ref, value: string) {
    return this.insert('final_mark', course.schoolId, {
      student_id: student.id, course_id: course.id, kind: 'term', term_id: term.id, scale: 'five_point', value, numeric_value: Number(value),
    });
  }

  async workKindWeight(schoolId: string, workKind: string, weight: number): Promise<void> {
    await this.ds.query('INSERT INTO school_work_kind_weight (school_id, work_kind, weight) VALUES ($1, $2, $3)', [schoolId, workKind, weight]);
  }

  /**
   * An account with the given roles and a live session; returns its id and bearer token.
   * `roles` pairs a role with the person it acts as (staff, student or guardian of a school).
   */
  async account(roles: { role: Role; person: Ref }[], o: { directorate?: boolean; mustChangePassword?: boolean; passwordHash?: string; login?: string } = {}) {
    const id = randomUUID();
    const login = o.login ?? `user${next()}.${id.slice(0, 6)}`;
    await this.ds.query(
      `INSERT INTO account (id, login, display_name, password_hash, must_change_password) VALUES ($1, $2, $3, $4, $5)`,
      [id, login, `Пользователь ${login}`, o.passwordHash ?? 'not-a-hash', o.mustChangePassword ?? false],
    );
    if (o.directorate) await this.ds.query('INSERT INTO directorate_member (account_id) VALUES ($1)', [id]);
    for (const { role, person } of roles) {
      const column = role === Role.PARENT ? 'guardian_id' : role === Role.STUDENT ? 'student_id' : 'staff_id';
      await this.ds.query(`INSERT INTO account_role (school_id, account_id, role, ${column}) VALUES ($1, $2, $3, $4)`, [person.schoolId, id, role, person.id]);
    }
    const token = newToken();
    await this.ds.query(
      `INSERT INTO session (account_id, token_hash, expires_at) VALUES ($1, $2, now() + interval '1 hour')`,
      [id, tokenHash(token)],
    );
    return { id, login, token };
  }

  async grant(student: Ref, accountId: string, kind: 'guardian' | 'directorate' = 'guardian'): Promise<Ref> {
    const id = randomUUID();
    await this.ds.query(
      'INSERT INTO access_grant (school_id, id, account_id, student_id, kind) VALUES ($1, $2, $3, $4, $5)',
      [student.schoolId, id, accountId, student.id, kind],
    );
    return { schoolId: student.schoolId, id };
  }
}

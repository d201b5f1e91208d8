import { DataSource, SelectQueryBuilder } from 'typeorm';
import { todayIn } from '../../common/dates';
import type { Loaders } from '../../graphql/loaders';
import { badInput } from '../../common/errors';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { subjectKey } from '../../sync/normalize';
import { recordAudit } from '../audit/audit.service';
import { AcademicYear } from './academic-year.entity';
import { Municipality, School, Subject } from './school.entity';

export class SchoolsService {
  constructor(private readonly ds: DataSource) {}

  municipality(): Promise<Municipality | null> {
    return this.ds.getRepository(Municipality).findOne({ where: {}, order: { createdAt: 'ASC' } });
  }

  schoolsQuery(): SelectQueryBuilder<School> {
    return this.ds.getRepository(School).createQueryBuilder('s');
  }

  subjects(): Promise<Subject[]> {
    return this.ds.getRepository(Subject).find({ order: { name: 'ASC' } });
  }

  /** Other names of the subjects, as vendor systems' schools write them; the sync maps names through them. */
  async subjectAliases(ctx: Context): Promise<{ alias: string; subject: Subject }[]> {
    policy.readSchoolDirectory(ctx.viewer);
    const rows: { alias: string; id: string; code: string; name: string }[] = await this.ds.query(
      'SELECT a.alias, s.id, s.code, s.name FROM subject_alias a JOIN subject s ON s.id = a.subject_id ORDER BY a.alias');
    return rows.map(({ alias, ...subject }) => ({ alias, subject }));
  }

  /**
   * Adds another name of a subject (compared as the sync compares: case, ё and extra spaces aside).
   * Quarantined courses of that name land on the next sync, or at once on "retry quarantined".
   */
  async addSubjectAlias(ctx: Context, alias: string, subjectCode: string): Promise<{ alias: string; subject: Subject }> {
    const viewer = policy.manageSubjectAliases(ctx.viewer);
    const key = subjectKey(alias);
    const problems: Record<string, string> = {};
    if (key === '' || key.length > 200) problems.alias = 'must be a name of 1 to 200 characters';
    const subject = await this.ds.getRepository(Subject).findOneBy({ code: subjectCode });
    if (!subject) problems.subjectCode = `"${subjectCode}" is not a subject of the list (see the subjects query)`;
    const [taken] = key ? await this.ds.query(
      'SELECT s.name FROM subject s WHERE lower(s.name) = $1 UNION ALL SELECT s.name FROM subject_alias a JOIN subject s ON s.id = a.subject_id WHERE a.alias = $1', [key]) : [];
    if (taken) problems.alias = `"${alias}" already names «${taken.name}»`;
    if (Object.keys(problems).length > 0) throw badInput('SUBJECT_ALIAS_INVALID', problems);
    return this.ds.transaction(async (em) => {
      await em.query('INSERT INTO subject_alias (alias, subject_id) VALUES ($1, $2)', [key, subject!.id]);
      await recordAudit(em, [{ action: 'subject.alias_added', schoolId: null, actorAccountId: viewer.accountId, clientAddress: ctx.clientAddress, details: { alias: key, subjectCode } }]);
      return { alias: key, subject: subject! };
    });
  }

  /** «Фамилия И. О.» of the school's director, for documents addressed to the director. */
  async directorName(schoolId: string): Promise<string | null> {
    const [row] = await this.ds.query(
      `SELECT last_name, first_name, middle_name FROM staff WHERE school_id = $1 AND 'director' = ANY(positions) AND deleted_in_source_at IS NULL ORDER BY last_name LIMIT 1`, [schoolId]);
    if (!row) return null;
    return [row.last_name, [row.first_name, row.middle_name].filter(Boolean).map((n: string) => `${n[0]}.`).join(' ')].join(' ');
  }

  /** The year containing the school's today; between years (summer), the latest one. */
  async currentYear(loaders: Loaders, school: School): Promise<AcademicYear | null> {
    const years = await loaders.academicYearsOfSchool.load(school.id);
    const today = todayIn(school.timeZone);
    return years.find((y) => y.startsOn <= today && today <= y.endsOn) ?? years[0] ?? null;
  }
}

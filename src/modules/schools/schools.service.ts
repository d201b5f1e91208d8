import { DataSource, SelectQueryBuilder } from 'typeorm';
import { todayIn } from '../../common/dates';
import type { Loaders } from '../../graphql/loaders';
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

import { DataSource, SelectQueryBuilder } from 'typeorm';
import { Staff, StaffPosition, Student } from './person.entity';

export class PeopleService {
  constructor(private readonly ds: DataSource) {}

  studentsQuery(schoolId: string, classGroupId: string | null, lastNamePrefix: string | null): SelectQueryBuilder<Student> {
    const q = this.ds.getRepository(Student).createQueryBuilder('p').where('p.school_id = :schoolId', { schoolId });
    if (classGroupId) {
      q.andWhere('EXISTS (SELECT 1 FROM enrollment e WHERE e.school_id = p.school_id AND e.student_id = p.id AND e.class_group_id = :classGroupId AND e.deleted_in_source_at IS NULL)', { classGroupId });
    }
    if (lastNamePrefix) q.andWhere('lower(p.last_name) LIKE :prefix', { prefix: `${escapeLike(lastNamePrefix.toLowerCase())}%` });
    return q;
  }

  staffQuery(schoolId: string, position: StaffPosition | null): SelectQueryBuilder<Staff> {
    const q = this.ds.getRepository(Staff).createQueryBuilder('p').where('p.school_id = :schoolId', { schoolId });
    if (position) q.andWhere(':position = ANY(p.positions)', { position });
    return q;
  }
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

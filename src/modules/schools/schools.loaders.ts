import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { loaderById, loaderBySchoolKey, loaderOfChildren } from '../../db/batch';
import { AcademicYear, Term } from './academic-year.entity';
import { ClassGroup, Course, CourseTeacher } from './class-group.entity';
import { School, SchoolWorkKindWeight, Subject, WorkKind } from './school.entity';

export function createSchoolLoaders(ds: DataSource) {
  return {
    school: loaderById(ds.getRepository(School)),
    subject: loaderById(ds.getRepository(Subject)),
    /** The whole (small) list of work kinds, loaded once per request. */
    workKinds: new DataLoader<'all', WorkKind[]>(async (keys) => {
      const kinds = await ds.getRepository(WorkKind).find({ order: { sortOrder: 'ASC' } });
      return keys.map(() => kinds);
    }),
    workKindWeightsOfSchool: new DataLoader<string, SchoolWorkKindWeight[]>(async (schoolIds) => {
      const rows = await ds.getRepository(SchoolWorkKindWeight).createQueryBuilder('w')
        .where('w.school_id = ANY(:ids)', { ids: [...schoolIds] }).getMany();
      return schoolIds.map((id) => rows.filter((r) => r.schoolId === id));
    }),
    academicYear: loaderBySchoolKey(ds.getRepository(AcademicYear)),
    term: loaderBySchoolKey(ds.getRepository(Term)),
    classGroup: loaderBySchoolKey(ds.getRepository(ClassGroup)),
    course: loaderBySchoolKey(ds.getRepository(Course)),
    coursesOfClassGroup: loaderOfChildren(ds.getRepository(Course), 'classGroupId'),
    termsOfYear: loaderOfChildren(ds.getRepository(Term), 'academicYearId', { kind: 'ASC', number: 'ASC' }),
    classGroupsOfYear: loaderOfChildren(ds.getRepository(ClassGroup), 'academicYearId', { gradeLevel: 'ASC', letter: 'ASC' }),
    /** The subjects a school teaches (any year), by name. */
    subjectsOfSchool: new DataLoader<string, Subject[]>(async (schoolIds) => {
      const rows: (Subject & { schoolId: string })[] = await ds.getRepository(Subject).createQueryBuilder('s')
        .innerJoin('course', 'c', 'c.subject_id = s.id')
        .select(['s.id AS id', 's.code AS code', 's.name AS name', 'c.school_id AS "schoolId"'])
        .where('c.school_id = ANY(:ids)', { ids: [...schoolIds] })
        .distinct(true).orderBy('s.name').getRawMany();
      return schoolIds.map((id) => rows.filter((r) => r.schoolId === id).map(({ schoolId: _, ...subject }) => Object.assign(new Subject(), subject)));
    }),
    academicYearsOfSchool: new DataLoader<string, AcademicYear[]>(async (schoolIds) => {
      const rows = await ds.getRepository(AcademicYear).createQueryBuilder('y')
        .where('y.school_id = ANY(:ids)', { ids: [...schoolIds] }).orderBy('y.starts_on', 'DESC').getMany();
      return schoolIds.map((id) => rows.filter((r) => r.schoolId === id));
    }),
    /** When each school's last successful sync finished (the directorate's freshness figure); null for none. */
    lastSyncedAt: new DataLoader<string, Date | null>(async (schoolIds) => {
      const rows: { school_id: string; at: Date }[] = await ds.query(
        `SELECT school_id, max(finished_at) AS at FROM sync_run WHERE school_id = ANY($1) AND status = 'succeeded' GROUP BY school_id`, [[...schoolIds]]);
      return schoolIds.map((id) => rows.find((r) => r.school_id === id)?.at ?? null);
    }),
    /** (course, teacher) links; the teachers themselves come through the staff loader. */
    teacherLinksOfCourse: loaderOfChildren(ds.getRepository(CourseTeacher), 'courseId'),
    courseLinksOfTeacher: loaderOfChildren(ds.getRepository(CourseTeacher), 'staffId'),
  };
}

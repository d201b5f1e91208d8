import { DataSource } from 'typeorm';
import { loaderBySchoolKey, loaderOfChildren } from '../../db/batch';
import { Enrollment, Guardian, Staff, Student, StudentGuardian } from './person.entity';

export function createPeopleLoaders(ds: DataSource) {
  return {
    staff: loaderBySchoolKey(ds.getRepository(Staff)),
    student: loaderBySchoolKey(ds.getRepository(Student)),
    guardian: loaderBySchoolKey(ds.getRepository(Guardian)),
    enrollmentsOfStudent: loaderOfChildren(ds.getRepository(Enrollment), 'studentId', { startsOn: 'ASC' }),
    enrollmentsOfClassGroup: loaderOfChildren(ds.getRepository(Enrollment), 'classGroupId', { startsOn: 'ASC' }),
    guardianLinksOfStudent: loaderOfChildren(ds.getRepository(StudentGuardian), 'studentId'),
  };
}

import { DataSource } from 'typeorm';
import { loaderBySchoolKey } from '../../db/batch';
import type { Loaders } from '../../graphql/loaders';
import { Term } from '../schools/academic-year.entity';
import { ClassGroup, Course } from '../schools/class-group.entity';
import { Lesson } from './journal.entities';
import type { JournalContents } from './journal.repository';

export function createJournalLoaders(ds: DataSource) {
  return {
    lesson: loaderBySchoolKey(ds.getRepository(Lesson)),
  };
}

/**
 * Puts what a journal's one read returned into the request's loaders, so that the journal's nested
 * fields (the course's subject and teachers, the homeroom teacher, each lesson's teacher, each mark's
 * work kind, weight and author) are answered from them instead of by further statements.
 */
export function primeJournalLoaders(loaders: Loaders, course: Course, classGroup: ClassGroup, term: Term, contents: JournalContents): void {
  const key = (id: string) => ({ schoolId: course.schoolId, id });
  loaders.course.prime(key(course.id), course);
  loaders.classGroup.prime(key(classGroup.id), classGroup);
  loaders.term.prime(key(term.id), term);
  loaders.subject.prime(contents.subject.id, contents.subject);
  loaders.teacherLinksOfCourse.prime(key(course.id), contents.teacherLinks);
  for (const { id, staff } of contents.staff) loaders.staff.prime(key(id), staff);
  for (const lesson of contents.lessons) loaders.lesson.prime(key(lesson.id), lesson);
  for (const student of contents.students) loaders.student.prime(key(student.id), student);
  loaders.workKinds.prime('all', contents.workKinds);
  loaders.workKindWeightsOfSchool.prime(course.schoolId, contents.workKindWeights);
}

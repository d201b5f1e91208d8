import { AcademicYear, Term } from '../modules/schools/academic-year.entity';
import { ClassGroup, Course } from '../modules/schools/class-group.entity';
import { Municipality, School, SchoolWorkKindWeight, Subject, WorkKind } from '../modules/schools/school.entity';
import { Enrollment, Guardian, Staff, Student, StudentGuardian } from '../modules/people/person.entity';
import { Attendance, FinalMark, Lesson, Mark, MarkHistoryEntry } from '../modules/journal/journal.entities';

/** Every TypeORM entity, listed explicitly (no globbing): what is mapped is visible in one place. */
export const entities = [
  Municipality, School, Subject, WorkKind, SchoolWorkKindWeight, AcademicYear, Term, ClassGroup, Course,
  Staff, Student, Guardian, StudentGuardian, Enrollment,
  Lesson, Mark, FinalMark, Attendance, MarkHistoryEntry,
];

import type { TermKind, TermPlan } from './calendar';
import type { Specialty, SubjectPlan } from './curriculum';
import type { Family, Gender, PersonName } from './names';
import type { IdFactory, Random } from './random';

/**
 * The generator's in-memory picture of one school: who is there, which classes and courses exist and
 * when each lesson takes place. The journal generator walks through the year on it; school-rows.ts
 * turns it into table rows.
 */

/** What the database already holds: the lookup tables the migration seeded. */
export interface Catalog {
  subjects: ReadonlyMap<string, { id: string; name: string }>;
  workKindWeights: ReadonlyMap<string, number>;
}

export interface StaffModel {
  id: string;
  name: PersonName;
  gender: Gender;
  positions: string[];
  specialty: Specialty | null;
  weeklyHours: number;
  email: string;
  phone: string | null;
}

export interface StudentModel {
  id: string;
  name: PersonName;
  gender: Gender;
  birthDate: string;
  family: FamilyModel;
  /** How well the student does overall, and in each subject on top of that (in standard deviations). */
  ability: number;
  talent: Map<string, number>;
  /** How often the student falls ill, and skips lessons, relative to an average pupil. */
  frailty: number;
  truancy: number;
}

export interface GuardianModel {
  id: string;
  name: PersonName;
  relation: 'mother' | 'father' | 'legal_guardian';
  phone: string;
  email: string | null;
}

export interface FamilyModel {
  names: Family;
  guardians: GuardianModel[];
  grades: Set<number>;
  childNames: Set<string>;
}

export interface EnrollmentModel {
  id: string;
  student: StudentModel;
  classGroup: ClassModel;
  startsOn: string;
  endsOn: string | null;
}

export interface CourseModel {
  id: string;
  classGroup: ClassModel;
  subject: SubjectPlan;
  /** '' for the whole class, or «группа 1» / «группа 2». */
  subgroup: string;
  teacher: StaffModel;
  /** Members of a subgroup course; null when the course takes the whole class. */
  members: Set<StudentModel> | null;
}

/** Courses taught at the same time (a class, or its two language groups in parallel). */
export type TimetableSlot = CourseModel[];
/** Monday to Friday, each day's slots in lesson-number order (slot 0 is lesson 1). */
export type WeekTimetable = TimetableSlot[][];

export interface ClassModel {
  id: string;
  grade: number;
  letter: string;
  name: string;
  termKind: TermKind;
  homeroom: StaffModel;
  courses: CourseModel[];
  enrollments: EnrollmentModel[];
  timetable: WeekTimetable;
}

export interface TermModel extends TermPlan {
  id: string;
}

export interface SchoolModel {
  id: string;
  number: number;
  shortName: string;
  systemOfRecord: string;
  academicYearId: string;
  terms: TermModel[];
  staff: StaffModel[];
  classes: ClassModel[];
  students: StudentModel[];
  enrollments: EnrollmentModel[];
  /** The kinds whose weight this school sets itself (school_work_kind_weight). */
  ownWeights: Map<string, number>;
  /** The weight every kind counts with here: the school's own, else the kind's default. */
  weights: ReadonlyMap<string, number>;
  ids: IdFactory;
  random: Random;
  /** Weekly lessons whose teacher is booked elsewhere at the same time (0 when the timetable came out clean). */
  timetableClashes: number;
}

export function isEnrolledOn(enrollment: EnrollmentModel, date: string): boolean {
  return enrollment.startsOn <= date && (enrollment.endsOn === null || date <= enrollment.endsOn);
}

export function fullName(name: PersonName): string {
  return `${name.lastName} ${name.firstName} ${name.middleName}`;
}

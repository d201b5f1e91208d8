/**
 * The canonical records an adapter yields, one shape per stream. Records refer to each other by the
 * vendor's ids (`…SourceId`); the sync engine resolves them to the hub's rows. Dates are calendar
 * dates "YYYY-MM-DD"; instants are ISO 8601 strings. `updatedAt`, when the vendor has it, lets the
 * engine keep a newer row from being overwritten by an older payload.
 */
export interface SourceRecord {
  /** The vendor's id of the record, stable across runs (never personal data). */
  sourceId: string;
  /** When the vendor last changed it (ISO 8601), if the vendor says. */
  updatedAt?: string | null;
  /**
   * Where in the vendor's data the record was read, for IT staff looking at a quarantined record
   * (e.g. "results.csv row 1234" of a file export); for adapters whose records have such a place.
   */
  origin?: string | null;
}

export interface AcademicYearRecord extends SourceRecord {
  label: string;
  startsOn: string;
  endsOn: string;
}

export interface TermRecord extends SourceRecord {
  academicYearSourceId: string;
  kind: 'quarter' | 'trimester' | 'half';
  number: number;
  name: string;
  startsOn: string;
  endsOn: string;
}

export interface PersonRecord extends SourceRecord {
  lastName: string;
  firstName: string;
  middleName?: string | null;
}

export interface StaffRecord extends PersonRecord {
  positions: ('teacher' | 'director' | 'deputy_director' | 'it')[];
}

export interface StudentRecord extends PersonRecord {
  birthDate?: string | null;
}

export type GuardianRecord = PersonRecord;

export interface StudentGuardianRecord extends SourceRecord {
  studentSourceId: string;
  guardianSourceId: string;
  relation: 'mother' | 'father' | 'legal_guardian';
}

export interface ClassGroupRecord extends SourceRecord {
  academicYearSourceId: string;
  gradeLevel: number;
  letter: string;
  termKind?: 'quarter' | 'trimester' | 'half';
  homeroomTeacherSourceId?: string | null;
}

export interface CourseRecord extends SourceRecord {
  classGroupSourceId: string;
  /**
   * The vendor's subject name as the school typed it, kept with the course; the engine maps it onto the
   * municipality's list by name, by the hub's subject aliases («ИЗО», «Физкультура») and without a level word.
   */
  subjectName: string;
  subgroup?: string | null;
}

export interface CourseTeacherRecord extends SourceRecord {
  courseSourceId: string;
  staffSourceId: string;
}

export interface CourseStudentRecord extends SourceRecord {
  courseSourceId: string;
  studentSourceId: string;
}

export interface EnrollmentRecord extends SourceRecord {
  studentSourceId: string;
  classGroupSourceId: string;
  startsOn: string;
  endsOn?: string | null;
}

export interface LessonRecord extends SourceRecord {
  courseSourceId: string;
  date: string;
  number: number;
  topic?: string | null;
  homework?: string | null;
  teacherSourceId?: string | null;
}

export type MarkScale = 'five_point' | 'pass_fail' | 'ten_point' | 'hundred_point';

export interface MarkRecord extends SourceRecord {
  lessonSourceId: string;
  studentSourceId: string;
  scale: MarkScale;
  /** The mark exactly as the vendor gives it («4-», «зач», "5"). */
  value: string;
  /** The vendor's own numeric value, when it has one (e.g. 3.7 for «4-»). */
  numericValue?: number | null;
  /** A kind of work code (see the work_kind table), when the vendor's kind maps to one. */
  workKind?: string | null;
  weight?: number | null;
  comment?: string | null;
  enteredAt?: string | null;
}

export interface AttendanceRecord extends SourceRecord {
  lessonSourceId: string;
  studentSourceId: string;
  status: 'absent' | 'ill' | 'excused' | 'late';
  comment?: string | null;
}

export interface FinalMarkRecord extends SourceRecord {
  courseSourceId: string;
  studentSourceId: string;
  kind: 'term' | 'year' | 'exam' | 'final';
  termSourceId?: string | null;
  scale: MarkScale;
  value: string;
  numericValue?: number | null;
}

/** Every stream, in the order the engine writes them (a record only refers to streams before it). */
export const STREAMS = [
  'academicYears', 'terms', 'staff', 'students', 'guardians', 'studentGuardians', 'classGroups', 'courses',
  'courseTeachers', 'courseStudents', 'enrollments', 'lessons', 'marks', 'attendance', 'finalMarks',
] as const;

export type StreamName = (typeof STREAMS)[number];

export interface StreamRecords {
  academicYears: AcademicYearRecord;
  terms: TermRecord;
  staff: StaffRecord;
  students: StudentRecord;
  guardians: GuardianRecord;
  studentGuardians: StudentGuardianRecord;
  classGroups: ClassGroupRecord;
  courses: CourseRecord;
  courseTeachers: CourseTeacherRecord;
  courseStudents: CourseStudentRecord;
  enrollments: EnrollmentRecord;
  lessons: LessonRecord;
  marks: MarkRecord;
  attendance: AttendanceRecord;
  finalMarks: FinalMarkRecord;
}

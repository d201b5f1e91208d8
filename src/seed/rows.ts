/**
 * The rows the generator produces, one interface per table (properties are the columns in camelCase),
 * and the column types the bulk loader casts them to. TABLES is in dependency order: a table comes
 * after every table it references.
 */

type ColumnType = 'uuid' | 'text' | 'date' | 'timestamptz' | 'smallint' | 'numeric' | 'text[]';

interface Origin {
  sourceSystem: string | null;
  sourceId: string | null;
}

export interface MunicipalityRow { id: string; name: string; directorateName: string; timeZone: string }
export interface SchoolRow {
  id: string; municipalityId: string; fullName: string; shortName: string; address: string; website: string;
  timeZone: string; systemOfRecord: string;
}
export interface SchoolWorkKindWeightRow { schoolId: string; workKind: string; weight: number }
export interface AcademicYearRow extends Origin { schoolId: string; id: string; label: string; startsOn: string; endsOn: string }
export interface TermRow extends Origin {
  schoolId: string; id: string; academicYearId: string; kind: string; number: number; name: string; startsOn: string; endsOn: string;
}
export interface StaffRow extends Origin {
  schoolId: string; id: string; lastName: string; firstName: string; middleName: string; positions: string[];
  email: string | null; phone: string | null;
}
export interface StudentRow extends Origin {
  schoolId: string; id: string; lastName: string; firstName: string; middleName: string; birthDate: string;
}
export interface GuardianRow extends Origin {
  schoolId: string; id: string; lastName: string; firstName: string; middleName: string; phone: string | null; email: string | null;
}
export interface StudentGuardianRow extends Origin { schoolId: string; studentId: string; guardianId: string; relation: string }
export interface ClassGroupRow extends Origin {
  schoolId: string; id: string; academicYearId: string; gradeLevel: number; letter: string; termKind: string;
  homeroomTeacherId: string;
}
export interface CourseRow extends Origin {
  schoolId: string; id: string; classGroupId: string; subjectId: string; subgroup: string; sourceSubjectName: string | null;
}
export interface CourseTeacherRow { schoolId: string; courseId: string; staffId: string }
export interface CourseStudentRow { schoolId: string; courseId: string; studentId: string }
export interface EnrollmentRow extends Origin {
  schoolId: string; id: string; studentId: string; classGroupId: string; startsOn: string; endsOn: string | null;
}
export interface LessonRow extends Origin {
  schoolId: string; id: string; courseId: string; date: string; number: number; topic: string; homework: string | null;
  teacherId: string;
}
export interface MarkRow extends Origin {
  schoolId: string; id: string; lessonId: string; studentId: string; scale: string; value: string;
  numericValue: number | null; sourceValue: string | null; workKind: string; weight: number | null; comment: string | null;
  enteredAt: string; enteredById: string;
}
export interface AttendanceRow extends Origin {
  schoolId: string; lessonId: string; studentId: string; status: string; comment: string | null; recordedAt: string;
  recordedById: string;
}
export interface FinalMarkRow extends Origin {
  schoolId: string; id: string; studentId: string; courseId: string; kind: string; termId: string; scale: string;
  value: string; numericValue: number; sourceValue: string | null; enteredAt: string; enteredById: string;
}

const origin = { sourceSystem: 'text', sourceId: 'text' } as const;

export const TABLES = {
  municipality: { id: 'uuid', name: 'text', directorateName: 'text', timeZone: 'text' },
  school: {
    id: 'uuid', municipalityId: 'uuid', fullName: 'text', shortName: 'text', address: 'text', website: 'text',
    timeZone: 'text', systemOfRecord: 'text',
  },
  school_work_kind_weight: { schoolId: 'uuid', workKind: 'text', weight: 'numeric' },
  academic_year: { schoolId: 'uuid', id: 'uuid', label: 'text', startsOn: 'date', endsOn: 'date', ...origin },
  term: {
    schoolId: 'uuid', id: 'uuid', academicYearId: 'uuid', kind: 'text', number: 'smallint', name: 'text', startsOn: 'date',
    endsOn: 'date', ...origin,
  },
  staff: {
    schoolId: 'uuid', id: 'uuid', lastName: 'text', firstName: 'text', middleName: 'text', positions: 'text[]',
    email: 'text', phone: 'text', ...origin,
  },
  student: {
    schoolId: 'uuid', id: 'uuid', lastName: 'text', firstName: 'text', middleName: 'text', birthDate: 'date', ...origin,
  },
  guardian: {
    schoolId: 'uuid', id: 'uuid', lastName: 'text', firstName: 'text', middleName: 'text', phone: 'text', email: 'text',
    ...origin,
  },
  student_guardian: { schoolId: 'uuid', studentId: 'uuid', guardianId: 'uuid', relation: 'text', ...origin },
  class_group: {
    schoolId: 'uuid', id: 'uuid', academicYearId: 'uuid', gradeLevel: 'smallint', letter: 'text', termKind: 'text',
    homeroomTeacherId: 'uuid', ...origin,
  },
  course: {
    schoolId: 'uuid', id: 'uuid', classGroupId: 'uuid', subjectId: 'uuid', subgroup: 'text', sourceSubjectName: 'text',
    ...origin,
  },
  course_teacher: { schoolId: 'uuid', courseId: 'uuid', staffId: 'uuid' },
  course_student: { schoolId: 'uuid', courseId: 'uuid', studentId: 'uuid' },
  enrollment: {
    schoolId: 'uuid', id: 'uuid', studentId: 'uuid', classGroupId: 'uuid', startsOn: 'date', endsOn: 'date', ...origin,
  },
  lesson: {
    schoolId: 'uuid', id: 'uuid', courseId: 'uuid', date: 'date', number: 'smallint', topic: 'text', homework: 'text',
    teacherId: 'uuid', ...origin,
  },
  mark: {
    schoolId: 'uuid', id: 'uuid', lessonId: 'uuid', studentId: 'uuid', scale: 'text', value: 'text', numericValue: 'numeric',
    sourceValue: 'text', workKind: 'text', weight: 'numeric', comment: 'text', enteredAt: 'timestamptz',
    enteredById: 'uuid', ...origin,
  },
  attendance: {
    schoolId: 'uuid', lessonId: 'uuid', studentId: 'uuid', status: 'text', comment: 'text', recordedAt: 'timestamptz',
    recordedById: 'uuid', ...origin,
  },
  final_mark: {
    schoolId: 'uuid', id: 'uuid', studentId: 'uuid', courseId: 'uuid', kind: 'text', termId: 'uuid', scale: 'text',
    value: 'text', numericValue: 'numeric', sourceValue: 'text', enteredAt: 'timestamptz', enteredById: 'uuid', ...origin,
  },
} as const satisfies { [T in keyof RowTypes]: Record<keyof RowTypes[T], ColumnType> };

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as TableName[];

/** Each table's row type. */
interface RowTypes {
  municipality: MunicipalityRow;
  school: SchoolRow;
  school_work_kind_weight: SchoolWorkKindWeightRow;
  academic_year: AcademicYearRow;
  term: TermRow;
  staff: StaffRow;
  student: StudentRow;
  guardian: GuardianRow;
  student_guardian: StudentGuardianRow;
  class_group: ClassGroupRow;
  course: CourseRow;
  course_teacher: CourseTeacherRow;
  course_student: CourseStudentRow;
  enrollment: EnrollmentRow;
  lesson: LessonRow;
  mark: MarkRow;
  attendance: AttendanceRow;
  final_mark: FinalMarkRow;
}

/** Rows for some or all tables, in memory until the loader writes them. */
export type RowSet = { [T in TableName]: RowTypes[T][] };

export function emptyRowSet(): RowSet {
  return Object.fromEntries(TABLE_NAMES.map((name) => [name, []])) as unknown as RowSet;
}

export type RowCounts = Record<TableName, number>;

export function zeroCounts(): RowCounts {
  return Object.fromEntries(TABLE_NAMES.map((name) => [name, 0])) as RowCounts;
}

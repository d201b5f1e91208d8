import type { StreamName } from '../../adapters/contract';

/**
 * How each stream lands in its table: the columns taken from the record (with their SQL types), and
 * the references resolved from the vendor's ids to the hub's rows of the same school and source.
 * The engine builds one set-based upsert per stream from this (see upsert.ts).
 */
export interface ColumnSpec {
  column: string;
  /** The record's field (after validation and normalisation). */
  field: string;
  type: 'text' | 'int' | 'date' | 'timestamptz' | 'numeric' | 'uuid' | 'text[]';
  /** Set when the row is created, never rewritten. */
  insertOnly?: boolean;
}

export interface RefSpec {
  column: string;
  field: string;
  table: string;
  /** A missing optional reference leaves the column null; a missing required one quarantines the record. */
  optional?: boolean;
}

export interface StreamSpec {
  table: string;
  /** The table has its own uuid id (most do; link tables are keyed by what they link). */
  hasId: boolean;
  /** The table keeps created_at/updated_at. */
  stamped: boolean;
  /**
   * Other rows refer to this table's: deleted in source, a row is kept and marked (deleted_in_source_at)
   * and reads leave it out; a row of any other table (marks, attendance, links) is removed, marks with their history.
   */
  softDeleted?: boolean;
  columns: ColumnSpec[];
  refs: RefSpec[];
}

const text = (column: string, field = camel(column)): ColumnSpec => ({ column, field, type: 'text' });
const date = (column: string, field = camel(column)): ColumnSpec => ({ column, field, type: 'date' });
const int = (column: string, field = camel(column)): ColumnSpec => ({ column, field, type: 'int' });
const ref = (column: string, field: string, table: string, optional = false): RefSpec => ({ column, field, table, optional });
function camel(column: string) {
  return column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
const person = [text('last_name'), text('first_name'), text('middle_name')];

export const STREAM_SPECS: Record<StreamName, StreamSpec> = {
  academicYears: { table: 'academic_year', hasId: true, stamped: true, softDeleted: true, columns: [text('label'), date('starts_on'), date('ends_on')], refs: [] },
  terms: {
    table: 'term', hasId: true, stamped: true, softDeleted: true,
    columns: [text('kind'), int('number'), text('name'), date('starts_on'), date('ends_on')],
    refs: [ref('academic_year_id', 'academicYearSourceId', 'academic_year')],
  },
  staff: { table: 'staff', hasId: true, stamped: true, softDeleted: true, columns: [...person, { column: 'positions', field: 'positions', type: 'text[]' }], refs: [] },
  students: { table: 'student', hasId: true, stamped: true, softDeleted: true, columns: [...person, date('birth_date')], refs: [] },
  guardians: { table: 'guardian', hasId: true, stamped: true, softDeleted: true, columns: person, refs: [] },
  studentGuardians: {
    table: 'student_guardian', hasId: false, stamped: true, columns: [text('relation')],
    refs: [ref('student_id', 'studentSourceId', 'student'), ref('guardian_id', 'guardianSourceId', 'guardian')],
  },
  classGroups: {
    table: 'class_group', hasId: true, stamped: true, softDeleted: true, columns: [int('grade_level'), text('letter'), text('term_kind')],
    refs: [ref('academic_year_id', 'academicYearSourceId', 'academic_year'), ref('homeroom_teacher_id', 'homeroomTeacherSourceId', 'staff', true)],
  },
  courses: {
    table: 'course', hasId: true, stamped: true, softDeleted: true,
    columns: [{ column: 'subject_id', field: 'subjectId', type: 'uuid' }, text('subgroup'), text('source_subject_name', 'subjectName')],
    refs: [ref('class_group_id', 'classGroupSourceId', 'class_group')],
  },
  courseTeachers: {
    table: 'course_teacher', hasId: false, stamped: false, columns: [],
    refs: [ref('course_id', 'courseSourceId', 'course'), ref('staff_id', 'staffSourceId', 'staff')],
  },
  courseStudents: {
    table: 'course_student', hasId: false, stamped: false, columns: [],
    refs: [ref('course_id', 'courseSourceId', 'course'), ref('student_id', 'studentSourceId', 'student')],
  },
  enrollments: {
    table: 'enrollment', hasId: true, stamped: true, softDeleted: true, columns: [date('starts_on'), date('ends_on')],
    refs: [ref('student_id', 'studentSourceId', 'student'), ref('class_group_id', 'classGroupSourceId', 'class_group')],
  },
  lessons: {
    table: 'lesson', hasId: true, stamped: true, softDeleted: true, columns: [date('date'), int('number'), text('topic'), text('homework')],
    refs: [ref('course_id', 'courseSourceId', 'course'), ref('teacher_id', 'teacherSourceId', 'staff', true)],
  },
  marks: {
    table: 'mark', hasId: true, stamped: true,
    columns: [
      text('scale'), text('value'), { column: 'numeric_value', field: 'numericValue', type: 'numeric' }, text('source_value'),
      text('work_kind'), { column: 'weight', field: 'weight', type: 'numeric' }, text('comment'),
      { column: 'entered_at', field: 'enteredAt', type: 'timestamptz', insertOnly: true },
    ],
    refs: [ref('lesson_id', 'lessonSourceId', 'lesson'), ref('student_id', 'studentSourceId', 'student')],
  },
  attendance: {
    table: 'attendance', hasId: false, stamped: true, columns: [text('status'), text('comment')],
    refs: [ref('lesson_id', 'lessonSourceId', 'lesson'), ref('student_id', 'studentSourceId', 'student')],
  },
  finalMarks: {
    table: 'final_mark', hasId: true, stamped: true,
    columns: [text('kind'), text('scale'), text('value'), { column: 'numeric_value', field: 'numericValue', type: 'numeric' }, text('source_value')],
    refs: [ref('student_id', 'studentSourceId', 'student'), ref('course_id', 'courseSourceId', 'course'), ref('term_id', 'termSourceId', 'term', true)],
  },
};

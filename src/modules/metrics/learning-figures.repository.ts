import { DataSource } from 'typeorm';
import { TermKind } from '../schools/academic-year.entity';
import { TrendInterval } from './learning-figures.types';

/** Dimensions of a rollup row; "school" is in every row, the others are NULL in the rows that cover all of them. */
export type Dimension = 'school' | 'grade' | 'subject' | 'term';

export interface FiguresQuery {
  /** The group keys: the dimensions grouped by, and those filtered to one value. */
  dimensions: ReadonlySet<Dimension>;
  schoolId: string | null;
  academicYear: string | null;
  gradeLevel: number | null;
  subjectId: string | null;
  term: { kind: TermKind; number: number } | null;
  termId: string | null;
}

export interface TrendQuery {
  dimensions: ReadonlySet<Exclude<Dimension, 'term'>>;
  interval: TrendInterval;
  schoolId: string | null;
  gradeLevel: number | null;
  subjectId: string | null;
  from: string | null;
  to: string | null;
}

/** Sums over the schools (and only them: every other dimension is fixed by the row's group) of one group. */
export interface FiguresRow {
  academicYear: string;
  schoolId: string | null;
  gradeLevel: number | null;
  subjectId: string | null;
  termKind: TermKind | null;
  termNumber: number | null;
  marks: number;
  fivePointMarks: number;
  weightedSum: number;
  weightSum: number;
  value1: number;
  value2: number;
  value3: number;
  value4: number;
  value5: number;
  passed: number;
  failed: number;
  timedMarks: number;
  marksOnLessonDay: number;
  students: number;
  marksWithheld: boolean;
  studentLessons: number;
  absent: number;
  ill: number;
  excused: number;
  late: number;
  enrolledStudents: number;
  attendanceWithheld: boolean;
}

export interface TrendRow {
  schoolId: string | null;
  gradeLevel: number | null;
  subjectId: string | null;
  periodStart: string;
  marks: number;
  weightedSum: number;
  weightSum: number;
  marksWithheld: boolean;
}

/** Collects the conditions and parameters of one statement. */
class Conditions {
  readonly sql: string[] = [];
  readonly params: unknown[] = [];
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
  add(sql: string): void {
    this.sql.push(sql);
  }
}

const camel = (column: string) => column.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
const sums = (columns: string[]) => columns.map((c) => `sum(r.${c}) AS "${camel(c)}"`).join(', ');
const anyOf = (columns: string[]) => columns.map((c) => `bool_or(r.${c}) AS "${camel(c)}"`).join(', ');

const FIGURE_SUMS = sums([
  'marks', 'five_point_marks', 'weighted_sum', 'weight_sum', 'value_1', 'value_2', 'value_3', 'value_4', 'value_5', 'passed', 'failed',
  'timed_marks', 'marks_on_lesson_day', 'students', 'student_lessons', 'absent', 'ill', 'excused', 'late', 'enrolled_students',
]);
const FIGURE_FLAGS = anyOf(['marks_withheld', 'attendance_withheld']);

/** The GROUP BY, SELECT and ORDER BY of the group keys, schools by name and subjects by name. */
function groupKeys(d: ReadonlySet<Dimension>) {
  const g = { keys: [] as string[], select: [] as string[], order: [] as string[], joins: [] as string[] };
  if (d.has('school')) {
    g.keys.push('r.school_id', 's.short_name');
    g.select.push('r.school_id AS "schoolId"');
    g.joins.push('JOIN school s ON s.id = r.school_id');
    g.order.push('s.short_name', 'r.school_id');
  }
  if (d.has('grade')) {
    g.keys.push('r.grade_level');
    g.select.push('r.grade_level AS "gradeLevel"');
    g.order.push('r.grade_level');
  }
  if (d.has('subject')) {
    g.keys.push('r.subject_id', 'sj.name');
    g.select.push('r.subject_id AS "subjectId"');
    g.joins.push('JOIN subject sj ON sj.id = r.subject_id');
    g.order.push('sj.name');
  }
  if (d.has('term')) {
    g.keys.push('r.term_kind', 'r.term_number');
    g.select.push('r.term_kind AS "termKind"', 'r.term_number AS "termNumber"');
    g.order.push(`array_position(ARRAY['quarter', 'trimester', 'half'], r.term_kind)`, 'r.term_number');
  }
  return g;
}

/**
 * Reads the rollups: one statement per request, whatever the number of groups. Each read takes the
 * rollup rows of exactly the grain asked for (the dimensions grouped or filtered by) and adds them up
 * across schools — exact for distinct students too, since a student belongs to one school.
 */
export class LearningFiguresRepository {
  constructor(private readonly ds: DataSource) {}

  figures(q: FiguresQuery): Promise<FiguresRow[]> {
    const c = new Conditions();
    const d = q.dimensions;
    // The rows of the grain asked for: NULL in a dimension column means "all of it".
    c.add(`(r.term_id IS NOT NULL) = ${d.has('term')}`);
    c.add(`(r.grade_level IS NOT NULL) = ${d.has('grade')}`);
    c.add(`(r.subject_id IS NOT NULL) = ${d.has('subject')}`);
    if (q.schoolId) c.add(`r.school_id = ${c.param(q.schoolId)}`);
    if (q.gradeLevel !== null) c.add(`r.grade_level = ${c.param(q.gradeLevel)}`);
    if (q.subjectId) c.add(`r.subject_id = ${c.param(q.subjectId)}`);
    if (q.term) c.add(`r.term_kind = ${c.param(q.term.kind)} AND r.term_number = ${c.param(q.term.number)}`);
    if (q.termId) c.add(`r.term_id = ${c.param(q.termId)}`);
    // A term id fixes the year; otherwise the one asked for, else the latest in scope.
    else if (q.academicYear) c.add(`r.year_label = ${c.param(q.academicYear)}`);
    else {
      c.add(`r.year_label = (SELECT max(y.year_label) FROM learning_rollup y${q.schoolId ? ` WHERE y.school_id = ${c.param(q.schoolId)}` : ''})`);
    }

    const g = groupKeys(d);
    return this.ds.query(
      `SELECT r.year_label AS "academicYear", ${[...g.select, FIGURE_SUMS, FIGURE_FLAGS].join(', ')}
         FROM learning_rollup r ${g.joins.join(' ')}
        WHERE ${c.sql.join(' AND ')}
        GROUP BY ${['r.year_label', ...g.keys].join(', ')}
        ORDER BY ${['r.year_label', ...g.order].join(', ')}`,
      c.params,
    );
  }

  trend(q: TrendQuery): Promise<TrendRow[]> {
    const c = new Conditions();
    const d = q.dimensions;
    c.add(`r.period = ${c.param(q.interval)}`);
    c.add(`(r.grade_level IS NOT NULL) = ${d.has('grade')}`);
    c.add(`(r.subject_id IS NOT NULL) = ${d.has('subject')}`);
    if (q.schoolId) c.add(`r.school_id = ${c.param(q.schoolId)}`);
    if (q.gradeLevel !== null) c.add(`r.grade_level = ${c.param(q.gradeLevel)}`);
    if (q.subjectId) c.add(`r.subject_id = ${c.param(q.subjectId)}`);
    if (q.from) c.add(`r.period_start >= date_trunc(r.period, CAST(${c.param(q.from)} AS date)::timestamp)::date`);
    if (q.to) c.add(`r.period_start <= CAST(${c.param(q.to)} AS date)`);

    const g = groupKeys(d);
    return this.ds.query(
      `SELECT ${[...g.select, 'r.period_start AS "periodStart"', sums(['marks', 'weighted_sum', 'weight_sum']), anyOf(['marks_withheld'])].join(', ')}
         FROM learning_trend_rollup r ${g.joins.join(' ')}
        WHERE ${c.sql.join(' AND ')}
        GROUP BY ${[...g.keys, 'r.period_start'].join(', ')}
        ORDER BY ${[...g.order, 'r.period_start'].join(', ')}`,
      c.params,
    );
  }
}

import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The rollup tables of migration CreateLearningRollups. They are written and read with set-based SQL
 * (learning-rollups.ts, learning-figures.repository.ts); these mappings document their shape and
 * let the entities-versus-migrations test watch it.
 */

/**
 * One school's figures of an academic year for one group; a null term, grade level or subject means
 * all of them. Counts leave out the (term, grade level, subject) cells of fewer than five students;
 * `marksWithheld` / `attendanceWithheld` say that such a cell existed.
 */
@Entity('learning_rollup')
export class LearningRollup {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id: string;
  @Column('uuid') academicYearId: string;
  @Column('text') yearLabel: string;
  @Column('uuid', { nullable: true }) termId: string | null;
  @Column('text', { nullable: true }) termKind: string | null;
  @Column('smallint', { nullable: true }) termNumber: number | null;
  @Column('smallint', { nullable: true }) gradeLevel: number | null;
  @Column('uuid', { nullable: true }) subjectId: string | null;
  @Column('integer') marks: number;
  @Column('integer') fivePointMarks: number;
  /** Σ numeric value × weight over five-point marks (weight: the mark's, else the school's for the kind, else the kind's default). */
  @Column('double precision') weightedSum: number;
  @Column('double precision') weightSum: number;
  @Column('integer', { name: 'value_1' }) value1: number;
  @Column('integer', { name: 'value_2' }) value2: number;
  @Column('integer', { name: 'value_3' }) value3: number;
  @Column('integer', { name: 'value_4' }) value4: number;
  @Column('integer', { name: 'value_5' }) value5: number;
  @Column('integer') passed: number;
  @Column('integer') failed: number;
  /** Marks whose entry time is known (vendor systems may not say). */
  @Column('integer') timedMarks: number;
  /** Marks entered on (or before) the lesson's day, in the school's time zone. */
  @Column('integer') marksOnLessonDay: number;
  /** Distinct students with a shown mark. */
  @Column('integer') students: number;
  @Column('boolean') marksWithheld: boolean;
  /** Lessons × the students who belonged to the course on the lesson's day. */
  @Column('integer') studentLessons: number;
  @Column('integer') absent: number;
  @Column('integer') ill: number;
  @Column('integer') excused: number;
  @Column('integer') late: number;
  @Column('integer') enrolledStudents: number;
  @Column('boolean') attendanceWithheld: boolean;
}

/**
 * One school's marks of a week or a month for one group; a null grade level or subject means all of
 * them. Only cells (period, grade level, subject) of five or more students are counted.
 */
@Entity('learning_trend_rollup')
export class LearningTrendRollup {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id: string;
  @Column('text') period: 'week' | 'month';
  @Column('date') periodStart: string;
  @Column('smallint', { nullable: true }) gradeLevel: number | null;
  @Column('uuid', { nullable: true }) subjectId: string | null;
  @Column('integer') marks: number;
  @Column('integer') fivePointMarks: number;
  @Column('double precision') weightedSum: number;
  @Column('double precision') weightSum: number;
  @Column('boolean') marksWithheld: boolean;
}

/** Bumped by every writer of a school's marks, attendance or structure (markLearningDataChanged). */
@Entity('learning_data_version')
export class LearningDataVersion {
  @PrimaryColumn('uuid') schoolId: string;
  @Column('bigint') version: number;
  @Column('timestamptz') changedAt: Date;
}

/** The data version a school's rollups were computed from; -1 while the first refresh runs. */
@Entity('learning_rollup_state')
export class LearningRollupState {
  @PrimaryColumn('uuid') schoolId: string;
  @Column('bigint') dataVersion: number;
  @Column('timestamptz', { nullable: true }) refreshedAt: Date | null;
  @Column('integer', { nullable: true }) refreshMs: number | null;
}

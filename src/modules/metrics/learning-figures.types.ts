import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { TermKind } from '../schools/academic-year.entity';

export enum LearningDimension {
  SCHOOL = 'school',
  GRADE_LEVEL = 'grade_level',
  SUBJECT = 'subject',
  TERM = 'term',
}
registerEnumType(LearningDimension, {
  name: 'LearningDimension',
  description: 'What learning figures are grouped by. TERM groups across schools by kind and number ("quarter 1").',
});

export enum TrendInterval {
  WEEK = 'week',
  MONTH = 'month',
}
registerEnumType(TrendInterval, { name: 'TrendInterval', description: 'WEEK: Monday to Sunday; MONTH: a calendar month.' });

@ObjectType({ description: 'A term by its place in the year, the same in every school: "quarter 1", "half 2".' })
export class TermOfYear {
  @Field(() => TermKind) kind: TermKind;
  @Field(() => Int) number: number;
}

@ObjectType({ description: 'How many marks of one value a group has.' })
export class MarkCount {
  @Field({ description: '"1" to "5" (five-point marks by their digit, «4-» is a 4), "зач" or "незач".' }) value: string;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Student-lessons missed or arrived late to, by attendance status.' })
export class AbsenceCounts {
  @Field(() => Int, { description: 'н' }) absent: number;
  @Field(() => Int, { description: 'б' }) ill: number;
  @Field(() => Int, { description: 'уп' }) excused: number;
  @Field(() => Int, { description: 'оп (counted as present)' }) late: number;
}

@ObjectType({
  description:
    'Marks and attendance of one group of students in one academic year. The group keys are set for the dimensions grouped or ' +
    'filtered by. A group of fewer than five distinct students is suppressed: its figures are null. A (term, grade level, ' +
    'subject) group of one school with fewer than five students is also left out of every larger group, so that no ' +
    'difference of groups can single a child out.',
})
export class LearningFigures {
  /** For the `school` field. */
  schoolId: string | null;
  /** For the `subject` field. */
  subjectId: string | null;

  @Field({ description: 'The academic year, e.g. "2026/2027".' }) academicYear: string;
  @Field(() => Int, { nullable: true }) gradeLevel: number | null;
  @Field(() => TermOfYear, { nullable: true }) term: TermOfYear | null;
  @Field({ description: 'True when the group has fewer than five students: every figure below is then null.' }) suppressed: boolean;
  @Field(() => Int, { nullable: true, description: 'Distinct students with at least one mark.' }) students: number | null;
  @Field(() => Int, { nullable: true, description: 'All marks, on every scale.' }) marks: number | null;
  @Field(() => Float, {
    nullable: true,
    description: 'Weighted average of the five-point marks («4-» = 3.75), two decimals; the weight is the mark’s own, else the ' +
      'school’s for the kind of work, else the kind’s default. Pass/fail marks do not count.',
  })
  average: number | null;
  @Field(() => [MarkCount], { nullable: true, description: 'Marks per value: 1–5, then зач and незач.' }) distribution: MarkCount[] | null;
  @Field(() => Float, { nullable: true, description: 'Share of marks entered on the lesson’s day (or before), in the school’s time zone, among those whose entry time is known (some vendor systems do not say); 0–1.' })
  promptness: number | null;
  @Field(() => Int, { nullable: true, description: 'Distinct students enrolled in at least one lesson.' }) enrolledStudents: number | null;
  @Field(() => Int, { nullable: true, description: 'Lessons × the students of the course on the lesson’s day.' }) studentLessons: number | null;
  @Field(() => AbsenceCounts, { nullable: true }) absences: AbsenceCounts | null;
  @Field(() => Float, { nullable: true, description: 'Share of student-lessons attended (late counts as attended); 0–1.' })
  attendanceRate: number | null;
}

@ObjectType({ description: 'Marks of one week or month.' })
export class LearningTrendPoint {
  @Field(() => LocalDate) periodStart: string;
  @Field(() => LocalDate) periodEnd: string;
  @Field({ description: 'True when the marks of the period come from fewer than five students: the figures are then null.' })
  suppressed: boolean;
  @Field(() => Int, { nullable: true }) marks: number | null;
  @Field(() => Float, { nullable: true, description: 'Weighted average of the five-point marks, as in LearningFigures.average.' })
  average: number | null;
}

@ObjectType({ description: 'Averages over time of one group; its keys are set for the dimensions grouped or filtered by.' })
export class LearningTrendSeries {
  schoolId: string | null;
  subjectId: string | null;

  @Field(() => Int, { nullable: true }) gradeLevel: number | null;
  @Field(() => [LearningTrendPoint], { description: 'The periods with marks, oldest first.' }) points: LearningTrendPoint[];
}

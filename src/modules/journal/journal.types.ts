import { Field, Float, ObjectType } from 'type-graphql';
import { Student } from '../people/person.entity';
import { Term } from '../schools/academic-year.entity';
import { Course } from '../schools/class-group.entity';
import { LocalDate } from '../../graphql/scalars';
import { Attendance, FinalMark, Lesson, Mark } from './journal.entities';

@ObjectType({ description: 'Days a student belonged to the course’s class (and subgroup), the last day included.' })
export class EnrollmentPeriod {
  @Field(() => LocalDate) startsOn: string;
  @Field(() => LocalDate, { nullable: true }) endsOn: string | null;
}

@ObjectType({ description: 'One student in one lesson: the marks and the attendance record.' })
export class JournalCell {
  @Field(() => Lesson) lesson: Lesson;
  @Field(() => [Mark]) marks: Mark[];
  @Field(() => Attendance, { nullable: true, description: 'Null when the student was present.' }) attendance: Attendance | null;
}

@ObjectType({ description: 'A student’s row: a cell for each lesson held while the student was in the course.' })
export class JournalRow {
  @Field(() => Student) student: Student;
  @Field(() => [EnrollmentPeriod]) enrolled: EnrollmentPeriod[];
  @Field(() => [JournalCell]) cells: JournalCell[];
  @Field(() => Float, { nullable: true, description: 'Weighted average of the term’s marks (pass/fail marks do not count).' })
  average: number | null;
  @Field(() => FinalMark, { nullable: true }) termMark: FinalMark | null;
}

@ObjectType({ description: 'A course’s journal for one term: lessons as columns, students as rows.' })
export class Journal {
  @Field(() => Course) course: Course;
  @Field(() => Term) term: Term;
  @Field(() => [Lesson]) lessons: Lesson[];
  @Field(() => [JournalRow]) rows: JournalRow[];
}

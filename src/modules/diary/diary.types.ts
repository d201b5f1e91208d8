import { Field, Float, ObjectType } from 'type-graphql';
import { Student } from '../people/person.entity';
import { Term } from '../schools/academic-year.entity';
import { Subject } from '../schools/school.entity';
import { Attendance, FinalMark, Lesson, Mark } from '../journal/journal.entities';
import { LocalDate } from '../../graphql/scalars';

@ObjectType({ description: 'A lesson in a student’s day, with what the student got in it.' })
export class DiaryLesson {
  @Field(() => Lesson) lesson: Lesson;
  @Field(() => Subject) subject: Subject;
  @Field(() => [Mark]) marks: Mark[];
  @Field(() => Attendance, { nullable: true, description: 'Null when the student was present.' }) attendance: Attendance | null;
}

@ObjectType()
export class DiaryDay {
  @Field(() => LocalDate) date: string;
  @Field(() => [DiaryLesson], { description: 'In the order of the day (lesson number).' }) lessons: DiaryLesson[];
}

@ObjectType({ description: 'A subject in a term: every mark of the term, the weighted average and the term mark.' })
export class DiarySubjectSummary {
  @Field(() => Subject) subject: Subject;
  @Field(() => [Mark]) marks: Mark[];
  @Field(() => Float, { nullable: true, description: 'Weighted by kind of work (the school’s weights); pass/fail marks do not count.' })
  average: number | null;
  @Field(() => FinalMark, { nullable: true }) termMark: FinalMark | null;
}

@ObjectType()
export class DiaryTerm {
  @Field(() => Term) term: Term;
  @Field(() => [DiarySubjectSummary]) subjects: DiarySubjectSummary[];
}

@ObjectType({ description: 'One student’s days in a date range, and a summary of each term the range touches.' })
export class Diary {
  @Field(() => Student) student: Student;
  @Field(() => LocalDate) from: string;
  @Field(() => LocalDate) to: string;
  @Field(() => [DiaryDay], { description: 'Days with lessons, in date order.' }) days: DiaryDay[];
  @Field(() => [DiaryTerm]) terms: DiaryTerm[];
}

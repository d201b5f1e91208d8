import { ArrayMaxSize, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { TermKind } from '../schools/academic-year.entity';
import { LearningDimension, TrendInterval } from './learning-figures.types';

@InputType({ description: 'A term by kind and number, matched in every school: quarter 1–4, trimester 1–3, half 1–2.' })
export class TermOfYearInput {
  @Field(() => TermKind) kind: TermKind;
  @Field(() => Int) @Min(1) @Max(4) number: number;
}

@InputType()
export class LearningFiguresFilter {
  @Field(() => ID, { nullable: true, description: 'One school; required for a school’s administration (all schools: the directorate).' })
  schoolId?: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. "2026/2027"; by default the latest year with figures.' })
  @IsOptional()
  @Matches(/^\d{4}\/\d{4}$/, { message: 'is an academic year such as "2026/2027"' })
  academicYear?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(11) gradeLevel?: number | null;
  @Field(() => ID, { nullable: true }) subjectId?: string | null;
  @Field(() => TermOfYearInput, { nullable: true, description: 'A term in every school, by kind and number.' })
  @IsOptional()
  @ValidateNested()
  term?: TermOfYearInput | null;
  @Field(() => ID, { nullable: true, description: 'One school’s term (its id); implies that school and its year.' })
  termId?: string | null;
}

@ArgsType()
export class LearningFiguresArgs {
  @Field(() => LearningFiguresFilter, { nullable: true }) @IsOptional() @ValidateNested() filter?: LearningFiguresFilter | null;
  @Field(() => [LearningDimension], { defaultValue: [], description: 'One row per combination of these; none: one row for all.' })
  @ArrayMaxSize(4)
  groupBy: LearningDimension[];
}

@InputType()
export class LearningTrendFilter {
  @Field(() => ID, { nullable: true, description: 'One school; required for a school’s administration (all schools: the directorate).' })
  schoolId?: string | null;
  @Field(() => Int, { nullable: true }) @IsOptional() @Min(1) @Max(11) gradeLevel?: number | null;
  @Field(() => ID, { nullable: true }) subjectId?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'The first period is the one holding this day.' }) from?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'The last period is the one holding this day.' }) to?: string | null;
}

@ArgsType()
export class LearningTrendArgs {
  @Field(() => LearningTrendFilter, { nullable: true }) @IsOptional() @ValidateNested() filter?: LearningTrendFilter | null;
  @Field(() => TrendInterval) interval: TrendInterval;
  @Field(() => [LearningDimension], { defaultValue: [], description: 'One series per combination of these (SCHOOL, GRADE_LEVEL, SUBJECT).' })
  @ArrayMaxSize(3)
  groupBy: LearningDimension[];
}

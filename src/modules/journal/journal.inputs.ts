import { IsOptional, Max, MaxLength, Min } from 'class-validator';
import { Field, Float, ID, InputType } from 'type-graphql';
import { AttendanceStatus, FinalMarkKind, MarkScale } from './journal.entities';

@InputType({ description: 'Topic and homework of a lesson; a field left out is not changed, null clears it.' })
export class UpdateLessonInput {
  @Field(() => ID) lessonId: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) topic?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(4000) homework?: string | null;
}

@InputType()
export class AddMarkInput {
  @Field(() => ID) lessonId: string;
  @Field(() => ID) studentId: string;
  @Field({ description: 'As written, e.g. "5", "4-", "зач".' }) @MaxLength(10) value: string;
  @Field(() => MarkScale, { defaultValue: MarkScale.FIVE_POINT }) scale: MarkScale = MarkScale.FIVE_POINT;
  @Field({ defaultValue: 'class_answer', description: 'A code from workKinds.' }) @MaxLength(40) workKind: string = 'class_answer';
  @Field(() => Float, { nullable: true, description: 'Overrides the school’s weight for the kind of work (0.1–10).' })
  @IsOptional()
  @Min(0.1)
  @Max(10)
  weight?: number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(1000) comment?: string | null;
}

@InputType({ description: 'A field left out is not changed; weight and comment can be cleared with null.' })
export class ChangeMarkInput {
  @Field(() => ID) markId: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(10) value?: string | null;
  @Field(() => MarkScale, { nullable: true }) scale?: MarkScale | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(40) workKind?: string | null;
  @Field(() => Float, { nullable: true }) @IsOptional() @Min(0.1) @Max(10) weight?: number | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(1000) comment?: string | null;
}

@InputType()
export class SetAttendanceInput {
  @Field(() => ID) lessonId: string;
  @Field(() => ID) studentId: string;
  @Field(() => AttendanceStatus, { nullable: true, description: 'Null marks the student present (removes the record).' })
  status: AttendanceStatus | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(1000) comment?: string | null;
}

@InputType()
export class SetFinalMarkInput {
  @Field(() => ID) courseId: string;
  @Field(() => ID) studentId: string;
  @Field(() => FinalMarkKind, { defaultValue: FinalMarkKind.TERM }) kind: FinalMarkKind = FinalMarkKind.TERM;
  @Field(() => ID, { nullable: true, description: 'Required for a term mark.' }) termId?: string | null;
  @Field(() => String, { nullable: true, description: 'Null removes the mark.' }) @IsOptional() @MaxLength(10) value: string | null;
  @Field(() => MarkScale, { defaultValue: MarkScale.FIVE_POINT }) scale: MarkScale = MarkScale.FIVE_POINT;
}

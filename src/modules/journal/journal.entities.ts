import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { SchoolOwned, SourceDeletable } from '../../db/school-owned';
import { numericColumn } from '../../db/naming-strategy';
import { LocalDate } from '../../graphql/scalars';

export enum MarkScale {
  FIVE_POINT = 'five_point',
  PASS_FAIL = 'pass_fail',
  TEN_POINT = 'ten_point',
  HUNDRED_POINT = 'hundred_point',
}
registerEnumType(MarkScale, {
  name: 'MarkScale',
  description: 'FIVE_POINT: 1–5 with optional + or − («4-»); PASS_FAIL: «зач» / «незач»; TEN_POINT: 1–10; HUNDRED_POINT: 0–100.',
});

export enum AttendanceStatus {
  ABSENT = 'absent',
  ILL = 'ill',
  EXCUSED = 'excused',
  LATE = 'late',
}
registerEnumType(AttendanceStatus, { name: 'AttendanceStatus', description: 'н (absent), б (ill), уп (excused), оп (late).' });

export enum FinalMarkKind {
  TERM = 'term',
  YEAR = 'year',
  EXAM = 'exam',
  FINAL = 'final',
}
registerEnumType(FinalMarkKind, { name: 'FinalMarkKind', description: 'четвертная/триместровая/полугодовая, годовая, экзаменационная, итоговая.' });

@ObjectType({ description: 'One lesson of a course: a date and a number in the day.' })
@Entity('lesson')
export class Lesson extends SourceDeletable {
  @Column('uuid') courseId: string;
  @Field(() => LocalDate) @Column('date') date: string;
  @Field(() => Int, { description: 'Number of the lesson in the day (0 for a "zero" lesson).' }) @Column('smallint') number: number;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) topic: string | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) homework: string | null;
  @Column('uuid', { nullable: true }) teacherId: string | null;
}

@ObjectType()
abstract class MarkValue extends SchoolOwned {
  @Column('uuid') studentId: string;
  @Field(() => MarkScale) @Column('text') scale: MarkScale;
  @Field({ description: 'The mark as given, e.g. "4-" or "зач".' }) @Column('text') value: string;
  @Field(() => Float, { nullable: true, description: 'The value used in averages (null for pass/fail).' })
  @Column('numeric', { precision: 6, scale: 3, nullable: true, transformer: numericColumn })
  numericValue: number | null;
  @Field(() => String, { nullable: true, description: 'The value exactly as the source system sent it.' })
  @Column('text', { nullable: true })
  sourceValue: string | null;
  @Field(() => Date, { nullable: true, description: 'When the mark was given; null when its vendor system does not say.' })
  @Column('timestamptz', { nullable: true }) enteredAt: Date | null;
  @Column('uuid', { nullable: true }) enteredById: string | null;
}

@ObjectType({ description: 'A mark a student received in a lesson.' })
@Entity('mark')
export class Mark extends MarkValue {
  @Column('uuid') lessonId: string;
  @Column('text') workKind: string;
  @Column('numeric', { precision: 4, scale: 2, nullable: true, transformer: numericColumn }) weight: number | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) comment: string | null;
}

@ObjectType({ description: 'A term, year, exam or final mark of a student in a course.' })
@Entity('final_mark')
export class FinalMark extends MarkValue {
  @Column('uuid') courseId: string;
  @Field(() => FinalMarkKind) @Column('text') kind: FinalMarkKind;
  @Column('uuid', { nullable: true }) termId: string | null;
}

@ObjectType({ description: 'A student’s attendance in one lesson; a student with no record was present.' })
@Entity('attendance')
export class Attendance {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryColumn('uuid') lessonId: string;
  @PrimaryColumn('uuid') studentId: string;
  @Field(() => AttendanceStatus) @Column('text') status: AttendanceStatus;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) comment: string | null;
  @Field() @Column('timestamptz') recordedAt: Date;
  @Column('uuid', { nullable: true }) recordedById: string | null;
  @Column('text', { nullable: true }) sourceSystem: string | null;
  @Column('text', { nullable: true }) sourceId: string | null;
}

export enum MarkChangeAction {
  CREATED = 'created',
  CHANGED = 'changed',
  REMOVED = 'removed',
}
registerEnumType(MarkChangeAction, { name: 'MarkChangeAction' });

@Entity('mark_history')
export class MarkHistoryEntry {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' }) id: string;
  @Column('text') markType: 'mark' | 'final_mark';
  @Column('uuid') markId: string;
  @Column('uuid') studentId: string;
  @Column('text') action: MarkChangeAction;
  @Column('jsonb', { nullable: true }) before: Record<string, unknown> | null;
  @Column('jsonb', { nullable: true }) after: Record<string, unknown> | null;
  @Column('timestamptz') changedAt: Date;
  @Column('uuid', { nullable: true }) changedByAccountId: string | null;
  @Column('text') changedVia: 'journal' | 'sync';
}

import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { Column, Entity } from 'typeorm';
import { SourceDeletable } from '../../db/school-owned';

export enum TermKind {
  QUARTER = 'quarter',
  TRIMESTER = 'trimester',
  HALF = 'half',
}
registerEnumType(TermKind, { name: 'TermKind', description: 'четверть, триместр or полугодие' });

@ObjectType()
@Entity('academic_year')
export class AcademicYear extends SourceDeletable {
  @Field({ description: 'e.g. "2026/2027"' }) @Column('text') label: string;
  @Field(() => LocalDate) @Column('date') startsOn: string;
  @Field(() => LocalDate) @Column('date') endsOn: string;
}

@ObjectType({ description: 'A quarter, trimester or half of an academic year.' })
@Entity('term')
export class Term extends SourceDeletable {
  @Column('uuid') academicYearId: string;
  @Field(() => TermKind) @Column('text') kind: TermKind;
  @Field(() => Int) @Column('smallint') number: number;
  @Field() @Column('text') name: string;
  @Field(() => LocalDate) @Column('date') startsOn: string;
  @Field(() => LocalDate) @Column('date') endsOn: string;
}

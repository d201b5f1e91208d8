import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The system of record of a school that keeps its journal in the hub itself. */
export const BUILTIN_JOURNAL = 'builtin';

@ObjectType({ description: 'The municipality and its directorate; one per installation.' })
@Entity('municipality')
export class Municipality {
  @Field(() => ID) @PrimaryColumn('uuid') id: string;
  @Field() @Column('text') name: string;
  @Field() @Column('text') directorateName: string;
  @Field({ description: 'IANA time zone, e.g. Asia/Yekaterinburg.' }) @Column('text') timeZone: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@ObjectType()
@Entity('school')
export class School {
  @Field(() => ID) @PrimaryColumn('uuid') id: string;
  @Column('uuid') municipalityId: string;
  @Field() @Column('text') fullName: string;
  @Field() @Column('text') shortName: string;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) address: string | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) website: string | null;
  @Field({ description: 'IANA time zone; decides what "today" is for the school.' }) @Column('text') timeZone: string;
  @Field({ description: '"builtin" when the hub is the journal, otherwise the id of the vendor system the school syncs from.' })
  @Column('text')
  systemOfRecord: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @Field({ description: 'True when marks and attendance are written in the hub (no vendor system).' })
  get usesBuiltinJournal(): boolean {
    return this.systemOfRecord === BUILTIN_JOURNAL;
  }
}

@ObjectType({ description: 'A subject of the municipality’s curriculum list.' })
@Entity('subject')
export class Subject {
  @Field(() => ID) @PrimaryColumn('uuid') id: string;
  @Field() @Column('text') code: string;
  @Field() @Column('text') name: string;
}

@ObjectType({ description: 'Another name of a subject, as schools write it in their vendor systems («ИЗО», «Физкультура»); syncs map names through it.' })
export class SubjectAlias {
  @Field({ description: 'Lower case, ё as е, single spaces: as names are compared.' }) alias: string;
  @Field(() => Subject) subject: Subject;
}

@ObjectType({ description: 'A kind of work a mark is given for; its weight counts in weighted averages.' })
@Entity('work_kind')
export class WorkKind {
  @Field() @PrimaryColumn('text') code: string;
  @Field() @Column('text') name: string;
  @Field() @Column('numeric', { precision: 4, scale: 2, transformer: { to: (v: number) => v, from: Number } })
  defaultWeight: number;
  @Column('smallint') sortOrder: number;
}

@Entity('school_work_kind_weight')
export class SchoolWorkKindWeight {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryColumn('text') workKind: string;
  @Column('numeric', { precision: 4, scale: 2, transformer: { to: (v: number) => v, from: Number } }) weight: number;
}

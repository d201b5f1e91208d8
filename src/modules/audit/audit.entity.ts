import { GraphQLJSON } from 'graphql-scalars';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@ObjectType({ description: 'An entry of a school’s audit trail. Entries cannot be changed or deleted.' })
@Entity('audit_event')
export class AuditEvent {
  @Field(() => ID) @PrimaryColumn('uuid') schoolId: string;
  @Field(() => ID) @PrimaryColumn('bigint') id: string;
  @Field() @Column('timestamptz') occurredAt: Date;
  @Field(() => ID, { nullable: true }) @Column('uuid', { nullable: true }) actorAccountId: string | null;
  @Field({ description: 'e.g. "mark.created", "diary.read", "credentials.issued".' }) @Column('text') action: string;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) subjectType: string | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) subjectId: string | null;
  @Field(() => ID, { nullable: true }) @Column('uuid', { nullable: true }) studentId: string | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) clientAddress: string | null;
  @Field(() => GraphQLJSON) @Column('jsonb') details: Record<string, unknown>;
}

@ObjectType({ description: 'An event of an account outside any one school: sign-ins and their failures, sign-outs, password changes, revoked sessions.' })
@Entity('account_event')
export class AccountEvent {
  @Field(() => ID) @PrimaryColumn('bigint') id: string;
  @Field() @Column('timestamptz') occurredAt: Date;
  @Field(() => ID, { nullable: true }) @Column('uuid', { nullable: true }) actorAccountId: string | null;
  @Field({ description: 'e.g. "auth.signed_in", "auth.sign_in_failed", "auth.activated".' }) @Column('text') action: string;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) subjectType: string | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) subjectId: string | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) clientAddress: string | null;
  @Field(() => GraphQLJSON) @Column('jsonb') details: Record<string, unknown>;
}

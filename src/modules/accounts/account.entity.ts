import { SchoolKeyed } from '../../db/school-owned';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { toApiId } from '../../common/ids';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Role } from '../../policy/viewer';

@ObjectType({ description: 'A user account: one login, acting in one or more schools, or for the directorate.' })
@Entity('account')
export class Account {
  @Field(() => ID) @PrimaryColumn('uuid') id: string;
  @Field() @Column('text') login: string;
  @Field() @Column('text') displayName: string;
  @Column('text') passwordHash: string;
  @Field({ description: 'True until the holder of issued credentials sets a password of their own.' })
  @Column('boolean')
  mustChangePassword: boolean;
  @Column('timestamptz', { nullable: true }) passwordChangedAt: Date | null;
  @Field(() => Date, { nullable: true, description: 'First sign-in with issued credentials (activation).' })
  @Column('timestamptz', { nullable: true })
  activatedAt: Date | null;
  @Field(() => Date, { nullable: true }) @Column('timestamptz', { nullable: true }) disabledAt: Date | null;
  @Field() @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity('directorate_member')
export class DirectorateMember {
  @PrimaryColumn('uuid') accountId: string;
  @Column('text', { nullable: true }) position: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('account_role')
export class AccountRole {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryColumn('uuid') accountId: string;
  @PrimaryColumn('text') role: Role;
  @Column('uuid', { nullable: true }) staffId: string | null;
  @Column('uuid', { nullable: true }) studentId: string | null;
  @Column('uuid', { nullable: true }) guardianId: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('session')
export class Session {
  @PrimaryColumn('uuid') id: string;
  @Column('uuid') accountId: string;
  @Column('bytea') tokenHash: Buffer;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column('timestamptz') expiresAt: Date;
  @Column('timestamptz') lastSeenAt: Date;
  @Column('timestamptz', { nullable: true }) endedAt: Date | null;
  @Column('text', { nullable: true }) endedReason: string | null;
  @Column('text', { nullable: true }) clientAddress: string | null;
}

export enum AccessGrantKind {
  GUARDIAN = 'guardian',
  DIRECTORATE = 'directorate',
}
registerEnumType(AccessGrantKind, { name: 'AccessGrantKind', description: 'GUARDIAN: a parent’s access; DIRECTORATE: an exceptional access of the directorate.' });

@ObjectType({ description: 'The right of an account to read one student’s data (a parent’s, or the directorate’s by exception).' })
@Entity('access_grant')
export class AccessGrant extends SchoolKeyed {
  @Field(() => ID) @Column('uuid') accountId: string;
  @Column('uuid') studentId: string;
  @Field(() => AccessGrantKind) @Column('text') kind: AccessGrantKind;
  @Field() @Column('timestamptz') startsAt: Date;
  @Field(() => Date, { nullable: true }) @Column('timestamptz', { nullable: true }) endsAt: Date | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) endedReason: string | null;
  @Column('uuid', { nullable: true }) grantedById: string | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) note: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;

  @Field(() => ID, { name: 'studentId' })
  get studentApiId(): string {
    return toApiId({ schoolId: this.schoolId, id: this.studentId });
  }
}

import { GraphQLJSON } from 'graphql-scalars';
import { SchoolKeyed } from '../../db/school-owned';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numericColumn } from '../../db/naming-strategy';
import { LocalDate } from '../../graphql/scalars';
import type { EnteredItems, ReportItems } from './report-items';

@ObjectType({ description: 'A rollout campaign of the municipality: the staged plan, reporting dates and activation targets (the order’s defaults, editable).' })
@Entity('rollout_campaign')
export class RolloutCampaign {
  @Field(() => ID) @PrimaryColumn('uuid') id: string;
  @Column('uuid') municipalityId: string;
  @Field() @Column('text') name: string;
  @Field(() => LocalDate, { description: 'By when each school appoints its responsible person (item 3.3 of the order).' }) @Column('date') responsibleDeadline: string;
  @Field(() => LocalDate, { description: 'By when each school approves its plan and sends it to the directorate (items 3.4–3.5).' }) @Column('date') planDeadline: string;
  @Column('timestamptz') createdAt: Date;
}

@ObjectType({ description: 'An activity of the plan, in a stage: 1.1 organisational, 1.2 normative, 2 main, 3 operation.' })
@Entity('rollout_activity')
export class RolloutActivity {
  @Field(() => ID) @PrimaryColumn('uuid') id: string;
  @Column('uuid') campaignId: string;
  @Field() @Column('text') stage: string;
  @Field(() => Int) @Column('smallint') position: number;
  @Field() @Column('text') title: string;
  @Field(() => LocalDate, { nullable: true }) @Column('date', { nullable: true }) deadline: string | null;
}

@ObjectType()
@Entity('reporting_date')
export class ReportingDate {
  @Field(() => ID) @PrimaryColumn('uuid') id: string;
  @Column('uuid') campaignId: string;
  @Field(() => LocalDate) @Column('date') date: string;
}

@ObjectType({ description: 'The share of parents (of those able to use the service) that should be active by a date.' })
@Entity('activation_target')
export class ActivationTarget {
  @Field(() => ID) @PrimaryColumn('uuid') id: string;
  @Column('uuid') campaignId: string;
  @Field(() => LocalDate) @Column('date') byDate: string;
  @Field(() => Float) @Column('numeric', { precision: 5, scale: 2, transformer: numericColumn }) minPercent: number;
  @Field(() => Float) @Column('numeric', { precision: 5, scale: 2, transformer: numericColumn }) maxPercent: number;
}

@Entity('school_rollout')
export class SchoolRollout {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryColumn('uuid') campaignId: string;
  @Column('text', { nullable: true }) responsibleName: string | null;
  @Column('text', { nullable: true }) responsiblePosition: string | null;
  @Column('text', { nullable: true }) responsibleOrderNumber: string | null;
  @Column('date', { nullable: true }) responsibleOrderDate: string | null;
  @Column('date', { nullable: true }) orderCopyReceivedOn: string | null;
  @Column('text', { nullable: true }) planApprovalNumber: string | null;
  @Column('date', { nullable: true }) planApprovalDate: string | null;
  @Column('date', { nullable: true }) planSubmittedOn: string | null;
  @Column('boolean', { nullable: true }) websiteLink: boolean | null;
  @Column('timestamptz') updatedAt: Date;
}

export enum ActivityStatus {
  PLANNED = 'planned',
  IN_PROGRESS = 'in_progress',
  DONE = 'done',
  NOT_NEEDED = 'not_needed',
}
registerEnumType(ActivityStatus, { name: 'ActivityStatus', description: 'NOT_NEEDED: the order lets a school leave out what its readiness makes unnecessary.' });

@Entity('school_activity')
export class SchoolActivity {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryColumn('uuid') activityId: string;
  @Column('text') status: ActivityStatus;
  @Column('date', { nullable: true }) completedOn: string | null;
  @Column('text', { nullable: true }) evidence: string | null;
}

@Entity('readiness_answer')
export class ReadinessAnswer {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryColumn('uuid') campaignId: string;
  @PrimaryColumn('text') item: string;
  @Column('boolean') satisfied: boolean;
  @Column('text', { nullable: true }) note: string | null;
}

export enum LocalActKind {
  ACT = 'act',
  AMENDMENT = 'amendment',
}
registerEnumType(LocalActKind, { name: 'LocalActKind', description: 'ACT: a new local act (report item 4); AMENDMENT: a change to an existing one (item 5).' });

@ObjectType({ description: 'A local act of the school about the e-journal, or an amendment to one, with its approval requisites.' })
@Entity('local_act')
export class LocalAct extends SchoolKeyed {
  @Column('uuid') campaignId: string;
  @Field(() => LocalActKind) @Column('text') kind: LocalActKind;
  @Field() @Column('text') title: string;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) approvalNumber: string | null;
  @Field(() => LocalDate, { nullable: true }) @Column('date', { nullable: true }) approvalDate: string | null;
}

export enum RolloutEventKind {
  FAMILIARIZATION = 'familiarization',
  TRAINING = 'training',
}
registerEnumType(RolloutEventKind, { name: 'RolloutEventKind', description: 'FAMILIARIZATION (report items 6–7, e.g. a parent meeting); TRAINING (item 10).' });

export enum Audience {
  TEACHERS = 'teachers',
  PARENTS = 'parents',
  STUDENTS = 'students',
}
registerEnumType(Audience, { name: 'Audience' });

@ObjectType({ description: 'A parent meeting, familiarisation or training session, with how many took part.' })
@Entity('rollout_event')
export class RolloutEvent extends SchoolKeyed {
  @Column('uuid') campaignId: string;
  @Field(() => RolloutEventKind) @Column('text') kind: RolloutEventKind;
  @Field(() => Audience) @Column('text') audience: Audience;
  @Field({ description: 'e.g. «родительское собрание», «семинар».' }) @Column('text') form: string;
  @Field(() => LocalDate) @Column('date') heldOn: string;
  @Field(() => Int) @Column('integer') participants: number;
}

export enum ReportStatus {
  DRAFT = 'draft',
  SUBMITTED = 'submitted',
  ACCEPTED = 'accepted',
  RETURNED = 'returned',
}
registerEnumType(ReportStatus, { name: 'ReportStatus', description: 'DRAFT → SUBMITTED (frozen) → ACCEPTED, or RETURNED with a comment and submitted again.' });

export interface ReportProblemData {
  problem: string;
  solution: string;
  resolved: 'full' | 'partial';
}

@ObjectType({ description: 'A school’s Appendix 3 report on one reporting date.' })
@Entity('rollout_report')
export class RolloutReport extends SchoolKeyed {
  @Column('uuid') campaignId: string;
  @Column('uuid') reportingDateId: string;
  @Field(() => ReportStatus) @Column('text') status: ReportStatus;
  @Field(() => GraphQLJSON, { description: 'The 15 items (see ReportItems in src/modules/rollout/report-items.ts): computed at preparation, frozen on submission.' })
  @Column('jsonb')
  items: ReportItems;
  @Field(() => GraphQLJSON, { description: 'What the school entered itself (overrides of items 6, 7, 10; items 11 and 15).' })
  @Column('jsonb')
  entered: EnteredItems;
  @Column('jsonb') problems: ReportProblemData[];
  @Field() @Column('timestamptz') preparedAt: Date;
  @Field(() => Date, { nullable: true }) @Column('timestamptz', { nullable: true }) submittedAt: Date | null;
  @Field(() => Date, { nullable: true }) @Column('timestamptz', { nullable: true }) reviewedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'The directorate’s comment when it returned the report.' }) @Column('text', { nullable: true }) reviewComment: string | null;
}

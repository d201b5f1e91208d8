import { ArrayMaxSize, IsIn, IsOptional, Max, MaxLength, Min } from 'class-validator';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, ObjectType, Query, registerEnumType, Resolver, Root } from 'type-graphql';
import { parseApiId, parsePlainId } from '../../common/ids';
import type { Context } from '../../graphql/context';
import { LocalDate } from '../../graphql/scalars';
import { School } from '../schools/school.entity';
import type { EnteredItems } from './report-items';
import {
  ActivationTarget, ActivityStatus, Audience, LocalAct, LocalActKind, ReportingDate, ReportProblemData, RolloutActivity, RolloutCampaign,
  RolloutEvent, RolloutEventKind, RolloutReport,
} from './rollout.entities';
import { SchoolPlan } from './rollout.service';

@ObjectType()
class PlanActivityType {
  @Field(() => RolloutActivity) activity: RolloutActivity;
  @Field(() => ActivityStatus) status: ActivityStatus;
  @Field(() => LocalDate, { nullable: true }) completedOn: string | null;
  @Field(() => String, { nullable: true, description: 'e.g. the number and date of the school’s approving order.' }) evidence: string | null;
  @Field({ description: 'Not done (nor declared unneeded) and past its deadline on the school’s today.' }) overdue: boolean;
}

@ObjectType({ description: 'A school’s rollout plan: the responsible person (item 3.3), the plan’s approval and submission (3.4–3.5), and each activity.' })
class SchoolPlanType {
  @Field(() => RolloutCampaign) campaign: RolloutCampaign;
  @Field(() => String, { nullable: true }) responsibleName: string | null;
  @Field(() => String, { nullable: true }) responsiblePosition: string | null;
  @Field(() => String, { nullable: true }) responsibleOrderNumber: string | null;
  @Field(() => LocalDate, { nullable: true }) responsibleOrderDate: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'When the copy of the appointing order reached the directorate.' }) orderCopyReceivedOn: string | null;
  @Field(() => String, { nullable: true }) planApprovalNumber: string | null;
  @Field(() => LocalDate, { nullable: true }) planApprovalDate: string | null;
  @Field(() => LocalDate, { nullable: true }) planSubmittedOn: string | null;
  @Field(() => Boolean, { nullable: true, description: 'Whether the school’s website links to the e-journal (report item 11).' }) websiteLink: boolean | null;
  @Field(() => [PlanActivityType]) activities: PlanActivityType[];
  @Field() responsibleOverdue: boolean;
  @Field() planOverdue: boolean;
  @Field(() => Int) overdueActivities: number;
}

const toPlanType = (p: SchoolPlan): SchoolPlanType => ({ ...p.rollout, campaign: p.campaign, activities: p.activities,
  responsibleOverdue: p.responsibleOverdue, planOverdue: p.planOverdue, overdueActivities: p.overdueActivities });

@ObjectType()
class ReadinessItem {
  @Field() code: string;
  @Field({ description: 'mandatory, minimal, optimal or prospective (Appendix 2).' }) level: string;
  @Field() title: string;
  @Field(() => Boolean, { nullable: true, description: 'Null until the school answers.' }) satisfied: boolean | null;
  @Field(() => String, { nullable: true }) note: string | null;
}

@ObjectType({ description: 'The Appendix 2 checklist and the level the school reaches: below_minimum, mandatory, minimal, optimal, prospective.' })
class Readiness {
  @Field(() => [ReadinessItem]) items: ReadinessItem[];
  @Field() level: string;
}

@ObjectType()
class ReportProblem {
  @Field() problem: string;
  @Field() solution: string;
  @Field({ description: '"full" or "partial".' }) resolved: string;
}

@ObjectType({ description: 'A school’s report standing on a reporting date.' })
class ReportStatusRowType {
  @Field(() => School) school: School;
  @Field(() => RolloutReport, { nullable: true }) report: RolloutReport | null;
  @Field({ description: 'draft, submitted, accepted, returned; late (submitted after the date); missing (not submitted, date passed); not_started.' }) status: string;
}

@ObjectType()
class DatedStatus {
  @Field(() => ReportingDate) reportingDate: ReportingDate;
  @Field() status: string;
}

@ObjectType({ description: 'A school’s rollout figures on its today (percentages 0–100).' })
class SchoolRolloutFiguresType {
  @Field(() => School) school: School;
  @Field(() => Float, { nullable: true, description: 'Activated parent accounts over those issued (able to use the service).' }) parentActivation: number | null;
  @Field(() => ActivationTarget, { nullable: true, description: 'The band in force: the latest target whose date has come.' }) target: ActivationTarget | null;
  @Field(() => Boolean, { nullable: true, description: 'Activation at or above the band’s minimum; null without a band or a figure.' }) onTrack: boolean | null;
  @Field(() => Float, { nullable: true }) applications: number | null;
  @Field(() => Float, { nullable: true }) parentLogins: number | null;
  @Field(() => Float, { nullable: true }) teacherLogins: number | null;
  @Field(() => Float, { nullable: true }) studentLogins: number | null;
  @Field(() => Float, { nullable: true }) teachersWorking: number | null;
  @Field(() => Int) overdueActivities: number;
  @Field() readinessLevel: string;
  @Field(() => [DatedStatus]) reportStatuses: DatedStatus[];
}

@ObjectType()
class StatusCount {
  @Field() status: string;
  @Field(() => Int) schools: number;
}

@ObjectType()
class DatedStatusCounts {
  @Field(() => ReportingDate) reportingDate: ReportingDate;
  @Field(() => [StatusCount]) counts: StatusCount[];
}

@ObjectType({ description: 'The municipality’s rollout figures: shares summed over all schools from the counts behind them (percentages 0–100).' })
class MunicipalityRolloutFiguresType {
  @Field(() => Float, { nullable: true }) parentActivation: number | null;
  @Field(() => ActivationTarget, { nullable: true }) target: ActivationTarget | null;
  @Field(() => Boolean, { nullable: true }) onTrack: boolean | null;
  @Field(() => Float, { nullable: true }) applications: number | null;
  @Field(() => Float, { nullable: true }) parentLogins: number | null;
  @Field(() => Float, { nullable: true }) studentLogins: number | null;
  @Field(() => Float, { nullable: true }) teachersWorking: number | null;
  @Field(() => Int) schoolsOnTrack: number;
  @Field(() => Int) schoolsBehind: number;
  @Field(() => Int) overdueActivities: number;
  @Field(() => [DatedStatusCounts], { description: 'How many schools have each report status on each reporting date.' }) reportStatuses: DatedStatusCounts[];
}

@ObjectType()
class RolloutOverviewType {
  @Field(() => [SchoolRolloutFiguresType]) schools: SchoolRolloutFiguresType[];
  @Field(() => MunicipalityRolloutFiguresType) municipality: MunicipalityRolloutFiguresType;
}

@ObjectType()
class ActivationPoint {
  @Field(() => LocalDate) periodEnd: string;
  @Field(() => Int, { description: 'Parent accounts issued by the end of the period.' }) issued: number;
  @Field(() => Int, { description: 'Of them, activated by then.' }) activated: number;
  @Field(() => Float, { nullable: true }) percent: number | null;
}

@ObjectType({ description: 'Parent activation over time, for one school or (school null) the municipality.' })
class ActivationSeriesType {
  @Field(() => School, { nullable: true }) school: School | null;
  @Field(() => [ActivationPoint]) points: ActivationPoint[];
}

export enum TrendPeriod {
  WEEK = 'week',
  MONTH = 'month',
}
registerEnumType(TrendPeriod, { name: 'TrendPeriod' });

@InputType()
class SchoolPlanInput {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) responsibleName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) responsiblePosition?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(50) responsibleOrderNumber?: string | null;
  @Field(() => LocalDate, { nullable: true }) responsibleOrderDate?: string | null;
  @Field(() => LocalDate, { nullable: true }) orderCopyReceivedOn?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(50) planApprovalNumber?: string | null;
  @Field(() => LocalDate, { nullable: true }) planApprovalDate?: string | null;
  @Field(() => LocalDate, { nullable: true }) planSubmittedOn?: string | null;
  @Field(() => Boolean, { nullable: true }) websiteLink?: boolean | null;
}

@InputType()
class ReadinessAnswerInput {
  @Field() @MaxLength(40) item: string;
  @Field() satisfied: boolean;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) note?: string | null;
}

@InputType()
class LocalActInput {
  @Field(() => LocalActKind) kind: LocalActKind;
  @Field() @MaxLength(500) title: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(50) approvalNumber?: string | null;
  @Field(() => LocalDate, { nullable: true }) approvalDate?: string | null;
}

@InputType()
class RolloutEventInput {
  @Field(() => RolloutEventKind) kind: RolloutEventKind;
  @Field(() => Audience) audience: Audience;
  @Field() @MaxLength(200) form: string;
  @Field(() => LocalDate) heldOn: string;
  @Field(() => Int) @Min(0) @Max(100_000) participants: number;
}

@InputType()
class ReportProblemInput {
  @Field() @MaxLength(1000) problem: string;
  @Field() @MaxLength(1000) solution: string;
  @Field({ description: '"full" or "partial".' }) @IsIn(['full', 'partial']) resolved: string;
}

@InputType()
class ActivationTargetInput {
  @Field(() => LocalDate) byDate: string;
  @Field(() => Float) minPercent: number;
  @Field(() => Float) maxPercent: number;
}

@InputType({ description: 'What the school enters itself; a field left out keeps its value.' })
class ReportEntriesInput {
  @Field(() => GraphQLJSON, { nullable: true, description: 'Overrides of item 6 coverage: { teachers, parents, students } in percent.' }) familiarization?: EnteredItems['familiarization'];
  @Field(() => String, { nullable: true, description: 'Item 7.' }) @IsOptional() @MaxLength(2000) familiarizationForms?: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Overrides of item 10 coverage: { teachers, parents, students } in percent.' }) training?: EnteredItems['training'];
  @Field(() => Boolean, { nullable: true, description: 'Item 11.' }) websiteLink?: boolean | null;
  @Field(() => String, { nullable: true, description: 'Item 15.' }) @IsOptional() @MaxLength(4000) additionalInfo?: string | null;
  @Field(() => [ReportProblemInput], { nullable: true }) @IsOptional() @ArrayMaxSize(50) problems?: ReportProblemInput[] | null;
}

@Resolver(() => RolloutCampaign)
export class RolloutCampaignResolver {
  @Query(() => [RolloutCampaign], { description: 'The municipality’s rollout campaigns, newest first.' })
  rolloutCampaigns(@Ctx() ctx: Context) {
    return ctx.services.rollout.campaigns(ctx);
  }

  @FieldResolver(() => [RolloutActivity]) activities(@Root() c: RolloutCampaign, @Ctx() ctx: Context) { return ctx.services.rollout.activities(c.id); }
  @FieldResolver(() => [ReportingDate]) reportingDates(@Root() c: RolloutCampaign, @Ctx() ctx: Context) { return ctx.services.rollout.reportingDates(c.id); }
  @FieldResolver(() => [ActivationTarget]) activationTargets(@Root() c: RolloutCampaign, @Ctx() ctx: Context) { return ctx.services.rollout.activationTargets(c.id); }

  @Mutation(() => RolloutCampaign, { description: 'Starts a campaign for a year with the order’s activities, deadlines, reporting dates and activation targets (the directorate).' })
  createRolloutCampaign(@Arg('name') name: string, @Arg('year', () => Int) year: number, @Ctx() ctx: Context) {
    return ctx.services.rollout.createCampaign(ctx, name, year);
  }

  @Mutation(() => RolloutActivity, { description: 'Edits an activity of the plan template (the directorate).' })
  updateRolloutActivity(@Arg('id', () => ID) id: string, @Arg('title', () => String, { nullable: true }) title: string | null,
    @Arg('deadline', () => LocalDate, { nullable: true }) deadline: string | null, @Ctx() ctx: Context) {
    return ctx.services.rollout.updateActivity(ctx, parsePlainId(id, 'id'), { ...(title !== null ? { title } : {}), ...(deadline !== null ? { deadline } : {}) });
  }

  @Mutation(() => RolloutActivity, { description: 'Adds an activity at the end of a stage of the plan template (the directorate).' })
  addRolloutActivity(@Arg('campaignId', () => ID) campaignId: string, @Arg('stage') stage: string, @Arg('title') title: string,
    @Arg('deadline', () => LocalDate, { nullable: true }) deadline: string | null, @Ctx() ctx: Context) {
    return ctx.services.rollout.addActivity(ctx, parsePlainId(campaignId, 'campaignId'), stage, title, deadline);
  }

  @Mutation(() => Boolean, { description: 'Removes an activity no school has recorded yet (the directorate).' })
  removeRolloutActivity(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.removeActivity(ctx, parsePlainId(id, 'id'));
  }

  @Mutation(() => [ReportingDate], { description: 'Sets a campaign’s reporting dates (the directorate).' })
  setReportingDates(@Arg('campaignId', () => ID) campaignId: string, @Arg('dates', () => [LocalDate]) dates: string[], @Ctx() ctx: Context) {
    return ctx.services.rollout.setReportingDates(ctx, parsePlainId(campaignId, 'campaignId'), dates);
  }

  @Mutation(() => [ActivationTarget], { description: 'Sets the parent activation schedule (the directorate).' })
  setActivationTargets(@Arg('campaignId', () => ID) campaignId: string, @Arg('targets', () => [ActivationTargetInput]) targets: ActivationTargetInput[], @Ctx() ctx: Context) {
    return ctx.services.rollout.setActivationTargets(ctx, parsePlainId(campaignId, 'campaignId'), targets);
  }
}

@Resolver(() => RolloutReport)
export class RolloutReportResolver {
  @Query(() => SchoolPlanType, { description: 'A school’s plan with overdue activities (its administration, the directorate).' })
  async schoolPlan(@Arg('schoolId', () => ID) schoolId: string, @Arg('campaignId', () => ID) campaignId: string, @Ctx() ctx: Context) {
    return toPlanType(await ctx.services.rollout.schoolPlan(ctx, parsePlainId(schoolId, 'schoolId'), parsePlainId(campaignId, 'campaignId')));
  }

  @Mutation(() => SchoolPlanType, { description: 'Records the responsible person, the plan’s approval and submission (the school’s administration).' })
  async updateSchoolPlan(@Arg('schoolId', () => ID) schoolId: string, @Arg('campaignId', () => ID) campaignId: string, @Arg('input') input: SchoolPlanInput, @Ctx() ctx: Context) {
    const patch = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    return toPlanType(await ctx.services.rollout.updateSchoolPlan(ctx, parsePlainId(schoolId, 'schoolId'), parsePlainId(campaignId, 'campaignId'), patch));
  }

  @Mutation(() => SchoolPlanType, { description: 'Sets an activity’s status in the school’s plan (the school’s administration).' })
  async setActivityStatus(@Arg('schoolId', () => ID) schoolId: string, @Arg('activityId', () => ID) activityId: string,
    @Arg('status', () => ActivityStatus) status: ActivityStatus, @Arg('completedOn', () => LocalDate, { nullable: true }) completedOn: string | null,
    @Arg('evidence', () => String, { nullable: true }) evidence: string | null, @Ctx() ctx: Context) {
    return toPlanType(await ctx.services.rollout.setActivityStatus(ctx, parsePlainId(schoolId, 'schoolId'), parsePlainId(activityId, 'activityId'), status, completedOn, evidence));
  }

  @Query(() => Readiness, { description: 'The Appendix 2 checklist of a school and its level (its administration, the directorate).' })
  readiness(@Arg('schoolId', () => ID) schoolId: string, @Arg('campaignId', () => ID) campaignId: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.readiness(ctx, parsePlainId(schoolId, 'schoolId'), parsePlainId(campaignId, 'campaignId'));
  }

  @Mutation(() => Readiness)
  answerReadiness(@Arg('schoolId', () => ID) schoolId: string, @Arg('campaignId', () => ID) campaignId: string,
    @Arg('answers', () => [ReadinessAnswerInput]) answers: ReadinessAnswerInput[], @Ctx() ctx: Context) {
    return ctx.services.rollout.answerReadiness(ctx, parsePlainId(schoolId, 'schoolId'), parsePlainId(campaignId, 'campaignId'), answers);
  }

  @Query(() => [LocalAct])
  localActs(@Arg('schoolId', () => ID) schoolId: string, @Arg('campaignId', () => ID) campaignId: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.localActs(ctx, parsePlainId(schoolId, 'schoolId'), parsePlainId(campaignId, 'campaignId'));
  }

  @Mutation(() => LocalAct, { description: 'Records a local act or an amendment with its approval (report items 4–5).' })
  addLocalAct(@Arg('schoolId', () => ID) schoolId: string, @Arg('campaignId', () => ID) campaignId: string, @Arg('input') input: LocalActInput, @Ctx() ctx: Context) {
    return ctx.services.rollout.addLocalAct(ctx, parsePlainId(schoolId, 'schoolId'), parsePlainId(campaignId, 'campaignId'), input);
  }

  @Query(() => [RolloutEvent])
  rolloutEvents(@Arg('schoolId', () => ID) schoolId: string, @Arg('campaignId', () => ID) campaignId: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.events(ctx, parsePlainId(schoolId, 'schoolId'), parsePlainId(campaignId, 'campaignId'));
  }

  @Mutation(() => RolloutEvent, { description: 'Records a parent meeting, familiarisation or training session and its attendance (report items 6, 7, 10).' })
  recordRolloutEvent(@Arg('schoolId', () => ID) schoolId: string, @Arg('campaignId', () => ID) campaignId: string, @Arg('input') input: RolloutEventInput, @Ctx() ctx: Context) {
    return ctx.services.rollout.recordEvent(ctx, parsePlainId(schoolId, 'schoolId'), parsePlainId(campaignId, 'campaignId'), input);
  }

  @Query(() => RolloutReport, { nullable: true })
  rolloutReport(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.report(ctx, parseApiId(id, 'id'));
  }

  @Query(() => [RolloutReport], { description: 'A school’s reports, oldest first.' })
  rolloutReports(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.reports(ctx, parsePlainId(schoolId, 'schoolId'));
  }

  @Query(() => [ReportStatusRowType], { description: 'Every school’s report on a reporting date, missing and late ones included (the directorate).' })
  reportStatuses(@Arg('reportingDateId', () => ID) reportingDateId: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.reportStatuses(ctx, parsePlainId(reportingDateId, 'reportingDateId'));
  }

  @Query(() => RolloutOverviewType, { description: 'Each school’s rollout figures against the campaign’s targets, and the municipality’s (the directorate).' })
  rolloutFigures(@Arg('campaignId', () => ID) campaignId: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.figures(ctx, parsePlainId(campaignId, 'campaignId'));
  }

  @Query(() => [ActivationSeriesType], { description: 'Parent activation at the end of each week or month, per school and for the municipality (the directorate).' })
  activationTrend(@Arg('from', () => LocalDate) from: string, @Arg('to', () => LocalDate) to: string,
    @Arg('interval', () => TrendPeriod, { defaultValue: TrendPeriod.WEEK }) interval: TrendPeriod, @Ctx() ctx: Context) {
    return ctx.services.rollout.activationTrend(ctx, from, to, interval);
  }

  @FieldResolver(() => ReportingDate)
  reportingDate(@Root() report: RolloutReport, @Ctx() ctx: Context) {
    return ctx.loaders.reportingDate.load(report.reportingDateId);
  }

  @FieldResolver(() => School)
  school(@Root() report: RolloutReport, @Ctx() ctx: Context) {
    return ctx.loaders.school.load(report.schoolId);
  }

  @FieldResolver(() => [ReportProblem])
  problems(@Root() report: RolloutReport) {
    return report.problems;
  }

  @Mutation(() => RolloutReport, { description: 'Prepares (or refreshes) the school’s draft report on a date, starting from its previous report (the school’s administration).' })
  prepareRolloutReport(@Arg('schoolId', () => ID) schoolId: string, @Arg('reportingDateId', () => ID) reportingDateId: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.prepareReport(ctx, parsePlainId(schoolId, 'schoolId'), parsePlainId(reportingDateId, 'reportingDateId'));
  }

  @Mutation(() => RolloutReport, { description: 'Edits what the school enters in an open report, and its problems table.' })
  updateRolloutReport(@Arg('id', () => ID) id: string, @Arg('input') input: ReportEntriesInput, @Ctx() ctx: Context) {
    const { problems, ...entries } = input;
    const entered = Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as EnteredItems;
    return ctx.services.rollout.updateReport(ctx, parseApiId(id, 'id'), entered, (problems as ReportProblemData[] | null | undefined) ?? null);
  }

  @Mutation(() => RolloutReport, { description: 'Submits the report; its figures are frozen (the school’s administration).' })
  submitRolloutReport(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.submitReport(ctx, parseApiId(id, 'id'));
  }

  @Mutation(() => RolloutReport, { description: 'Accepts a submitted report (the directorate).' })
  acceptRolloutReport(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.reviewReport(ctx, parseApiId(id, 'id'), true, null);
  }

  @Mutation(() => RolloutReport, { description: 'Returns a submitted report with a comment, to be corrected and submitted again (the directorate).' })
  returnRolloutReport(@Arg('id', () => ID) id: string, @Arg('comment') comment: string, @Ctx() ctx: Context) {
    return ctx.services.rollout.reviewReport(ctx, parseApiId(id, 'id'), false, comment);
  }
}


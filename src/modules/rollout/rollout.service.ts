import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { todayIn } from '../../common/dates';
import { AppError, badInput, notFound } from '../../common/errors';
import { SchoolKey } from '../../db/batch';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import type { Viewer } from '../../policy/viewer';
import { recordAudit } from '../audit/audit.service';
import { groupBy } from '../journal/journal.service';
import { School } from '../schools/school.entity';
import {
  inYear, ORDER_ACTIVATION_TARGETS, ORDER_ACTIVITIES, ORDER_DEADLINES, ORDER_REPORTING_DATES, READINESS_ITEMS, readinessLevel, ReadinessLevel,
} from './order-defaults';
import { computeReport, EnteredItems, Fraction, percentOf, ReportTotals, sharesOfSchools } from './report-items';
import {
  ActivationTarget, ActivityStatus, Audience, LocalAct, LocalActKind, ReadinessAnswer, ReportingDate, ReportProblemData, ReportStatus,
  RolloutActivity, RolloutCampaign, RolloutEvent, RolloutEventKind, RolloutReport, SchoolActivity, SchoolRollout,
} from './rollout.entities';

export interface PlanActivity {
  activity: RolloutActivity;
  status: ActivityStatus;
  completedOn: string | null;
  evidence: string | null;
  overdue: boolean;
}

export interface SchoolPlan {
  schoolId: string;
  campaign: RolloutCampaign;
  rollout: Omit<SchoolRollout, 'updatedAt'>;
  activities: PlanActivity[];
  responsibleOverdue: boolean;
  planOverdue: boolean;
  overdueActivities: number;
}

export type SchoolPlanPatch = Partial<Omit<SchoolRollout, 'schoolId' | 'campaignId' | 'updatedAt'>>;

export interface ReportStatusRow {
  school: School;
  report: RolloutReport | null;
  /** The report's status, or MISSING (no submitted report and the date has passed), or LATE (submitted after the date). */
  status: string;
}

export interface SchoolRolloutFigures {
  school: School;
  parentActivation: number | null;
  target: ActivationTarget | null;
  onTrack: boolean | null;
  applications: number | null;
  parentLogins: number | null;
  teacherLogins: number | null;
  studentLogins: number | null;
  teachersWorking: number | null;
  overdueActivities: number;
  readinessLevel: ReadinessLevel;
  reportStatuses: { reportingDate: ReportingDate; status: string }[];
}

export interface MunicipalityRolloutFigures {
  parentActivation: number | null;
  target: ActivationTarget | null;
  onTrack: boolean | null;
  applications: number | null;
  parentLogins: number | null;
  studentLogins: number | null;
  teachersWorking: number | null;
  schoolsOnTrack: number;
  schoolsBehind: number;
  overdueActivities: number;
  reportStatuses: { reportingDate: ReportingDate; counts: { status: string; schools: number }[] }[];
}

export interface RolloutOverview {
  schools: SchoolRolloutFigures[];
  municipality: MunicipalityRolloutFigures;
}

export interface ActivationSeries {
  /** Null for the municipality as a whole. */
  school: School | null;
  points: { periodEnd: string; issued: number; activated: number; percent: number | null }[];
}

const REPORT_EDITABLE = [ReportStatus.DRAFT, ReportStatus.RETURNED];

const zero = (): Fraction => ({ part: 0, whole: 0 });
const add = (sum: Fraction, f: Fraction) => ((sum.part += f.part), (sum.whole += f.whole));
const countBy = (statuses: string[]) =>
  [...new Set(statuses)].sort().map((status) => ({ status, schools: statuses.filter((s) => s === status).length }));

/**
 * The rollout the order steers: campaigns (the directorate's plan template, reporting dates and
 * activation targets), each school's plan and readiness, the Appendix 3 reports and their
 * workflow, and the directorate's figures across schools.
 */
export class RolloutService {
  constructor(private readonly ds: DataSource) {}

  /** A campaign for a year, filled with the order's defaults (activities, deadlines, report dates, targets). */
  async createCampaign(ctx: Context, name: string, year: number): Promise<RolloutCampaign> {
    const viewer = policy.readMunicipalityFigures(ctx.viewer);
    if (!name.trim()) throw badInput('ROLLOUT_CAMPAIGN_NAME_EMPTY', { name: 'must not be empty' });
    if (!Number.isInteger(year) || year < 2000 || year > 2100) throw badInput('ROLLOUT_CAMPAIGN_YEAR_INVALID', { year: 'must be a year such as 2026' });
    const [municipality] = await this.ds.query('SELECT id FROM municipality ORDER BY created_at LIMIT 1');
    if (!municipality) throw new AppError('FAILED_PRECONDITION', 'ROLLOUT_NO_MUNICIPALITY', 'The hub has no municipality yet.');
    return this.ds.transaction((em) => createCampaignWithDefaults(em, municipality.id, name.trim(), year, viewer.accountId));
  }

  campaigns(ctx: Context): Promise<RolloutCampaign[]> {
    policy.signedIn(ctx.viewer);
    return this.ds.getRepository(RolloutCampaign).find({ order: { createdAt: 'DESC' } });
  }

  async campaign(campaignId: string): Promise<RolloutCampaign> {
    const campaign = await this.ds.getRepository(RolloutCampaign).findOneBy({ id: campaignId });
    if (!campaign) throw notFound('campaign', campaignId);
    return campaign;
  }

  activities(campaignId: string): Promise<RolloutActivity[]> {
    return this.ds.getRepository(RolloutActivity).find({ where: { campaignId }, order: { stage: 'ASC', position: 'ASC' } });
  }

  reportingDates(campaignId: string): Promise<ReportingDate[]> {
    return this.ds.getRepository(ReportingDate).find({ where: { campaignId }, order: { date: 'ASC' } });
  }

  activationTargets(campaignId: string): Promise<ActivationTarget[]> {
    return this.ds.getRepository(ActivationTarget).find({ where: { campaignId }, order: { byDate: 'ASC' } });
  }

  /** The directorate edits an activity of the template: its title or its deadline. */
  async updateActivity(ctx: Context, activityId: string, patch: { title?: string | null; deadline?: string | null }): Promise<RolloutActivity> {
    const viewer = policy.readMunicipalityFigures(ctx.viewer);
    const activity = await this.ds.getRepository(RolloutActivity).findOneBy({ id: activityId });
    if (!activity) throw notFound('activity', activityId);
    if (patch.title !== undefined && !patch.title?.trim()) throw badInput('ROLLOUT_ACTIVITY_TITLE_EMPTY', { title: 'must not be empty' });
    return this.ds.transaction(async (em) => {
      await em.update(RolloutActivity, { id: activityId }, {
        ...(patch.title ? { title: patch.title.trim() } : {}),
        ...(patch.deadline !== undefined ? { deadline: patch.deadline } : {}),
      });
      await recordAudit(em, [{ action: 'rollout.activity_changed', schoolId: null, actorAccountId: viewer.accountId, subjectType: 'rollout_activity', subjectId: activityId }]);
      return em.findOneByOrFail(RolloutActivity, { id: activityId });
    });
  }

  /** The directorate adds an activity at the end of a stage. */
  async addActivity(ctx: Context, campaignId: string, stage: string, title: string, deadline: string | null): Promise<RolloutActivity> {
    const viewer = policy.readMunicipalityFigures(ctx.viewer);
    await this.campaign(campaignId);
    if (!['1.1', '1.2', '2', '3'].includes(stage)) throw badInput('ROLLOUT_STAGE_UNKNOWN', { stage: 'is one of 1.1, 1.2, 2, 3' });
    if (!title.trim()) throw badInput('ROLLOUT_ACTIVITY_TITLE_EMPTY', { title: 'must not be empty' });
    return this.ds.transaction(async (em) => {
      const [{ last }] = await em.query('SELECT coalesce(max(position), 0) AS last FROM rollout_activity WHERE campaign_id = $1 AND stage = $2', [campaignId, stage]);
      const activity = em.create(RolloutActivity, { id: randomUUID(), campaignId, stage, position: last + 1, title: title.trim(), deadline });
      await em.insert(RolloutActivity, activity);
      await recordAudit(em, [{ action: 'rollout.activity_added', schoolId: null, actorAccountId: viewer.accountId, subjectType: 'rollout_activity', subjectId: activity.id }]);
      return activity;
    });
  }

  /** The directorate removes an activity no school has recorded anything for. */
  async removeActivity(ctx: Context, activityId: string): Promise<boolean> {
    const viewer = policy.readMunicipalityFigures(ctx.viewer);
    return this.ds.transaction(async (em) => {
      const [used] = await em.query('SELECT 1 FROM school_activity WHERE activity_id = $1 LIMIT 1', [activityId]);
      if (used) throw new AppError('CONFLICT', 'ROLLOUT_ACTIVITY_IN_USE', 'Schools have recorded this activity in their plans; change its title or deadline instead.');
      const [, removed] = await em.query('DELETE FROM rollout_activity WHERE id = $1', [activityId]);
      if (!removed) throw notFound('activity', activityId);
      await recordAudit(em, [{ action: 'rollout.activity_removed', schoolId: null, actorAccountId: viewer.accountId, subjectType: 'rollout_activity', subjectId: activityId }]);
      return true;
    });
  }

  /** The directorate sets a campaign's reporting dates; a date that already has reports cannot go. */
  async setReportingDates(ctx: Context, campaignId: string, dates: string[]): Promise<ReportingDate[]> {
    const viewer = policy.readMunicipalityFigures(ctx.viewer);
    await this.campaign(campaignId);
    const wanted = [...new Set(dates)].sort();
    if (wanted.length === 0) throw badInput('ROLLOUT_REPORTING_DATES_EMPTY', { dates: 'must hold at least one date' });
    return this.ds.transaction(async (em) => {
      const existing = await em.find(ReportingDate, { where: { campaignId } });
      const removed = existing.filter((d) => !wanted.includes(d.date));
      if (removed.length > 0) {
        const [used] = await em.query('SELECT 1 FROM rollout_report WHERE reporting_date_id = ANY($1) LIMIT 1', [removed.map((d) => d.id)]);
        if (used) throw new AppError('CONFLICT', 'ROLLOUT_REPORTING_DATE_IN_USE', 'A reporting date that schools have reported on cannot be removed.');
        await em.delete(ReportingDate, removed.map((d) => d.id));
      }
      const added = wanted.filter((date) => !existing.some((d) => d.date === date));
      if (added.length) await em.insert(ReportingDate, added.map((date) => ({ id: randomUUID(), campaignId, date })));
      await recordAudit(em, [{ action: 'rollout.reporting_dates_set', schoolId: null, actorAccountId: viewer.accountId, subjectType: 'rollout_campaign', subjectId: campaignId, details: { dates: wanted } }]);
      return em.find(ReportingDate, { where: { campaignId }, order: { date: 'ASC' } });
    });
  }

  /** The directorate sets the activation schedule: bands of percent by dates. */
  async setActivationTargets(ctx: Context, campaignId: string, targets: { byDate: string; minPercent: number; maxPercent: number }[]): Promise<ActivationTarget[]> {
    const viewer = policy.readMunicipalityFigures(ctx.viewer);
    await this.campaign(campaignId);
    targets.forEach((t, i) => {
      if (!(t.minPercent >= 0 && t.minPercent <= t.maxPercent && t.maxPercent <= 100)) {
        throw badInput('ROLLOUT_TARGET_INVALID', { [`targets.${i}`]: 'needs 0 ≤ minPercent ≤ maxPercent ≤ 100' });
      }
    });
    if (new Set(targets.map((t) => t.byDate)).size !== targets.length) throw badInput('ROLLOUT_TARGET_INVALID', { targets: 'has two targets for one date' });
    return this.ds.transaction(async (em) => {
      await em.delete(ActivationTarget, { campaignId });
      if (targets.length) await em.insert(ActivationTarget, targets.map((t) => ({ id: randomUUID(), campaignId, ...t })));
      await recordAudit(em, [{ action: 'rollout.targets_set', schoolId: null, actorAccountId: viewer.accountId, subjectType: 'rollout_campaign', subjectId: campaignId, details: { targets } }]);
      return em.find(ActivationTarget, { where: { campaignId }, order: { byDate: 'ASC' } });
    });
  }

  /** A school's plan: its requisites and each activity's status, with what is overdue against the school's today. */
  async schoolPlan(ctx: Context, schoolId: string, campaignId: string): Promise<SchoolPlan> {
    policy.readSchoolFigures(ctx.viewer, schoolId);
    const school = await ctx.loaders.school.load(schoolId);
    if (!school) throw notFound('school', schoolId);
    return this.planOf(school, await this.campaign(campaignId));
  }

  private async planOf(school: School, campaign: RolloutCampaign): Promise<SchoolPlan> {
    const [activities, statuses, rollout] = await Promise.all([
      this.activities(campaign.id),
      this.ds.getRepository(SchoolActivity).findBy({ schoolId: school.id }),
      this.ds.getRepository(SchoolRollout).findOneBy({ schoolId: school.id, campaignId: campaign.id }),
    ]);
    return planFrom(school, campaign, activities, statuses, rollout);
  }

  async updateSchoolPlan(ctx: Context, schoolId: string, campaignId: string, patch: SchoolPlanPatch): Promise<SchoolPlan> {
    const viewer = policy.administerSchool(ctx.viewer, schoolId);
    const campaign = await this.campaign(campaignId);
    await this.ds.transaction(async (em) => {
      await em.upsert(SchoolRollout, { ...emptyRollout(schoolId, campaignId), ...(await em.findOneBy(SchoolRollout, { schoolId, campaignId })), ...patch, updatedAt: new Date() }, ['schoolId', 'campaignId']);
      await this.audit(em, ctx, viewer, schoolId, 'rollout.plan_changed', 'school_rollout', campaignId, { fields: Object.keys(patch) });
    });
    return this.planOf((await ctx.loaders.school.load(schoolId))!, campaign);
  }

  async setActivityStatus(ctx: Context, schoolId: string, activityId: string, status: ActivityStatus, completedOn: string | null, evidence: string | null): Promise<SchoolPlan> {
    const viewer = policy.administerSchool(ctx.viewer, schoolId);
    const activity = await this.ds.getRepository(RolloutActivity).findOneBy({ id: activityId });
    if (!activity) throw notFound('activity', activityId);
    const school = (await ctx.loaders.school.load(schoolId))!;
    const done = status === ActivityStatus.DONE;
    if (done && !completedOn) completedOn = todayIn(school.timeZone);
    if (completedOn && completedOn > todayIn(school.timeZone)) throw badInput('ROLLOUT_DATE_IN_FUTURE', { completedOn: 'is in the future' });
    await this.ds.transaction(async (em) => {
      await em.upsert(SchoolActivity, { schoolId, activityId, status, completedOn: done ? completedOn : null, evidence: evidence?.trim() || null }, ['schoolId', 'activityId']);
      await this.audit(em, ctx, viewer, schoolId, 'rollout.activity_status_set', 'rollout_activity', activityId, { status });
    });
    return this.planOf(school, await this.campaign(activity.campaignId));
  }

  /** Appendix 2: the school's answers and the level they reach. */
  async readiness(ctx: Context, schoolId: string, campaignId: string) {
    policy.readSchoolFigures(ctx.viewer, schoolId);
    return this.readinessOf(schoolId, campaignId);
  }

  private async readinessOf(schoolId: string, campaignId: string) {
    return readinessFrom(await this.ds.getRepository(ReadinessAnswer).findBy({ schoolId, campaignId }));
  }

  async answerReadiness(ctx: Context, schoolId: string, campaignId: string, answers: { item: string; satisfied: boolean; note?: string | null }[]) {
    const viewer = policy.administerSchool(ctx.viewer, schoolId);
    await this.campaign(campaignId);
    answers.forEach((a, i) => {
      if (!READINESS_ITEMS.some((r) => r.code === a.item)) throw badInput('ROLLOUT_READINESS_ITEM_UNKNOWN', { [`answers.${i}.item`]: `"${a.item}" is not an item of the checklist` });
    });
    await this.ds.transaction(async (em) => {
      for (const a of answers) {
        await em.upsert(ReadinessAnswer, { schoolId, campaignId, item: a.item, satisfied: a.satisfied, note: a.note?.trim() || null }, ['schoolId', 'campaignId', 'item']);
      }
      await this.audit(em, ctx, viewer, schoolId, 'rollout.readiness_answered', 'rollout_campaign', campaignId, { items: answers.map((a) => a.item) });
    });
    return this.readinessOf(schoolId, campaignId);
  }

  async addLocalAct(ctx: Context, schoolId: string, campaignId: string, input: { kind: LocalActKind; title: string; approvalNumber?: string | null; approvalDate?: string | null }): Promise<LocalAct> {
    const viewer = policy.administerSchool(ctx.viewer, schoolId);
    await this.campaign(campaignId);
    if (!input.title.trim()) throw badInput('ROLLOUT_LOCAL_ACT_TITLE_EMPTY', { title: 'must not be empty' });
    return this.ds.transaction(async (em) => {
      const act = em.create(LocalAct, { schoolId, id: randomUUID(), campaignId, kind: input.kind, title: input.title.trim(), approvalNumber: input.approvalNumber?.trim() || null, approvalDate: input.approvalDate ?? null });
      await em.insert(LocalAct, act);
      await this.audit(em, ctx, viewer, schoolId, 'rollout.local_act_added', 'local_act', act.id, { kind: act.kind });
      return act;
    });
  }

  localActs(ctx: Context, schoolId: string, campaignId: string): Promise<LocalAct[]> {
    policy.readSchoolFigures(ctx.viewer, schoolId);
    return this.ds.getRepository(LocalAct).find({ where: { schoolId, campaignId }, order: { approvalDate: 'ASC' } });
  }

  async recordEvent(ctx: Context, schoolId: string, campaignId: string, input: { kind: RolloutEventKind; audience: Audience; form: string; heldOn: string; participants: number }): Promise<RolloutEvent> {
    const viewer = policy.administerSchool(ctx.viewer, schoolId);
    await this.campaign(campaignId);
    const school = (await ctx.loaders.school.load(schoolId))!;
    const fields: Record<string, string> = {};
    if (!input.form.trim()) fields.form = 'must not be empty';
    if (!Number.isInteger(input.participants) || input.participants < 0) fields.participants = 'must be a whole number, 0 or more';
    if (input.heldOn > todayIn(school.timeZone)) fields.heldOn = 'is in the future';
    if (Object.keys(fields).length) throw badInput('ROLLOUT_EVENT_INVALID', fields);
    return this.ds.transaction(async (em) => {
      const event = em.create(RolloutEvent, { schoolId, id: randomUUID(), campaignId, ...input, form: input.form.trim() });
      await em.insert(RolloutEvent, event);
      await this.audit(em, ctx, viewer, schoolId, 'rollout.event_recorded', 'rollout_event', event.id, { kind: input.kind, audience: input.audience });
      return event;
    });
  }

  events(ctx: Context, schoolId: string, campaignId: string): Promise<RolloutEvent[]> {
    policy.readSchoolFigures(ctx.viewer, schoolId);
    return this.ds.getRepository(RolloutEvent).find({ where: { schoolId, campaignId }, order: { heldOn: 'ASC' } });
  }

  /**
   * Prepares the school's report on a date: a new draft starts from the school's previous report
   * (what it entered and its problems, as the form's note demands), or an open draft is computed
   * again. Items the hub knows are computed from the data as of the school's today.
   */
  async prepareReport(ctx: Context, schoolId: string, reportingDateId: string): Promise<RolloutReport> {
    const viewer = policy.administerSchool(ctx.viewer, schoolId);
    const date = await this.ds.getRepository(ReportingDate).findOneBy({ id: reportingDateId });
    if (!date) throw notFound('reporting date', reportingDateId);
    const school = (await ctx.loaders.school.load(schoolId))!;
    return this.ds.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`report:${schoolId}:${reportingDateId}`]);
      const existing = await em.findOneBy(RolloutReport, { schoolId, reportingDateId });
      if (existing && !REPORT_EDITABLE.includes(existing.status)) throw reportFrozen(existing.status);
      const previous = existing ?? await em.createQueryBuilder(RolloutReport, 'r')
        .innerJoin(ReportingDate, 'd', 'd.id = r.reporting_date_id')
        .where('r.school_id = :schoolId AND r.campaign_id = :campaignId AND d.date < :date', { schoolId, campaignId: date.campaignId, date: date.date })
        .orderBy('d.date', 'DESC').getOne();
      const entered = previous?.entered ?? {};
      const { items } = await computeReport(em, schoolId, date.campaignId, todayIn(school.timeZone), entered);
      const report = em.create(RolloutReport, {
        schoolId, id: existing?.id ?? randomUUID(), campaignId: date.campaignId, reportingDateId,
        status: existing?.status ?? ReportStatus.DRAFT, items, entered, problems: previous?.problems ?? [], preparedAt: new Date(),
        submittedAt: existing?.submittedAt ?? null, reviewedAt: existing?.reviewedAt ?? null, reviewComment: existing?.reviewComment ?? null,
      });
      await em.save(RolloutReport, report);
      if (!existing) await this.reportEvent(em, ctx, viewer, report, null, ReportStatus.DRAFT, previous ? 'started from the previous report' : null);
      return em.findOneByOrFail(RolloutReport, { schoolId, id: report.id });
    });
  }

  /** The school edits an open report: what only it knows, and the problems table. */
  async updateReport(ctx: Context, key: SchoolKey, entered: EnteredItems | null, problems: ReportProblemData[] | null): Promise<RolloutReport> {
    const viewer = policy.administerSchool(ctx.viewer, key.schoolId);
    problems?.forEach((p, i) => {
      if (!p.problem.trim() || !p.solution.trim()) throw badInput('ROLLOUT_PROBLEM_INVALID', { [`problems.${i}`]: 'needs both the problem and its solution' });
    });
    const school = (await ctx.loaders.school.load(key.schoolId))!;
    return this.ds.transaction(async (em) => {
      const report = await this.lockedReport(em, key);
      if (!REPORT_EDITABLE.includes(report.status)) throw reportFrozen(report.status);
      const nextEntered = entered ? { ...report.entered, ...entered } : report.entered;
      const { items } = await computeReport(em, key.schoolId, report.campaignId, todayIn(school.timeZone), nextEntered);
      await em.update(RolloutReport, { schoolId: key.schoolId, id: key.id }, { entered: nextEntered, items, problems: problems ?? report.problems, preparedAt: new Date() });
      await this.audit(em, ctx, viewer, key.schoolId, 'rollout.report_edited', 'rollout_report', key.id, {});
      return em.findOneByOrFail(RolloutReport, { schoolId: key.schoolId, id: key.id });
    });
  }

  /** Submits the report: its items are computed one last time and frozen. */
  async submitReport(ctx: Context, key: SchoolKey): Promise<RolloutReport> {
    const viewer = policy.administerSchool(ctx.viewer, key.schoolId);
    const school = (await ctx.loaders.school.load(key.schoolId))!;
    return this.ds.transaction(async (em) => {
      const report = await this.lockedReport(em, key);
      if (!REPORT_EDITABLE.includes(report.status)) throw reportFrozen(report.status);
      const { items } = await computeReport(em, key.schoolId, report.campaignId, todayIn(school.timeZone), report.entered);
      await em.update(RolloutReport, { schoolId: key.schoolId, id: key.id }, { status: ReportStatus.SUBMITTED, items, submittedAt: new Date(), preparedAt: new Date() });
      await this.reportEvent(em, ctx, viewer, report, report.status, ReportStatus.SUBMITTED, null);
      return em.findOneByOrFail(RolloutReport, { schoolId: key.schoolId, id: key.id });
    });
  }

  /** The directorate accepts a submitted report, or returns it with a comment. */
  async reviewReport(ctx: Context, key: SchoolKey, accept: boolean, comment: string | null): Promise<RolloutReport> {
    const viewer = policy.readMunicipalityFigures(ctx.viewer);
    if (!accept && !comment?.trim()) throw badInput('ROLLOUT_RETURN_COMMENT_MISSING', { comment: 'says what to correct; it is required to return a report' });
    return this.ds.transaction(async (em) => {
      const report = await this.lockedReport(em, key);
      if (report.status !== ReportStatus.SUBMITTED) {
        throw new AppError('CONFLICT', 'ROLLOUT_REPORT_NOT_SUBMITTED', `The report is ${report.status}; only a submitted report can be reviewed.`);
      }
      const status = accept ? ReportStatus.ACCEPTED : ReportStatus.RETURNED;
      await em.update(RolloutReport, { schoolId: key.schoolId, id: key.id }, { status, reviewedAt: new Date(), reviewComment: comment?.trim() || null });
      await this.reportEvent(em, ctx, viewer, report, report.status, status, comment?.trim() || null);
      return em.findOneByOrFail(RolloutReport, { schoolId: key.schoolId, id: key.id });
    });
  }

  async report(ctx: Context, key: SchoolKey): Promise<RolloutReport | null> {
    policy.readSchoolFigures(ctx.viewer, key.schoolId);
    return this.ds.getRepository(RolloutReport).findOneBy({ schoolId: key.schoolId, id: key.id });
  }

  reports(ctx: Context, schoolId: string): Promise<RolloutReport[]> {
    policy.readSchoolFigures(ctx.viewer, schoolId);
    return this.ds.getRepository(RolloutReport).find({ where: { schoolId }, order: { preparedAt: 'ASC' } });
  }

  /** For the directorate: every school's report on a date, with missing and late ones shown as such. */
  async reportStatuses(ctx: Context, reportingDateId: string): Promise<ReportStatusRow[]> {
    policy.readMunicipalityFigures(ctx.viewer);
    const date = await this.ds.getRepository(ReportingDate).findOneBy({ id: reportingDateId });
    if (!date) throw notFound('reporting date', reportingDateId);
    const [schools, reports] = await Promise.all([
      this.ds.getRepository(School).find({ order: { shortName: 'ASC' } }),
      this.ds.getRepository(RolloutReport).findBy({ reportingDateId }),
    ]);
    const bySchool = new Map(reports.map((r) => [r.schoolId, r]));
    return schools.map((school) => {
      const report = bySchool.get(school.id) ?? null;
      return { school, report, status: deadlineStatus(report, date.date, school) };
    });
  }

  /**
   * The directorate's rollout figures on each school's today: per school, parent activation against
   * the target band in force, applications, logins, teachers working, overdue activities, readiness
   * and report status per reporting date; and for the municipality, the same shares summed exactly
   * over all schools (from the counts behind them), with how many schools are on track.
   */
  async figures(ctx: Context, campaignId: string): Promise<RolloutOverview> {
    policy.readMunicipalityFigures(ctx.viewer);
    const [campaign, schools] = await Promise.all([this.campaign(campaignId), this.ds.getRepository(School).find({ order: { shortName: 'ASC' } })]);
    const todayOf = new Map(schools.map((school) => [school.id, todayIn(school.timeZone)]));
    // Every school at once, whatever their number (DESIGN rule 5): a city's figures in a few statements,
    // the counts behind the shares (the slow part) beside the campaign's other rows.
    const [shares, targets, dates, reports, activities, statuses, rollouts, answers] = await Promise.all([
      sharesOfSchools(this.ds.manager, todayOf),
      this.activationTargets(campaignId),
      this.reportingDates(campaignId),
      // Only what a report's standing needs: not the items and entries it carries.
      this.ds.getRepository(RolloutReport).find({ select: { schoolId: true, reportingDateId: true, status: true, submittedAt: true }, where: { campaignId } }),
      this.activities(campaignId),
      this.ds.getRepository(SchoolActivity).createQueryBuilder('s')
        .innerJoin(RolloutActivity, 'a', 'a.id = s.activityId')
        .where('a.campaignId = :campaignId', { campaignId })
        .getMany(),
      this.ds.getRepository(SchoolRollout).findBy({ campaignId }),
      this.ds.getRepository(ReadinessAnswer).findBy({ campaignId }),
    ]);
    const statusesOf = groupBy(statuses, (s) => s.schoolId);
    const answersOf = groupBy(answers, (a) => a.schoolId);
    const rolloutOf = new Map(rollouts.map((r) => [r.schoolId, r]));
    const reportOf = new Map(reports.map((r) => [`${r.schoolId}/${r.reportingDateId}`, r]));
    const targetOn = (day: string) => [...targets].reverse().find((t) => t.byDate <= day) ?? null;
    const onTrack = (target: ActivationTarget | null, activation: number | null) =>
      target === null || activation === null ? null : activation >= target.minPercent;
    const rows: SchoolRolloutFigures[] = [];
    const sums: ReportTotals = { applications: zero(), parentLogins: zero(), studentLogins: zero(), parentActivation: zero(), teachersWorking: zero() };
    for (const school of schools) {
      const today = todayOf.get(school.id)!;
      const { totals, teacherLogins } = shares.get(school.id)!;
      for (const k of Object.keys(sums) as (keyof ReportTotals)[]) add(sums[k], totals[k]);
      const target = targetOn(today);
      const parentActivation = percentOf(totals.parentActivation);
      const plan = planFrom(school, campaign, activities, statusesOf.get(school.id) ?? [], rolloutOf.get(school.id) ?? null);
      rows.push({
        school,
        parentActivation,
        target,
        onTrack: onTrack(target, parentActivation),
        applications: percentOf(totals.applications),
        parentLogins: percentOf(totals.parentLogins),
        teacherLogins,
        studentLogins: percentOf(totals.studentLogins),
        teachersWorking: percentOf(totals.teachersWorking),
        overdueActivities: plan.overdueActivities,
        readinessLevel: readinessFrom(answersOf.get(school.id) ?? []).level,
        reportStatuses: dates.map((d) => ({
          reportingDate: d,
          status: deadlineStatus(reportOf.get(`${school.id}/${d.id}`) ?? null, d.date, school),
        })),
      });
    }
    const today = schools.length ? todayIn(schools[0].timeZone) : new Date().toISOString().slice(0, 10);
    const target = targetOn(today);
    const activation = percentOf(sums.parentActivation);
    return {
      schools: rows,
      municipality: {
        parentActivation: activation,
        target,
        onTrack: onTrack(target, activation),
        applications: percentOf(sums.applications),
        parentLogins: percentOf(sums.parentLogins),
        studentLogins: percentOf(sums.studentLogins),
        teachersWorking: percentOf(sums.teachersWorking),
        schoolsOnTrack: rows.filter((r) => r.onTrack === true).length,
        schoolsBehind: rows.filter((r) => r.onTrack === false).length,
        overdueActivities: rows.reduce((n, r) => n + r.overdueActivities, 0),
        reportStatuses: dates.map((d) => {
          const statuses = rows.map((r) => r.reportStatuses.find((s) => s.reportingDate.id === d.id)!.status);
          return { reportingDate: d, counts: countBy(statuses) };
        }),
      },
    };
  }

  /**
   * Parent activation over time, per school and for the municipality: at the end of each week or
   * month, the parent accounts issued by then and how many of them had been activated.
   */
  async activationTrend(ctx: Context, from: string, to: string, interval: 'week' | 'month'): Promise<ActivationSeries[]> {
    policy.readMunicipalityFigures(ctx.viewer);
    if (from > to) throw badInput('ROLLOUT_TREND_RANGE_INVALID', { to: 'must not be before "from"' });
    if (Date.parse(to) - Date.parse(from) > 3 * 366 * 86_400_000) throw badInput('ROLLOUT_TREND_RANGE_INVALID', { to: 'must be within three years of "from"' });
    const rows: { school_id: string | null; period_end: string; issued: number; activated: number }[] = await this.ds.query(
      `WITH periods AS (
         SELECT (p + ('1 ' || $3)::interval - interval '1 day')::date AS period_end
           FROM generate_series(date_trunc($3, $1::date), date_trunc($3, $2::date), ('1 ' || $3)::interval) AS p),
       parents AS (
         SELECT r.school_id, (a.created_at AT TIME ZONE s.time_zone)::date AS issued_on, (a.activated_at AT TIME ZONE s.time_zone)::date AS activated_on
           FROM account_role r JOIN account a ON a.id = r.account_id JOIN school s ON s.id = r.school_id WHERE r.role = 'parent')
       SELECT p.school_id, d.period_end,
              count(*) FILTER (WHERE p.issued_on <= d.period_end)::int AS issued,
              count(*) FILTER (WHERE p.activated_on <= d.period_end)::int AS activated
         FROM periods d CROSS JOIN parents p
        GROUP BY GROUPING SETS ((p.school_id, d.period_end), (d.period_end))
        ORDER BY p.school_id NULLS FIRST, d.period_end`,
      [from, to, interval],
    );
    const schools = new Map((await this.ds.getRepository(School).find()).map((s) => [s.id, s]));
    const series = new Map<string, ActivationSeries>();
    for (const r of rows) {
      const key = r.school_id ?? 'municipality';
      if (!series.has(key)) series.set(key, { school: r.school_id ? schools.get(r.school_id)! : null, points: [] });
      series.get(key)!.points.push({ periodEnd: r.period_end, issued: r.issued, activated: r.activated, percent: percentOf({ part: r.activated, whole: r.issued }) });
    }
    return [...series.values()];
  }

  private async lockedReport(em: EntityManager, key: SchoolKey): Promise<RolloutReport> {
    const report = await em.findOne(RolloutReport, { where: { schoolId: key.schoolId, id: key.id }, lock: { mode: 'pessimistic_write' } });
    if (!report) throw notFound('report', key.id);
    return report;
  }

  private async reportEvent(em: EntityManager, ctx: Context, viewer: Viewer, report: RolloutReport, from: ReportStatus | null, to: ReportStatus, comment: string | null) {
    await em.query(
      'INSERT INTO rollout_report_event (school_id, report_id, actor_account_id, from_status, to_status, comment) VALUES ($1, $2, $3, $4, $5, $6)',
      [report.schoolId, report.id, viewer.accountId, from, to, comment],
    );
    await this.audit(em, ctx, viewer, report.schoolId, `rollout.report_${to}`, 'rollout_report', report.id, { from });
  }

  private audit(em: EntityManager, ctx: Context, viewer: Viewer, schoolId: string, action: string, subjectType: string, subjectId: string, details: Record<string, unknown>) {
    return recordAudit(em, [{ action, schoolId, actorAccountId: viewer.accountId, subjectType, subjectId, clientAddress: ctx.clientAddress, details }]);
  }
}

/** A school's plan from its rows: each activity's status, and what is overdue against the school's today. */
function planFrom(school: School, campaign: RolloutCampaign, activities: RolloutActivity[], statuses: SchoolActivity[], rollout: SchoolRollout | null): SchoolPlan {
  const today = todayIn(school.timeZone);
  const byActivity = new Map(statuses.map((s) => [s.activityId, s]));
  const plan = activities.map((activity) => {
    const own = byActivity.get(activity.id);
    const status = own?.status ?? ActivityStatus.PLANNED;
    const open = status !== ActivityStatus.DONE && status !== ActivityStatus.NOT_NEEDED;
    return { activity, status, completedOn: own?.completedOn ?? null, evidence: own?.evidence ?? null, overdue: open && activity.deadline !== null && activity.deadline < today };
  });
  const r = rollout ?? emptyRollout(school.id, campaign.id);
  const late = (done: string | null, deadline: string) => (done === null ? today > deadline : done > deadline);
  return {
    schoolId: school.id,
    campaign,
    rollout: r,
    activities: plan,
    responsibleOverdue: late(r.responsibleName ? r.responsibleOrderDate ?? today : null, campaign.responsibleDeadline),
    planOverdue: late(r.planSubmittedOn, campaign.planDeadline),
    overdueActivities: plan.filter((a) => a.overdue).length,
  };
}

/** Appendix 2 from a school's answers: each item and the level they reach. */
function readinessFrom(answers: ReadinessAnswer[]) {
  const byItem = new Map(answers.map((a) => [a.item, a]));
  return {
    items: READINESS_ITEMS.map((i) => ({ ...i, satisfied: byItem.get(i.code)?.satisfied ?? null, note: byItem.get(i.code)?.note ?? null })),
    level: readinessLevel(new Set(answers.filter((a) => a.satisfied).map((a) => a.item))),
  };
}

/** A report's standing against its date, in the school's days: its own status, or MISSING once the date has passed, or LATE when submitted after it. */
function deadlineStatus(report: Pick<RolloutReport, 'status' | 'submittedAt'> | null, date: string, school: School): string {
  const today = todayIn(school.timeZone);
  const submitted = report?.submittedAt ? todayIn(school.timeZone, report.submittedAt) : null;
  if (!report || report.status === ReportStatus.DRAFT) return today > date ? 'missing' : report ? 'draft' : 'not_started';
  if (report.status === ReportStatus.SUBMITTED && submitted && submitted > date) return 'late';
  return report.status;
}

const reportFrozen = (status: ReportStatus) =>
  new AppError('CONFLICT', 'ROLLOUT_REPORT_FROZEN', `The report is ${status}: it changes only when the directorate returns it.`);

const emptyRollout = (schoolId: string, campaignId: string): Omit<SchoolRollout, 'updatedAt'> => ({
  schoolId, campaignId, responsibleName: null, responsiblePosition: null, responsibleOrderNumber: null, responsibleOrderDate: null,
  orderCopyReceivedOn: null, planApprovalNumber: null, planApprovalDate: null, planSubmittedOn: null, websiteLink: null,
});

/** A campaign with the order's activities, deadlines, reporting dates and activation targets placed in `year`. */
export async function createCampaignWithDefaults(em: EntityManager, municipalityId: string, name: string, year: number, actorAccountId: string | null): Promise<RolloutCampaign> {
  const campaign = em.create(RolloutCampaign, {
    id: randomUUID(), municipalityId, name, createdAt: new Date(),
    responsibleDeadline: inYear(ORDER_DEADLINES.responsible, year), planDeadline: inYear(ORDER_DEADLINES.plan, year),
  });
  await em.insert(RolloutCampaign, campaign);
  await em.insert(RolloutActivity, ORDER_ACTIVITIES.flatMap((stage) => stage.titles.map((title, i) => ({
    id: randomUUID(), campaignId: campaign.id, stage: stage.stage, position: i + 1, title, deadline: stage.deadline ? inYear(stage.deadline, year) : null,
  }))));
  await em.insert(ReportingDate, ORDER_REPORTING_DATES.map((d) => ({ id: randomUUID(), campaignId: campaign.id, date: inYear(d, year) })));
  await em.insert(ActivationTarget, ORDER_ACTIVATION_TARGETS.map((t) => ({ id: randomUUID(), campaignId: campaign.id, byDate: inYear(t.by, year), minPercent: t.min, maxPercent: t.max })));
  await recordAudit(em, [{ action: 'rollout.campaign_created', schoolId: null, actorAccountId, subjectType: 'rollout_campaign', subjectId: campaign.id, details: { year } }]);
  return em.findOneByOrFail(RolloutCampaign, { id: campaign.id });
}

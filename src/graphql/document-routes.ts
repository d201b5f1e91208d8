import { Request, Response, Router } from 'express';
import { AppError } from '../common/errors';
import { parseApiId, parsePlainId } from '../common/ids';
import { ParentApplication } from '../modules/applications/application.entity';
import { DEFAULT_CONSENT } from '../modules/applications/applications.service';
import { ApplicationFormData, applicationFormDocx, applicationFormPdf } from '../modules/applications/documents';
import { consolidatedReportXlsx, rolloutReportDocx, RolloutReportData } from '../modules/rollout/documents';
import { RolloutReport } from '../modules/rollout/rollout.entities';
import { systemName } from '../modules/schools/system-name';
import type { Context } from './context';

const TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
} as const;
type Format = keyof typeof TYPES;

interface Document {
  name: string;
  format: Format;
  body: Buffer;
}

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

/**
 * Printable documents over plain HTTP (a browser can open and print them), with the same bearer
 * token and policy as the GraphQL API:
 *   GET /documents/schools/:schoolId/application-form.(docx|pdf)  the blank Appendix 4 form, filled with the
 *        school, its director and its system's name — public, for parents to print;
 *   GET /documents/applications/:id.(docx|pdf)  a submitted application, filled with its data — for the
 *        school's administration and the parent who submitted it;
 *   GET /documents/rollout-reports/:id.docx  a school's Appendix 3 report — its administration, the directorate;
 *   GET /documents/reporting-dates/:id/consolidated.xlsx  every school's report on a date — the directorate;
 *   GET /documents/schools/:schoolId/sync-quarantine.csv[?runId=]  the records a sync could not take in, with
 *        reasons — the school's IT staff and administration.
 */
export function documentRoutes(contextFor: (req: Request) => Promise<Context>): Router {
  const router = Router();

  router.get('/documents/schools/:schoolId/application-form.:format', handle(contextFor, async (ctx, req) => {
    const format = formatOf(req, ['docx', 'pdf']);
    const school = await ctx.loaders.school.load(parsePlainId(req.params.schoolId as string, 'schoolId'));
    if (!school) throw new AppError('NOT_FOUND', 'SCHOOL_NOT_FOUND', 'No such school.');
    const data = { school: { ...school, directorName: await ctx.services.schools.directorName(school.id) }, systemName: systemName(school.systemOfRecord), consent: DEFAULT_CONSENT };
    return { name: `zayavlenie-${school.id}`, format, body: await applicationForm(data, format) };
  }));

  router.get('/documents/applications/:id.:format', handle(contextFor, async (ctx, req) => {
    const format = formatOf(req, ['docx', 'pdf']);
    const application = await ctx.services.applications.application(ctx, parseApiId(req.params.id as string, 'id'));
    if (!application) throw new AppError('NOT_FOUND', 'APPLICATION_NOT_FOUND', 'No such application.');
    const school = (await ctx.loaders.school.load(application.schoolId))!;
    const data = formData(application, school, await ctx.services.schools.directorName(school.id));
    return { name: `zayavlenie-${application.registrationNumber ?? application.id}`, format, body: await applicationForm(data, format) };
  }));

  router.get('/documents/rollout-reports/:id.:format', handle(contextFor, async (ctx, req) => {
    const format = formatOf(req, ['docx']);
    const report = await ctx.services.rollout.report(ctx, parseApiId(req.params.id as string, 'id'));
    if (!report) throw new AppError('NOT_FOUND', 'ROLLOUT_REPORT_NOT_FOUND', 'No such report.');
    const data = await reportData(ctx, report);
    return { name: `otchet-${data.reportingDate}`, format, body: await rolloutReportDocx(data) };
  }));

  router.get('/documents/reporting-dates/:id/consolidated.:format', handle(contextFor, async (ctx, req) => {
    const format = formatOf(req, ['xlsx']);
    const rows = await ctx.services.rollout.reportStatuses(ctx, parsePlainId(req.params.id as string, 'id'));
    const date = (await ctx.loaders.reportingDate.load(parsePlainId(req.params.id as string, 'id')))!;
    const body = await consolidatedReportXlsx(date.date, await Promise.all(rows.map(async (row) => ({
      school: row.school,
      status: row.status === 'not_started' ? 'missing' as const : row.status as RolloutReportData['status'] | 'missing' | 'late',
      report: row.report ? await reportData(ctx, row.report) : null,
    }))));
    return { name: `svodnyi-otchet-${date.date}`, format, body };
  }));

  router.get('/documents/schools/:schoolId/sync-quarantine.:format', handle(contextFor, async (ctx, req) => {
    const format = formatOf(req, ['csv']);
    const schoolId = parsePlainId(req.params.schoolId as string, 'schoolId');
    const runId = typeof req.query.runId === 'string' ? parsePlainId(req.query.runId, 'runId') : null;
    return { name: `sync-quarantine-${schoolId}`, format, body: await ctx.services.sync.quarantineCsv(ctx, schoolId, runId) };
  }));

  return router;
}

const formatOf = <F extends Format>(req: Request, allowed: F[]): F => {
  const format = req.params.format as F;
  if (!allowed.includes(format)) throw new AppError('BAD_USER_INPUT', 'DOCUMENT_FORMAT_UNKNOWN', `Ask for ${allowed.map((f) => `.${f}`).join(' or ')}.`);
  return format;
};

const applicationForm = (data: ApplicationFormData, format: 'docx' | 'pdf') => (format === 'docx' ? applicationFormDocx(data) : applicationFormPdf(data));

async function reportData(ctx: Context, report: RolloutReport): Promise<RolloutReportData> {
  const [school, date] = await Promise.all([ctx.loaders.school.load(report.schoolId), ctx.loaders.reportingDate.load(report.reportingDateId)]);
  return { school: school!, reportingDate: date!.date, status: report.status, items: report.items, problems: report.problems };
}

function handle(contextFor: (req: Request) => Promise<Context>, build: (ctx: Context, req: Request) => Promise<Document>) {
  return async (req: Request, res: Response) => {
    try {
      const ctx = await contextFor(req);
      const { name, format, body } = await build(ctx, req);
      res.type(TYPES[format]).setHeader('content-disposition', `inline; filename="${name}.${format}"`).send(body);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      res.status(STATUS[error.code] ?? 400).json({ error: { code: error.code, reason: error.reason, message: error.message } });
    }
  };
}

function formData(a: ParentApplication, school: { fullName: string; shortName: string }, directorName: string | null): ApplicationFormData {
  return {
    school: { fullName: school.fullName, shortName: school.shortName, directorName },
    systemName: a.systemName,
    consent: { applicantData: a.consentApplicantData, childData: a.consentChildData },
    applicant: {
      lastName: a.applicantLastName, firstName: a.applicantFirstName, middleName: a.applicantMiddleName,
      address: { city: a.addressCity, street: a.addressStreet, house: a.addressHouse, apartment: a.addressApartment },
      phone: a.applicantPhone,
    },
    child: { lastName: a.childLastName, firstName: a.childFirstName, middleName: a.childMiddleName, classLabel: a.childClassLabel },
    relation: a.relation,
    delivery: { channel: a.deliveryChannel, phone: a.deliveryPhone, email: a.deliveryEmail },
    signedOn: a.signedOn,
    signature: a.signature,
    registration: a.registrationNumber ? { number: String(a.registrationNumber), date: a.registeredOn! } : undefined,
  };
}

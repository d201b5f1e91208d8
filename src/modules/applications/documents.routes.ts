import { Request, Response, Router } from 'express';
import { AppError } from '../../common/errors';
import { parseApiId, parsePlainId } from '../../common/ids';
import type { Context } from '../../graphql/context';
import { ParentApplication } from './application.entity';
import { DEFAULT_CONSENT } from './applications.service';
import { ApplicationFormData, applicationFormDocx, applicationFormPdf } from './documents';
import { systemName } from '../schools/system-name';

const TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
} as const;
type Format = keyof typeof TYPES;

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404 };

/**
 * Printable documents over plain HTTP (a browser can open and print them):
 *   GET /documents/schools/:schoolId/application-form.(docx|pdf)  the blank Appendix 4 form, filled with the
 *        school, its director and its system's name — public, for parents to print;
 *   GET /documents/applications/:id.(docx|pdf)  a submitted application, filled with its data — for the
 *        school's administration and the parent who submitted it (Authorization: Bearer <token>).
 */
export function documentRoutes(contextFor: (req: Request) => Promise<Context>): Router {
  const router = Router();

  router.get('/documents/schools/:schoolId/application-form.:format', handle(contextFor, async (ctx, req) => {
    const school = await ctx.loaders.school.load(parsePlainId(req.params.schoolId as string, 'schoolId'));
    if (!school) throw new AppError('NOT_FOUND', 'SCHOOL_NOT_FOUND', 'No such school.');
    return {
      name: `zayavlenie-${school.id}`,
      data: { school: { ...school, directorName: await ctx.services.schools.directorName(school.id) }, systemName: systemName(school.systemOfRecord), consent: DEFAULT_CONSENT },
    };
  }));

  router.get('/documents/applications/:id.:format', handle(contextFor, async (ctx, req) => {
    const application = await ctx.services.applications.application(ctx, parseApiId(req.params.id as string, 'id'));
    if (!application) throw new AppError('NOT_FOUND', 'APPLICATION_NOT_FOUND', 'No such application.');
    const school = (await ctx.loaders.school.load(application.schoolId))!;
    return { name: `zayavlenie-${application.registrationNumber ?? application.id}`, data: formData(application, school, await ctx.services.schools.directorName(school.id)) };
  }));

  return router;
}

function handle(contextFor: (req: Request) => Promise<Context>, build: (ctx: Context, req: Request) => Promise<{ name: string; data: ApplicationFormData }>) {
  return async (req: Request, res: Response) => {
    const format = req.params.format as Format;
    try {
      if (!(format in TYPES)) throw new AppError('BAD_USER_INPUT', 'DOCUMENT_FORMAT_UNKNOWN', 'Ask for .docx or .pdf.');
      const ctx = await contextFor(req);
      const { name, data } = await build(ctx, req);
      const body = format === 'docx' ? await applicationFormDocx(data) : await applicationFormPdf(data);
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

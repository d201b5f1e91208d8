import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { isEmail, normalizePhone } from '../../common/contacts';
import { todayIn } from '../../common/dates';
import { badInput, notFound } from '../../common/errors';
import { SchoolKey } from '../../db/batch';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { Role } from '../../policy/viewer';
import { AccessGrantKind } from '../accounts/account.entity';
import { AccountsService } from '../accounts/accounts.service';
import { recordAudit } from '../audit/audit.service';
import { GuardianRelation, Student } from '../people/person.entity';
import { School } from '../schools/school.entity';
import { systemName } from '../schools/system-name';
import {
  ApplicationStatus, ChildRelation, DeliveryChannel, OutboxChannel, OutboxMessage, OutboxStatus, ParentApplication, SignatureKind,
  SubmissionSource,
} from './application.entity';
import { ApplicationErrors } from './applications.errors';
import { SubmitApplicationInput } from './applications.inputs';
import { credentialSlipPdf } from './documents/credential-slip';
import { genderFromPatronymic, PersonName } from './documents/person-names';

/** What the consent covers when the form does not list it (the order's note asks the school to list it). */
export const DEFAULT_CONSENT = {
  applicantData: ['фамилия, имя, отчество', 'адрес проживания', 'номер телефона', 'адрес электронной почты'],
  childData: ['фамилия, имя, отчество', 'класс', 'отметки', 'посещаемость', 'домашние задания'],
};

/** Submissions from one client address per hour, before further ones must wait: the form is public. */
const SUBMISSIONS_PER_HOUR = 10;

export interface Candidate {
  student: Student;
  /** The student's class today. */
  className: string;
  classMatches: boolean;
}

export interface IssuedApplicationCredentials {
  application: ParentApplication;
  login: string;
  /** For delivery in person only; by phone or e-mail it travels in an outbox message. Null for an account the parent already had. */
  oneTimePassword: string | null;
  /** The printable credential slip (PDF, base64) for delivery in person. */
  credentialSlipPdf: string | null;
  message: OutboxMessage | null;
}

/** Normalized for comparing names typed by a parent with names in the school's records. */
const nameKey = (...parts: (string | null | undefined)[]) =>
  parts.filter(Boolean).join(' ').toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
const classKey = (label: string) => label.toUpperCase().replace(/\s|-|"|«|»/g, '').replace(/Ё/g, 'Е');

/** The parent's own account behind an application: the one that submitted it from a client app (staff entering paper are not the parent). */
const applicantAccount = (a: ParentApplication) => (a.submittedVia === SubmissionSource.CLIENT_APP ? a.submittedByAccountId : null);

/**
 * Whether the account is the parent's: the one credentials were issued to, or — until then — the one
 * that submitted it. (A submitter is not trusted to be the parent once credentials went elsewhere.)
 */
const ownedBy = (a: ParentApplication, accountId: string | undefined) =>
  accountId !== undefined && (a.accountId !== null ? a.accountId === accountId : applicantAccount(a) === accountId);

/** The guardian's relation from the form's: a ward's guardian is a legal guardian; a parent's from the patronymic. */
function guardianRelation(relation: ChildRelation, applicant: PersonName): GuardianRelation {
  if (relation === ChildRelation.WARD) return GuardianRelation.LEGAL_GUARDIAN;
  const gender = genderFromPatronymic(applicant);
  return gender === 'feminine' ? GuardianRelation.MOTHER : gender === 'masculine' ? GuardianRelation.FATHER : GuardianRelation.LEGAL_GUARDIAN;
}

/**
 * The Appendix 4 workflow: a parent (or staff, from paper) submits; staff register it with a
 * number in sequence, match it to a student, and issue credentials that open an access grant; the
 * parent's withdrawal ends access at once. Every change of status is kept in the application's
 * history and in the audit trail.
 */
export class ApplicationsService {
  constructor(
    private readonly ds: DataSource,
    private readonly accounts: AccountsService,
  ) {}

  async submit(ctx: Context, input: SubmitApplicationInput): Promise<ParentApplication> {
    const schoolId = input.schoolId;
    const paper = input.source === SubmissionSource.PAPER;
    const viewer = paper ? policy.administerSchool(ctx.viewer, schoolId) : ctx.viewer;
    if (!input.consent) throw ApplicationErrors.consentMissing();
    const fields: Record<string, string> = {};
    const phone = input.phone ? normalizePhone(input.phone) : null;
    if (input.phone && !phone) fields.phone = 'is not a Russian phone number, e.g. +7 912 345-67-89';
    const deliveryPhone = input.deliveryPhone ? normalizePhone(input.deliveryPhone) : null;
    if (input.deliveryPhone && !deliveryPhone) fields.deliveryPhone = 'is not a Russian phone number, e.g. +7 912 345-67-89';
    if (input.delivery === DeliveryChannel.PHONE && !input.deliveryPhone) fields.deliveryPhone = 'is needed to send the login and password by phone';
    if (input.email && !isEmail(input.email)) fields.email = 'is not an e-mail address';
    if (input.deliveryEmail && !isEmail(input.deliveryEmail)) fields.deliveryEmail = 'is not an e-mail address';
    if (input.delivery === DeliveryChannel.EMAIL && !input.deliveryEmail) fields.deliveryEmail = 'is needed to send the login and password by e-mail';
    if (Object.keys(fields).length > 0) throw badInput('APPLICATION_INPUT_INVALID', fields);

    const school = await ctx.loaders.school.load(schoolId);
    if (!school) throw notFound('school', schoolId);
    const today = todayIn(school.timeZone);
    if (input.signedOn && input.signedOn > today) throw badInput('APPLICATION_INPUT_INVALID', { signedOn: 'is in the future' });
    if (!paper) await this.assertSubmissionRate(ctx.clientAddress);
    const [year] = await this.ds.query(
      `SELECT id FROM academic_year WHERE school_id = $1 AND starts_on <= $2 AND ends_on >= $2 AND deleted_in_source_at IS NULL`, [schoolId, today]);
    if (!year) throw ApplicationErrors.noAcademicYear();

    const application = this.ds.getRepository(ParentApplication).create({
      schoolId,
      id: randomUUID(),
      status: ApplicationStatus.SUBMITTED,
      applicantLastName: input.applicant.lastName.trim(),
      applicantFirstName: input.applicant.firstName.trim(),
      applicantMiddleName: input.applicant.middleName?.trim() || null,
      addressCity: input.address.city.trim(),
      addressStreet: input.address.street.trim(),
      addressHouse: input.address.house.trim(),
      addressApartment: input.address.apartment?.trim() || null,
      applicantPhone: phone,
      applicantEmail: input.email?.trim() || null,
      childLastName: input.child.lastName.trim(),
      childFirstName: input.child.firstName.trim(),
      childMiddleName: input.child.middleName?.trim() || null,
      childClassLabel: input.childClass.trim(),
      relation: input.relation,
      systemName: systemName(school.systemOfRecord),
      consentGivenAt: new Date(),
      consentApplicantData: input.consentApplicantData?.length ? input.consentApplicantData : DEFAULT_CONSENT.applicantData,
      consentChildData: input.consentChildData?.length ? input.consentChildData : DEFAULT_CONSENT.childData,
      deliveryChannel: input.delivery,
      deliveryPhone: input.delivery === DeliveryChannel.PHONE ? deliveryPhone : null,
      deliveryEmail: input.delivery === DeliveryChannel.EMAIL ? input.deliveryEmail!.trim() : null,
      signedOn: input.signedOn ?? today,
      signature: input.signature ?? (paper ? SignatureKind.PAPER : SignatureKind.ELECTRONIC),
      submittedVia: input.source,
      submittedAt: new Date(),
      submittedByAccountId: viewer?.accountId ?? null,
      submittedFrom: ctx.clientAddress,
      academicYearId: year.id,
    });
    return this.ds.transaction(async (em) => {
      await em.insert(ParentApplication, application);
      await this.recordChange(em, ctx, application, null, ApplicationStatus.SUBMITTED, paper ? 'paper form entered' : 'submitted through a client app');
      return em.findOneByOrFail(ParentApplication, { schoolId, id: application.id });
    });
  }

  /**
   * Gives the application the next registration number of its school and year. The counter row is
   * locked while taken, so concurrent registrations get consecutive, never equal, numbers. When
   * exactly one student of the school has the child's name and class, the application is matched to
   * that student; otherwise staff choose (matchApplication) — never by guesswork.
   */
  async register(ctx: Context, key: SchoolKey): Promise<ParentApplication> {
    const viewer = policy.administerSchool(ctx.viewer, key.schoolId);
    const school = (await ctx.loaders.school.load(key.schoolId))!;
    return this.ds.transaction(async (em) => {
      const application = await this.locked(em, key);
      this.expectStatus(application, [ApplicationStatus.SUBMITTED]);
      const [{ last_number: number }] = await em.query(
        `INSERT INTO application_number AS n (school_id, academic_year_id, last_number) VALUES ($1, $2, 1)
         ON CONFLICT (school_id, academic_year_id) DO UPDATE SET last_number = n.last_number + 1
         RETURNING last_number`,
        [key.schoolId, application.academicYearId],
      );
      const [candidates] = await this.candidatesOf(em, [application]);
      const exact = candidates.filter((c) => c.classMatches);
      const studentId = exact.length === 1 && candidates.length === 1 ? exact[0].student.id : null;
      await em.update(ParentApplication, { schoolId: key.schoolId, id: key.id }, {
        status: ApplicationStatus.REGISTERED, registrationNumber: number, registeredOn: todayIn(school.timeZone),
        registeredByAccountId: viewer.accountId, studentId,
      });
      const updated = await em.findOneByOrFail(ParentApplication, { schoolId: key.schoolId, id: key.id });
      await this.recordChange(em, ctx, updated, ApplicationStatus.SUBMITTED, ApplicationStatus.REGISTERED,
        `№ ${number}${studentId ? '; matched to the only student with this name and class' : '; the student is to be chosen'}`);
      return updated;
    });
  }

  /**
   * Students who may be each application's child: the same name (ё = е, case ignored), enrolled on
   * the school's today; `classMatches` when in the class written on the form. One statement for any
   * number of applications (the field is batch-loaded).
   */
  async candidatesOf(em: EntityManager, applications: readonly ParentApplication[]): Promise<Candidate[][]> {
    if (applications.length === 0) return [];
    // Names are compared here rather than in SQL, so that the result does not hang on the database's
    // locale; SQL narrows the students down by school and length of the last name.
    const rows: (Record<string, unknown> & { class_name: string })[] = await em.query(
      `SELECT s.*, cg.name AS class_name
         FROM student s
         JOIN school sc ON sc.id = s.school_id
         JOIN enrollment e ON e.school_id = s.school_id AND e.student_id = s.id
          AND e.starts_on <= (now() AT TIME ZONE sc.time_zone)::date
          AND (e.ends_on IS NULL OR e.ends_on >= (now() AT TIME ZONE sc.time_zone)::date) AND e.deleted_in_source_at IS NULL
         JOIN class_group cg ON cg.school_id = e.school_id AND cg.id = e.class_group_id
        WHERE s.deleted_in_source_at IS NULL AND (s.school_id, char_length(s.last_name)) IN (SELECT * FROM unnest($1::uuid[], $2::int[]))`,
      [applications.map((a) => a.schoolId), applications.map((a) => a.childLastName.length)],
    );
    const students = rows.map((r) => ({ student: em.getRepository(Student).create({
      schoolId: r.school_id as string, id: r.id as string, lastName: r.last_name as string, firstName: r.first_name as string,
      middleName: r.middle_name as string | null, birthDate: r.birth_date as string | null, sourceSystem: r.source_system as string | null,
      sourceId: r.source_id as string | null,
    }), className: r.class_name }));
    return applications.map((a) => students
      .filter(({ student }) => student.schoolId === a.schoolId && nameKey(student.lastName, student.firstName) === nameKey(a.childLastName, a.childFirstName))
      .filter(({ student }) => !a.childMiddleName || !student.middleName || nameKey(student.middleName) === nameKey(a.childMiddleName))
      .map(({ student, className }) => ({ student, className, classMatches: classKey(className) === classKey(a.childClassLabel) })));
  }

  async match(ctx: Context, key: SchoolKey, studentKey: SchoolKey): Promise<ParentApplication> {
    policy.administerSchool(ctx.viewer, key.schoolId);
    const school = (await ctx.loaders.school.load(key.schoolId))!;
    return this.ds.transaction(async (em) => {
      const application = await this.locked(em, key);
      this.expectStatus(application, [ApplicationStatus.REGISTERED]);
      const [enrolled] = studentKey.schoolId !== key.schoolId ? [] : await em.query(
        `SELECT 1 FROM enrollment WHERE school_id = $1 AND student_id = $2 AND starts_on <= $3 AND (ends_on IS NULL OR ends_on >= $3) AND deleted_in_source_at IS NULL`,
        [key.schoolId, studentKey.id, todayIn(school.timeZone)],
      );
      if (!enrolled) throw ApplicationErrors.studentNotEnrolled();
      await em.update(ParentApplication, { schoolId: key.schoolId, id: key.id }, { studentId: studentKey.id });
      const updated = await em.findOneByOrFail(ParentApplication, { schoolId: key.schoolId, id: key.id });
      await this.recordChange(em, ctx, updated, application.status, application.status, 'matched to a student by staff');
      return updated;
    });
  }

  async reject(ctx: Context, key: SchoolKey, reason: string): Promise<ParentApplication> {
    policy.administerSchool(ctx.viewer, key.schoolId);
    const why = reason.trim();
    if (why.length === 0 || why.length > 500) throw badInput('APPLICATION_REASON_INVALID', { reason: 'must be 1 to 500 characters' });
    return this.ds.transaction(async (em) => {
      const application = await this.locked(em, key);
      this.expectStatus(application, [ApplicationStatus.SUBMITTED, ApplicationStatus.REGISTERED]);
      await em.update(ParentApplication, { schoolId: key.schoolId, id: key.id }, { status: ApplicationStatus.REJECTED, rejectedReason: why });
      const updated = await em.findOneByOrFail(ParentApplication, { schoolId: key.schoolId, id: key.id });
      await this.recordChange(em, ctx, updated, application.status, ApplicationStatus.REJECTED, why);
      return updated;
    });
  }

  /**
   * Issues the parent's credentials for a registered, matched application: the guardian record
   * (found among the child's guardians by name, else created), the parent's account (the one the
   * guardian or the submitting account already has, else a new one with a one-time password), and
   * the access grant to the child. The one-time password goes by the channel the parent chose.
   */
  async issueCredentials(ctx: Context, key: SchoolKey): Promise<IssuedApplicationCredentials> {
    const viewer = policy.administerSchool(ctx.viewer, key.schoolId);
    const school = (await ctx.loaders.school.load(key.schoolId))!;
    return this.ds.transaction(async (em) => {
      const application = await this.locked(em, key);
      this.expectStatus(application, [ApplicationStatus.REGISTERED]);
      if (!application.studentId) throw ApplicationErrors.notMatched();
      const guardianId = await this.guardianFor(em, application);
      const applicant = { lastName: application.applicantLastName, firstName: application.applicantFirstName, middleName: application.applicantMiddleName };
      const issued = await this.accounts.provisionAccount(em, {
        schoolId: key.schoolId, role: Role.PARENT, personId: guardianId, person: applicant,
        accountId: applicantAccount(application), resetExisting: false,
      });
      const grant = await this.accounts.openGrant(em, {
        schoolId: key.schoolId, accountId: issued.account.id, studentId: application.studentId, kind: AccessGrantKind.GUARDIAN,
        grantedById: viewer.accountId, note: `application № ${application.registrationNumber}`,
      });
      await em.update(ParentApplication, { schoolId: key.schoolId, id: key.id }, {
        status: ApplicationStatus.CREDENTIALS_ISSUED, guardianId, accountId: issued.account.id, accessGrantId: grant.id, credentialsIssuedAt: new Date(),
      });
      const updated = await em.findOneByOrFail(ParentApplication, { schoolId: key.schoolId, id: key.id });
      await this.recordChange(em, ctx, updated, ApplicationStatus.REGISTERED, ApplicationStatus.CREDENTIALS_ISSUED,
        issued.oneTimePassword ? `credentials issued, delivery: ${application.deliveryChannel}` : 'access added to the parent’s existing account');
      await recordAudit(em, [{
        action: 'grant.given', schoolId: key.schoolId, actorAccountId: viewer.accountId, subjectType: 'access_grant', subjectId: grant.id,
        studentId: application.studentId, clientAddress: ctx.clientAddress, details: { kind: AccessGrantKind.GUARDIAN, applicationId: application.id },
      }]);

      const password = issued.oneTimePassword;
      const inPerson = application.deliveryChannel === DeliveryChannel.IN_PERSON;
      const message = password && !inPerson ? await this.queueCredentials(em, updated, school, issued.account.login, password) : null;
      const slip = password && inPerson ? await credentialSlipPdf({
        school: { fullName: school.fullName, shortName: school.shortName },
        systemName: application.systemName,
        person: applicant,
        forWhom: `${application.childLastName} ${application.childFirstName}, ${application.childClassLabel}`,
        login: issued.account.login,
        oneTimePassword: password,
        signInUrl: school.website ?? 'journal-hub',
        issuedAt: new Date().toISOString(),
        timeZone: school.timeZone,
      }) : null;
      return {
        application: updated,
        login: issued.account.login,
        oneTimePassword: inPerson ? password : null,
        credentialSlipPdf: slip?.toString('base64') ?? null,
        message,
      };
    });
  }

  /** The parent withdraws consent (or staff record a paper withdrawal): access ends at once; the application keeps its history. */
  async withdraw(ctx: Context, key: SchoolKey, reason: string): Promise<ParentApplication> {
    const why = reason.trim() || 'consent withdrawn';
    return this.ds.transaction(async (em) => {
      const application = await this.locked(em, key);
      if (ownedBy(application, ctx.viewer?.accountId)) policy.anySession(ctx.viewer);
      else policy.administerSchool(ctx.viewer, key.schoolId);
      this.expectStatus(application, [ApplicationStatus.SUBMITTED, ApplicationStatus.REGISTERED, ApplicationStatus.CREDENTIALS_ISSUED]);
      if (application.accessGrantId) {
        await em.query(
          `UPDATE access_grant SET ends_at = now(), ended_reason = 'consent withdrawn' WHERE school_id = $1 AND id = $2 AND ends_at IS NULL`,
          [key.schoolId, application.accessGrantId],
        );
        await recordAudit(em, [{
          action: 'grant.ended', schoolId: key.schoolId, actorAccountId: ctx.viewer!.accountId, subjectType: 'access_grant',
          subjectId: application.accessGrantId, studentId: application.studentId, clientAddress: ctx.clientAddress, details: { reason: 'consent withdrawn' },
        }]);
      }
      await em.update(ParentApplication, { schoolId: key.schoolId, id: key.id }, { status: ApplicationStatus.WITHDRAWN, withdrawnAt: new Date(), withdrawnReason: why });
      const updated = await em.findOneByOrFail(ParentApplication, { schoolId: key.schoolId, id: key.id });
      await this.recordChange(em, ctx, updated, application.status, ApplicationStatus.WITHDRAWN, why);
      return updated;
    });
  }

  /** An application, for its school's administration or the account that submitted or holds it. */
  async application(ctx: Context, key: SchoolKey): Promise<ParentApplication | null> {
    const application = await this.ds.getRepository(ParentApplication).findOneBy({ schoolId: key.schoolId, id: key.id });
    if (!application) return null;
    const viewer = ownedBy(application, ctx.viewer?.accountId) ? policy.anySession(ctx.viewer) : policy.administerSchool(ctx.viewer, key.schoolId);
    await recordAudit(this.ds.manager, [{
      action: 'application.read', schoolId: key.schoolId, actorAccountId: viewer.accountId, subjectType: 'parent_application',
      subjectId: key.id, studentId: application.studentId, clientAddress: ctx.clientAddress,
    }], { waitForDisk: false });
    return application;
  }

  listQuery(ctx: Context, filter: { schoolId: string; status?: ApplicationStatus | null; classLabel?: string | null; from?: string | null; to?: string | null }): SelectQueryBuilder<ParentApplication> {
    policy.administerSchool(ctx.viewer, filter.schoolId);
    const q = this.ds.getRepository(ParentApplication).createQueryBuilder('a').where('a.school_id = :schoolId', { schoolId: filter.schoolId });
    if (filter.status) q.andWhere('a.status = :status', { status: filter.status });
    if (filter.classLabel) {
      q.andWhere(`upper(replace(a.child_class_label, ' ', '')) = :cls`, { cls: classKey(filter.classLabel) });
    }
    // Days are the school's days (DESIGN rule 7), not UTC ones.
    const submittedOn = `(a.submitted_at AT TIME ZONE (SELECT time_zone FROM school WHERE id = a.school_id))::date`;
    if (filter.from) q.andWhere(`${submittedOn} >= :from`, { from: filter.from });
    if (filter.to) q.andWhere(`${submittedOn} <= :to`, { to: filter.to });
    return q;
  }

  /** Applications per status and per class as written on the forms. */
  async counts(ctx: Context, schoolId: string): Promise<{ status: ApplicationStatus; classLabel: string; count: number }[]> {
    policy.readSchoolFigures(ctx.viewer, schoolId);
    const rows: { status: ApplicationStatus; class_label: string; count: number }[] = await this.ds.query(
      `SELECT status, upper(replace(child_class_label, ' ', '')) AS class_label, count(*) AS count
         FROM parent_application WHERE school_id = $1 GROUP BY 1, 2 ORDER BY 2, 1`,
      [schoolId],
    );
    return rows.map((r) => ({ status: r.status, classLabel: r.class_label, count: r.count }));
  }

  /**
   * The rollout report's item 8, per class of the school's current year: the parents (guardians of the
   * students in the class today), the registered applications for those students (registered or with
   * credentials issued; rejected and withdrawn ones do not count), their share of the parents, and the
   * students with at least one such application.
   */
  async sharesByClass(ctx: Context, schoolId: string): Promise<ApplicationShareRow[]> {
    policy.readSchoolFigures(ctx.viewer, schoolId);
    return (await applicationCountsByClass(this.ds.manager, schoolId, null)).map(toShare);
  }

  /** The same figures per school, for the directorate. */
  async sharesBySchool(ctx: Context): Promise<(ApplicationShareRow & { schoolId: string })[]> {
    const viewer = policy.signedIn(ctx.viewer);
    if (!viewer.directorate) throw policy.refusal();
    const rows: (RawShare & { school_id: string })[] = await this.ds.query(
      `${sharesSql('school', 'NULL')} GROUP BY cg.school_id ORDER BY cg.school_id`,
    );
    return rows.map((r) => ({ ...toShare(r), schoolId: r.school_id }));
  }

  private async locked(em: EntityManager, key: SchoolKey): Promise<ParentApplication> {
    const application = await em.findOne(ParentApplication, { where: { schoolId: key.schoolId, id: key.id }, lock: { mode: 'pessimistic_write' } });
    if (!application) throw notFound('application', key.id);
    return application;
  }

  private expectStatus(application: ParentApplication, expected: ApplicationStatus[]): void {
    if (!expected.includes(application.status)) throw ApplicationErrors.wrongStatus(application.status, expected);
  }

  /**
   * The guardian record the application is about, linked to the child: the guardian the applying
   * account already acts as in this school (a parent of two children keeps one guardian and one
   * account), else one of the child's guardians with the applicant's name, else a guardian of the
   * school with the applicant's name and phone, else a new one.
   */
  private async guardianFor(em: EntityManager, application: ParentApplication): Promise<string> {
    const [own] = applicantAccount(application) ? await em.query(
      `SELECT guardian_id FROM account_role WHERE school_id = $1 AND account_id = $2 AND role = 'parent'`,
      [application.schoolId, applicantAccount(application)]) : [];
    const wanted = nameKey(application.applicantLastName, application.applicantFirstName, application.applicantMiddleName);
    const named = async (sql: string, params: unknown[]) =>
      ((await em.query(sql, params)) as { id: string; last_name: string; first_name: string; middle_name: string | null }[])
        .find((g) => nameKey(g.last_name, g.first_name, g.middle_name) === wanted)?.id;
    const guardianId: string | undefined = own?.guardian_id
      ?? await named(
        `SELECT g.id, g.last_name, g.first_name, g.middle_name FROM student_guardian sg
           JOIN guardian g ON g.school_id = sg.school_id AND g.id = sg.guardian_id AND g.deleted_in_source_at IS NULL WHERE sg.school_id = $1 AND sg.student_id = $2`,
        [application.schoolId, application.studentId])
      ?? (application.applicantPhone ? await named(
        `SELECT id, last_name, first_name, middle_name FROM guardian WHERE school_id = $1 AND phone = $2 AND deleted_in_source_at IS NULL`,
        [application.schoolId, application.applicantPhone]) : undefined);
    const id = guardianId ?? randomUUID();
    if (!guardianId) {
      await em.query(
        `INSERT INTO guardian (school_id, id, last_name, first_name, middle_name, phone, email) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [application.schoolId, id, application.applicantLastName, application.applicantFirstName, application.applicantMiddleName,
          application.applicantPhone, application.applicantEmail],
      );
    }
    await em.query(
      `INSERT INTO student_guardian (school_id, student_id, guardian_id, relation) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [application.schoolId, application.studentId, id, guardianRelation(application.relation, { lastName: application.applicantLastName, firstName: application.applicantFirstName, middleName: application.applicantMiddleName })],
    );
    return id;
  }

  private async queueCredentials(em: EntityManager, application: ParentApplication, school: School, login: string, password: string): Promise<OutboxMessage> {
    const sms = application.deliveryChannel === DeliveryChannel.PHONE;
    const message = em.create(OutboxMessage, {
      schoolId: application.schoolId,
      id: randomUUID(),
      channel: sms ? OutboxChannel.SMS : OutboxChannel.EMAIL,
      recipient: sms ? application.deliveryPhone! : application.deliveryEmail!,
      subject: `${school.shortName}: доступ к электронному дневнику`,
      body: credentialsText(school, application.systemName, login, password),
      status: OutboxStatus.PENDING,
      attempts: 0,
      applicationId: application.id,
      createdAt: new Date(),
    });
    await em.insert(OutboxMessage, message);
    return message;
  }

  private async assertSubmissionRate(clientAddress: string): Promise<void> {
    const [{ n, wait }] = await this.ds.query(
      `SELECT count(*) AS n, extract(epoch FROM min(submitted_at) + interval '1 hour' - now())::int AS wait
         FROM parent_application WHERE submitted_from = $1 AND submitted_via = 'client_app' AND submitted_at > now() - interval '1 hour'`,
      [clientAddress],
    );
    if (n >= SUBMISSIONS_PER_HOUR) throw ApplicationErrors.tooManySubmissions(wait);
  }

  private async recordChange(em: EntityManager, ctx: Context, application: ParentApplication, from: ApplicationStatus | null, to: ApplicationStatus, note: string): Promise<void> {
    await em.query(
      `INSERT INTO parent_application_event (school_id, application_id, actor_account_id, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6)`,
      [application.schoolId, application.id, ctx.viewer?.accountId ?? null, from, to, note],
    );
    await recordAudit(em, [{
      action: from === to ? 'application.updated' : `application.${to}`, schoolId: application.schoolId, actorAccountId: ctx.viewer?.accountId ?? null,
      subjectType: 'parent_application', subjectId: application.id, studentId: application.studentId, clientAddress: ctx.clientAddress,
      details: { from, to },
    }]);
  }
}

export interface ApplicationShareRow {
  classGroupId: string | null;
  className: string | null;
  students: number;
  parents: number;
  applications: number;
  studentsCovered: number;
  /** applications ÷ parents, at most 1; null without parents. */
  share: number | null;
}

export interface RawShare {
  class_group_id: string | null;
  class_name: string | null;
  students: number;
  parents: number;
  applications: number;
  students_covered: number;
}

/**
 * The applications item 8 counts (SQL, over parent_application): registered, or with credentials
 * issued, and for a student; rejected and withdrawn ones do not count.
 */
export const COUNTED_APPLICATION = `status IN ('registered', 'credentials_issued') AND student_id IS NOT NULL`;

/** Classes of each school's current year with their students today, guardians and registered applications, summed per class or per school. */
const sharesSql = (per: 'class' | 'school', asOf: string) => `
  WITH today AS (SELECT id AS school_id, coalesce(${asOf}::date, (now() AT TIME ZONE time_zone)::date) AS d FROM school),
  present AS (
    SELECT e.school_id, e.class_group_id, e.student_id FROM enrollment e JOIN today t ON t.school_id = e.school_id
     WHERE e.starts_on <= t.d AND (e.ends_on IS NULL OR e.ends_on >= t.d) AND e.deleted_in_source_at IS NULL),
  registered AS (
    SELECT school_id, student_id, count(*) AS n FROM parent_application WHERE ${COUNTED_APPLICATION} GROUP BY school_id, student_id),
  guardians AS (SELECT school_id, student_id, count(*) AS n FROM student_guardian GROUP BY school_id, student_id)
  SELECT ${per === 'class' ? 'cg.id AS class_group_id, cg.name AS class_name' : 'cg.school_id, NULL::uuid AS class_group_id, NULL AS class_name'},
         count(p.student_id) AS students, coalesce(sum(g.n), 0)::int AS parents,
         coalesce(sum(r.n), 0)::int AS applications, count(r.student_id) AS students_covered
    FROM class_group cg
    JOIN today t ON t.school_id = cg.school_id
    JOIN academic_year y ON y.school_id = cg.school_id AND y.id = cg.academic_year_id AND t.d BETWEEN y.starts_on AND y.ends_on
                        AND y.deleted_in_source_at IS NULL AND cg.deleted_in_source_at IS NULL
    LEFT JOIN present p ON p.school_id = cg.school_id AND p.class_group_id = cg.id
    LEFT JOIN guardians g ON g.school_id = p.school_id AND g.student_id = p.student_id
    LEFT JOIN registered r ON r.school_id = p.school_id AND r.student_id = p.student_id`;

/**
 * Item 8's counts per class of a school's year on a day (null: the school's today) — one definition
 * for the applications queries and the rollout report alike (the directorate's figures count the same
 * for all schools at once with COUNTED_APPLICATION, held equal to the report by a test).
 */
export function applicationCountsByClass(em: EntityManager, schoolId: string, asOf: string | null): Promise<RawShare[]> {
  return em.query(
    `${sharesSql('class', '$2')} WHERE cg.school_id = $1 GROUP BY cg.id, cg.name, cg.grade_level, cg.letter ORDER BY cg.grade_level, cg.letter`,
    [schoolId, asOf],
  );
}

const toShare = (r: RawShare): ApplicationShareRow => ({
  classGroupId: r.class_group_id,
  className: r.class_name,
  students: r.students,
  parents: r.parents,
  applications: r.applications,
  studentsCovered: r.students_covered,
  share: r.parents === 0 ? null : Math.min(1, Math.round((r.applications / r.parents) * 1000) / 1000),
});

/** The message that carries a one-time password; its password line is erased once delivered. */
export function credentialsText(school: School, system: string, login: string, password: string): string {
  return [
    `${school.shortName}. Доступ к электронному дневнику (${system}).`,
    `Логин: ${login}`,
    `Одноразовый пароль: ${password}`,
    'При первом входе система попросит задать свой пароль.',
  ].join('\n');
}

export const ERASED_PASSWORD_LINE = 'Одноразовый пароль: [стёрт после доставки]';
export const erasePassword = (body: string) => body.replace(/^Одноразовый пароль: .*$/m, ERASED_PASSWORD_LINE);


import { SchoolKeyed } from '../../db/school-owned';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { LocalDate } from '../../graphql/scalars';

export enum ApplicationStatus {
  SUBMITTED = 'submitted',
  REGISTERED = 'registered',
  CREDENTIALS_ISSUED = 'credentials_issued',
  REJECTED = 'rejected',
  WITHDRAWN = 'withdrawn',
}
registerEnumType(ApplicationStatus, {
  name: 'ApplicationStatus',
  description: 'SUBMITTED → REGISTERED (numbered by the school) → CREDENTIALS_ISSUED (access granted); or REJECTED, or WITHDRAWN (access ended).',
});

export enum ChildRelation {
  SON = 'son',
  DAUGHTER = 'daughter',
  WARD = 'ward',
}
registerEnumType(ChildRelation, { name: 'ChildRelation', description: 'сын, дочь, опекаемый' });

export enum DeliveryChannel {
  IN_PERSON = 'in_person',
  PHONE = 'phone',
  EMAIL = 'email',
}
registerEnumType(DeliveryChannel, { name: 'DeliveryChannel', description: 'How the parent wants the login and password: in person, by phone, by e-mail.' });

export enum SignatureKind {
  PAPER = 'paper',
  ELECTRONIC = 'electronic',
}
registerEnumType(SignatureKind, { name: 'SignatureKind' });

export enum SubmissionSource {
  CLIENT_APP = 'client_app',
  PAPER = 'paper',
}
registerEnumType(SubmissionSource, { name: 'SubmissionSource' });

@ObjectType({ description: 'The applicant’s address as written on the form.' })
export class PostalAddress {
  @Field() city: string;
  @Field() street: string;
  @Field() house: string;
  @Field(() => String, { nullable: true }) apartment: string | null;
}

@ObjectType({ description: 'A parent’s application for e-diary access (Appendix 4 of the order), with consent to personal-data processing.' })
@Entity('parent_application')
export class ParentApplication extends SchoolKeyed {
  @Field(() => ApplicationStatus) @Column('text') status: ApplicationStatus;
  @Field() @Column('text') applicantLastName: string;
  @Field() @Column('text') applicantFirstName: string;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) applicantMiddleName: string | null;
  @Column('text') addressCity: string;
  @Column('text') addressStreet: string;
  @Column('text') addressHouse: string;
  @Column('text', { nullable: true }) addressApartment: string | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) applicantPhone: string | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) applicantEmail: string | null;
  @Field() @Column('text') childLastName: string;
  @Field() @Column('text') childFirstName: string;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) childMiddleName: string | null;
  @Field({ description: 'The class as the applicant wrote it, e.g. "5А".' }) @Column('text') childClassLabel: string;
  @Field(() => ChildRelation) @Column('text') relation: ChildRelation;
  @Field({ description: 'The e-journal system named on the form (from the school’s configuration).' }) @Column('text') systemName: string;
  @Field({ description: 'When the applicant consented to the processing of personal data (152-FZ); valid until the child leaves the school.' })
  @Column('timestamptz')
  consentGivenAt: Date;
  @Field(() => [String]) @Column('text', { array: true }) consentApplicantData: string[];
  @Field(() => [String]) @Column('text', { array: true }) consentChildData: string[];
  @Field(() => DeliveryChannel) @Column('text') deliveryChannel: DeliveryChannel;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) deliveryPhone: string | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) deliveryEmail: string | null;
  @Field(() => LocalDate) @Column('date') signedOn: string;
  @Field(() => SignatureKind) @Column('text') signature: SignatureKind;
  @Field(() => SubmissionSource) @Column('text') submittedVia: SubmissionSource;
  @Field() @Column('timestamptz') submittedAt: Date;
  @Column('uuid', { nullable: true }) submittedByAccountId: string | null;
  @Column('text', { nullable: true }) submittedFrom: string | null;
  @Column('uuid') academicYearId: string;
  @Field(() => Int, { nullable: true, description: 'The school’s registration number, in sequence within the academic year.' })
  @Column('integer', { nullable: true })
  registrationNumber: number | null;
  @Field(() => LocalDate, { nullable: true }) @Column('date', { nullable: true }) registeredOn: string | null;
  @Column('uuid', { nullable: true }) registeredByAccountId: string | null;
  @Column('uuid', { nullable: true }) studentId: string | null;
  @Column('uuid', { nullable: true }) guardianId: string | null;
  @Column('uuid', { nullable: true }) accountId: string | null;
  @Column('uuid', { nullable: true }) accessGrantId: string | null;
  @Field(() => Date, { nullable: true }) @Column('timestamptz', { nullable: true }) credentialsIssuedAt: Date | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) rejectedReason: string | null;
  @Field(() => Date, { nullable: true }) @Column('timestamptz', { nullable: true }) withdrawnAt: Date | null;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) withdrawnReason: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;

  @Field(() => PostalAddress)
  get address(): PostalAddress {
    return { city: this.addressCity, street: this.addressStreet, house: this.addressHouse, apartment: this.addressApartment };
  }
}

@ObjectType({ description: 'A change of an application’s status.' })
@Entity('parent_application_event')
export class ParentApplicationEvent {
  @PrimaryColumn('uuid') schoolId: string;
  @PrimaryColumn('bigint') id: string;
  @Column('uuid') applicationId: string;
  @Field() @Column('timestamptz') occurredAt: Date;
  @Column('uuid', { nullable: true }) actorAccountId: string | null;
  @Field(() => ApplicationStatus, { nullable: true }) @Column('text', { nullable: true }) fromStatus: ApplicationStatus | null;
  @Field(() => ApplicationStatus) @Column('text') toStatus: ApplicationStatus;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) note: string | null;
}

export enum OutboxChannel {
  SMS = 'sms',
  EMAIL = 'email',
}
registerEnumType(OutboxChannel, { name: 'OutboxChannel' });

export enum OutboxStatus {
  PENDING = 'pending',
  DELIVERED = 'delivered',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}
registerEnumType(OutboxStatus, { name: 'OutboxStatus' });

@ObjectType({ description: 'A message to a parent waiting in the outbox (SMS for staff to send, e-mail sent through SMTP when configured).' })
@Entity('outbox_message')
export class OutboxMessage extends SchoolKeyed {
  @Field(() => OutboxChannel) @Column('text') channel: OutboxChannel;
  @Field() @Column('text') recipient: string;
  @Field() @Column('text') subject: string;
  @Field({ description: 'The text; its one-time password is erased once the message is delivered.' }) @Column('text') body: string;
  @Field(() => OutboxStatus) @Column('text') status: OutboxStatus;
  @Field() @Column('integer') attempts: number;
  @Field(() => String, { nullable: true }) @Column('text', { nullable: true }) lastError: string | null;
  @Column('uuid', { nullable: true }) applicationId: string | null;
  @Field() @Column('timestamptz') createdAt: Date;
  @Field(() => Date, { nullable: true }) @Column('timestamptz', { nullable: true }) deliveredAt: Date | null;
  @Field(() => String, { nullable: true, description: '"smtp" or the account of the staff member who sent it.' })
  @Column('text', { nullable: true })
  deliveredBy: string | null;
}

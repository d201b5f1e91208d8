import { ArrayMaxSize, IsOptional, Length, MaxLength } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { LocalDate } from '../../graphql/scalars';
import { ChildRelation, DeliveryChannel, SignatureKind, SubmissionSource } from './application.entity';

@InputType()
export class PersonNameInput {
  @Field() @Length(1, 100) lastName: string;
  @Field() @Length(1, 100) firstName: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) middleName?: string | null;
}

@InputType()
export class PostalAddressInput {
  @Field() @Length(1, 100) city: string;
  @Field() @Length(1, 200) street: string;
  @Field() @Length(1, 20) house: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(20) apartment?: string | null;
}

@InputType({ description: 'Everything the Appendix 4 form holds. The school and system name come from the school.' })
export class SubmitApplicationInput {
  @Field(() => ID) schoolId: string;
  @Field(() => SubmissionSource, { defaultValue: SubmissionSource.CLIENT_APP, description: 'PAPER: entered by school staff from a signed paper form.' })
  source: SubmissionSource = SubmissionSource.CLIENT_APP;
  @Field(() => PersonNameInput) applicant: PersonNameInput;
  @Field(() => PostalAddressInput) address: PostalAddressInput;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(30) phone?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(254) email?: string | null;
  @Field(() => PersonNameInput) child: PersonNameInput;
  @Field({ description: 'The class as the applicant writes it, e.g. "5А".' }) @Length(1, 10) childClass: string;
  @Field(() => ChildRelation) relation: ChildRelation;
  @Field({ description: 'Consent to the processing of the applicant’s and the child’s personal data (152-FZ); required.' }) consent: boolean;
  @Field(() => [String], { nullable: true, description: 'Categories of the applicant’s data the consent covers; defaults to the school’s list.' })
  @IsOptional()
  @ArrayMaxSize(20)
  consentApplicantData?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Categories of the child’s data the consent covers; defaults to the school’s list.' })
  @IsOptional()
  @ArrayMaxSize(20)
  consentChildData?: string[] | null;
  @Field(() => DeliveryChannel) delivery: DeliveryChannel;
  @Field(() => String, { nullable: true, description: 'Required for delivery by phone.' }) @IsOptional() @MaxLength(30) deliveryPhone?: string | null;
  @Field(() => String, { nullable: true, description: 'Required for delivery by e-mail.' }) @IsOptional() @MaxLength(254) deliveryEmail?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'The date on the form; defaults to the school’s today.' }) signedOn?: string | null;
  @Field(() => SignatureKind, { nullable: true, description: 'Defaults to ELECTRONIC from a client app, PAPER for a paper form.' })
  signature?: SignatureKind | null;
}


import { IsOptional, MaxLength } from 'class-validator';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Float, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { parseApiId, parsePlainId } from '../../common/ids';
import { Connection, PageArgs, paginate } from '../../common/pagination';
import type { Context } from '../../graphql/context';
import { LocalDate } from '../../graphql/scalars';
import { policy } from '../../policy/policy';
import { Student } from '../people/person.entity';
import { ClassGroup } from '../schools/class-group.entity';
import { School } from '../schools/school.entity';
import { ApplicationStatus, OutboxMessage, OutboxStatus, ParentApplication, ParentApplicationEvent } from './application.entity';
import { SubmitApplicationInput } from './applications.inputs';

const ApplicationConnection = Connection(ParentApplication, 'ParentApplication');
const OutboxMessageConnection = Connection(OutboxMessage);

@ArgsType()
class ApplicationsArgs extends PageArgs {
  @Field(() => ID) schoolId: string;
  @Field(() => ApplicationStatus, { nullable: true }) status?: ApplicationStatus | null;
  @Field(() => String, { nullable: true, description: 'The class as written on the form, e.g. "5А".' }) @IsOptional() @MaxLength(10) classLabel?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'Submitted on or after this day.' }) from?: string | null;
  @Field(() => LocalDate, { nullable: true, description: 'Submitted on or before this day.' }) to?: string | null;
}

@ArgsType()
class OutboxArgs extends PageArgs {
  @Field(() => ID) schoolId: string;
  @Field(() => OutboxStatus, { nullable: true }) status?: OutboxStatus | null;
}

@ObjectType()
class ApplicationCount {
  @Field(() => ApplicationStatus) status: ApplicationStatus;
  @Field() classLabel: string;
  @Field(() => Int) count: number;
}

@ObjectType({ description: 'Parents and their registered applications (rollout report item 8): in one class, or in a whole school.' })
class ApplicationShare {
  @Field(() => ClassGroup, { nullable: true }) classGroup: ClassGroup | null;
  @Field(() => School, { nullable: true }) school: School | null;
  @Field(() => Int, { description: 'Students in the class today.' }) students: number;
  @Field(() => Int, { description: 'Their guardians.' }) parents: number;
  @Field(() => Int, { description: 'Applications registered for them (not rejected or withdrawn).' }) applications: number;
  @Field(() => Int, { description: 'Students with at least one registered application.' }) studentsCovered: number;
  @Field(() => Float, { nullable: true, description: 'applications ÷ parents, at most 1.' }) share: number | null;
}

@ObjectType()
class ApplicationCandidate {
  @Field(() => Student) student: Student;
  @Field(() => String, { nullable: true, description: 'The student’s class today.' }) className: string | null;
  @Field({ description: 'Whether that is the class written on the form.' }) classMatches: boolean;
}

@ObjectType()
class IssuedApplicationCredentials {
  @Field(() => ParentApplication) application: ParentApplication;
  @Field() login: string;
  @Field(() => String, { nullable: true, description: 'For delivery in person only (otherwise it is in the outbox message). Null when the parent already had an account.' })
  oneTimePassword: string | null;
  @Field(() => String, { nullable: true, description: 'The printable credential slip (PDF, base64), for delivery in person.' })
  credentialSlipPdf: string | null;
  @Field(() => OutboxMessage, { nullable: true }) message: OutboxMessage | null;
}

@Resolver(() => ParentApplication)
export class ApplicationResolver {
  @Query(() => ParentApplication, { nullable: true, description: 'An application (the school’s administration, or the parent who submitted it).' })
  application(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.applications.application(ctx, parseApiId(id, 'id'));
  }

  @Query(() => ApplicationConnection, { description: 'A school’s applications, oldest first, filtered by status, class and submission date (its administration).' })
  applications(@Args() args: ApplicationsArgs, @Ctx() ctx: Context) {
    const query = ctx.services.applications.listQuery(ctx, { ...args, schoolId: parsePlainId(args.schoolId, 'schoolId') });
    return paginate(query, [{ sql: 'a.submitted_at', property: 'submittedAt' }, { sql: 'a.id', property: 'id' }], args);
  }

  @Query(() => [ApplicationCount], { description: 'Applications per status and class (the school’s administration, the directorate).' })
  applicationCounts(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: Context) {
    return ctx.services.applications.counts(ctx, parsePlainId(schoolId, 'schoolId'));
  }

  @Query(() => [ApplicationShare], { description: 'Per class: parents and registered applications (the school’s administration, the directorate).' })
  async applicationShares(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: Context) {
    const id = parsePlainId(schoolId, 'schoolId');
    const rows = await ctx.services.applications.sharesByClass(ctx, id);
    const groups = await ctx.loaders.classGroup.loadMany(rows.map((r) => ({ schoolId: id, id: r.classGroupId! })));
    return rows.map((r, i) => ({ ...r, classGroup: groups[i] as ClassGroup, school: null }));
  }

  @Query(() => [ApplicationShare], { description: 'Per school: parents and registered applications (the directorate).' })
  async applicationSharesBySchool(@Ctx() ctx: Context) {
    const rows = await ctx.services.applications.sharesBySchool(ctx);
    const schools = await ctx.loaders.school.loadMany(rows.map((r) => r.schoolId));
    return rows.map((r, i) => ({ ...r, classGroup: null, school: schools[i] as School }));
  }

  @Query(() => OutboxMessageConnection, { description: 'Messages to parents, oldest first (the school’s administration).' })
  outbox(@Args() args: OutboxArgs, @Ctx() ctx: Context) {
    const query = ctx.services.outbox.listQuery(ctx, parsePlainId(args.schoolId, 'schoolId'), args.status ?? null);
    return paginate(query, [{ sql: 'm.created_at', property: 'createdAt' }, { sql: 'm.id', property: 'id' }], args);
  }

  @FieldResolver(() => School)
  school(@Root() application: ParentApplication, @Ctx() ctx: Context) {
    return ctx.loaders.school.load(application.schoolId);
  }

  @FieldResolver(() => Student, { nullable: true, description: 'The student the application was matched to (for those who may see the student).' })
  student(@Root() application: ParentApplication, @Ctx() ctx: Context) {
    if (!application.studentId) return null;
    policy.readStudentProfile(ctx.viewer, application.schoolId, application.studentId);
    return ctx.loaders.student.load({ schoolId: application.schoolId, id: application.studentId });
  }

  @FieldResolver(() => [ApplicationCandidate], { description: 'Students who may be the child, for staff to choose from (the school’s administration).' })
  candidates(@Root() application: ParentApplication, @Ctx() ctx: Context) {
    policy.administerSchool(ctx.viewer, application.schoolId);
    return ctx.loaders.candidatesOfApplication.load(application);
  }

  @FieldResolver(() => [ParentApplicationEvent], { description: 'Every change of status, oldest first.' })
  history(@Root() application: ParentApplication, @Ctx() ctx: Context) {
    return ctx.loaders.eventsOfApplication.load(application);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the parent’s account has been activated (first sign-in and own password).' })
  async activated(@Root() application: ParentApplication, @Ctx() ctx: Context) {
    if (!application.accountId) return false;
    return (await ctx.loaders.account.load(application.accountId))?.activatedAt != null;
  }

  @Mutation(() => ParentApplication, { description: 'Submits an application: from a client app (anyone), or a paper form entered by the school’s administration (source PAPER).' })
  submitApplication(@Arg('input') input: SubmitApplicationInput, @Ctx() ctx: Context) {
    return ctx.services.applications.submit(ctx, { ...input, schoolId: parsePlainId(input.schoolId, 'schoolId') });
  }

  @Mutation(() => ParentApplication, { description: 'Registers a submitted application with the next number of the school’s year.' })
  registerApplication(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.applications.register(ctx, parseApiId(id, 'id'));
  }

  @Mutation(() => ParentApplication, { description: 'Says which student the application is for.' })
  matchApplication(@Arg('id', () => ID) id: string, @Arg('studentId', () => ID) studentId: string, @Ctx() ctx: Context) {
    return ctx.services.applications.match(ctx, parseApiId(id, 'id'), parseApiId(studentId, 'studentId'));
  }

  @Mutation(() => ParentApplication)
  rejectApplication(@Arg('id', () => ID) id: string, @Arg('reason') reason: string, @Ctx() ctx: Context) {
    return ctx.services.applications.reject(ctx, parseApiId(id, 'id'), reason);
  }

  @Mutation(() => IssuedApplicationCredentials, {
    description: 'Issues the parent’s login and one-time password and grants access to the child. A parent who applied while signed in, or who already has a parent account in this school, keeps that account.',
  })
  issueApplicationCredentials(@Arg('applicationId', () => ID) applicationId: string, @Ctx() ctx: Context) {
    return ctx.services.applications.issueCredentials(ctx, parseApiId(applicationId, 'applicationId'));
  }

  @Mutation(() => ParentApplication, { description: 'Withdraws the application and its consent: access to the child ends at once (the parent, or the school’s administration).' })
  withdrawApplication(@Arg('id', () => ID) id: string, @Arg('reason', () => String, { nullable: true }) reason: string | null, @Ctx() ctx: Context) {
    return ctx.services.applications.withdraw(ctx, parseApiId(id, 'id'), reason ?? '');
  }

  @Mutation(() => OutboxMessage, { description: 'Staff confirm they delivered a message (e.g. sent the SMS); its password is erased.' })
  markMessageDelivered(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return ctx.services.outbox.markDelivered(ctx, parseApiId(id, 'id'));
  }
}

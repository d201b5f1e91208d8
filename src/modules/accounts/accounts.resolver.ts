import { IsOptional, MaxLength } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { parseApiId, parsePlainId } from '../../common/ids';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { Role } from '../../policy/viewer';
import { ClassGroup } from '../schools/class-group.entity';
import { AccessGrant, AccessGrantKind, Account } from './account.entity';

@ObjectType()
class SignInResult {
  @Field({ description: 'Send as "Authorization: Bearer <token>".' }) token: string;
  @Field() expiresAt: Date;
  @Field(() => Account) account: Account;
}

@ObjectType({ description: 'A login and, for a new account or a reset, its one-time password: give it to the person once.' })
class IssuedCredentials {
  @Field(() => Account) account: Account;
  @Field(() => String, { nullable: true, description: 'Null when the role joined an account the person already had.' })
  oneTimePassword: string | null;
}

@ObjectType({ description: 'What an account is in one school.' })
class AccountSchoolRole {
  @Field(() => ID) schoolId: string;
  @Field(() => Role) role: Role;
  @Field(() => ID, { description: 'The staff member, student or guardian the account acts as.' }) personId: string;
}

@ObjectType({ description: 'Credentials issued and activated for a role, in the whole school (classGroup null) or in one class.' })
class CredentialCount {
  @Field(() => Role) role: Role;
  @Field(() => ClassGroup, { nullable: true }) classGroup: ClassGroup | null;
  @Field(() => Int) issued: number;
  @Field(() => Int) activated: number;
}

@InputType()
class IssueCredentialsInput {
  @Field(() => ID) schoolId: string;
  @Field(() => Role) role: Role;
  @Field(() => ID, { description: 'The guardian (parent role), student, or staff member (teacher, administration, IT).' }) personId: string;
}

@InputType()
class GrantAccessInput {
  @Field(() => ID) studentId: string;
  @Field(() => ID) accountId: string;
  @Field(() => AccessGrantKind, { defaultValue: AccessGrantKind.GUARDIAN }) kind: AccessGrantKind = AccessGrantKind.GUARDIAN;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) note?: string | null;
}

@Resolver(() => Account)
export class AccountResolver {
  @Query(() => Account, { nullable: true, description: 'The signed-in account, or null without a valid token.' })
  async me(@Ctx() ctx: Context) {
    return ctx.viewer ? ctx.services.accounts.account(ctx.viewer.accountId) : null;
  }

  @FieldResolver(() => [AccountSchoolRole], { description: 'For another account: only its roles in the schools the viewer administers (all for the directorate).' })
  async roles(@Root() account: Account, @Ctx() ctx: Context) {
    if (ctx.viewer?.accountId === account.id) return ctx.viewer.roles;
    const roles = await ctx.services.accounts.rolesOf(account.id);
    return roles.filter((r) => policy.mayAdministerSchool(ctx.viewer, r.schoolId));
  }

  @FieldResolver(() => Boolean, { description: 'Whether the account acts for the directorate.' })
  async directorate(@Root() account: Account, @Ctx() ctx: Context) {
    return ctx.viewer?.accountId === account.id ? ctx.viewer.directorate : ctx.services.accounts.isDirectorate(account.id);
  }

  @Query(() => [CredentialCount], { description: 'Issued and activated logins per role and class (school administration, directorate).' })
  credentialStats(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: Context) {
    return ctx.services.accounts.credentialStats(ctx, parsePlainId(schoolId, 'schoolId'));
  }

  @Mutation(() => SignInResult, { description: 'Signs in with a login and password. Repeated failures are slowed down, then locked for a while.' })
  signIn(@Arg('login') login: string, @Arg('password') password: string, @Ctx() ctx: Context) {
    return ctx.services.accounts.signIn(login, password, ctx.clientAddress);
  }

  @Mutation(() => Boolean, { description: 'Ends the current session.' })
  async signOut(@Ctx() ctx: Context) {
    await ctx.services.accounts.signOut(policy.anySession(ctx.viewer), ctx.clientAddress);
    return true;
  }

  @Mutation(() => Account, { description: 'Sets a new password; required after signing in with issued credentials (that first change activates the account).' })
  changePassword(
    @Arg('currentPassword') currentPassword: string,
    @Arg('newPassword') newPassword: string,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.accounts.changePassword(policy.anySession(ctx.viewer), currentPassword, newPassword, ctx.clientAddress);
  }

  @Mutation(() => Int, { description: 'Ends every session of an account; returns how many were open.' })
  revokeSessions(@Arg('accountId', () => ID) accountId: string, @Ctx() ctx: Context) {
    return ctx.services.accounts.revokeSessions(ctx, parsePlainId(accountId, 'accountId'));
  }

  @Mutation(() => IssuedCredentials, { description: 'Issues a login and one-time password to a person of the school (school administration).' })
  issueCredentials(@Arg('input') input: IssueCredentialsInput, @Ctx() ctx: Context) {
    return ctx.services.accounts.issueCredentials(ctx, parsePlainId(input.schoolId, 'schoolId'), input.role, parsePlainId(input.personId, 'personId'));
  }

  @Mutation(() => AccessGrant, { description: 'Lets an account read a student’s diary (school administration).' })
  grantAccess(@Arg('input') input: GrantAccessInput, @Ctx() ctx: Context) {
    return ctx.services.accounts.grantAccess(ctx, parseApiId(input.studentId, 'studentId'), parsePlainId(input.accountId, 'accountId'), input.kind, input.note ?? null);
  }

  @Mutation(() => AccessGrant, { description: 'Ends an access grant at once (school administration).' })
  endAccessGrant(
    @Arg('grantId', () => ID) grantId: string,
    @Arg('reason', { description: 'Why access ends, e.g. "consent withdrawn".' }) reason: string,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.accounts.endAccessGrant(ctx, parseApiId(grantId, 'grantId'), reason);
  }
}

import { Args, ArgsType, Ctx, Field, ID, Query, Resolver } from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { parseApiId, parsePlainId } from '../../common/ids';
import { Connection, PageArgs, paginate } from '../../common/pagination';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { AccountEvent, AuditEvent } from './audit.entity';

const AuditEventConnection = Connection(AuditEvent);
const AccountEventConnection = Connection(AccountEvent);

@ArgsType()
class AuditArgs extends PageArgs {
  @Field(() => ID) schoolId: string;
  @Field(() => ID, { nullable: true, description: 'Only events about this student.' }) studentId?: string | null;
  @Field(() => ID, { nullable: true }) actorAccountId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(60) action?: string | null;
  @Field(() => Date, { nullable: true }) from?: Date | null;
  @Field(() => Date, { nullable: true }) to?: Date | null;
}

@ArgsType()
class AccountEventsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Required for a school administrator: an account acting in the administrator’s school.' })
  accountId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(60) action?: string | null;
}

@Resolver()
export class AuditResolver {
  @Query(() => AccountEventConnection, { description: 'Sign-ins, failures and other account events, oldest first (the directorate; a school’s administration for its accounts).' })
  async accountEvents(@Args() args: AccountEventsArgs, @Ctx() ctx: Context) {
    const accountId = args.accountId ? parsePlainId(args.accountId, 'accountId') : null;
    const schools = accountId ? (await ctx.services.accounts.rolesOf(accountId)).map((r) => r.schoolId) : [];
    policy.readAccountEvents(ctx.viewer, accountId, schools);
    return paginate(ctx.services.audit.accountEventsQuery({ accountId, action: args.action }), [{ sql: 'e.id', property: 'id' }], args);
  }

  @Query(() => AuditEventConnection, { description: 'A school’s audit trail, oldest first (its administration; the directorate for any school).' })
  auditEvents(@Args() args: AuditArgs, @Ctx() ctx: Context) {
    const schoolId = parsePlainId(args.schoolId, 'schoolId');
    policy.readAudit(ctx.viewer, schoolId);
    const studentId = args.studentId ? parseApiId(args.studentId, 'studentId').id : null;
    const query = ctx.services.audit.eventsQuery({
      schoolId, studentId, actorAccountId: args.actorAccountId ? parsePlainId(args.actorAccountId, 'actorAccountId') : null,
      action: args.action, from: args.from, to: args.to,
    });
    return paginate(query, [{ sql: 'e.id', property: 'id' }], args);
  }
}

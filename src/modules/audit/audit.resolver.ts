import { Args, ArgsType, Ctx, Field, ID, Query, Resolver } from 'type-graphql';
import { IsOptional, MaxLength } from 'class-validator';
import { parseApiId, parsePlainId } from '../../common/ids';
import { Connection, PageArgs, paginate } from '../../common/pagination';
import type { Context } from '../../graphql/context';
import { policy } from '../../policy/policy';
import { AuditEvent } from './audit.entity';

const AuditEventConnection = Connection(AuditEvent);

@ArgsType()
class AuditArgs extends PageArgs {
  @Field(() => ID) schoolId: string;
  @Field(() => ID, { nullable: true, description: 'Only events about this student.' }) studentId?: string | null;
  @Field(() => ID, { nullable: true }) actorAccountId?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(60) action?: string | null;
  @Field(() => Date, { nullable: true }) from?: Date | null;
  @Field(() => Date, { nullable: true }) to?: Date | null;
}

@Resolver()
export class AuditResolver {
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

import { GraphQLJSON } from 'graphql-scalars';

import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { parsePlainId } from '../common/ids';
import type { Context } from '../graphql/context';

@ObjectType({ description: 'A field of an adapter’s configuration, for a form.' })
class AdapterConfigField {
  @Field() name: string;
  @Field() label: string;
  @Field({ description: 'string, url, number or boolean.' }) type: string;
  @Field() required: boolean;
  @Field({ description: 'Stored encrypted and never returned.' }) secret: boolean;
  @Field(() => String, { nullable: true }) description: string | null;
}

@ObjectType({ description: 'An adapter to a vendor e-journal system.' })
class AdapterInfo {
  @Field() id: string;
  @Field() displayName: string;
  @Field() vendor: string;
  @Field() version: string;
  @Field(() => [AdapterConfigField]) config: AdapterConfigField[];
  @Field(() => [String]) streams: string[];
  @Field(() => [String]) incrementalStreams: string[];
  @Field(() => [String]) deletionStreams: string[];
}

@ObjectType({ description: 'A school’s connection to its vendor system. Secret fields are never returned, only whether they are set.' })
class SyncConnection {
  @Field() adapterId: string;
  @Field(() => GraphQLJSON) config: Record<string, unknown>;
  @Field(() => [String]) secretsSet: string[];
  @Field() enabled: boolean;
}

@ObjectType()
class ConnectionCheck {
  @Field() ok: boolean;
  @Field(() => [String]) problems: string[];
}

@ObjectType()
class VendorSchool {
  @Field() sourceId: string;
  @Field() name: string;
}

@ObjectType({ description: 'One sync run: status, counts per stream (inserted, updated, unchanged, quarantined), the error if any.' })
class SyncRun {
  @Field(() => ID) id: string;
  @Field() adapterId: string;
  @Field() status: string;
  @Field() startedAt: Date;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
  @Field(() => GraphQLJSON) counts: Record<string, unknown>;
  @Field(() => String, { nullable: true, description: 'config, transient, data or system.' }) errorKind: string | null;
  @Field(() => String, { nullable: true }) error: string | null;
}

@ObjectType()
class QuarantinedRecord {
  @Field(() => ID) id: string;
  @Field(() => ID) runId: string;
  @Field() stream: string;
  @Field(() => String, { nullable: true }) sourceId: string | null;
  @Field(() => String, { nullable: true }) field: string | null;
  @Field() reason: string;
  @Field(() => GraphQLJSON, { description: 'The record as the vendor sent it.' }) payload: unknown;
}

@ObjectType({ description: 'Quarantined records grouped by cause, e.g. "132 marks refer to an unknown student".' })
class QuarantineCause {
  @Field() stream: string;
  @Field(() => String, { nullable: true }) field: string | null;
  @Field() cause: string;
  @Field(() => Int) records: number;
}

@ObjectType()
class Quarantine {
  @Field(() => [QuarantineCause]) causes: QuarantineCause[];
  @Field(() => [QuarantinedRecord]) records: QuarantinedRecord[];
}

@InputType()
class ConfigureSyncInput {
  @Field(() => ID) schoolId: string;
  @Field() adapterId: string;
  @Field(() => GraphQLJSON, { description: 'The adapter’s fields; a secret left out keeps its stored value.' }) config: Record<string, unknown>;
}

const camelRow = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]));

@Resolver()
export class SyncResolver {
  @Query(() => [AdapterInfo], { description: 'The vendor systems the hub can sync from.' })
  adapters(@Ctx() ctx: Context): AdapterInfo[] {
    return ctx.services.sync.adapters(ctx).map(({ manifest: m }) => ({
      id: m.id, displayName: m.displayName, vendor: m.vendor, version: m.version,
      config: m.config.map((f) => ({ ...f, secret: f.secret ?? false, description: f.description ?? null })),
      streams: m.capabilities.streams, incrementalStreams: m.capabilities.incremental, deletionStreams: m.capabilities.deletions,
    }));
  }

  @Query(() => SyncConnection, { nullable: true, description: 'The school’s connection to its vendor system (its IT staff and administration).' })
  syncConnection(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: Context) {
    return ctx.services.sync.connection(ctx, parsePlainId(schoolId, 'schoolId'));
  }

  @Query(() => [SyncRun], { description: 'The school’s sync runs, newest first.' })
  async syncRuns(@Arg('schoolId', () => ID) schoolId: string, @Arg('last', () => Int, { defaultValue: 20 }) last: number, @Ctx() ctx: Context) {
    return (await ctx.services.sync.runs(ctx, parsePlainId(schoolId, 'schoolId'), Math.min(Math.max(last, 1), 100))).map(camelRow);
  }

  @Query(() => Quarantine, { description: 'Records the sync could not take in, with reasons, grouped by cause (of one run, or all unresolved).' })
  async syncQuarantine(@Arg('schoolId', () => ID) schoolId: string, @Arg('runId', () => ID, { nullable: true }) runId: string | null,
    @Arg('last', () => Int, { defaultValue: 100 }) last: number, @Ctx() ctx: Context) {
    const { records, causes } = await ctx.services.sync.quarantine(ctx, parsePlainId(schoolId, 'schoolId'),
      runId ? parsePlainId(runId, 'runId') : null, Math.min(Math.max(last, 1), 500));
    return { causes, records: records.map(camelRow) };
  }

  @Mutation(() => SyncConnection, { description: 'Sets the school’s vendor system and its configuration; the school’s journal then comes from that system.' })
  configureSync(@Arg('input') input: ConfigureSyncInput, @Ctx() ctx: Context) {
    return ctx.services.sync.configure(ctx, parsePlainId(input.schoolId, 'schoolId'), input.adapterId, input.config ?? {});
  }

  @Mutation(() => ConnectionCheck, { description: 'Checks that the vendor answers, accepts the credentials and knows the school.' })
  testSyncConnection(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: Context) {
    return ctx.services.sync.test(ctx, parsePlainId(schoolId, 'schoolId'));
  }

  @Mutation(() => [VendorSchool], { description: 'The schools the vendor knows, to choose the one this school is.' })
  discoverVendorSchools(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: Context) {
    return ctx.services.sync.vendorSchools(ctx, parsePlainId(schoolId, 'schoolId'));
  }

  @Mutation(() => SyncRun, { description: 'Runs a sync of the school now and returns its run.' })
  async runSync(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: Context) {
    const id = parsePlainId(schoolId, 'schoolId');
    const result = await ctx.services.sync.runNow(ctx, id);
    const [run] = await ctx.services.sync.runs(ctx, id, 1, result.runId);
    return camelRow(run);
  }
}


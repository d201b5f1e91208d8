import { GraphQLJSON } from 'graphql-scalars';

import { Arg, Ctx, Field, Float, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { parsePlainId } from '../common/ids';
import type { Context } from '../graphql/context';

@ObjectType({ description: 'A field of an adapter’s configuration, for a form.' })
class AdapterConfigField {
  @Field() name: string;
  @Field() label: string;
  @Field({ description: 'string, url, path (a file or folder on the hub\'s machine), number or boolean.' }) type: string;
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
  @Field(() => Int, { nullable: true, description: 'Synced every this many minutes by the workers; null: only when asked.' }) everyMinutes: number | null;
  @Field(() => Float, { description: 'The share of a stream’s rows (0–1] a run may delete or change before it is held for review.' }) holdShare: number;
  @Field(() => Date, { nullable: true, description: 'When the last successful sync finished.' }) lastSyncedAt: Date | null;
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

@ObjectType({ description: 'One sync run: status, counts per stream (inserted, updated, unchanged, deleted, quarantined), the error or the hold if any.' })
class SyncRun {
  @Field(() => ID) id: string;
  @Field() adapterId: string;
  @Field({ description: 'running, succeeded, failed, held (waiting for review), approved or discarded (reviewed).' }) status: string;
  @Field({ description: 'manual, schedule, approval (of a held run) or retry (of quarantined records).' }) trigger: string;
  @Field() startedAt: Date;
  @Field(() => Date, { nullable: true }) finishedAt: Date | null;
  @Field(() => GraphQLJSON) counts: Record<string, unknown>;
  @Field(() => String, { nullable: true, description: 'config, transient, data or system.' }) errorKind: string | null;
  @Field(() => String, { nullable: true }) error: string | null;
  @Field(() => GraphQLJSON, { nullable: true, description: 'Why the run was held: { reason: deletions | changes, streams: [{ stream, rows, of, sample }] }.' })
  hold: unknown;
  @Field(() => Date, { nullable: true }) reviewedAt: Date | null;
  @Field(() => String, { nullable: true, description: 'The adapter’s latest report of how far it got, e.g. "pupils 16/36: 600 lessons, 1426 marks".' })
  progress: string | null;
}

@ObjectType({ description: 'A sync asked for: queued for the workers, or (in a hub without workers) already run.' })
class SyncRequest {
  @Field() queued: boolean;
  @Field(() => SyncRun, { nullable: true }) run: SyncRun | null;
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

  @Mutation(() => SyncRequest, { description: 'Asks for a sync of the school now; its run appears in syncRuns.' })
  async runSync(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: Context) {
    return requested(await ctx.services.sync.runNow(ctx, parsePlainId(schoolId, 'schoolId')));
  }

  @Mutation(() => SyncRequest, { description: 'Takes the school’s quarantined records in again, once what they lacked is fixed.' })
  async retryQuarantinedRecords(@Arg('schoolId', () => ID) schoolId: string, @Ctx() ctx: Context) {
    return requested(await ctx.services.sync.retryQuarantined(ctx, parsePlainId(schoolId, 'schoolId')));
  }

  @Mutation(() => SyncRequest, { description: 'Approves a held run (the sync runs again with the hold lifted) or discards it (its pending deletions are dropped).' })
  async reviewHeldSyncRun(@Arg('schoolId', () => ID) schoolId: string, @Arg('runId', () => ID) runId: string, @Arg('approve') approve: boolean, @Ctx() ctx: Context) {
    return requested(await ctx.services.sync.reviewHeldRun(ctx, parsePlainId(schoolId, 'schoolId'), parsePlainId(runId, 'runId'), approve));
  }

  @Mutation(() => SyncConnection, { description: 'Sets how often the workers sync the school (null: only when asked) and the hold share.' })
  setSyncSchedule(@Arg('schoolId', () => ID) schoolId: string, @Arg('everyMinutes', () => Int, { nullable: true }) everyMinutes: number | null,
    @Arg('holdShare', () => Float, { nullable: true }) holdShare: number | null, @Ctx() ctx: Context) {
    return ctx.services.sync.schedule(ctx, parsePlainId(schoolId, 'schoolId'), everyMinutes ?? null, holdShare ?? null);
  }
}

const requested = ({ queued, run }: { queued: boolean; run: Record<string, unknown> | null }) => ({ queued, run: run && camelRow(run) });

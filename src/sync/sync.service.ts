import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import type { Adapter, AdapterConfig, ConfigField } from '../../adapters/contract';
import { createHttpClient } from '../../adapters/contract';
import { AppError, badInput, notFound } from '../common/errors';
import type { Logger } from '../common/logger';
import type { Context } from '../graphql/context';
import { policy } from '../policy/policy';
import { recordAudit } from '../modules/audit/audit.service';
import { refreshStaleLearningRollups } from '../modules/metrics/learning-rollups';
import { discardDeletions } from './deletions';
import { isPrivateHost } from './private-addresses';
import { RunResult, SyncEngine } from './engine';
import { quarantineReplay } from './replay';
import { SecretBox } from './secrets';
import type { SyncJob, SyncQueue, SyncRunner } from './sync.jobs';

export interface ConnectionView {
  schoolId: string;
  adapterId: string;
  /** The configuration without its secret fields. */
  config: Record<string, unknown>;
  /** Which secret fields are set (their values are never returned). */
  secretsSet: string[];
  enabled: boolean;
  /** Synced every this many minutes; null: only when asked. */
  everyMinutes: number | null;
  /** The share of a stream's rows a run may delete or change before it is held for review. */
  holdShare: number;
  lastSyncedAt: Date | null;
}

/** A sync asked for: on the queue (the workers take it), or, in a hub without workers, run in the request. */
export interface SyncRequest {
  queued: boolean;
  run: Record<string, unknown> | null;
}

/**
 * The school's connection to its vendor system, for school IT staff and administration: which
 * adapter, its configuration (secrets encrypted at rest, never returned), testing it, finding the
 * school in the vendor's system, running a sync and reading runs and quarantined records.
 */
export class SyncService implements SyncRunner {
  private readonly byId: Map<string, Adapter>;
  private readonly engine: SyncEngine;
  private queue: SyncQueue | null = null;
  private readonly logger?: Logger;

  constructor(
    private readonly ds: DataSource, adapters: readonly Adapter[], private readonly secrets: SecretBox | null, logger?: Logger,
    private readonly limits: SourceLimits = { allowPrivateAddresses: false, filesDir: null },
  ) {
    this.byId = new Map(adapters.map((a) => [a.manifest.id, a]));
    this.engine = new SyncEngine(ds, { logger });
    this.logger = logger;
  }

  /** From now on syncs asked for go on the queue. */
  useQueue(queue: SyncQueue) {
    this.queue = queue;
  }

  adapters(ctx: Context): Adapter[] {
    policy.signedIn(ctx.viewer);
    return [...this.byId.values()];
  }

  async connection(ctx: Context, schoolId: string): Promise<ConnectionView | null> {
    policy.readSync(ctx.viewer, schoolId);
    return this.read(this.ds.manager, schoolId);
  }

  /**
   * Sets the school's adapter and configuration, checked against the adapter's declared fields.
   * A secret field left out keeps its stored value, so a form need not send it again.
   */
  async configure(ctx: Context, schoolId: string, adapterId: string, input: Record<string, unknown>): Promise<ConnectionView> {
    const viewer = policy.configureSync(ctx.viewer, schoolId);
    const adapter = this.byId.get(adapterId);
    if (!adapter) throw badInput('SYNC_ADAPTER_UNKNOWN', { adapterId: `"${adapterId}" is not an adapter of this hub (see the adapters query)` });
    const [existing] = await this.ds.query('SELECT * FROM sync_connection WHERE school_id = $1', [schoolId]);
    const keptSecrets = existing && existing.adapter_id === adapterId && existing.secrets ? this.openSecrets(existing.secrets) : {};
    const { plain, secret } = checkConfig(adapter.manifest.config, input, keptSecrets, this.limits);
    if (Object.keys(secret).length > 0 && !this.secrets) {
      throw new AppError('FAILED_PRECONDITION', 'SYNC_SECRETS_KEY_MISSING', 'Set SECRETS_KEY on the server to store vendor credentials.');
    }
    const sealed = Object.keys(secret).length > 0 ? this.secrets!.seal(secret) : null;
    return this.ds.transaction(async (em) => {
      const [row] = await em.query(
        `INSERT INTO sync_connection (school_id, adapter_id, config, secrets, secret_fields) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (school_id) DO UPDATE SET adapter_id = EXCLUDED.adapter_id, config = EXCLUDED.config, secrets = EXCLUDED.secrets,
           secret_fields = EXCLUDED.secret_fields, updated_at = now()
         RETURNING *`,
        [schoolId, adapterId, JSON.stringify(plain), sealed, Object.keys(secret)],
      );
      // Another system, or another school or address in it: the saved cursor no longer means anything.
      if (existing && (existing.adapter_id !== adapterId || JSON.stringify(existing.config) !== JSON.stringify(plain))) {
        await em.query('DELETE FROM sync_state_part WHERE school_id = $1', [schoolId]);
        await em.query('DELETE FROM sync_stream_digest WHERE school_id = $1', [schoolId]);
      }
      await em.query(`UPDATE school SET system_of_record = $2, updated_at = now() WHERE id = $1`, [schoolId, adapterId]);
      await recordAudit(em, [{
        action: 'sync.configured', schoolId, actorAccountId: viewer.accountId, subjectType: 'sync_connection', subjectId: schoolId,
        clientAddress: ctx.clientAddress, details: { adapterId, fields: Object.keys(plain), secrets: Object.keys(secret) },
      }]);
      return (await this.read(em, row.school_id))!;
    });
  }

  async test(ctx: Context, schoolId: string) {
    policy.configureSync(ctx.viewer, schoolId);
    const { adapter, config } = await this.load(schoolId);
    return adapter.check(config, this.adapterContext());
  }

  async vendorSchools(ctx: Context, schoolId: string) {
    policy.configureSync(ctx.viewer, schoolId);
    const { adapter, config } = await this.load(schoolId);
    return adapter.discoverSchools(config, this.adapterContext());
  }

  /** Asks for a sync of the school now. */
  async runNow(ctx: Context, schoolId: string): Promise<SyncRequest> {
    const viewer = policy.configureSync(ctx.viewer, schoolId);
    await this.load(schoolId);
    await recordAudit(this.ds.manager, [{ action: 'sync.requested', schoolId, actorAccountId: viewer.accountId, clientAddress: ctx.clientAddress }]);
    return this.request({ schoolId, trigger: 'manual' });
  }

  /** Takes the school's quarantined records in again, once what they lacked is fixed. */
  async retryQuarantined(ctx: Context, schoolId: string): Promise<SyncRequest> {
    const viewer = policy.configureSync(ctx.viewer, schoolId);
    await this.load(schoolId);
    await recordAudit(this.ds.manager, [{ action: 'sync.quarantine_retried', schoolId, actorAccountId: viewer.accountId, clientAddress: ctx.clientAddress }]);
    return this.request({ schoolId, trigger: 'retry' });
  }

  /**
   * IT staff's decision on a held run. Approving runs the sync again with the hold lifted (what the
   * source says is then taken whole); discarding keeps the data as it is and drops the pending
   * deletions — a source that still lacks the rows will be held again on its next run.
   */
  async reviewHeldRun(ctx: Context, schoolId: string, runId: string, approve: boolean): Promise<SyncRequest> {
    const viewer = policy.configureSync(ctx.viewer, schoolId);
    const { adapter } = await this.load(schoolId);
    await this.ds.transaction(async (em) => {
      const [run] = await em.query('SELECT status FROM sync_run WHERE school_id = $1 AND id = $2 FOR UPDATE', [schoolId, runId]);
      if (!run) throw notFound('sync run', runId);
      if (run.status !== 'held') throw new AppError('CONFLICT', 'SYNC_RUN_NOT_HELD', `The run is ${run.status}, not held: there is nothing to review.`);
      await em.query(`UPDATE sync_run SET status = $3, reviewed_by = $4, reviewed_at = now() WHERE school_id = $1 AND id = $2`,
        [schoolId, runId, approve ? 'approved' : 'discarded', viewer.accountId]);
      if (!approve) await discardDeletions(em, { schoolId, sourceSystem: adapter.manifest.id });
      await recordAudit(em, [{
        action: approve ? 'sync.hold_approved' : 'sync.hold_discarded', schoolId, actorAccountId: viewer.accountId,
        subjectType: 'sync_run', subjectId: runId, clientAddress: ctx.clientAddress,
      }]);
    });
    return approve ? this.request({ schoolId, trigger: 'approval', approved: true }) : { queued: false, run: (await this.runs(ctx, schoolId, 1, runId))[0] };
  }

  /** Sets how often the school is synced (null: only when asked) and the share of a stream a run may delete or change before it is held. */
  async schedule(ctx: Context, schoolId: string, everyMinutes: number | null, holdShare: number | null): Promise<ConnectionView> {
    const viewer = policy.configureSync(ctx.viewer, schoolId);
    const problems: Record<string, string> = {};
    if (everyMinutes !== null && !(Number.isInteger(everyMinutes) && everyMinutes >= 15 && everyMinutes <= 10080)) problems.everyMinutes = 'must be a whole number of minutes from 15 to 10080 (a week), or null';
    if (holdShare !== null && !(holdShare > 0 && holdShare <= 1)) problems.holdShare = 'must be above 0 and at most 1';
    if (Object.keys(problems).length > 0) throw badInput('SYNC_SCHEDULE_INVALID', problems);
    return this.ds.transaction(async (em) => {
      const [row] = await em.query('SELECT hold_share FROM sync_connection WHERE school_id = $1 FOR UPDATE', [schoolId]);
      if (!row) throw notFound('sync connection of school', schoolId);
      await em.query(`UPDATE sync_connection SET every_minutes = $2, hold_share = $3, updated_at = now() WHERE school_id = $1`,
        [schoolId, everyMinutes, holdShare ?? row.hold_share]);
      await recordAudit(em, [{
        action: 'sync.scheduled', schoolId, actorAccountId: viewer.accountId, subjectType: 'sync_connection', subjectId: schoolId,
        clientAddress: ctx.clientAddress, details: { everyMinutes, holdShare: holdShare ?? Number(row.hold_share) },
      }]);
      return (await this.read(em, schoolId))!;
    });
  }

  /** Schools whose schedule has come round: no run started within their interval. */
  async dueSchools(): Promise<string[]> {
    const rows: { school_id: string }[] = await this.ds.query(
      `SELECT c.school_id FROM sync_connection c
        WHERE c.enabled AND c.every_minutes IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM sync_run r WHERE r.school_id = c.school_id AND r.started_at > now() - make_interval(mins => c.every_minutes))`,
    );
    return rows.map((r) => r.school_id);
  }

  /** Runs one sync of the school (a worker's job, or a request in a hub without workers). */
  async execute(job: SyncJob): Promise<RunResult> {
    const { adapter, config, holdShare } = await this.load(job.schoolId);
    const source = job.trigger === 'retry' ? quarantineReplay(this.ds, job.schoolId, adapter) : adapter;
    const result = await this.engine.run(job.schoolId, source, config, { trigger: job.trigger, approved: job.approved, holdShare });
    // Here, off any request: the directorate's next read then finds the school's figures fresh instead of recomputing them.
    await refreshStaleLearningRollups(this.ds, job.schoolId)
      .catch((error) => this.logger?.warn({ schoolId: job.schoolId, err: error }, 'learning figures not refreshed after the sync; the next read will'));
    return result;
  }

  private async request(job: SyncJob): Promise<SyncRequest> {
    if (this.queue) {
      await this.queue.request(job);
      return { queued: true, run: null };
    }
    const result = await this.execute(job);
    const [run] = await this.ds.query('SELECT * FROM sync_run WHERE school_id = $1 AND id = $2', [job.schoolId, result.runId]);
    return { queued: false, run };
  }

  /** The school's runs, newest first (or the one run asked for). */
  async runs(ctx: Context, schoolId: string, limit: number, runId: string | null = null): Promise<Record<string, unknown>[]> {
    policy.readSync(ctx.viewer, schoolId);
    return this.ds.query(
      'SELECT * FROM sync_run WHERE school_id = $1 AND ($3::uuid IS NULL OR id = $3) ORDER BY started_at DESC LIMIT $2', [schoolId, limit, runId]);
  }

  /** Records a run could not take in, with the reason, grouped by cause first (where in a file and which value set aside). */
  async quarantine(ctx: Context, schoolId: string, runId: string | null, limit: number) {
    policy.readSync(ctx.viewer, schoolId);
    const [records, causes] = await Promise.all([
      this.ds.query(
        `SELECT * FROM sync_quarantine WHERE school_id = $1 AND ($2::uuid IS NULL OR run_id = $2) AND resolved_at IS NULL ORDER BY created_at, id LIMIT $3`,
        [schoolId, runId, limit]),
      this.ds.query(
        `SELECT stream, field, regexp_replace(regexp_replace(reason, '^[^:]* row [0-9]+: ', ''), '"[^"]*"', '"…"', 'g') AS cause, count(*)::int AS records
           FROM sync_quarantine WHERE school_id = $1 AND ($2::uuid IS NULL OR run_id = $2) AND resolved_at IS NULL
          GROUP BY 1, 2, 3 ORDER BY records DESC`,
        [schoolId, runId]),
    ]);
    return { records, causes };
  }

  /**
   * Every unresolved quarantined record (of one run, or all), as CSV for a spreadsheet: with a BOM, so
   * that Excel reads the Cyrillic right.
   */
  async quarantineCsv(ctx: Context, schoolId: string, runId: string | null): Promise<Buffer> {
    policy.readSync(ctx.viewer, schoolId);
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT q.created_at, q.run_id, q.stream, q.source_id, q.field, q.reason, q.payload::text AS payload FROM sync_quarantine q
        WHERE q.school_id = $1 AND ($2::uuid IS NULL OR q.run_id = $2) AND q.resolved_at IS NULL ORDER BY q.stream, q.created_at, q.id`,
      [schoolId, runId],
    );
    const csv = stringify(rows.map((r) => ({ ...r, created_at: (r.created_at as Date).toISOString() })), {
      header: true, bom: true,
      columns: [
        { key: 'stream', header: 'stream' }, { key: 'source_id', header: 'source id' }, { key: 'field', header: 'field' }, { key: 'reason', header: 'reason' },
        { key: 'payload', header: 'record as sent' }, { key: 'run_id', header: 'run' }, { key: 'created_at', header: 'quarantined at' },
      ],
    });
    return Buffer.from(csv, 'utf8');
  }

  private adapterContext() {
    const abort = new AbortController();
    return { http: createHttpClient(undefined, abort.signal), signal: abort.signal, log: () => undefined };
  }

  private async load(schoolId: string): Promise<{ adapter: Adapter; config: AdapterConfig; holdShare: number }> {
    const [row] = await this.ds.query('SELECT * FROM sync_connection WHERE school_id = $1', [schoolId]);
    if (!row) throw notFound('sync connection of school', schoolId);
    const adapter = this.byId.get(row.adapter_id);
    if (!adapter) throw new AppError('FAILED_PRECONDITION', 'SYNC_ADAPTER_GONE', `The adapter "${row.adapter_id}" is no longer part of this hub.`);
    return { adapter, config: { ...row.config, ...(row.secrets ? this.openSecrets(row.secrets) : {}) }, holdShare: Number(row.hold_share) };
  }

  private openSecrets(sealed: Buffer): Record<string, string> {
    if (!this.secrets) throw new AppError('FAILED_PRECONDITION', 'SYNC_SECRETS_KEY_MISSING', 'Set SECRETS_KEY on the server to use stored vendor credentials.');
    return this.secrets.open(sealed);
  }

  /** The connection as the API shows it, with the time of the last successful sync (the directorate's freshness figure). */
  private async read(em: Pick<DataSource['manager'], 'query'>, schoolId: string): Promise<ConnectionView | null> {
    const [row] = await em.query(
      `SELECT c.*, (SELECT max(r.finished_at) FROM sync_run r WHERE r.school_id = c.school_id AND r.status = 'succeeded') AS last_synced_at
         FROM sync_connection c WHERE c.school_id = $1`, [schoolId]);
    return row && {
      schoolId: row.school_id, adapterId: row.adapter_id, config: row.config, secretsSet: row.secret_fields, enabled: row.enabled,
      everyMinutes: row.every_minutes, holdShare: Number(row.hold_share), lastSyncedAt: row.last_synced_at,
    };
  }
}

/** What a school's configuration may point the hub at. */
export interface SourceLimits {
  /** Vendor addresses on the hub's machine or a private network (SYNC_ALLOW_PRIVATE_ADDRESSES). */
  allowPrivateAddresses: boolean;
  /** Files the hub reads (exports) must lie in this folder (SYNC_FILES_DIR); none: no file sources. */
  filesDir: string | null;
}

/** Whether a path, resolved, lies inside the folder: a school's configuration cannot make the hub read its own files. */
const insideFolder = (file: string, folder: string | null) => {
  if (!folder || !path.isAbsolute(file)) return false;
  const relative = path.relative(path.resolve(folder), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
};

/** Splits a configuration into plain and secret fields after checking it against the declared fields. */
function checkConfig(fields: ConfigField[], input: Record<string, unknown>, keptSecrets: Record<string, string>, limits: SourceLimits) {
  const problems: Record<string, string> = {};
  const plain: Record<string, unknown> = {};
  const secret: Record<string, string> = {};
  for (const key of Object.keys(input)) if (!fields.some((f) => f.name === key)) problems[`config.${key}`] = 'is not a field of this adapter';
  for (const field of fields) {
    const value = input[field.name] ?? (field.secret ? keptSecrets[field.name] : undefined) ?? field.default;
    if (value === undefined || value === '') {
      if (field.required) problems[`config.${field.name}`] = 'is required';
      continue;
    }
    const ok = field.type === 'number' ? typeof value === 'number' && Number.isFinite(value)
      : field.type === 'boolean' ? typeof value === 'boolean'
      : typeof value === 'string' && (field.type !== 'url' || /^https?:\/\/\S+$/.test(value));
    if (!ok) problems[`config.${field.name}`] = `must be ${field.type === 'url' ? 'an http(s) URL' : `a ${field.type}`}`;
    else if (field.type === 'url' && !limits.allowPrivateAddresses && isPrivateHost(value as string)) {
      problems[`config.${field.name}`] = 'points at this machine or a private network; a vendor system inside the network needs SYNC_ALLOW_PRIVATE_ADDRESSES=true on the server';
    } else if (field.type === 'path' && !insideFolder(value as string, limits.filesDir)) {
      problems[`config.${field.name}`] = limits.filesDir
        ? `must be a file or folder inside the hub's imports folder ${limits.filesDir}`
        : 'cannot be used: the server has no imports folder (SYNC_FILES_DIR)';
    } else if (field.secret) secret[field.name] = String(value);
    else plain[field.name] = value;
  }
  if (Object.keys(problems).length > 0) throw badInput('SYNC_CONFIG_INVALID', problems);
  return { plain, secret };
}

import { DataSource } from 'typeorm';
import type { Adapter, AdapterConfig, ConfigField } from '../../adapters/contract';
import { createHttpClient } from '../../adapters/contract';
import { AppError, badInput, notFound } from '../common/errors';
import type { Logger } from '../common/logger';
import type { Context } from '../graphql/context';
import { policy } from '../policy/policy';
import { recordAudit } from '../modules/audit/audit.service';
import { RunResult, SyncEngine } from './engine';
import { SecretBox } from './secrets';

export interface ConnectionView {
  schoolId: string;
  adapterId: string;
  /** The configuration without its secret fields. */
  config: Record<string, unknown>;
  /** Which secret fields are set (their values are never returned). */
  secretsSet: string[];
  enabled: boolean;
}

/**
 * The school's connection to its vendor system, for school IT staff and administration: which
 * adapter, its configuration (secrets encrypted at rest, never returned), testing it, finding the
 * school in the vendor's system, running a sync and reading runs and quarantined records.
 */
export class SyncService {
  private readonly byId: Map<string, Adapter>;
  private readonly engine: SyncEngine;

  constructor(private readonly ds: DataSource, adapters: readonly Adapter[], private readonly secrets: SecretBox | null, logger?: Logger) {
    this.byId = new Map(adapters.map((a) => [a.manifest.id, a]));
    this.engine = new SyncEngine(ds, { logger });
  }

  adapters(ctx: Context): Adapter[] {
    policy.signedIn(ctx.viewer);
    return [...this.byId.values()];
  }

  async connection(ctx: Context, schoolId: string): Promise<ConnectionView | null> {
    policy.readSync(ctx.viewer, schoolId);
    const [row] = await this.ds.query('SELECT * FROM sync_connection WHERE school_id = $1', [schoolId]);
    return row ? this.view(row) : null;
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
    const { plain, secret } = checkConfig(adapter.manifest.config, input, keptSecrets);
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
        await em.query('DELETE FROM sync_state WHERE school_id = $1', [schoolId]);
      }
      await em.query(`UPDATE school SET system_of_record = $2, updated_at = now() WHERE id = $1`, [schoolId, adapterId]);
      await recordAudit(em, [{
        action: 'sync.configured', schoolId, actorAccountId: viewer.accountId, subjectType: 'sync_connection', subjectId: schoolId,
        clientAddress: ctx.clientAddress, details: { adapterId, fields: Object.keys(plain), secrets: Object.keys(secret) },
      }]);
      return this.view(row);
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

  /** Runs a sync now and waits for it (the scheduler comes with workers). */
  async runNow(ctx: Context, schoolId: string): Promise<RunResult> {
    const viewer = policy.configureSync(ctx.viewer, schoolId);
    const { adapter, config } = await this.load(schoolId);
    await recordAudit(this.ds.manager, [{ action: 'sync.started', schoolId, actorAccountId: viewer.accountId, clientAddress: ctx.clientAddress }]);
    return this.engine.run(schoolId, adapter, config);
  }

  /** The school's runs, newest first (or the one run asked for). */
  async runs(ctx: Context, schoolId: string, limit: number, runId: string | null = null): Promise<Record<string, unknown>[]> {
    policy.readSync(ctx.viewer, schoolId);
    return this.ds.query(
      'SELECT * FROM sync_run WHERE school_id = $1 AND ($3::uuid IS NULL OR id = $3) ORDER BY started_at DESC LIMIT $2', [schoolId, limit, runId]);
  }

  /** Records a run could not take in, with the reason, grouped by cause first. */
  async quarantine(ctx: Context, schoolId: string, runId: string | null, limit: number) {
    policy.readSync(ctx.viewer, schoolId);
    const [records, causes] = await Promise.all([
      this.ds.query(
        `SELECT * FROM sync_quarantine WHERE school_id = $1 AND ($2::uuid IS NULL OR run_id = $2) AND resolved_at IS NULL ORDER BY created_at, id LIMIT $3`,
        [schoolId, runId, limit]),
      this.ds.query(
        `SELECT stream, field, regexp_replace(reason, '"[^"]*"', '"…"', 'g') AS cause, count(*)::int AS records
           FROM sync_quarantine WHERE school_id = $1 AND ($2::uuid IS NULL OR run_id = $2) AND resolved_at IS NULL
          GROUP BY 1, 2, 3 ORDER BY records DESC`,
        [schoolId, runId]),
    ]);
    return { records, causes };
  }

  private adapterContext() {
    const abort = new AbortController();
    return { http: createHttpClient(undefined, abort.signal), signal: abort.signal, log: () => undefined };
  }

  private async load(schoolId: string): Promise<{ adapter: Adapter; config: AdapterConfig }> {
    const [row] = await this.ds.query('SELECT * FROM sync_connection WHERE school_id = $1', [schoolId]);
    if (!row) throw notFound('sync connection of school', schoolId);
    const adapter = this.byId.get(row.adapter_id);
    if (!adapter) throw new AppError('FAILED_PRECONDITION', 'SYNC_ADAPTER_GONE', `The adapter "${row.adapter_id}" is no longer part of this hub.`);
    return { adapter, config: { ...row.config, ...(row.secrets ? this.openSecrets(row.secrets) : {}) } };
  }

  private openSecrets(sealed: Buffer): Record<string, string> {
    if (!this.secrets) throw new AppError('FAILED_PRECONDITION', 'SYNC_SECRETS_KEY_MISSING', 'Set SECRETS_KEY on the server to use stored vendor credentials.');
    return this.secrets.open(sealed);
  }

  private view(row: { school_id: string; adapter_id: string; config: Record<string, unknown>; secret_fields: string[]; enabled: boolean }): ConnectionView {
    return { schoolId: row.school_id, adapterId: row.adapter_id, config: row.config, secretsSet: row.secret_fields, enabled: row.enabled };
  }
}

/** Splits a configuration into plain and secret fields after checking it against the declared fields. */
function checkConfig(fields: ConfigField[], input: Record<string, unknown>, keptSecrets: Record<string, string>) {
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
    else if (field.secret) secret[field.name] = String(value);
    else plain[field.name] = value;
  }
  if (Object.keys(problems).length > 0) throw badInput('SYNC_CONFIG_INVALID', problems);
  return { plain, secret };
}

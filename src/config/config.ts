import 'reflect-metadata';
import path from 'node:path';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min, validateSync } from 'class-validator';

/**
 * Every environment variable the hub reads, with its default. Validated once at start-up: a wrong
 * value stops the process with a message naming the variable, instead of surfacing later.
 * The README's "Configuration" table mirrors this class.
 */
export class Config {
  @IsIn(['development', 'production', 'test']) nodeEnv: 'development' | 'production' | 'test' = 'development';
  @IsInt() @Min(0) @Max(65535) port = 4000;
  @IsString() host = '0.0.0.0';
  /** When unset, an embedded PostgreSQL is started with its data under `dataDir`. */
  @IsOptional() @IsString() databaseUrl?: string;
  @IsString() dataDir = path.resolve('.data');
  @IsInt() @Min(1024) @Max(65535) embeddedPgPort = 54329;

  @IsInt() @Min(1) @Max(200) dbPoolMax = 10;
  /** How long a request waits for a pooled connection before failing fast (node-postgres waits forever by default). */
  @IsInt() @Min(100) dbConnectionTimeoutMs = 3000;
  @IsInt() @Min(100) dbStatementTimeoutMs = 15000;
  @IsInt() @Min(100) dbLockTimeoutMs = 5000;
  @IsInt() @Min(100) dbIdleInTransactionTimeoutMs = 30000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) logLevel = 'info';
  /** Load the demo municipality on first start with an empty database. */
  @IsBoolean() demoData = true;
  /** Introspection and field suggestions; off by default in production. */
  @IsOptional() @IsBoolean() graphqlIntrospection?: boolean;
  @IsInt() @Min(0) shutdownGraceMs = 10000;
  /** SMTP server for e-mails to parents, e.g. smtp://user:password@mail.example.ru:587; unset = e-mails wait in the outbox. */
  @IsOptional() @IsString() smtpUrl?: string;
  @IsString() mailFrom = 'journal-hub <no-reply@localhost>';
  /** 32 bytes in base64 that encrypt vendor credentials; with the embedded PostgreSQL one is generated in DATA_DIR. */
  @IsOptional() @IsString() secretsKey?: string;
  /** How long a sign-in lasts. */
  @IsInt() @Min(1) @Max(720) sessionTtlHours = 12;
  /** Schools the API process syncs at once; 0 leaves syncing to `npm run worker` processes. */
  @IsInt() @Min(0) @Max(32) syncWorkers = 1;
  /** Allow vendor systems at this machine's or private networks' addresses (refused by default: server-side request forgery). */
  @IsBoolean() syncAllowPrivateAddresses = false;
  /** The folder file exports (OneRoster CSV) must be delivered into; default: `imports` in DATA_DIR. */
  @IsOptional() @IsString() syncFilesDir?: string;
}

type Kind = 'int' | 'bool' | 'string';
const ENV: Record<keyof Config, [name: string, kind: Kind]> = {
  nodeEnv: ['NODE_ENV', 'string'],
  port: ['PORT', 'int'],
  host: ['HOST', 'string'],
  databaseUrl: ['DATABASE_URL', 'string'],
  dataDir: ['DATA_DIR', 'string'],
  embeddedPgPort: ['EMBEDDED_PG_PORT', 'int'],
  dbPoolMax: ['DB_POOL_MAX', 'int'],
  dbConnectionTimeoutMs: ['DB_CONNECTION_TIMEOUT_MS', 'int'],
  dbStatementTimeoutMs: ['DB_STATEMENT_TIMEOUT_MS', 'int'],
  dbLockTimeoutMs: ['DB_LOCK_TIMEOUT_MS', 'int'],
  dbIdleInTransactionTimeoutMs: ['DB_IDLE_IN_TRANSACTION_TIMEOUT_MS', 'int'],
  logLevel: ['LOG_LEVEL', 'string'],
  demoData: ['DEMO_DATA', 'bool'],
  graphqlIntrospection: ['GRAPHQL_INTROSPECTION', 'bool'],
  shutdownGraceMs: ['SHUTDOWN_GRACE_MS', 'int'],
  sessionTtlHours: ['SESSION_TTL_HOURS', 'int'],
  smtpUrl: ['SMTP_URL', 'string'],
  mailFrom: ['MAIL_FROM', 'string'],
  secretsKey: ['SECRETS_KEY', 'string'],
  syncWorkers: ['SYNC_WORKERS', 'int'],
  syncAllowPrivateAddresses: ['SYNC_ALLOW_PRIVATE_ADDRESSES', 'bool'],
  syncFilesDir: ['SYNC_FILES_DIR', 'string'],
};

export class ConfigError extends Error {}

/** Reads and validates the configuration from an environment (process.env by default). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = new Config();
  const target = config as unknown as Record<string, unknown>;
  for (const [key, [name, kind]] of Object.entries(ENV)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    target[key] = kind === 'int' && /^-?\d+$/.test(raw) ? Number(raw)
      : kind === 'bool' && /^(1|0|true|false|yes|no|on|off)$/i.test(raw) ? /^(1|true|yes|on)$/i.test(raw)
      : raw;
  }
  const errors = validateSync(config);
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const name = ENV[e.property as keyof Config][0];
      return `${name}=${JSON.stringify(env[name])}: ${Object.values(e.constraints ?? {}).join('; ')}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  config.dataDir = path.resolve(config.dataDir);
  config.syncFilesDir = path.resolve(config.syncFilesDir ?? path.join(config.dataDir, 'imports'));
  config.graphqlIntrospection ??= config.nodeEnv !== 'production';
  return config;
}

import type { StreamName, StreamRecords } from './records';

/** One field of an adapter's configuration, described so that a UI can render it as a form. */
export interface ConfigField {
  name: string;
  label: string;
  /** `path`: a file or folder on the hub's machine (the hub keeps such paths inside its imports folder). */
  type: 'string' | 'url' | 'path' | 'number' | 'boolean';
  required: boolean;
  /** Secret fields are encrypted at rest, never returned by the API and never logged. */
  secret?: boolean;
  description?: string;
  default?: string | number | boolean;
}

/** What an adapter is: its identity, its configuration and what it can read. */
export interface AdapterManifest {
  /** kebab-case, never changed: it is stored with every synced row (source_system). */
  id: string;
  displayName: string;
  vendor: string;
  version: string;
  config: ConfigField[];
  capabilities: {
    streams: StreamName[];
    /** Streams read incrementally from the saved state (the others are read whole each run). */
    incremental: StreamName[];
    /** Streams where the vendor reports deletions; for full reads the engine infers them from what is missing. */
    deletions: StreamName[];
  };
}

export type AdapterConfig = Record<string, string | number | boolean | undefined>;

/**
 * An adapter's own saved state (cursors, watermarks, what it keeps of the vendor's data between runs):
 * saved with the data it follows, entry by entry — a checkpoint rewrites only the top-level entries
 * whose json changed, so something large that rarely changes is best kept under a key of its own. An
 * empty state is read back as none (null).
 */
export type AdapterState = Record<string, unknown>;

/**
 * What an adapter yields while reading, in order. A record may refer to records of other streams
 * yielded before it or after it, but before the next checkpoint: at a checkpoint every reference
 * must be resolvable, or the record is quarantined.
 */
export type AdapterMessage =
  | { [S in StreamName]: { type: 'record'; stream: S; record: StreamRecords[S] } }[StreamName]
  /** The vendor says the record is gone. */
  | { type: 'deleted'; stream: StreamName; sourceId: string }
  /** The stream was read whole in this run: rows of it not seen are gone from the source. */
  | { type: 'complete'; stream: StreamName }
  /** Everything yielded so far may be committed, and reading can resume from `state`. */
  | { type: 'checkpoint'; state: AdapterState }
  | { type: 'progress'; message: string };

export interface AdapterContext {
  /** HTTP with retries of transient failures (see ./http.ts). */
  http: import('./http').HttpClient;
  /** Ends the read early when the run is cancelled. */
  signal: AbortSignal;
  log(message: string, details?: Record<string, unknown>): void;
}

export interface CheckResult {
  ok: boolean;
  /** What is wrong, in words IT staff can act on. */
  problems: string[];
}

/**
 * The contract every adapter fulfils (DESIGN rule 4: an adapter imports only this folder).
 * Modelled on the Airbyte protocol: spec (the manifest) / check / discover / read.
 */
export interface Adapter {
  manifest: AdapterManifest;
  /** Reachable, credentials accepted, the school found. */
  check(config: AdapterConfig, ctx: AdapterContext): Promise<CheckResult>;
  /** The vendor's schools, for IT staff to map one to a hub school. */
  discoverSchools(config: AdapterConfig, ctx: AdapterContext): Promise<{ sourceId: string; name: string }[]>;
  /** Reads the school's data from the last saved state (null for a first, full read). */
  read(config: AdapterConfig, state: AdapterState | null, ctx: AdapterContext): AsyncIterable<AdapterMessage>;
}

/**
 * Why an adapter failed. `config`: retrying cannot help (wrong credentials, unknown school) — the
 * run ends with the message for IT staff; `transient`: the vendor is down or throttling, worth a
 * later retry; `data`: a record cannot be understood (the engine quarantines it and goes on).
 */
export class AdapterError extends Error {
  constructor(readonly kind: 'config' | 'transient' | 'data', message: string) {
    super(message);
    this.name = 'AdapterError';
  }
}

/**
 * A failure met by check(), in words IT staff can act on: a `config` failure says what to fix as it
 * is; any other is what was being done, the cause, and where to look (`system`: "the provider").
 */
export function checkProblem(error: unknown, doing: string, system: string): string {
  if (error instanceof AdapterError && error.kind === 'config') return error.message;
  return `${doing}: ${error instanceof Error ? error.message : String(error)}. Check the address and that ${system} is up; try again later.`;
}

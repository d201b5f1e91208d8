import type { Adapter, AdapterConfig, StreamName } from '../../../adapters/contract';

/** A record of a source, as the contract suite names it. */
export interface SourceRef {
  stream: StreamName;
  sourceId: string;
}

/**
 * One school's data at a vendor, as the shared contract suite (./suite.ts) syncs it: a simulator
 * started with generated data, or a folder of export files. Each adapter's test folder provides one.
 */
export interface ContractSource {
  /** The configuration that reads the school, secrets included. */
  config: AdapterConfig;
  /**
   * A configuration that reads the source's current data whole, when `config` may be left pointing at
   * changes only (a delta export); the suite syncs a fresh school from it to know what a sync must end with.
   */
  whole?(): Promise<AdapterConfig>;
  /** The same configuration with credentials the vendor refuses; null when the source has none (files). */
  wrongCredentials: AdapterConfig | null;
  /**
   * Changes a few records the way the vendor's users would (some marks' values, a lesson's topic or
   * homework, a student's name) and adds a mark. The suite compares an incremental sync of the
   * changed source with a full sync of it into another school: they must hold the same rows.
   */
  change(): Promise<void>;
  /**
   * Deletes some records the way the vendor does (at least a mark, and a student's enrollment or a
   * lesson) and returns them: after the next sync each must be deleted in source in the hub.
   */
  remove(): Promise<SourceRef[]>;
  /** Makes one record malformed as the vendor might serve it on the next read; returns it. */
  malform(): Promise<SourceRef>;
  /** The next `requests` requests fail transiently (5xx, or 429 with Retry-After); then the vendor recovers. */
  outage(requests: number): void;
  close(): Promise<void>;
}

export interface ContractSubject {
  adapter: Adapter;
  /**
   * A fresh source for one school with generated data (several classes, weeks of lessons, marks,
   * and whatever else the adapter's streams carry), the same for the same seed. Kept small (a few
   * hundred marks): the suite syncs it many times.
   */
  open(seed: number): Promise<ContractSource>;
}

import { LocalServer } from '../../../simulator-kit/local-server';
import { TokenIssuer } from './auth';
import { createClock, SimulatorClock } from './clock';
import { viewNamed } from './collections';
import { generateDataset } from './data/generate';
import { withOrigin } from './endpoints';
import { FaultInjector } from './faults';
import { OneRosterRecord } from './model';
import { Faults, resolveOptions, ResolvedOptions, SimulatorOptions } from './options';
import { RequestLogEntry, simulatorHandler } from './server';
import { RecordStore } from './store';

export type { Faults, SimulatorOptions } from './options';
export type { RequestLogEntry } from './server';
export type { SimulatorClock } from './clock';
export { GRADEBOOK_BASE_PATH, ROSTERING_BASE_PATH } from './model';
export { SCOPE_PREFIX } from './auth';

/**
 * A OneRoster 1.2 REST provider for tests and the demo: OAuth 2.0 client credentials at `POST /token`, the
 * rostering and gradebook services with paging, sorting, field selection and filters, faults on demand, and
 * data for a Russian school that tests can change to exercise incremental sync. Its clock stamps the changes
 * and dates the answers (HTTP Date); it moves only when a test moves it.
 *
 * Collections are named as OneRoster names its endpoints: `orgs`, `schools`, `users`, `students`, `terms`,
 * `enrollments`, `lineItems`, `results`, … A change through `students` changes the user.
 */
export class OneRosterSimulator {
  readonly requests: RequestLogEntry[] = [];
  readonly clock: SimulatorClock = createClock();
  private readonly options: ResolvedOptions;
  private readonly store: RecordStore;
  private readonly faults: FaultInjector;
  private readonly auth: TokenIssuer;
  private readonly server: LocalServer;
  private origin = '';

  constructor(options: SimulatorOptions = {}) {
    this.options = resolveOptions(options);
    this.store = new RecordStore(generateDataset(this.options), this.clock);
    this.faults = new FaultInjector(this.options.seed);
    this.auth = new TokenIssuer(this.options, this.clock);
    this.server = new LocalServer(simulatorHandler({
      store: this.store, auth: this.auth, faults: this.faults, maxPageSize: this.options.maxPageSize, log: this.requests, origin: () => this.origin,
      clock: this.clock,
    }));
  }

  /** Listens on 127.0.0.1 only (port 0: any free port) and returns the base URL, e.g. http://127.0.0.1:40123. */
  async start(port = 0): Promise<string> {
    this.origin = await this.server.start(port);
    return this.origin;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Replaces the faults in force (pass {} to clear them) and restarts their seeded sequence. */
  setFaults(faults: Faults): void {
    this.faults.set(faults);
  }

  /** Merges the patch into the record and stamps dateLastModified with the clock's time. */
  update(collection: string, sourcedId: string, patch: Record<string, unknown>): void {
    this.store.update(viewNamed(collection).stored, sourcedId, patch);
  }

  /** Adds a record (sourcedId required; status defaults to active), stamped with the clock's time. */
  add(collection: string, record: Record<string, unknown>): void {
    this.store.add(viewNamed(collection).stored, record);
  }

  /** Flags the record `tobedeleted` and stamps it: it stays listed, as providers keep tombstones. */
  remove(collection: string, sourcedId: string): void {
    this.store.markDeleted(viewNamed(collection).stored, sourcedId);
  }

  /** Drops the record entirely, leaving no trace for a delta sync: only a full reconciliation notices. */
  removeHard(collection: string, sourcedId: string): void {
    this.store.delete(viewNamed(collection).stored, sourcedId);
  }

  /**
   * The current data of a collection, tombstones included, as the provider serves it (hrefs absolute once
   * started) but never malformed: what a correct sync should end up with. A copy; changing it changes nothing.
   */
  records(collection: string): Record<string, unknown>[] {
    const view = viewNamed(collection);
    return this.store.all(view.stored).filter(view.includes).map((record) => withOrigin(record, this.origin) as OneRosterRecord);
  }
}

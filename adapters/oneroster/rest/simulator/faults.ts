import { GuidRef, OneRosterRecord, StoredCollection } from './model';
import { Faults } from './options';
import { SeededRandom } from '../../../simulator-kit/random';

export type DataRequestFault = 'throttled' | 'failed' | undefined;

/**
 * Decides which requests fail. Every `set` starts a fresh, seeded scenario: the same faults and the same
 * request sequence give the same failures, run after run.
 */
export class FaultInjector {
  private faults: Faults;
  private random: SeededRandom;
  private dataRequests: number;
  private readonly tokenUses = new Map<string, number>();
  private malformed: Set<string>;
  private failuresLeft: number;

  constructor(private readonly seed: number) {
    this.set({});
  }

  set(faults: Faults): void {
    checkFaults(faults);
    this.faults = { ...faults };
    // A stream of its own: the failure sequence depends on the seed alone, not on how much the data used.
    this.random = new SeededRandom(this.seed ^ 0x5eed);
    this.dataRequests = 0;
    this.tokenUses.clear();
    this.malformed = new Set(faults.malformed ?? []);
    this.failuresLeft = faults.failNext ?? 0;
  }

  get down(): boolean {
    return this.faults.down === true;
  }

  get latencyMs(): number {
    return this.faults.latencyMs ?? 0;
  }

  /** Counts a use of the token; false once it has been used more than `expireTokensAfter` times. */
  tokenStillWorks(token: string): boolean {
    const uses = (this.tokenUses.get(token) ?? 0) + 1;
    this.tokenUses.set(token, uses);
    return this.faults.expireTokensAfter === undefined || uses <= this.faults.expireTokensAfter;
  }

  /** Called once per authorised data request. */
  nextDataRequest(): DataRequestFault {
    this.dataRequests++;
    // Drawn on every request, so the failure sequence does not shift when throttling is switched on.
    const draw = this.random.next();
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      return 'failed';
    }
    const { throttleEvery, failureRate } = this.faults;
    if (throttleEvery && this.dataRequests % throttleEvery === 0) return 'throttled';
    if (failureRate && draw < failureRate) return 'failed';
    return undefined;
  }

  /** The record as served: broken the way its collection's consumers least expect, if it is listed as malformed. */
  served(collection: StoredCollection, record: OneRosterRecord): OneRosterRecord {
    if (!this.malformed.has(record.sourcedId as string)) return record;
    const broken = { ...record };
    switch (collection) {
      case 'results':
        broken.score = 'abc';
        break;
      case 'users':
        delete broken.familyName;
        break;
      case 'lineItems':
        broken.assignDate = '31.09.2026';
        break;
      case 'enrollments':
        broken.user = { href: (record.user as GuidRef).href, type: 'user' };
        break;
      default:
        broken.dateLastModified = 'вчера';
    }
    return broken;
  }
}

function checkFaults({ latencyMs, failureRate, throttleEvery, expireTokensAfter, failNext }: Faults): void {
  const problems = [
    failNext !== undefined && !(Number.isInteger(failNext) && failNext >= 0) && 'failNext must be a whole number from 0',
    latencyMs !== undefined && !(latencyMs >= 0) && 'latencyMs must be 0 or more',
    failureRate !== undefined && !(failureRate >= 0 && failureRate <= 1) && 'failureRate must be from 0 to 1',
    throttleEvery !== undefined && !(Number.isInteger(throttleEvery) && throttleEvery >= 1) && 'throttleEvery must be a whole number from 1',
    expireTokensAfter !== undefined && !(Number.isInteger(expireTokensAfter) && expireTokensAfter >= 0) && 'expireTokensAfter must be a whole number from 0',
  ].filter(Boolean);
  if (problems.length > 0) throw new RangeError(problems.join('; '));
}

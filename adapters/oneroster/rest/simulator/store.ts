import { SimulatorClock } from './clock';
import { Dataset, OneRosterRecord, STORED_COLLECTIONS, StoredCollection } from './model';
import { instantOf } from './values';

/**
 * The provider's data, collection by collection, in insertion order (the default order of every listing,
 * so pages stay stable while nothing is added). Every change is stamped with the simulator's clock.
 */
export class RecordStore {
  private readonly collections = new Map<StoredCollection, Map<string, OneRosterRecord>>();
  private readonly changes = new Map<StoredCollection, number>();
  /** Per collection, once asked for, its records in the order of their dateLastModified (see modifiedAfter). */
  private readonly byModification = new Map<StoredCollection, ModificationIndex>();
  /** Each record's place in the insertion order. */
  private readonly places = new WeakMap<OneRosterRecord, number>();
  private added = 0;

  constructor(
    dataset: Dataset,
    private readonly clock: SimulatorClock,
  ) {
    for (const name of STORED_COLLECTIONS) {
      this.collections.set(name, new Map(dataset[name].map((record) => [record.sourcedId as string, this.placed(record)])));
    }
  }

  /** Grows with every change: what was computed from the data at one version holds until the next. */
  get version(): number {
    let all = 0;
    for (const n of this.changes.values()) all += n;
    return all;
  }

  /** Grows with every change of the collection. */
  versionOf(collection: StoredCollection): number {
    return this.changes.get(collection) ?? 0;
  }

  all(collection: StoredCollection): OneRosterRecord[] {
    return [...this.collection(collection).values()];
  }

  get(collection: StoredCollection, sourcedId: string): OneRosterRecord | undefined {
    return this.collection(collection).get(sourcedId);
  }

  update(collection: StoredCollection, sourcedId: string, patch: OneRosterRecord): void {
    const record = this.existing(collection, sourcedId);
    this.byModification.get(collection)?.remove(record);
    Object.assign(record, structuredClone(patch), { sourcedId, dateLastModified: this.stamp() });
    this.byModification.get(collection)?.insert(record);
    this.changed(collection);
  }

  /**
   * The records of a collection changed after `instant` (at or after it when `inclusive`), as a
   * provider's database answers `dateLastModified>'…'` from an index rather than reading every record;
   * with the records whose stamp is not a date, which only the filter itself can judge. In insertion
   * order, as all() gives them.
   */
  modifiedAfter(collection: StoredCollection, instant: number, inclusive: boolean): OneRosterRecord[] {
    let index = this.byModification.get(collection);
    if (!index) {
      index = new ModificationIndex(this.collection(collection).values());
      this.byModification.set(collection, index);
    }
    return index.after(instant, inclusive).sort((a, b) => this.places.get(a)! - this.places.get(b)!);
  }

  add(collection: StoredCollection, record: OneRosterRecord): void {
    const sourcedId = record.sourcedId;
    if (typeof sourcedId !== 'string' || sourcedId === '') throw new Error(`a new ${collection} record needs a sourcedId`);
    if (this.collection(collection).has(sourcedId)) throw new Error(`${collection} already has ${sourcedId}`);
    const added = { sourcedId, status: 'active', metadata: {}, ...structuredClone(record), dateLastModified: this.stamp() };
    this.collection(collection).set(sourcedId, this.placed(added));
    this.byModification.get(collection)?.insert(added);
    this.changed(collection);
  }

  /** What providers do: the record stays, flagged, and is the only signal of the deletion a delta sync gets. */
  markDeleted(collection: StoredCollection, sourcedId: string): void {
    const record = this.existing(collection, sourcedId);
    this.byModification.get(collection)?.remove(record);
    Object.assign(record, { status: 'tobedeleted', dateLastModified: this.stamp() });
    this.byModification.get(collection)?.insert(record);
    this.changed(collection);
  }

  /** What providers may also do ("not under any compulsion" to keep tombstones): the record is simply gone. */
  delete(collection: StoredCollection, sourcedId: string): void {
    this.byModification.get(collection)?.remove(this.existing(collection, sourcedId));
    this.collection(collection).delete(sourcedId);
    this.changed(collection);
  }

  private placed(record: OneRosterRecord): OneRosterRecord {
    this.places.set(record, this.added++);
    return record;
  }

  private changed(collection: StoredCollection): void {
    this.changes.set(collection, this.versionOf(collection) + 1);
  }

  private collection(name: StoredCollection): Map<string, OneRosterRecord> {
    const collection = this.collections.get(name);
    if (!collection) throw new Error(`no collection ${name}; stored collections are ${STORED_COLLECTIONS.join(', ')}`);
    return collection;
  }

  private existing(collection: StoredCollection, sourcedId: string): OneRosterRecord {
    const record = this.collection(collection).get(sourcedId);
    if (!record) throw new Error(`${collection} has no record ${sourcedId}`);
    return record;
  }

  private stamp(): string {
    return this.clock.now().toISOString();
  }
}

/** A collection's records ordered by their dateLastModified instant, kept in order as they change. */
class ModificationIndex {
  private readonly instants: number[] = [];
  private readonly records: OneRosterRecord[] = [];
  /** Records whose stamp is not a date. */
  private readonly unstamped = new Set<OneRosterRecord>();

  constructor(records: Iterable<OneRosterRecord>) {
    const dated: { instant: number; record: OneRosterRecord }[] = [];
    for (const record of records) {
      const instant = stampOf(record);
      if (instant === null) this.unstamped.add(record);
      else dated.push({ instant, record });
    }
    dated.sort((a, b) => a.instant - b.instant);
    for (const { instant, record } of dated) {
      this.instants.push(instant);
      this.records.push(record);
    }
  }

  after(instant: number, inclusive: boolean): OneRosterRecord[] {
    return [...this.records.slice(this.firstAfter(instant, inclusive)), ...this.unstamped];
  }

  insert(record: OneRosterRecord): void {
    const instant = stampOf(record);
    if (instant === null) return void this.unstamped.add(record);
    // A change is stamped with the clock's now: nearly always the end.
    const at = this.firstAfter(instant, false);
    this.instants.splice(at, 0, instant);
    this.records.splice(at, 0, record);
  }

  remove(record: OneRosterRecord): void {
    const instant = stampOf(record);
    if (instant === null) return void this.unstamped.delete(record);
    for (let i = this.firstAfter(instant, true); i < this.records.length && this.instants[i] === instant; i++) {
      if (this.records[i] === record) {
        this.instants.splice(i, 1);
        this.records.splice(i, 1);
        return;
      }
    }
  }

  /** The first position whose instant is after `instant` (or equal to it, when inclusive). */
  private firstAfter(instant: number, inclusive: boolean): number {
    let low = 0;
    let high = this.instants.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (inclusive ? this.instants[middle] < instant : this.instants[middle] <= instant) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

const stampOf = (record: OneRosterRecord): number | null =>
  typeof record.dateLastModified === 'string' ? instantOf(record.dateLastModified) : null;

import { SimulatorClock } from './clock';
import { Dataset, OneRosterRecord, STORED_COLLECTIONS, StoredCollection } from './model';

/**
 * The provider's data, collection by collection, in insertion order (the default order of every listing,
 * so pages stay stable while nothing is added). Every change is stamped with the simulator's clock.
 */
export class RecordStore {
  private readonly collections = new Map<StoredCollection, Map<string, OneRosterRecord>>();
  private readonly changes = new Map<StoredCollection, number>();

  constructor(
    dataset: Dataset,
    private readonly clock: SimulatorClock,
  ) {
    for (const name of STORED_COLLECTIONS) {
      this.collections.set(name, new Map(dataset[name].map((record) => [record.sourcedId as string, record])));
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
    Object.assign(record, structuredClone(patch), { sourcedId, dateLastModified: this.stamp() });
    this.changed(collection);
  }

  add(collection: StoredCollection, record: OneRosterRecord): void {
    const sourcedId = record.sourcedId;
    if (typeof sourcedId !== 'string' || sourcedId === '') throw new Error(`a new ${collection} record needs a sourcedId`);
    if (this.collection(collection).has(sourcedId)) throw new Error(`${collection} already has ${sourcedId}`);
    this.collection(collection).set(sourcedId, {
      sourcedId, status: 'active', metadata: {}, ...structuredClone(record), dateLastModified: this.stamp(),
    });
    this.changed(collection);
  }

  /** What providers do: the record stays, flagged, and is the only signal of the deletion a delta sync gets. */
  markDeleted(collection: StoredCollection, sourcedId: string): void {
    Object.assign(this.existing(collection, sourcedId), { status: 'tobedeleted', dateLastModified: this.stamp() });
    this.changed(collection);
  }

  /** What providers may also do ("not under any compulsion" to keep tombstones): the record is simply gone. */
  delete(collection: StoredCollection, sourcedId: string): void {
    this.existing(collection, sourcedId);
    this.collection(collection).delete(sourcedId);
    this.changed(collection);
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

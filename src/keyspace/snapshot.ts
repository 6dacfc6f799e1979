/**
 * Point-in-time snapshots of the keyspace without fork(), for BGSAVE and the AOF rewrite.
 *
 * Starting one costs O(1) per database: raise every database's epoch to a new value E
 * and keep a reference to each database's live entry array. Entries stamped below E
 * existed at the start and are owed; new entries are stamped E or later and never are.
 * The snapshot walks each array from the end down (swap-with-last removal only ever
 * moves an entry from above the cursor to below it, never the other way, so no owed entry
 * is skipped); FLUSHDB replaces the array, SWAPDB moves it whole, so the array object
 * keeps identifying the database the entry started in. Before an owed entry changes, is
 * overwritten, loses or gains a TTL, or goes away, Database.notifyChange calls `seize`
 * and the sink gets the entry as it still is (`early`: copy it now, it changes next).
 *
 * Invariants: each owed entry reaches the sink exactly once, with its value and TTL as of
 * the start, attributed to the database it was in at the start. Delivering an entry
 * (seized or walked) hands it to every running snapshot that owes it and then stamps it
 * with the current epoch, so one stamp serves any number of overlapping snapshots.
 * Every snapshot of a node covers all of its databases (their epochs move together).
 * Values handed over are live objects: a sink that keeps one past the call clones it.
 * Imports: keyspace only.
 */
import type { Database, Entry, EntryObserver } from './database.js';

/**
 * Receives each entry the snapshot owes, once. `db` is the id of the database the entry
 * was in at the start. `early`: delivered out of walk order because it is about to change
 * (or another snapshot delivered it); the entry is only guaranteed unchanged during the
 * call.
 */
export type SnapshotSink = (db: number, e: Entry, early: boolean) => void;

export class KeyspaceSnapshot implements EntryObserver {
  readonly epoch: number;
  /** Key count and keys-with-TTL count per database at the start (RDB RESIZEDB hints). */
  readonly sizes: readonly number[];
  readonly expires: readonly number[];
  readonly total: number;
  /** Entries delivered so far, and how many of them early (our copy-on-write count). */
  emitted = 0;
  cowKeys = 0;
  private readonly arrays: Array<readonly Entry[]> = [];
  private readonly cursors: number[] = [];
  private readonly closed: boolean[] = [];
  /** step()'s current database. */
  private at = 0;
  private open: number;
  private released = false;

  constructor(private readonly dbs: readonly Database[], private readonly sink: SnapshotSink) {
    let epoch = 0;
    for (const db of dbs) epoch = Math.max(epoch, db.epoch);
    this.epoch = ++epoch;
    const sizes: number[] = [];
    const expires: number[] = [];
    let total = 0;
    let open = 0;
    for (const db of dbs) {
      db.epoch = epoch;
      const arr = db.entryArray();
      this.arrays.push(arr);
      this.cursors.push(arr.length);
      this.closed.push(false);
      sizes.push(arr.length);
      expires.push(db.expiresCount);
      total += arr.length;
      if (arr.length > 0) open++;
      db.observers.push(this);
    }
    this.sizes = sizes;
    this.expires = expires;
    this.total = total;
    this.open = open;
    if (open === 0) this.release();
  }

  /** True once nothing is owed any more (or after release). */
  get done(): boolean {
    return this.open === 0;
  }

  /** Database.notifyChange: `e` is about to change. */
  seize(e: Entry, entries: readonly Entry[]): void {
    if (e.stamp >= this.epoch || this.released) return;
    // An entry of an array we never held was not live at our start (it sat in a flushed
    // array another, older snapshot is walking).
    const d = this.arrays.indexOf(entries);
    if (d < 0) return;
    this.emitted++;
    this.cowKeys++;
    this.sink(this.dbs[d]!.id, e, true);
  }

  /**
   * The next owed entry of database `d` (index in the list given at the start) in walk
   * order, already delivered to every other running snapshot that owed it; the caller
   * uses it before yielding. undefined once `d` owes nothing more (or after release).
   */
  next(d: number): Entry | undefined {
    if (this.released) return undefined;
    const arr = this.arrays[d]!;
    let i = Math.min(this.cursors[d]!, arr.length);
    while (i > 0) {
      const e = arr[--i]!;
      if (e.stamp < this.epoch) {
        this.cursors[d] = i;
        this.deliver(d, e, arr);
        return e;
      }
    }
    this.close(d);
    return undefined;
  }

  /**
   * Looks at up to n positions (databases in order) and hands owed entries to the sink;
   * returns true while something is still owed.
   */
  step(n: number): boolean {
    if (this.released) return false;
    while (this.at < this.arrays.length && n > 0) {
      const d = this.at;
      const arr = this.arrays[d]!;
      let i = Math.min(this.cursors[d]!, arr.length);
      while (i > 0 && n > 0) {
        n--;
        const e = arr[--i]!;
        if (e.stamp < this.epoch) {
          this.cursors[d] = i;
          this.deliver(d, e, arr);
          this.sink(this.dbs[d]!.id, e, false);
          // The sink may have released us (a failed write): stop at once.
          if (this.released) return false;
        }
      }
      this.cursors[d] = i;
      if (i === 0) {
        this.close(d);
        this.at++;
      }
    }
    return this.open > 0;
  }

  /** Stops observing; idempotent. Entries not yet delivered are simply left behind. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.open = 0;
    for (const db of this.dbs) {
      const i = db.observers.indexOf(this);
      if (i >= 0) db.observers.splice(i, 1);
    }
  }

  private deliver(d: number, e: Entry, arr: readonly Entry[]): void {
    this.emitted++;
    const db = this.dbs[d]!;
    const obs = db.observers;
    if (obs.length > 1) {
      for (let j = 0; j < obs.length; j++) if (obs[j] !== this) obs[j]!.seize(e, arr);
    }
    e.stamp = db.epoch;
  }

  private close(d: number): void {
    if (this.closed[d]) return;
    this.closed[d] = true;
    this.cursors[d] = 0;
    if (this.sizes[d]! > 0 && --this.open === 0) this.release();
  }
}

/**
 * A point-in-time view of the whole keyspace without fork(): the keys present when the
 * snapshot starts are visited a slice at a time, and a Database observer sees every
 * entry just before it changes or goes away. If that entry has not been visited yet
 * it is handed to the sink right then, with the value it still has, so every key
 * reaches the sink exactly once with its value as of the start.
 *
 * Invariants: `pending` holds exactly the entries present at the start and not yet
 * emitted, with the database they were in (SWAPDB and FLUSHDB move or drop entries
 * without notifying, and then the entries still hold their start-time values, which is
 * what we want). New keys are never in it: they belong to the writes after the start.
 * The observer costs one Map lookup per mutation while a snapshot runs, nothing
 * otherwise. Starting costs one Map insertion per key (our "fork" pause).
 * Imports: keyspace.
 */
import type { Database, Entry } from '../../keyspace/database.js';
import type { Value } from '../../keyspace/value.js';

/** early: the key is about to change, this is its copy-on-write moment. */
export type SnapshotSink = (db: number, key: string, value: Value, expireAt: number, early: boolean) => void;

export class KeyspaceSnapshot {
  private readonly pending = new Map<Entry, number>();
  private readonly iter: IterableIterator<[Entry, number]>;
  private readonly observer: (e: Entry) => void;
  private released = false;
  readonly total: number;
  /** Keys emitted early because they were about to change (our copy-on-write). */
  cowKeys = 0;
  emitted = 0;

  constructor(private readonly dbs: readonly Database[], private readonly sink: SnapshotSink) {
    for (const db of dbs) {
      const n = db.size;
      for (let i = 0; i < n; i++) this.pending.set(db.entryAt(i)!, db.id);
    }
    this.total = this.pending.size;
    this.iter = this.pending.entries();
    this.observer = (e: Entry) => {
      const d = this.pending.get(e);
      if (d === undefined) return;
      this.pending.delete(e);
      this.cowKeys++;
      this.emit(d, e, true);
    };
    for (const db of dbs) db.observers.push(this.observer);
  }

  private emit(db: number, e: Entry, early: boolean): void {
    this.emitted++;
    this.sink(db, e.key, e.value, e.expireAt, early);
  }

  get remaining(): number {
    return this.pending.size;
  }

  /** Emits up to n keys in start order; returns true while keys remain. */
  step(n: number): boolean {
    for (let i = 0; i < n; i++) {
      const r = this.iter.next();
      if (r.done) return false;
      const [e, d] = r.value;
      this.pending.delete(e);
      this.emit(d, e, false);
    }
    return this.pending.size > 0;
  }

  /** Stops observing; idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const db of this.dbs) {
      const i = db.observers.indexOf(this.observer);
      if (i >= 0) db.observers.splice(i, 1);
    }
    this.pending.clear();
  }
}

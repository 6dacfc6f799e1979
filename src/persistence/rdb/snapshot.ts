/**
 * Point-in-time snapshots of live databases without fork: the entry list is copied
 * when the snapshot starts (pointers only), and a Database observer preserves the value
 * and TTL of any not-yet-written entry just before a command changes it in place or
 * removes it (Database.notifyChange / touchForWrite). Keys created after the start are
 * not in the snapshot, as with a fork. Values are converted to the neutral form one key
 * at a time as the saver pulls them.
 *
 * Known gap: a TTL set or cleared on an unwritten key without a value change is not
 * observed (Database.setExpire does not notify), so the snapshot may show the new TTL.
 * Call release() (or drain the iterators) to detach the observers.
 * Imports: keyspace, this folder.
 */
import type { Database, Entry } from '../../keyspace/database.js';
import { toRdbValue } from './keyspace-adapter.js';
import type { SnapshotDb, SnapshotEntry } from './saver.js';

interface Preserved {
  value: Entry['value'];
  expireAt: number;
}

class DbSnapshot {
  private readonly entries: Entry[];
  private readonly pending: Set<Entry>;
  private readonly preserved = new Map<Entry, Preserved>();
  private i = 0;
  private attached = true;
  readonly size: number;
  readonly expires: number;
  private readonly observer = (e: Entry): void => {
    if (this.pending.has(e) && !this.preserved.has(e)) {
      const v = e.value;
      this.preserved.set(e, { value: typeof v === 'string' ? v : v.clone(), expireAt: e.expireAt });
    }
  };

  constructor(readonly db: Database, readonly now: () => number) {
    this.entries = db.entries();
    this.pending = new Set(this.entries);
    this.size = this.entries.length;
    this.expires = db.expiresCount;
    db.observers.push(this.observer);
  }

  next(): IteratorResult<SnapshotEntry> {
    if (this.i >= this.entries.length) {
      this.release();
      return { done: true, value: undefined };
    }
    const e = this.entries[this.i++]!;
    this.pending.delete(e);
    const p = this.preserved.get(e);
    if (p !== undefined) this.preserved.delete(e);
    const value = p !== undefined ? p.value : e.value;
    const expireAt = p !== undefined ? p.expireAt : e.expireAt;
    return {
      done: false,
      value: {
        key: e.key,
        value: toRdbValue(value),
        expireAt,
        idleSeconds: Math.max(0, Math.floor((this.now() - e.atime) / 1000)),
        lfuFreq: e.freq,
      },
    };
  }

  release(): void {
    if (!this.attached) return;
    this.attached = false;
    const obs = this.db.observers;
    const at = obs.indexOf(this.observer);
    if (at >= 0) obs.splice(at, 1);
    this.pending.clear();
    this.preserved.clear();
  }
}

export interface KeyspaceSnapshot {
  dbs: SnapshotDb[];
  /** Detaches the observers (call when a save is abandoned midway). */
  release(): void;
}

/** Starts a snapshot of every database; pass the result's dbs to an RdbSaver. */
export function snapshotKeyspace(dbs: readonly Database[], now: () => number = Date.now): KeyspaceSnapshot {
  const snaps = dbs.map((db) => new DbSnapshot(db, now));
  return {
    dbs: snaps.map((s) => ({ id: s.db.id, size: s.size, expires: s.expires, entries: { next: () => s.next() } })),
    release: () => {
      for (const s of snaps) s.release();
    },
  };
}

/**
 * One logical database: keys, their values and their expiry times.
 *
 * Each key has one Entry that holds the value, the absolute expiry in ms (0 = none) and
 * the last access time, so a read costs one Map lookup. Entries also sit in a dense
 * array (SCAN cursor, RANDOMKEY), and entries with a TTL in a second dense array
 * (active-expiry sampling, INFO keyspace expires=).
 *
 * Lazy expiry happens here, but what an expiry means (a DEL in the write log, an
 * "expired" notification, broken WATCHes) is decided by the engine through the hooks.
 *
 * Snapshots (snapshot.ts) rely on three things here: every change to an existing entry
 * calls notifyChange first; `epoch`/`Entry.stamp` say whether a running snapshot still
 * owes an entry; and the entry array is only ever changed in place by push/pop/swap-
 * with-last, replaced (not truncated) by flush, and moved whole by SWAPDB, so a snapshot
 * holding the array object at its start still reaches every entry it owes.
 * Imports: keyspace only. No wire text here.
 */
import type { Value } from './value.js';

export interface Entry {
  key: string;
  value: Value;
  /** Absolute unix time in ms; 0 when the key has no TTL. */
  expireAt: number;
  /** Last access, ms (OBJECT IDLETIME). */
  atime: number;
  /** LFU counter (OBJECT FREQ). */
  freq: number;
  idx: number;
  /** Index in the volatile array, -1 when no TTL. */
  vidx: number;
  /**
   * How a string value is encoded when its bytes alone do not tell (StrEnc in value.ts):
   * Redis keeps an in-place edited string raw even if it now reads as an integer.
   * Every set() resets it; the command that needs another sets it afterwards.
   */
  strEnc: number;
  /**
   * The database epoch when this entry was created or last handed to the running
   * snapshots; a snapshot that started at epoch E still owes it iff stamp < E.
   */
  stamp: number;
}

/** A running snapshot (snapshot.ts), told before an entry it may owe changes. */
export interface EntryObserver {
  /** `entries` is the array holding `e` (it identifies the database e started in). */
  seize(e: Entry, entries: readonly Entry[]): void;
}

export interface KeyspaceHooks {
  /** The time commands see, in ms; fixed for the duration of one command. */
  now(): number;
  /** Called after a key was removed because it expired (lazily or actively). */
  expired(db: Database, key: string): void;
  /**
   * Called whenever a key is created, overwritten, mutated in place (touchForWrite),
   * deleted or has its TTL changed: the engine breaks WATCHes on it.
   */
  modified(db: Database, key: string): void;
  /** When true (a replica), expired keys read as missing but are not deleted. */
  readonly noExpireDeletes: boolean;
  /**
   * Called when set() creates a key (Redis's dbAdd, which fires the "new" event), so no
   * command family has to remember it.
   */
  created?(db: Database, key: string): void;
}

export class Database {
  // Not readonly: SWAPDB exchanges them whole, FLUSHDB replaces the entry array.
  private dict = new Map<string, Entry>();
  private all: Entry[] = [];
  private volatile: Entry[] = [];
  /** Running snapshots; empty (no per-mutation cost) when none runs. */
  readonly observers: EntryObserver[] = [];
  /**
   * Raised by each snapshot start (to one value across all databases), stamped on new
   * entries. Never decreases.
   */
  epoch = 0;

  constructor(readonly id: number, private readonly hooks: KeyspaceHooks) {}

  get size(): number {
    return this.all.length;
  }

  get expiresCount(): number {
    return this.volatile.length;
  }

  /** The entry without any expiry check: persistence, DEBUG, snapshots. */
  peek(key: string): Entry | undefined {
    return this.dict.get(key);
  }

  /** The live entry for a key, expiring it first when its time has passed. */
  lookup(key: string): Entry | undefined {
    const e = this.dict.get(key);
    if (e === undefined) return undefined;
    if (e.expireAt !== 0 && e.expireAt <= this.hooks.now()) {
      if (this.hooks.noExpireDeletes) return undefined;
      this.remove(e, true);
      this.hooks.expired(this, key);
      return undefined;
    }
    return e;
  }

  get(key: string): Value | undefined {
    const e = this.lookup(key);
    return e === undefined ? undefined : e.value;
  }

  has(key: string): boolean {
    return this.lookup(key) !== undefined;
  }

  /** True when the key exists and its TTL has passed (used before EXEC and by scans). */
  isExpired(e: Entry): boolean {
    return e.expireAt !== 0 && e.expireAt <= this.hooks.now();
  }

  /**
   * Stores a value. Overwriting drops the TTL unless keepTtl, as SET does.
   * Returns the entry.
   */
  set(key: string, value: Value, keepTtl = false): Entry {
    const e = this.dict.get(key);
    if (e !== undefined) {
      this.notifyChange(e);
      e.value = value;
      e.strEnc = 0;
      if (!keepTtl && e.expireAt !== 0) this.clearExpire(e);
      this.hooks.modified(this, key);
      return e;
    }
    const n: Entry = { key, value, expireAt: 0, atime: this.hooks.now(), freq: 5, idx: this.all.length, vidx: -1, strEnc: 0, stamp: this.epoch };
    this.all.push(n);
    this.dict.set(key, n);
    this.hooks.created?.(this, key);
    this.hooks.modified(this, key);
    return n;
  }

  /** Adds a key known not to exist (loading, RESTORE after a check). */
  add(key: string, value: Value, expireAt = 0): Entry {
    const e = this.set(key, value);
    if (expireAt !== 0) this.setExpire(e, expireAt);
    return e;
  }

  delete(key: string): boolean {
    const e = this.dict.get(key);
    if (e === undefined) return false;
    this.remove(e);
    return true;
  }

  /** `expiring`: removed by expiry; the `expired` hook, not `modified`, reports it. */
  private remove(e: Entry, expiring = false): void {
    this.notifyChange(e);
    this.dict.delete(e.key);
    const last = this.all.pop()!;
    if (last !== e) {
      this.all[e.idx] = last;
      last.idx = e.idx;
    }
    if (e.vidx >= 0) this.clearExpire(e, expiring);
    if (!expiring) this.hooks.modified(this, e.key);
  }

  /**
   * Tells snapshot observers that an entry is about to change in place or go away.
   * Handlers that mutate an aggregate value in place call this through `touchForWrite`.
   * After the first call every running snapshot has the old content: the stamp then
   * makes later changes cost one comparison.
   */
  notifyChange(e: Entry): void {
    const obs = this.observers;
    if (obs.length === 0 || e.stamp >= this.epoch) return;
    for (let i = 0; i < obs.length; i++) obs[i]!.seize(e, this.all);
    e.stamp = this.epoch;
  }

  /** The entry, ready to be mutated in place: snapshot observers see the old value first. */
  touchForWrite(e: Entry): Entry {
    if (this.observers.length > 0) this.notifyChange(e);
    this.hooks.modified(this, e.key);
    return e;
  }

  setExpire(e: Entry, at: number): void {
    // Snapshots must see the TTL the key had when they started.
    if (this.observers.length > 0) this.notifyChange(e);
    e.expireAt = at;
    this.hooks.modified(this, e.key);
    if (e.vidx < 0) {
      e.vidx = this.volatile.length;
      this.volatile.push(e);
    }
  }

  clearExpire(e: Entry, silent = false): void {
    if (this.observers.length > 0) this.notifyChange(e);
    e.expireAt = 0;
    if (e.vidx < 0) return;
    if (!silent) this.hooks.modified(this, e.key);
    const last = this.volatile.pop()!;
    if (last !== e) {
      this.volatile[e.vidx] = last;
      last.vidx = e.vidx;
    }
    e.vidx = -1;
  }

  /**
   * Removes everything; returns how many keys were removed. The entry array is replaced,
   * not emptied: a running snapshot keeps reading the old one.
   */
  flush(): number {
    const n = this.all.length;
    this.dict.clear();
    this.all = [];
    this.volatile.length = 0;
    return n;
  }

  /**
   * Moves all contents to/from another database (SWAPDB) in O(1): the structures change
   * hands whole, so positions (idx, vidx) stay valid and snapshots keep their place.
   * No modified hook: SWAPDB decides the WATCH effects itself (a stale key is no change).
   */
  swapWith(other: Database): void {
    const { dict, all, volatile } = this;
    this.dict = other.dict;
    this.all = other.all;
    this.volatile = other.volatile;
    other.dict = dict;
    other.all = all;
    other.volatile = volatile;
    this.epoch = other.epoch = Math.max(this.epoch, other.epoch);
  }

  randomEntry(rand: () => number = Math.random): Entry | undefined {
    const n = this.all.length;
    return n === 0 ? undefined : this.all[Math.floor(rand() * n)];
  }

  randomVolatile(rand: () => number = Math.random): Entry | undefined {
    const n = this.volatile.length;
    return n === 0 ? undefined : this.volatile[Math.floor(rand() * n)];
  }

  /** Same cursor rules as DenseMap.scan. Visits expired entries too; callers filter. */
  scan(cursor: number, count: number, visit: (e: Entry) => void): number {
    let i = cursor === 0 ? this.all.length : Math.min(cursor, this.all.length);
    let seen = 0;
    while (i > 0 && seen < count) {
      i--;
      visit(this.all[i]!);
      seen++;
    }
    return i;
  }

  /** Iterates over a stable copy of the entries (KEYS, FLUSH notifications, SAVE). */
  entries(): Entry[] {
    return this.all.slice();
  }

  /** Direct access by position, for sliced iteration (index may shift). */
  entryAt(i: number): Entry | undefined {
    return this.all[i];
  }

  /** The live entry array itself, for snapshots only (the header says how it changes). */
  entryArray(): readonly Entry[] {
    return this.all;
  }

  /** Sum of remaining TTL of volatile keys, sampled, for INFO avg_ttl. */
  averageTtl(): number {
    const n = this.volatile.length;
    if (n === 0) return 0;
    const now = this.hooks.now();
    let sum = 0;
    const step = Math.max(1, Math.floor(n / 100));
    let c = 0;
    for (let i = 0; i < n; i += step) {
      sum += Math.max(0, this.volatile[i]!.expireAt - now);
      c++;
    }
    return Math.round(sum / c);
  }
}

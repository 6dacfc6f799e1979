/**
 * SetValue: the set type, in Redis 7.0's two encodings.
 *
 * "intset": every member is a canonical int64 decimal (Redis's string2ll rules), kept as
 * a sorted BigInt64Array, so iteration is ascending exactly like an intset (SMEMBERS,
 * SSCAN and the set algebra show that order). Lookups are binary searches.
 * "hashtable": a DenseMap (O(1) random member, robust SCAN cursor).
 *
 * Conversion to hashtable is permanent and happens when a non-integer member is added
 * or the count passes set-max-intset-entries (capped at 2^30 as in Redis); the limit is
 * passed in by the caller. There is no listpack set encoding in 7.0.
 * `SetValue.forMember(m)` mirrors setTypeCreate (intset when m is an integer);
 * `new SetValue()` is an empty intset, as the *STORE commands start theirs.
 * Imports: keyspace and util/numbers only.
 */
import { DenseMap } from './dense-map.js';
import type { RedisObject } from './value.js';
import { isInt64String } from '../util/numbers.js';

const INTSET_HARD_LIMIT = 1 << 30;

export class SetValue implements RedisObject {
  readonly type = 'set' as const;
  private ints: BigInt64Array | null = new BigInt64Array(4);
  private n = 0;
  private ht: DenseMap<null> | null = null;

  /** An empty set in the encoding Redis would pick for a first member m. */
  static forMember(m: string): SetValue {
    const s = new SetValue();
    if (!isInt64String(m)) s.convert();
    return s;
  }

  /** An empty hashtable-encoded set. */
  static hashtable(): SetValue {
    const s = new SetValue();
    s.convert();
    return s;
  }

  /** Builds a set the way loading does: intset when all members are integers and few enough. */
  static fromMembers(members: readonly string[], maxIntset: number): SetValue {
    const s = new SetValue();
    let ok = members.length <= Math.min(maxIntset, INTSET_HARD_LIMIT);
    if (ok) for (const m of members) if (!isInt64String(m)) { ok = false; break; }
    if (!ok) s.convert();
    for (const m of members) s.add(m, Infinity);
    return s;
  }

  get size(): number {
    return this.ht !== null ? this.ht.size : this.n;
  }

  get isIntset(): boolean {
    return this.ht === null;
  }

  encoding(): string {
    return this.ht === null ? 'intset' : 'hashtable';
  }

  clone(): SetValue {
    const s = new SetValue();
    if (this.ht === null) {
      s.ints = this.ints!.slice(0, Math.max(4, this.n));
      s.n = this.n;
    } else {
      s.ints = null;
      const d = new DenseMap<null>();
      for (const k of this.ht.keys()) d.set(k, null);
      s.ht = d;
    }
    return s;
  }

  /** Converts to a hashtable (no-op when already one). Permanent. */
  convert(): void {
    if (this.ht !== null) return;
    const d = new DenseMap<null>();
    const a = this.ints!;
    for (let i = 0; i < this.n; i++) d.set(String(a[i]!), null);
    this.ht = d;
    this.ints = null;
    this.n = 0;
  }

  has(m: string): boolean {
    if (this.ht !== null) return this.ht.has(m);
    if (!isInt64String(m)) return false;
    return this.search(BigInt(m)) >= 0;
  }

  /** Adds m; returns true when it was not a member. Converts per the intset rules. */
  add(m: string, maxIntset: number): boolean {
    if (this.ht !== null) return this.ht.set(m, null);
    if (!isInt64String(m)) {
      this.convert();
      return this.ht!.set(m, null);
    }
    const v = BigInt(m);
    const pos = this.search(v);
    if (pos >= 0) return false;
    this.insertAt(-pos - 1, v);
    if (this.n > Math.min(maxIntset, INTSET_HARD_LIMIT)) this.convert();
    return true;
  }

  remove(m: string): boolean {
    if (this.ht !== null) return this.ht.delete(m);
    if (!isInt64String(m)) return false;
    const pos = this.search(BigInt(m));
    if (pos < 0) return false;
    const a = this.ints!;
    a.copyWithin(pos, pos + 1, this.n);
    this.n--;
    if (a.length > 64 && this.n < a.length >>> 2) this.ints = a.slice(0, a.length >>> 1);
    return true;
  }

  /** A uniformly random member, or undefined when empty. */
  random(rand: () => number = Math.random): string | undefined {
    if (this.ht !== null) return this.ht.random(rand)?.key;
    if (this.n === 0) return undefined;
    return String(this.ints![Math.floor(rand() * this.n)]!);
  }

  /** Members in encoding order (ascending for an intset). */
  members(): string[] {
    const out = new Array<string>(this.size);
    let i = 0;
    if (this.ht !== null) {
      for (const k of this.ht.keys()) out[i++] = k;
    } else {
      const a = this.ints!;
      for (; i < this.n; i++) out[i] = String(a[i]!);
    }
    return out;
  }

  forEach(fn: (m: string) => void): void {
    if (this.ht !== null) {
      for (const k of this.ht.keys()) fn(k);
    } else {
      const a = this.ints!;
      for (let i = 0; i < this.n; i++) fn(String(a[i]!));
    }
  }

  *[Symbol.iterator](): IterableIterator<string> {
    if (this.ht !== null) yield* this.ht.keys();
    else for (let i = 0; i < this.n; i++) yield String(this.ints![i]!);
  }

  /** SSCAN step. An intset returns everything at once with cursor 0, as Redis does. */
  scan(cursor: number, count: number, out: string[]): number {
    if (this.ht === null) {
      this.forEach((m) => { out.push(m); });
      return 0;
    }
    return this.ht.scan(cursor, count, (s) => { out.push(s.key); });
  }

  /** Binary search: index when found, else -(insertion point) - 1. */
  private search(v: bigint): number {
    const a = this.ints!;
    let lo = 0;
    let hi = this.n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const x = a[mid]!;
      if (x < v) lo = mid + 1;
      else if (x > v) hi = mid - 1;
      else return mid;
    }
    return -lo - 1;
  }

  private insertAt(pos: number, v: bigint): void {
    let a = this.ints!;
    if (this.n === a.length) {
      const b = new BigInt64Array(a.length * 2);
      b.set(a);
      a = this.ints = b;
    }
    a.copyWithin(pos + 1, pos, this.n);
    a[pos] = v;
    this.n++;
  }
}

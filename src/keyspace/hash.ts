/**
 * HashValue: the hash type, in Redis 7.0's two encodings.
 *
 * "listpack" (small hashes) is a JS Map: it keeps insertion order, updates in place and
 * closes the gap on delete, which is exactly the order HGETALL shows for a listpack.
 * "hashtable" is a DenseMap (O(1) random field, SCAN cursor that survives rehash-like
 * changes). A hash starts as a listpack and converts once, permanently, when
 *   - a field or value longer than hash-max-listpack-value is written, or
 *   - the field count passes hash-max-listpack-entries.
 * The thresholds are passed in by the caller (commands read them from config), so this
 * file has no config dependency. OBJECT ENCODING reports the stored state: changing the
 * config later does not convert existing hashes, as in Redis.
 *
 * Fields and values are latin1 strings. Integers are stored as their decimal text.
 * Imports: keyspace only.
 */
import { DenseMap, type Slot } from './dense-map.js';
import type { RedisObject } from './value.js';

export class HashValue implements RedisObject {
  readonly type = 'hash' as const;
  private lp: Map<string, string> | null = new Map();
  private ht: DenseMap<string> | null = null;

  /**
   * Builds a hash the way loading (RDB, RESTORE) does: a listpack when the pair count and
   * every length fit the limits, otherwise a hashtable.
   */
  static fromPairs(pairs: ReadonlyArray<readonly [string, string]>, maxEntries: number, maxValue: number): HashValue {
    const h = new HashValue();
    let big = pairs.length > maxEntries;
    if (!big) {
      for (const [f, v] of pairs) if (f.length > maxValue || v.length > maxValue) { big = true; break; }
    }
    if (big) h.convert();
    for (const [f, v] of pairs) h.put(f, v);
    return h;
  }

  get size(): number {
    return this.lp !== null ? this.lp.size : this.ht!.size;
  }

  /** True while the hash is listpack-encoded. */
  get isListpack(): boolean {
    return this.lp !== null;
  }

  encoding(): string {
    return this.lp !== null ? 'listpack' : 'hashtable';
  }

  clone(): HashValue {
    const h = new HashValue();
    if (this.lp !== null) {
      h.lp = new Map(this.lp);
    } else {
      h.lp = null;
      const d = new DenseMap<string>();
      for (const [f, v] of this.ht!) d.set(f, v);
      h.ht = d;
    }
    return h;
  }

  get(field: string): string | undefined {
    return this.lp !== null ? this.lp.get(field) : this.ht!.get(field);
  }

  has(field: string): boolean {
    return this.lp !== null ? this.lp.has(field) : this.ht!.has(field);
  }

  /** Converts to a hashtable (no-op when already one). Permanent. */
  convert(): void {
    const lp = this.lp;
    if (lp === null) return;
    const d = new DenseMap<string>();
    for (const [f, v] of lp) d.set(f, v);
    this.ht = d;
    this.lp = null;
  }

  /**
   * Redis's early length check before a multi-field write (hashTypeTryConversion): any of
   * args[start..end] longer than maxValue converts the hash up front.
   */
  convertIfAnyLonger(args: readonly string[], start: number, end: number, maxValue: number): void {
    if (this.lp === null) return;
    for (let i = start; i <= end; i++) {
      if (args[i]!.length > maxValue) {
        this.convert();
        return;
      }
    }
  }

  /**
   * Sets a field, applying both conversion rules. Returns true when the field is new.
   */
  set(field: string, value: string, maxEntries: number, maxValue: number): boolean {
    if (this.lp !== null && (field.length > maxValue || value.length > maxValue)) this.convert();
    const lp = this.lp;
    if (lp !== null) {
      const isNew = !lp.has(field);
      lp.set(field, value);
      if (isNew && lp.size > maxEntries) this.convert();
      return isNew;
    }
    return this.ht!.set(field, value);
  }

  /** Sets without any conversion check (loading, clone). */
  put(field: string, value: string): boolean {
    if (this.lp !== null) {
      const isNew = !this.lp.has(field);
      this.lp.set(field, value);
      return isNew;
    }
    return this.ht!.set(field, value);
  }

  delete(field: string): boolean {
    return this.lp !== null ? this.lp.delete(field) : this.ht!.delete(field);
  }

  /** Visits every field in encoding order. */
  forEach(fn: (field: string, value: string) => void): void {
    if (this.lp !== null) {
      for (const [f, v] of this.lp) fn(f, v);
    } else {
      for (const [f, v] of this.ht!) fn(f, v);
    }
  }

  fields(): string[] {
    const out: string[] = [];
    this.forEach((f) => { out.push(f); });
    return out;
  }

  values(): string[] {
    const out: string[] = [];
    this.forEach((_f, v) => { out.push(v); });
    return out;
  }

  /** [field, value, field, value, ...] in encoding order. */
  flat(): string[] {
    const out: string[] = [];
    this.forEach((f, v) => { out.push(f, v); });
    return out;
  }

  *[Symbol.iterator](): IterableIterator<[string, string]> {
    if (this.lp !== null) yield* this.lp;
    else yield* this.ht!;
  }

  /**
   * One uniformly random [field, value], or undefined when empty. A listpack pick walks
   * the map (listpacks are small; Redis's lpRandomPair is linear too).
   */
  random(rand: () => number = Math.random): [string, string] | undefined {
    if (this.lp !== null) {
      const n = this.lp.size;
      if (n === 0) return undefined;
      let k = Math.floor(rand() * n);
      for (const e of this.lp) if (k-- === 0) return e;
      return undefined;
    }
    const s = this.ht!.random(rand);
    return s === undefined ? undefined : [s.key, s.value];
  }

  /** The hashtable slot at a dense index (hashtable encoding only), for bulk random picks. */
  slotAt(i: number): Slot<string> | undefined {
    return this.ht === null ? undefined : this.ht.at(i);
  }

  /**
   * HSCAN step: appends field, value pairs to `out` and returns the next cursor.
   * A listpack returns everything at once with cursor 0, as Redis does.
   */
  scan(cursor: number, count: number, out: string[]): number {
    if (this.lp !== null) {
      for (const [f, v] of this.lp) out.push(f, v);
      return 0;
    }
    return this.ht!.scan(cursor, count, (s) => { out.push(s.key, s.value); });
  }
}

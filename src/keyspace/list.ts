/**
 * ListValue: the list type, a growable ring buffer of latin1 strings.
 *
 * Redis 7.0 stores every list as a quicklist (listpack lists arrived in 7.2), so
 * OBJECT ENCODING always answers "quicklist" and no conversion is tracked here.
 *
 * API (used by the list commands and by the blocking pops):
 *   size                          element count
 *   pushHead(v) / pushTail(v)     O(1) amortised
 *   popHead() / popTail()         O(1); undefined when empty
 *   at(i) / set(i, v)             i may be negative (-1 = last); out of range -> undefined / false
 *   range(start, end)             copy of [start, end], both already clamped to 0 <= start <= end < size
 *   insert(i, v)                  v becomes element i (0..size); shifts the shorter side
 *   removeAt(i)                   O(min(i, size - i))
 *   trim(fromHead, fromTail)      drop that many elements at each end
 *   removeMatching(v, count)      LREM: count > 0 from the head, < 0 from the tail, 0 = all
 *   indexOf(v)                    first index from the head, -1 when absent
 *   toArray() / iteration         head to tail
 *
 * Invariants: capacity is a power of two >= MIN_CAP; slots outside [head, head+len)
 * hold undefined so popped strings can be collected. The class never deletes itself
 * from the keyspace: a command that empties a list deletes the key.
 * Imports: keyspace/value only.
 */
import type { RedisObject } from './value.js';

const MIN_CAP = 8;

export class ListValue implements RedisObject {
  readonly type = 'list' as const;
  private buf: Array<string | undefined>;
  private mask: number;
  private head = 0;
  private len = 0;

  constructor(capacityHint = MIN_CAP) {
    let cap = MIN_CAP;
    while (cap < capacityHint) cap *= 2;
    this.buf = new Array<string | undefined>(cap);
    this.mask = cap - 1;
  }

  static from(items: readonly string[]): ListValue {
    const l = new ListValue(items.length);
    for (let i = 0; i < items.length; i++) l.buf[i] = items[i];
    l.len = items.length;
    return l;
  }

  get size(): number {
    return this.len;
  }

  encoding(): string {
    return 'quicklist';
  }

  clone(): ListValue {
    return ListValue.from(this.toArray());
  }

  pushHead(v: string): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.buf[this.head] = v;
    this.len++;
  }

  pushTail(v: string): void {
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    this.buf[(this.head + this.len) & this.mask] = v;
    this.len++;
  }

  popHead(): string | undefined {
    if (this.len === 0) return undefined;
    const v = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.len--;
    this.maybeShrink();
    return v;
  }

  popTail(): string | undefined {
    if (this.len === 0) return undefined;
    const i = (this.head + this.len - 1) & this.mask;
    const v = this.buf[i];
    this.buf[i] = undefined;
    this.len--;
    this.maybeShrink();
    return v;
  }

  /** Element at a Redis-style index (negative counts from the tail). */
  at(index: number): string | undefined {
    const i = index < 0 ? this.len + index : index;
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[(this.head + i) & this.mask];
  }

  /** Replaces the element at a Redis-style index; false when out of range. */
  set(index: number, v: string): boolean {
    const i = index < 0 ? this.len + index : index;
    if (i < 0 || i >= this.len) return false;
    this.buf[(this.head + i) & this.mask] = v;
    return true;
  }

  /** Copy of the inclusive range [start, end]; callers clamp first. */
  range(start: number, end: number): string[] {
    const n = end - start + 1;
    const out = new Array<string>(n > 0 ? n : 0);
    for (let k = 0; k < n; k++) out[k] = this.buf[(this.head + start + k) & this.mask]!;
    return out;
  }

  /** Index of the first element equal to v, or -1. */
  indexOf(v: string): number {
    for (let k = 0; k < this.len; k++) {
      if (this.buf[(this.head + k) & this.mask] === v) return k;
    }
    return -1;
  }

  /** Inserts v so that it becomes element i (0 <= i <= size). */
  insert(i: number, v: string): void {
    if (i <= 0) return this.pushHead(v);
    if (i >= this.len) return this.pushTail(v);
    if (this.len === this.buf.length) this.resize(this.buf.length * 2);
    const m = this.mask;
    if (i < this.len - i) {
      // Move the i elements before the gap one slot toward the head.
      this.head = (this.head - 1) & m;
      for (let k = 0; k < i; k++) this.buf[(this.head + k) & m] = this.buf[(this.head + k + 1) & m];
    } else {
      for (let k = this.len; k > i; k--) this.buf[(this.head + k) & m] = this.buf[(this.head + k - 1) & m];
    }
    this.buf[(this.head + i) & m] = v;
    this.len++;
  }

  /** Removes element i (0 <= i < size) and returns it. */
  removeAt(i: number): string | undefined {
    if (i < 0 || i >= this.len) return undefined;
    const m = this.mask;
    const v = this.buf[(this.head + i) & m];
    if (i < this.len - 1 - i) {
      for (let k = i; k > 0; k--) this.buf[(this.head + k) & m] = this.buf[(this.head + k - 1) & m];
      this.buf[this.head] = undefined;
      this.head = (this.head + 1) & m;
    } else {
      for (let k = i; k < this.len - 1; k++) this.buf[(this.head + k) & m] = this.buf[(this.head + k + 1) & m];
      this.buf[(this.head + this.len - 1) & m] = undefined;
    }
    this.len--;
    this.maybeShrink();
    return v;
  }

  /** Drops `fromHead` elements at the head and `fromTail` at the tail (LTRIM). */
  trim(fromHead: number, fromTail: number): void {
    const m = this.mask;
    if (fromHead + fromTail >= this.len) {
      this.buf = new Array<string | undefined>(MIN_CAP);
      this.mask = MIN_CAP - 1;
      this.head = 0;
      this.len = 0;
      return;
    }
    for (let k = 0; k < fromHead; k++) this.buf[(this.head + k) & m] = undefined;
    this.head = (this.head + fromHead) & m;
    this.len -= fromHead;
    for (let k = 0; k < fromTail; k++) this.buf[(this.head + this.len - 1 - k) & m] = undefined;
    this.len -= fromTail;
    this.maybeShrink();
  }

  /**
   * LREM: removes up to |count| elements equal to v (all when count is 0), scanning from
   * the head when count >= 0 and from the tail when count < 0. Returns how many went.
   * One compaction pass, so O(n) whatever the number removed.
   */
  removeMatching(v: string, count: number): number {
    const limit = count === 0 ? Infinity : Math.abs(count);
    const m = this.mask;
    const n = this.len;
    let removed = 0;
    if (count >= 0) {
      let w = 0;
      for (let r = 0; r < n; r++) {
        const x = this.buf[(this.head + r) & m];
        if (removed < limit && x === v) {
          removed++;
          continue;
        }
        if (w !== r) this.buf[(this.head + w) & m] = x;
        w++;
      }
      for (let k = w; k < n; k++) this.buf[(this.head + k) & m] = undefined;
    } else {
      let w = n - 1;
      for (let r = n - 1; r >= 0; r--) {
        const x = this.buf[(this.head + r) & m];
        if (removed < limit && x === v) {
          removed++;
          continue;
        }
        if (w !== r) this.buf[(this.head + w) & m] = x;
        w--;
      }
      for (let k = 0; k <= w; k++) this.buf[(this.head + k) & m] = undefined;
      this.head = (this.head + w + 1) & m;
    }
    this.len = n - removed;
    this.maybeShrink();
    return removed;
  }

  toArray(): string[] {
    return this.range(0, this.len - 1);
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let k = 0; k < this.len; k++) yield this.buf[(this.head + k) & this.mask]!;
  }

  private resize(cap: number): void {
    const nb = new Array<string | undefined>(cap);
    for (let k = 0; k < this.len; k++) nb[k] = this.buf[(this.head + k) & this.mask];
    this.buf = nb;
    this.mask = cap - 1;
    this.head = 0;
  }

  /** Gives memory back after a big list shrank, with hysteresis so push/pop cannot thrash. */
  private maybeShrink(): void {
    const cap = this.buf.length;
    if (cap > 64 && this.len < cap >>> 2) this.resize(cap >>> 1);
  }
}

/**
 * The sorted set value: a skiplist (order, ranks, ranges) plus a hash index
 * member -> node (O(1) score lookup), with the nodes also kept in a dense array for O(1)
 * random picks and a growth-safe SCAN cursor (same cursor rules as DenseMap).
 *
 * Redis stores small sorted sets as a listpack and converts them to a skiplist once
 * zset-max-listpack-entries / zset-max-listpack-value is exceeded. Semantics are the
 * same for both; only OBJECT ENCODING, ZSCAN (a listpack answers in one call) and
 * ZRANDMEMBER's sampling differ, so here the encoding is just a flag that follows
 * Redis's conversion rules: it flips to skiplist on the add that exceeds a limit and
 * only the *STORE commands (and loading) ever convert back.
 *
 * One listpack trait is visible: it stores integral scores as integers, so a -0 score
 * reads back as 0 while the set is (or once was) a listpack.
 * Invariants: dict.size === zsl.length === dense.length; no NaN scores.
 * Imports: keyspace only.
 */
import type { RedisObject } from './value.js';
import { SkipList, SkipNode, lexLteMax, type LexRange, type ScoreRange } from './skiplist.js';

export { SkipNode, type LexRange, type ScoreRange } from './skiplist.js';

/** ZADD input flags. */
export const ZADD_INCR = 1;
export const ZADD_NX = 2;
export const ZADD_XX = 4;
export const ZADD_GT = 8;
export const ZADD_LT = 16;

/** ZADD outcome flags. */
export const ZADD_OUT_NOP = 1;
export const ZADD_OUT_NAN = 2;
export const ZADD_OUT_ADDED = 4;
export const ZADD_OUT_UPDATED = 8;

/** The listpack thresholds, read from config by the caller at each write. */
export interface ZsetLimits {
  maxEntries: number;
  maxValue: number;
}

export class ZSet implements RedisObject {
  readonly type = 'zset' as const;
  readonly zsl: SkipList;
  private readonly dict = new Map<string, SkipNode>();
  private readonly dense: SkipNode[] = [];
  /** True while Redis would still hold this set as a listpack. */
  private listpack: boolean;
  /** The score the last add() left the member with (ZADD INCR's reply). */
  newScore = 0;

  constructor(listpack = true, private readonly rand: () => number = Math.random) {
    this.listpack = listpack;
    this.zsl = new SkipList(rand);
  }

  /** A new set with the encoding Redis picks when a write creates the key. */
  static create(limits: ZsetLimits, firstMemberLen: number, rand?: () => number): ZSet {
    return new ZSet(limits.maxEntries !== 0 && firstMemberLen <= limits.maxValue, rand);
  }

  encoding(): string {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  get isListpack(): boolean {
    return this.listpack;
  }

  get size(): number {
    return this.zsl.length;
  }

  clone(): ZSet {
    const c = new ZSet(this.listpack, this.rand);
    for (let n = this.zsl.first(); n !== null; n = n.forward[0] as SkipNode | null) c.insertNew(n.score, n.member);
    return c;
  }

  score(member: string): number | undefined {
    const n = this.dict.get(member);
    return n === undefined ? undefined : n.score;
  }

  has(member: string): boolean {
    return this.dict.has(member);
  }

  node(member: string): SkipNode | undefined {
    return this.dict.get(member);
  }

  /** 0-based rank, counted from the top when reverse; -1 when absent. */
  rank(member: string, reverse: boolean): number {
    const n = this.dict.get(member);
    if (n === undefined) return -1;
    const r = this.zsl.getRank(n.score, member);
    return reverse ? this.zsl.length - r : r - 1;
  }

  /** Adds a member known to be absent, without encoding checks (loading, building results). */
  insertNew(score: number, member: string): SkipNode {
    const n = this.zsl.insert(score, member);
    n.idx = this.dense.length;
    this.dense.push(n);
    this.dict.set(member, n);
    return n;
  }

  /**
   * ZADD's core (zsetAdd). Returns ZADD_OUT_* flags; on success this.newScore holds the
   * member's resulting score unless the outcome was a no-op. NaN input or a NaN sum
   * leaves the set unchanged and returns ZADD_OUT_NAN.
   */
  add(score: number, member: string, flags: number, limits: ZsetLimits): number {
    if (Number.isNaN(score)) return ZADD_OUT_NAN;
    const cur = this.dict.get(member);
    if (cur !== undefined) {
      if (flags & ZADD_NX) return ZADD_OUT_NOP;
      const curScore = cur.score;
      if (flags & ZADD_INCR) {
        score += curScore;
        if (Number.isNaN(score)) return ZADD_OUT_NAN;
      }
      if (((flags & ZADD_LT) && score >= curScore) || ((flags & ZADD_GT) && score <= curScore)) return ZADD_OUT_NOP;
      this.newScore = score;
      if (score !== curScore) {
        this.zsl.updateScore(curScore, member, this.listpack ? score + 0 : score);
        return ZADD_OUT_UPDATED;
      }
      return 0;
    }
    if (flags & ZADD_XX) return ZADD_OUT_NOP;
    if (this.listpack && (this.zsl.length + 1 > limits.maxEntries || member.length > limits.maxValue)) {
      this.listpack = false;
    }
    // A listpack stores integral scores as integers, so -0 goes in as 0.
    this.insertNew(this.listpack ? score + 0 : score, member);
    this.newScore = score;
    return ZADD_OUT_ADDED;
  }

  /** Removes a member; false when absent. */
  remove(member: string): boolean {
    const n = this.dict.get(member);
    if (n === undefined) return false;
    this.zsl.delete(n.score, member);
    this.forget(n);
    return true;
  }

  /** Drops a node that already left the skiplist from the indexes (skiplist callback). */
  forget(n: SkipNode): void {
    this.dict.delete(n.member);
    const last = this.dense.pop()!;
    if (last !== n) {
      this.dense[n.idx] = last;
      last.idx = n.idx;
    }
    n.idx = -1;
  }

  removeRangeByScore(r: ScoreRange): number {
    return this.zsl.deleteRangeByScore(r, this);
  }

  removeRangeByLex(r: LexRange): number {
    if (!this.listpack) return this.zsl.deleteRangeByLex(r, this);
    const first = this.zsl.firstInLexRangeLinear(r);
    return first === null ? 0 : this.zsl.deleteLexRunFrom(first, r, this);
  }

  /**
   * First / last member in a lex range. Lex ranges are only meaningful when all scores
   * are equal; otherwise Redis's answer depends on the encoding, so a listpack-encoded
   * set walks linearly as a listpack does.
   */
  firstInLexRange(r: LexRange): SkipNode | null {
    return this.listpack ? this.zsl.firstInLexRangeLinear(r) : this.zsl.firstInLexRange(r);
  }

  lastInLexRange(r: LexRange): SkipNode | null {
    return this.listpack ? this.zsl.lastInLexRangeLinear(r) : this.zsl.lastInLexRange(r);
  }

  /** 0-based inclusive ranks, already clamped by the caller. */
  removeRangeByRank(start: number, end: number): number {
    return this.zsl.deleteRangeByRank(start + 1, end + 1, this);
  }

  /** Removes and returns the lowest (or highest) member's node. */
  pop(max: boolean): SkipNode | null {
    const n = this.zsl.popEnd(max);
    if (n !== null) this.forget(n);
    return n;
  }

  /** Node at a 0-based rank from the bottom. */
  byRank(rank: number): SkipNode | null {
    if (rank < 0 || rank >= this.zsl.length) return null;
    return this.zsl.getByRank(rank + 1);
  }

  first(): SkipNode | null {
    return this.zsl.first();
  }

  last(): SkipNode | null {
    return this.zsl.tail;
  }

  /** Number of members with a score in r: two rank lookups, O(log n). */
  countInRange(r: ScoreRange): number {
    const a = this.zsl.firstInRange(r);
    if (a === null) return 0;
    const b = this.zsl.lastInRange(r)!;
    return this.zsl.getRank(b.score, b.member) - this.zsl.getRank(a.score, a.member) + 1;
  }

  countInLexRange(r: LexRange): number {
    if (this.listpack) {
      let n = 0;
      for (let x = this.zsl.firstInLexRangeLinear(r); x !== null && lexLteMax(x.member, r); x = x.forward[0] as SkipNode | null) n++;
      return n;
    }
    const a = this.zsl.firstInLexRange(r);
    if (a === null) return 0;
    const b = this.zsl.lastInLexRange(r)!;
    return this.zsl.getRank(b.score, b.member) - this.zsl.getRank(a.score, a.member) + 1;
  }

  /** A uniformly random member's node; undefined when empty. */
  random(rand: () => number = this.rand): SkipNode | undefined {
    const n = this.dense.length;
    return n === 0 ? undefined : this.dense[Math.floor(rand() * n)];
  }

  /** Node at a dense-array slot (for sampling without repetition). */
  atSlot(i: number): SkipNode | undefined {
    return this.dense[i];
  }

  /**
   * Appends up to `count` nodes to `out`, from `cursor` downward, and returns the next
   * cursor (0 when done). Cursor 0 starts at the top; see DenseMap.scan for why nothing
   * present throughout an iteration is missed.
   */
  scan(cursor: number, count: number, out: SkipNode[]): number {
    let i = cursor === 0 ? this.dense.length : Math.min(cursor, this.dense.length);
    let seen = 0;
    while (i > 0 && seen < count) {
      i--;
      out.push(this.dense[i]!);
      seen++;
    }
    return i;
  }

  /**
   * Converts back to listpack when small enough (zsetConvertToListpackIfNeeded), as the
   * *STORE commands do with their results.
   */
  shrinkIfSmall(limits: ZsetLimits): void {
    if (this.listpack || this.zsl.length > limits.maxEntries) return;
    for (let n = this.zsl.first(); n !== null; n = n.forward[0] as SkipNode | null) {
      if (n.member.length > limits.maxValue) return;
    }
    this.listpack = true;
    // Written into a listpack, -0 becomes the integer 0 (same order, so in place).
    for (let n = this.zsl.first(); n !== null; n = n.forward[0] as SkipNode | null) n.score += 0;
  }

  /** Forces the encoding flag (loading a dump that says which encoding it had). */
  setEncoding(listpack: boolean): void {
    this.listpack = listpack;
  }

  /** Members and scores in ascending order (tests, persistence). */
  *entries(): IterableIterator<[string, number]> {
    for (let n = this.zsl.first(); n !== null; n = n.forward[0] as SkipNode | null) yield [n.member, n.score];
  }
}

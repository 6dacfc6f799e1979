/**
 * The ordered half of a sorted set: a skiplist with spans, after Redis's zskiplist.
 *
 * Order is (score, member): scores compare numerically (-0 equals 0), ties break on the
 * member compared bytewise. Members are latin1 strings (one char per byte), so JS `<`
 * on them is memcmp order with the shorter prefix first, exactly like sdscmp.
 * Each forward link carries a span (how many level-0 steps it jumps), which gives
 * O(log n) rank queries and rank-based seeks. Rank arguments and results are 1-based,
 * as in Redis; the header node is rank 0.
 *
 * Invariants: no NaN score is ever inserted (callers reject NaN first); a member appears
 * at most once (the caller's hash index guarantees it).
 * The level generator is injected so tests can be deterministic; nothing here is
 * shared between instances. Imports nothing from src.
 */

export const MAX_LEVEL = 32;
/** Chance that a node also appears one level up (Redis's ZSKIPLIST_P). */
const P = 0.25;

type Link = SkipNode | null;

export class SkipNode {
  /** Next node per level; length is the node's level. */
  readonly forward: Array<SkipNode | null>;
  /** Level-0 steps covered by forward[i]. */
  readonly span: number[];
  backward: SkipNode | null = null;
  /** Slot in the owning sorted set's dense index (random picks, SCAN). */
  idx = -1;

  constructor(public score: number, readonly member: string, level: number) {
    this.forward = new Array<SkipNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
}

/** A score interval; an exclusive end is written "(x" on the wire. */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/**
 * A lexicographic interval. A bound's kind is 0 for a concrete string, -1 for "-"
 * (below every string) and 1 for "+" (above every string); infinite bounds are
 * always exclusive.
 */
export interface LexRange {
  min: string;
  max: string;
  minKind: -1 | 0 | 1;
  maxKind: -1 | 0 | 1;
  minex: boolean;
  maxex: boolean;
}

export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}

export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}

/** Compares a member with a lex bound (-1, 0, 1). */
function cmpBound(v: string, bound: string, kind: -1 | 0 | 1): number {
  if (kind !== 0) return -kind;
  return v < bound ? -1 : v > bound ? 1 : 0;
}

export function lexGteMin(v: string, r: LexRange): boolean {
  const c = cmpBound(v, r.min, r.minKind);
  return r.minex ? c > 0 : c >= 0;
}

export function lexLteMax(v: string, r: LexRange): boolean {
  const c = cmpBound(v, r.max, r.maxKind);
  return r.maxex ? c < 0 : c <= 0;
}

/** True when no member can fall in the range, whatever the set holds. */
export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

export function lexRangeEmpty(r: LexRange): boolean {
  let c: number;
  if (r.minKind !== 0 && r.minKind === r.maxKind) c = 0;
  else if (r.minKind === -1 || r.maxKind === 1) c = -1;
  else if (r.minKind === 1 || r.maxKind === -1) c = 1;
  else c = r.min < r.max ? -1 : r.min > r.max ? 1 : 0;
  return c > 0 || (c === 0 && (r.minex || r.maxex));
}

/** (score, member) strictly before (score2, member2). */
function before(n: SkipNode, score: number, member: string): boolean {
  return n.score < score || (n.score === score && n.member < member);
}

/** Told about every node a range deletion unlinks (the owner's hash index). */
export interface NodeSink {
  forget(n: SkipNode): void;
}

export class SkipList {
  readonly header: SkipNode;
  tail: SkipNode | null = null;
  length = 0;
  level = 1;
  /** Scratch paths reused by every operation (one skiplist is never re-entered). */
  private readonly update: SkipNode[] = [];
  private readonly rank: number[] = [];

  constructor(private readonly rand: () => number = Math.random) {
    // The header grows its levels on demand, so a tiny set pays for one level only.
    this.header = new SkipNode(0, '', 1);
  }

  private randomLevel(): number {
    let level = 1;
    while (level < MAX_LEVEL && this.rand() < P) level++;
    return level;
  }

  first(): SkipNode | null {
    return this.header.forward[0] ?? null;
  }

  /** Inserts a member known to be absent; returns its node. */
  insert(score: number, member: string): SkipNode {
    return this.link(new SkipNode(score, member, this.randomLevel()));
  }

  private link(x: SkipNode): SkipNode {
    const update = this.update;
    const rank = this.rank;
    const score = x.score;
    const member = x.member;
    let h = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rank[i] = i === this.level - 1 ? 0 : rank[i + 1]!;
      let f = h.forward[i] as Link;
      while (f !== null && before(f, score, member)) {
        rank[i]! += h.span[i]!;
        h = f;
        f = h.forward[i] as Link;
      }
      update[i] = h;
    }
    const level = x.forward.length;
    if (level > this.level) {
      const hd = this.header;
      for (let i = this.level; i < level; i++) {
        rank[i] = 0;
        update[i] = hd;
        hd.forward[i] = null;
        hd.span[i] = this.length;
      }
      this.level = level;
    }
    const r0 = rank[0]!;
    for (let i = 0; i < level; i++) {
      const u = update[i]!;
      x.forward[i] = u.forward[i] as Link;
      u.forward[i] = x;
      x.span[i] = u.span[i]! - (r0 - rank[i]!);
      u.span[i] = r0 - rank[i]! + 1;
    }
    for (let i = level; i < this.level; i++) update[i]!.span[i]!++;
    x.backward = update[0] === this.header ? null : update[0]!;
    const next = x.forward[0] as Link;
    if (next !== null) next.backward = x;
    else this.tail = x;
    this.length++;
    return x;
  }

  /** Unlinks x given the path of predecessors in this.update. */
  private unlink(x: SkipNode): void {
    const update = this.update;
    for (let i = 0; i < this.level; i++) {
      const u = update[i]!;
      if (u.forward[i] === x) {
        u.span[i]! += x.span[i]! - 1;
        u.forward[i] = x.forward[i] as Link;
      } else {
        u.span[i]!--;
      }
    }
    const next = x.forward[0] as Link;
    if (next !== null) next.backward = x.backward;
    else this.tail = x.backward;
    const hd = this.header;
    while (this.level > 1 && hd.forward[this.level - 1] === null) {
      this.level--;
      hd.forward.length = this.level;
      hd.span.length = this.level;
    }
    this.length--;
  }

  /** Fills this.update with the last node before (score, member) on every level. */
  private seek(score: number, member: string): SkipNode {
    let h = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = h.forward[i] as Link;
      while (f !== null && before(f, score, member)) {
        h = f;
        f = h.forward[i] as Link;
      }
      this.update[i] = h;
    }
    return h;
  }

  /** Removes the node holding (score, member); returns it, or null when absent. */
  delete(score: number, member: string): SkipNode | null {
    const x = this.seek(score, member).forward[0]!;
    if (x !== null && x.score === score && x.member === member) {
      this.unlink(x);
      return x;
    }
    return null;
  }

  /**
   * Moves an existing member to a new score and returns its node (the same object, so
   * an index pointing at it stays valid). When the order does not change, the score
   * is rewritten in place.
   */
  updateScore(curScore: number, member: string, newScore: number): SkipNode {
    const x = this.seek(curScore, member).forward[0]!;
    if (x === null || x.score !== curScore || x.member !== member) throw new Error('zset: updateScore on missing member');
    const next = x.forward[0] as Link;
    if ((x.backward === null || x.backward.score < newScore) && (next === null || next.score > newScore)) {
      x.score = newScore;
      return x;
    }
    this.unlink(x);
    x.score = newScore;
    x.backward = null;
    for (let i = 0; i < x.forward.length; i++) {
      x.forward[i] = null;
      x.span[i] = 0;
    }
    return this.link(x);
  }

  /** 1-based rank of (score, member), 0 when absent. */
  getRank(score: number, member: string): number {
    let h = this.header;
    let rank = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = h.forward[i] as Link;
      while (f !== null && (f.score < score || (f.score === score && f.member <= member))) {
        rank += h.span[i]!;
        h = f;
        f = h.forward[i] as Link;
      }
      if (h !== this.header && h.score === score && h.member === member) return rank;
    }
    return 0;
  }

  /** The node at a 1-based rank, or null when out of range. */
  getByRank(rank: number): SkipNode | null {
    let h = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = h.forward[i] as Link;
      while (f !== null && traversed + h.span[i]! <= rank) {
        traversed += h.span[i]!;
        h = f;
        f = h.forward[i] as Link;
      }
      if (traversed === rank) return h === this.header ? null : h;
    }
    return null;
  }

  /**
   * Score and lex ranges share one search: `gteMin`/`lteMax` say whether a node is past
   * the range's lower bound / within its upper bound (Redis's zslFirstInRange and
   * zslFirstInLexRange are the same walk over different comparisons).
   */
  private anyIn<R>(r: R, empty: boolean, gteMin: (n: SkipNode, r: R) => boolean, lteMax: (n: SkipNode, r: R) => boolean): boolean {
    if (empty) return false;
    const t = this.tail;
    if (t === null || !gteMin(t, r)) return false;
    const f = (this.header.forward[0] as Link);
    return f !== null && lteMax(f, r);
  }

  private firstIn<R>(r: R, empty: boolean, gteMin: (n: SkipNode, r: R) => boolean, lteMax: (n: SkipNode, r: R) => boolean): SkipNode | null {
    if (!this.anyIn(r, empty, gteMin, lteMax)) return null;
    let h = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = h.forward[i] as Link;
      while (f !== null && !gteMin(f, r)) {
        h = f;
        f = h.forward[i] as Link;
      }
    }
    const x = h.forward[0] as Link;
    return x !== null && lteMax(x, r) ? x : null;
  }

  private lastIn<R>(r: R, empty: boolean, gteMin: (n: SkipNode, r: R) => boolean, lteMax: (n: SkipNode, r: R) => boolean): SkipNode | null {
    if (!this.anyIn(r, empty, gteMin, lteMax)) return null;
    let h = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = h.forward[i] as Link;
      while (f !== null && lteMax(f, r)) {
        h = f;
        f = h.forward[i] as Link;
      }
    }
    return h !== this.header && gteMin(h, r) ? h : null;
  }

  firstInRange(r: ScoreRange): SkipNode | null {
    return this.firstIn(r, scoreRangeEmpty(r), nodeScoreGteMin, nodeScoreLteMax);
  }

  lastInRange(r: ScoreRange): SkipNode | null {
    return this.lastIn(r, scoreRangeEmpty(r), nodeScoreGteMin, nodeScoreLteMax);
  }

  firstInLexRange(r: LexRange): SkipNode | null {
    return this.firstIn(r, lexRangeEmpty(r), nodeLexGteMin, nodeLexLteMax);
  }

  lastInLexRange(r: LexRange): SkipNode | null {
    return this.lastIn(r, lexRangeEmpty(r), nodeLexGteMin, nodeLexLteMax);
  }

  /**
   * The listpack versions of first/lastInLexRange: a linear walk from the head (tail).
   * With equal scores they agree with the descent above; with mixed scores (where lex
   * ranges are unspecified) they give what a listpack-encoded set gives in Redis.
   */
  firstInLexRangeLinear(r: LexRange): SkipNode | null {
    if (!this.anyIn(r, lexRangeEmpty(r), nodeLexGteMin, nodeLexLteMax)) return null;
    for (let x = this.header.forward[0] as Link; x !== null; x = x.forward[0] as Link) {
      if (lexGteMin(x.member, r)) return lexLteMax(x.member, r) ? x : null;
    }
    return null;
  }

  lastInLexRangeLinear(r: LexRange): SkipNode | null {
    if (!this.anyIn(r, lexRangeEmpty(r), nodeLexGteMin, nodeLexLteMax)) return null;
    for (let x = this.tail; x !== null; x = x.backward) {
      if (lexLteMax(x.member, r)) return lexGteMin(x.member, r) ? x : null;
    }
    return null;
  }

  /** Deletes the run of nodes from `start` on that stay <= the range's max. */
  deleteLexRunFrom(start: SkipNode, r: LexRange, sink: NodeSink): number {
    this.seek(start.score, start.member);
    let x: Link = start;
    let removed = 0;
    while (x !== null && lexLteMax(x.member, r)) {
      const next = x.forward[0] as Link;
      this.unlink(x);
      sink.forget(x);
      removed++;
      x = next;
    }
    return removed;
  }

  /** Deletes every node with min <= score <= max (ends per r); hands each to sink. */
  deleteRangeByScore(r: ScoreRange, sink: NodeSink): number {
    let h = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = h.forward[i] as Link;
      while (f !== null && !scoreGteMin(f.score, r)) {
        h = f;
        f = h.forward[i] as Link;
      }
      this.update[i] = h;
    }
    let x = h.forward[0] as Link;
    let removed = 0;
    while (x !== null && scoreLteMax(x.score, r)) {
      const next = x.forward[0] as Link;
      this.unlink(x);
      sink.forget(x);
      removed++;
      x = next;
    }
    return removed;
  }

  deleteRangeByLex(r: LexRange, sink: NodeSink): number {
    let h = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = h.forward[i] as Link;
      while (f !== null && !lexGteMin(f.member, r)) {
        h = f;
        f = h.forward[i] as Link;
      }
      this.update[i] = h;
    }
    let x = h.forward[0] as Link;
    let removed = 0;
    while (x !== null && lexLteMax(x.member, r)) {
      const next = x.forward[0] as Link;
      this.unlink(x);
      sink.forget(x);
      removed++;
      x = next;
    }
    return removed;
  }

  /** Deletes 1-based ranks start..end inclusive. */
  deleteRangeByRank(start: number, end: number, sink: NodeSink): number {
    let h = this.header;
    let traversed = 0;
    for (let i = this.level - 1; i >= 0; i--) {
      let f = h.forward[i] as Link;
      while (f !== null && traversed + h.span[i]! < start) {
        traversed += h.span[i]!;
        h = f;
        f = h.forward[i] as Link;
      }
      this.update[i] = h;
    }
    traversed++;
    let x = h.forward[0] as Link;
    let removed = 0;
    while (x !== null && traversed <= end) {
      const next = x.forward[0] as Link;
      this.unlink(x);
      sink.forget(x);
      removed++;
      traversed++;
      x = next;
    }
    return removed;
  }

  /** Removes the first (or last) node; null when empty. */
  popEnd(last: boolean): SkipNode | null {
    const x = last ? this.tail : (this.header.forward[0] as Link);
    if (x === null) return null;
    this.seek(x.score, x.member);
    this.unlink(x);
    return x;
  }
}

const nodeScoreGteMin = (n: SkipNode, r: ScoreRange): boolean => scoreGteMin(n.score, r);
const nodeScoreLteMax = (n: SkipNode, r: ScoreRange): boolean => scoreLteMax(n.score, r);
const nodeLexGteMin = (n: SkipNode, r: LexRange): boolean => lexGteMin(n.member, r);
const nodeLexLteMax = (n: SkipNode, r: LexRange): boolean => lexLteMax(n.member, r);

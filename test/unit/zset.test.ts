/**
 * Sorted set structure tests: the skiplist + index against a sorted-array reference
 * model (fast-check drives random operation sequences), the span/backward invariants,
 * range and rank queries, the encoding rules, the argument parsers, and the O(log n)
 * claim on a 1,000,000-member set.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  ZSet, ZADD_GT, ZADD_INCR, ZADD_LT, ZADD_NX, ZADD_XX, ZADD_OUT_ADDED, ZADD_OUT_NAN, ZADD_OUT_NOP, ZADD_OUT_UPDATED,
  type ScoreRange, type LexRange,
} from '../../src/keyspace/zset.js';
import { SkipList, type SkipNode } from '../../src/keyspace/skiplist.js';
import { nodesByLex, nodesByRank, nodesByScore } from '../../src/commands/zset/range.js';
import { numkeysKeys, parseLexRange, parseScore, parseScoreRange, strtodWhole } from '../../src/commands/zset/args.js';

/** Small seeded PRNG so level choices are reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BIG: { maxEntries: number; maxValue: number } = { maxEntries: 1 << 30, maxValue: 1 << 30 };

interface El { m: string; s: number }
function cmp(a: El, b: El): number {
  if (a.s < b.s) return -1;
  if (a.s > b.s) return 1;
  return a.m < b.m ? -1 : a.m > b.m ? 1 : 0;
}

/** The reference: a plain array kept sorted, with ZADD's rules written out longhand. */
class Model {
  els: El[] = [];
  find(m: string): number {
    return this.els.findIndex((e) => e.m === m);
  }
  add(score: number, m: string, flags: number): { out: number; score?: number } {
    if (Number.isNaN(score)) return { out: ZADD_OUT_NAN };
    const i = this.find(m);
    if (i >= 0) {
      if (flags & ZADD_NX) return { out: ZADD_OUT_NOP };
      const cur = this.els[i]!.s;
      if (flags & ZADD_INCR) {
        score += cur;
        if (Number.isNaN(score)) return { out: ZADD_OUT_NAN };
      }
      if ((flags & ZADD_LT && score >= cur) || (flags & ZADD_GT && score <= cur)) return { out: ZADD_OUT_NOP };
      if (score !== cur) {
        this.els[i]!.s = score;
        this.els.sort(cmp);
        return { out: ZADD_OUT_UPDATED, score };
      }
      return { out: 0, score };
    }
    if (flags & ZADD_XX) return { out: ZADD_OUT_NOP };
    this.els.push({ m, s: score });
    this.els.sort(cmp);
    return { out: ZADD_OUT_ADDED, score };
  }
  remove(m: string): boolean {
    const i = this.find(m);
    if (i < 0) return false;
    this.els.splice(i, 1);
    return true;
  }
  inScore(s: number, r: ScoreRange): boolean {
    return (r.minex ? s > r.min : s >= r.min) && (r.maxex ? s < r.max : s <= r.max);
  }
  inLex(m: string, r: LexRange): boolean {
    const lo = r.minKind === -1 ? true : r.minKind === 1 ? false : r.minex ? m > r.min : m >= r.min;
    const hi = r.maxKind === 1 ? true : r.maxKind === -1 ? false : r.maxex ? m < r.max : m <= r.max;
    return lo && hi;
  }
}

/** Every structural invariant of the skiplist, checked by brute force. */
function checkInvariants(zs: ZSet, model: Model): void {
  const zsl: SkipList = zs.zsl;
  const nodes: SkipNode[] = [];
  let prev: SkipNode | null = null;
  for (let n = zsl.first(); n !== null; n = n.forward[0] as SkipNode | null) {
    expect(n.backward).to.equal(prev);
    nodes.push(n);
    prev = n;
  }
  expect(zsl.tail).to.equal(prev);
  expect(nodes.length).to.equal(zsl.length);
  expect(zs.size).to.equal(model.els.length);
  expect(nodes.map((n) => [n.member, n.score])).to.deep.equal(model.els.map((e) => [e.m, e.s]));
  const rankOf = new Map<SkipNode, number>();
  nodes.forEach((n, i) => rankOf.set(n, i + 1));
  expect(zsl.header.forward.length).to.equal(zsl.level);
  for (let lvl = 0; lvl < zsl.level; lvl++) {
    let x: SkipNode = zsl.header;
    let pos = 0;
    for (;;) {
      const f = x.forward[lvl] as SkipNode | null;
      if (f === null) {
        // A link to the end spans whatever is left after x.
        expect(x.span[lvl], `tail span at level ${lvl}`).to.equal(zsl.length - pos);
        break;
      }
      pos += x.span[lvl]!;
      expect(rankOf.get(f), `span sum at level ${lvl}`).to.equal(pos);
      x = f;
    }
  }
  if (zsl.level > 1) expect(zsl.header.forward[zsl.level - 1]).to.not.equal(null);
  for (const e of model.els) expect(zs.score(e.m)).to.equal(e.s);
}

const memberArb = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '\x00', '\xff', 'Z'), maxLength: 3 });
const scoreArb = fc.oneof(
  fc.constantFrom(-Infinity, -2, -1, -0, 0, 0.5, 1, 2, 3, Infinity),
  fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
);
const flagsArb = fc.constantFrom(0, ZADD_NX, ZADD_XX, ZADD_GT, ZADD_LT, ZADD_XX | ZADD_GT, ZADD_XX | ZADD_LT, ZADD_INCR, ZADD_INCR | ZADD_GT, ZADD_INCR | ZADD_NX);
const scoreRangeArb = fc.record({ min: scoreArb, max: scoreArb, minex: fc.boolean(), maxex: fc.boolean() });
const lexBoundArb = fc.oneof(
  fc.record({ s: memberArb, kind: fc.constant(0 as const), ex: fc.boolean() }),
  fc.constantFrom({ s: '', kind: -1 as const, ex: true }, { s: '', kind: 1 as const, ex: true }),
);
const lexRangeArb = fc.tuple(lexBoundArb, lexBoundArb).map(([a, b]): LexRange => (
  { min: a.s, minKind: a.kind, minex: a.ex, max: b.s, maxKind: b.kind, maxex: b.ex }));

type Op =
  | { t: 'add'; s: number; m: string; f: number }
  | { t: 'rem'; m: string }
  | { t: 'remScore'; r: ScoreRange }
  | { t: 'remLex'; r: LexRange }
  | { t: 'remRank'; a: number; b: number }
  | { t: 'pop'; max: boolean };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('add' as const), s: scoreArb, m: memberArb, f: flagsArb }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('rem' as const), m: memberArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('remScore' as const), r: scoreRangeArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('remLex' as const), r: lexRangeArb }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('remRank' as const), a: fc.integer({ min: 0, max: 12 }), b: fc.integer({ min: 0, max: 12 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('pop' as const), max: fc.boolean() }) },
);

function apply(zs: ZSet, model: Model, op: Op): void {
  switch (op.t) {
    case 'add': {
      const want = model.add(op.s, op.m, op.f);
      const got = zs.add(op.s, op.m, op.f, BIG);
      expect(got).to.equal(want.out);
      if (want.score !== undefined) expect(zs.newScore).to.equal(want.score);
      break;
    }
    case 'rem':
      expect(zs.remove(op.m)).to.equal(model.remove(op.m));
      break;
    case 'remScore': {
      const keep = model.els.filter((e) => !model.inScore(e.s, op.r));
      expect(zs.removeRangeByScore(op.r)).to.equal(model.els.length - keep.length);
      model.els = keep;
      break;
    }
    case 'remLex': {
      // Redis only defines lex ranges on sets whose scores are all equal.
      const keep = model.els.filter((e) => !model.inLex(e.m, op.r));
      if (new Set(model.els.map((e) => e.s)).size <= 1) {
        expect(zs.removeRangeByLex(op.r)).to.equal(model.els.length - keep.length);
        model.els = keep;
      }
      break;
    }
    case 'remRank': {
      const n = model.els.length;
      const a = Math.min(op.a, op.b);
      const b = Math.max(op.a, op.b);
      if (a < n) {
        const end = Math.min(b, n - 1);
        expect(zs.removeRangeByRank(a, end)).to.equal(end - a + 1);
        model.els.splice(a, end - a + 1);
      }
      break;
    }
    case 'pop': {
      const n = zs.pop(op.max);
      const e = op.max ? model.els.pop() : model.els.shift();
      if (e === undefined) expect(n).to.equal(null);
      else expect([n!.member, n!.score]).to.deep.equal([e.m, e.s]);
      break;
    }
  }
}

describe('zset: skiplist + index against a sorted-array model', () => {
  it('keeps order, spans, backward links and the index exact under random operations', () => {
    fc.assert(fc.property(fc.integer(), fc.array(opArb, { maxLength: 60 }), (seed, ops) => {
      const zs = new ZSet(false, mulberry32(seed));
      const model = new Model();
      for (const op of ops) {
        apply(zs, model, op);
        checkInvariants(zs, model);
      }
    }), { numRuns: 300 });
  });

  it('answers rank, byRank, score and lex ranges like the model', () => {
    fc.assert(fc.property(
      fc.integer(), fc.array(fc.tuple(scoreArb, memberArb), { maxLength: 40 }), scoreRangeArb,
      fc.integer({ min: -3, max: 5 }), fc.integer({ min: -3, max: 5 }), fc.boolean(),
      (seed, pairs, r, offset, limit, reverse) => {
        const zs = new ZSet(false, mulberry32(seed));
        const model = new Model();
        for (const [s, m] of pairs) {
          model.add(s, m, 0);
          zs.add(s, m, 0, BIG);
        }
        const els = model.els;
        els.forEach((e, i) => {
          expect(zs.rank(e.m, false)).to.equal(i);
          expect(zs.rank(e.m, true)).to.equal(els.length - 1 - i);
          expect(zs.byRank(i)!.member).to.equal(e.m);
        });
        expect(zs.rank('not-there', false)).to.equal(-1);
        expect(zs.byRank(els.length)).to.equal(null);
        // Score range with Redis's LIMIT semantics: negative offset gives nothing,
        // negative count means all.
        const inRange = els.filter((e) => model.inScore(e.s, r));
        if (reverse) inRange.reverse();
        let want = offset < 0 ? [] : inRange.slice(offset);
        if (limit >= 0) want = want.slice(0, limit);
        expect(nodesByScore(zs, r, offset, limit, reverse).map((n) => n.member)).to.deep.equal(want.map((e) => e.m));
        expect(zs.countInRange(r)).to.equal(els.filter((e) => model.inScore(e.s, r)).length);
        // Rank ranges with negative indexes.
        for (const [a, b] of [[0, -1], [1, 2], [-2, -1], [-100, 100], [3, 1]] as const) {
          const n = els.length;
          let s = a < 0 ? n + a : a;
          let t = b < 0 ? n + b : b;
          if (s < 0) s = 0;
          if (t >= n) t = n - 1;
          const fwd = s > t ? [] : els.slice(s, t + 1).map((e) => e.m);
          const rev = s > t ? [] : [...els].reverse().slice(s, t + 1).map((e) => e.m);
          expect(nodesByRank(zs, a, b, false).map((x) => x.member)).to.deep.equal(fwd);
          expect(nodesByRank(zs, a, b, true).map((x) => x.member)).to.deep.equal(rev);
        }
      }), { numRuns: 300 });
  });

  it('answers lex ranges like the model when all scores are equal', () => {
    fc.assert(fc.property(fc.integer(), fc.uniqueArray(memberArb, { maxLength: 30 }), lexRangeArb, fc.boolean(), (seed, ms, r, reverse) => {
      const zs = new ZSet(false, mulberry32(seed));
      const model = new Model();
      for (const m of ms) {
        zs.add(0, m, 0, BIG);
        model.add(0, m, 0);
      }
      const want = model.els.filter((e) => model.inLex(e.m, r)).map((e) => e.m);
      if (reverse) want.reverse();
      expect(nodesByLex(zs, r, 0, -1, reverse).map((n) => n.member)).to.deep.equal(want);
      expect(zs.countInLexRange(r)).to.equal(want.length);
    }), { numRuns: 300 });
  });

  it('walks lex ranges linearly, like a listpack, while listpack-encoded', () => {
    // With mixed scores Redis's listpack answer is "first member from the head that is
    // >= min, then the run that stays <= max"; a linear model gives the same.
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), memberArb), { maxLength: 20 }), lexRangeArb, (pairs, r) => {
      const zs = new ZSet(true, mulberry32(5));
      const model = new Model();
      for (const [sc, m] of pairs) {
        zs.add(sc, m, 0, BIG);
        model.add(sc, m, 0);
      }
      const els = model.els;
      const gteMin = (m: string): boolean => model.inLex(m, { ...r, maxKind: 1 });
      const lteMax = (m: string): boolean => model.inLex(m, { ...r, minKind: -1 });
      // Redis first checks that the tail is >= min and the head <= max.
      const any = els.length > 0 && gteMin(els[els.length - 1]!.m) && lteMax(els[0]!.m);
      const i = any ? els.findIndex((e) => gteMin(e.m)) : -1;
      const first = i >= 0 && lteMax(els[i]!.m) ? i : -1;
      let run = 0;
      if (first >= 0) while (first + run < els.length && lteMax(els[first + run]!.m)) run++;
      const got = zs.firstInLexRange(r);
      expect(got === null ? null : got.member).to.equal(first >= 0 ? els[first]!.m : null);
      expect(zs.countInLexRange(r)).to.equal(run);
      expect(nodesByLex(zs, r, 0, -1, false).length).to.equal(run);
      expect(zs.removeRangeByLex(r)).to.equal(run);
      if (run > 0) els.splice(first, run);
      checkInvariants(zs, model);
    }), { numRuns: 300 });
  });

  it('orders ties bytewise, with -0 equal to 0 and a shorter prefix first', () => {
    const zs = new ZSet(false, mulberry32(1));
    for (const m of ['b', 'a\xff', 'a', '\x00', 'a\x00']) zs.add(0, m, 0, BIG);
    zs.add(-0, 'c', 0, BIG);
    expect([...zs.entries()].map(([m]) => m)).to.deep.equal(['\x00', 'a', 'a\x00', 'a\xff', 'b', 'c']);
    // Re-adding with -0 is not an update: the score compares equal.
    expect(zs.add(-0, 'a', 0, BIG)).to.equal(0);
    expect(Object.is(zs.score('a'), 0)).to.equal(true);
  });

  it('is deterministic for a given level generator', () => {
    const build = (seed: number): number[] => {
      const zs = new ZSet(false, mulberry32(seed));
      for (let i = 0; i < 200; i++) zs.add(i, `m${i}`, 0, BIG);
      const levels: number[] = [];
      for (let n = zs.first(); n !== null; n = n.forward[0] as SkipNode | null) levels.push(n.forward.length);
      return levels;
    };
    expect(build(7)).to.deep.equal(build(7));
    expect(build(7)).to.not.deep.equal(build(8));
  });

  it('clones deeply', () => {
    const zs = new ZSet(true, mulberry32(3));
    zs.add(1, 'a', 0, BIG);
    zs.add(2, 'b', 0, BIG);
    const c = zs.clone();
    c.add(5, 'a', 0, BIG);
    c.remove('b');
    expect([...zs.entries()]).to.deep.equal([['a', 1], ['b', 2]]);
    expect([...c.entries()]).to.deep.equal([['a', 5]]);
    expect(c.encoding()).to.equal('listpack');
  });
});

describe('zset: encoding', () => {
  const limits = { maxEntries: 3, maxValue: 5 };

  it('starts as a listpack unless the limits forbid the first member', () => {
    expect(ZSet.create(limits, 5).encoding()).to.equal('listpack');
    expect(ZSet.create(limits, 6).encoding()).to.equal('skiplist');
    expect(ZSet.create({ maxEntries: 0, maxValue: 64 }, 1).encoding()).to.equal('skiplist');
  });

  it('converts on the add that passes a limit, permanently', () => {
    const zs = ZSet.create(limits, 1);
    for (const m of ['a', 'b', 'c']) zs.add(1, m, 0, limits);
    expect(zs.encoding()).to.equal('listpack');
    zs.add(1, 'd', 0, limits);
    expect(zs.encoding()).to.equal('skiplist');
    zs.remove('d');
    zs.remove('c');
    expect(zs.encoding()).to.equal('skiplist');
    const long = ZSet.create(limits, 1);
    long.add(1, 'abcdef', 0, limits);
    expect(long.encoding()).to.equal('skiplist');
    // Updating an existing member never converts.
    const up = ZSet.create(limits, 1);
    up.add(1, 'a', 0, limits);
    up.add(2, 'a', 0, limits);
    expect(up.encoding()).to.equal('listpack');
  });

  it('shrinks back only when both limits allow it', () => {
    const zs = new ZSet(false);
    zs.insertNew(1, 'a');
    zs.insertNew(2, 'abcdef');
    zs.shrinkIfSmall(limits);
    expect(zs.encoding()).to.equal('skiplist');
    zs.remove('abcdef');
    zs.shrinkIfSmall(limits);
    expect(zs.encoding()).to.equal('listpack');
  });
});

describe('zset: argument parsing', () => {
  it('parses scores like string2d (no spaces, no NaN, no overflow or underflow)', () => {
    expect(parseScore('1.5')).to.equal(1.5);
    expect(parseScore('-inf')).to.equal(-Infinity);
    expect(parseScore('+inf')).to.equal(Infinity);
    expect(parseScore('0x10')).to.equal(16);
    expect(parseScore('0e-999')).to.equal(0);
    expect(parseScore('-0')).to.equal(-0);
    expect(parseScore('4.9e-324')).to.equal(5e-324);
    for (const bad of ['1e400', '-1e400', '1e-400', 'nan', ' 1', '1 ', '', 'abc', '1e']) expect(parseScore(bad), bad).to.equal(null);
  });

  it('parses range bounds like bare strtod', () => {
    expect(strtodWhole('')).to.equal(0);
    expect(strtodWhole('  1.5')).to.equal(1.5);
    expect(strtodWhole('1e400')).to.equal(Infinity);
    expect(strtodWhole('-INFINITY')).to.equal(-Infinity);
    expect(strtodWhole('0x1p4')).to.equal(16);
    expect(strtodWhole('2\x00junk')).to.equal(2);
    for (const bad of ['nan', '1 ', ' ', 'x', '-', '0x']) expect(strtodWhole(bad), bad).to.equal(null);
    expect(parseScoreRange('(1', '2')).to.deep.equal({ min: 1, max: 2, minex: true, maxex: false });
    expect(parseScoreRange('(', '-inf')).to.deep.equal({ min: 0, max: -Infinity, minex: true, maxex: false });
    expect(() => parseScoreRange('((1', '2')).to.throw().with.property('text', 'ERR min or max is not a float');
    expect(() => parseScoreRange('1', 'nan')).to.throw().with.property('text', 'ERR min or max is not a float');
  });

  it('parses lex bounds', () => {
    expect(parseLexRange('-', '+')).to.deep.equal({ min: '', max: '', minKind: -1, maxKind: 1, minex: true, maxex: true });
    expect(parseLexRange('[a', '(b')).to.deep.equal({ min: 'a', max: 'b', minKind: 0, maxKind: 0, minex: false, maxex: true });
    for (const [a, b] of [['a', '+'], ['-', 'b'], ['+x', '+'], ['-', '--'], ['', '+']]) {
      expect(() => parseLexRange(a!, b!)).to.throw().with.property('text', 'ERR min or max not valid string range item');
    }
  });

  it('finds numkeys key positions like genericGetKeys', () => {
    expect(numkeysKeys(['zunionstore', 'd', '2', 'a', 'b', 'WEIGHTS', '1', '2'], 1, 2, 3)).to.deep.equal([1, 3, 4]);
    expect(numkeysKeys(['zunion', '2', 'a', 'b'], 0, 1, 2)).to.deep.equal([2, 3]);
    expect(numkeysKeys(['zunion', '3', 'a', 'b'], 0, 1, 2)).to.deep.equal([]);
    expect(numkeysKeys(['zunion', '0', 'a'], 0, 1, 2)).to.deep.equal([]);
    expect(numkeysKeys(['zunion', '1x', 'a'], 0, 1, 2)).to.deep.equal([2]);
  });
});

describe('zset: complexity on 1,000,000 members', function () {
  this.timeout(60000);
  let zs: ZSet;

  before(() => {
    zs = new ZSet(false, mulberry32(42));
    for (let i = 0; i < 1_000_000; i++) zs.insertNew(i * 2, `m${i}`);
  });

  it('answers ZRANK, rank seeks and LIMIT 0 10 ranges in logarithmic time', () => {
    expect(zs.size).to.equal(1_000_000);
    // Warm the JIT so the measurement is of the algorithm, not the compiler.
    const warm: ScoreRange = { min: 0, max: Infinity, minex: false, maxex: false };
    for (let k = 0; k < 300; k++) {
      zs.rank(`m${k * 3331}`, false);
      warm.min = k * 6662;
      nodesByScore(zs, warm, 0, 10, false);
      nodesByRank(zs, k * 3331, k * 3331 + 9, false);
    }
    // Assertions stay outside the timed loops: chai costs more than a skiplist seek.
    const ranks: number[] = [];
    const t0 = performance.now();
    for (let k = 0; k < 1000; k++) ranks.push(zs.rank(`m${(k * 7919) % 1_000_000}`, false));
    const t1 = performance.now();
    const r: ScoreRange = { min: 0, max: Infinity, minex: false, maxex: false };
    const byScore: SkipNode[][] = [];
    for (let k = 0; k < 1000; k++) {
      r.min = ((k * 104729) % 1_000_000) * 2;
      byScore.push(nodesByScore(zs, r, 0, 10, false));
    }
    const t2 = performance.now();
    const byRank: SkipNode[][] = [];
    for (let k = 0; k < 1000; k++) {
      const i = (k * 15485863) % 999_990;
      byRank.push(nodesByRank(zs, i, i + 9, false));
    }
    const t3 = performance.now();
    for (let k = 0; k < 1000; k++) {
      expect(ranks[k]).to.equal((k * 7919) % 1_000_000);
      const s = byScore[k]!;
      expect(s.length).to.equal(10);
      expect(s[0]!.score).to.equal(((k * 104729) % 1_000_000) * 2);
      expect(s[9]!.score).to.equal(s[0]!.score + 18);
      const i = (k * 15485863) % 999_990;
      expect(byRank[k]!.map((n) => n.member)).to.deep.equal(Array.from({ length: 10 }, (_, j) => `m${i + j}`));
    }
    // Each batch takes ~15-50 ms here; a linear walk would take many seconds, so this
    // generous bound separates O(log n) from O(n) without being a flaky tight timer.
    expect(t1 - t0, 'ZRANK x1000 (ms)').to.be.lessThan(250);
    expect(t2 - t1, 'BYSCORE LIMIT 0 10 x1000 (ms)').to.be.lessThan(250);
    expect(t3 - t2, 'rank range x1000 (ms)').to.be.lessThan(250);
  });

  it('keeps the skiplist height logarithmic', () => {
    expect(zs.zsl.level).to.be.within(8, 20);
  });
});

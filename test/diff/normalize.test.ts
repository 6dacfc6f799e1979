/**
 * Unit tests (no sockets) for the differential tester's own machinery: the RESP2/RESP3
 * reply parser, the command encoder and every normalization rule, including that each rule
 * still rejects what it must (a rule that accepted everything would hide divergences).
 */
import { expect } from 'chai';
import { encodeCommand, parseReply, type Reply } from './resp.js';
import { compareDatasets, compareReplies, fullScan, ruleFor, scanFromZero, spopFixup, type Dataset, type Snapshot } from './normalize.js';
import { resolveArgv } from './gen.js';
import { stepsSource } from './runner.js';

const bulk = (v: string): Reply => ({ t: 'bulk', v });
const int = (v: number | string): Reply => ({ t: 'int', v: String(v) });
const arr = (...v: Reply[]): Reply => ({ t: 'array', v });
const err = (v: string): Reply => ({ t: 'err', v });

function parse(s: string): Reply | undefined {
  return parseReply(Buffer.from(s, 'latin1'), 0)?.r;
}

describe('diff tester: RESP parser and encoder', () => {
  it('parses RESP2 frames into typed trees, keeping null kinds apart', () => {
    expect(parse('+OK\r\n')).to.deep.equal({ t: 'simple', v: 'OK' });
    expect(parse('-ERR x\r\n')).to.deep.equal({ t: 'err', v: 'ERR x' });
    expect(parse(':-5\r\n')).to.deep.equal({ t: 'int', v: '-5' });
    expect(parse('$3\r\na\r\n\r\n')).to.deep.equal({ t: 'bulk', v: 'a\r\n' });
    expect(parse('$-1\r\n')).to.deep.equal({ t: 'null', v: '$' });
    expect(parse('*-1\r\n')).to.deep.equal({ t: 'null', v: '*' });
    expect(parse('*2\r\n$1\r\na\r\n*0\r\n')).to.deep.equal(arr(bulk('a'), arr()));
  });

  it('parses RESP3 frames', () => {
    expect(parse('%1\r\n+a\r\n,1.5\r\n')).to.deep.equal({ t: 'map', v: [[{ t: 'simple', v: 'a' }, { t: 'double', v: '1.5' }]] });
    expect(parse('~1\r\n:1\r\n')).to.deep.equal({ t: 'set', v: [int(1)] });
    expect(parse('_\r\n')).to.deep.equal({ t: 'null', v: '_' });
    expect(parse('#f\r\n')).to.deep.equal({ t: 'bool', v: false });
    expect(parse('=7\r\ntxt:abc\r\n')).to.deep.equal({ t: 'verbatim', v: 'txt:abc' });
    expect(parse('(123\r\n')).to.deep.equal({ t: 'bignum', v: '123' });
    expect(parse('!3\r\nERR\r\n')).to.deep.equal({ t: 'bloberr', v: 'ERR' });
  });

  it('returns undefined for an incomplete frame', () => {
    for (const s of ['$5\r\nab', '*2\r\n:1\r\n', '%1\r\n+a\r\n', '+OK\r', ':1']) expect(parse(s), s).to.equal(undefined);
  });

  it('encodes argv binary-safely', () => {
    expect(encodeCommand(['SET', 'k\x00', '\xff']).toString('latin1')).to.equal('*3\r\n$3\r\nSET\r\n$2\r\nk\x00\r\n$1\r\n\xff\r\n');
  });

  it('resolves relative time arguments identically for both servers', () => {
    expect(resolveArgv(['EXAT', { at: 's', d: 10 }, { at: 'ms', d: -5 }], 1_700_000_000_500)).to.deep.equal(['EXAT', '1700000010', '1700000000495']);
  });

  it('prints steps as source with bytes escaped', () => {
    expect(stepsSource([{ c: 1, argv: ['SET', "a'\x00\xff"], bg: true }])).to.equal("[\n  { c: 1, argv: ['SET', 'a\\'\\x00\\xff'], bg: true },\n]");
  });
});

describe('diff tester: normalization rules', () => {
  it('compares ordinary commands exactly, including frame types', () => {
    expect(compareReplies(['GET', 'k'], bulk('1'), bulk('1')).ok).to.equal(true);
    expect(compareReplies(['GET', 'k'], bulk('1'), int(1)).ok).to.equal(false);
    expect(compareReplies(['GET', 'k'], { t: 'null', v: '$' }, { t: 'null', v: '*' }).ok).to.equal(false);
    expect(compareReplies(['LRANGE', 'k', '0', '-1'], arr(bulk('a'), bulk('b')), arr(bulk('b'), bulk('a'))).ok).to.equal(false);
  });

  it('compares unordered replies as multisets, never ignoring content', () => {
    expect(ruleFor(['smembers', 'k'])).to.equal('unordered');
    expect(compareReplies(['SMEMBERS', 'k'], arr(bulk('a'), bulk('b')), arr(bulk('b'), bulk('a'))).ok).to.equal(true);
    expect(compareReplies(['SMEMBERS', 'k'], arr(bulk('a'), bulk('b')), arr(bulk('a'), bulk('a'))).ok).to.equal(false);
    expect(compareReplies(['KEYS', '*'], arr(bulk('a')), arr(bulk('a'), bulk('b'))).ok).to.equal(false);
    expect(compareReplies(['SMEMBERS', 'k'], { t: 'set', v: [bulk('a')] }, arr(bulk('a'))).ok).to.equal(false);
  });

  it('keeps HGETALL field/value pairs together', () => {
    const a = arr(bulk('f1'), bulk('v1'), bulk('f2'), bulk('v2'));
    expect(compareReplies(['HGETALL', 'h'], a, arr(bulk('f2'), bulk('v2'), bulk('f1'), bulk('v1'))).ok).to.equal(true);
    expect(compareReplies(['HGETALL', 'h'], a, arr(bulk('f1'), bulk('v2'), bulk('f2'), bulk('v1'))).ok).to.equal(false);
    const m = (...p: Array<[string, string]>): Reply => ({ t: 'map', v: p.map(([k, v]) => [bulk(k), bulk(v)] as [Reply, Reply]) });
    expect(compareReplies(['HGETALL', 'h'], m(['a', '1'], ['b', '2']), m(['b', '2'], ['a', '1'])).ok).to.equal(true);
    expect(compareReplies(['HGETALL', 'h'], m(['a', '1'], ['b', '2']), m(['b', '1'], ['a', '2'])).ok).to.equal(false);
  });

  it('always compares errors exactly, whatever the rule', () => {
    expect(compareReplies(['SMEMBERS', 'k'], err('WRONGTYPE x'), err('WRONGTYPE x')).ok).to.equal(true);
    expect(compareReplies(['SMEMBERS', 'k'], err('WRONGTYPE x'), err('ERR x')).ok).to.equal(false);
    expect(compareReplies(['TTL', 'k'], err('ERR a'), int(5)).ok).to.equal(false);
    expect(compareReplies(['SRANDMEMBER', 'k'], err('ERR a'), err('ERR b'), { snapRef: { kind: 'none' }, snapCand: { kind: 'none' } }).ok).to.equal(false);
  });

  it('allows TTL replies a small tolerance but not negative-code or large differences', () => {
    expect(compareReplies(['TTL', 'k'], int(100), int(99)).ok).to.equal(true);
    expect(compareReplies(['TTL', 'k'], int(100), int(98)).ok).to.equal(false);
    expect(compareReplies(['TTL', 'k'], int(-1), int(-2)).ok).to.equal(false);
    expect(compareReplies(['TTL', 'k'], int(0), int(-2)).ok).to.equal(false);
    expect(compareReplies(['PTTL', 'k'], int(100000), int(99700)).ok).to.equal(true);
    expect(compareReplies(['PTTL', 'k'], int(100000), int(99000)).ok).to.equal(false);
    // Past 2^53 ms the known double-precision divergence is allowed, but no more than that.
    expect(compareReplies(['PEXPIRETIME', 'k'], int('9223372036854775807'), int('9223372036854775000')).ok).to.equal(true);
    expect(compareReplies(['PEXPIRETIME', 'k'], int('9223372036854775807'), int('9223372036854770000')).ok).to.equal(false);
  });

  it('checks random picks by count and membership against the snapshot', () => {
    const snap: Snapshot = { kind: 'set', members: new Set(['a', 'b', 'c']) };
    const ctx = { snapRef: snap, snapCand: snap };
    expect(compareReplies(['SRANDMEMBER', 'k'], bulk('a'), bulk('c'), ctx).ok).to.equal(true);
    expect(compareReplies(['SRANDMEMBER', 'k'], bulk('a'), bulk('z'), ctx).ok).to.equal(false);
    expect(compareReplies(['SRANDMEMBER', 'k', '2'], arr(bulk('a'), bulk('b')), arr(bulk('c'), bulk('b')), ctx).ok).to.equal(true);
    expect(compareReplies(['SRANDMEMBER', 'k', '2'], arr(bulk('a'), bulk('b')), arr(bulk('c')), ctx).ok).to.equal(false);
    expect(compareReplies(['SRANDMEMBER', 'k', '2'], arr(bulk('a'), bulk('b')), arr(bulk('c'), bulk('c')), ctx).ok).to.equal(false);
    expect(compareReplies(['SRANDMEMBER', 'k', '-2'], arr(bulk('a'), bulk('b')), arr(bulk('c'), bulk('c')), ctx).ok).to.equal(true);
    expect(compareReplies(['SPOP', 'k'], { t: 'null', v: '$' }, bulk('a'), ctx).ok).to.equal(false);
    const other: Snapshot = { kind: 'set', members: new Set(['a']) };
    expect(compareReplies(['SRANDMEMBER', 'k'], bulk('a'), bulk('a'), { snapRef: snap, snapCand: other }).ok).to.equal(false);
  });

  it('checks values that come with random picks', () => {
    const snap: Snapshot = { kind: 'zset', scores: new Map([['a', '1'], ['b', '2']]) };
    const ctx = { snapRef: snap, snapCand: snap };
    expect(compareReplies(['ZRANDMEMBER', 'z', '1', 'WITHSCORES'], arr(bulk('a'), bulk('1')), arr(bulk('b'), bulk('2')), ctx).ok).to.equal(true);
    expect(compareReplies(['ZRANDMEMBER', 'z', '1', 'WITHSCORES'], arr(bulk('a'), bulk('1')), arr(bulk('b'), bulk('1')), ctx).ok).to.equal(false);
    const nested = (m: string, s: string): Reply => arr(arr(bulk(m), { t: 'double', v: s }));
    expect(compareReplies(['ZRANDMEMBER', 'z', '1', 'WITHSCORES'], nested('a', '1'), nested('b', '2'), ctx).ok).to.equal(true);
    expect(compareReplies(['ZRANDMEMBER', 'z', '1', 'WITHSCORES'], nested('a', '1'), nested('b', '3'), ctx).ok).to.equal(false);
  });

  it('inside EXEC compares random replies by shape only', () => {
    expect(compareReplies(['SRANDMEMBER', 'k', '2'], arr(bulk('a'), bulk('b')), arr(bulk('x'), bulk('y')), { inExec: true }).ok).to.equal(true);
    expect(compareReplies(['SRANDMEMBER', 'k', '2'], arr(bulk('a'), bulk('b')), arr(bulk('x')), { inExec: true }).ok).to.equal(false);
  });

  it('computes the SPOP re-sync for the candidate', () => {
    expect(spopFixup(['SPOP', 'k', '2'], arr(bulk('a'), bulk('b')), arr(bulk('b'), bulk('c')))).to.deep.equal([
      ['SADD', 'k', 'c'],
      ['SREM', 'k', 'a'],
    ]);
    expect(spopFixup(['SPOP', 'k'], bulk('a'), bulk('a'))).to.deep.equal([]);
    expect(spopFixup(['SRANDMEMBER', 'k'], bulk('a'), bulk('b'))).to.deep.equal([]);
  });

  it('aggregates a full SCAN iteration, pairs kept together', async () => {
    const pages: Record<string, Reply> = {
      '0': arr(bulk('7'), arr(bulk('f2'), bulk('v2'))),
      '7': arr(bulk('0'), arr(bulk('f1'), bulk('v1'), bulk('f2'), bulk('v2'))),
    };
    const seen: string[][] = [];
    const out = await fullScan(async (argv) => {
      seen.push([...argv]);
      return pages[argv[2]!]!;
    }, ['HSCAN', 'h', '0', 'COUNT', '1']);
    expect(seen).to.deep.equal([['HSCAN', 'h', '0', 'COUNT', '1'], ['HSCAN', 'h', '7', 'COUNT', '1']]);
    expect(out).to.deep.equal(arr(bulk('0'), arr(bulk('f1'), bulk('v1'), bulk('f2'), bulk('v2'))));
    const e = await fullScan(async () => err('ERR invalid cursor'), ['SCAN', 'x']);
    expect(e).to.deep.equal(err('ERR invalid cursor'));
  });

  it('treats a scan from a non-zero cursor as one page compared by shape, errors exactly', () => {
    expect(scanFromZero(['SCAN', '0'])).to.equal(true);
    expect(scanFromZero(['SCAN', ''])).to.equal(true);
    expect(scanFromZero(['SSCAN', 'k', '-00'])).to.equal(true);
    expect(scanFromZero(['SCAN', '-1'])).to.equal(false);
    expect(scanFromZero(['HSCAN', 'h', '7'])).to.equal(false);
    const page = (c: string, ...e: string[]): Reply => arr(bulk(c), arr(...e.map(bulk)));
    expect(compareReplies(['SCAN', '-1'], page('0'), page('0', 'k0')).ok).to.equal(true);
    expect(compareReplies(['SCAN', '-1'], page('0'), err('ERR invalid cursor')).ok).to.equal(false);
    expect(compareReplies(['SCAN', '-1'], page('0'), arr(bulk('0'))).ok).to.equal(false);
    expect(compareReplies(['SCAN', '0'], page('0'), page('0', 'k0')).ok).to.equal(false);
  });

  it('compares datasets by type, contents and PTTL', () => {
    const ds = (pttl: string, v: string): Dataset => new Map([[0, new Map([['k', { type: 'string', content: bulk(v), pttl: int(pttl) }]])], [1, new Map()]]);
    expect(compareDatasets(ds('-1', 'a'), ds('-1', 'a'))).to.deep.equal([]);
    expect(compareDatasets(ds('100000', 'a'), ds('99800', 'a'))).to.deep.equal([]);
    expect(compareDatasets(ds('100000', 'a'), ds('-1', 'a'))).to.have.length(1);
    expect(compareDatasets(ds('-1', 'a'), ds('-1', 'b'))).to.have.length(1);
    expect(compareDatasets(ds('-1', 'a'), new Map())).to.have.length(1);
  });
});

/**
 * RDB and DUMP interoperability with a real redis-server 7.0.15, both directions:
 * (a) a dump.rdb Redis writes (every type and encoding, LZF, integers, binary, TTLs,
 *     several DBs, functions, streams with groups) decodes to the exact contents and
 *     re-serialises to the same bytes;
 * (b) a file we write loads into Redis and reads back key by key, TTLs and encodings
 *     included; (c) redis-check-rdb and tessera-check-rdb accept it;
 * (d) Redis DUMP payloads decode here and our payloads RESTORE there.
 * Needs redis-server, redis-cli and redis-check-rdb: skipped locally without them,
 * a failure in CI.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { ROOT, requireBinary, spawnServer, tmpDir, type Spawned } from '../helpers/server.js';
import { decodeDumpPayload, createDumpPayload } from '../../src/persistence/rdb/dump.js';
import { readRdb, type RdbKeyRecord } from '../../src/persistence/rdb/file-reader.js';
import { DEFAULT_FILE_OPTIONS, writeRdb, type RdbDbInput } from '../../src/persistence/rdb/file-writer.js';
import type { RdbStream, RdbValue } from '../../src/persistence/rdb/types.js';
import * as T from '../../src/persistence/rdb/constants.js';

const FUNC = "#!lua name=rdblib\nredis.register_function('rdbfn', function(keys, args) return 'ok' end)";
const BIN = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const BIN_S = BIN.toString('latin1');

function startRedis(dir: string, file: string): Promise<Spawned> {
  return spawnServer(['--dir', dir, '--dbfilename', file, '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], { bin: 'redis-server' });
}

function cli(port: number, ...args: string[]): string {
  return execFileSync('redis-cli', ['-p', String(port), ...args], { encoding: 'latin1' }).replace(/\n$/, '');
}

/** Encoding hints that make our writer save exactly what the reader saw. */
function withHint(v: RdbValue, type: number): RdbValue {
  if (typeof v === 'string') return v;
  if (v.type === 'set') return { ...v, encoding: type === T.RDB_TYPE_SET_INTSET ? 'intset' : 'hashtable' };
  if (v.type === 'hash') return { ...v, encoding: type === T.RDB_TYPE_HASH ? 'hashtable' : 'listpack' };
  if (v.type === 'zset') return { ...v, encoding: type === T.RDB_TYPE_ZSET_2 ? 'skiplist' : 'listpack' };
  return v;
}

describe('RDB interop with redis-server 7.0.15', function () {
  this.timeout(30000);
  let dir: string;
  let redis: Spawned | null = null;
  let client: Redis | null = null;

  beforeEach(function () {
    requireBinary(this, 'redis-server');
    requireBinary(this, 'redis-cli');
    requireBinary(this, 'redis-check-rdb');
    dir = tmpDir('tessera-rdb-interop-');
  });

  afterEach(async () => {
    client?.disconnect();
    client = null;
    if (redis) await redis.stop('SIGKILL');
    redis = null;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('(a) reads a dump.rdb written by Redis, exactly, and re-writes it byte for byte', async () => {
    redis = await startRedis(dir, 'dump.rdb');
    const r = (client = new Redis({ port: redis.port, lazyConnect: false }));
    const p = r.pipeline();
    p.set('bin', BIN);
    p.set('lzf', 'abc'.repeat(1000));
    p.set('int', '12345').set('neg', '-2147483648').set('int64', '9223372036854775807').set('notcanon', '007');
    p.set('ttl', 'v', 'PX', 100000000);
    const list = Array.from({ length: 2000 }, (_, i) => (i % 3 ? `item${i}` : String(i * 1000003)));
    p.rpush('biglist', ...list);
    p.rpush('smalllist', 'a', BIN, '-5', '70000', '12345678901');
    const pairs = Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`]).flat();
    p.hset('bighash', ...pairs);
    p.hset('smallhash', 'f1', 'v1', 'f2', '22');
    p.sadd('intset', 3, 1, 2, -100000, '-9223372036854775808');
    p.sadd('strset', 'a', 'b', 'c');
    const zpairs = Array.from({ length: 150 }, (_, i) => [i / 3, `m${i}`]).flat();
    p.zadd('bigzset', ...(zpairs as Array<string | number>));
    p.zadd('smallzset', 1, 'a', 2.5, 'b', -3, 'c', 'inf', 'd', 0.1, 'e');
    for (let i = 1; i <= 150; i++) p.xadd('stream', `${i}-1`, 'field', `v${i}`, 'n', String(i));
    p.xadd('stream', '151-0', 'other', 'x');
    p.xgroup('CREATE', 'stream', 'grp', '0');
    p.xreadgroup('GROUP', 'grp', 'alice', 'COUNT', '2', 'STREAMS', 'stream', '>');
    p.xgroup('CREATE', 'stream', 'late', '$');
    p.xgroup('CREATE', 'empty', 'g', '$', 'MKSTREAM');
    p.function('LOAD', FUNC);
    p.select(3).set('db3', 'three', 'EX', '1000');
    await p.exec();
    await r.select(0);
    await r.save();
    const buf = readFileSync(path.join(dir, 'dump.rdb'));
    const c = readRdb(buf);
    expect(c.checksum).to.equal('ok');
    expect(c.aux.get('redis-ver')).to.equal('7.0.15');
    expect(c.functions).to.deep.equal([FUNC]);
    expect([...c.dbs.keys()].sort()).to.deep.equal([0, 3]);
    const k = new Map<string, RdbKeyRecord>(c.dbs.get(0)!.map((x) => [x.key, x]));
    const v = (name: string) => k.get(name)!.value;
    expect(v('bin')).to.equal(BIN_S);
    expect(v('lzf')).to.equal('abc'.repeat(1000));
    expect([v('int'), v('neg'), v('int64'), v('notcanon')]).to.deep.equal(['12345', '-2147483648', '9223372036854775807', '007']);
    expect(k.get('ttl')!.expireAt).to.be.greaterThan(Date.now() + 99000000);
    expect(k.get('bin')!.expireAt).to.equal(-1);
    expect(v('biglist')).to.deep.equal({ type: 'list', items: list });
    expect(v('smalllist')).to.deep.equal({ type: 'list', items: ['a', BIN_S, '-5', '70000', '12345678901'] });
    expect(k.get('bighash')!.rdbType).to.equal(T.RDB_TYPE_HASH);
    expect(new Map((v('bighash') as { entries: Array<[string, string]> }).entries)).to.deep.equal(new Map(Array.from({ length: 600 }, (_, i) => [`f${i}`, `v${i}`])));
    expect(v('smallhash')).to.deep.equal({ type: 'hash', entries: [['f1', 'v1'], ['f2', '22']] });
    expect(k.get('intset')!.rdbType).to.equal(T.RDB_TYPE_SET_INTSET);
    expect(v('intset')).to.deep.equal({ type: 'set', members: ['-9223372036854775808', '-100000', '1', '2', '3'] });
    expect((v('strset') as { members: string[] }).members.slice().sort()).to.deep.equal(['a', 'b', 'c']);
    expect(k.get('bigzset')!.rdbType).to.equal(T.RDB_TYPE_ZSET_2);
    expect(v('bigzset')).to.deep.equal({ type: 'zset', entries: Array.from({ length: 150 }, (_, i) => [`m${i}`, i / 3]) });
    expect(v('smallzset')).to.deep.equal({ type: 'zset', entries: [['c', -3], ['e', 0.1], ['a', 1], ['b', 2.5], ['d', Infinity]] });
    const s = v('stream') as RdbStream;
    expect(s.entries.length).to.equal(151);
    expect(s.entries[0]).to.deep.equal({ id: { ms: 1n, seq: 1n }, fields: ['field', 'v1', 'n', '1'] });
    expect(s.entries[150]).to.deep.equal({ id: { ms: 151n, seq: 0n }, fields: ['other', 'x'] });
    expect(s.lastId).to.deep.equal({ ms: 151n, seq: 0n });
    expect(s.entriesAdded).to.equal(151n);
    const grp = s.groups.find((g) => g.name === 'grp')!;
    expect(grp.lastId).to.deep.equal({ ms: 2n, seq: 1n });
    expect(grp.entriesRead).to.equal(2n);
    expect(grp.pel.map((n) => [n.id.ms, n.deliveryCount])).to.deep.equal([[1n, 1], [2n, 1]]);
    expect(grp.consumers.map((x) => [x.name, x.pel.length])).to.deep.equal([['alice', 2]]);
    expect(s.groups.map((g) => g.name)).to.deep.equal(['grp', 'late']);
    const empty = v('empty') as RdbStream;
    expect(empty.entries).to.deep.equal([]);
    expect(empty.groups[0]!.entriesRead).to.equal(-1n);
    expect(c.dbs.get(3)![0]!.value).to.equal('three');
    // Our writer reproduces Redis's file exactly from what we read.
    const dbs: RdbDbInput[] = [...c.dbs].map(([id, keys]) => ({
      id,
      keys: keys.map((x) => ({ key: x.key, value: withHint(x.value, x.rdbType), expireAt: x.expireAt > 0 ? x.expireAt : 0 })),
    }));
    const again = writeRdb(dbs, DEFAULT_FILE_OPTIONS, { ctime: Number(c.aux.get('ctime')), usedMem: Number(c.aux.get('used-mem')) }, c.functions);
    expect(again.equals(buf)).to.equal(true);
  });

  it('(b, c) writes a file Redis loads key for key, and both checkers accept', async () => {
    const expireAt = Date.now() + 3600_000;
    const stream: RdbStream = {
      type: 'stream',
      entries: Array.from({ length: 120 }, (_, i) => ({ id: { ms: BigInt(1000 + i), seq: 0n }, fields: i === 5 ? ['other', 'x'] : ['f', `v${i}`] })),
      length: 120,
      lastId: { ms: 1119n, seq: 0n },
      firstId: { ms: 1000n, seq: 0n },
      maxDeletedId: { ms: 0n, seq: 0n },
      entriesAdded: 120n,
      groups: [
        {
          name: 'g',
          lastId: { ms: 1001n, seq: 0n },
          entriesRead: 2n,
          pel: [{ id: { ms: 1001n, seq: 0n }, deliveryTime: 1700000000000, deliveryCount: 4 }],
          consumers: [{ name: 'bob', seenTime: 1700000000000, pel: [{ ms: 1001n, seq: 0n }] }],
        },
      ],
    };
    const bigList = Array.from({ length: 1500 }, (_, i) => `element-${i}`);
    const dbs: RdbDbInput[] = [
      {
        id: 0,
        keys: [
          { key: 'str', value: 'hello' },
          { key: 'bin', value: BIN_S },
          { key: 'lzf', value: 'xyz'.repeat(500) },
          { key: 'num', value: '-42' },
          { key: 'ttl', value: 'soon', expireAt },
          { key: 'list', value: { type: 'list', items: bigList } },
          { key: 'hash', value: { type: 'hash', entries: [['a', '1'], ['b', BIN_S]] } },
          { key: 'smallhash', value: { type: 'hash', entries: [['x', 'y']] } },
          { key: 'bighash', value: { type: 'hash', entries: Array.from({ length: 600 }, (_, i) => [`k${i}`, `${i}`] as [string, string]) } },
          { key: 'iset', value: { type: 'set', members: ['5', '-9223372036854775808', '9'] } },
          { key: 'sset', value: { type: 'set', members: ['x', 'y'] } },
          { key: 'zset', value: { type: 'zset', entries: [['a', 1.5], ['b', -Infinity], ['c', 1e18]] } },
          { key: 'bigzset', value: { type: 'zset', entries: Array.from({ length: 200 }, (_, i) => [`m${i}`, i * 0.25] as [string, number]) } },
          { key: 'stream', value: stream },
        ],
      },
      { id: 7, keys: [{ key: 'in7', value: 'seven', expireAt }] },
    ];
    writeFileSync(path.join(dir, 'ours.rdb'), writeRdb(dbs, DEFAULT_FILE_OPTIONS, {}, [FUNC]));
    const check = spawnSync('redis-check-rdb', [path.join(dir, 'ours.rdb')], { encoding: 'utf8' });
    expect(check.stdout).to.contain('RDB looks OK');
    expect(check.stdout).to.contain('[info] 15 keys read');
    expect(check.status).to.equal(0);
    const ours = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'tessera-check-rdb'), path.join(dir, 'ours.rdb')], { encoding: 'utf8' });
    expect(ours.stdout).to.contain('RDB looks OK');
    expect(ours.status).to.equal(0);

    redis = await startRedis(dir, 'ours.rdb');
    const port = redis.port;
    const r = (client = new Redis({ port }));
    expect(cli(port, 'DBSIZE')).to.equal('14');
    expect(cli(port, 'GET', 'str')).to.equal('hello');
    expect((await r.getBuffer('bin'))!.equals(BIN)).to.equal(true);
    expect(await r.get('lzf')).to.equal('xyz'.repeat(500));
    expect(cli(port, 'OBJECT', 'ENCODING', 'num')).to.equal('int');
    const pttl = Number(cli(port, 'PTTL', 'ttl'));
    expect(pttl).to.be.within(3500_000, 3600_000);
    expect(cli(port, 'TTL', 'str')).to.equal('-1');
    expect(await r.lrange('list', 0, -1)).to.deep.equal(bigList);
    expect(await r.hgetall('hash')).to.deep.equal({ a: '1', b: BIN.toString('utf8') });
    expect((await r.hgetBuffer('hash', 'b'))!.equals(BIN)).to.equal(true);
    // a 256-byte value is over hash-max-listpack-value: saved and loaded as a hashtable
    expect(cli(port, 'OBJECT', 'ENCODING', 'hash')).to.equal('hashtable');
    expect(cli(port, 'OBJECT', 'ENCODING', 'smallhash')).to.equal('listpack');
    expect(cli(port, 'OBJECT', 'ENCODING', 'bighash')).to.equal('hashtable');
    expect(await r.hget('bighash', 'k599')).to.equal('599');
    expect(await r.smembers('iset')).to.deep.equal(['-9223372036854775808', '5', '9']);
    expect(cli(port, 'OBJECT', 'ENCODING', 'iset')).to.equal('intset');
    expect((await r.smembers('sset')).sort()).to.deep.equal(['x', 'y']);
    expect(await r.zrange('zset', 0, -1, 'WITHSCORES')).to.deep.equal(['b', '-inf', 'a', '1.5', 'c', '1e+18']);
    expect(cli(port, 'OBJECT', 'ENCODING', 'bigzset')).to.equal('skiplist');
    expect(await r.zscore('bigzset', 'm199')).to.equal('49.75');
    expect(await r.xlen('stream')).to.equal(120);
    const x = (await r.xrange('stream', '1005', '1006')) as Array<[string, string[]]>;
    expect(x).to.deep.equal([['1005-0', ['other', 'x']], ['1006-0', ['f', 'v6']]]);
    const pending = (await r.xpending('stream', 'g')) as unknown[];
    expect(pending.slice(0, 3)).to.deep.equal([1, '1001-0', '1001-0']);
    expect(pending[3]).to.deep.equal([['bob', '1']]);
    const info = (await r.call('XINFO', 'STREAM', 'stream')) as unknown[];
    expect(info[info.indexOf('entries-added') + 1]).to.equal(120);
    expect(cli(port, 'FCALL', 'rdbfn', '0')).to.equal('ok');
    expect(cli(port, '-n', '7', 'GET', 'in7')).to.equal('seven');
    expect(Number(cli(port, '-n', '7', 'PTTL', 'in7'))).to.be.greaterThan(3500_000);
    // Redis's own save of what it loaded reads back identically here.
    await r.save();
    const back = readRdb(readFileSync(path.join(dir, 'ours.rdb')));
    const lst = back.dbs.get(0)!.find((k) => k.key === 'list')!;
    expect(lst.value).to.deep.equal({ type: 'list', items: bigList });
  });

  it('(b) loads our files saved without checksum or compression, with LFU counters', async () => {
    const dbs: RdbDbInput[] = [{ id: 0, keys: [{ key: 'k', value: 'v'.repeat(100), lfuFreq: 42 }, { key: 'l', value: { type: 'list', items: ['z'.repeat(300)] }, lfuFreq: 7 }] }];
    const buf = writeRdb(dbs, { ...DEFAULT_FILE_OPTIONS, checksum: false, compression: false, evictionInfo: 'lfu' });
    expect(buf.subarray(buf.length - 8).equals(Buffer.alloc(8))).to.equal(true);
    expect(buf.includes(Buffer.from('v'.repeat(100)))).to.equal(true);
    writeFileSync(path.join(dir, 'plain.rdb'), buf);
    redis = await spawnServer(['--dir', dir, '--dbfilename', 'plain.rdb', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lfu'], { bin: 'redis-server' });
    expect(redis.stdout()).to.contain('checksum disabled');
    expect(cli(redis.port, 'GET', 'k')).to.equal('v'.repeat(100));
    expect(cli(redis.port, 'OBJECT', 'FREQ', 'k')).to.equal('42');
    expect(cli(redis.port, 'OBJECT', 'FREQ', 'l')).to.equal('7');
  });

  it('(d) DUMP payloads cross over in both directions', async () => {
    redis = await startRedis(dir, 'dump.rdb');
    const r = (client = new Redis({ port: redis.port }));
    await r.set('s', 'a'.repeat(100));
    await r.rpush('l', 'x', '1', BIN);
    await r.hset('h', 'f', 'v');
    await r.zadd('z', 1, 'a', 2, 'b');
    await r.sadd('i', 1, 2, 3);
    await r.xadd('x', '1-1', 'k', 'v');
    for (const key of ['s', 'l', 'h', 'z', 'i', 'x']) {
      const payload = (await r.dumpBuffer(key))!;
      const { value } = decodeDumpPayload(payload);
      // what Redis dumped is what we would have dumped
      expect(createDumpPayload(value).equals(payload), key).to.equal(true);
    }
    expect((decodeDumpPayload((await r.dumpBuffer('l'))!).value as { items: string[] }).items).to.deep.equal(['x', '1', BIN_S]);
    const mine: Array<[string, RdbValue]> = [
      ['rs', BIN_S],
      ['rl', { type: 'list', items: Array.from({ length: 1000 }, (_, i) => `v${i}`) }],
      ['rh', { type: 'hash', entries: Array.from({ length: 200 }, (_, i) => [`f${i}`, BIN_S] as [string, string]) }],
      ['rz', { type: 'zset', entries: [['a', -1.25], ['b', 3]] }],
      ['rset', { type: 'set', members: ['1', 'two'] }],
    ];
    for (const [key, value] of mine) {
      expect(await r.restore(key, 0, createDumpPayload(value))).to.equal('OK');
    }
    expect((await r.getBuffer('rs'))!.equals(BIN)).to.equal(true);
    expect(await r.llen('rl')).to.equal(1000);
    expect(await r.lindex('rl', 999)).to.equal('v999');
    expect((await r.hgetBuffer('rh', 'f199'))!.equals(BIN)).to.equal(true);
    expect(cli(redis.port, 'OBJECT', 'ENCODING', 'rh')).to.equal('hashtable');
    expect(await r.zrange('rz', 0, -1, 'WITHSCORES')).to.deep.equal(['a', '-1.25', 'b', '3']);
    expect((await r.smembers('rset')).sort()).to.deep.equal(['1', 'two']);
    // a corrupted payload of ours is refused by Redis for the same reason we refuse it
    const bad = createDumpPayload('hello');
    bad[2] = bad[2]! ^ 1;
    let err = '';
    await r.restore('bad', 0, bad).catch((e: Error) => (err = e.message));
    expect(err).to.equal('ERR DUMP payload version or checksum are wrong');
    expect(() => decodeDumpPayload(bad)).to.throw('DUMP payload version or checksum are wrong');
  });
});

/**
 * DUMP and RESTORE against a real in-process server: round trips of every type and
 * encoding (with the encoding Redis 7.0.15 picks on RESTORE), every error text and its
 * precedence, REPLACE / ABSTTL / IDLETIME / FREQ, already-expired TTLs, what reaches the
 * write log, keyspace events, blocked clients and WATCH. The last block runs the same
 * commands on a real redis-server 7.0.15 and compares: payload bytes, restores in both
 * directions, error replies, IDLETIME wrap-around (skipped locally without the binary,
 * a failure in CI).
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { requireBinary, spawnServer, startServer, type Spawned, type TesseraServer } from '../helpers/server.js';
import { keyEvents, writeLogDuring } from '../helpers/observe.js';
import { Crc64 } from '../../src/util/crc64.js';
import { createDumpPayload } from '../../src/persistence/rdb/dump.js';

type Arg = string | number | Buffer;
const BIN = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const range = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

/** Keys built by the same commands on both servers, with the encoding Redis gives them. */
const DATASET: Array<{ key: string; cmds: Arg[][]; enc: string; restoredEnc?: string }> = [
  { key: 's:embstr', cmds: [['SET', 's:embstr', 'hello']], enc: 'embstr' },
  { key: 's:int', cmds: [['SET', 's:int', '12345']], enc: 'int' },
  { key: 's:int64', cmds: [['SET', 's:int64', '-9223372036854775808']], enc: 'int' },
  { key: 's:raw', cmds: [['SET', 's:raw', 'raw value that is longer than forty-four bytes....']], enc: 'raw' },
  { key: 's:lzf', cmds: [['SET', 's:lzf', 'abcdefgh'.repeat(2000)]], enc: 'raw' },
  { key: 's:bin', cmds: [['SET', 's:bin', BIN]], enc: 'raw' },
  { key: 'l:small', cmds: [['RPUSH', 'l:small', 'a', '1', BIN, '-5', '']], enc: 'quicklist' },
  { key: 'l:big', cmds: [['RPUSH', 'l:big', ...range(2000, (i) => `item-${i}-`.padEnd(40, 'x'))]], enc: 'quicklist' },
  { key: 'h:bin', cmds: [['HSET', 'h:bin', 'f1', 'v1', 'n', '2', BIN, BIN]], enc: 'hashtable' },
  { key: 'h:lp', cmds: [['HSET', 'h:lp', 'f1', 'v1', 'n', '2', 'f3', '']], enc: 'listpack' },
  { key: 'h:big', cmds: [['HSET', 'h:big', ...range(600, (i) => `f${i}`).flatMap((f) => [f, `val-${f}`])]], enc: 'hashtable' },
  // a hashtable that shrank: Redis saves it as a hashtable and RESTORE packs it again
  {
    key: 'h:shrunk', cmds: [['HSET', 'h:shrunk', 'a', '1', 'long', 'v'.repeat(100)], ['HDEL', 'h:shrunk', 'long']],
    enc: 'hashtable', restoredEnc: 'listpack',
  },
  { key: 'set:int', cmds: [['SADD', 'set:int', '1', '2', '3', '-4', '1000000', '9223372036854775807']], enc: 'intset' },
  { key: 'set:ht', cmds: [['SADD', 'set:ht', 'a', 'b', 'c', BIN]], enc: 'hashtable' },
  { key: 'set:bigint', cmds: [['SADD', 'set:bigint', ...range(600, (i) => String(i * 7))]], enc: 'hashtable' },
  { key: 'set:shrunk', cmds: [['SADD', 'set:shrunk', '1', '2', 'x'], ['SREM', 'set:shrunk', 'x']], enc: 'hashtable', restoredEnc: 'intset' },
  { key: 'z:lp', cmds: [['ZADD', 'z:lp', '1', 'a', '2.5', 'b', '-inf', 'c', 'inf', 'd', '0.1', Buffer.from([0, 255])]], enc: 'listpack' },
  { key: 'z:big', cmds: [['ZADD', 'z:big', ...Array.from({ length: 200 }, (_, i) => [String(i / 3), `m${i}`]).flat()]], enc: 'skiplist' },
  {
    key: 'z:shrunk', cmds: [['ZADD', 'z:shrunk', '1', 'a', '2', 'm'.repeat(100)], ['ZREM', 'z:shrunk', 'm'.repeat(100)]],
    enc: 'skiplist', restoredEnc: 'listpack',
  },
];

/** The key's type and contents as latin1 text, order-normalised where Redis's is not fixed. */
async function contents(c: Redis, key: string): Promise<string> {
  const type = String(await c.type(key));
  const s = (b: unknown): string[] => (b as Buffer[]).map((x) => x.toString('latin1'));
  switch (type) {
    case 'string': return `string:${JSON.stringify((await c.getBuffer(key))!.toString('latin1'))}`;
    case 'list': return `list:${JSON.stringify(s(await c.lrangeBuffer(key, 0, -1)))}`;
    case 'set': return `set:${JSON.stringify(s(await c.smembersBuffer(key)).sort())}`;
    case 'hash': {
      const flat = s(await c.callBuffer('HGETALL', key));
      const pairs: string[] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`);
      return `hash:${JSON.stringify(pairs.sort())}`;
    }
    case 'zset': return `zset:${JSON.stringify(s(await c.callBuffer('ZRANGE', key, 0, -1, 'WITHSCORES')))}`;
    default: return type;
  }
}

async function build(c: Redis): Promise<void> {
  for (const { cmds } of DATASET) for (const [name, ...args] of cmds) await c.callBuffer(String(name), ...args);
}

/** A DUMP payload around `body`: RDB version and a CRC64 computed over both. */
function withFooter(body: Buffer, version = 10): Buffer {
  const head = Buffer.concat([body, Buffer.from([version & 0xff, version >> 8])]);
  return Buffer.concat([head, new Crc64().update(head).bytes()]);
}

/** "OK", the value, or "error: <text>", so outcomes of two servers compare directly. */
async function outcome(c: Redis, args: Arg[]): Promise<string> {
  try {
    const r = await c.callBuffer(String(args[0]), ...args.slice(1));
    return Buffer.isBuffer(r) ? r.toString('latin1') : String(r);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

/** A listpack hash holding field "a" twice: only a corrupt or hostile payload does. */
const DUP_HASH = createDumpPayload({ type: 'hash', entries: [['a', '1'], ['a', '2']], encoding: 'listpack' });
const STRING_V = withFooter(Buffer.from([0x00, 0x01, 0x76])); // the string "v"
/** Every error RESTORE can give, in an order where each case shows one precedence rule. */
function errorCases(p: Buffer): Arg[][] {
  return [
    ['RESTORE', 'new', '0'],
    ['DUMP'],
    ['DUMP', 'a', 'b'],
    ['RESTORE', 'new', '0', p, 'BOGUS'],
    ['RESTORE', 'new', '0', p, 'IDLETIME'],
    ['RESTORE', 'new', '0', p, 'FREQ'],
    ['RESTORE', 'new', '0', p, 'IDLETIME', '1', 'FREQ', '2'],
    ['RESTORE', 'new', '0', p, 'FREQ', '2', 'IDLETIME', '1'],
    ['RESTORE', 'new', '0', p, 'IDLETIME', '-1'],
    ['RESTORE', 'new', '0', p, 'IDLETIME', 'x'],
    ['RESTORE', 'new', '0', p, 'FREQ', '256'],
    ['RESTORE', 'new', '0', p, 'FREQ', '-1'],
    ['RESTORE', 'new', '0', p, 'FREQ', '1.5'],
    // option errors come before BUSYKEY, BUSYKEY before the TTL, the TTL before the payload
    ['RESTORE', 'exists', '0', p, 'FREQ', '300'],
    ['RESTORE', 'exists', '-1', p],
    ['RESTORE', 'exists', '0', 'garbage'],
    ['RESTORE', 'new', '-1', 'garbage'],
    ['RESTORE', 'new', 'ttl', 'garbage'],
    ['RESTORE', 'new', '9223372036854775808', p],
    ['RESTORE', 'new', '0', 'garbage'],
    ['RESTORE', 'new', '0', ''],
    ['RESTORE', 'new', '0', p.subarray(0, p.length - 1)],
    ['RESTORE', 'new', '0', Buffer.concat([p.subarray(0, p.length - 1), Buffer.from([p[p.length - 1]! ^ 1])])],
    ['RESTORE', 'new', '0', withFooter(Buffer.from([0x00, 0x01, 0x76]), 11)],
    ['RESTORE', 'new', '0', withFooter(Buffer.from([0x30, 0x01, 0x76]))],
    ['RESTORE', 'new', '0', withFooter(Buffer.from([0x12, 0x00]))],
    ['RESTORE', 'new', '0', withFooter(Buffer.from([0x00, 0x40, 0x20, 0x61, 0x62]))],
    ['RESTORE', 'exists', '0', withFooter(Buffer.from([0x30])), 'REPLACE'],
    ['EXISTS', 'new'],
    ['GET', 'exists'],
  ];
}

describe('DUMP / RESTORE', () => {
  let srv: TesseraServer;
  let r: Redis;
  const clock = { t: 0, now(): number { return this.t || Date.now(); } };

  before(async () => {
    srv = await startServer({}, { clock });
    r = new Redis(srv.port);
  });
  after(async () => {
    r.disconnect();
    await srv.close();
  });
  beforeEach(async () => {
    clock.t = 0;
    await r.config('SET', 'maxmemory-policy', 'noeviction');
    await r.flushall();
  });

  const logged = (fn: () => Promise<unknown>): Promise<string[][]> => writeLogDuring(srv, fn);

  it('round-trips every type and encoding, restoring the encoding Redis would', async () => {
    await build(r);
    for (const { key, enc, restoredEnc } of DATASET) {
      expect(await r.object('ENCODING', key), key).to.equal(enc);
      const payload = (await r.dumpBuffer(key))!;
      expect(await r.restore(`copy:${key}`, 0, payload)).to.equal('OK');
      expect(await contents(r, `copy:${key}`), key).to.equal(await contents(r, key));
      expect(await r.object('ENCODING', `copy:${key}`), key).to.equal(restoredEnc ?? enc);
      expect(await r.pttl(`copy:${key}`)).to.equal(-1);
    }
    // LZF: 16000 repetitive bytes dump to far fewer
    expect((await r.dumpBuffer('s:lzf'))!.length).to.be.below(500);
    expect((await r.dumpBuffer('s:int'))!.equals(withFooter(Buffer.from([0x00, 0xc1, 0x39, 0x30])))).to.equal(true);
  });

  it('dumps nothing for a missing key and counts the lookup as a miss', async () => {
    const before = Number(/keyspace_misses:(\d+)/.exec(await r.info('stats'))![1]);
    expect(await r.dumpBuffer('nope')).to.equal(null);
    expect(Number(/keyspace_misses:(\d+)/.exec(await r.info('stats'))![1])).to.equal(before + 1);
  });

  it('answers every error with Redis text, in Redis order, changing nothing', async () => {
    await r.set('exists', 'old');
    const got: string[] = [];
    for (const c of errorCases(STRING_V)) got.push(await outcome(r, c));
    const SYNTAX = 'error: ERR syntax error';
    const NOT_INT = 'error: ERR value is not an integer or out of range';
    const CHECKSUM = 'error: ERR DUMP payload version or checksum are wrong';
    const FORMAT = 'error: ERR Bad data format';
    expect(got).to.deep.equal([
      "error: ERR wrong number of arguments for 'restore' command",
      "error: ERR wrong number of arguments for 'dump' command",
      "error: ERR wrong number of arguments for 'dump' command",
      SYNTAX, SYNTAX, SYNTAX, SYNTAX, SYNTAX,
      'error: ERR Invalid IDLETIME value, must be >= 0',
      NOT_INT,
      'error: ERR Invalid FREQ value, must be >= 0 and <= 255',
      'error: ERR Invalid FREQ value, must be >= 0 and <= 255',
      NOT_INT,
      'error: ERR Invalid FREQ value, must be >= 0 and <= 255',
      'error: BUSYKEY Target key name already exists.',
      'error: BUSYKEY Target key name already exists.',
      'error: ERR Invalid TTL value, must be >= 0',
      NOT_INT,
      NOT_INT,
      CHECKSUM, CHECKSUM, CHECKSUM, CHECKSUM, CHECKSUM,
      FORMAT, FORMAT, FORMAT,
      FORMAT,
      '0',
      'old',
    ]);
  });

  it('REPLACE overwrites any type and drops the old TTL; TTL 0 means no expiry', async () => {
    await r.rpush('k', 'a');
    await r.pexpire('k', 100000);
    expect(await r.restore('k', 0, STRING_V, 'REPLACE')).to.equal('OK');
    expect(await r.get('k')).to.equal('v');
    expect(await r.pttl('k')).to.equal(-1);
    expect(await r.call('RESTORE', 'k', '0', STRING_V, 'replace', 'replace')).to.equal('OK');
  });

  it('accepts sanitize-dump-payload in every mode and refuses duplicate fields under "yes"', async () => {
    for (const mode of ['yes', 'clients', 'no']) {
      await r.config('SET', 'sanitize-dump-payload', mode);
      expect(await r.config('GET', 'sanitize-dump-payload')).to.deep.equal(['sanitize-dump-payload', mode]);
      expect(await r.restore(`k-${mode}`, 0, STRING_V)).to.equal('OK');
    }
    await r.config('SET', 'sanitize-dump-payload', 'yes');
    expect(await outcome(r, ['RESTORE', 'dup', '0', DUP_HASH])).to.equal('error: ERR Bad data format');
    await r.config('SET', 'sanitize-dump-payload', 'no');
  });

  it('turns a relative TTL into an absolute one in the write log, with ABSTTL appended', async () => {
    clock.t = 1_700_000_000_000;
    const log = await logged(() => r.call('restore', 'k', '5000', STRING_V, 'IDLETIME', '3'));
    expect(await r.pttl('k')).to.equal(5000);
    expect(log).to.deep.equal([['restore', 'k', '1700000005000', STRING_V.toString('latin1'), 'IDLETIME', '3', 'ABSTTL']]);
    const log2 = await logged(() => r.call('RESTORE', 'k2', '1800000000000', STRING_V, 'absttl'));
    expect(await r.call('PEXPIRETIME', 'k2')).to.equal(1_800_000_000_000);
    expect(log2).to.deep.equal([['RESTORE', 'k2', '1800000000000', STRING_V.toString('latin1'), 'absttl']]);
    const log3 = await logged(() => r.call('RESTORE', 'k3', '0', STRING_V));
    expect(log3).to.deep.equal([['RESTORE', 'k3', '0', STRING_V.toString('latin1')]]);
    expect(await r.pttl('k3')).to.equal(-1);
  });

  it('an already-expired TTL creates nothing; with REPLACE it deletes the old key as a DEL', async () => {
    clock.t = 1_700_000_000_000;
    const none = await logged(async () => {
      expect(await r.call('RESTORE', 'gone', '1700000000000', STRING_V, 'ABSTTL')).to.equal('OK');
      // 2^63-1 + now wraps negative in Redis's arithmetic: expired too
      expect(await r.call('RESTORE', 'gone', '9223372036854775807', STRING_V)).to.equal('OK');
      expect(await r.call('RESTORE', 'gone', '9223372036854775000', STRING_V)).to.equal('OK');
    });
    expect(none).to.deep.equal([]);
    expect(await r.exists('gone')).to.equal(0);
    await r.set('old', 'x');
    const del = await logged(() => r.call('RESTORE', 'old', '1', STRING_V, 'ABSTTL', 'REPLACE'));
    expect(del).to.deep.equal([['DEL', 'old']]);
    expect(await r.exists('old')).to.equal(0);
    // far in the future but still inside int64: kept, and propagated exactly
    const far = await logged(() => r.call('RESTORE', 'far', '9223370000000000000', STRING_V));
    expect(far[0]![2]).to.equal('9223371700000000000');
    expect(await r.exists('far')).to.equal(1);
  });

  it('sets the idle time (LRU policies) or the LFU counter (LFU policies)', async () => {
    clock.t = 1_700_000_000_000;
    await r.call('RESTORE', 'i', '0', STRING_V, 'IDLETIME', '1000');
    expect(await r.object('IDLETIME', 'i')).to.equal(1000);
    clock.t += 5000;
    expect(await r.object('IDLETIME', 'i')).to.equal(1005);
    // Redis keeps a 24-bit seconds clock per key: larger idle times wrap around
    await r.call('RESTORE', 'w', '0', STRING_V, 'IDLETIME', '1000000000');
    expect(await r.object('IDLETIME', 'w')).to.equal(10144256);
    await r.call('RESTORE', 'm', '0', STRING_V, 'IDLETIME', '9223372036854775807');
    expect(await r.object('IDLETIME', 'm')).to.equal(16777214);
    await r.call('RESTORE', 'f', '0', STRING_V, 'FREQ', '100');
    await r.config('SET', 'maxmemory-policy', 'allkeys-lfu');
    expect(await r.object('FREQ', 'f')).to.equal(5);
    await r.call('RESTORE', 'f2', '0', STRING_V, 'FREQ', '100');
    expect(await r.object('FREQ', 'f2')).to.equal(100);
    await r.call('RESTORE', 'f3', '0', STRING_V, 'IDLETIME', '100');
    expect(await r.object('FREQ', 'f3')).to.equal(5);
  });

  it('fires "new" and "restore", or "del" for an expired REPLACE, and wakes blocked clients', async () => {
    await r.config('SET', 'notify-keyspace-events', 'KEAn');
    try {
      const seen = await keyEvents(srv, r, async () => {
        await r.call('RESTORE', 'a', '0', STRING_V);
        await r.call('RESTORE', 'a', '0', STRING_V, 'REPLACE');
        await r.call('RESTORE', 'a', '1', STRING_V, 'REPLACE', 'ABSTTL');
        await r.call('RESTORE', 'b', '1', STRING_V, 'ABSTTL');
      });
      expect(seen).to.deep.equal(['new:a', 'restore:a', 'new:a', 'restore:a', 'del:a']);
    } finally {
      await r.config('SET', 'notify-keyspace-events', '');
    }
    await r.rpush('src', 'x', 'y');
    const list = (await r.dumpBuffer('src'))!;
    const blocked = new Redis(srv.port);
    try {
      const pop = blocked.blpop('q', 0);
      await new Promise((res) => setTimeout(res, 50));
      await r.restore('q', 0, list);
      expect(await pop).to.deep.equal(['q', 'x']);
      expect(await r.lrange('q', 0, -1)).to.deep.equal(['y']);
    } finally {
      blocked.disconnect();
    }
  });

  it('breaks a WATCH on the restored key', async () => {
    const w = new Redis(srv.port);
    try {
      await w.watch('k');
      await r.restore('k', 0, STRING_V);
      expect(await w.multi().get('k').exec()).to.equal(null);
    } finally {
      w.disconnect();
    }
  });

  it('DEBUG DIGEST-VALUE follows the contents of aggregates, not only their size', async () => {
    await r.rpush('l', 'x', 'y');
    const d1 = await r.call('DEBUG', 'DIGEST-VALUE', 'l');
    await r.lset('l', 1, 'z');
    const d2 = await r.call('DEBUG', 'DIGEST-VALUE', 'l');
    expect(d1).to.not.deep.equal(d2);
  });

  describe('against redis-server 7.0.15', function () {
    this.timeout(30000);
    let redis: Spawned | null = null;
    let rr: Redis;

    before(async function () {
      requireBinary(this, 'redis-server');
      redis = await spawnServer(['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'], { bin: 'redis-server' });
      rr = new Redis(redis.port);
    });
    after(async () => {
      rr?.disconnect();
      if (redis) await redis.stop('SIGKILL');
    });
    beforeEach(async () => {
      if (rr) await rr.flushall();
    });

    it('dumps the same bytes and restores either payload on either server alike', async () => {
      await build(r);
      await build(rr);
      for (const { key } of DATASET) {
        expect(await r.object('ENCODING', key), key).to.equal(await rr.object('ENCODING', key));
        const mine = (await r.dumpBuffer(key))!;
        const theirs = (await rr.dumpBuffer(key))!;
        const enc = String(await r.object('ENCODING', key));
        // hashtable iteration order is Redis's own; everything else is byte for byte
        if (enc !== 'hashtable') expect(mine.equals(theirs), `${key} bytes`).to.equal(true);
        const want = await contents(rr, key);
        for (const [name, payload] of [['mine', mine], ['theirs', theirs]] as const) {
          const k = `${name}:${key}`;
          expect(await r.restore(k, 0, payload)).to.equal('OK');
          expect(await rr.restore(k, 0, payload)).to.equal('OK');
          expect(await contents(r, k), `${k} here`).to.equal(want);
          expect(await contents(rr, k), `${k} in Redis`).to.equal(want);
          expect(await r.object('ENCODING', k), `${k} encoding`).to.equal(await rr.object('ENCODING', k));
        }
      }
    });

    it('gives the same reply to every error case', async () => {
      await r.set('exists', 'old');
      await rr.set('exists', 'old');
      for (const c of errorCases(STRING_V)) {
        expect(await outcome(r, c), c.map(String).join(' ')).to.equal(await outcome(rr, c));
      }
    });

    it('refuses a listpack with duplicate fields under sanitize-dump-payload yes', async () => {
      for (const c of [r, rr]) await c.config('SET', 'sanitize-dump-payload', 'yes');
      try {
        const c: Arg[] = ['RESTORE', 'dup', '0', DUP_HASH];
        expect(await outcome(r, c)).to.equal(await outcome(rr, c)).and.equal('error: ERR Bad data format');
      } finally {
        for (const c of [r, rr]) await c.config('SET', 'sanitize-dump-payload', 'no');
      }
    });

    it('agrees on TTLs, overflowing TTLs, wrapped idle times and LFU counters', async () => {
      const cases: Arg[][] = [
        ['RESTORE', 'a', '100000', STRING_V],
        ['RESTORE', 'b', '9223372036854775807', STRING_V],
        ['RESTORE', 'c', '1', STRING_V, 'ABSTTL'],
        ['RESTORE', 'd', '0', STRING_V, 'IDLETIME', '100'],
        ['RESTORE', 'e', '0', STRING_V, 'IDLETIME', '1000000000'],
        ['RESTORE', 'f', '0', STRING_V, 'IDLETIME', '100000000000000000'],
        ['RESTORE', 'g', '0', STRING_V, 'IDLETIME', '9223372036854775807'],
      ];
      for (const c of cases) expect(await outcome(r, c)).to.equal(await outcome(rr, c));
      expect(await r.exists('a', 'b', 'c')).to.equal(await rr.exists('a', 'b', 'c'));
      expect(Math.abs((await r.pttl('a')) - (await rr.pttl('a')))).to.be.below(1000);
      for (const k of ['d', 'e', 'f', 'g']) {
        const [mine, theirs] = [Number(await r.object('IDLETIME', k)), Number(await rr.object('IDLETIME', k))];
        expect(Math.abs(mine - theirs), `${k}: ${mine} vs ${theirs}`).to.be.at.most(1);
      }
      for (const c of [r, rr]) {
        await c.config('SET', 'maxmemory-policy', 'allkeys-lfu');
        await c.call('RESTORE', 'lfu', '0', STRING_V, 'FREQ', '77');
      }
      expect(await r.object('FREQ', 'lfu')).to.equal(77);
      expect(await rr.object('FREQ', 'lfu')).to.equal(77);
      await rr.config('SET', 'maxmemory-policy', 'noeviction');
    });
  });
});

/**
 * Generic key commands against a real in-process server: DEL UNLINK EXISTS TYPE RENAME
 * RENAMENX KEYS SCAN RANDOMKEY DBSIZE TOUCH COPY MOVE SWAPDB SELECT FLUSHDB FLUSHALL
 * OBJECT. Replies and error texts are Redis 7.0.15's (checked against redis-server); the
 * write log and keyspace events are observed on the node, WATCH effects through EXEC.
 * A frozen clock makes TTLs and idle times exact.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { errorText } from '../helpers/observe.js';
import { raw, spawnServer, startServer, waitFor, type TesseraServer } from '../helpers/server.js';

const T0 = 1_700_000_000_000;

describe('generic key commands', () => {
  let srv: TesseraServer;
  let r: Redis;
  const clock = { t: T0, now(): number { return this.t; } };

  before(async () => {
    srv = await startServer({}, { clock });
    r = new Redis(srv.port);
  });
  after(async () => {
    r.disconnect();
    await srv.close();
  });
  beforeEach(async () => {
    clock.t = T0;
    await r.select(0);
    await r.flushall();
  });

  const err = errorText;

  async function logged(fn: () => Promise<unknown>): Promise<Array<[number, string[]]>> {
    const seen: Array<[number, string[]]> = [];
    const unsub = srv.node.writeLog.subscribe({ append: (db, argv) => seen.push([db, [...argv]]) });
    try {
      await fn();
    } finally {
      unsub();
    }
    return seen;
  }

  /** Keyspace events as [class, event, key, db] while fn runs, whatever the config says. */
  async function events(fn: () => Promise<unknown>): Promise<Array<[string, string, string, number]>> {
    const node = srv.node;
    const seen: Array<[string, string, string, number]> = [];
    const orig = node.notifyKeyspaceEvent;
    node.notifyKeyspaceEvent = (cls, event, key, db, letter) => {
      seen.push([letter ?? cls, event, key, db]);
      orig.call(node, cls, event, key, db, letter);
    };
    try {
      await fn();
    } finally {
      node.notifyKeyspaceEvent = orig;
    }
    return seen;
  }

  /** Runs `change` on another connection between WATCH key and EXEC; true if EXEC ran. */
  async function execSurvives(key: string, db: number, change: (o: Redis) => Promise<unknown>): Promise<boolean> {
    const w = new Redis(srv.port);
    const o = new Redis(srv.port);
    try {
      await w.select(db);
      await w.watch(key);
      await change(o);
      const res = await w.multi().ping().exec();
      return res !== null;
    } finally {
      w.disconnect();
      o.disconnect();
    }
  }

  describe('DEL UNLINK EXISTS TYPE TOUCH DBSIZE', () => {
    it('count what they find, duplicates included', async () => {
      await r.mset('a', '1', 'b', '2');
      expect(await r.exists('a', 'a', 'nokey', 'b')).to.equal(3);
      expect(await r.touch('a', 'nokey', 'b')).to.equal(2);
      expect(await r.dbsize()).to.equal(2);
      expect(await r.del('a', 'a', 'nokey')).to.equal(1);
      expect(await r.unlink('b', 'c')).to.equal(1);
      expect(await r.dbsize()).to.equal(0);
    });

    it('TYPE names every kind of value', async () => {
      await r.set('s', 'v');
      await r.rpush('l', 'x');
      await r.hset('h', 'f', 'v');
      await r.sadd('st', 'm');
      expect(await r.type('s')).to.equal('string');
      expect(await r.type('l')).to.equal('list');
      expect(await r.type('h')).to.equal('hash');
      expect(await r.type('st')).to.equal('set');
      expect(await r.type('nokey')).to.equal('none');
      const c = await raw(srv.port);
      c.send('TYPE', 's');
      expect(await c.reply()).to.equal('+string\r\n');
      c.close();
    });

    it('DEL of an expired key counts nothing and logs the expiry as DEL', async () => {
      await r.set('a', '1', 'PX', 5);
      await r.set('b', '2');
      clock.t += 5;
      const log = await logged(async () => expect(await r.del('a', 'b')).to.equal(1));
      expect(log).to.deep.equal([[0, ['DEL', 'a']], [0, ['del', 'a', 'b']]]);
    });

    it('UNLINK and FLUSHDB ASYNC of a big value give the memory back soon, as in Redis (binary)', async function () {
      this.timeout(20000);
      // A process of its own: used_memory counts the whole heap, so this one must be quiet.
      const bin = await spawnServer(['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1']);
      const c = new Redis(bin.port);
      try {
        const used = async () => Number(/used_memory:(\d+)/.exec(await c.info('memory'))![1]);
        const members = Array.from({ length: 100000 }, (_, i) => `m${i}`);
        for (const drop of [() => c.unlink('big'), () => c.flushdb('ASYNC')]) {
          for (let i = 0; i < members.length; i += 50000) await c.sadd('big', members.slice(i, i + 50000));
          const peak = await used();
          await drop();
          // Nothing else runs in that process: only the GC the deletion asked for frees it.
          await waitFor(async () => (await used()) < peak - 2_000_000, 3000, 50);
        }
      } finally {
        c.disconnect();
        await bin.stop('SIGKILL');
      }
    });

    it('KEYS past the normal hard output limit closes the client without a reply', async () => {
      const prefix = 'long-key-name-prefix-of-100-chars'.padEnd(100, '-');
      await r.mset(...Array.from({ length: 1000 }, (_, i) => [`${prefix}${i}`, 'v']).flat());
      await r.config('SET', 'client-output-buffer-limit', 'normal 100000 0 0');
      try {
        const c = await raw(srv.port);
        c.send('KEYS', '*');
        expect(await c.waitClosed()).to.equal(true);
        expect(c.pending()).to.equal('');
        expect(srv.node.stats.clientOutputBufferLimitDisconnections).to.be.greaterThan(0);
        // A reply under the limit goes out as usual.
        expect(await r.keys(`${prefix}99`)).to.deep.equal([`${prefix}99`]);
      } finally {
        await r.config('SET', 'client-output-buffer-limit', 'normal 0 0 0');
      }
    });

    it('emit del events and are not logged when nothing was removed', async () => {
      await r.mset('a', '1', 'b', '2');
      expect(await events(() => r.del('a', 'x', 'b'))).to.deep.equal([['g', 'del', 'a', 0], ['g', 'del', 'b', 0]]);
      expect(await logged(() => r.del('a', 'x'))).to.deep.equal([]);
      expect(await logged(() => r.unlink('a'))).to.deep.equal([]);
    });
  });

  describe('RENAME RENAMENX', () => {
    it('moves value and TTL, overwriting the destination', async () => {
      await r.set('a', 'va', 'EX', 100);
      await r.set('b', 'vb', 'EX', 5);
      expect(await r.rename('a', 'b')).to.equal('OK');
      expect(await r.get('b')).to.equal('va');
      expect(await r.pttl('b')).to.equal(100_000);
      expect(await r.exists('a')).to.equal(0);
      await r.set('c', 'vc');
      expect(await r.rename('b', 'c')).to.equal('OK');
      expect(await r.pttl('c')).to.equal(100_000);
    });

    it('RENAMENX refuses an existing destination', async () => {
      await r.mset('a', '1', 'b', '2');
      expect(await r.renamenx('a', 'b')).to.equal(0);
      expect(await r.renamenx('a', 'c')).to.equal(1);
      expect(await r.mget('a', 'b', 'c')).to.deep.equal([null, '2', '1']);
    });

    it('same name and missing source', async () => {
      await r.set('a', '1');
      expect(await r.rename('a', 'a')).to.equal('OK');
      expect(await r.renamenx('a', 'a')).to.equal(0);
      expect(await err(r.rename('nokey', 'x'))).to.equal('ERR no such key');
      expect(await err(r.renamenx('nokey', 'nokey'))).to.equal('ERR no such key');
      expect(await logged(() => r.rename('a', 'a'))).to.deep.equal([]);
    });

    it('emits new, rename_from, rename_to in that order', async () => {
      await r.rpush('l', 'x');
      expect(await events(() => r.rename('l', 'm'))).to.deep.equal(
        [['n', 'new', 'm', 0], ['g', 'rename_from', 'l', 0], ['g', 'rename_to', 'm', 0]]);
      expect(await r.lrange('m', 0, -1)).to.deep.equal(['x']);
    });
  });

  describe('KEYS SCAN RANDOMKEY', () => {
    it('KEYS matches globs and hides expired keys', async () => {
      await r.mset('foo', '1', 'fob', '2', 'bar', '3', 'f*x', '4');
      await r.set('fox', '5', 'PX', 1);
      clock.t += 1;
      expect((await r.keys('fo?')).sort()).to.deep.equal(['fob', 'foo']);
      expect((await r.keys('*')).sort()).to.deep.equal(['bar', 'f*x', 'fob', 'foo']);
      expect(await r.keys('f\\*x')).to.deep.equal(['f*x']);
      expect((await r.keys('[bf]o[!a]')).sort()).to.deep.equal([]);
      expect((await r.keys('[bf][ao][^x]')).sort()).to.deep.equal(['bar', 'fob', 'foo']);
    });

    it('SCAN visits every key once over a full iteration', async () => {
      const p = r.pipeline();
      for (let i = 0; i < 250; i++) p.set(`k${i}`, 'v');
      await p.exec();
      const seen = new Set<string>();
      let cursor = '0';
      let calls = 0;
      do {
        const [next, keys] = (await r.scan(cursor, 'COUNT', 17)) as [string, string[]];
        for (const k of keys) seen.add(k);
        cursor = next;
        calls++;
      } while (cursor !== '0');
      expect(seen.size).to.equal(250);
      expect(calls).to.be.greaterThan(10);
    });

    it('SCAN filters by MATCH and TYPE', async () => {
      await r.mset('s1', 'a', 's2', 'b', 'x', 'c');
      await r.rpush('l1', 'a');
      const [c1, m] = (await r.scan('0', 'MATCH', 's*', 'COUNT', 1000)) as [string, string[]];
      expect(c1).to.equal('0');
      expect(m.sort()).to.deep.equal(['s1', 's2']);
      const [, t] = (await r.scan('0', 'COUNT', 1000, 'TYPE', 'LIST')) as [string, string[]];
      expect(t).to.deep.equal(['l1']);
      const [, none] = (await r.scan('0', 'COUNT', 1000, 'TYPE', 'hash')) as [string, string[]];
      expect(none).to.deep.equal([]);
    });

    it('SCAN deletes the expired keys it meets', async () => {
      await r.set('a', '1', 'PX', 1);
      await r.set('b', '2');
      clock.t += 1;
      let res: unknown;
      const log = await logged(async () => { res = await r.scan('0', 'COUNT', 100); });
      expect(res).to.deep.equal(['0', ['b']]);
      expect(log).to.deep.equal([[0, ['DEL', 'a']]]);
      expect(await r.dbsize()).to.equal(1);
    });

    it('SCAN argument errors', async () => {
      expect(await err(r.scan('x'))).to.equal('ERR invalid cursor');
      expect(await err(r.scan('18446744073709551616'))).to.equal('ERR invalid cursor');
      expect(await err(r.call('SCAN', ' 0'))).to.equal('ERR invalid cursor');
      expect(await err(r.scan('0', 'COUNT', 0))).to.equal('ERR syntax error');
      expect(await err(r.call('SCAN', '0', 'COUNT', 'x'))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('SCAN', '0', 'FOO'))).to.equal('ERR syntax error');
      expect(await err(r.call('SCAN', '0', 'MATCH'))).to.equal('ERR syntax error');
      expect(await r.call('SCAN', '')).to.deep.equal(['0', []]);
      expect(await r.call('SCAN', '-1')).to.deep.equal(['0', []]);
    });

    it('RANDOMKEY returns a live key or nil', async () => {
      expect(await r.randomkey()).to.equal(null);
      await r.set('dead', '1', 'PX', 1);
      await r.set('live', '2');
      clock.t += 1;
      for (let i = 0; i < 10; i++) expect(await r.randomkey()).to.equal('live');
      expect(await r.exists('dead')).to.equal(0);
    });
  });

  describe('COPY MOVE SWAPDB SELECT', () => {
    it('COPY duplicates value and TTL, deeply', async () => {
      await r.rpush('l', 'a', 'b');
      await r.pexpire('l', 5000);
      expect(await r.copy('l', 'l2')).to.equal(1);
      await r.rpush('l2', 'c');
      expect(await r.lrange('l', 0, -1)).to.deep.equal(['a', 'b']);
      expect(await r.lrange('l2', 0, -1)).to.deep.equal(['a', 'b', 'c']);
      expect(await r.pttl('l2')).to.equal(5000);
      expect(await r.copy('nokey', 'x')).to.equal(0);
    });

    it('COPY of every type digests like its source (DEBUG DIGEST-VALUE hashes values, not names)', async () => {
      await r.rpush('l', 'a', 'b', '3');
      await r.sadd('si', '1', '2', '3');
      await r.sadd('sh', '1', 'a');
      await r.zadd('z', 1, 'x', 2.5, 'y');
      await r.hset('h', 'f', 'v', 'g', '12');
      await r.set('s', 'str');
      await r.set('n', '12345');
      for (const k of ['l', 'si', 'sh', 'z', 'h', 's', 'n']) {
        expect(await r.copy(k, `${k}-copy`)).to.equal(1);
        const [a, b] = (await r.call('DEBUG', 'DIGEST-VALUE', k, `${k}-copy`)) as string[];
        expect(a, k).to.match(/^[0-9a-f]{40}$/);
        expect(a, k).to.not.equal('0'.repeat(40));
        expect(b, k).to.equal(a);
      }
      await r.rpush('l-copy', 'c');
      const [l, lc] = (await r.call('DEBUG', 'DIGEST-VALUE', 'l', 'l-copy')) as string[];
      expect(lc).to.not.equal(l);
      expect(await r.call('DEBUG', 'DIGEST-VALUE', 'nokey')).to.deep.equal(['0'.repeat(40)]);
    });

    it('COPY to another DB, REPLACE, and its errors', async () => {
      await r.set('a', '1');
      await r.set('b', '2');
      expect(await r.copy('a', 'b')).to.equal(0);
      expect(await r.copy('a', 'b', 'REPLACE')).to.equal(1);
      expect(await r.get('b')).to.equal('1');
      expect(await r.copy('a', 'a', 'DB', 3)).to.equal(1);
      await r.select(3);
      expect(await r.get('a')).to.equal('1');
      await r.select(0);
      expect(await err(r.copy('a', 'a'))).to.equal('ERR source and destination objects are the same');
      expect(await err(r.copy('a', 'a', 'DB', 0))).to.equal('ERR source and destination objects are the same');
      expect(await err(r.copy('a', 'b', 'DB', 16))).to.equal('ERR DB index is out of range');
      expect(await err(r.call('COPY', 'a', 'b', 'DB', 'x'))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('COPY', 'a', 'b', 'DB'))).to.equal('ERR syntax error');
      expect(await err(r.call('COPY', 'a', 'b', 'FOO'))).to.equal('ERR syntax error');
    });

    it('COPY emits new and copy_to in the destination DB', async () => {
      await r.set('a', '1');
      expect(await events(() => r.copy('a', 'b', 'DB', 2))).to.deep.equal([['n', 'new', 'b', 2], ['g', 'copy_to', 'b', 2]]);
    });

    it('MOVE transfers key and TTL unless the target has the key', async () => {
      await r.set('a', '1', 'EX', 60);
      expect(await r.move('a', 1)).to.equal(1);
      expect(await r.exists('a')).to.equal(0);
      await r.select(1);
      expect(await r.get('a')).to.equal('1');
      expect(await r.ttl('a')).to.equal(60);
      await r.select(0);
      await r.set('a', 'x');
      expect(await r.move('a', 1)).to.equal(0);
      expect(await r.move('nokey', 1)).to.equal(0);
      expect(await err(r.move('a', 0))).to.equal('ERR source and destination objects are the same');
      expect(await err(r.move('a', 16))).to.equal('ERR DB index is out of range');
      expect(await err(r.move('a', -1))).to.equal('ERR DB index is out of range');
      expect(await err(r.call('MOVE', 'a', 'x'))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('MOVE', 'a', '4294967296'))).to.equal(
        'ERR value is out of range, value must between -2147483648 and 2147483647');
    });

    it('MOVE emits new, move_from and move_to with their DBs', async () => {
      await r.set('a', '1');
      expect(await events(() => r.move('a', 5))).to.deep.equal(
        [['n', 'new', 'a', 5], ['g', 'move_from', 'a', 0], ['g', 'move_to', 'a', 5]]);
    });

    it('MOVE breaks a WATCH on the key in the target DB', async () => {
      await r.set('a', '1');
      expect(await execSurvives('a', 1, (o) => o.move('a', 1))).to.equal(false);
      expect(await execSurvives('zz', 1, (o) => o.set('b', '1').then(() => o.move('b', 1)))).to.equal(true);
    });

    it('SWAPDB swaps contents, breaks WATCHes on keys on either side, and checks indexes', async () => {
      await r.set('a', 'in0');
      await r.select(1);
      await r.set('b', 'in1');
      await r.select(0);
      expect(await r.swapdb(0, 1)).to.equal('OK');
      expect(await r.get('b')).to.equal('in1');
      expect(await r.exists('a')).to.equal(0);
      expect(await execSurvives('b', 0, (o) => o.swapdb(0, 1))).to.equal(false);
      expect(await execSurvives('a', 0, (o) => o.swapdb(0, 1))).to.equal(false);
      expect(await execSurvives('zz', 0, (o) => o.swapdb(0, 1))).to.equal(true);
      expect(await r.swapdb(2, 2)).to.equal('OK');
      expect(await err(r.call('SWAPDB', 'x', '0'))).to.equal('ERR invalid first DB index');
      expect(await err(r.call('SWAPDB', '0', 'x'))).to.equal('ERR invalid second DB index');
      expect(await err(r.call('SWAPDB', '0', '99999999999'))).to.equal('ERR invalid second DB index');
      expect(await err(r.swapdb(0, 16))).to.equal('ERR DB index is out of range');
      expect(await logged(() => r.swapdb(3, 4))).to.deep.equal([[0, ['swapdb', '3', '4']]]);
    });

    it('SELECT switches databases and validates the index', async () => {
      await r.set('k', 'db0');
      expect(await r.select(9)).to.equal('OK');
      expect(await r.get('k')).to.equal(null);
      expect(await err(r.select(16))).to.equal('ERR DB index is out of range');
      expect(await err(r.select(-1))).to.equal('ERR DB index is out of range');
      expect(await err(r.call('SELECT', 'x'))).to.equal('ERR value is not an integer or out of range');
      expect(await err(r.call('SELECT', '4294967296'))).to.equal('ERR value is out of range, value must between -2147483648 and 2147483647');
      await r.select(0);
      expect(await r.get('k')).to.equal('db0');
    });
  });

  describe('FLUSHDB FLUSHALL', () => {
    it('FLUSHDB empties only the current DB; FLUSHALL empties all', async () => {
      await r.set('a', '1');
      await r.select(1);
      await r.set('b', '1');
      expect(await r.flushdb()).to.equal('OK');
      expect(await r.dbsize()).to.equal(0);
      await r.select(0);
      expect(await r.dbsize()).to.equal(1);
      await r.select(1);
      await r.set('b', '1');
      expect(await r.call('FLUSHALL', 'ASYNC')).to.equal('OK');
      expect(await r.dbsize()).to.equal(0);
      await r.select(0);
      expect(await r.dbsize()).to.equal(0);
    });

    it('accept only SYNC or ASYNC', async () => {
      expect(await r.call('FLUSHDB', 'sync')).to.equal('OK');
      expect(await err(r.call('FLUSHDB', 'x'))).to.equal('ERR syntax error');
      expect(await err(r.call('FLUSHALL', 'async', 'sync'))).to.equal('ERR syntax error');
    });

    it('are logged even when there was nothing to remove', async () => {
      expect(await logged(() => r.flushdb())).to.deep.equal([[0, ['flushdb']]]);
      await r.set('a', '1');
      expect(await logged(() => r.flushall())).to.deep.equal([[0, ['flushall']]]);
    });

    it('break WATCH only for keys that existed', async () => {
      expect(await execSurvives('x', 0, (o) => o.flushdb())).to.equal(true);
      await r.set('x', '1');
      expect(await execSurvives('x', 0, (o) => o.flushdb())).to.equal(false);
      await r.set('x', '1');
      expect(await execSurvives('x', 0, (o) => o.flushall())).to.equal(false);
    });
  });

  describe('OBJECT', () => {
    it('ENCODING of strings follows the value, as Redis stores it on SET', async () => {
      await r.mset('i', '12345', 'neg', '-7', 'big', '12345678901234567890', 'e', 'x'.repeat(44), 'raw', 'x'.repeat(45), 'lz', '01');
      expect(await r.object('ENCODING', 'i')).to.equal('int');
      expect(await r.object('ENCODING', 'neg')).to.equal('int');
      expect(await r.object('ENCODING', 'big')).to.equal('embstr');
      expect(await r.object('ENCODING', 'e')).to.equal('embstr');
      expect(await r.object('ENCODING', 'raw')).to.equal('raw');
      expect(await r.object('ENCODING', 'lz')).to.equal('embstr');
      expect(await r.object('ENCODING', 'nokey')).to.equal(null);
    });

    it('REFCOUNT reports shared small integers', async () => {
      await r.mset('small', '5', 'edge', '9999', 'big', '10000', 's', 'text');
      await r.rpush('l', 'x');
      expect(await r.object('REFCOUNT', 'small')).to.equal(2147483647);
      expect(await r.object('REFCOUNT', 'edge')).to.equal(2147483647);
      expect(await r.object('REFCOUNT', 'big')).to.equal(1);
      expect(await r.object('REFCOUNT', 's')).to.equal(1);
      expect(await r.object('REFCOUNT', 'l')).to.equal(1);
      expect(await r.object('REFCOUNT', 'nokey')).to.equal(null);
    });

    it('IDLETIME counts whole seconds since the last access; reads reset it, OBJECT does not', async () => {
      await r.set('k', 'v');
      clock.t += 4_500;
      expect(await r.object('IDLETIME', 'k')).to.equal(4);
      expect(await r.object('IDLETIME', 'k')).to.equal(4);
      await r.get('k');
      expect(await r.object('IDLETIME', 'k')).to.equal(0);
      clock.t += 2_000;
      await r.exists('k');
      await r.ttl('k');
      expect(await r.object('IDLETIME', 'k')).to.equal(2);
    });

    it('FREQ and IDLETIME depend on the maxmemory policy', async () => {
      await r.set('k', 'v');
      expect(await err(r.object('FREQ', 'k'))).to.equal(
        'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
      await r.config('SET', 'maxmemory-policy', 'allkeys-lfu');
      try {
        expect(await r.object('FREQ', 'k')).to.equal(5);
        expect(await r.object('FREQ', 'nokey')).to.equal(null);
        for (let i = 0; i < 50; i++) await r.get('k');
        expect(await r.object('FREQ', 'k')).to.be.greaterThan(5);
        expect(await err(r.object('IDLETIME', 'k'))).to.equal(
          'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.');
      } finally {
        await r.config('SET', 'maxmemory-policy', 'noeviction');
      }
    });

    it('HELP and subcommand errors', async () => {
      const c = await raw(srv.port);
      c.send('object', 'help');
      const help = await c.reply();
      expect(help.startsWith('*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING <key>\r\n')).to.equal(true);
      expect(help.endsWith('+HELP\r\n+    Prints this help.\r\n')).to.equal(true);
      c.close();
      expect(await err(r.call('OBJECT', 'foo'))).to.equal("ERR unknown subcommand 'foo'. Try OBJECT HELP.");
      expect(await err(r.call('OBJECT', 'ENCODING'))).to.equal("ERR wrong number of arguments for 'object|encoding' command");
      expect(await err(r.call('OBJECT', 'HELP', 'x'))).to.equal("ERR wrong number of arguments for 'object|help' command");
    });
  });

  it('keyspace hits and misses are counted by reads', async () => {
    await r.set('k', 'v');
    const stats = srv.node.stats;
    const h0 = stats.keyspaceHits;
    const m0 = stats.keyspaceMisses;
    await r.get('k');
    await r.exists('k', 'nokey');
    await r.set('k', 'w');
    expect(stats.keyspaceHits - h0).to.equal(2);
    expect(stats.keyspaceMisses - m0).to.equal(1);
  });
});

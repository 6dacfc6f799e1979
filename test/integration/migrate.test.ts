/**
 * MIGRATE from an in-process server to a Tessera binary in another process (MIGRATE
 * blocks the caller's thread as Redis's does, so a target in the same process could not
 * answer): single and KEYS forms, COPY / REPLACE / AUTH, TTLs, target errors, partial
 * acknowledgement, IOERR on refused connections and timeouts, cached connections, the
 * DEL it propagates and its events; then both directions against redis-server 7.0.15.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { errorText, keyEvents, writeLogDuring } from '../helpers/observe.js';
import { freePort, requireBinary, spawnServer, startServer, type Spawned, type TesseraServer } from '../helpers/server.js';

describe('MIGRATE', function () {
  this.timeout(30000);
  let srv: TesseraServer;
  let r: Redis;
  let target: Spawned;
  let t: Redis;

  before(async () => {
    srv = await startServer({ 'notify-keyspace-events': 'KEA' });
    r = new Redis(srv.port);
    target = await spawnServer(['--save', '', '--appendonly', 'no', '--bind', '127.0.0.1', '--enable-debug-command', 'yes']);
    t = new Redis(target.port);
  });
  after(async () => {
    r.disconnect();
    t.disconnect();
    await srv.close();
    await target.stop('SIGKILL');
  });
  beforeEach(async () => {
    await r.flushall();
    await t.config('SET', 'requirepass', '');
    await t.flushall();
  });

  const mig = (...args: Array<string | number>) => r.call('MIGRATE', '127.0.0.1', String(target.port), ...args.map(String));

  it('moves a key with its TTL, deletes it here, logs DEL and fires del', async () => {
    await r.set('key', 'Some Value', 'PX', 10000);
    let events: string[] = [];
    const log = await writeLogDuring(srv, async () => {
      events = await keyEvents(srv, r, async () => expect(await mig('key', 9, 5000)).to.equal('OK'));
    });
    expect(log).to.deep.equal([['DEL', 'key']]);
    expect(events).to.deep.equal(['del:key']);
    expect(await r.exists('key')).to.equal(0);
    await t.select(9);
    expect(await t.get('key')).to.equal('Some Value');
    const ttl = await t.pttl('key');
    expect(ttl).to.be.within(8000, 10000);
    await t.select(0);
    expect(await r.info('stats')).to.match(/migrate_cached_sockets:1\r\n/);
  });

  it('COPY keeps the key, REPLACE overwrites, a busy key is the target error', async () => {
    await r.rpush('list', 'd', 'c', 'b', 'a');
    await t.set('list', 'somevalue');
    expect(await errorText(mig('list', 0, 5000, 'COPY'))).to.equal('ERR Target instance replied with error: BUSYKEY Target key name already exists.');
    expect(await mig('list', 0, 5000, 'COPY', 'REPLACE')).to.equal('OK');
    expect(await t.lrange('list', 0, -1)).to.deep.equal(['d', 'c', 'b', 'a']);
    expect(await r.lrange('list', 0, -1)).to.deep.equal(['d', 'c', 'b', 'a']);
    // COPY changes nothing here: nothing to propagate.
    expect(await writeLogDuring(srv, () => mig('list', 0, 5000, 'COPY', 'REPLACE'))).to.deep.equal([]);
  });

  it('KEYS: missing keys are skipped (NOKEY when none), only acknowledged keys are deleted', async () => {
    expect(await mig('', 0, 5000, 'KEYS', 'nokey-1', 'nokey-2')).to.equal('NOKEY');
    await r.mset('a', '1', 'b', '2', 'c', '3', 'd', '4');
    await t.mset('c', '_');
    const log = await writeLogDuring(srv, async () => {
      expect(await errorText(mig('', 0, 5000, 'KEYS', 'a', 'nokey', 'b', 'c', 'd'))).to.match(/^ERR Target instance replied with error: BUSYKEY/);
    });
    expect(log).to.deep.equal([['DEL', 'a', 'b', 'd']]);
    expect(await r.keys('*')).to.deep.equal(['c']);
    expect((await t.mget('a', 'b', 'c', 'd'))).to.deep.equal(['1', '2', '_', '4']);
  });

  it('AUTH: a right password migrates, a wrong one is the target error', async () => {
    await t.config('SET', 'requirepass', 'foobar');
    const ta = new Redis(target.port, { password: 'foobar' });
    try {
      await r.rpush('list', 'a');
      expect(await mig('list', 0, 5000, 'AUTH', 'foobar')).to.equal('OK');
      expect(await ta.lrange('list', 0, -1)).to.deep.equal(['a']);
      await r.rpush('list', 'b');
      await ta.config('SET', 'requirepass', 'foobar2');
      expect(await errorText(mig('list', 0, 5000, 'AUTH', 'foobar', 'REPLACE'))).to.match(/^ERR Target instance replied with error: WRONGPASS/);
      expect(await r.exists('list')).to.equal(1);
      await ta.config('SET', 'requirepass', '');
    } finally {
      ta.disconnect();
    }
  });

  it('argument errors, as Redis words them', async () => {
    await r.set('k', 'v');
    expect(await errorText(mig('NotEmpty', 0, 5000, 'KEYS', 'a'))).to.equal(
      'ERR When using MIGRATE KEYS option, the key argument must be set to the empty string');
    expect(await errorText(mig('k', 0, 5000, 'AUTH'))).to.equal('ERR syntax error');
    expect(await errorText(mig('k', 0, 5000, 'AUTH2', 'u'))).to.equal('ERR syntax error');
    expect(await errorText(mig('k', 0, 5000, 'FOO'))).to.equal('ERR syntax error');
    expect(await errorText(mig('k', 'x', 5000))).to.equal('ERR value is not an integer or out of range');
    expect(await errorText(mig('k', 0, 'x'))).to.equal('ERR value is not an integer or out of range');
    expect(await r.call('COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', '', '0', '5', 'AUTH', 'x', 'KEYS', 'a', 'b')).to.deep.equal(['a', 'b']);
  });

  it('IOERR on a refused connection and on a target that does not answer in time; the key stays', async () => {
    await r.set('k', 'v');
    const dead = await freePort();
    expect(await errorText(r.call('MIGRATE', '127.0.0.1', String(dead), 'k', '0', '1000'))).to.equal(
      'IOERR error or timeout writing to target instance');
    const sleeper = new Redis(target.port);
    const busy = sleeper.call('DEBUG', 'SLEEP', '1');
    await new Promise((res) => setTimeout(res, 100));
    const t0 = Date.now();
    expect(await errorText(mig('k', 0, 300))).to.equal('IOERR error or timeout reading to target instance');
    expect(Date.now() - t0).to.be.below(900);
    await busy;
    sleeper.disconnect();
    expect(await r.get('k')).to.equal('v');
    // The broken connection was dropped; the next MIGRATE reconnects. The target ran the
    // late RESTORE when it woke up, as a real one would.
    expect(await t.get('k')).to.equal('v');
    expect(await mig('k', 0, 5000, 'REPLACE')).to.equal('OK');
  });

  it('follows the target DB across migrations on one cached connection', async () => {
    await r.mset('x', '1', 'y', '2', 'z', '3');
    expect(await mig('x', 3, 5000)).to.equal('OK');
    expect(await mig('y', 3, 5000)).to.equal('OK');
    expect(await mig('z', 4, 5000)).to.equal('OK');
    await t.select(3);
    expect(await t.mget('x', 'y', 'z')).to.deep.equal(['1', '2', null]);
    await t.select(4);
    expect(await t.get('z')).to.equal('3');
    await t.select(0);
  });

  describe('with redis-server 7.0.15', () => {
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

    it('migrates every type both ways', async () => {
      await r.set('s', 'str', 'EX', 100);
      await r.rpush('l', 'a', 'b');
      await r.sadd('set', '1', 'x');
      await r.hset('h', 'f', 'v');
      await r.zadd('z', 1.5, 'm');
      expect(await r.call('MIGRATE', '127.0.0.1', String(redis!.port), '', '0', '5000', 'KEYS', 's', 'l', 'set', 'h', 'z')).to.equal('OK');
      expect(await r.dbsize()).to.equal(0);
      expect(await rr.get('s')).to.equal('str');
      expect(await rr.ttl('s')).to.be.within(98, 100);
      expect(await rr.lrange('l', 0, -1)).to.deep.equal(['a', 'b']);
      expect((await rr.smembers('set')).sort()).to.deep.equal(['1', 'x']);
      expect(await rr.hgetall('h')).to.deep.equal({ f: 'v' });
      expect(await rr.zrange('z', 0, -1, 'WITHSCORES')).to.deep.equal(['m', '1.5']);
      // And back: redis-server's MIGRATE into an in-process Tessera (it runs elsewhere).
      expect(await rr.call('MIGRATE', '127.0.0.1', String(srv.port), '', '0', '5000', 'KEYS', 's', 'l', 'set', 'h', 'z')).to.equal('OK');
      expect(await rr.dbsize()).to.equal(0);
      expect(await r.lrange('l', 0, -1)).to.deep.equal(['a', 'b']);
      expect(await r.zscore('z', 'm')).to.equal('1.5');
    });
  });
});

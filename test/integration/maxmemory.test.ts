/**
 * maxmemory: the OOM gate (plain commands, MULTI queuing, EXEC of what was queued) and
 * eviction by policy, with its evicted events, write-log DELs and INFO counter. The tests
 * use maxmemory 1, which any process is over, so they do not depend on the heap size:
 * that is also how Redis's own suite drives these paths.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { errorText, keyEvents, propagated } from '../helpers/observe.js';
import { raw, startServer, type TesseraServer } from '../helpers/server.js';

const OOM = "OOM command not allowed when used memory > 'maxmemory'.";

describe('maxmemory', () => {
  let srv: TesseraServer;
  let r: Redis;
  let admin: Redis;

  before(async () => {
    srv = await startServer();
    r = new Redis(srv.port);
    admin = new Redis(srv.port);
  });
  after(async () => {
    r.disconnect();
    admin.disconnect();
    await srv.close();
  });
  beforeEach(async () => {
    await admin.config('SET', 'maxmemory', '0');
    await admin.config('SET', 'maxmemory-policy', 'noeviction');
    await admin.config('SET', 'notify-keyspace-events', '');
    await r.flushall();
  });

  it('noeviction refuses denyoom commands only, and lifts with maxmemory 0', async () => {
    await r.set('k', 'v');
    await admin.config('SET', 'maxmemory', '1');
    expect(await errorText(r.set('x', '1'))).to.equal(OOM);
    expect(await errorText(r.lpush('l', 'a'))).to.equal(OOM);
    expect(await r.get('k')).to.equal('v');
    expect(await r.dbsize()).to.equal(1);
    expect(await r.del('k')).to.equal(1);
    await admin.config('SET', 'maxmemory', '0');
    expect(await r.set('x', '1')).to.equal('OK');
  });

  it('inside MULTI every queued command is refused, which dooms EXEC; DISCARD still works', async () => {
    const c = await raw(srv.port);
    c.write('MULTI\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    c.write('SET a 1\r\n');
    expect(await c.reply()).to.equal('+QUEUED\r\n');
    await admin.config('SET', 'maxmemory', '1');
    c.write('GET a\r\nLPUSH l x\r\n');
    expect(await c.reply()).to.equal(`-${OOM}\r\n`);
    expect(await c.reply()).to.equal(`-${OOM}\r\n`);
    await admin.config('SET', 'maxmemory', '0');
    c.write('SET b 2\r\nEXEC\r\n');
    expect(await c.reply()).to.equal('+QUEUED\r\n');
    expect(await c.reply()).to.equal('-EXECABORT Transaction discarded because of previous errors.\r\n');
    expect(await r.exists('a', 'b')).to.equal(0);
    await admin.config('SET', 'maxmemory', '1');
    c.write('MULTI\r\nSET x 1\r\nDISCARD\r\nPING\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.reply()).to.equal(`-${OOM}\r\n`);
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.reply()).to.equal('+PONG\r\n');
    c.close();
  });

  it('EXEC under OOM runs a read-only queue but refuses one with a denyoom command', async () => {
    await r.set('x', 'value');
    const c = await raw(srv.port);
    c.write('MULTI\r\nGET x\r\nPING\r\n');
    for (let i = 0; i < 3; i++) await c.reply();
    await admin.config('SET', 'maxmemory', '1');
    c.write('EXEC\r\n');
    expect(await c.reply()).to.equal('*2\r\n$5\r\nvalue\r\n+PONG\r\n');
    await admin.config('SET', 'maxmemory', '0');
    c.write('MULTI\r\nSET x 1\r\nGET x\r\n');
    for (let i = 0; i < 3; i++) await c.reply();
    await admin.config('SET', 'maxmemory', '1');
    c.write('EXEC\r\n');
    expect(await c.reply()).to.equal(`-EXECABORT Transaction discarded because of: ${OOM}\r\n`);
    await admin.config('SET', 'maxmemory', '0');
    expect(await r.get('x')).to.equal('value');
    c.close();
  });

  it('allkeys-lru evicts at CONFIG SET maxmemory: evicted events, DELs in the write log, evicted_keys', async () => {
    await admin.config('SET', 'notify-keyspace-events', 'Ee');
    await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
    await r.set('foo', 'bar');
    await r.rpush('l', 'a');
    const before = Number(/evicted_keys:(\d+)/.exec(await r.info('stats'))![1]);
    let events: string[] = [];
    const log = await propagated(srv, async () => {
      events = await keyEvents(srv, r, () => admin.config('SET', 'maxmemory', '1'));
    });
    expect(events.sort()).to.deep.equal(['evicted:foo', 'evicted:l']);
    expect(log.sort()).to.deep.equal(['DEL foo', 'DEL l']);
    expect(await r.dbsize()).to.equal(0);
    expect(Number(/evicted_keys:(\d+)/.exec(await r.info('stats'))![1])).to.equal(before + 2);
    // Nothing left to evict: a write is refused even under an evicting policy.
    expect(await errorText(r.set('x', '1'))).to.equal(OOM);
  });

  it('volatile policies evict only keys with a TTL; lazyfree-lazy-eviction logs UNLINK', async () => {
    await admin.config('SET', 'maxmemory-policy', 'volatile-ttl');
    await admin.config('SET', 'lazyfree-lazy-eviction', 'yes');
    try {
      await r.set('keep', '1');
      await r.set('t1', '1', 'EX', 100);
      await r.set('t2', '1', 'EX', 200);
      const log = await propagated(srv, () => admin.config('SET', 'maxmemory', '1'));
      expect(log.sort()).to.deep.equal(['UNLINK t1', 'UNLINK t2']);
      expect(await r.keys('*')).to.deep.equal(['keep']);
      expect(await errorText(r.set('x', '1'))).to.equal(OOM);
    } finally {
      await admin.config('SET', 'lazyfree-lazy-eviction', 'no');
    }
  });

  it('eviction breaks WATCH on the evicted key', async () => {
    await admin.config('SET', 'maxmemory-policy', 'allkeys-random');
    await r.set('w', '1');
    await r.watch('w');
    await admin.config('SET', 'maxmemory', '1');
    await admin.config('SET', 'maxmemory', '0');
    expect(await r.multi().ping().exec()).to.equal(null);
  });
});

/**
 * MULTI/EXEC/DISCARD/WATCH: queuing, EXECABORT, WATCH broken by writes, expiry and
 * FLUSHDB, and the write log wrapping.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { raw, startServer, type TesseraServer } from '../helpers/server.js';

describe('transactions', () => {
  let srv: TesseraServer;
  let r: Redis;
  before(async () => {
    srv = await startServer();
    r = new Redis(srv.port);
  });
  after(async () => {
    r.disconnect();
    await srv.close();
  });
  beforeEach(async () => {
    await r.flushall();
  });

  it('queues commands and runs them at EXEC', async () => {
    const c = await raw(srv.port);
    c.write('MULTI\r\nSET a 1\r\nINCR a\r\nGET a\r\nEXEC\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.reply()).to.equal('+QUEUED\r\n');
    expect(await c.reply()).to.equal('+QUEUED\r\n');
    expect(await c.reply()).to.equal('+QUEUED\r\n');
    expect(await c.reply()).to.equal('*3\r\n+OK\r\n:2\r\n$1\r\n2\r\n');
    c.close();
  });

  it('aborts with EXECABORT after a queuing error', async () => {
    const c = await raw(srv.port);
    c.write('MULTI\r\nSET a 1\r\nGET\r\nEXEC\r\nGET a\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.reply()).to.equal('+QUEUED\r\n');
    expect(await c.reply()).to.equal("-ERR wrong number of arguments for 'get' command\r\n");
    expect(await c.reply()).to.equal('-EXECABORT Transaction discarded because of previous errors.\r\n');
    expect(await c.reply()).to.equal('$-1\r\n');
    c.close();
  });

  it('keeps runtime errors inside the EXEC reply', async () => {
    await r.set('s', 'text');
    const res = await r.multi().incr('s').set('t', '1').exec();
    expect(res![0]![0]).to.be.instanceOf(Error);
    expect((res![0]![0] as Error).message).to.equal('ERR value is not an integer or out of range');
    expect(res![1]).to.deep.equal([null, 'OK']);
  });

  it('rejects nesting, EXEC/DISCARD without MULTI and WATCH inside MULTI', async () => {
    const c = await raw(srv.port);
    c.write('EXEC\r\nDISCARD\r\nMULTI\r\nMULTI\r\nWATCH x\r\nDISCARD\r\n');
    expect(await c.reply()).to.equal('-ERR EXEC without MULTI\r\n');
    expect(await c.reply()).to.equal('-ERR DISCARD without MULTI\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.reply()).to.equal('-ERR MULTI calls can not be nested\r\n');
    expect(await c.reply()).to.equal('-ERR WATCH inside MULTI is not allowed\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    c.close();
  });

  it('WATCH: a write from another client makes EXEC return null', async () => {
    const other = new Redis(srv.port);
    await r.set('w', '1');
    await r.watch('w');
    await other.set('w', '2');
    const res = await r.multi().set('w', '3').exec();
    expect(res).to.equal(null);
    expect(await r.get('w')).to.equal('2');
    other.disconnect();
  });

  it('WATCH: an untouched key lets EXEC run; UNWATCH forgets', async () => {
    const other = new Redis(srv.port);
    await r.watch('w');
    await other.set('unrelated', '1');
    expect(await r.multi().set('w', 'ok').exec()).to.deep.equal([[null, 'OK']]);
    await r.watch('w');
    await r.unwatch();
    await other.set('w', 'x');
    expect(await r.multi().get('w').exec()).to.deep.equal([[null, 'x']]);
    other.disconnect();
  });

  it('WATCH is broken by FLUSHDB and by expiry', async () => {
    const other = new Redis(srv.port);
    await r.set('f', '1');
    await r.watch('f');
    await other.flushdb();
    expect(await r.multi().get('f').exec()).to.equal(null);
    await r.set('e', '1', 'PX', 30);
    await r.watch('e');
    await new Promise((res) => setTimeout(res, 60));
    expect(await r.multi().get('e').exec()).to.equal(null);
    other.disconnect();
  });

  it('FLUSHDB and SWAPDB leave WATCHes of already-expired keys alone, break live ones (as Redis 7.0)', async () => {
    const other = new Redis(srv.port);
    const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms));
    const ping = () => r.multi().ping().exec();
    await r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0');
    try {
      // Watched while stale, then flushed: logically no change.
      await r.set('x', 'foo', 'PX', 1);
      await sleep(5);
      await r.watch('x');
      await other.flushdb();
      expect(await ping()).to.deep.equal([[null, 'PONG']]);
      // A stale key swapped away for no key.
      await r.select(1);
      await r.set('x', 'foo', 'PX', 1);
      await sleep(5);
      await r.watch('x');
      await other.swapdb(0, 1);
      expect(await ping()).to.deep.equal([[null, 'PONG']]);
      // No key replaced with a stale key.
      await r.flushall();
      await r.select(0);
      await r.set('x', 'foo', 'PX', 1);
      await sleep(5);
      await r.select(1);
      await r.watch('x');
      await other.swapdb(0, 1);
      expect(await ping()).to.deep.equal([[null, 'PONG']]);
      // A stale key replaced with another stale key.
      await r.flushall();
      await r.select(1);
      await r.set('x', 'foo', 'PX', 1);
      await r.select(0);
      await r.set('x', 'bar', 'PX', 1);
      await sleep(5);
      await r.select(1);
      await r.watch('x');
      await other.swapdb(0, 1);
      expect(await ping()).to.deep.equal([[null, 'PONG']]);
      // A stale key replaced with a live one is a change, and so is a live key swapped away.
      await r.flushall();
      await r.set('x', 'stale', 'PX', 1);
      await r.select(0);
      await r.set('x', 'live');
      await sleep(5);
      await r.select(1);
      await r.watch('x');
      await other.swapdb(0, 1);
      expect(await ping()).to.equal(null);
      await r.watch('x');
      await other.swapdb(0, 1);
      expect(await ping()).to.equal(null);
      await r.set('y', 'live', 'PX', 100000);
      await r.watch('y');
      await other.select(1);
      await other.flushdb();
      expect(await ping()).to.equal(null);
    } finally {
      await r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1');
      await r.select(0);
      other.disconnect();
    }
  });

  it('EXEC runs every command even when its reply passes the output limit, then the client is closed unanswered', async () => {
    const item = 'x'.repeat(1000);
    await r.rpush('big', ...Array.from({ length: 150 }, () => item));
    await r.set('k1', 'v1');
    await r.config('SET', 'client-output-buffer-limit', 'normal 100000 0 0');
    try {
      const c = await raw(srv.port);
      c.write('MULTI\r\nSET k2 v2\r\nGET k2\r\nLRANGE big 0 -1\r\nSET k3 v3\r\nDEL k1\r\nEXEC\r\n');
      expect(await c.waitClosed()).to.equal(true);
      expect(c.pending()).to.equal('');
      expect(await r.get('k1')).to.equal(null);
      expect(await r.get('k2')).to.equal('v2');
      expect(await r.get('k3')).to.equal('v3');
    } finally {
      await r.config('SET', 'client-output-buffer-limit', 'normal 0 0 0');
    }
  });

  it('a rejected EXEC discards the transaction with EXECABORT and the reason (regression)', async () => {
    const c = await raw(srv.port);
    c.write('MULTI\r\nSET a 1\r\nEXEC x\r\nGET a\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.reply()).to.equal('+QUEUED\r\n');
    expect(await c.reply()).to.equal("-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n");
    expect(await c.reply()).to.equal('$-1\r\n');
    c.close();
  });

  it('WATCH is broken only by keys that really change (regression: was every key argument)', async () => {
    const other = new Redis(srv.port);
    await r.watch('absent');
    await other.del('k1', 'absent'); // deletes nothing named 'absent'
    expect(await r.multi().set('absent', '1').exec()).to.deep.equal([[null, 'OK']]);
    await r.set('l', 'x');
    await r.watch('l');
    await other.expire('l', 100);
    expect(await r.multi().get('l').exec()).to.equal(null);
    await r.watch('list');
    await other.lpush('list', 'a');
    expect(await r.multi().get('l').exec()).to.equal(null);
    await r.watch('list');
    await other.lrem('list', 0, 'nomatch');
    await other.lpush('list2', 'x');
    expect(await r.multi().llen('list').exec()).to.deep.equal([[null, 1]]);
    other.disconnect();
  });

  it('DISCARD drops the queue', async () => {
    const c = await raw(srv.port);
    c.write('MULTI\r\nSET d 1\r\nDISCARD\r\nGET d\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.reply()).to.equal('+QUEUED\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.reply()).to.equal('$-1\r\n');
    c.close();
  });

  it('wraps the effects of EXEC in MULTI/EXEC in the write log', async () => {
    const seen: string[][] = [];
    const unsub = srv.node.writeLog.subscribe({ append: (_db, argv) => seen.push([...argv]) });
    await r.multi().set('x', '1').get('x').set('y', '2').exec();
    unsub();
    expect(seen).to.deep.equal([['MULTI'], ['set', 'x', '1'], ['set', 'y', '2'], ['EXEC']]);
  });
});

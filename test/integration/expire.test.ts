/**
 * Expiry commands against a real in-process server on a frozen clock: EXPIRE PEXPIRE
 * EXPIREAT PEXPIREAT with NX/XX/GT/LT, TTL PTTL EXPIRETIME PEXPIRETIME, PERSIST, lazy
 * expiry, the int64 overflow checks from Redis's own test suite, and the absolute
 * PEXPIREAT / DEL forms that reach the write log.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { errorText, writeLogDuring, eventsDuring } from '../helpers/observe.js';
import { raw, startServer, type TesseraServer } from '../helpers/server.js';

const T0 = 1_700_000_000_000;

describe('expiry commands', () => {
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
    await r.flushall();
    await r.set('k', 'v');
  });

  const err = errorText;

  const logged = (fn: () => Promise<unknown>) => writeLogDuring(srv, fn);

  const events = (fn: () => Promise<unknown>) => eventsDuring(srv, fn);

  it('sets relative and absolute expiries in both units', async () => {
    expect(await r.expire('k', 100)).to.equal(1);
    expect(await r.pttl('k')).to.equal(100_000);
    expect(await r.pexpire('k', 1234)).to.equal(1);
    expect(await r.pttl('k')).to.equal(1234);
    expect(await r.expireat('k', T0 / 1000 + 60)).to.equal(1);
    expect(await r.ttl('k')).to.equal(60);
    expect(await r.pexpireat('k', T0 + 777)).to.equal(1);
    expect(await r.pexpiretime('k')).to.equal(T0 + 777);
    expect(await r.expiretime('k')).to.equal(T0 / 1000 + 1);
    expect(await r.expire('nokey', 10)).to.equal(0);
  });

  it('TTL and PTTL: -2 missing, -1 persistent, seconds rounded to nearest', async () => {
    expect(await r.ttl('nokey')).to.equal(-2);
    expect(await r.pttl('nokey')).to.equal(-2);
    expect(await r.expiretime('nokey')).to.equal(-2);
    expect(await r.pexpiretime('nokey')).to.equal(-2);
    expect(await r.ttl('k')).to.equal(-1);
    expect(await r.pttl('k')).to.equal(-1);
    expect(await r.expiretime('k')).to.equal(-1);
    expect(await r.pexpiretime('k')).to.equal(-1);
    await r.pexpire('k', 1499);
    expect(await r.ttl('k')).to.equal(1);
    await r.pexpire('k', 1500);
    expect(await r.ttl('k')).to.equal(2);
    await r.pexpireat('k', T0 + 2_499);
    expect(await r.expiretime('k')).to.equal(T0 / 1000 + 2);
  });

  it('keys disappear when their time comes', async () => {
    await r.pexpire('k', 100);
    clock.t += 99;
    expect(await r.get('k')).to.equal('v');
    clock.t += 1;
    expect(await r.get('k')).to.equal(null);
    expect(await r.ttl('k')).to.equal(-2);
  });

  it('a time in the past deletes the key at once, logged as DEL', async () => {
    let log = await logged(async () => expect(await r.expire('k', -1)).to.equal(1));
    expect(log).to.deep.equal([['DEL', 'k']]);
    expect(await r.exists('k')).to.equal(0);
    await r.set('k', 'v');
    expect(await events(() => r.pexpireat('k', T0))).to.deep.equal([['g', 'del', 'k']]);
    expect(await r.exists('k')).to.equal(0);
    await r.set('k', 'v');
    await r.config('SET', 'lazyfree-lazy-expire', 'yes');
    try {
      log = await logged(() => r.expireat('k', 1));
      expect(log).to.deep.equal([['UNLINK', 'k']]);
    } finally {
      await r.config('SET', 'lazyfree-lazy-expire', 'no');
    }
  });

  it('logs every form as PEXPIREAT with an absolute time in ms', async () => {
    expect(await logged(() => r.expire('k', 100))).to.deep.equal([['PEXPIREAT', 'k', String(T0 + 100_000)]]);
    expect(await logged(() => r.pexpire('k', 5))).to.deep.equal([['PEXPIREAT', 'k', String(T0 + 5)]]);
    expect(await logged(() => r.expireat('k', 1_800_000_000))).to.deep.equal([['PEXPIREAT', 'k', '1800000000000']]);
    expect(await logged(() => r.call('pexpireat', 'k', '1800000000001'))).to.deep.equal([['pexpireat', 'k', '1800000000001']]);
    expect(await logged(() => r.call('expire', 'k', '100', 'lt'))).to.deep.equal([['PEXPIREAT', 'k', String(T0 + 100_000), 'lt']]);
    expect(await logged(() => r.expire('k', 100, 'NX'))).to.deep.equal([]);
    expect(await logged(() => r.expire('nokey', 100))).to.deep.equal([]);
  });

  it('NX XX GT LT decide against the current TTL (none counts as infinite)', async () => {
    expect(await r.expire('k', 100, 'XX')).to.equal(0);
    expect(await r.expire('k', 100, 'GT')).to.equal(0);
    expect(await r.expire('k', 100, 'LT')).to.equal(1);
    expect(await r.expire('k', 50, 'NX')).to.equal(0);
    expect(await r.expire('k', 200, 'LT')).to.equal(0);
    expect(await r.expire('k', 50, 'LT')).to.equal(1);
    expect(await r.expire('k', 50, 'GT')).to.equal(0);
    expect(await r.expire('k', 60, 'GT')).to.equal(1);
    expect(await r.call('EXPIRE', 'k', '70', 'XX', 'GT')).to.equal(1);
    expect(await r.ttl('k')).to.equal(70);
    await r.persist('k');
    expect(await r.expire('k', 50, 'NX')).to.equal(1);
    expect(await r.ttl('k')).to.equal(50);
  });

  it('option errors come before argument errors', async () => {
    expect(await err(r.call('EXPIRE', 'k', '10', 'foo'))).to.equal('ERR Unsupported option foo');
    expect(await err(r.call('EXPIRE', 'k', 'x', 'NX', 'XX'))).to.equal('ERR NX and XX, GT or LT options at the same time are not compatible');
    expect(await err(r.call('EXPIRE', 'k', '10', 'NX', 'GT'))).to.equal('ERR NX and XX, GT or LT options at the same time are not compatible');
    expect(await err(r.call('PEXPIRE', 'k', '10', 'LT', 'NX'))).to.equal('ERR NX and XX, GT or LT options at the same time are not compatible');
    expect(await err(r.call('EXPIRE', 'k', '10', 'GT', 'LT'))).to.equal('ERR GT and LT options at the same time are not compatible');
    expect(await err(r.call('EXPIRE', 'k', 'x'))).to.equal('ERR value is not an integer or out of range');
    expect(await err(r.call('EXPIRE', 'k', '1.5'))).to.equal('ERR value is not an integer or out of range');
  });

  it('overflowing times are invalid (cases from Redis tests)', async () => {
    for (const [cmd, arg] of [['EXPIRE', '9223370399119966'], ['EXPIRE', '9223372036854776'], ['EXPIRE', '10000000000000000'],
      ['EXPIRE', '18446744073709561'], ['EXPIRE', '-9223372036854776'], ['EXPIRE', '-9999999999999999'],
      ['PEXPIRE', '9223372036854770000'], ['EXPIREAT', '9223372036854776']]) {
      expect(await err(r.call(cmd!, 'k', arg!)), `${cmd} ${arg}`).to.equal(`ERR invalid expire time in '${cmd!.toLowerCase()}' command`);
    }
    expect(await r.ttl('k')).to.equal(-1);
    expect(await r.pexpireat('k', '9223372036854770000')).to.equal(1);
    expect(await r.pexpireat('k', '-9223372036854770000')).to.equal(1);
    expect(await r.ttl('k')).to.equal(-2);
  });

  it('huge absolute times are logged exactly', async () => {
    const c = await raw(srv.port);
    const seen: string[][] = [];
    const unsub = srv.node.writeLog.subscribe({ append: (_db, argv) => seen.push([...argv]) });
    c.send('EXPIREAT', 'k', '9223372036854775');
    expect(await c.reply()).to.equal(':1\r\n');
    unsub();
    c.close();
    expect(seen).to.deep.equal([['PEXPIREAT', 'k', '9223372036854775000']]);
  });

  it('PERSIST removes a TTL once', async () => {
    expect(await r.persist('k')).to.equal(0);
    expect(await r.persist('nokey')).to.equal(0);
    await r.expire('k', 100);
    let ev: string[][] = [];
    const log = await logged(async () => {
      ev = await events(async () => expect(await r.persist('k')).to.equal(1));
    });
    expect(ev).to.deep.equal([['g', 'persist', 'k']]);
    expect(log).to.deep.equal([['persist', 'k']]);
    expect(await r.ttl('k')).to.equal(-1);
    expect(await logged(() => r.persist('k'))).to.deep.equal([]);
  });

  it('EXPIRE emits expire; TTL reads fire keymiss on a missing key', async () => {
    expect(await events(() => r.expire('k', 10))).to.deep.equal([['g', 'expire', 'k']]);
    expect(await events(() => r.ttl('nokey'))).to.deep.equal([['m', 'keymiss', 'nokey']]);
  });

  it('expiring a watched key breaks the transaction', async () => {
    const w = new Redis(srv.port);
    try {
      await w.watch('k');
      await r.expire('k', 10);
      expect(await w.multi().get('k').exec()).to.equal(null);
    } finally {
      w.disconnect();
    }
  });
});

/**
 * Set commands against a real Tessera server: replies, error texts and precedence,
 * RESP2/RESP3 set shapes, intset/hashtable conversion (including the encodings of
 * stored algebra results and SPOP's rebuilt set), SPOP propagation, SSCAN, keyspace
 * events. Expected values were checked against Redis 7.0.15.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { err, keyEvents, propagated } from '../helpers/observe.js';
import { raw, startServer, type TesseraServer } from '../helpers/server.js';

const WRONGTYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';




const sorted = (a: unknown) => [...(a as string[])].sort();

describe('set commands', () => {
  let srv: TesseraServer;
  let r: Redis;
  before(async () => {
    srv = await startServer({ 'notify-keyspace-events': 'KEA' });
    r = new Redis(srv.port);
  });
  after(async () => {
    r.disconnect();
    await srv.close();
  });
  beforeEach(async () => {
    await r.flushall();
    await r.config('SET', 'set-max-intset-entries', '512');
  });

  it('adds, removes and queries members; intsets answer in ascending order', async () => {
    expect(await r.sadd('s', '3', '1', '2')).to.equal(3);
    expect(await r.sadd('s', '2', '4')).to.equal(1);
    expect(await r.smembers('s')).to.deep.equal(['1', '2', '3', '4']);
    expect(await r.sadd('s', '-9223372036854775808', '9223372036854775807')).to.equal(2);
    expect(await r.smembers('s')).to.deep.equal(['-9223372036854775808', '1', '2', '3', '4', '9223372036854775807']);
    expect(await r.scard('s')).to.equal(6);
    expect(await r.scard('nokey')).to.equal(0);
    expect(await r.sismember('s', '1')).to.equal(1);
    expect(await r.sismember('s', '01')).to.equal(0);
    expect(await r.sismember('nokey', '1')).to.equal(0);
    expect(await r.smismember('s', '1', '9', '2')).to.deep.equal([1, 0, 1]);
    expect(await r.smismember('nokey', '1', '2')).to.deep.equal([0, 0]);
    expect(await r.smembers('nokey')).to.deep.equal([]);
    expect(await r.srem('s', '1', '99', '2', '1')).to.equal(2);
    expect(await r.srem('nokey', '1')).to.equal(0);
    await r.sadd('t', 'x');
    expect(await r.srem('t', 'x')).to.equal(1);
    expect(await r.exists('t')).to.equal(0);
  });

  it('converts intset to hashtable permanently', async () => {
    await r.sadd('s', '1', '2');
    expect(await r.call('object', 'encoding', 's')).to.equal('intset');
    await r.sadd('s', 'a');
    expect(await r.call('object', 'encoding', 's')).to.equal('hashtable');
    await r.srem('s', 'a');
    expect(await r.call('object', 'encoding', 's')).to.equal('hashtable');
    await r.sadd('n', 'a');
    expect(await r.call('object', 'encoding', 'n')).to.equal('hashtable');
    await r.config('SET', 'set-max-intset-entries', '4');
    await r.sadd('c', '1', '2', '3', '4');
    expect(await r.call('object', 'encoding', 'c')).to.equal('intset');
    await r.sadd('c', '5');
    expect(await r.call('object', 'encoding', 'c')).to.equal('hashtable');
    await r.sadd('big', ...Array.from({ length: 5 }, (_, i) => String(i)));
    expect(await r.call('object', 'encoding', 'big')).to.equal('hashtable');
  });

  it('computes SINTER/SUNION/SDIFF and SINTERCARD', async () => {
    await r.sadd('i', '5', '3', '9', '1');
    await r.sadd('j', '3', '9', '7');
    await r.sadd('k', '9', '3', '100');
    expect(await r.sinter('i', 'j')).to.deep.equal(['3', '9']);
    expect(await r.sinter('i', 'j', 'k')).to.deep.equal(['3', '9']);
    expect(await r.sinter('i', 'nokey')).to.deep.equal([]);
    expect(await r.sunion('i', 'nokey', 'k')).to.deep.equal(['1', '3', '5', '9', '100']);
    expect(await r.sdiff('i', 'j')).to.deep.equal(['1', '5']);
    expect(await r.sdiff('i', 'j', 'k')).to.deep.equal(['1', '5']);
    expect(await r.sdiff('i', 'i')).to.deep.equal([]);
    expect(await r.sdiff('nokey', 'i')).to.deep.equal([]);
    expect(await r.sdiff('i', 'nokey')).to.deep.equal(['1', '3', '5', '9']);
    await r.sadd('x', 'a', 'b', 'c');
    await r.sadd('y', 'b', 'c', 'd');
    expect(sorted(await r.sinter('x', 'y'))).to.deep.equal(['b', 'c']);
    expect(sorted(await r.sunion('x', 'y'))).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(await r.sdiff('x', 'y')).to.deep.equal(['a']);
    expect(await r.call('sintercard', '2', 'i', 'j')).to.equal(2);
    expect(await r.call('sintercard', '3', 'i', 'j', 'k', 'LIMIT', '1')).to.equal(1);
    expect(await r.call('sintercard', '3', 'i', 'j', 'k', 'LIMIT', '0')).to.equal(2);
    expect(await r.call('sintercard', '2', 'i', 'nokey')).to.equal(0);
    expect(await err(r.call('sintercard', '0', 'i'))).to.equal('ERR numkeys should be greater than 0');
    expect(await err(r.call('sintercard', 'x', 'i'))).to.equal('ERR numkeys should be greater than 0');
    expect(await err(r.call('sintercard', '3', 'i', 'j'))).to.equal("ERR Number of keys can't be greater than number of args");
    expect(await err(r.call('sintercard', '1', 'i', 'LIMIT', '-1'))).to.equal("ERR LIMIT can't be negative");
    expect(await err(r.call('sintercard', '1', 'i', 'LIMIT'))).to.equal('ERR syntax error');
    expect(await err(r.call('sintercard', '1', 'i', 'foo'))).to.equal('ERR syntax error');
    expect(await r.call('command', 'getkeys', 'sintercard', '2', 'i', 'j', 'LIMIT', '1')).to.deep.equal(['i', 'j']);
  });

  it('stores algebra results with the encoding Redis would build, deleting empty results', async () => {
    await r.sadd('i', '1', '2', '3');
    await r.sadd('j', '2', '3', '4');
    await r.sadd('hb', 'x', ...Array.from({ length: 10 }, (_, n) => String(n)));
    await r.srem('hb', 'x');
    expect(await r.sinterstore('d', 'i', 'j')).to.equal(2);
    expect(await r.smembers('d')).to.deep.equal(['2', '3']);
    expect(await r.call('object', 'encoding', 'd')).to.equal('intset');
    expect(await r.sunionstore('d', 'i', 'j')).to.equal(4);
    expect(await r.smembers('d')).to.deep.equal(['1', '2', '3', '4']);
    expect(await r.sdiffstore('d', 'i', 'j')).to.equal(1);
    expect(await r.smembers('d')).to.deep.equal(['1']);
    expect(await r.sinterstore('d', 'i', 'nokey')).to.equal(0);
    expect(await r.exists('d')).to.equal(0);
    await r.sadd('e', '1');
    expect(await r.sdiffstore('e', 'i', 'i')).to.equal(0);
    expect(await r.exists('e')).to.equal(0);
    // A hashtable source holding only integers gives an intset result...
    expect(await r.sunionstore('r', 'hb')).to.equal(10);
    expect(await r.call('object', 'encoding', 'r')).to.equal('intset');
    // ...unless the diff algorithm that copies the whole first set first has to convert it.
    await r.config('SET', 'set-max-intset-entries', '5');
    await r.sadd('a', '0', '1', '2', '3', '4');
    await r.sadd('b', '5');
    expect(await r.sdiffstore('r1', 'hb', 'a', 'b')).to.equal(4);
    expect(await r.call('object', 'encoding', 'r1')).to.equal('intset');
    await r.sadd('c1', '0', '1');
    await r.sadd('c2', '2', '3');
    await r.sadd('c3', '4', '5');
    expect(await r.sdiffstore('r2', 'hb', 'c1', 'c2', 'c3')).to.equal(4);
    expect(await r.call('object', 'encoding', 'r2')).to.equal('hashtable');
    // The destination loses its TTL when overwritten.
    await r.sadd('t', '1');
    await r.expire('t', 100);
    await r.sinterstore('t', 'i', 'j');
    expect(await r.ttl('t')).to.equal(-1);
  });

  it('answers SMEMBERS, SINTER, SUNION and SPOP with a RESP3 set', async () => {
    await r.sadd('s', '1', '2');
    const c = await raw(srv.port);
    c.send('SMEMBERS', 's');
    expect(await c.reply()).to.equal('*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    c.send('HELLO', '3');
    await c.reply();
    c.send('SMEMBERS', 's');
    expect(await c.reply()).to.equal('~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    c.send('SINTER', 's', 'nokey');
    expect(await c.reply()).to.equal('~0\r\n');
    c.send('SUNION', 's');
    expect(await c.reply()).to.equal('~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    c.send('SRANDMEMBER', 's', '5');
    expect(await c.reply()).to.equal('*2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    c.send('SPOP', 'nokey', '3');
    expect(await c.reply()).to.equal('~0\r\n');
    c.send('SPOP', 'nokey');
    expect(await c.reply()).to.equal('_\r\n');
    c.send('SRANDMEMBER', 'nokey');
    expect(await c.reply()).to.equal('_\r\n');
    c.send('SPOP', 's', '5');
    expect(await c.reply()).to.equal('~2\r\n$1\r\n1\r\n$1\r\n2\r\n');
    c.close();
  });

  it('SPOP removes random members and propagates DEL or one SREM each', async () => {
    await r.sadd('s', 'a', 'b', 'c', 'd', 'e');
    const log = await propagated(srv, async () => {
      const one = await r.spop('s');
      expect(['a', 'b', 'c', 'd', 'e']).to.include(one);
      const two = (await r.spop('s', 2)) as string[];
      expect(two).to.have.length(2);
      const rest = (await r.spop('s', 10)) as string[];
      expect(sorted([one!, ...two, ...rest])).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    });
    expect(await r.exists('s')).to.equal(0);
    expect(log).to.have.length(6); // SREM, MULTI SREM SREM EXEC, DEL
    expect(log[0]).to.match(/^SREM s [a-e]$/);
    expect(log[1]).to.equal('MULTI');
    expect(log[2]).to.match(/^SREM s [a-e]$/);
    expect(log[3]).to.match(/^SREM s [a-e]$/);
    expect(log[4]).to.equal('EXEC');
    expect(log[5]).to.equal('DEL s');
    expect(await r.spop('nokey')).to.equal(null);
    expect(await r.spop('nokey', 3)).to.deep.equal([]);
    await r.sadd('one', '7');
    expect(await r.spop('one', 0)).to.deep.equal([]);
    expect(await err(r.call('spop', 'one', '-1'))).to.equal('ERR value is out of range, must be positive');
    expect(await err(r.call('spop', 'one', 'x'))).to.equal('ERR value is out of range, must be positive');
    expect(await err(r.call('spop', 'one', '1', '2'))).to.equal('ERR syntax error');
  });

  it('SPOP of most of a set keeps the survivors in a rebuilt set', async () => {
    await r.sadd('sp', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a');
    await r.srem('sp', 'a');
    expect(await r.call('object', 'encoding', 'sp')).to.equal('hashtable');
    await r.expire('sp', 100);
    const popped = (await r.spop('sp', 8)) as string[];
    expect(popped).to.have.length(8);
    const left = await r.smembers('sp');
    expect(left).to.have.length(1);
    expect(sorted([...popped, ...left])).to.deep.equal(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // Survivors were re-added into a fresh set: integers only, so an intset now.
    expect(await r.call('object', 'encoding', 'sp')).to.equal('intset');
    expect(await r.ttl('sp')).to.be.greaterThan(0);
  });

  it('SRANDMEMBER with a huge negative count stops at the output limit: the client is closed, nothing sent', async () => {
    await r.sadd('s', 'm');
    await r.config('SET', 'client-output-buffer-limit', 'normal 1000000 0 0');
    try {
      const c = await raw(srv.port);
      c.send('SRANDMEMBER', 's', '-999999999');
      expect(await c.waitClosed()).to.equal(true);
      expect(c.pending()).to.equal('');
      expect(await r.srandmember('s', -2)).to.deep.equal(['m', 'm']);
    } finally {
      await r.config('SET', 'client-output-buffer-limit', 'normal 0 0 0');
    }
  });

  it('SRANDMEMBER honours count sign and argument errors', async () => {
    const all = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'];
    await r.sadd('s', ...all);
    expect(all).to.include(await r.srandmember('s'));
    expect(await r.srandmember('s', 0)).to.deep.equal([]);
    for (const n of [2, 5, 9]) {
      const got = (await r.srandmember('s', n)) as string[];
      expect(new Set(got).size, String(n)).to.equal(n);
      for (const m of got) expect(all).to.include(m);
    }
    expect(await r.srandmember('s', 20)).to.deep.equal(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    const rep = (await r.srandmember('s', -100)) as string[];
    expect(rep).to.have.length(100);
    expect(new Set(rep).size).to.be.lessThan(11);
    expect(await r.srandmember('nokey')).to.equal(null);
    expect(await r.srandmember('nokey', 5)).to.deep.equal([]);
    expect(await err(r.call('srandmember', 's', 'x'))).to.equal('ERR value is not an integer or out of range');
    expect(await err(r.call('srandmember', 's', '1', '2'))).to.equal('ERR syntax error');
    expect(await err(r.call('srandmember', 's', '-9223372036854775808'))).to.equal(
      'ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
  });

  it('SMOVE moves one member, creating and deleting keys', async () => {
    await r.sadd('i', '5', '3');
    await r.sadd('j', '7');
    expect(await r.smove('i', 'j', '5')).to.equal(1);
    expect(await r.smembers('i')).to.deep.equal(['3']);
    expect(await r.smembers('j')).to.deep.equal(['5', '7']);
    expect(await r.smove('i', 'j', '99')).to.equal(0);
    expect(await r.smove('nokey', 'j', '1')).to.equal(0);
    expect(await r.smove('i', 'i', '3')).to.equal(1);
    expect(await r.smove('i', 'i', '99')).to.equal(0);
    expect(await r.smove('i', 'new', '3')).to.equal(1);
    expect(await r.exists('i')).to.equal(0);
    expect(await r.call('object', 'encoding', 'new')).to.equal('intset');
    await r.sadd('x', 'a');
    expect(await r.smove('x', 'new2', 'a')).to.equal(1);
    expect(await r.call('object', 'encoding', 'new2')).to.equal('hashtable');
    await r.rpush('l', 'a');
    expect(await err(r.smove('j', 'l', '5'))).to.equal(WRONGTYPE);
    expect(await err(r.smove('l', 'j', '5'))).to.equal(WRONGTYPE);
    expect(await r.smove('nokey', 'l', '5')).to.equal(0);
    expect(await r.smembers('j')).to.deep.equal(['5', '7']);
  });

  it('SSCAN returns an intset at once and iterates a hashtable', async () => {
    await r.sadd('s', '12', '3', '1');
    expect(await r.sscan('s', 0)).to.deep.equal(['0', ['1', '3', '12']]);
    expect(await r.sscan('s', 0, 'MATCH', '1*')).to.deep.equal(['0', ['1', '12']]);
    expect(await r.sscan('nokey', 0)).to.deep.equal(['0', []]);
    expect(await r.call('sscan', 's', '-1')).to.deep.equal(['0', ['1', '3', '12']]);
    expect(await err(r.call('sscan', 's', 'x'))).to.equal('ERR invalid cursor');
    expect(await err(r.call('sscan', 's', '0', 'COUNT', '0'))).to.equal('ERR syntax error');
    expect(await err(r.call('sscan', 's', '0', 'TYPE', 'set'))).to.equal('ERR syntax error');
    const want = Array.from({ length: 200 }, (_, i) => `m${i}`);
    await r.sadd('big', ...want);
    const seen = new Set<string>();
    let cursor = '0';
    let calls = 0;
    do {
      const [next, items] = await r.sscan('big', cursor, 'COUNT', 15);
      for (const m of items) seen.add(m);
      cursor = next;
      calls++;
    } while (cursor !== '0');
    expect([...seen].sort()).to.deep.equal([...want].sort());
    expect(calls).to.be.greaterThan(10);
  });

  it('rejects every set command on a key of another type', async () => {
    await r.rpush('l', 'a');
    await r.sadd('s', '1');
    const cmds: string[][] = [
      ['sadd', 'l', 'a'], ['srem', 'l', 'a'], ['scard', 'l'], ['sismember', 'l', 'a'], ['smismember', 'l', 'a'],
      ['smembers', 'l'], ['spop', 'l'], ['spop', 'l', '1'], ['srandmember', 'l'], ['srandmember', 'l', '1'],
      ['sinter', 's', 'l'], ['sinter', 'nokey', 'l'], ['sunion', 'l'], ['sdiff', 'nokey', 'l'], ['sintercard', '1', 'l'],
      ['sinterstore', 'd', 'l'], ['sunionstore', 'd', 's', 'l'], ['sdiffstore', 'd', 'l'], ['sscan', 'l', '0'],
    ];
    for (const c of cmds) expect(await err(r.call(c[0]!, ...c.slice(1))), c.join(' ')).to.equal(WRONGTYPE);
    expect(await r.exists('d')).to.equal(0);
    // A *STORE destination of another type is simply overwritten.
    expect(await r.sinterstore('l', 's')).to.equal(1);
    expect(await r.type('l')).to.equal('set');
  });

  it('breaks WATCH only on the keys Redis signals', async () => {
    const watchedExec = async (setup: () => Promise<unknown>, act: (o: Redis) => Promise<unknown>) => {
      await r.flushall();
      await setup();
      const w = new Redis(srv.port);
      const o = new Redis(srv.port);
      await w.watch('w');
      await act(o);
      const res = await w.multi().ping().exec();
      w.disconnect();
      o.disconnect();
      return res === null ? 'aborted' : 'ok';
    };
    // SMOVE leaves a destination that already had the member untouched.
    expect(await watchedExec(async () => { await r.sadd('s', 'm'); await r.sadd('w', 'm'); }, (o) => o.smove('s', 'w', 'm'))).to.equal('ok');
    expect(await watchedExec(async () => { await r.sadd('s', 'm'); await r.sadd('w', 'x'); }, (o) => o.smove('s', 'w', 'm'))).to.equal('aborted');
    expect(await watchedExec(() => r.sadd('w', 'm'), (o) => o.smove('w', 'd', 'm'))).to.equal('aborted');
    // A *STORE source is only read.
    expect(await watchedExec(() => r.sadd('w', 'm'), (o) => o.sinterstore('d', 'w'))).to.equal('ok');
    expect(await watchedExec(() => r.sadd('w', 'm'), (o) => o.sadd('w', 'm'))).to.equal('ok');
  });

  it('emits the keyspace events Redis emits, in order', async () => {
    const ev = await keyEvents(srv, r, async () => {
      await r.sadd('s', '1', '2', '3');
      await r.sadd('s', '1');
      await r.srem('s', '9');
      await r.srem('s', '1');
      await r.smove('s', 's2', '2');
      await r.smove('s', 's2', '3');
      await r.sadd('s3', 'a', 'b', 'c', 'd');
      await r.spop('s3');
      await r.spop('s3', 1);
      await r.spop('s3', 5);
      await r.sadd('x', '1');
      await r.sinterstore('d', 'x', 'x');
      await r.sunionstore('d', 'x');
      await r.sdiffstore('d', 'x', 'x');
      await r.sdiffstore('d', 'x', 'x');
    });
    expect(ev).to.deep.equal([
      'sadd:s', 'srem:s', 'srem:s', 'sadd:s2', 'srem:s', 'del:s', 'sadd:s2',
      'sadd:s3', 'spop:s3', 'spop:s3', 'spop:s3', 'del:s3',
      'sadd:x', 'sinterstore:d', 'sunionstore:d', 'del:d',
    ]);
  });
});

/**
 * Blocking pops (BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN BZPOPMAX BZMPOP) against
 * Redis 7.0.15's behaviour: FIFO service, wake-up only after EXEC, service from the key
 * that became ready, fractional and odd timeouts, CLIENT UNBLOCK, disconnects, wrong-type
 * destinations, non-blocking behaviour inside MULTI, and the exact commands propagated
 * (captured from a real 7.0.15 AOF).
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { raw, startServer, waitFor, type RawClient, type TesseraServer } from '../helpers/server.js';

describe('blocking commands', () => {
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
  const opened: RawClient[] = [];
  beforeEach(async () => {
    await r.flushall();
  });
  afterEach(async () => {
    // A failed test must not leave blocked clients that skew the next one.
    for (const c of opened.splice(0)) c.close();
    await waitFor(async () => (await blockedClients()) === 0);
  });

  async function blockedClients(): Promise<number> {
    const info = (await r.info('clients')) as string;
    return Number(/blocked_clients:(\d+)/.exec(info)![1]);
  }

  /** Sends a blocking command and waits until the server has parked the client. */
  async function block(c: RawClient, ...argv: string[]): Promise<void> {
    const before = await blockedClients();
    c.send(...argv);
    await waitFor(async () => (await blockedClients()) === before + 1);
  }

  async function clients(n: number): Promise<RawClient[]> {
    const out: RawClient[] = [];
    for (let i = 0; i < n; i++) out.push(await raw(srv.port));
    opened.push(...out);
    return out;
  }

  it('serves blocked clients in the order they blocked (FIFO), one element each', async () => {
    const [a, b, c] = await clients(3);
    await block(a!, 'BLPOP', 'q', '0');
    await block(b!, 'BLPOP', 'q', '0');
    await block(c!, 'BLPOP', 'q', '0');
    expect(await r.rpush('q', 'x', 'y')).to.equal(2);
    expect(await a!.reply()).to.equal('*2\r\n$1\r\nq\r\n$1\r\nx\r\n');
    expect(await b!.reply()).to.equal('*2\r\n$1\r\nq\r\n$1\r\ny\r\n');
    expect(await blockedClients()).to.equal(1);
    expect(await r.exists('q')).to.equal(0);
    await r.rpush('q', 'z');
    expect(await c!.reply()).to.equal('*2\r\n$1\r\nq\r\n$1\r\nz\r\n');
    // The first waiter blocks again and is now last in line.
    await block(a!, 'BRPOP', 'q', '0');
    await block(b!, 'BRPOP', 'q', '0');
    await r.rpush('q', '1', '2');
    expect(await a!.reply()).to.equal('*2\r\n$1\r\nq\r\n$1\r\n2\r\n');
    expect(await b!.reply()).to.equal('*2\r\n$1\r\nq\r\n$1\r\n1\r\n');
    for (const x of [a, b, c]) x!.close();
  });

  it('commands pipelined behind a blocking one wait for it, then run in order', async () => {
    const [a] = await clients(1);
    a!.write('*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*2\r\n$4\r\nECHO\r\n$5\r\nafter\r\n');
    await waitFor(async () => (await blockedClients()) === 1);
    await new Promise((res) => setTimeout(res, 20));
    expect(a!.pending()).to.equal('');
    await r.rpush('q', 'v');
    expect(await a!.reply()).to.equal('*2\r\n$1\r\nq\r\n$1\r\nv\r\n');
    expect(await a!.reply()).to.equal('$5\r\nafter\r\n');
  });

  it('a push inside MULTI/EXEC wakes the client only after EXEC, with what is left', async () => {
    const [a, tx] = await clients(2);
    await block(a!, 'BLPOP', 'q', '0');
    tx!.send('MULTI');
    tx!.send('RPUSH', 'q', 'gone');
    tx!.send('LPOP', 'q');
    tx!.send('EXEC');
    expect(await tx!.readUntil((b) => b.includes('$4\r\ngone'))).to.equal('+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n:1\r\n$4\r\ngone\r\n');
    // The list was empty again when EXEC ended: nobody was served.
    await new Promise((res) => setTimeout(res, 30));
    expect(a!.pending()).to.equal('');
    expect(await blockedClients()).to.equal(1);
    tx!.send('MULTI');
    tx!.send('RPUSH', 'q', 'a');
    tx!.send('RPUSH', 'q', 'b');
    await tx!.readUntil((b) => b.toString().split('QUEUED').length === 3);
    await new Promise((res) => setTimeout(res, 30));
    expect(a!.pending()).to.equal('');
    tx!.send('EXEC');
    expect(await tx!.reply()).to.equal('*2\r\n:1\r\n:2\r\n');
    expect(await a!.reply()).to.equal('*2\r\n$1\r\nq\r\n$1\r\na\r\n');
    expect(await r.lrange('q', 0, -1)).to.deep.equal(['b']);
    a!.close();
    tx!.close();
  });

  it('serves from the key that became ready, not the first key of the command', async () => {
    const [a] = await clients(1);
    await block(a!, 'BLPOP', 'k1', 'k2', '0');
    const m = r.multi();
    m.rpush('k2', 'x');
    m.rpush('k1', 'y');
    await m.exec();
    expect(await a!.reply()).to.equal('*2\r\n$2\r\nk2\r\n$1\r\nx\r\n');
    expect(await r.lrange('k1', 0, -1)).to.deep.equal(['y']);
    // A repeated key registers the client once.
    await block(a!, 'BLPOP', 'dup', 'dup', '0');
    await r.rpush('dup', '1', '2');
    expect(await a!.reply()).to.equal('*2\r\n$3\r\ndup\r\n$1\r\n1\r\n');
    expect(await r.lrange('dup', 0, -1)).to.deep.equal(['2']);
    a!.close();
  });

  it('BLMOVE feeds clients blocked on its destination', async () => {
    const [a, b] = await clients(2);
    await block(a!, 'BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0');
    await block(b!, 'BLPOP', 'dst', '0');
    await r.rpush('src', 'v');
    expect(await a!.reply()).to.equal('$1\r\nv\r\n');
    expect(await b!.reply()).to.equal('*2\r\n$3\r\ndst\r\n$1\r\nv\r\n');
    expect(await r.exists('src', 'dst')).to.equal(0);
    a!.close();
    b!.close();
  });

  it('timeouts: fractional seconds, zero is forever, and Redis\'s parse errors', async () => {
    const [a] = await clients(1);
    let t0 = Date.now();
    a!.send('BLPOP', 'none', '0.15');
    expect(await a!.reply()).to.equal('*-1\r\n');
    let dt = Date.now() - t0;
    expect(dt).to.be.at.least(140).and.lessThan(1000);
    t0 = Date.now();
    a!.send('BRPOPLPUSH', 'none', 'dst', '.05');
    // Like Redis 7.0, the list-move forms time out with a null array too.
    expect(await a!.reply()).to.equal('*-1\r\n');
    dt = Date.now() - t0;
    expect(dt).to.be.at.least(45).and.lessThan(1000);
    a!.send('BZPOPMIN', 'none', '1e-2');
    expect(await a!.reply()).to.equal('*-1\r\n');
    // A tiny positive timeout rounds up to 1 ms instead of meaning forever.
    a!.send('BLPOP', 'none', '1e-400');
    expect(await a!.reply()).to.equal('*-1\r\n');
    const errs: Array<[string, string]> = [
      ['abc', 'ERR timeout is not a float or out of range'],
      ['', 'ERR timeout is not a float or out of range'],
      [' 1', 'ERR timeout is not a float or out of range'],
      ['nan', 'ERR timeout is not a float or out of range'],
      ['1e5000', 'ERR timeout is not a float or out of range'],
      ['-1', 'ERR timeout is negative'],
      ['-0.01', 'ERR timeout is negative'],
      ['inf', 'ERR timeout is negative'],
      ['1e30', 'ERR timeout is negative'],
    ];
    for (const [t, msg] of errs) {
      await expect(r.call('BLPOP', 'none', t), t).to.be.rejectedWith(msg);
    }
    // -0.0001 s rounds (ceil) to -0 ms: it blocks forever, as in Redis.
    const [b] = await clients(1) as [RawClient];
    const idB = Number(await (async () => { b.send('CLIENT', 'ID'); return (await b.reply()).slice(1); })());
    await block(b, 'BLPOP', 'none', '-0.0001');
    await new Promise((res) => setTimeout(res, 50));
    expect(b.pending()).to.equal('');
    expect(await r.client('UNBLOCK', idB)).to.equal(1);
    expect(await b.reply()).to.equal('*-1\r\n');
    // A timeout beyond Node's 24.8-day timer range must not fire at once.
    await block(b, 'BLPOP', 'none', '3000000');
    await new Promise((res) => setTimeout(res, 50));
    expect(b.pending()).to.equal('');
    expect(await r.client('UNBLOCK', idB)).to.equal(1);
    expect(await b.reply()).to.equal('*-1\r\n');
    a!.close();
    b.close();
  });

  it('RESP3 timeouts reply with a null', async () => {
    const [a] = await clients(1);
    a!.send('HELLO', '3');
    await a!.reply();
    a!.send('BLMOVE', 'none', 'x', 'LEFT', 'LEFT', '0.01');
    expect(await a!.reply()).to.equal('_\r\n');
    a!.send('BZMPOP', '0.01', '1', 'none', 'MIN');
    expect(await a!.reply()).to.equal('_\r\n');
    a!.close();
  });

  it('CLIENT UNBLOCK with TIMEOUT and ERROR', async () => {
    const [a] = await clients(1);
    a!.send('CLIENT', 'ID');
    const id = Number((await a!.reply()).slice(1));
    await block(a!, 'BLPOP', 'q', '0');
    expect(await r.client('UNBLOCK', id, 'TIMEOUT')).to.equal(1);
    expect(await a!.reply()).to.equal('*-1\r\n');
    await block(a!, 'BZPOPMAX', 'z', '0');
    expect(await r.client('UNBLOCK', id, 'ERROR')).to.equal(1);
    expect(await a!.reply()).to.equal('-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n');
    expect(await r.client('UNBLOCK', id)).to.equal(0);
    expect(await blockedClients()).to.equal(0);
    // Unblocked clients go on with their pipeline.
    a!.send('PING');
    expect(await a!.reply()).to.equal('+PONG\r\n');
    a!.close();
  });

  it('a blocked client that disconnects leaves nothing behind', async () => {
    const [a, b] = await clients(2);
    await block(a!, 'BLPOP', 'q1', 'q2', '0');
    await block(b!, 'BZPOPMIN', 'z', '5');
    expect(await blockedClients()).to.equal(2);
    a!.close();
    b!.close();
    await waitFor(async () => (await blockedClients()) === 0);
    expect(srv.node.blocking.keyCount).to.equal(0);
    // Nobody takes the element any more.
    await r.rpush('q1', 'kept');
    await r.zadd('z', 1, 'm');
    await new Promise((res) => setTimeout(res, 20));
    expect(await r.lrange('q1', 0, -1)).to.deep.equal(['kept']);
    expect(await r.zcard('z')).to.equal(1);
  });

  it('BLMOVE to a wrong-type destination: WRONGTYPE, and the source keeps its element', async () => {
    const [a, b] = await clients(2);
    await block(a!, 'BLMOVE', 'src', 'dst', 'LEFT', 'RIGHT', '0');
    await block(b!, 'BLPOP', 'src', '0');
    await r.set('dst', 'string');
    await r.rpush('src', 'v');
    expect(await a!.reply()).to.equal('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n');
    // The next waiter on the key is still served.
    expect(await b!.reply()).to.equal('*2\r\n$3\r\nsrc\r\n$1\r\nv\r\n');
    await r.rpush('src', 'w');
    await expect(r.blmove('src', 'dst', 'LEFT', 'RIGHT', 0)).to.be.rejectedWith('WRONGTYPE');
    expect(await r.lrange('src', 0, -1)).to.deep.equal(['w']);
    expect(await r.get('dst')).to.equal('string');
    await r.set('str', 'x');
    await expect(r.blpop('str', 0)).to.be.rejectedWith('WRONGTYPE');
    await expect(r.blmove('str', 'd', 'LEFT', 'RIGHT', 0)).to.be.rejectedWith('WRONGTYPE');
    await expect(r.call('BZPOPMIN', 'str', '0')).to.be.rejectedWith('WRONGTYPE');
    a!.close();
    b!.close();
  });

  it('inside MULTI the blocking forms act as the non-blocking ones', async () => {
    const [a] = await clients(1);
    a!.send('MULTI');
    a!.send('BLPOP', 'e', '0');
    a!.send('BLMOVE', 'e', 'f', 'LEFT', 'LEFT', '0');
    a!.send('BZMPOP', '0', '1', 'e', 'MIN');
    a!.send('BRPOPLPUSH', 'e', 'f', '0');
    a!.send('RPUSH', 'e', '1');
    a!.send('BRPOP', 'e', '0');
    a!.send('EXEC');
    expect(await a!.readUntil((b) => b.includes('*2\r\n$1\r\ne'))).to.equal(
      '+OK\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n+QUEUED\r\n' +
      '*6\r\n*-1\r\n$-1\r\n*-1\r\n$-1\r\n:1\r\n*2\r\n$1\r\ne\r\n$1\r\n1\r\n');
    // Argument errors are found when queued commands run.
    a!.send('MULTI');
    a!.send('BLPOP', 'e', 'x');
    a!.send('EXEC');
    expect(await a!.readUntil((b) => b.includes('float'))).to.equal(
      '+OK\r\n+QUEUED\r\n*1\r\n-ERR timeout is not a float or out of range\r\n');
    a!.close();
  });

  it('argument checks in Redis order', async () => {
    await expect(r.call('BLMOVE', 'a', 'b', 'UP', 'LEFT', 'x')).to.be.rejectedWith('ERR syntax error');
    await expect(r.call('BLMOVE', 'a', 'b', 'LEFT', 'LEFT', 'x')).to.be.rejectedWith('ERR timeout is not a float or out of range');
    await expect(r.call('BLMPOP', 'x', '0', 'a', 'LEFT')).to.be.rejectedWith('ERR numkeys should be greater than 0');
    await expect(r.call('BLMPOP', 'x', '1', 'a', 'LEFT')).to.be.rejectedWith('ERR timeout is not a float or out of range');
    await expect(r.call('BLMPOP', '0', '2', 'a', 'LEFT')).to.be.rejectedWith('ERR syntax error');
    await expect(r.call('BLMPOP', '0', '1', 'a', 'UP')).to.be.rejectedWith('ERR syntax error');
    await expect(r.call('BLMPOP', '0', '1', 'a', 'LEFT', 'COUNT', '0')).to.be.rejectedWith('ERR count should be greater than 0');
    await expect(r.call('BZMPOP', 'x', '1', 'a', 'MIN')).to.be.rejectedWith('ERR timeout is not a float or out of range');
    await expect(r.call('BZMPOP', '0', '1', 'a', 'MIN', 'COUNT', '-1')).to.be.rejectedWith('ERR count should be greater than 0');
    await expect(r.call('BZPOPMIN', 'a')).to.be.rejectedWith("ERR wrong number of arguments for 'bzpopmin' command");
  });

  it('reply shapes of the served and the immediate paths', async () => {
    const [a] = await clients(1);
    await r.rpush('m2', 'a', 'b', 'c');
    expect(await r.call('BLMPOP', '0', '2', 'm1', 'm2', 'RIGHT', 'COUNT', '2')).to.deep.equal(['m2', ['c', 'b']]);
    await block(a!, 'BLMPOP', '0', '1', 'm3', 'LEFT', 'COUNT', '5');
    await r.rpush('m3', 'x', 'y');
    expect(await a!.reply()).to.equal('*2\r\n$2\r\nm3\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n');
    await r.zadd('z', 1, 'a', 2, 'b', 3, 'c');
    expect(await r.call('BZPOPMAX', 'nz', 'z', '0')).to.deep.equal(['z', 'c', '3']);
    await block(a!, 'BZMPOP', '0', '1', 'z2', 'MAX', 'COUNT', '2');
    await r.zadd('z2', 1.5, 'a', 2, 'b', 3, 'c');
    expect(await a!.reply()).to.equal('*2\r\n$2\r\nz2\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n');
    a!.send('HELLO', '3');
    await a!.reply();
    await block(a!, 'BZPOPMIN', 'z3', '0');
    await r.zadd('z3', 1.5, 'm');
    expect(await a!.reply()).to.equal('*3\r\n$2\r\nz3\r\n$1\r\nm\r\n,1.5\r\n');
    a!.close();
  });

  it('propagates the non-blocking forms, as Redis 7.0 writes them to the AOF', async () => {
    const log: string[] = [];
    const stop = srv.node.writeLog.subscribe({ append: (_db, argv) => { log.push(argv.join(' ')); } });
    try {
      const [a] = await clients(1);
      const steps: Array<() => Promise<unknown>> = [
        () => block(a!, 'BLPOP', 'q', '0'),
        () => r.rpush('q', 'a', 'b'),
        () => a!.reply(),
        () => r.blpop('q', 0),
        () => block(a!, 'BLMOVE', 'src', 'dst', 'left', 'right', '0'),
        () => r.rpush('src', 'v'),
        () => a!.reply(),
        () => r.call('BLMOVE', 'dst', 'src', 'Left', 'rIght', '0'),
        () => block(a!, 'BRPOPLPUSH', 's2', 'd2', '0'),
        () => r.rpush('s2', '1'),
        () => a!.reply(),
        () => r.brpoplpush('d2', 's2', 0),
        () => block(a!, 'BLMPOP', '0', '2', 'm1', 'm2', 'right', 'count', '5'),
        () => r.rpush('m2', 'a', 'b', 'c'),
        () => a!.reply(),
        () => r.rpush('m1', 'x', 'y'),
        () => r.call('BLMPOP', '0', '1', 'm1', 'left', 'count', '5'),
        () => block(a!, 'BZPOPMIN', 'z1', '0'),
        () => r.zadd('z1', 1, 'a', 2, 'b'),
        () => a!.reply(),
        () => r.call('BZPOPMAX', 'z1', '0'),
        () => block(a!, 'BZMPOP', '0', '1', 'z3', 'max', 'count', '2'),
        () => r.zadd('z3', 1, 'a'),
        () => a!.reply(),
        () => r.zadd('z3', 1, 'a', 2, 'b'),
        () => r.call('BZMPOP', '0', '1', 'z3', 'min', 'count', '5'),
      ];
      for (const s of steps) await s();
      a!.close();
    } finally {
      stop();
    }
    expect(log.filter((l) => !/^(rpush|zadd|RPUSH|ZADD) /.test(l))).to.deep.equal([
      'LPOP q',
      'LPOP q',
      'LMOVE src dst left right',
      'LMOVE dst src Left rIght',
      'RPOPLPUSH s2 d2',
      'RPOPLPUSH d2 s2',
      'RPOP m2 3',
      'LPOP m1 2',
      'ZPOPMIN z1',
      'ZPOPMAX z1',
      'ZPOPMAX z3 1',
      'ZPOPMIN z3 2',
    ]);
  });
});

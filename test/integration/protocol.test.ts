/**
 * The wire: inline commands, pipelines, protocol errors, RESP3, batching, limits.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { raw, startServer, type TesseraServer } from '../helpers/server.js';

describe('protocol', () => {
  let srv: TesseraServer;
  before(async () => {
    srv = await startServer();
  });
  after(async () => {
    await srv.close();
  });

  it('answers inline commands, including quoted arguments', async () => {
    const c = await raw(srv.port);
    c.write('PING\r\n');
    expect(await c.reply()).to.equal('+PONG\r\n');
    c.write('ECHO "hello world"\n');
    expect(await c.reply()).to.equal('$11\r\nhello world\r\n');
    c.close();
  });

  it('answers a pipeline of 10,000 commands in order', async () => {
    const r = new Redis(srv.port);
    const p = r.pipeline();
    for (let i = 0; i < 10000; i++) p.set(`p:${i}`, String(i));
    for (let i = 0; i < 10000; i++) p.get(`p:${i}`);
    const res = await p.exec();
    expect(res).to.have.length(20000);
    expect(res![0]).to.deep.equal([null, 'OK']);
    expect(res![19999]).to.deep.equal([null, '9999']);
    expect(res!.slice(10000).every(([e, v], i) => e === null && v === String(i))).to.equal(true);
    await r.quit();
  });

  it('replies to a protocol error and closes only that connection', async () => {
    const bad = await raw(srv.port);
    const good = await raw(srv.port);
    bad.write('*1\r\n:12\r\n');
    expect(await bad.reply()).to.equal("-ERR Protocol error: expected '$', got ':'\r\n");
    expect(await bad.waitClosed()).to.equal(true);
    good.write('PING\r\n');
    expect(await good.reply()).to.equal('+PONG\r\n');
    good.close();
  });

  it('rejects unbalanced quotes and invalid lengths with Redis text', async () => {
    const a = await raw(srv.port);
    a.write('SET "x\r\n');
    expect(await a.reply()).to.equal('-ERR Protocol error: unbalanced quotes in request\r\n');
    const b = await raw(srv.port);
    b.write('*1\r\n$abc\r\n');
    expect(await b.reply()).to.equal('-ERR Protocol error: invalid bulk length\r\n');
    const c = await raw(srv.port);
    c.write('*-1\r\n*0\r\nPING\r\n');
    expect(await c.reply()).to.equal('+PONG\r\n');
    c.close();
  });

  it('survives random garbage from many clients', async () => {
    for (let i = 0; i < 30; i++) {
      const c = await raw(srv.port);
      const junk = Buffer.alloc(200);
      for (let j = 0; j < junk.length; j++) junk[j] = Math.floor(Math.random() * 256);
      c.write(junk);
      c.close();
    }
    const ok = await raw(srv.port);
    ok.write('PING\r\n');
    expect(await ok.reply()).to.equal('+PONG\r\n');
    ok.close();
  });

  it('negotiates RESP3 with HELLO and replies with RESP3 types', async () => {
    const c = await raw(srv.port);
    c.write('HELLO 3\r\n');
    const hello = await c.reply();
    expect(hello.startsWith('%7\r\n')).to.equal(true);
    expect(hello).to.contain('$7\r\nversion\r\n$6\r\n7.0.15\r\n');
    expect(hello).to.contain('$5\r\nproto\r\n:3\r\n');
    c.write('GET nosuchkey\r\n');
    expect(await c.reply()).to.equal('_\r\n');
    c.write('HELLO 4\r\n');
    expect(await c.reply()).to.equal('-NOPROTO unsupported protocol version\r\n');
    c.write('HELLO 2\r\n');
    expect((await c.reply()).startsWith('*14\r\n')).to.equal(true);
    c.write('GET nosuchkey\r\n');
    expect(await c.reply()).to.equal('$-1\r\n');
    c.close();
  });

  it('sends all replies of one input batch in a single write', async () => {
    const c = await raw(srv.port);
    c.write('PING\r\nPING\r\nPING\r\n');
    const got = await c.readUntil((b) => b.length >= 21);
    expect(got).to.equal('+PONG\r\n+PONG\r\n+PONG\r\n');
    c.close();
  });

  it('replies to unknown commands and wrong arity with Redis text', async () => {
    const c = await raw(srv.port);
    c.send('NOPE', 'a', 'b');
    expect(await c.reply()).to.equal("-ERR unknown command 'NOPE', with args beginning with: 'a' 'b' \r\n");
    c.send('GET');
    expect(await c.reply()).to.equal("-ERR wrong number of arguments for 'get' command\r\n");
    c.send('CONFIG', 'NOPE');
    expect(await c.reply()).to.equal("-ERR unknown subcommand 'NOPE'. Try CONFIG HELP.\r\n");
    c.send('CLIENT');
    expect(await c.reply()).to.equal("-ERR wrong number of arguments for 'client' command\r\n");
    c.close();
  });

  it('closes a client whose query buffer passes client-query-buffer-limit', async () => {
    const s = await startServer({ 'client-query-buffer-limit': '1mb' });
    try {
      const c = await raw(s.port);
      c.write(`*2\r\n$3\r\nSET\r\n$${4 * 1024 * 1024}\r\n`);
      c.write(Buffer.alloc(2 * 1024 * 1024, 'x'));
      expect(await c.waitClosed()).to.equal(true);
    } finally {
      await s.close();
    }
  });

  it('disconnects a slow reader past client-output-buffer-limit', async () => {
    const s = await startServer({ 'client-output-buffer-limit': 'normal 1mb 0 0' });
    try {
      const r = new Redis(s.port);
      await r.set('big', 'x'.repeat(512 * 1024));
      await r.quit();
      const c = await raw(s.port);
      c.sock.pause();
      let cmds = '';
      for (let i = 0; i < 200; i++) cmds += 'GET big\r\n';
      c.write(cmds);
      await new Promise((res) => setTimeout(res, 300));
      c.sock.resume();
      expect(await c.waitClosed()).to.equal(true);
      const probe = new Redis(s.port);
      expect(await probe.ping()).to.equal('PONG');
      probe.disconnect();
    } finally {
      await s.close();
    }
  });

  it('refuses a bulk argument longer than a JS string can hold, and keeps serving', async () => {
    const c = await raw(srv.port);
    c.write('*2\r\n$4\r\nECHO\r\n$536870900\r\n');
    expect(await c.reply()).to.equal('-ERR Protocol error: invalid bulk length\r\n');
    expect(await c.waitClosed()).to.equal(true);
    const ok = await raw(srv.port);
    ok.write('PING\r\n');
    expect(await ok.reply()).to.equal('+PONG\r\n');
    ok.close();
  });

  it('refuses connections past maxclients with Redis text', async () => {
    const s = await startServer({ maxclients: 2 });
    try {
      const a = await raw(s.port);
      const b = await raw(s.port);
      const c = await raw(s.port);
      expect(await c.reply()).to.equal('-ERR max number of clients reached\r\n');
      expect(await c.waitClosed()).to.equal(true);
      a.write('PING\r\n');
      expect(await a.reply()).to.equal('+PONG\r\n');
      a.close();
      b.close();
      const r = new Redis(s.port);
      expect(await r.info('stats')).to.match(/rejected_connections:1\r\n/);
      r.disconnect();
    } finally {
      await s.close();
    }
  });

  it('closes idle clients after timeout seconds', async () => {
    const s = await startServer({ timeout: 1 });
    try {
      const idle = await raw(s.port);
      const busy = await raw(s.port);
      const t0 = Date.now();
      const timer = setInterval(() => busy.write('PING\r\n'), 200);
      expect(await idle.waitClosed(4000)).to.equal(true);
      clearInterval(timer);
      expect(Date.now() - t0).to.be.at.least(900);
      expect(busy.closed).to.equal(false);
      busy.close();
    } finally {
      await s.close();
    }
  });
});

/**
 * The real redis-cli (Debian's redis-tools) against Tessera: one-shot commands,
 * --pipe mass insertion and --scan.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { requireBinary, startServer, type TesseraServer } from '../helpers/server.js';

/** Runs redis-cli asynchronously: the server lives in this process, so spawnSync would deadlock. */
function cli(port: number, args: string[], input?: string): Promise<{ out: string; code: number | null }> {
  return new Promise((resolve) => {
    const p = spawn('redis-cli', ['-p', String(port), ...args]);
    let out = '';
    p.stdout.on('data', (d) => (out += d.toString('latin1')));
    p.stderr.on('data', (d) => (out += d.toString('latin1')));
    p.on('close', (code) => resolve({ out, code }));
    p.stdin.end(input ?? '');
  });
}

describe('redis-cli interop', () => {
  let srv: TesseraServer;
  before(async function () {
    requireBinary(this, 'redis-cli');
    srv = await startServer();
  });
  after(async () => {
    await srv?.close();
  });

  it('runs one-shot commands', async () => {
    expect((await cli(srv.port, ['PING'])).out).to.equal('PONG\n');
    expect((await cli(srv.port, ['SET', 'greeting', 'hello world'])).out).to.equal('OK\n');
    expect((await cli(srv.port, ['GET', 'greeting'])).out).to.equal('hello world\n');
    expect((await cli(srv.port, ['INCR', 'n'])).out).to.equal('1\n');
    expect((await cli(srv.port, ['GET', 'nosuch'])).out).to.equal('\n');
    expect((await cli(srv.port, ['--no-raw', 'GET', 'nosuch'])).out).to.equal('(nil)\n');
    // redis-cli itself prints an empty line after an error reply (as it does against Redis).
    expect((await cli(srv.port, ['INCR', 'greeting'])).out).to.equal('ERR value is not an integer or out of range\n\n');
  });

  it('mass-inserts with --pipe', async () => {
    let proto = '';
    const n = 5000;
    for (let i = 0; i < n; i++) {
      const k = `pipe:${i}`;
      const v = `v${i}`;
      proto += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`;
    }
    const res = await cli(srv.port, ['--pipe'], proto);
    expect(res.code).to.equal(0);
    expect(res.out).to.contain(`errors: 0, replies: ${n}`);
    const r = new Redis(srv.port);
    expect(await r.get('pipe:4999')).to.equal('v4999');
    r.disconnect();
  });

  it('iterates every key with --scan', async () => {
    const r = new Redis(srv.port);
    await r.flushall();
    const p = r.pipeline();
    for (let i = 0; i < 1000; i++) p.set(`scan:${i}`, '1');
    await p.exec();
    const out = (await cli(srv.port, ['--scan', '--pattern', 'scan:*'])).out.trim().split('\n');
    expect(new Set(out).size).to.equal(1000);
    r.disconnect();
  });
});

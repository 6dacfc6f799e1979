/**
 * Test helpers: an in-process server on port 0, raw RESP sockets, spawned binaries and
 * polling. Every integration test goes through these, so a server under test is always
 * the real TCP server, never a mock.
 */
import net from 'node:net';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer as start, type StartOptions, type TesseraServer } from '../../src/server.js';

export type { TesseraServer };

/** Starts Tessera in this process on a free port, with DEBUG enabled for tests. */
export async function startServer(overrides: StartOptions['config'] = {}, opts: Omit<StartOptions, 'config'> = {}): Promise<TesseraServer> {
  // Each test server gets its own empty dir, so no dump.rdb or AOF from elsewhere loads.
  return start({ port: 0, ...opts, config: { 'enable-debug-command': 'yes', dir: tmpDir('tessera-srv-'), ...overrides } });
}

/** A raw RESP connection: send bytes, read replies as raw text. */
export class RawClient {
  private buf = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;
  constructor(readonly sock: net.Socket) {
    sock.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    sock.on('close', () => {
      this.closed = true;
      this.wake();
    });
    sock.on('error', () => undefined);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  write(data: string | Buffer): void {
    this.sock.write(data);
  }

  /** Sends argv as a RESP multibulk. */
  send(...argv: string[]): void {
    let s = `*${argv.length}\r\n`;
    for (const a of argv) s += `$${Buffer.byteLength(a)}\r\n${a}\r\n`;
    this.sock.write(s);
  }

  /** Waits until at least n bytes (or the given terminator) arrived, then takes them all. */
  async readUntil(pred: (b: Buffer) => boolean, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.buf)) {
      if (this.closed) break;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for reply; have ${JSON.stringify(this.buf.toString('latin1'))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    const out = this.buf.toString('latin1');
    this.buf = Buffer.alloc(0);
    return out;
  }

  /** Reads exactly one complete RESP reply (RESP2 or RESP3) and returns its raw text. */
  async reply(timeoutMs = 5000): Promise<string> {
    let len = -1;
    await this.readUntilKeep((b) => {
      len = respLength(b, 0);
      return len >= 0;
    }, timeoutMs);
    const out = this.buf.subarray(0, len).toString('latin1');
    this.buf = this.buf.subarray(len);
    return out;
  }

  private async readUntilKeep(pred: (b: Buffer) => boolean, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pred(this.buf)) {
      if (this.closed) throw new Error(`connection closed; have ${JSON.stringify(this.buf.toString('latin1'))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for reply; have ${JSON.stringify(this.buf.toString('latin1'))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.closed;
  }

  /** Everything received so far, without waiting. */
  pending(): string {
    return this.buf.toString('latin1');
  }

  close(): void {
    this.sock.destroy();
  }
}

/** Byte length of the first complete RESP value in b starting at off, or -1 if incomplete. */
export function respLength(b: Buffer, off: number): number {
  if (off >= b.length) return -1;
  const nl = b.indexOf('\r\n', off, 'latin1');
  if (nl < 0) return -1;
  const type = String.fromCharCode(b[off]!);
  const head = b.toString('latin1', off + 1, nl);
  const after = nl + 2;
  switch (type) {
    case '+': case '-': case ':': case ',': case '_': case '#': case '(':
      return after - off;
    case '$': case '=': case '!': {
      const n = parseInt(head, 10);
      if (n < 0) return after - off;
      return b.length >= after + n + 2 ? after + n + 2 - off : -1;
    }
    case '*': case '~': case '>': case '%': case '|': {
      let n = parseInt(head, 10);
      if (n < 0) return after - off;
      if (type === '%' || type === '|') n *= 2;
      let p = after;
      for (let i = 0; i < n; i++) {
        const l = respLength(b, p);
        if (l < 0) return -1;
        p += l;
      }
      return p - off;
    }
    default:
      // inline-style error from a non-RESP peer: treat the line as the reply
      return after - off;
  }
}

export async function raw(port: number, host = '127.0.0.1'): Promise<RawClient> {
  const sock = net.connect(port, host);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', () => resolve());
    sock.once('error', reject);
  });
  return new RawClient(sock);
}

/** Polls fn until it returns truthy or the time runs out. */
export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 5000, stepMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SERVER_BIN = path.join(ROOT, 'bin', 'tessera-server');

export function tmpDir(prefix = 'tessera-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** True when a binary is on PATH. */
export function have(bin: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
}

/**
 * For tests that need real Redis binaries: in CI (CI set) their absence is a failure;
 * locally the test is skipped.
 */
export function requireBinary(ctx: Mocha.Context, bin: string): void {
  if (have(bin)) return;
  if (process.env.CI) throw new Error(`${bin} is required in CI but was not found on PATH`);
  ctx.skip();
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface Spawned {
  proc: ChildProcess;
  port: number;
  stdout: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns a server binary (ours by default) and waits for "Ready to accept". */
export async function spawnServer(args: string[], opts: { bin?: string; port?: number; cwd?: string } = {}): Promise<Spawned> {
  const port = opts.port ?? (await freePort());
  const bin = opts.bin ?? SERVER_BIN;
  const proc = spawn(bin === SERVER_BIN ? process.execPath : bin, bin === SERVER_BIN ? [SERVER_BIN, ...args, '--port', String(port)] : [...args, '--port', String(port)], {
    cwd: opts.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d.toString()));
  proc.stderr!.on('data', (d) => (out += d.toString()));
  await waitFor(() => out.includes('Ready to accept') || proc.exitCode !== null, 20000);
  if (proc.exitCode !== null) throw new Error(`server exited: ${out}`);
  return {
    proc,
    port,
    stdout: () => out,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill(signal);
      }),
  };
}

/**
 * The client side of MIGRATE: cached connections to target instances, used the way
 * Redis uses them, synchronously. Redis blocks its one thread on connect/write/read with
 * a timeout; a command handler here is synchronous too, so the socket work runs in a
 * worker thread that owns the connections, and the caller waits on a shared flag with
 * Atomics.wait until the worker has the replies (or gave up on its timeout).
 *
 * Invariants: one worker per node, started on first use and unref'd; a connection is
 * cached per "host:port" until an error, 10 s without use (MIGRATE_SOCKET_CACHE_TTL) or
 * a 65th target (a random one is dropped, MIGRATE_SOCKET_CACHE_ITEMS). The main thread
 * keeps the list of cached names and the DB each one last SELECTed.
 * Imports: engine (types).
 */
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { ServerNode } from '../engine/node.js';

/** The shape of commands/context.ts MigrateExchange (network may not import commands). */
interface MigrateExchange {
  ok: boolean;
  stage: 'connect' | 'write' | 'read' | 'done';
  timedOut: boolean;
  lines: string[];
}

const CACHE_TTL_MS = 10_000;
const CACHE_ITEMS = 64;

/** Runs in the worker: plain CommonJS, since an eval'd worker is a script. */
const WORKER_SOURCE = String.raw`
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const flag = new Int32Array(workerData.flag);
const out = workerData.out;
const conns = new Map();

function done(msg) {
  out.postMessage(msg);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

function drop(name) {
  const c = conns.get(name);
  if (!c) return;
  conns.delete(name);
  c.sock.destroy();
  if (c.wake) c.wake();
}

function connect(host, port, timeout) {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port });
    const c = { sock, buf: Buffer.alloc(0), wake: null, dead: false };
    const timer = setTimeout(() => { sock.destroy(); reject({ timedOut: true }); }, timeout);
    sock.once('connect', () => { clearTimeout(timer); sock.setNoDelay(true); resolve(c); });
    sock.on('error', () => { clearTimeout(timer); c.dead = true; if (c.wake) c.wake(); reject({ timedOut: false }); });
    sock.on('close', () => { c.dead = true; if (c.wake) c.wake(); });
    sock.on('data', (d) => { c.buf = Buffer.concat([c.buf, d]); if (c.wake) c.wake(); });
  });
}

function write(c, payload, timeout) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), timeout);
    c.sock.write(payload, (err) => { clearTimeout(timer); resolve(err ? 'error' : 'ok'); });
  });
}

/** One reply line without its CRLF, or {timedOut} / {closed}. */
async function readLine(c, timeout) {
  for (;;) {
    const i = c.buf.indexOf('\r\n');
    if (i >= 0) {
      const line = c.buf.subarray(0, i).toString('latin1');
      c.buf = c.buf.subarray(i + 2);
      return line;
    }
    if (c.dead) return { closed: true };
    const r = await new Promise((resolve) => {
      const timer = setTimeout(() => { c.wake = null; resolve('timeout'); }, timeout);
      c.wake = () => { clearTimeout(timer); c.wake = null; resolve('data'); };
    });
    if (r === 'timeout') return { timedOut: true };
  }
}

async function exchange(m) {
  const finish = (msg) => { msg.seq = m.seq; done(msg); };
  let c = conns.get(m.name);
  if (c && c.dead) { drop(m.name); c = undefined; }
  if (!c) {
    try {
      c = await connect(m.host, m.port, m.timeout);
    } catch (e) {
      return finish({ ok: false, stage: 'connect', timedOut: !!(e && e.timedOut), lines: [] });
    }
    conns.set(m.name, c);
  }
  const w = await write(c, Buffer.from(m.payload), m.timeout);
  if (w !== 'ok') {
    drop(m.name);
    return finish({ ok: false, stage: 'write', timedOut: w === 'timeout', lines: [] });
  }
  const lines = [];
  for (let i = 0; i < m.replies; i++) {
    const l = await readLine(c, m.timeout);
    if (typeof l !== 'string') {
      drop(m.name);
      return finish({ ok: false, stage: 'read', timedOut: !!l.timedOut, lines });
    }
    lines.push(l);
  }
  finish({ ok: true, stage: 'done', timedOut: false, lines });
}

parentPort.on('message', (m) => {
  if (m.op === 'close') drop(m.name);
  else if (m.op === 'exchange') exchange(m).catch(() => done({ seq: m.seq, ok: false, stage: 'read', timedOut: false, lines: [] }));
});
`;

interface Cached {
  lastDb: number;
  lastUse: number;
}

/** Implements commands/context.ts MigratePort (structurally: network may not import commands). */
export class MigrateClient {
  private worker: Worker | null = null;
  private replies: MessagePort | null = null;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private readonly cached = new Map<string, Cached>();
  private sweeper: NodeJS.Timeout | null = null;
  private seq = 0;

  get cachedSockets(): number {
    return this.cached.size;
  }

  lastDb(host: string, port: string): number {
    return this.cached.get(`${host}:${port}`)?.lastDb ?? -1;
  }

  setLastDb(host: string, port: string, db: number): void {
    const c = this.cached.get(`${host}:${port}`);
    if (c !== undefined) c.lastDb = db;
  }

  exchange(host: string, port: string, payload: Buffer, replies: number, timeoutMs: number): MigrateExchange {
    const name = `${host}:${port}`;
    if (!this.cached.has(name) && this.cached.size >= CACHE_ITEMS) {
      const names = [...this.cached.keys()];
      this.close(host, port, names[Math.floor(Math.random() * names.length)]!);
    }
    const w = this.ensureWorker();
    const seq = ++this.seq;
    w.postMessage({ op: 'exchange', seq, name, host, port: Number.parseInt(port, 10) || 0, payload, replies, timeout: timeoutMs });
    // The worker enforces the timeout per step; this bound only guards against a lost worker.
    const deadline = Date.now() + timeoutMs * (replies + 3) + 5000;
    let res: MigrateExchange | undefined;
    for (;;) {
      Atomics.store(this.flag, 0, 0);
      // A late answer to an exchange this side gave up on is skipped by its number.
      for (let m = receiveMessageOnPort(this.replies!); m !== undefined; m = receiveMessageOnPort(this.replies!)) {
        const msg = m.message as MigrateExchange & { seq: number };
        if (msg.seq === seq) res = msg;
      }
      if (res !== undefined) break;
      const left = deadline - Date.now();
      if (left <= 0) break;
      Atomics.wait(this.flag, 0, 0, left);
    }
    if (res === undefined) {
      this.close(host, port);
      return { ok: false, stage: 'read', timedOut: true, lines: [] };
    }
    if (res.ok) {
      const c = this.cached.get(name);
      if (c !== undefined) c.lastUse = Date.now();
      else this.cached.set(name, { lastDb: -1, lastUse: Date.now() });
    } else if (res.stage !== 'connect') {
      this.cached.delete(name);
    }
    return res;
  }

  /** Drops the cached connection to host:port (or to `name` when given). */
  close(host: string, port: string, name = `${host}:${port}`): void {
    if (!this.cached.delete(name)) return;
    this.worker?.postMessage({ op: 'close', name });
  }

  shutdown(): Promise<void> | void {
    if (this.sweeper !== null) clearInterval(this.sweeper);
    this.sweeper = null;
    this.cached.clear();
    const w = this.worker;
    this.worker = null;
    this.replies?.close();
    this.replies = null;
    if (w !== null) return w.terminate().then(() => undefined);
  }

  private ensureWorker(): Worker {
    if (this.worker !== null) return this.worker;
    const ch = new MessageChannel();
    const w = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { flag: this.flag.buffer, out: ch.port2 },
      transferList: [ch.port2],
    });
    w.unref();
    // A worker that dies takes its connections with it; the next MIGRATE starts another.
    w.on('error', () => { if (this.worker === w) { this.worker = null; this.cached.clear(); } });
    w.on('exit', () => { if (this.worker === w) { this.worker = null; this.cached.clear(); } });
    this.worker = w;
    this.replies = ch.port1;
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
    return w;
  }

  /** migrateCloseTimedoutSockets: once a second, close connections idle for over 10 s. */
  private sweep(): void {
    const now = Date.now();
    for (const [name, c] of this.cached) {
      if (now - c.lastUse > CACHE_TTL_MS) {
        this.cached.delete(name);
        this.worker?.postMessage({ op: 'close', name });
      }
    }
  }
}

/** Gives the node a MIGRATE client, closed with the node. */
export function attachMigrate(node: ServerNode): MigrateClient {
  const m = new MigrateClient();
  node.ports.migrate = m;
  node.addCloseHook(() => m.shutdown());
  return m;
}

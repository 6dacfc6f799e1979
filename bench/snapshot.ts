/**
 * Snapshot benchmark: how long clients wait while BGSAVE and BGREWRITEAOF run, for
 * Tessera (fork-less snapshots) and redis-server 7.0.15 (fork), same config, same load.
 *
 *   npx tsc -p . && node dist/bench/snapshot.js [--quick] [--keys N] [--reps N]
 *     [--servers tessera,redis] [--bin path/to/tessera-server]
 *
 * (--bin runs another build of Tessera, e.g. an older commit, for before/after numbers.)
 *
 * Each server runs in its own process with its files in a fresh temp dir. The dataset is
 * DEBUG POPULATE N (key:i = value:i) plus lists, hashes and keys with a TTL. For each job,
 * two writer connections pipeline SETs of new keys (w<phase><c>:<seq>, in sequence) from a
 * worker thread, a probe connection in another worker thread sends PING back to back, and
 * while the job runs the main thread keeps overwriting, deleting, mutating in place,
 * re-expiring and persisting pre-existing keys. Reported: the worst and p99 PING round
 * trip during the job (the stall a client sees), the same under load without a job, and
 * the job's duration (from its reply until INFO shows it finished, polled every 20 ms),
 * and the round trip of the job command itself (Tessera's start step; Redis's fork).
 * Each server is loaded once and runs --reps BGSAVE + BGREWRITEAOF pairs; the changed
 * keys are put back after each job.
 *
 * The dump.rdb written under that load is then read back and checked against the dataset
 * as of the BGSAVE: every pre-existing key with its start value and TTL, no key deleted
 * later missing, and for each writer a gap-free prefix of its sequence (a point-in-time
 * cut). Workers and child processes stop by themselves at the end of each phase.
 * Prints Markdown tables (docs/durability.md quotes them).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { readRdb } from '../src/persistence/rdb/index.js';
import type { RdbValue } from '../src/persistence/rdb/index.js';
import { freePort, waitPort } from './common.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'tessera-server');
const SELF = fileURLToPath(import.meta.url);

const LISTS = 2000;
const HASHES = 2000;
const TTLS = 2000;
const LIST_LEN = 20;
const HASH_FIELDS = 10;
/** Pre-existing keys each mutation round touches, per kind. */
const ROUND = 50;
const MAX_JOB_MS = 120_000;

function now(): number {
  return performance.timeOrigin + performance.now();
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

// ---- worker threads: probe and writers ----------------------------------------------

interface ProbeData { role: 'probe'; port: number }
interface WriterData { role: 'writer'; port: number; prefixes: string[]; batch: number }

/** PING back to back on one connection; posts [sentAt, rtt] pairs when told to stop. */
function runProbe(d: ProbeData): void {
  const out: number[] = [];
  const sock = net.connect(d.port, '127.0.0.1');
  sock.setNoDelay(true);
  let stop = false;
  let sent = 0;
  let buf = '';
  const ping = () => {
    sent = now();
    sock.write('*1\r\n$4\r\nPING\r\n');
  };
  sock.on('connect', ping);
  sock.on('data', (chunk) => {
    buf += chunk.toString('latin1');
    if (!buf.endsWith('\r\n')) return;
    if (buf !== '+PONG\r\n') throw new Error(`probe: unexpected reply ${JSON.stringify(buf)}`);
    buf = '';
    out.push(sent, now() - sent);
    if (stop) {
      sock.end();
      parentPort!.postMessage(Float64Array.from(out));
      return;
    }
    ping();
  });
  parentPort!.on('message', () => { stop = true; });
}

/** One connection per prefix, each pipelining `batch` SETs of prefix:seq in order. */
function runWriter(d: WriterData): void {
  const acked: number[] = d.prefixes.map(() => 0);
  let stop = false;
  let open = d.prefixes.length;
  d.prefixes.forEach((prefix, c) => {
    const sock = net.connect(d.port, '127.0.0.1');
    sock.setNoDelay(true);
    let seq = 0;
    let waiting = 0;
    let carry = '';
    const send = () => {
      let s = '';
      for (let i = 0; i < d.batch; i++, seq++) {
        const k = `${prefix}:${seq}`;
        const v = String(seq);
        s += `*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`;
      }
      waiting = d.batch;
      sock.write(s);
    };
    sock.on('connect', send);
    sock.on('data', (chunk) => {
      const text = carry + chunk.toString('latin1');
      let at = 0;
      for (;;) {
        const nl = text.indexOf('\r\n', at);
        if (nl < 0) break;
        if (text.slice(at, nl) !== '+OK') throw new Error(`writer: unexpected reply ${text.slice(at, nl)}`);
        at = nl + 2;
        waiting--;
        acked[c]!++;
      }
      carry = text.slice(at);
      if (waiting > 0) return;
      if (stop) {
        sock.end();
        if (--open === 0) parentPort!.postMessage(acked);
        return;
      }
      send();
    });
  });
  parentPort!.on('message', () => { stop = true; });
}

class Thread<T> {
  private readonly w: Worker;
  private readonly result: Promise<T>;

  constructor(data: ProbeData | WriterData) {
    this.w = new Worker(SELF, { workerData: data });
    this.result = new Promise<T>((resolve, reject) => {
      this.w.once('message', (m: T) => resolve(m));
      this.w.once('error', reject);
    });
  }

  async stop(): Promise<T> {
    this.w.postMessage('stop');
    const r = await this.result;
    await this.w.terminate();
    return r;
  }
}

// ---- a tiny client for the main thread ----------------------------------------------

type Resp = string | number | null | Error | Resp[];

/** Sequential RESP2 client: enough for setup, INFO polling and the mutation rounds. */
class Client {
  private buf = Buffer.alloc(0);
  private readonly queue: Array<(r: Resp) => void> = [];

  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (c) => {
      this.buf = this.buf.length === 0 ? c : Buffer.concat([this.buf, c]);
      for (;;) {
        const r = parse(this.buf, 0);
        if (r === null) break;
        this.buf = this.buf.subarray(r[1]);
        this.queue.shift()!(r[0]);
      }
    });
  }

  static async connect(port: number): Promise<Client> {
    const s = net.connect(port, '127.0.0.1');
    s.setNoDelay(true);
    await new Promise<void>((res, rej) => { s.once('connect', res); s.once('error', rej); });
    return new Client(s);
  }

  /** Sends all commands in one write; resolves with every reply. */
  pipeline(cmds: Array<Array<string | number>>): Promise<Resp[]> {
    let s = '';
    for (const c of cmds) {
      s += `*${c.length}\r\n`;
      for (const a of c) {
        const t = String(a);
        s += `$${Buffer.byteLength(t, 'latin1')}\r\n${t}\r\n`;
      }
    }
    const all = cmds.map(() => new Promise<Resp>((r) => this.queue.push(r)));
    this.sock.write(Buffer.from(s, 'latin1'));
    return Promise.all(all);
  }

  async call(...c: Array<string | number>): Promise<Resp> {
    const [r] = await this.pipeline([c]);
    if (r instanceof Error) throw r;
    return r!;
  }

  close(): void {
    this.sock.destroy();
  }
}

function parse(b: Buffer, at: number): [Resp, number] | null {
  const nl = b.indexOf('\r\n', at);
  if (nl < 0) return null;
  const line = b.toString('latin1', at + 1, nl);
  switch (b[at]) {
    case 0x2b: return [line, nl + 2];
    case 0x2d: return [new Error(line), nl + 2];
    case 0x3a: return [Number(line), nl + 2];
    case 0x24: {
      const n = Number(line);
      if (n < 0) return [null, nl + 2];
      if (b.length < nl + 2 + n + 2) return null;
      return [b.toString('latin1', nl + 2, nl + 2 + n), nl + 2 + n + 2];
    }
    case 0x2a: {
      const n = Number(line);
      const out: Resp[] = [];
      let p = nl + 2;
      for (let i = 0; i < n; i++) {
        const r = parse(b, p);
        if (r === null) return null;
        out.push(r[0]);
        p = r[1];
      }
      return [out, p];
    }
    default: throw new Error(`bad reply byte ${b[at]}`);
  }
}

function infoField(info: string, name: string): string {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(info);
  return m ? m[1]!.trim() : '';
}

// ---- servers --------------------------------------------------------------------------



type Kind = 'tessera' | 'redis';

async function start(kind: Kind, bin: string, port: number, dir: string): Promise<ChildProcess> {
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '',
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--auto-aof-rewrite-percentage', '0',
    '--enable-debug-command', 'yes',
  ];
  const p = kind === 'tessera'
    ? spawn(process.execPath, [bin, ...args], { stdio: 'ignore' })
    : spawn('redis-server', args, { stdio: 'ignore' });
  await waitPort(port);
  await new Promise((r) => setTimeout(r, 300));
  return p;
}

// ---- the dataset and what the snapshot must contain ------------------------------------

interface Expected { value: RdbValue; expireAt: number }

function listItems(i: number): string[] {
  return Array.from({ length: LIST_LEN }, (_, j) => `item:${i}:${j}`);
}

function hashEntries(i: number): Array<[string, string]> {
  return Array.from({ length: HASH_FIELDS }, (_, j) => [`f${j}`, `v:${i}:${j}`] as [string, string]);
}

async function run(c: Client, cmds: Array<Array<string | number>>): Promise<void> {
  for (let i = 0; i < cmds.length; i += 500) {
    for (const r of await c.pipeline(cmds.slice(i, i + 500))) if (r instanceof Error) throw r;
  }
}

/** Lists, hashes and TTL keys number < n back to their initial contents. */
function restoreAggregates(n: number, ttlBase: number): Array<Array<string | number>> {
  const cmds: Array<Array<string | number>> = [];
  for (let i = 0; i < Math.min(n, LISTS); i++) cmds.push(['DEL', `list:${i}`], ['RPUSH', `list:${i}`, ...listItems(i)]);
  for (let i = 0; i < Math.min(n, HASHES); i++) cmds.push(['DEL', `hash:${i}`], ['HSET', `hash:${i}`, ...hashEntries(i).flat()]);
  for (let i = 0; i < Math.min(n, TTLS); i++) cmds.push(['SET', `ttl:${i}`, `t:${i}`, 'PXAT', ttlBase + i]);
  return cmds;
}

async function load(c: Client, keys: number, ttlBase: number): Promise<void> {
  await c.call('DEBUG', 'POPULATE', keys);
  await run(c, restoreAggregates(Math.max(LISTS, HASHES, TTLS), ttlBase));
}

/**
 * Round r of changes to keys that existed when the job started: every kind of change a
 * snapshot must undo (overwrite, delete, in-place list/hash mutation, TTL set/cleared).
 */
function mutations(r: number, keys: number): Array<Array<string | number>> {
  const cmds: Array<Array<string | number>> = [];
  const span = Math.floor(keys / 4);
  for (let j = 0; j < ROUND; j++) {
    const k = (r * ROUND + j) % span;
    cmds.push(['SET', `key:${k}`, 'changed']);
    cmds.push(['DEL', `key:${span + k}`]);
    cmds.push(['PEXPIRE', `key:${2 * span + k}`, 3_600_000]);
  }
  cmds.push(['RPUSH', `list:${r % LISTS}`, 'extra'], ['LPOP', `list:${r % LISTS}`]);
  cmds.push(['HSET', `hash:${r % HASHES}`, 'f0', 'changed', 'new', 'x'], ['HDEL', `hash:${r % HASHES}`, 'f1']);
  cmds.push(['PERSIST', `ttl:${r % TTLS}`]);
  return cmds;
}

/** Undoes rounds 0..rounds-1, so the next job starts from the loaded dataset again. */
async function restore(c: Client, rounds: number, keys: number, ttlBase: number): Promise<void> {
  const span = Math.floor(keys / 4);
  const cmds: Array<Array<string | number>> = [];
  for (let k = 0; k < Math.min(span, rounds * ROUND); k++) {
    for (const i of [k, span + k, 2 * span + k]) cmds.push(['SET', `key:${i}`, `value:${i}`]);
  }
  await run(c, [...cmds, ...restoreAggregates(rounds, ttlBase)]);
}

function sameValue(a: RdbValue, b: RdbValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.type === 'list' && b.type === 'list') return a.items.join('\n') === b.items.join('\n');
  if (a.type === 'hash' && b.type === 'hash') {
    const s = (e: Array<[string, string]>) => e.map(([f, v]) => `${f}=${v}`).sort().join('\n');
    return s(a.entries) === s(b.entries);
  }
  return false;
}

interface Check { ok: boolean; problems: string[]; keys: number; writerKeys: number }

/**
 * The file against the start-time dataset: the loaded keys exactly as loaded; keys of
 * finished writers exactly seq 0..n-1; keys of the running writers a gap-free prefix.
 */
function checkDump(file: string, keys: number, ttlBase: number, running: string[], finished: Map<string, number>): Check {
  const problems: string[] = [];
  const rdb = readRdb(readFileSync(file));
  const recs = rdb.dbs.get(0) ?? [];
  const seen = new Set<string>();
  const maxSeq = new Map<string, number>();
  const seqCount = new Map<string, number>();
  const bad = (s: string) => { if (problems.length < 10) problems.push(s); };
  let writerKeys = 0;
  for (const rec of recs) {
    if (seen.has(rec.key)) bad(`duplicate key ${rec.key}`);
    seen.add(rec.key);
    const colon = rec.key.indexOf(':');
    const prefix = rec.key.slice(0, colon);
    const n = Number(rec.key.slice(colon + 1));
    if (running.includes(prefix) || finished.has(prefix)) {
      writerKeys++;
      if (rec.value !== String(n)) bad(`${rec.key} = ${String(rec.value)}`);
      maxSeq.set(prefix, Math.max(maxSeq.get(prefix) ?? -1, n));
      seqCount.set(prefix, (seqCount.get(prefix) ?? 0) + 1);
      continue;
    }
    const want = expectedOf(prefix, n, keys, ttlBase);
    if (want === null) {
      bad(`unexpected key ${rec.key}`);
      continue;
    }
    if (!sameValue(rec.value, want.value)) bad(`${rec.key}: value is not the start value`);
    // readRdb says -1 for "no TTL".
    const exp = rec.expireAt > 0 ? rec.expireAt : 0;
    if (exp !== want.expireAt) bad(`${rec.key}: expireAt ${exp} != ${want.expireAt}`);
  }
  const known = keys + LISTS + HASHES + TTLS;
  if (recs.length - writerKeys !== known) bad(`${recs.length - writerKeys} pre-existing keys, want ${known}`);
  for (const p of running) {
    // Sequential writes: a point-in-time cut holds seq 0..m-1 for some m, with no gap.
    const m = (maxSeq.get(p) ?? -1) + 1;
    if ((seqCount.get(p) ?? 0) !== m) bad(`writer ${p}: ${seqCount.get(p) ?? 0} keys but max seq ${m - 1} (a gap)`);
  }
  for (const [p, n] of finished) {
    if ((seqCount.get(p) ?? 0) !== n || (maxSeq.get(p) ?? -1) !== n - 1) bad(`writer ${p}: ${seqCount.get(p) ?? 0} keys, want ${n}`);
  }
  return { ok: problems.length === 0, problems, keys: recs.length, writerKeys };
}

function expectedOf(prefix: string, n: number, keys: number, ttlBase: number): Expected | null {
  if (!Number.isInteger(n) || n < 0) return null;
  switch (prefix) {
    case 'key': return n < keys ? { value: `value:${n}`, expireAt: 0 } : null;
    case 'list': return n < LISTS ? { value: { type: 'list', items: listItems(n) }, expireAt: 0 } : null;
    case 'hash': return n < HASHES ? { value: { type: 'hash', entries: hashEntries(n) }, expireAt: 0 } : null;
    case 'ttl': return n < TTLS ? { value: `t:${n}`, expireAt: ttlBase + n } : null;
    default: return null;
  }
}

// ---- measuring ------------------------------------------------------------------------

interface Stall {
  samples: number;
  max: number;
  p99: number;
  /** When the worst PING was sent, ms after the window opened. */
  maxAt: number;
}

function stall(pairs: Float64Array, from: number, to: number): Stall {
  const rtts: number[] = [];
  let maxAt = NaN;
  let max = -1;
  for (let i = 0; i < pairs.length; i += 2) {
    const sent = pairs[i]!;
    const rtt = pairs[i + 1]!;
    // Any PING whose wait overlaps the window counts.
    if (sent + rtt >= from && sent <= to) {
      rtts.push(rtt);
      if (rtt > max) {
        max = rtt;
        maxAt = sent - from;
      }
    }
  }
  rtts.sort((a, b) => a - b);
  if (rtts.length === 0) return { samples: 0, max: NaN, p99: NaN, maxAt };
  return { samples: rtts.length, max: rtts[rtts.length - 1]!, p99: rtts[Math.min(rtts.length - 1, Math.floor(0.99 * rtts.length))]!, maxAt };
}

type Job = 'BGSAVE' | 'BGREWRITEAOF';

interface JobResult {
  job: Job;
  /** Round trip of the BGSAVE / BGREWRITEAOF command itself: the start step. */
  replyMs: number;
  baseline: Stall;
  during: Stall;
  ms: number;
  writes: number;
  forkUs: number | null;
  check: Check | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Session {
  /** Writers of earlier phases and how many keys each left. */
  private readonly finished = new Map<string, number>();
  private phase = 0;

  constructor(
    private readonly kind: Kind,
    private readonly port: number,
    private readonly c: Client,
    private readonly keys: number,
    private readonly dir: string,
    private readonly ttlBase: number,
  ) {}

  async run(job: Job): Promise<JobResult> {
    const { kind, port, c, keys } = this;
    const prefixes = [`w${this.phase}a`, `w${this.phase}b`];
    this.phase++;
    const probe = new Thread<Float64Array>({ role: 'probe', port });
    const writer = new Thread<number[]>({ role: 'writer', port, prefixes, batch: 32 });
    // Load without a job first: the noise floor the job's numbers compare with.
    await sleep(400);
    const b0 = now();
    await sleep(1000);
    const b1 = now();
    const flag = job === 'BGSAVE' ? 'rdb_bgsave_in_progress' : 'aof_rewrite_in_progress';
    const t0 = now();
    const reply = await c.call(job);
    const replyMs = now() - t0;
    if (typeof reply !== 'string' || !/started/.test(reply)) throw new Error(`${kind} ${job}: ${String(reply)}`);
    let rounds = 0;
    let t1 = 0;
    for (;;) {
      const [info] = await c.pipeline([['INFO', 'persistence'], ...mutations(rounds++, keys)]);
      if (typeof info === 'string' && infoField(info, flag) === '0' && infoField(info, 'aof_rewrite_scheduled') !== '1') {
        t1 = now();
        break;
      }
      if (now() - t0 > MAX_JOB_MS) throw new Error(`${kind} ${job} did not finish`);
      await sleep(20);
    }
    await sleep(200);
    const pairs = await probe.stop();
    const acked = await writer.stop();
    const stats = String(await c.call('INFO', 'stats'));
    const persistence = String(await c.call('INFO', 'persistence'));
    const status = infoField(persistence, job === 'BGSAVE' ? 'rdb_last_bgsave_status' : 'aof_last_bgrewrite_status');
    if (status !== 'ok') throw new Error(`${kind} ${job} failed: ${status}`);
    const fork = infoField(stats, 'latest_fork_usec');
    const check = job === 'BGSAVE' ? checkDump(path.join(this.dir, 'dump.rdb'), keys, this.ttlBase, prefixes, this.finished) : null;
    prefixes.forEach((p, i) => this.finished.set(p, acked[i]!));
    await restore(c, rounds, keys, this.ttlBase);
    return {
      job,
      replyMs,
      baseline: stall(pairs, b0, b1),
      during: stall(pairs, t0, t1),
      ms: t1 - t0,
      writes: acked.reduce((a, b) => a + b, 0),
      forkUs: kind === 'redis' && fork !== '' ? Number(fork) : null,
      check,
    };
  }
}

async function measure(kind: Kind, bin: string, keys: number, reps: number): Promise<JobResult[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `snap-${kind}-`));
  const port = await freePort();
  const p = await start(kind, bin, port, dir);
  const c = await Client.connect(port);
  try {
    const ttlBase = Date.now() + 86_400_000;
    await load(c, keys, ttlBase);
    const s = new Session(kind, port, c, keys, dir, ttlBase);
    const out: JobResult[] = [];
    for (let i = 0; i < reps; i++) {
      out.push(await s.run('BGSAVE'));
      out.push(await s.run('BGREWRITEAOF'));
    }
    return out;
  } finally {
    c.close();
    p.kill('SIGKILL');
    await new Promise((r) => p.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)]!;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const keys = Number(arg('keys') ?? (quick ? 200_000 : 1_000_000));
  const reps = Number(arg('reps') ?? (quick ? 1 : 3));
  const bin = path.resolve(arg('bin') ?? BIN);
  const haveRedis = spawnSync('sh', ['-c', 'command -v redis-server']).status === 0;
  const kinds = (arg('servers') ?? 'tessera,redis').split(',').filter((k): k is Kind => k === 'tessera' || (k === 'redis' && haveRedis));
  console.log(`Snapshots under write load: ${keys.toLocaleString('en-US')} keys + ${LISTS} lists, ${HASHES} hashes, ${TTLS} keys with a TTL; ${reps} run(s) per job; ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), load average ${os.loadavg()[0]!.toFixed(1)}`);
  console.log('');
  const ms = (x: number) => (Number.isNaN(x) ? 'n/a' : x.toFixed(1));
  const range = (xs: number[]) => (xs.length === 1 ? ms(xs[0]!) : `${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`);
  console.log('| server | job | start: job reply ms | worst PING ms during job | p99 PING ms during job | worst / p99 ms, load only | job ms | fork ms | writes acked per job | dump.rdb = dataset at start |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  let failed = false;
  const all: Array<[Kind, JobResult[]]> = [];
  for (const kind of kinds) {
    const results = await measure(kind, bin, keys, reps);
    all.push([kind, results]);
    for (const job of ['BGSAVE', 'BGREWRITEAOF'] as const) {
      const rs = results.filter((r) => r.job === job);
      const checks = rs.map((r) => r.check).filter((c): c is Check => c !== null);
      const badCheck = checks.find((c) => !c.ok);
      if (badCheck) failed = true;
      const check = checks.length === 0 ? 'n/a' : badCheck ? `**NO**: ${badCheck.problems.join('; ')}` : `yes, ${checks.length}/${checks.length} (${checks[0]!.keys.toLocaleString('en-US')} keys)`;
      const fork = rs.map((r) => r.forkUs).filter((f): f is number => f !== null).map((f) => f / 1000);
      console.log(`| ${kind} | ${job} | ${range(rs.map((r) => r.replyMs))} | **${range(rs.map((r) => r.during.max))}** | ${range(rs.map((r) => r.during.p99))} | ${ms(median(rs.map((r) => r.baseline.max)))} / ${ms(median(rs.map((r) => r.baseline.p99)))} | ${Math.round(median(rs.map((r) => r.ms)))} | ${fork.length ? range(fork) : '-'} | ${Math.round(median(rs.map((r) => r.writes))).toLocaleString('en-US')} | ${check} |`);
    }
  }
  console.log('');
  for (const [kind, rs] of all) {
    const at = rs.map((r) => `${r.job} ${ms(r.during.max)} ms at +${Math.round(r.during.maxAt)} of ${Math.round(r.ms)} ms`);
    console.log(`- ${kind}, worst PING of each run and when it was sent (ms after the job command): ${at.join('; ')}`);
  }
  console.log('');
  console.log('Median of the runs, (min–max) when several. Worst PING: the longest round trip of a PING sent back to back on an idle connection while the job ran, under the write load; load only: the same in the second before the job.');
  if (failed) process.exitCode = 1;
}

if (isMainThread) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
} else {
  const d = workerData as ProbeData | WriterData;
  if (d.role === 'probe') runProbe(d);
  else runWriter(d);
}

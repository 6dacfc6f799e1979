/**
 * Differential tester, runner: executes one command sequence in lock step against a
 * reference server (real Redis) and a candidate (Tessera, or a second Redis when the tester
 * checks itself), compares every reply under normalize.ts's rules, then compares the whole
 * dataset. Also spawns redis-server for a run and drives fast-check over many sequences,
 * turning a shrunk failure into a printable reproducer.
 *
 * Invariants: each sequence starts from FLUSHALL on both servers with fresh client
 * connections; both servers always receive the same resolved argv for a step; the state the
 * runner tracks per client (selected db, queued MULTI commands) follows the REFERENCE's
 * replies. Imports only the other test/diff modules, node built-ins and fast-check.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import fc from 'fast-check';
import { RespConn, formatArgv, formatReply, type Reply } from './resp.js';
import { resolveArgv, type Step } from './gen.js';
import {
  compareDatasets, compareReplies, fullScan, normalized, readDataset, ruleFor, spopFixup, takeSnapshot, type Call,
} from './normalize.js';

export interface Endpoint {
  name: string;
  port: number;
}

export interface TranscriptLine {
  c: number;
  argv: string[];
  ref: Reply;
  cand: Reply;
  /** Set on the line where the replies diverged. */
  why?: string;
  /** Extra commands the runner sent to keep the servers in step (SPOP fix-ups). */
  note?: string;
  /** Sent in the background; its reply was collected later. */
  bg?: boolean;
}

interface Pending {
  line: TranscriptLine;
  idx: number;
  pa: Promise<Reply>;
  pb: Promise<Reply>;
  doneA: () => boolean;
  doneB: () => boolean;
}

/** A promise plus a flag saying whether it settled; never rejects unobserved. */
function tracked(p: Promise<Reply>): { p: Promise<Reply>; done: () => boolean } {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  return { p, done: () => settled };
}

async function blockedClients(c: RespConn): Promise<number> {
  const r = await c.call(['INFO', 'clients']);
  const m = r.t === 'bulk' || r.t === 'verbatim' ? /blocked_clients:(\d+)/.exec(r.v) : null;
  return m ? Number(m[1]) : -1;
}

export type Outcome =
  | { ok: true; transcript: TranscriptLine[] }
  | { ok: false; transcript: TranscriptLine[]; reason: string; at: number };

export interface RunnerOptions {
  /** 2 or 3: clients send HELLO 3 first when 3. */
  resp?: 2 | 3;
  timeoutMs?: number;
}

interface ClientState {
  db: number;
  multi: string[][] | null;
}

function isSimple(r: Reply, text: string): boolean {
  return r.t === 'simple' && r.v === text;
}

/** Lock-steps sequences against two servers. */
export class DiffRunner {
  private ctlRef: RespConn | null = null;
  private ctlCand: RespConn | null = null;
  private readonly resp: 2 | 3;
  private readonly timeoutMs: number;

  constructor(readonly ref: Endpoint, readonly cand: Endpoint, opts: RunnerOptions = {}) {
    this.resp = opts.resp ?? 2;
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  /** Control connections (RESP2, used for FLUSHALL, snapshots, dataset reads, fix-ups). */
  private async controls(): Promise<[RespConn, RespConn]> {
    if (!this.ctlRef) this.ctlRef = await RespConn.open(this.ref.port, this.timeoutMs);
    if (!this.ctlCand) this.ctlCand = await RespConn.open(this.cand.port, this.timeoutMs);
    return [this.ctlRef, this.ctlCand];
  }

  private dropControls(): void {
    this.ctlRef?.close();
    this.ctlCand?.close();
    this.ctlRef = this.ctlCand = null;
  }

  close(): void {
    this.dropControls();
  }

  async run(steps: readonly Step[]): Promise<Outcome> {
    const transcript: TranscriptLine[] = [];
    const clients: Array<[RespConn, RespConn]> = [];
    try {
      return await this.runInner(steps, transcript, clients);
    } catch (e) {
      // A timeout or dropped connection: the control connections may be out of sync too.
      this.dropControls();
      return { ok: false, transcript, reason: `tester/connection failure: ${(e as Error).message}`, at: transcript.length };
    } finally {
      for (const [a, b] of clients) {
        a.close();
        b.close();
      }
    }
  }

  private async runInner(steps: readonly Step[], transcript: TranscriptLine[], clients: Array<[RespConn, RespConn]>): Promise<Outcome> {
    const [ctlRef, ctlCand] = await this.controls();
    const [fr, fc2] = await Promise.all([ctlRef.call(['FLUSHALL']), ctlCand.call(['FLUSHALL'])]);
    if (!isSimple(fr, 'OK') || !isSimple(fc2, 'OK')) throw new Error(`FLUSHALL failed: ${formatReply(fr)} / ${formatReply(fc2)}`);
    const n = steps.reduce((m, s) => Math.max(m, s.c + 1), 1);
    for (let i = 0; i < n; i++) {
      const pair = await Promise.all([RespConn.open(this.ref.port, this.timeoutMs), RespConn.open(this.cand.port, this.timeoutMs)]);
      clients.push(pair);
      if (this.resp === 3) {
        const [a, b] = await Promise.all(pair.map((c) => c.call(['HELLO', '3'])));
        if (a!.t !== 'map' || b!.t !== 'map') {
          transcript.push({ c: i, argv: ['HELLO', '3'], ref: a!, cand: b!, why: 'HELLO 3 did not return a map' });
          return { ok: false, transcript, reason: 'HELLO 3 failed', at: transcript.length - 1 };
        }
      }
    }
    const state: ClientState[] = clients.map(() => ({ db: 0, multi: null }));

    let ctlDb = 0;
    const selectCtl = async (db: number): Promise<void> => {
      if (ctlDb === db) return;
      await Promise.all([ctlRef.call(['SELECT', String(db)]), ctlCand.call(['SELECT', String(db)])]);
      ctlDb = db;
    };

    const pending = new Map<number, Pending>();
    const ids: Array<[string, string]> = [];
    if (steps.some((s) => s.bg)) {
      for (const [a, b] of clients) {
        const [x, y] = await Promise.all([a.call(['CLIENT', 'ID']), b.call(['CLIENT', 'ID'])]);
        ids.push([x.t === 'int' ? x.v : '', y.t === 'int' ? y.v : '']);
      }
    }
    const settle = async (c: number): Promise<Outcome | null> => {
      const p = pending.get(c);
      if (!p) return null;
      pending.delete(c);
      // A block still waiting is released as if it timed out (CLIENT UNBLOCK ... TIMEOUT
      // gives the timeout reply), instead of waiting out its timeout: nothing else runs
      // meanwhile, so the outcome is the same.
      const [ia, ib] = ids[c] ?? [];
      const unblock = async (done: boolean, ctl: RespConn, id: string | undefined): Promise<void> => {
        if (!done && id) await ctl.call(['CLIENT', 'UNBLOCK', id, 'TIMEOUT']);
      };
      await Promise.all([unblock(p.doneA(), ctlRef, ia), unblock(p.doneB(), ctlCand, ib)]);
      const [a, b] = await Promise.all([p.pa, p.pb]);
      p.line.ref = a;
      p.line.cand = b;
      const v = compareReplies(p.line.argv, a, b);
      if (v.ok) return null;
      p.line.why = `${v.why ?? 'replies differ'} (reply of a background command)`;
      return { ok: false, transcript, reason: p.line.why, at: p.idx };
    };

    for (const step of steps) {
      const earlier = await settle(step.c);
      if (earlier) return earlier;
      const [cr, cc] = clients[step.c]!;
      const st = state[step.c]!;
      const argv = resolveArgv(step.argv, Date.now());
      const name = (argv[0] ?? '').toUpperCase();
      const rule = ruleFor(argv);
      const line: TranscriptLine = { c: step.c, argv, ref: { t: 'null', v: '$' }, cand: { t: 'null', v: '$' } };
      transcript.push(line);
      const fail = (why: string): Outcome => {
        line.why = why;
        return { ok: false, transcript, reason: why, at: transcript.length - 1 };
      };

      if (step.bg && !st.multi) {
        // Send, then wait until each server has either answered or parked the client, so
        // the next step (often a push from another client) finds it blocked on both.
        const [ba, bb] = await Promise.all([blockedClients(ctlRef), blockedClients(ctlCand)]);
        const ta = tracked(cr.call(argv));
        const tb = tracked(cc.call(argv));
        line.bg = true;
        pending.set(step.c, { line, idx: transcript.length - 1, pa: ta.p, pb: tb.p, doneA: ta.done, doneB: tb.done });
        for (let i = 0; i < 500; i++) {
          const [na, nb] = await Promise.all([ta.done() ? ba + 1 : blockedClients(ctlRef), tb.done() ? bb + 1 : blockedClients(ctlCand)]);
          if (na > ba && nb > bb) break;
          await new Promise((r) => setTimeout(r, 1));
        }
        continue;
      }

      if (st.multi) {
        const [a, b] = await Promise.all([cr.call(argv), cc.call(argv)]);
        line.ref = a;
        line.cand = b;
        // EXEC always leaves MULTI (with a wrong arity Redis aborts the transaction);
        // DISCARD only when well-formed.
        const ends = name === 'EXEC' || (argv.length === 1 && name === 'DISCARD');
        if (!ends) {
          if (!compareReplies(['QUEUE'], a, b).ok) return fail('replies differ while queueing');
          if (isSimple(a, 'QUEUED')) st.multi.push(argv);
          continue;
        }
        const queued = st.multi;
        st.multi = null;
        if (name === 'DISCARD' || a.t !== 'array' || b.t !== 'array' || a.v.length !== b.v.length || a.v.length !== queued.length) {
          const v = compareReplies(argv, a, b);
          if (!v.ok) return fail(`${name} replies differ`);
          continue;
        }
        for (let i = 0; i < queued.length; i++) {
          const v = compareReplies(queued[i]!, a.v[i]!, b.v[i]!, { inExec: true });
          if (!v.ok) return fail(`EXEC element ${i + 1} (${formatArgv(queued[i]!)}): ${v.why}`);
          const q = queued[i]!;
          if (q[0]?.toUpperCase() === 'SELECT' && isSimple(a.v[i]!, 'OK')) st.db = Number(q[1]);
        }
        continue;
      }

      if (rule === 'scan') {
        const [a, b] = await Promise.all([fullScan((x) => cr.call(x), argv), fullScan((x) => cc.call(x), argv)]);
        line.ref = a;
        line.cand = b;
        const v = compareReplies(argv, a, b);
        if (!v.ok) return fail(`${v.why} (full-iteration union)`);
        continue;
      }

      if (rule === 'random') {
        await selectCtl(st.db);
        const [sa, sb] = await Promise.all([takeSnapshot((x) => ctlRef.call(x), argv), takeSnapshot((x) => ctlCand.call(x), argv)]);
        const [a, b] = await Promise.all([cr.call(argv), cc.call(argv)]);
        line.ref = a;
        line.cand = b;
        const v = compareReplies(argv, a, b, { snapRef: sa, snapCand: sb });
        if (!v.ok) return fail(v.why ?? 'random replies differ');
        const fix = spopFixup(argv, a, b);
        if (fix.length) {
          for (const f of fix) await ctlCand.call(f);
          line.note = `runner re-synced the candidate: ${fix.map((f) => formatArgv(f)).join('; ')}`;
        }
        continue;
      }

      const [a, b] = await Promise.all([cr.call(argv), cc.call(argv)]);
      line.ref = a;
      line.cand = b;
      const v = compareReplies(argv, a, b);
      if (!v.ok) return fail(v.why ?? 'replies differ');
      if (argv.length === 1 && name === 'MULTI' && isSimple(a, 'OK')) st.multi = [];
      if (name === 'SELECT' && isSimple(a, 'OK')) st.db = Number(argv[1]);
    }

    for (const c of [...pending.keys()].sort()) {
      const f = await settle(c);
      if (f) return f;
    }
    await selectCtl(0);
    const [da, db] = await Promise.all([readDataset((x) => ctlRef.call(x)), readDataset((x) => ctlCand.call(x))]);
    const diffs = compareDatasets(da, db);
    if (diffs.length) return { ok: false, transcript, reason: `dataset differs after the sequence:\n${diffs.join('\n')}`, at: -1 };
    return { ok: true, transcript };
  }
}

// ---------------------------------------------------------------------------------------
// reproducers

export function formatTranscript(out: Outcome, refName: string, candName: string): string {
  const lines: string[] = [];
  const w = Math.max(refName.length, candName.length);
  out.transcript.forEach((t, i) => {
    const rule = ruleFor(t.argv);
    const mark = !out.ok && out.at === i ? '!!' : '  ';
    lines.push(`${mark} c${t.c}> ${formatArgv(t.argv)}`);
    const pad = ' '.repeat(w + 8);
    const showRef = normalized(rule, t.ref);
    const showCand = normalized(rule, t.cand);
    lines.push(`     ${refName.padEnd(w)}: ${formatReply(showRef, pad)}`);
    lines.push(`     ${candName.padEnd(w)}: ${formatReply(showCand, pad)}`);
    if (rule !== 'exact') lines.push(`     (compared under the '${rule}' rule${rule === 'scan' ? ': union of a full iteration' : ''})`);
    if (t.bg) lines.push('     (sent in the background: the replies above arrived after the later steps)');
    if (t.note) lines.push(`     (${t.note})`);
    if (t.why) lines.push(`     ^^ ${t.why}`);
  });
  if (!out.ok) lines.push(`=> ${out.reason}`);
  return lines.join('\n');
}

/** redis-cli lines that replay a sequence by hand (clients other than 0 marked). */
export function redisCliLines(steps: readonly Step[], port = 6379): string {
  const now = Date.now();
  return steps
    .map((s) => `${s.c === 0 ? '' : `# client ${s.c}${s.bg ? ', in the background' : ''}: `}redis-cli -p ${port} ${formatArgv(resolveArgv(s.argv, now))}${s.bg ? ' &' : ''}`)
    .join('\n');
}

// ---------------------------------------------------------------------------------------
// real redis-server

export interface RedisProcess {
  port: number;
  proc: ChildProcess;
  /** Null while running; otherwise how it ended and the tail of its stderr. */
  exitInfo(): string | null;
  stop(): Promise<void>;
}

export function haveRedis(bin = 'redis-server'): boolean {
  return spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** Picks a free port in [lo, hi], starting at a random offset so parallel runs spread out. */
export async function pickPort(lo: number, hi: number, avoid: ReadonlySet<number> = new Set()): Promise<number> {
  const span = hi - lo + 1;
  const start = Math.floor(Math.random() * span);
  for (let i = 0; i < span; i++) {
    const p = lo + ((start + i) % span);
    if (!avoid.has(p) && (await portFree(p))) return p;
  }
  throw new Error(`no free port in ${lo}-${hi}`);
}

export const PORT_LO = 21500;
export const PORT_HI = 21599;

/** Starts a throwaway redis-server (no persistence) and waits until it answers PING. */
export async function startRedis(avoid: ReadonlySet<number> = new Set(), bin = 'redis-server'): Promise<RedisProcess> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await pickPort(PORT_LO, PORT_HI, avoid);
    const proc = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    proc.stderr!.on('data', (d) => (err += String(d)));
    const deadline = Date.now() + 10000;
    while (Date.now() < deadline && proc.exitCode === null) {
      try {
        const c = await RespConn.open(port, 2000);
        const r = await c.call(['PING']);
        c.close();
        if (r.t === 'simple') {
          return {
            port,
            proc,
            exitInfo: () => (proc.exitCode === null && proc.signalCode === null ? null : `redis-server on port ${port} exited (code ${proc.exitCode}, signal ${proc.signalCode}) ${err.slice(-2000)}`),
            stop: () =>
              new Promise<void>((resolve) => {
                if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
                proc.once('exit', () => resolve());
                proc.kill('SIGKILL');
              }),
          };
        }
      } catch {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    proc.kill('SIGKILL');
    if (attempt === 4) throw new Error(`redis-server did not start: ${err}`);
  }
  throw new Error('unreachable');
}

// ---------------------------------------------------------------------------------------
// property runs

export interface PassOptions {
  label: string;
  arb: fc.Arbitrary<Step[]>;
  runner: DiffRunner;
  runs: number;
  seed: number;
  path?: string;
  /** Stop shrinking after this long (ms); the best case so far is reported. */
  shrinkBudgetMs?: number;
  refName?: string;
  candName?: string;
}

export interface PassResult {
  ok: boolean;
  runs: number;
  seed: number;
  report?: string;
  counterexample?: Step[];
}

/** Runs one property pass; on failure, re-runs the shrunk sequence and builds a reproducer. */
export async function runPass(o: PassOptions): Promise<PassResult> {
  // Once the shrink budget is spent every further run "passes", so fast-check stops
  // shrinking and reports the smallest failing sequence found so far.
  let firstFailure = 0;
  const budget = o.shrinkBudgetMs ?? Infinity;
  const prop = fc.asyncProperty(o.arb, async (steps) => {
    if (firstFailure && Date.now() - firstFailure > budget) return true;
    const ok = (await o.runner.run(steps)).ok;
    if (!ok && !firstFailure) firstFailure = Date.now();
    return ok;
  });
  const details = await fc.check(prop, { numRuns: o.runs, seed: o.seed, ...(o.path ? { path: o.path } : {}) });
  if (!details.failed || !details.counterexample) {
    return { ok: !details.failed, runs: details.numRuns, seed: o.seed, ...(details.failed ? { report: `${o.label}: failed without a counterexample: ${String(details.errorInstance)}` } : {}) };
  }
  const [shrunk] = details.counterexample;
  const steps = await minimize(o.runner, shrunk, o.shrinkBudgetMs ?? 60000);
  const again = await o.runner.run(steps);
  const refName = o.refName ?? 'redis';
  const candName = o.candName ?? 'tessera';
  const report = [
    `DIVERGENCE ${o.label}`,
    `seed ${o.seed}, path ${JSON.stringify(details.counterexamplePath)}, ${details.numShrinks} shrinks, after ${details.numRuns} sequences`,
    again.ok ? '(the shrunk sequence passed when re-run: the divergence is timing-dependent)' : '',
    `minimal sequence (${steps.length} steps):`,
    formatTranscript(again, refName, candName),
    'as redis-cli lines:',
    redisCliLines(steps),
    'as a regression case (steps):',
    stepsSource(steps),
  ]
    .filter((l) => l !== '')
    .join('\n');
  return { ok: false, runs: details.numRuns, seed: o.seed, report, counterexample: steps };
}

/** What kind of failure an outcome is, so minimization keeps chasing the same one. */
function signature(out: Outcome): string {
  if (out.ok) return '';
  if (out.at < 0) return 'dataset';
  const line = out.transcript[out.at];
  return `${(line?.argv[0] ?? '').toUpperCase()}|${out.reason.split('\n')[0]}`;
}

/**
 * Greedy one-step-at-a-time deletion after fast-check's shrinking (which mostly drops
 * leading steps): keeps a deletion when the sequence still fails the same way.
 */
export async function minimize(runner: DiffRunner, steps: Step[], budgetMs: number): Promise<Step[]> {
  const deadline = Date.now() + budgetMs;
  const first = await runner.run(steps);
  const sig = signature(first);
  if (!sig) return steps;
  let cur = steps;
  for (let changed = true; changed && Date.now() < deadline; ) {
    changed = false;
    for (let i = cur.length - 1; i >= 0 && cur.length > 1 && Date.now() < deadline; i--) {
      const cand = cur.slice(0, i).concat(cur.slice(i + 1));
      if (signature(await runner.run(cand)) === sig) {
        cur = cand;
        changed = true;
      }
    }
  }
  return cur;
}

/** Steps as TypeScript source with every non-printable byte escaped. */
export function stepsSource(steps: readonly Step[]): string {
  const str = (a: string): string => {
    let out = "'";
    for (const ch of a) {
      const c = ch.charCodeAt(0);
      if (ch === "'" || ch === '\\') out += '\\' + ch;
      else if (c < 0x20 || c > 0x7e) out += '\\x' + c.toString(16).padStart(2, '0');
      else out += ch;
    }
    return out + "'";
  };
  const arg = (a: Step['argv'][number]): string => (typeof a === 'string' ? str(a) : 'dur' in a ? str(String(a.v)) : `{ at: '${a.at}', d: ${a.d} }`);
  return '[\n' + steps.map((s) => `  { c: ${s.c}, argv: [${s.argv.map(arg).join(', ')}]${s.bg ? ', bg: true' : ''} },`).join('\n') + '\n]';
}

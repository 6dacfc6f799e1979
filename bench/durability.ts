/**
 * Durability benchmark: SET throughput and latency with the AOF on, per appendfsync
 * policy, for Tessera and redis-server configured the same way, side by side.
 *
 *   npx tsc -p . && node dist/bench/durability.js [--requests N] [--clients 1,50] [--policies always,everysec,no,off]
 *
 * (`off` is the baseline: appendonly no.)
 *
 * Each run gets a fresh temp directory (appendonly yes, aof-use-rdb-preamble yes, no
 * save points) and a warm-up pass that is not counted; servers alternate per row so
 * both see the same machine state. Prints a Markdown table (docs/durability.md quotes it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitPort } from './common.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'tessera-server');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}



async function start(kind: 'tessera' | 'redis', port: number, dir: string, policy: string): Promise<ChildProcess> {
  const aof = policy === 'off' ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', policy];
  const args = ['--port', String(port), '--save', '', ...aof, '--dir', dir, '--bind', '127.0.0.1'];
  const p = kind === 'tessera'
    ? spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' })
    : spawn('redis-server', args, { stdio: 'ignore' });
  await waitPort(port);
  // Let start-up work (base file creation, loading) settle.
  await new Promise((r) => setTimeout(r, 300));
  return p;
}

interface Row { rps: number; p50: number; p99: number }

function bench(port: number, n: number, clients: number): Row {
  const r = spawnSync('redis-benchmark', ['-p', String(port), '-c', String(clients), '-n', String(n), '-t', 'set', '-r', '100000', '--csv'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr}`);
  for (const line of r.stdout.split('\n')) {
    const cols = line.split(',').map((c) => c.replace(/"/g, ''));
    if (cols.length < 8 || cols[0] === 'test') continue;
    return { rps: parseFloat(cols[1]!), p50: parseFloat(cols[4]!), p99: parseFloat(cols[6]!) };
  }
  throw new Error(`no result: ${r.stdout}`);
}

async function measure(kind: 'tessera' | 'redis', policy: string, n: number, clients: number): Promise<Row> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `dur-${kind}-`));
  const port = await freePort();
  const p = await start(kind, port, dir, policy);
  try {
    // Warm-up (JIT for Tessera, page cache and file growth for both), not counted.
    bench(port, Math.max(1000, Math.floor(n / 4)), clients);
    return bench(port, n, clients);
  } finally {
    p.kill('SIGKILL');
    await new Promise((r) => p.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const n = Number(arg('requests') ?? 20000);
  const clientsList = (arg('clients') ?? '1,50').split(',').map(Number);
  const policies = (arg('policies') ?? 'always,everysec,no,off').split(',');
  const haveRedis = spawnSync('sh', ['-c', 'command -v redis-server']).status === 0;
  const fmt = (r: Row | null) => (r ? `${Math.round(r.rps).toLocaleString('en-US')} | ${r.p50.toFixed(3)} / ${r.p99.toFixed(3)}` : 'n/a | n/a');
  console.log(`SET, ${n} requests per row, redis-benchmark -t set -r 100000, ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'})`);
  console.log('');
  console.log('| appendfsync | clients | Tessera ops/s | Tessera p50 / p99 ms | Redis ops/s | Redis p50 / p99 ms | Tessera / Redis |');
  console.log('|---|---|---|---|---|---|---|');
  for (const policy of policies) {
    for (const clients of clientsList) {
      const t = await measure('tessera', policy, n, clients);
      const r = haveRedis ? await measure('redis', policy, n, clients) : null;
      const [tr, tl] = fmt(t).split(' | ');
      const [rr, rl] = fmt(r).split(' | ');
      const ratio = r ? (t.rps / r.rps).toFixed(2) : 'n/a';
      console.log(`| ${policy} | ${clients} | ${tr} | ${tl} | ${rr} | ${rl} | ${ratio} |`);
    }
  }
}

void main();

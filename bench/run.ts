/**
 * npm run bench: Tessera and real Redis side by side, in the same run.
 *
 * Starts our server (the real binary, in its own process) and, when installed, a real
 * redis-server with persistence off, then runs redis-benchmark against each, alternating
 * server per workload so both see the same machine state. Prints throughput, p50 and p99
 * for each and the Tessera/Redis throughput ratio.
 *
 * Options: --quick (fewer requests), --tests a,b,c, --requests N, --clients N,
 * --pipeline 1,16, --suite core|types|all.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitPort } from './common.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'tessera-server');

const SUITES: Record<string, string[]> = {
  core: ['ping_inline', 'ping_mbulk', 'set', 'get', 'incr', 'mset'],
  types: ['lpush', 'rpush', 'lpop', 'rpop', 'sadd', 'hset', 'spop', 'zadd', 'zpopmin', 'lrange_100', 'lrange_600'],
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Row { test: string; rps: number; p50: number; p99: number }



async function start(kind: 'tessera' | 'redis', port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--save', '', '--appendonly', 'no', '--bind', '127.0.0.1'];
  const p = kind === 'tessera'
    ? spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' })
    : spawn('redis-server', args, { stdio: 'ignore' });
  await waitPort(port);
  return p;
}

function bench(port: number, tests: string[], n: number, clients: number, pipeline: number): Row[] {
  const r = spawnSync('redis-benchmark', ['-p', String(port), '-c', String(clients), '-n', String(n), '-P', String(pipeline), '-t', tests.join(','), '--csv'], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`redis-benchmark failed: ${r.stderr}`);
  const rows: Row[] = [];
  for (const line of r.stdout.split('\n')) {
    const cols = line.split(',').map((c) => c.replace(/"/g, ''));
    if (cols.length < 8 || cols[0] === 'test') continue;
    rows.push({ test: cols[0]!, rps: parseFloat(cols[1]!), p50: parseFloat(cols[4]!), p99: parseFloat(cols[6]!) });
  }
  if (r.stderr.includes('ERR') || r.stdout.includes('ERR')) throw new Error(`redis-benchmark saw errors: ${r.stderr}${r.stdout}`);
  return rows;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const suite = arg('suite') ?? 'all';
  const tests = arg('tests')?.split(',') ?? (suite === 'all' ? [...SUITES.core!, ...SUITES.types!] : SUITES[suite]!);
  const n = Number(arg('requests') ?? (quick ? 20000 : 200000));
  const clients = Number(arg('clients') ?? 50);
  const pipelines = (arg('pipeline') ?? '1,16').split(',').map(Number);
  const haveRedis = spawnSync('sh', ['-c', 'command -v redis-server']).status === 0;
  if (spawnSync('sh', ['-c', 'command -v redis-benchmark']).status !== 0) {
    console.error('redis-benchmark not found: apt-get install redis-tools');
    process.exit(1);
  }
  const tPort = await freePort();
  const tessera = await start('tessera', tPort);
  const rPort = haveRedis ? await freePort() : 0;
  const redis = haveRedis ? await start('redis', rPort) : null;
  console.log(`redis-benchmark -c ${clients} -n ${n}; Tessera vs Redis ${haveRedis ? '7.0 (same run)' : '(not installed)'}`);
  console.log('P    test           tessera rps   p50 ms  p99 ms | redis rps    p50 ms  p99 ms | ratio');
  try {
    for (const P of pipelines) {
      for (const t of tests) {
        // LRANGE tests print a preparatory LPUSH row first: take the row for this test.
        const pick = (rows: Row[]) => rows.find((x) => x.test.toLowerCase().startsWith(t.toLowerCase().replace(/_inline|_mbulk/, ''))) ?? rows[rows.length - 1];
        const a = pick(bench(tPort, [t], n, clients, P));
        const b = redis ? pick(bench(rPort, [t], n, clients, P)) : undefined;
        if (!a) continue;
        const ratio = b ? (a.rps / b.rps).toFixed(2) : '-';
        console.log(`${String(P).padEnd(4)} ${a.test.padEnd(14)} ${a.rps.toFixed(0).padStart(11)} ${a.p50.toFixed(3).padStart(8)} ${a.p99.toFixed(3).padStart(7)} | ` +
          `${b ? b.rps.toFixed(0).padStart(10) : '-'.padStart(10)} ${b ? b.p50.toFixed(3).padStart(8) : ''} ${b ? b.p99.toFixed(3).padStart(7) : ''} | ${ratio}`);
      }
    }
  } finally {
    tessera.kill('SIGKILL');
    redis?.kill('SIGKILL');
  }
}

void main();

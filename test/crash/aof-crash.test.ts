/**
 * Crash tests on the real binary: concurrent writers, `kill -9` at a random moment,
 * restart on the same directory, and compare what comes back with what was
 * acknowledged. Each writer RPUSHes 1, 2, 3, ... to its own list, so the reloaded list
 * must be exactly 1..m with m at least the last acknowledged value (nothing lost) and
 * at most the last one sent (nothing invented, nothing doubled).
 *
 * `always` must lose nothing. `everysec` and `no` are measured and reported: a
 * SIGKILL leaves the page cache intact, so their data written before the reply
 * survives too; what they risk is an OS crash or power loss (see the fsync audit).
 */
import { expect } from 'chai';
import { openSync, readdirSync, ftruncateSync, closeSync, statSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { spawnServer, tmpDir, type Spawned } from '../helpers/server.js';
import { sleep } from '../integration/aof-util.js';

const CLIENT_OPTS = { maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, autoResendUnfulfilledCommands: false, lazyConnect: true } as const;

interface WriterStats {
  sent: number;
  acked: number;
  /** ackAt[v]: when the RPUSH of v was acknowledged (ms). */
  ackAt: number[];
}

/** Writers 0..n-2 wait for each reply; the last one pipelines bursts of 16. */
function startWriters(port: number, n: number): { stats: WriterStats[]; stop: () => Promise<void> } {
  const stats: WriterStats[] = Array.from({ length: n }, () => ({ sent: 0, acked: 0, ackAt: [] }));
  let running = true;
  const clients: Redis[] = [];
  const loops = stats.map(async (st, i) => {
    const c = new Redis(port, CLIENT_OPTS);
    clients.push(c);
    c.on('error', () => undefined);
    await c.connect();
    const pipelined = i === n - 1;
    try {
      while (running) {
        if (!pipelined) {
          const v = ++st.sent;
          await c.rpush(`w${i}`, String(v));
          st.ackAt[v] = Date.now();
          if (v > st.acked) st.acked = v;
        } else {
          const batch: Array<Promise<unknown>> = [];
          for (let k = 0; k < 16; k++) {
            const v = ++st.sent;
            batch.push(c.rpush(`w${i}`, String(v)).then(() => {
              st.ackAt[v] = Date.now();
              if (v > st.acked) st.acked = v;
            }));
          }
          await Promise.all(batch);
        }
      }
    } catch {
      // The server was killed: unanswered commands are simply not acknowledged.
    }
  });
  return {
    stats,
    stop: async () => {
      running = false;
      await Promise.allSettled(loops);
      for (const c of clients) c.disconnect();
    },
  };
}

interface Verdict {
  lost: number;
  extra: number;
  acked: number;
  /** Age at the kill of the oldest lost acknowledged write, ms (0 when none was lost). */
  window: number;
}

/** Checks every writer's list after the restart. */
async function verify(port: number, stats: WriterStats[], killedAt = 0): Promise<Verdict> {
  const r = new Redis(port);
  let lost = 0;
  let extra = 0;
  let acked = 0;
  let window = 0;
  try {
    for (let i = 0; i < stats.length; i++) {
      const got = (await r.lrange(`w${i}`, 0, -1)).map(Number);
      got.forEach((v, j) => expect(v, `writer ${i} position ${j}: no gaps, no doubles`).to.equal(j + 1));
      expect(got.length, `writer ${i}: never more than sent`).to.be.at.most(stats[i]!.sent);
      lost += Math.max(0, stats[i]!.acked - got.length);
      for (let v = got.length + 1; v <= stats[i]!.acked; v++) {
        const at = stats[i]!.ackAt[v];
        if (at !== undefined) window = Math.max(window, killedAt - at);
      }
      extra += Math.max(0, got.length - stats[i]!.acked);
      acked += stats[i]!.acked;
    }
  } finally {
    r.disconnect();
  }
  return { lost, extra, acked, window };
}

function serverArgs(dir: string, policy: string, extra: string[] = []): string[] {
  return ['--dir', dir, '--appendonly', 'yes', '--appendfsync', policy, '--save', '', '--aof-use-rdb-preamble', 'no', '--loglevel', 'notice', ...extra];
}

async function crashOnce(policy: string, killAfterMs: number, beforeKill?: (s: Spawned) => Promise<void>): Promise<Verdict> {
  const dir = tmpDir('crash-');
  const s = await spawnServer(serverArgs(dir, policy));
  const w = startWriters(s.port, 8);
  await sleep(killAfterMs / 2);
  if (beforeKill) await beforeKill(s);
  await sleep(killAfterMs / 2);
  const killedAt = Date.now();
  await s.stop('SIGKILL');
  await w.stop();
  const s2 = await spawnServer(serverArgs(dir, policy));
  try {
    const v = await verify(s2.port, w.stats, killedAt);
    expect(v.acked, 'the writers made progress').to.be.greaterThan(20);
    return v;
  } finally {
    await s2.stop('SIGKILL');
  }
}

const report: string[] = [];

describe('crash: kill -9 under load', function () {
  this.timeout(60000);

  after(() => {
    if (report.length) process.stdout.write(`      crash report:\n${report.map((l) => `        ${l}\n`).join('')}`);
  });

  it('appendfsync always loses zero acknowledged writes', async () => {
    for (let round = 0; round < 3; round++) {
      const at = 300 + Math.floor(Math.random() * 600);
      const v = await crashOnce('always', at);
      report.push(`always   kill at ${at} ms: acked ${v.acked}, lost ${v.lost}, unacked-but-kept ${v.extra}`);
      expect(v.lost).to.equal(0);
    }
  });

  it('appendfsync everysec and no: the loss window under SIGKILL is measured', async () => {
    for (const policy of ['everysec', 'everysec', 'no']) {
      const at = 300 + Math.floor(Math.random() * 600);
      const v = await crashOnce(policy, at);
      report.push(`${policy.padEnd(8)} kill at ${at} ms: acked ${v.acked}, lost ${v.lost} (oldest lost ack ${v.window} ms before the kill), unacked-but-kept ${v.extra}`);
      if (policy === 'no') {
        // write() happens before the reply and SIGKILL leaves the page cache alone.
        expect(v.lost).to.equal(0);
      } else {
        // everysec may postpone the write behind a slow fsync, for 2 s at most (plus timer slack).
        expect(v.window).to.be.at.most(3000);
      }
    }
  });

  it('BGREWRITEAOF under load, then kill -9: nothing acknowledged is lost', async () => {
    // The last case slows the rewrite down (1 ms per key) so the kill lands mid-rewrite.
    for (const [policy, delay, slow] of [['always', 150, false], ['everysec', 400, false], ['always', 300, true]] as const) {
      const dir = tmpDir('crash-');
      const s = await spawnServer(serverArgs(dir, policy));
      const admin = new Redis(s.port, CLIENT_OPTS);
      admin.on('error', () => undefined);
      await admin.connect();
      for (let b = 0; b < 20; b++) {
        const kv: string[] = [];
        for (let k = 0; k < 1000; k++) kv.push(`pop:${b * 1000 + k}`, 'x'.repeat(20));
        await admin.mset(...kv);
      }
      if (slow) await admin.config('SET', 'rdb-key-save-delay', '1000');
      const w = startWriters(s.port, 8);
      await sleep(100);
      expect(await admin.bgrewriteaof()).to.equal('Background append only file rewriting started');
      await sleep(delay);
      const inProgress = (await admin.info('persistence')).includes('aof_rewrite_in_progress:1');
      const killedAt = Date.now();
      await s.stop('SIGKILL');
      admin.disconnect();
      await w.stop();
      const s2 = await spawnServer(serverArgs(dir, policy));
      try {
        const v = await verify(s2.port, w.stats, killedAt);
        if (slow) expect(inProgress, 'killed during the rewrite').to.equal(true);
        report.push(`rewrite+${policy} kill ${delay} ms after BGREWRITEAOF (${inProgress ? 'during' : 'after'} the rewrite): acked ${v.acked}, lost ${v.lost} (oldest lost ack ${v.window} ms before the kill)`);
        // always: nothing; everysec: only what a postponed write (<= 2 s) held back.
        if (policy === 'always') expect(v.lost).to.equal(0);
        else expect(v.window).to.be.at.most(3000);
        const r = new Redis(s2.port);
        expect(await r.dbsize()).to.equal(20000 + 8);
        r.disconnect();
      } finally {
        await s2.stop('SIGKILL');
      }
    }
  });

  it('a torn last command loses only that command', async () => {
    const dir = tmpDir('crash-');
    const s = await spawnServer(serverArgs(dir, 'always'));
    const r = new Redis(s.port);
    for (let i = 1; i <= 50; i++) await r.rpush('log', `entry-${i}-${'x'.repeat(i)}`);
    r.disconnect();
    await s.stop('SIGKILL');
    const ad = path.join(dir, 'appendonlydir');
    const incr = readdirSync(ad).find((f) => f.endsWith('.incr.aof'))!;
    const file = path.join(ad, incr);
    const text = readFileSync(file, 'latin1');
    const lastStart = text.lastIndexOf('*3\r\n');
    const size = statSync(file).size;
    // Cut somewhere inside the last command (never at its very end).
    const cutAt = lastStart + 1 + Math.floor(Math.random() * (size - lastStart - 2));
    const fd = openSync(file, 'r+');
    ftruncateSync(fd, cutAt);
    closeSync(fd);
    const s2 = await spawnServer(serverArgs(dir, 'always'));
    const r2 = new Redis(s2.port);
    try {
      const got = await r2.lrange('log', 0, -1);
      expect(got).to.have.length(49);
      expect(got[48]).to.equal(`entry-49-${'x'.repeat(49)}`);
      expect(s2.stdout()).to.contain('!!! Truncating the AOF');
      expect(statSync(file).size).to.equal(lastStart);
      report.push(`torn tail: cut at byte ${cutAt - lastStart} of the last command; 49/50 entries back, file cut to ${lastStart} bytes`);
    } finally {
      r2.disconnect();
      await s2.stop('SIGKILL');
    }
  });
});

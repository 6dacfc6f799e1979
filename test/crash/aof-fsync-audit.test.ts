/**
 * The fsync audit: the real binary runs under `strace -f`, and the trace of write,
 * writev and fdatasync calls is replayed to prove what the durability promise says.
 *
 * - always: no "+OK" leaves the process while an AOF write that preceded it is not yet
 *   covered by a completed fdatasync; sequential writes cost one fsync each, concurrent
 *   writers share fsyncs (group commit).
 * - everysec: fdatasync runs about once a second; the largest number of acknowledged
 *   writes between two completed fsyncs is what a power cut could take (reported).
 * - no: no fdatasync at all while serving.
 */
import { expect } from 'chai';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { requireBinary, spawnServer, SERVER_BIN, tmpDir, type Spawned } from '../helpers/server.js';
import { sleep } from '../integration/aof-util.js';

interface Audit {
  aofWrites: number;
  fsyncs: number;
  replies: number;
  /** Replies sent while an earlier AOF write was not yet fsynced. */
  early: number;
  /** Most acknowledged replies between two completed fsyncs. */
  maxRepliesBetweenFsyncs: number;
  /** Largest gap between completed fsyncs while writes were flowing, ms. */
  maxFsyncGapMs: number;
}

function timeOf(line: string): number {
  const m = /^\d+\s+(\d+):(\d+):(\d+\.\d+)/.exec(line);
  return m ? (Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000 : 0;
}

/** Replays an strace log (-f -tt -e trace=openat,write,writev,fdatasync,fsync). */
export function audit(log: string): Audit {
  const aofFds = new Set<string>();
  const pendingSync = new Map<string, number>();
  let writes = 0;
  let durable = 0;
  const a: Audit = { aofWrites: 0, fsyncs: 0, replies: 0, early: 0, maxRepliesBetweenFsyncs: 0, maxFsyncGapMs: 0 };
  let repliesSinceSync = 0;
  let lastSyncAt = 0;
  for (const line of log.split('\n')) {
    const pid = line.split(/\s+/)[0]!;
    const open = /openat\(AT_FDCWD, "[^"]*\.incr\.aof", .*\) = (\d+)/.exec(line);
    if (open) {
      aofFds.add(open[1]!);
      continue;
    }
    const sync = /(?:fdatasync|fsync)\((\d+)(\)\s+= 0| <unfinished)/.exec(line);
    if (sync && aofFds.has(sync[1]!)) {
      if (sync[2]!.startsWith(')')) {
        durable = Math.max(durable, writes);
        a.fsyncs++;
        noteSync(timeOf(line));
      } else {
        pendingSync.set(pid, writes);
      }
      continue;
    }
    if (/<\.\.\. (?:fdatasync|fsync) resumed>\)\s+= 0/.test(line) && pendingSync.has(pid)) {
      durable = Math.max(durable, pendingSync.get(pid)!);
      pendingSync.delete(pid);
      a.fsyncs++;
      noteSync(timeOf(line));
      continue;
    }
    const w = /\bwrite\((\d+), "/.exec(line);
    if (w && aofFds.has(w[1]!)) {
      if (/\) = [1-9]/.test(line)) writes++;
      continue;
    }
    if (/\bwritev?\((\d+), (?:\[\{iov_base=)?"\+OK\\r\\n/.test(line)) {
      const fd = /\bwritev?\((\d+)/.exec(line)![1]!;
      if (Number(fd) <= 2) continue;
      a.replies++;
      repliesSinceSync++;
      if (durable < writes) a.early++;
    }
  }
  a.aofWrites = writes;
  return a;

  function noteSync(t: number): void {
    if (repliesSinceSync > 0 && lastSyncAt > 0) a.maxFsyncGapMs = Math.max(a.maxFsyncGapMs, t - lastSyncAt);
    a.maxRepliesBetweenFsyncs = Math.max(a.maxRepliesBetweenFsyncs, repliesSinceSync);
    repliesSinceSync = 0;
    lastSyncAt = t;
  }
}

async function traced(policy: string, work: (port: number) => Promise<void>): Promise<Audit> {
  const dir = tmpDir('audit-');
  const trace = path.join(dir, 'strace.txt');
  const s: Spawned = await spawnServer(
    ['-f', '-tt', '-e', 'trace=openat,write,writev,fdatasync,fsync', '-o', trace, process.execPath, SERVER_BIN,
      '--dir', dir, '--appendonly', 'yes', '--appendfsync', policy, '--save', '', '--aof-use-rdb-preamble', 'no'],
    { bin: 'strace' },
  );
  try {
    await work(s.port);
  } finally {
    // Kill the traced server itself (killing strace would only detach it).
    const pid = /PID: (\d+)/.exec(s.stdout())?.[1];
    if (pid) process.kill(Number(pid), 'SIGKILL');
    await new Promise((r) => (s.proc.exitCode !== null ? r(null) : s.proc.once('exit', r)));
  }
  expect(existsSync(trace)).to.equal(true);
  return audit(readFileSync(trace, 'latin1'));
}

const report: string[] = [];

describe('crash: fsync audit under strace', function () {
  this.timeout(60000);

  before(function () {
    requireBinary(this, 'strace');
  });

  after(() => {
    if (report.length) process.stdout.write(`      fsync audit:\n${report.map((l) => `        ${l}\n`).join('')}`);
  });

  it('the audit itself flags a reply sent before its fsync completed', () => {
    const log = [
      '10 10:00:00.000000 openat(AT_FDCWD, "/d/appendonlydir/appendonly.aof.1.incr.aof", O_WRONLY|O_CREAT|O_APPEND, 0644) = 21',
      '10 10:00:00.001000 write(21, "*3\\r\\n$3\\r\\nset\\r\\n"..., 28) = 28',
      '11 10:00:00.001100 fdatasync(21 <unfinished ...>',
      '10 10:00:00.001200 write(22, "+OK\\r\\n", 5) = 5',
      '11 10:00:00.002000 <... fdatasync resumed>) = 0',
      '10 10:00:00.003000 write(21, "*3\\r\\n$3\\r\\nset\\r\\n"..., 28) = 28',
      '12 10:00:00.004000 fdatasync(21) = 0',
      '10 10:00:00.005000 write(22, "+OK\\r\\n", 5) = 5',
    ].join('\n');
    const a = audit(log);
    expect(a).to.include({ aofWrites: 2, fsyncs: 2, replies: 2, early: 1 });
  });

  it('always: every +OK follows the fdatasync of its write; one fsync per sequential write', async () => {
    const a = await traced('always', async (port) => {
      const r = new Redis(port, { disableClientInfo: true });
      for (let i = 0; i < 100; i++) await r.set(`k${i}`, 'v');
      r.disconnect();
    });
    report.push(`always, 1 client x 100 SET: ${a.replies} replies, ${a.aofWrites} AOF writes, ${a.fsyncs} fdatasync, replies before their fsync: ${a.early}`);
    expect(a.replies).to.equal(100);
    expect(a.early).to.equal(0);
    expect(a.fsyncs).to.be.at.least(100);
  });

  it('always: 8 concurrent writers share fsyncs (group commit), still none early', async () => {
    const a = await traced('always', async (port) => {
      const cs = Array.from({ length: 8 }, () => new Redis(port, { disableClientInfo: true }));
      await Promise.all(cs.map(async (c, ci) => {
        for (let i = 0; i < 50; i++) await c.set(`c${ci}:${i}`, 'v');
      }));
      for (const c of cs) c.disconnect();
    });
    report.push(`always, 8 clients x 50 SET: ${a.replies} replies, ${a.fsyncs} fdatasync (${(a.replies / Math.max(1, a.fsyncs)).toFixed(2)} writes per fsync), early: ${a.early}`);
    expect(a.replies).to.equal(400);
    expect(a.early).to.equal(0);
    expect(a.fsyncs).to.be.lessThan(400);
  });

  it('everysec: about one fdatasync per second; the acknowledged-but-unsynced window is measured', async () => {
    const a = await traced('everysec', async (port) => {
      const r = new Redis(port, { disableClientInfo: true });
      const t0 = Date.now();
      while (Date.now() - t0 < 3300) {
        await r.set('k', 'v');
        await sleep(2);
      }
      r.disconnect();
    });
    report.push(`everysec, 3.3 s of SETs: ${a.replies} replies, ${a.fsyncs} fdatasync, max ${a.maxRepliesBetweenFsyncs} acknowledged writes between fsyncs, max fsync gap ${a.maxFsyncGapMs.toFixed(0)} ms`);
    expect(a.fsyncs).to.be.within(2, 5);
    expect(a.maxFsyncGapMs).to.be.below(2100);
  });

  it('no: never fdatasync while serving', async () => {
    const a = await traced('no', async (port) => {
      const r = new Redis(port, { disableClientInfo: true });
      const t0 = Date.now();
      while (Date.now() - t0 < 1500) await r.set('k', 'v');
      r.disconnect();
    });
    report.push(`no, 1.5 s of SETs: ${a.replies} replies, ${a.fsyncs} fdatasync`);
    expect(a.replies).to.be.greaterThan(50);
    expect(a.fsyncs).to.equal(0);
  });
});

/**
 * Differential tester, the bounded CI pass: Tessera against a real redis-server 7.0.15 for
 * every family in LANDED_FAMILIES, each with a fixed seed and a fresh seed (printed, and
 * settable with DIFF_SEED to replay), a smaller RESP3 pass, the named regression cases in
 * regressions/, and a self-check where two real Redis servers must agree under the
 * normalization rules. Without redis-server the suite is skipped locally and fails in CI.
 * DIFF_RUNS scales the number of sequences (default 200 per seed per family).
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { startServer, type TesseraServer } from '../helpers/server.js';
import { ALL_FAMILIES, LANDED_FAMILIES, sequenceArb, type FamilyName } from './families.js';
import { DiffRunner, formatTranscript, haveRedis, runPass, startRedis, type RedisProcess } from './runner.js';
import type { Regression } from './regressions/types.js';

const FIXED_SEED = 20240607;
const FRESH_SEED = process.env.DIFF_SEED ? Number(process.env.DIFF_SEED) : (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
const RUNS = Number(process.env.DIFF_RUNS ?? '200');
const SHRINK_MS = 20000;

/** The blocking family's sequences are slower (short real timeouts): fewer of them. */
function runsFor(f: FamilyName, base: number): number {
  return f === 'blocking' ? Math.max(10, Math.floor(base / 4)) : base;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const regressionDir = path.join(here, 'regressions');
const regressions: Array<{ file: string; reg: Regression }> = [];
for (const f of readdirSync(regressionDir).filter((n) => n.endsWith('.js') && n !== 'types.js').sort()) {
  const mod = (await import(pathToFileURL(path.join(regressionDir, f)).href)) as { regression?: Regression };
  if (mod.regression) regressions.push({ file: f, reg: mod.regression });
}

describe('differential: Tessera vs redis-server 7.0.15', function () {
  this.timeout(120000);
  let redis: RedisProcess | null = null;
  let srv: TesseraServer | null = null;
  let runner2: DiffRunner | null = null;
  let runner3: DiffRunner | null = null;

  before(async function () {
    if (!haveRedis()) {
      if (process.env.CI) throw new Error('redis-server is required in CI for the differential tests but was not found on PATH');
      this.skip();
    }
    console.log(`      differential fresh seed: ${FRESH_SEED} (replay with DIFF_SEED=${FRESH_SEED})`);
    redis = await startRedis();
    srv = await startServer({});
    const ref = { name: 'redis', port: redis.port };
    const cand = { name: 'tessera', port: srv.port };
    runner2 = new DiffRunner(ref, cand, { resp: 2 });
    runner3 = new DiffRunner(ref, cand, { resp: 3 });
  });

  after(async function () {
    runner2?.close();
    runner3?.close();
    await srv?.close();
    await redis?.stop();
  });

  async function pass(runner: DiffRunner, family: FamilyName, seed: number, runs: number, label: string): Promise<void> {
    const res = await runPass({
      label: `family ${family} ${label}`,
      arb: sequenceArb({ family, avail: LANDED_FAMILIES }),
      runner,
      runs,
      seed,
      shrinkBudgetMs: SHRINK_MS,
    });
    const died = redis?.exitInfo();
    if (died) expect.fail(`the reference redis-server died during the pass: ${died}`);
    if (!res.ok) expect.fail(`\n${res.report}\nreplay: npm run fuzz -- --family ${family} --seed ${seed} --runs ${runs} --avail landed${label.includes('RESP3') ? ' --resp 3' : ''}\n`);
    expect(res.runs).to.equal(runs);
  }

  for (const family of LANDED_FAMILIES) {
    it(`${family}: fixed seed ${FIXED_SEED}`, async function () {
      await pass(runner2!, family, FIXED_SEED, runsFor(family, RUNS), '(RESP2, fixed seed)');
    });
    it(`${family}: fresh seed`, async function () {
      await pass(runner2!, family, FRESH_SEED, runsFor(family, RUNS), '(RESP2, fresh seed)');
    });
    it(`${family}: RESP3, fresh seed`, async function () {
      await pass(runner3!, family, FRESH_SEED + 1, runsFor(family, Math.ceil(RUNS / 3)), '(RESP3, fresh seed)');
    });
  }

  for (const { file, reg } of regressions) {
    it(`regression ${reg.name} (${file})`, async function () {
      const runner = reg.resp === 3 ? runner3! : runner2!;
      const out = await runner.run(reg.steps);
      if (!out.ok) expect.fail(`\n${reg.note}\n${formatTranscript(out, 'redis', 'tessera')}\n`);
    });
  }

  it('self-check: two real redis-servers agree under the normalization rules (all families)', async function () {
    const other = await startRedis(new Set([redis!.port]));
    const self = new DiffRunner({ name: 'redis', port: redis!.port }, { name: 'redis-b', port: other.port }, { resp: 2 });
    try {
      for (const family of ALL_FAMILIES) {
        const res = await runPass({
          label: `self-check family ${family}`,
          arb: sequenceArb({ family, avail: ALL_FAMILIES }),
          runner: self,
          runs: runsFor(family, 60),
          seed: FRESH_SEED + 2,
          shrinkBudgetMs: SHRINK_MS,
          candName: 'redis-b',
        });
        if (!res.ok) expect.fail(`normalization let two real Redis servers disagree:\n${res.report}`);
      }
    } finally {
      self.close();
      await other.stop();
    }
  });
});

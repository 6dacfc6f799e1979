/**
 * Differential tester, command line for long passes:
 *
 *   npm run fuzz -- --family zsets --runs 100000 [--seed N] [--path P] [--resp 3]
 *                   [--against tessera|redis] [--avail all|landed|strings,keys,...]
 *                   [--max-steps 20] [--shrink-ms 60000] [--keep-going] [--exclude REGEX]
 *
 * Runs are split into chunks of `--chunk` sequences (default 1000), each with its own seed
 * (printed), so any failure replays with `--seed <chunk seed> --runs <chunk>`. `--against
 * redis` compares two real redis-servers, which must always agree: that checks the
 * normalization rules themselves. `--exclude` drops generated sequences with a step whose
 * text (`SET k0 0 PXAT 9223372036854775807`) matches REGEX (case-insensitive): an explicit,
 * opt-in way to keep fuzzing past a known, not yet fixed divergence. Exit code 1 when a
 * divergence was found.
 * Imports the test/diff modules and test/helpers/server.ts (for Tessera).
 */
import { ALL_FAMILIES, LANDED_FAMILIES, isFamily, sequenceArb, type FamilyName } from './families.js';
import { DiffRunner, haveRedis, runPass, startRedis, type Endpoint } from './runner.js';
import { showArg } from './gen.js';

const ALIASES: Record<string, FamilyName> = {
  string: 'strings', key: 'keys', expire: 'keys', generic: 'keys', multi: 'tx', transactions: 'tx', transaction: 'tx',
  list: 'lists', hash: 'hashes', set: 'sets', zset: 'zsets', sortedsets: 'zsets',
};

function usage(msg?: string): never {
  if (msg) console.error(msg);
  console.error('usage: npm run fuzz -- --family <name|all> [--runs N] [--seed N] [--path P] [--resp 2|3] [--against tessera|redis] [--avail all|landed|f1,f2] [--max-steps N] [--chunk N] [--shrink-ms N] [--keep-going] [--exclude REGEX]');
  console.error(`families: ${ALL_FAMILIES.join(', ')}`);
  process.exit(2);
}

function parseArgs(argv: string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) usage(`unexpected argument ${a}`);
    const k = a.slice(2);
    if (k === 'keep-going' || k === 'help') m.set(k, '1');
    else {
      const v = argv[++i];
      if (v === undefined) usage(`--${k} needs a value`);
      m.set(k, v);
    }
  }
  return m;
}

function family(s: string): FamilyName {
  const f = ALIASES[s.toLowerCase()] ?? s.toLowerCase();
  if (!isFamily(f)) usage(`unknown family ${s}`);
  return f;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args.has('help')) usage();
  const famArg = args.get('family') ?? usage('--family is required');
  const families = famArg === 'all' ? [...ALL_FAMILIES] : famArg.split(',').map(family);
  const runs = Number(args.get('runs') ?? '1000');
  const chunk = Math.max(1, Number(args.get('chunk') ?? '1000'));
  const seed0 = args.has('seed') ? Number(args.get('seed')) : Date.now() ^ (Math.random() * 0x7fffffff);
  const path = args.get('path');
  const resp = args.get('resp') === '3' ? 3 : 2;
  const against = args.get('against') ?? 'tessera';
  const availArg = args.get('avail') ?? 'all';
  const avail: FamilyName[] = availArg === 'all' ? [...ALL_FAMILIES] : availArg === 'landed' ? [...LANDED_FAMILIES] : availArg.split(',').map(family);
  const maxSteps = Number(args.get('max-steps') ?? '20');
  const shrinkMs = Number(args.get('shrink-ms') ?? '120000');
  const keepGoing = args.has('keep-going');
  const exclude = args.has('exclude') ? new RegExp(args.get('exclude')!, 'i') : null;
  if (!Number.isFinite(runs) || runs < 1 || !Number.isFinite(seed0)) usage('bad --runs or --seed');
  if (against !== 'tessera' && against !== 'redis') usage('--against must be tessera or redis');
  if (!haveRedis()) {
    console.error('redis-server not found on PATH');
    return 2;
  }

  const ref = await startRedis();
  const cleanups: Array<() => Promise<void>> = [() => ref.stop()];
  let cand: Endpoint;
  let otherInfo = (): string | null => null;
  if (against === 'redis') {
    const other = await startRedis(new Set([ref.port]));
    cleanups.push(() => other.stop());
    otherInfo = () => other.exitInfo();
    cand = { name: 'redis-b', port: other.port };
  } else {
    const { startServer } = await import('../helpers/server.js');
    const srv = await startServer({});
    cleanups.push(() => srv.close());
    cand = { name: 'tessera', port: srv.port };
  }
  const runner = new DiffRunner({ name: 'redis', port: ref.port }, cand, { resp });
  console.log(`reference redis-server on port ${ref.port}, candidate ${cand.name} on port ${cand.port}, RESP${resp}`);

  let failures = 0;
  try {
    for (const fam of families) {
      const base = sequenceArb({ family: fam, avail, maxSteps });
      const arb = exclude ? base.filter((steps) => !steps.some((s) => exclude.test(s.argv.map(showArg).join(' ')))) : base;
      let done = 0;
      for (let c = 0; done < runs; c++) {
        const n = Math.min(chunk, runs - done);
        const seed = (seed0 + c) | 0;
        const t0 = Date.now();
        const res = await runPass({ label: `family ${fam} (RESP${resp}) vs ${cand.name}`, arb, runner, runs: n, seed, ...(path ? { path } : {}), shrinkBudgetMs: shrinkMs, candName: cand.name });
        done += n;
        if (res.ok) {
          console.log(`${fam}: seed ${seed}: ${n} sequences ok (${done}/${runs}, ${Date.now() - t0} ms)`);
          continue;
        }
        const died = ref.exitInfo() ?? otherInfo();
        if (died) {
          console.log(`the reference server died, so the last result means nothing: ${died}`);
          return 2;
        }
        failures++;
        console.log(res.report);
        console.log(`replay: npm run fuzz -- --family ${fam} --seed ${seed} --runs ${n} --avail ${availArg} --max-steps ${maxSteps}${resp === 3 ? ' --resp 3' : ''}${against === 'redis' ? ' --against redis' : ''}${exclude ? ` --exclude '${exclude.source}'` : ''}`);
        if (!keepGoing) break;
      }
      if (failures && !keepGoing) break;
    }
  } finally {
    runner.close();
    for (const f of cleanups) await f();
  }
  console.log(failures ? `${failures} divergence(s) found` : 'no divergence found');
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);

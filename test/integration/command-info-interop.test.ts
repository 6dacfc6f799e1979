/**
 * COMMAND INFO of every command we implement, compared with real Redis 7.0's: arity,
 * flags, key positions and ACL categories. Clients (ioredis, redis-cli, cluster
 * routers) read these, so they must be Redis's, not ours.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { freePort, requireBinary, spawnServer, startServer, type Spawned, type TesseraServer } from '../helpers/server.js';

type Info = [string, number, string[], number, number, number, string[], ...unknown[]];

function index(rows: unknown[]): Map<string, Info> {
  const m = new Map<string, Info>();
  const add = (row: Info) => {
    m.set(row[0], row);
    for (const sub of (row[9] as Info[] | undefined) ?? []) add(sub);
  };
  for (const r of rows) if (r) add(r as Info);
  return m;
}

/** Flags Redis adds for internal bookkeeping that do not change client behaviour. */
const IGNORED_FLAGS = new Set(['module', 'no_mandatory_keys', 'may_replicate', 'skip_monitor', 'skip_slowlog']);

describe('COMMAND INFO against redis-server 7.0', () => {
  let real: Spawned;
  let ours: TesseraServer;
  before(async function () {
    requireBinary(this, 'redis-server');
    real = await spawnServer(['--save', '', '--appendonly', 'no'], { bin: 'redis-server', port: await freePort() });
    ours = await startServer();
  });
  after(async () => {
    await real?.stop('SIGKILL');
    await ours?.close();
  });

  it('matches arity, flags, key positions and ACL categories for every shared command', async () => {
    const a = new Redis(ours.port);
    const b = new Redis(real.port);
    const mine = index((await a.call('COMMAND')) as unknown[]);
    const theirs = index((await b.call('COMMAND')) as unknown[]);
    a.disconnect();
    b.disconnect();
    const problems: string[] = [];
    let compared = 0;
    for (const [name, m] of mine) {
      const t = theirs.get(name);
      if (!t) continue;
      compared++;
      if (m[1] !== t[1]) problems.push(`${name}: arity ${m[1]} vs ${t[1]}`);
      const mf = m[2].filter((f) => !IGNORED_FLAGS.has(f)).sort().join(' ');
      const tf = t[2].filter((f) => !IGNORED_FLAGS.has(f)).sort().join(' ');
      if (mf !== tf) problems.push(`${name}: flags [${mf}] vs [${tf}]`);
      if (m[3] !== t[3] || m[4] !== t[4] || m[5] !== t[5]) problems.push(`${name}: keys ${m.slice(3, 6)} vs ${t.slice(3, 6)}`);
      const ma = m[6].join(' ');
      const ta = t[6].join(' ');
      if (ma !== ta) problems.push(`${name}: acl [${ma}] vs [${ta}]`);
    }
    expect(compared).to.be.greaterThan(150);
    expect(problems).to.deep.equal([]);
  });
});

/**
 * Streams before the stream commands: a stream from a Redis 7.0 dump.rdb loads into
 * Tessera, answers TYPE/EXISTS/OBJECT ENCODING, and leaves again through DUMP and SAVE
 * unchanged (entries, groups, consumers, pending entries), checked on real Redis.
 */
import { expect } from 'chai';
import { copyFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, requireBinary, spawnServer, startServer, tmpDir, waitFor, type Spawned, type TesseraServer } from '../helpers/server.js';

describe('streams through RDB and DUMP/RESTORE', () => {
  let real: Spawned;
  let realDir: string;
  let rr: Redis;
  before(async function () {
    requireBinary(this, 'redis-server');
    realDir = tmpDir();
    real = await spawnServer(['--save', '', '--appendonly', 'no', '--dir', realDir], { bin: 'redis-server', port: await freePort() });
    rr = new Redis(real.port);
    const p = rr.pipeline();
    for (let i = 1; i <= 50; i++) p.xadd('s', `${i}-0`, 'f', `v${i}`);
    p.xgroup('CREATE', 's', 'g', '0');
    p.xreadgroup('GROUP', 'g', 'alice', 'COUNT', '3', 'STREAMS', 's', '>');
    p.xdel('s', '10-0');
    await p.exec();
    await rr.save();
  });
  after(async () => {
    rr?.disconnect();
    await real?.stop('SIGKILL');
  });

  async function snapshotOf(r: Redis, key: string): Promise<unknown> {
    return [await r.xrange(key, '-', '+'), await r.call('XINFO', 'GROUPS', key), await r.call('XPENDING', key, 'g'), await r.xlen(key)];
  }

  it('loads a stream from Redis\'s dump.rdb and gives it back byte-for-byte equivalent', async () => {
    const dir = tmpDir();
    copyFileSync(path.join(realDir, 'dump.rdb'), path.join(dir, 'dump.rdb'));
    const srv: TesseraServer = await startServer({ dir, save: '' });
    const t = new Redis(srv.port);
    try {
      expect(await t.type('s')).to.equal('stream');
      expect(await t.exists('s')).to.equal(1);
      expect(await t.object('ENCODING', 's')).to.equal('stream');
      // DUMP from Tessera restores into real Redis with the same entries and groups.
      const payload = await t.dumpBuffer('s');
      await rr.restore('s2', 0, payload);
      expect(await snapshotOf(rr, 's2')).to.deep.equal(await snapshotOf(rr, 's'));
      // SAVE from Tessera loads into real Redis.
      await t.rename('s', 'renamed');
      await t.save();
      const dir2 = tmpDir();
      copyFileSync(path.join(dir, 'dump.rdb'), path.join(dir2, 'dump.rdb'));
      const real2 = await spawnServer(['--save', '', '--appendonly', 'no', '--dir', dir2], { bin: 'redis-server', port: await freePort() });
      const r2 = new Redis(real2.port);
      await waitFor(async () => (await r2.info('persistence')).includes('loading:0'));
      expect(await snapshotOf(r2, 'renamed')).to.deep.equal(await snapshotOf(rr, 's'));
      r2.disconnect();
      await real2.stop('SIGKILL');
    } finally {
      t.disconnect();
      await srv.close();
    }
  });
});

/**
 * A background save is a point-in-time snapshot of TTLs too: a key whose TTL changes
 * (PERSIST, PEXPIRE) after BGSAVE starts is saved with the TTL it had at the start.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { readRdb } from '../../src/persistence/rdb/index.js';
import { startServer, tmpDir, waitFor, type TesseraServer } from '../helpers/server.js';

describe('BGSAVE snapshot of TTLs', () => {
  let srv: TesseraServer;
  let dir: string;
  before(async () => {
    dir = tmpDir();
    srv = await startServer({ dir, save: '' });
  });
  after(async () => {
    await srv.close();
  });

  it('keeps the TTL a key had when the save started (regression: TTL changes were not copy-on-write)', async () => {
    const r = new Redis(srv.port);
    const n = 20000;
    const far = Date.now() + 3_600_000;
    for (let i = 0; i < n; i += 1000) {
      const p = r.pipeline();
      for (let j = i; j < i + 1000; j++) p.set(`key:${j}`, 'v', 'PXAT', far + j);
      await p.exec();
    }
    const res = await r.pipeline()
      .bgsave()
      .persist(`key:${n - 1}`)
      .pexpireat(`key:${n - 2}`, far + 999_999_999)
      .exec();
    expect(res![0]![1]).to.equal('Background saving started');
    await waitFor(async () => /rdb_bgsave_in_progress:0/.test(await r.info('persistence')), 10000);
    expect(await r.info('persistence')).to.contain('rdb_last_bgsave_status:ok');
    const rdb = readRdb(readFileSync(path.join(dir, 'dump.rdb')));
    const keys = new Map(rdb.dbs.get(0)!.map((k) => [k.key, k]));
    expect(keys.size).to.equal(n);
    expect(keys.get(`key:${n - 1}`)!.expireAt).to.equal(far + n - 1);
    expect(keys.get(`key:${n - 2}`)!.expireAt).to.equal(far + n - 2);
    expect(await r.pttl(`key:${n - 1}`)).to.equal(-1);
    r.disconnect();
  });
});

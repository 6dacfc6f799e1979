/**
 * The persistence port's RDB half: SAVE, BGSAVE [SCHEDULE] and its exclusivity with
 * BGREWRITEAOF (one background job at a time, as with Redis's single child), save
 * points, LASTSAVE and the rdb_* INFO fields, stop-writes-on-bgsave-error, loading
 * dump.rdb at start-up (ours and redis-server's) and DEBUG RELOAD.
 */
import { expect } from 'chai';
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { requireBinary, spawnServer, startServer, tmpDir, type TesseraServer } from '../helpers/server.js';
import { dumpDataset, infoField, sleep, waitRewriteDone } from './aof-util.js';

async function withServer(cfg: Record<string, string>, fn: (r: Redis, s: TesseraServer) => Promise<void>): Promise<void> {
  const s = await startServer(cfg);
  const r = new Redis(s.port);
  try {
    await fn(r, s);
  } finally {
    r.disconnect();
    await s.close();
  }
}

async function fill(r: Redis): Promise<void> {
  await r.set('s', 'v');
  await r.rpush('l', 'a', 'b');
  await r.sadd('st', '1', '2', 'x');
  await r.hset('h', 'f', 'v');
  await r.zadd('z', '2.5', 'm');
  await r.set('t', 'x', 'EX', 1000);
}

async function waitBgsave(r: Redis): Promise<void> {
  const t0 = Date.now();
  while (infoField(await r.info('persistence'), 'rdb_bgsave_in_progress') !== '0' && Date.now() - t0 < 10000) await sleep(10);
}

describe('persistence: SAVE, BGSAVE and dump.rdb', function () {
  this.timeout(30000);

  it('SAVE writes dump.rdb that loads back at start-up', async () => {
    const dir = tmpDir('save-');
    let before: unknown;
    await withServer({ dir }, async (r) => {
      await fill(r);
      before = await dumpDataset(r);
      expect(Number(infoField(await r.info('persistence'), 'rdb_changes_since_last_save'))).to.be.greaterThan(0);
      expect(await r.save()).to.equal('OK');
      const info = await r.info('persistence');
      expect(infoField(info, 'rdb_changes_since_last_save')).to.equal('0');
      expect(infoField(info, 'rdb_saves')).to.equal('1');
      expect(Math.abs(Number(await r.lastsave()) - Date.now() / 1000)).to.be.lessThan(3);
    });
    expect(existsSync(path.join(dir, 'dump.rdb'))).to.equal(true);
    await withServer({ dir }, async (r) => {
      expect(await dumpDataset(r)).to.deep.equal(before);
      expect(infoField(await r.info('persistence'), 'rdb_last_load_keys_loaded')).to.equal('6');
    });
  });

  it('BGSAVE runs in the background and reports through INFO', async () => {
    const dir = tmpDir('save-');
    await withServer({ dir, 'rdb-key-save-delay': '20000' }, async (r) => {
      await fill(r);
      expect(await r.bgsave()).to.equal('Background saving started');
      expect(infoField(await r.info('persistence'), 'rdb_bgsave_in_progress')).to.equal('1');
      await expect(r.bgsave()).to.be.rejectedWith('ERR Background save already in progress');
      await expect(r.save()).to.be.rejectedWith('ERR Background save already in progress');
      // BGREWRITEAOF waits for the running BGSAVE.
      expect(await r.bgrewriteaof()).to.equal('Background append only file rewriting scheduled');
      await r.config('SET', 'rdb-key-save-delay', '0');
      await waitBgsave(r);
      await waitRewriteDone(r);
      const info = await r.info('persistence');
      expect(infoField(info, 'rdb_last_bgsave_status')).to.equal('ok');
      expect(infoField(info, 'rdb_changes_since_last_save')).to.equal('0');
      expect(infoField(info, 'aof_rewrites')).to.equal('1');
    });
    expect(existsSync(path.join(dir, 'dump.rdb'))).to.equal(true);
  });

  it('BGSAVE during an AOF rewrite is refused unless SCHEDULE', async () => {
    const dir = tmpDir('save-');
    await withServer({ dir, appendonly: 'yes', 'rdb-key-save-delay': '50000' }, async (r) => {
      await fill(r);
      await r.bgrewriteaof();
      await expect(r.bgsave()).to.be.rejectedWith("ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.");
      expect(await r.call('BGSAVE', 'SCHEDULE')).to.equal('Background saving scheduled');
      await r.config('SET', 'rdb-key-save-delay', '0');
      await waitRewriteDone(r);
      const t0 = Date.now();
      while (!existsSync(path.join(dir, 'dump.rdb')) && Date.now() - t0 < 5000) await sleep(20);
      expect(existsSync(path.join(dir, 'dump.rdb'))).to.equal(true);
    });
  });

  it('save points trigger a BGSAVE', async () => {
    const dir = tmpDir('save-');
    await withServer({ dir, save: '1 1' }, async (r) => {
      await r.set('a', '1');
      const t0 = Date.now();
      while (!existsSync(path.join(dir, 'dump.rdb')) && Date.now() - t0 < 5000) await sleep(50);
      expect(existsSync(path.join(dir, 'dump.rdb'))).to.equal(true);
    });
  });

  it('a failed BGSAVE stops writes with MISCONF when save points are set', async () => {
    const dir = tmpDir('save-');
    const sub = path.join(dir, 'sub');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sub);
    await withServer({ dir: sub, save: '3600 1' }, async (r) => {
      await r.set('a', '1');
      rmSync(sub, { recursive: true });
      expect(await r.bgsave()).to.equal('Background saving started');
      await waitBgsave(r);
      expect(infoField(await r.info('persistence'), 'rdb_last_bgsave_status')).to.equal('err');
      await expect(r.set('b', '1')).to.be.rejectedWith('MISCONF Redis is configured to save RDB snapshots');
      expect(await r.get('a')).to.equal('1');
      await r.config('SET', 'stop-writes-on-bgsave-error', 'no');
      expect(await r.set('b', '1')).to.equal('OK');
    });
  });

  it('DEBUG RELOAD saves and loads the dataset back', async () => {
    const dir = tmpDir('save-');
    await withServer({ dir }, async (r) => {
      await fill(r);
      const before = await dumpDataset(r);
      expect(await r.call('DEBUG', 'RELOAD')).to.equal('OK');
      expect(await dumpDataset(r)).to.deep.equal(before);
    });
  });

  it('dump.rdb files pass both ways between Tessera and redis-server', async function () {
    requireBinary(this, 'redis-server');
    const dir = tmpDir('save-');
    let before: unknown;
    await withServer({ dir }, async (r) => {
      await fill(r);
      await r.rpush('big', ...Array.from({ length: 500 }, (_, i) => `e${i}`));
      before = await dumpDataset(r);
      expect(await r.save()).to.equal('OK');
    });
    const red = await spawnServer(['--dir', dir, '--save', '', '--appendonly', 'no'], { bin: 'redis-server' });
    const rr = new Redis(red.port);
    try {
      expect(await dumpDataset(rr)).to.deep.equal(before);
      await rr.set('from-redis', '1');
      await rr.save();
    } finally {
      rr.disconnect();
      await red.stop();
    }
    await withServer({ dir }, async (r) => {
      expect(await r.get('from-redis')).to.equal('1');
      expect(await r.llen('big')).to.equal(500);
    });
  });
});

/**
 * The append-only file end to end: the Redis 7.0 multi-part layout and manifest text,
 * what the INCR file records (SELECT, MULTI/EXEC, absolute expiries, #TS annotations),
 * reloading every type across restarts, BGREWRITEAOF and turning AOF on and off at
 * runtime.
 */
import { expect } from 'chai';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startServer, tmpDir, waitFor, type TesseraServer } from '../helpers/server.js';
import { dumpDataset, infoField, parseAof, readAofDir, waitRewriteDone } from './aof-util.js';

async function withServer(cfg: Record<string, string>, fn: (r: Redis, s: TesseraServer) => Promise<void>): Promise<void> {
  const s = await startServer(cfg);
  const r = new Redis(s.port, { lazyConnect: false });
  try {
    await fn(r, s);
  } finally {
    r.disconnect();
    await s.close();
  }
}

async function fill(r: Redis): Promise<void> {
  await r.set('str', Buffer.from('v\x00\xffbinary', 'latin1'));
  await r.rpush('list', 'a', 'b', 'c');
  await r.sadd('set', 'x', 'y', '3');
  await r.sadd('intset', '1', '2', '3');
  await r.hset('hash', 'f1', 'v1', 'f2', 'v2');
  await r.zadd('zset', '1.5', 'm1', '-2', 'm2', '0.1', 'm3');
  await r.set('ttl', 'x', 'EX', 1000);
  await r.select(2);
  await r.set('in2', 'two');
  await r.select(0);
}

describe('AOF: layout and reload', function () {
  this.timeout(20000);

  it('creates the Redis 7.0 directory layout with an exact manifest', async () => {
    const dir = tmpDir('aof-');
    // appendfsync no: the write reaches the file before the reply (everysec may postpone it).
    await withServer({ dir, appendonly: 'yes', 'aof-use-rdb-preamble': 'no', appendfsync: 'no' }, async (r) => {
      await r.set('a', '1');
      const d = readAofDir(dir);
      expect(d.files).to.deep.equal(['appendonly.aof.1.base.aof', 'appendonly.aof.1.incr.aof', 'appendonly.aof.manifest']);
      expect(d.manifest).to.equal('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
      const incr = parseAof(readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof')));
      expect(incr).to.deep.equal([['SELECT', '0'], ['set', 'a', '1']]);
      const info = await r.info('persistence');
      expect(infoField(info, 'aof_enabled')).to.equal('1');
      expect(Number(infoField(info, 'aof_current_size'))).to.equal(readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof')).length);
      for (const f of ['aof_base_size', 'aof_pending_rewrite', 'aof_buffer_length', 'aof_pending_bio_fsync', 'aof_delayed_fsync', 'aof_last_cow_size']) {
        expect(infoField(info, f), f).to.not.equal(undefined);
      }
    });
  });

  it('honours appenddirname and appendfilename', async () => {
    const dir = tmpDir('aof-');
    await withServer({ dir, appendonly: 'yes', appenddirname: 'mydir', appendfilename: 'my.aof' }, async (r) => {
      await r.set('a', '1');
      expect(readAofDir(dir, 'mydir', 'my.aof').files).to.include.members(['my.aof.1.incr.aof', 'my.aof.manifest']);
    });
  });

  it('records SELECT on database changes, MULTI/EXEC, and absolute expiries', async () => {
    const dir = tmpDir('aof-');
    await withServer({ dir, appendonly: 'yes', appendfsync: 'no' }, async (r) => {
      await r.set('k0', 'v');
      await r.select(3);
      await r.set('k3', 'v');
      await r.expire('k3', 100);
      await r.multi().set('t1', '1').incr('t2').exec();
      await r.select(0);
      await r.set('back', '1');
      const cmds = parseAof(readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof')));
      const names = cmds.map((c) => c[0]!.toUpperCase());
      expect(names).to.deep.equal(['SELECT', 'SET', 'SELECT', 'SET', 'PEXPIREAT', 'MULTI', 'SET', 'INCR', 'EXEC', 'SELECT', 'SET']);
      expect(cmds[2]).to.deep.equal(['SELECT', '3']);
      const at = Number(cmds[4]![2]);
      expect(at).to.be.closeTo(Date.now() + 100_000, 5000);
    });
  });

  it('writes #TS annotations with aof-timestamp-enabled and still loads', async () => {
    const dir = tmpDir('aof-');
    await withServer({ dir, appendonly: 'yes', 'aof-timestamp-enabled': 'yes' }, async (r) => {
      await r.set('a', '1');
    });
    const text = readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof'), 'latin1');
    expect(text).to.match(/^#TS:\d{10}\r\n\*2\r\n\$6\r\nSELECT/);
    await withServer({ dir, appendonly: 'yes' }, async (r) => {
      expect(await r.get('a')).to.equal('1');
    });
  });

  it('reloads every type, every database and TTLs after a restart', async () => {
    const dir = tmpDir('aof-');
    let before: unknown;
    await withServer({ dir, appendonly: 'yes' }, async (r) => {
      await fill(r);
      before = await dumpDataset(r);
    });
    await withServer({ dir, appendonly: 'yes' }, async (r) => {
      expect(await dumpDataset(r)).to.deep.equal(before);
      expect(await r.ttl('ttl')).to.be.within(990, 1000);
      expect(await r.getBuffer('str')).to.deep.equal(Buffer.from('v\x00\xffbinary', 'latin1'));
    });
  });

  it('BGREWRITEAOF makes a new base and incr, deletes history and keeps the data', async () => {
    const dir = tmpDir('aof-');
    let before: unknown;
    await withServer({ dir, appendonly: 'yes', 'aof-use-rdb-preamble': 'no', appendfsync: 'no' }, async (r) => {
      await fill(r);
      for (let i = 0; i < 200; i++) await r.rpush('biglist', `item${i}`);
      expect(await r.bgrewriteaof()).to.equal('Background append only file rewriting started');
      await waitRewriteDone(r);
      await r.set('after', 'rewrite');
      before = await dumpDataset(r);
      // History files are deleted in the background (thread pool), as Redis's bio does.
      await waitFor(() => readAofDir(dir).files.length === 3, 5000);
      const d = readAofDir(dir);
      expect(d.manifest).to.equal('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
      expect(d.files).to.deep.equal(['appendonly.aof.2.base.aof', 'appendonly.aof.2.incr.aof', 'appendonly.aof.manifest']);
      const base = parseAof(readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.2.base.aof')));
      // Lists are rebuilt with RPUSH batches of 64 items, as Redis does.
      const pushes = base.filter((c) => c[0] === 'RPUSH' && c[1] === 'biglist').map((c) => c.length - 2);
      expect(pushes).to.deep.equal([64, 64, 64, 8]);
      expect(base.some((c) => c[0] === 'PEXPIREAT' && c[1] === 'ttl')).to.equal(true);
      const info = await r.info('persistence');
      expect(infoField(info, 'aof_rewrites')).to.equal('1');
      expect(infoField(info, 'aof_last_bgrewrite_status')).to.equal('ok');
      expect(infoField(info, 'aof_base_size')).to.equal(String(readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.2.base.aof')).length + 0));
    });
    await withServer({ dir, appendonly: 'yes' }, async (r) => {
      expect(await dumpDataset(r)).to.deep.equal(before);
    });
  });

  it('BGREWRITEAOF while one runs is an error; inside MULTI it is scheduled', async () => {
    const dir = tmpDir('aof-');
    await withServer({ dir, appendonly: 'yes', 'rdb-key-save-delay': '200000' }, async (r) => {
      await r.set('a', '1');
      await r.set('b', '1');
      expect(await r.bgrewriteaof()).to.equal('Background append only file rewriting started');
      await expect(r.bgrewriteaof()).to.be.rejectedWith('ERR Background append only file rewriting already in progress');
      expect(infoField(await r.info('persistence'), 'aof_rewrite_in_progress')).to.equal('1');
      await r.config('SET', 'rdb-key-save-delay', '0');
      await waitRewriteDone(r);
      const res = await r.multi().bgrewriteaof().exec();
      expect(res![0]![1]).to.equal('Background append only file rewriting scheduled');
      await waitRewriteDone(r);
      expect(infoField(await r.info('persistence'), 'aof_rewrites')).to.equal('2');
    });
  });

  it('CONFIG SET appendonly yes rewrites a base from the dataset; no stops logging', async () => {
    const dir = tmpDir('aof-');
    let before: unknown;
    await withServer({ dir, 'aof-use-rdb-preamble': 'no' }, async (r) => {
      await fill(r);
      expect(existsSync(path.join(dir, 'appendonlydir'))).to.equal(false);
      expect(await r.config('SET', 'appendonly', 'yes')).to.equal('OK');
      await r.set('during', 'x');
      await waitRewriteDone(r);
      await r.set('later', 'y');
      before = await dumpDataset(r);
      const d = readAofDir(dir);
      expect(d.manifest).to.equal('file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
      expect(infoField(await r.info('persistence'), 'aof_enabled')).to.equal('1');
      expect(await r.config('SET', 'appendonly', 'no')).to.equal('OK');
      await r.set('notlogged', 'z');
      expect(infoField(await r.info('persistence'), 'aof_enabled')).to.equal('0');
    });
    await withServer({ dir, appendonly: 'yes' }, async (r) => {
      expect(await dumpDataset(r)).to.deep.equal(before);
      expect(await r.exists('notlogged')).to.equal(0);
    });
  });

  it('BGREWRITEAOF with AOF off writes a base-only directory', async () => {
    const dir = tmpDir('aof-');
    await withServer({ dir, 'aof-use-rdb-preamble': 'no' }, async (r) => {
      await r.set('k', 'v');
      expect(await r.bgrewriteaof()).to.equal('Background append only file rewriting started');
      await waitRewriteDone(r);
      expect(readAofDir(dir).manifest).to.equal('file appendonly.aof.1.base.aof seq 1 type b\n');
    });
    await withServer({ dir, appendonly: 'yes' }, async (r) => {
      expect(await r.get('k')).to.equal('v');
    });
  });

  it('DEBUG LOADAOF reloads the dataset from the files', async () => {
    const dir = tmpDir('aof-');
    await withServer({ dir, appendonly: 'yes', appendfsync: 'no' }, async (r) => {
      await fill(r);
      const before = await dumpDataset(r);
      const digest = await r.call('DEBUG', 'DIGEST');
      expect(await r.call('DEBUG', 'LOADAOF')).to.equal('OK');
      expect(await dumpDataset(r)).to.deep.equal(before);
      expect(await r.call('DEBUG', 'DIGEST')).to.equal(digest);
      // The digest sees contents, not just sizes.
      await r.lset('list', 0, 'z');
      expect(await r.call('DEBUG', 'DIGEST')).to.not.equal(digest);
      await r.lset('list', 0, 'a');
      expect(await r.call('DEBUG', 'DIGEST')).to.equal(digest);
      // Loading must not have appended the replayed commands again.
      const incr = parseAof(readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.1.incr.aof')));
      expect(incr.filter((c) => c[0] === 'rpush')).to.have.length(1);
      expect(incr.filter((c) => c[0] === 'lset')).to.have.length(2);
    });
  });

  it('auto-aof-rewrite-percentage triggers a rewrite past auto-aof-rewrite-min-size', async () => {
    const dir = tmpDir('aof-');
    await withServer({ dir, appendonly: 'yes', 'auto-aof-rewrite-min-size': '1000', 'auto-aof-rewrite-percentage': '100' }, async (r) => {
      const v = 'x'.repeat(100);
      for (let i = 0; i < 30; i++) await r.set('same', v);
      const t0 = Date.now();
      while (infoField(await r.info('persistence'), 'aof_rewrites') === '0' && Date.now() - t0 < 5000) await new Promise((res) => setTimeout(res, 20));
      await waitRewriteDone(r);
      expect(infoField(await r.info('persistence'), 'aof_rewrites')).to.equal('1');
      expect(await r.get('same')).to.equal(v);
    });
  });
});

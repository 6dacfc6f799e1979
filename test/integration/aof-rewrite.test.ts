/**
 * The fork-less rewrite: the base is a snapshot as of the moment BGREWRITEAOF started
 * (keys changed meanwhile appear with their old value, the change goes to the new
 * INCR file), so base + INCR replays to exactly the live dataset, whatever clients do
 * while the rewrite runs.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startServer, tmpDir } from '../helpers/server.js';
import { dumpDataset, infoField, parseAof, readAofDir, sleep, waitRewriteDone } from './aof-util.js';

describe('AOF: rewrite without fork', function () {
  this.timeout(30000);

  it('a key changed during the rewrite is in the base with its value as of the start', async () => {
    const dir = tmpDir('aofrw-');
    const s = await startServer({ dir, appendonly: 'yes', appendfsync: 'no', 'aof-use-rdb-preamble': 'no', 'rdb-key-save-delay': '50000' });
    const r = new Redis(s.port);
    try {
      await r.set('k1', 'old1');
      await r.rpush('l', 'a', 'b');
      await r.set('k3', 'old3');
      await r.set('gone', 'x');
      expect(await r.bgrewriteaof()).to.equal('Background append only file rewriting started');
      await r.set('k1', 'new1');
      await r.rpush('l', 'c');
      await r.del('gone');
      await r.set('fresh', 'y');
      await r.config('SET', 'rdb-key-save-delay', '0');
      await waitRewriteDone(r);
      const ad = path.join(dir, 'appendonlydir');
      const base = parseAof(readFileSync(path.join(ad, 'appendonly.aof.2.base.aof')));
      const sets = new Map(base.filter((c) => c[0] === 'SET').map((c) => [c[1], c[2]]));
      expect(sets.get('k1')).to.equal('old1');
      expect(sets.get('k3')).to.equal('old3');
      expect(sets.get('gone')).to.equal('x');
      expect(sets.has('fresh')).to.equal(false);
      expect(base.filter((c) => c[0] === 'RPUSH')).to.deep.equal([['RPUSH', 'l', 'a', 'b']]);
      const incr = parseAof(readFileSync(path.join(ad, 'appendonly.aof.2.incr.aof'))).map((c) => c.join(' '));
      expect(incr).to.deep.equal(['SELECT 0', 'set k1 new1', 'rpush l c', 'del gone', 'set fresh y']);
      expect(Number(infoField(await r.info('persistence'), 'aof_last_cow_size'))).to.be.greaterThan(0);
      const live = await dumpDataset(r);
      expect(await r.call('DEBUG', 'LOADAOF')).to.equal('OK');
      expect(await dumpDataset(r)).to.deep.equal(live);
    } finally {
      r.disconnect();
      await s.close();
    }
  });

  it('base + INCR equals the live dataset after a rewrite under concurrent writes', async () => {
    const dir = tmpDir('aofrw-');
    const s = await startServer({ dir, appendonly: 'yes', 'aof-use-rdb-preamble': 'no', appendfsync: 'no' });
    const r = new Redis(s.port);
    const w = new Redis(s.port);
    try {
      for (let db = 0; db < 4; db++) {
        const p = r.pipeline();
        p.select(db);
        for (let i = 0; i < 3000; i++) {
          switch (i % 5) {
            case 0: p.set(`s${i}`, `v${i}`); break;
            case 1: p.rpush(`l${i % 50}`, `e${i}`); break;
            case 2: p.hset(`h${i % 40}`, `f${i}`, `v${i}`); break;
            case 3: p.sadd(`set${i % 30}`, `m${i}`, String(i)); break;
            default: p.zadd(`z${i % 20}`, i / 7, `m${i}`);
          }
        }
        p.select(0);
        await p.exec();
      }
      await r.select(0);
      let stop = false;
      let ops = 0;
      const writer = (async () => {
        let i = 0;
        while (!stop) {
          const db = i % 4;
          const p = w.pipeline().select(db);
          p.rpush(`l${i % 50}`, `new${i}`).lpop(`l${(i + 7) % 50}`);
          p.hset(`h${i % 40}`, `f${i % 300}`, `w${i}`).hdel(`h${(i + 3) % 40}`, `f${(i * 7) % 3000}`);
          p.sadd(`set${i % 30}`, `n${i}`).srem(`set${(i + 1) % 30}`, `m${(i * 13) % 3000}`);
          p.zincrby(`z${i % 20}`, 1.25, `m${(i * 11) % 3000}`);
          p.set(`s${(i * 5) % 3000}`, `upd${i}`).del(`s${(i * 5 + 10) % 3000}`);
          p.expire(`s${(i * 5 + 20) % 3000}`, 1000).persist(`s${(i * 5 + 25) % 3000}`);
          if (i % 25 === 0) p.rename(`l${i % 50}`, `renamed${i}`);
          if (i % 40 === 0) p.move(`s${(i * 5 + 30) % 3000}`, (db + 1) % 4);
          if (i % 60 === 0) p.swapdb(2, 3);
          if (i === 90) p.flushdb();
          p.select(0);
          await p.exec();
          ops++;
          i++;
        }
      })();
      await sleep(5);
      expect(await r.bgrewriteaof()).to.equal('Background append only file rewriting started');
      await waitRewriteDone(r);
      stop = true;
      await writer;
      expect(ops).to.be.greaterThan(3);
      expect(infoField(await r.info('persistence'), 'aof_last_bgrewrite_status')).to.equal('ok');
      const live = await dumpDataset(r);
      expect(live.length).to.be.greaterThan(1000);
      expect(await r.call('DEBUG', 'LOADAOF')).to.equal('OK');
      expect(await dumpDataset(r)).to.deep.equal(live);
      expect(readAofDir(dir).manifest).to.equal('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
    } finally {
      r.disconnect();
      w.disconnect();
      await s.close();
    }
  });

  it('turning AOF off during a rewrite abandons it and removes the temp file', async () => {
    const dir = tmpDir('aofrw-');
    const s = await startServer({ dir, appendonly: 'yes', 'rdb-key-save-delay': '100000' });
    const r = new Redis(s.port);
    try {
      await r.set('a', '1');
      await r.set('b', '2');
      await r.bgrewriteaof();
      await sleep(20);
      await r.config('SET', 'appendonly', 'no');
      await sleep(50);
      const info = await r.info('persistence');
      expect(infoField(info, 'aof_rewrite_in_progress')).to.equal('0');
      expect(infoField(info, 'aof_enabled')).to.equal('0');
      const { readdirSync } = await import('node:fs');
      expect(readdirSync(dir).filter((f) => f.startsWith('temp-'))).to.deep.equal([]);
    } finally {
      r.disconnect();
      await s.close();
    }
  });

  it('turning AOF on while a BGREWRITEAOF runs restarts the rewrite cleanly', async () => {
    const dir = tmpDir('aofrw-');
    const s = await startServer({ dir, 'aof-use-rdb-preamble': 'no', 'rdb-key-save-delay': '20000' });
    const r = new Redis(s.port);
    try {
      for (let i = 0; i < 5; i++) await r.set(`k${i}`, `v${i}`);
      expect(await r.bgrewriteaof()).to.equal('Background append only file rewriting started');
      await sleep(30);
      expect(await r.config('SET', 'appendonly', 'yes')).to.equal('OK');
      await r.set('during', '1');
      await r.config('SET', 'rdb-key-save-delay', '0');
      await waitRewriteDone(r);
      await r.set('after', '1');
      const live = await dumpDataset(r);
      expect(readAofDir(dir).manifest).to.match(/^file appendonly\.aof\.\d+\.base\.aof seq \d+ type b\nfile appendonly\.aof\.1\.incr\.aof seq 1 type i\n$/);
      const { readdirSync } = await import('node:fs');
      expect(readdirSync(dir).filter((f) => f.startsWith('temp-'))).to.deep.equal([]);
      expect(await r.call('DEBUG', 'LOADAOF')).to.equal('OK');
      expect(await dumpDataset(r)).to.deep.equal(live);
    } finally {
      r.disconnect();
      await s.close();
    }
  });
});

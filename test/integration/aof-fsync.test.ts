/**
 * appendfsync policies, observed through the writer's fsync counter and a slow-disk
 * seam around the real file system: `always` replies only after the fsync of the
 * batch (and groups a tick's writes into one fsync), `everysec` fsyncs in the
 * background at most once a second and postpones writes behind a slow fsync for up to
 * 2 s (aof_delayed_fsync), `no` never fsyncs.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { startServer, tmpDir, type TesseraServer } from '../helpers/server.js';
import type { Persistence } from '../../src/persistence/index.js';
import { NODE_FS, type WriterFs } from '../../src/persistence/aof/writer.js';
import { Connection } from '../../src/network/connection.js';
import { infoField, sleep } from './aof-util.js';

function writerOf(s: TesseraServer) {
  return (s.node.ports.persistence as unknown as Persistence).aof.writer;
}

/** The real file system with fdatasync held back by `delayMs()` milliseconds. */
function slowFsync(delayMs: () => number): WriterFs {
  return {
    ...NODE_FS,
    fdatasync: (fd, cb) => setTimeout(() => NODE_FS.fdatasync(fd, cb), delayMs()),
  };
}

describe('AOF: appendfsync policies', function () {
  this.timeout(20000);

  it('always: every acknowledged write was fsynced first', async () => {
    const s = await startServer({ dir: tmpDir('aoffs-'), appendonly: 'yes', appendfsync: 'always' });
    const r = new Redis(s.port);
    try {
      const w = writerOf(s);
      await r.ping();
      for (let i = 0; i < 20; i++) {
        const before = w.fsyncCount;
        await r.set(`k${i}`, 'v');
        // The reply arrived, so the fsync covering it has completed.
        expect(w.fsyncCount, `write ${i}`).to.be.greaterThan(before);
        expect(w.file!.synced).to.equal(w.file!.size);
      }
    } finally {
      r.disconnect();
      await s.close();
    }
  });

  it('always: writes of one tick share one fsync (group commit)', async () => {
    const s = await startServer({ dir: tmpDir('aoffs-'), appendonly: 'yes', appendfsync: 'always' });
    const clients = Array.from({ length: 8 }, () => new Redis(s.port));
    try {
      await Promise.all(clients.map((c) => c.ping()));
      const w = writerOf(s);
      const f0 = w.fsyncCount;
      const rounds = 30;
      await Promise.all(clients.map(async (c, ci) => {
        for (let i = 0; i < rounds; i++) await c.set(`c${ci}:${i}`, 'v');
      }));
      const fsyncs = w.fsyncCount - f0;
      const writes = clients.length * rounds;
      expect(fsyncs).to.be.greaterThan(0);
      expect(fsyncs).to.be.lessThan(writes);
    } finally {
      for (const c of clients) c.disconnect();
      await s.close();
    }
  });

  it('always: a slow fsync holds the reply; no reply ever leaves ahead of its data', async () => {
    const s = await startServer({ dir: tmpDir('aoffs-'), appendonly: 'yes', appendfsync: 'always' });
    const clients = Array.from({ length: 8 }, () => new Redis(s.port));
    const proto = Connection.prototype as unknown as { flushNow(): void };
    const original = proto.flushNow;
    try {
      await Promise.all(clients.map((c) => c.ping()));
      const w = writerOf(s);
      w.fs = slowFsync(() => 150);
      const t0 = Date.now();
      await clients[0]!.set('slow', '1');
      expect(Date.now() - t0).to.be.greaterThanOrEqual(140);
      // Every time replies leave, everything logged so far must already be on disk,
      // including commands that pipelining clients sent while an fsync was running.
      let flushes = 0;
      let violations = 0;
      proto.flushNow = function (this: unknown) {
        flushes++;
        if (w.bufferLength !== 0 || w.file!.synced !== w.file!.size) violations++;
        original.call(this);
      };
      w.fs = slowFsync(() => 5 + Math.floor(Math.random() * 20));
      await Promise.all(clients.map(async (c, ci) => {
        const replies: Array<Promise<unknown>> = [];
        for (let i = 0; i < 60; i++) {
          replies.push(c.set(`c${ci}:${i}`, 'v'));
          if (i % 7 === 0) await sleep(Math.floor(Math.random() * 8));
        }
        await Promise.all(replies);
      }));
      expect(flushes).to.be.greaterThan(5);
      expect(violations).to.equal(0);
    } finally {
      proto.flushNow = original;
      for (const c of clients) c.disconnect();
      await s.close();
    }
  });

  it('everysec: replies do not wait for the fsync, which runs at most once per second', async () => {
    const s = await startServer({ dir: tmpDir('aoffs-'), appendonly: 'yes', appendfsync: 'everysec' });
    const r = new Redis(s.port);
    try {
      await r.ping();
      const w = writerOf(s);
      w.fs = slowFsync(() => 1000);
      const f0 = w.fsyncCount;
      const t0 = Date.now();
      const lat: number[] = [];
      while (Date.now() - t0 < 1500) {
        const a = Date.now();
        await r.set('k', 'v');
        lat.push(Date.now() - a);
      }
      await sleep(1100);
      const n = w.fsyncCount - f0;
      expect(n).to.be.within(1, 3);
      lat.sort((a, b) => a - b);
      // A reply that waited for a 1 s fsync would take about a second.
      expect(lat[Math.floor(lat.length / 2)]!).to.be.lessThan(50);
      expect(lat.filter((l) => l >= 900).length).to.be.at.most(1);
    } finally {
      r.disconnect();
      await s.close();
    }
  });

  it('everysec: writes are postponed behind a slow fsync for at most 2 s (aof_delayed_fsync)', async () => {
    const s = await startServer({ dir: tmpDir('aoffs-'), appendonly: 'yes', appendfsync: 'everysec' });
    const r = new Redis(s.port);
    try {
      await r.ping();
      const w = writerOf(s);
      w.fs = slowFsync(() => 4000);
      // Make sure an fsync is in flight, then keep writing.
      await sleep(1100);
      await r.set('a', '1');
      const t0 = Date.now();
      while (w.pendingFsyncs === 0 && Date.now() - t0 < 2000) {
        await r.set('a', '1');
        await sleep(50);
      }
      expect(w.pendingFsyncs).to.equal(1);
      const size0 = w.file!.size;
      await r.set('b', '2');
      await sleep(300);
      // Postponed: still in the buffer, not in the file.
      expect(w.file!.size).to.equal(size0);
      expect(Number(infoField(await r.info('persistence'), 'aof_buffer_length'))).to.be.greaterThan(0);
      const t1 = Date.now();
      while (w.file!.size === size0 && Date.now() - t1 < 4000) await sleep(50);
      expect(w.file!.size).to.be.greaterThan(size0);
      expect(Number(infoField(await r.info('persistence'), 'aof_delayed_fsync'))).to.be.greaterThanOrEqual(1);
      expect(Number(infoField(await r.info('persistence'), 'aof_pending_bio_fsync'))).to.equal(1);
    } finally {
      r.disconnect();
      await s.close();
    }
  });

  it('no: writes reach the file at once and are never fsynced', async () => {
    const s = await startServer({ dir: tmpDir('aoffs-'), appendonly: 'yes', appendfsync: 'no' });
    const r = new Redis(s.port);
    try {
      const w = writerOf(s);
      const f0 = w.fsyncCount;
      for (let i = 0; i < 20; i++) await r.set(`k${i}`, 'v');
      await sleep(1200);
      await r.set('last', 'v');
      expect(w.fsyncCount - f0).to.equal(0);
      expect(w.bufferLength).to.equal(0);
    } finally {
      r.disconnect();
      await s.close();
    }
  });
});

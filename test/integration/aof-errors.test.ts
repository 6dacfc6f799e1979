/**
 * Disk errors: a failed AOF write turns aof_last_write_status to err and refuses write
 * commands (and PING) with Redis's MISCONF text until a retry succeeds; the data that
 * failed stays buffered and reaches the file then, so nothing acknowledged is lost.
 * With appendfsync always a write that could not be made durable is never
 * acknowledged: the waiting clients are disconnected instead. A real device error
 * (/dev/full) behaves the same as the injected one.
 */
import { expect } from 'chai';
import { mkdirSync, symlinkSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { raw, startServer, tmpDir, type TesseraServer } from '../helpers/server.js';
import type { Persistence } from '../../src/persistence/index.js';
import { NODE_FS, type WriterFs } from '../../src/persistence/aof/writer.js';
import { infoField, sleep } from './aof-util.js';

function writerOf(s: TesseraServer) {
  return (s.node.ports.persistence as unknown as Persistence).aof.writer;
}

function enospc(): NodeJS.ErrnoException {
  const e = new Error('ENOSPC: no space left on device, write') as NodeJS.ErrnoException;
  e.code = 'ENOSPC';
  return e;
}

/** The real file system, with writes failing while `on()`; optionally after half the bytes. */
function failingWrites(on: () => boolean, partial = false): WriterFs {
  return {
    ...NODE_FS,
    writeSync: (fd, buf, off, len) => {
      if (!on()) return NODE_FS.writeSync(fd, buf, off, len);
      if (partial && len > 1) {
        const half = Math.floor(len / 2);
        NODE_FS.writeSync(fd, buf, off, half);
        partial = false;
        return half;
      }
      throw enospc();
    },
  };
}

const MISCONF = 'MISCONF Errors writing to the AOF file: No space left on device';

describe('AOF: disk errors', function () {
  this.timeout(20000);

  it('everysec: a failed write leads to MISCONF, then recovers and keeps the data', async () => {
    const dir = tmpDir('aoferr-');
    const s = await startServer({ dir, appendonly: 'yes', appendfsync: 'everysec' });
    const r = new Redis(s.port);
    try {
      await r.set('before', '1');
      const w = writerOf(s);
      let failing = true;
      w.fs = failingWrites(() => failing);
      // As in Redis, the write that meets the error was already executed and answered.
      expect(await r.set('hit', '1')).to.equal('OK');
      // everysec may postpone that write behind a running fsync: wait until it was tried.
      const t00 = Date.now();
      while (!w.hasError && Date.now() - t00 < 4000) await sleep(20);
      await expect(r.set('refused', '1')).to.be.rejectedWith(MISCONF);
      await expect(r.ping()).to.be.rejectedWith(MISCONF);
      await expect(r.multi().set('x', '1').exec()).to.be.rejected;
      expect(await r.get('before')).to.equal('1');
      const info = await r.info('persistence');
      expect(infoField(info, 'aof_last_write_status')).to.equal('err');
      expect(Number(infoField(info, 'aof_buffer_length'))).to.be.greaterThan(0);
      failing = false;
      const t0 = Date.now();
      while (infoField(await r.info('persistence'), 'aof_last_write_status') !== 'ok' && Date.now() - t0 < 3000) await sleep(50);
      expect(await r.set('after', '1')).to.equal('OK');
      expect(await r.ping()).to.equal('PONG');
    } finally {
      r.disconnect();
      await s.close();
    }
    const s2 = await startServer({ dir, appendonly: 'yes' });
    const r2 = new Redis(s2.port);
    try {
      expect(await r2.mget('before', 'hit', 'refused', 'after')).to.deep.equal(['1', '1', null, '1']);
    } finally {
      r2.disconnect();
      await s2.close();
    }
  });

  it('a short write is truncated away before the retry', async () => {
    const dir = tmpDir('aoferr-');
    const s = await startServer({ dir, appendonly: 'yes', appendfsync: 'everysec' });
    const r = new Redis(s.port);
    try {
      await r.set('before', '1');
      const w = writerOf(s);
      const size0 = statSync(path.join(dir, 'appendonlydir', w.file!.name)).size;
      let failing = true;
      w.fs = failingWrites(() => failing, true);
      await r.set('hit', 'x'.repeat(100));
      expect(statSync(path.join(dir, 'appendonlydir', w.file!.name)).size).to.equal(size0);
      failing = false;
      const t0 = Date.now();
      while (w.hasError && Date.now() - t0 < 3000) await sleep(50);
      expect(w.hasError).to.equal(false);
    } finally {
      r.disconnect();
      await s.close();
    }
    const s2 = await startServer({ dir, appendonly: 'yes', 'aof-load-truncated': 'no' });
    const r2 = new Redis(s2.port);
    try {
      expect(await r2.get('hit')).to.equal('x'.repeat(100));
    } finally {
      r2.disconnect();
      await s2.close();
    }
  });

  it('always: a write that cannot be made durable is never acknowledged', async () => {
    const dir = tmpDir('aoferr-');
    const s = await startServer({ dir, appendonly: 'yes', appendfsync: 'always' });
    try {
      const c = await raw(s.port);
      c.send('SET', 'ok', '1');
      expect(await c.reply()).to.equal('+OK\r\n');
      const w = writerOf(s);
      let failing = true;
      w.fs = failingWrites(() => failing);
      c.send('SET', 'unacked', '1');
      // The connection is closed instead of answering +OK.
      expect(await c.waitClosed(3000)).to.equal(true);
      expect(c.pending()).to.equal('');
      const c2 = await raw(s.port);
      c2.send('SET', 'refused', '1');
      expect(await c2.reply()).to.equal(`-${MISCONF}\r\n`);
      c2.send('GET', 'ok');
      expect(await c2.reply()).to.equal('$1\r\n1\r\n');
      failing = false;
      const t0 = Date.now();
      while (w.hasError && Date.now() - t0 < 3000) await sleep(50);
      c2.send('SET', 'later', '1');
      expect(await c2.reply()).to.equal('+OK\r\n');
      c2.close();
    } finally {
      await s.close();
    }
  });

  it('a real device error (/dev/full) gives MISCONF with ENOSPC\'s text', async () => {
    const dir = tmpDir('aoferr-');
    const ad = path.join(dir, 'appendonlydir');
    mkdirSync(ad);
    writeFileSync(path.join(ad, 'appendonly.aof.1.base.aof'), '');
    symlinkSync('/dev/full', path.join(ad, 'appendonly.aof.1.incr.aof'));
    writeFileSync(path.join(ad, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    const s = await startServer({ dir, appendonly: 'yes', appendfsync: 'everysec' });
    const r = new Redis(s.port);
    try {
      expect(await r.set('a', '1')).to.equal('OK');
      await expect(r.set('b', '1')).to.be.rejectedWith(MISCONF);
      expect(infoField(await r.info('persistence'), 'aof_last_write_status')).to.equal('err');
    } finally {
      r.disconnect();
      await s.close();
    }
  });
});

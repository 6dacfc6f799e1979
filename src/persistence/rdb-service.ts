/**
 * RDB snapshots for one node, on top of the RDB codec in ./rdb: SAVE, BGSAVE [SCHEDULE]
 * (a fork-less incremental save into temp-<pid>.rdb, fsync, rename, fsync of the
 * directory), save points, stop-writes-on-bgsave-error, loading dump.rdb at start-up,
 * DEBUG RELOAD, the rdb_* INFO fields, and the two things the AOF borrows from the
 * codec: the RDB-format base (aof-use-rdb-preamble) and loading such a base.
 *
 * Invariants: at most one background job (BGSAVE here, BGREWRITEAOF in the AOF) runs
 * at a time, as with Redis's single child; dump.rdb is only ever replaced by rename of
 * a complete, fsynced file. Log lines and replies are rdb.c's. BGSAVE reads a
 * KeyspaceSnapshot (keyspace/snapshot.ts); SAVE, being synchronous, reads the live
 * databases directly.
 * Imports: engine, keyspace, config, protocol, persistence/rdb, persistence/aof (types).
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { ServerNode } from '../engine/node.js';
import { REDIS_VERSION } from '../engine/node.js';
import type { Database, Entry } from '../keyspace/database.js';
import { KeyspaceSnapshot } from '../keyspace/snapshot.js';
import type { Value } from '../keyspace/value.js';
import { strerror } from '../config/errors.js';
import { ErrorReply, OK, Status, type Reply } from '../protocol/reply.js';
import { RdbFileWriter, type RdbFileWriterOptions } from './rdb/file-writer.js';
import { RdbSaver, type SnapshotDb, type SnapshotEntry } from './rdb/saver.js';
import { RdbLoader } from './rdb/loader.js';
import { limitsFromConfig, toRdbValue } from './rdb/keyspace-adapter.js';
import type { RdbStream } from './rdb/types.js';
import type { BaseEncoder } from './aof/rewrite.js';
import { fsyncDir } from './aof/manifest.js';
import type { PersistenceContext, RdbService } from './index.js';
import { FatalPersistenceError } from './aof/aof.js';

export const BGSAVE_ERR = 'MISCONF Redis is configured to save RDB snapshots, but it\'s currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.';
const BGSAVE_RETRY_DELAY_SEC = 5;

/** RdbSaver input over a running snapshot; release() when a save is abandoned midway. */
export interface RdbSnapshot {
  dbs: SnapshotDb[];
  release(): void;
}

function saverEntry(e: Entry, value: Value, nowMs: number): SnapshotEntry {
  return {
    key: e.key,
    value: toRdbValue(value),
    expireAt: e.expireAt,
    idleSeconds: Math.max(0, Math.floor((nowMs - e.atime) / 1000)),
    lfuFreq: e.freq,
  };
}

/**
 * Starts a snapshot of `dbs` (all of a node's databases) as per-database streams for an
 * RdbSaver. An entry about to change before the saver reaches it is copied (aggregates
 * cloned) and waits in its database's queue; the snapshot detaches itself once drained.
 */
export function snapshotKeyspace(dbs: readonly Database[], now: () => number = Date.now): RdbSnapshot {
  const early = new Map<number, SnapshotEntry[]>(dbs.map((db) => [db.id, []]));
  const snap = new KeyspaceSnapshot(dbs, (id, e) => {
    const v = e.value;
    early.get(id)!.push(saverEntry(e, typeof v === 'string' ? v : v.clone(), now()));
  });
  const streams = dbs.map((db, d): SnapshotDb => {
    const queue = early.get(db.id)!;
    return {
      id: db.id,
      size: snap.sizes[d]!,
      expires: snap.expires[d]!,
      entries: {
        next: (): IteratorResult<SnapshotEntry> => {
          const q = queue.pop();
          if (q !== undefined) return { done: false, value: q };
          // Converted before the saver yields, so the live value is still the start one.
          const e = snap.next(d);
          return e === undefined ? { done: true, value: undefined } : { done: false, value: saverEntry(e, e.value, now()) };
        },
      },
    };
  });
  return {
    dbs: streams,
    release: () => {
      snap.release();
      for (const q of early.values()) q.length = 0;
    },
  };
}

/** RdbSaver input straight from the live databases, for a save that never yields. */
function liveDbs(dbs: readonly Database[], nowMs: number): SnapshotDb[] {
  return dbs.map((db) => {
    const arr = db.entryArray();
    let i = 0;
    return {
      id: db.id,
      size: arr.length,
      expires: db.expiresCount,
      entries: {
        next: (): IteratorResult<SnapshotEntry> => {
          if (i >= arr.length) return { done: true, value: undefined };
          const e = arr[i++]!;
          return { done: false, value: saverEntry(e, e.value, nowMs) };
        },
      },
    };
  });
}

/** The AOF base in RDB format: an RDB image with aof-base=1, written a key at a time. */
class RdbBaseEncoder implements BaseEncoder {
  private readonly fw: RdbFileWriter;
  private db = -1;

  constructor(private readonly dbs: readonly Database[], opts: RdbFileWriterOptions) {
    this.fw = new RdbFileWriter(opts);
    this.fw.writeHeader({ redisVersion: REDIS_VERSION, usedMem: process.memoryUsage().rss, aofBase: true });
  }

  key(db: number, key: string, value: Value, expireAt: number): void {
    if (db !== this.db) {
      // Copy-on-write can hand us keys of a database we left: SELECTDB may repeat.
      const d = this.dbs[db]!;
      this.fw.selectDb(db, d.size, d.expiresCount);
      this.db = db;
    }
    this.fw.writeKey(key, toRdbValue(value), { expireAt });
  }

  finish(): void {
    this.fw.finish();
  }

  take(): Buffer {
    return this.fw.take();
  }

  get pending(): number {
    return this.fw.pending;
  }
}

interface BgJob {
  startedAt: number;
  dirtyBefore: number;
  snap: RdbSnapshot;
  saver: RdbSaver;
  total: number;
  aborted: boolean;
  tmp: string;
}

export class RdbSnapshots implements RdbService {
  private lastSaveSec: number;
  private lastBgsaveOk = true;
  private lastBgsaveTry = 0;
  private lastBgsaveTimeSec = -1;
  private saves = 0;
  private scheduled = false;
  private job: BgJob | null = null;
  private keysLoaded = 0;
  private keysExpired = 0;
  /** Start-up loading progress (INFO loading_*). */
  loading = { loaded: 0, total: 0 };

  constructor(private readonly node: ServerNode, private readonly ctx: PersistenceContext) {
    this.lastSaveSec = Math.floor(node.startTime / 1000);
  }

  private file(): string {
    const cfg = this.node.config;
    return path.join(cfg.str('dir'), cfg.str('dbfilename'));
  }

  private limits() {
    return limitsFromConfig((n) => this.node.config.num(n));
  }

  private fileOptions(): RdbFileWriterOptions {
    const cfg = this.node.config;
    const policy = cfg.str('maxmemory-policy');
    return {
      ...this.limits(),
      compression: cfg.bool('rdbcompression'),
      checksum: cfg.bool('rdbchecksum'),
      evictionInfo: policy.includes('lru') ? 'lru' : policy.includes('lfu') ? 'lfu' : 'none',
    };
  }

  private newSaver(dbs: SnapshotDb[]): RdbSaver {
    return new RdbSaver(dbs, this.fileOptions(), { redisVersion: REDIS_VERSION, usedMem: process.memoryUsage().rss, aofBase: false });
  }

  private log(level: 'notice' | 'warning' | 'verbose', msg: string): void {
    this.node.log(level, msg);
  }

  // ---- AOF bridge ----------------------------------------------------------------

  createBaseEncoder(): BaseEncoder {
    return new RdbBaseEncoder(this.node.dbs, this.fileOptions());
  }

  createImageLoader(buf: Buffer): { step(n: number): boolean; readonly consumed: number } {
    const l = new RdbLoader(buf, this.node.dbs, {
      limits: this.limits(),
      now: Date.now(),
      keepExpired: true,
      verifyChecksum: this.node.config.bool('rdbchecksum'),
    });
    return {
      step: (n) => l.step(n),
      get consumed() { return l.stats.loadedBytes; },
    };
  }

  bgsaveInProgress(): boolean {
    return this.job !== null;
  }

  toNeutral = (v: Value): RdbStream | null => {
    const r = toRdbValue(v);
    return typeof r !== 'string' && r.type === 'stream' ? r : null;
  };

  // ---- SAVE / BGSAVE ---------------------------------------------------------------

  save(): Reply {
    if (this.job !== null) return new ErrorReply('ERR Background save already in progress');
    this.saves++;
    return this.saveSync() ? OK : new ErrorReply('ERR');
  }

  /** rdbSave: the whole dataset, now. */
  saveSync(): boolean {
    const dir = this.node.config.str('dir');
    const tmpName = `temp-${process.pid}.rdb`;
    const tmp = path.join(dir, tmpName);
    let fd: number;
    try {
      fd = openSync(tmp, 'w', 0o644);
    } catch (e) {
      this.log('warning', `Failed opening the temp RDB file ${tmpName} (in server root dir ${dir}) for saving: ${strerror(e)}`);
      return false;
    }
    let op = 'rdbSaveRio';
    try {
      // Nothing runs until this returns: no snapshot needed (and none to disturb a rewrite's).
      const saver = this.newSaver(liveDbs(this.node.dbs, Date.now()));
      while (!saver.done) {
        const b = saver.step(1 << 30);
        let off = 0;
        while (off < b.length) off += writeSync(fd, b, off, b.length - off);
      }
      op = 'fsync';
      fsyncSync(fd);
      closeSync(fd);
      fd = -1;
      op = 'rename';
      renameSync(tmp, this.file());
      op = 'fsyncFileDir';
      fsyncDir(path.dirname(this.file()));
    } catch (e) {
      if (fd >= 0) closeSync(fd);
      try { unlinkSync(tmp); } catch { /* never created */ }
      this.log('warning', `Write error saving DB on disk(${op}): ${strerror(e)}`);
      return false;
    }
    this.log('notice', 'DB saved on disk');
    this.node.dirty = 0;
    this.lastSaveSec = Math.floor(Date.now() / 1000);
    this.lastBgsaveOk = true;
    return true;
  }

  bgsave(schedule: boolean): Reply {
    if (this.job !== null) return new ErrorReply('ERR Background save already in progress');
    const inExec = this.node.ctx.inExec;
    if (this.ctx.aofRewriteInProgress() || inExec) {
      if (schedule || inExec) {
        this.scheduled = true;
        return new Status('Background saving scheduled');
      }
      return new ErrorReply('ERR Another child process is active (AOF?): can\'t BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.');
    }
    return this.startBgsave() ? new Status('Background saving started') : new ErrorReply('ERR');
  }

  /** rdbSaveBackground, without fork: a snapshot saved a slice per event-loop turn. */
  private startBgsave(): boolean {
    if (this.job !== null || this.ctx.aofRewriteInProgress()) return false;
    this.lastBgsaveTry = Math.floor(Date.now() / 1000);
    this.saves++;
    const snap = snapshotKeyspace(this.node.dbs);
    let total = 0;
    for (const d of snap.dbs) total += d.size;
    const job: BgJob = {
      startedAt: Date.now(),
      dirtyBefore: this.node.dirty,
      snap,
      saver: this.newSaver(snap.dbs),
      total,
      aborted: false,
      // Not SAVE's temp-<pid>.rdb: a killed BGSAVE may still be writing its file.
      tmp: path.join(this.node.config.str('dir'), `temp-bg-${process.pid}-${this.saves}.rdb`),
    };
    this.job = job;
    this.scheduled = false;
    this.log('notice', `Background saving started by pid ${process.pid}`);
    this.runBgsave(job).then(
      () => this.bgsaveDone(job, true),
      (e: unknown) => {
        if (!job.aborted) this.log('warning', `Write error saving DB on disk: ${strerror(e)}`);
        this.bgsaveDone(job, false);
      },
    );
    return true;
  }

  private async runBgsave(job: BgJob): Promise<void> {
    const fh = await open(job.tmp, 'w', 0o644);
    try {
      while (!job.saver.done) {
        if (job.aborted) throw new Error('aborted');
        const delay = this.node.config.num('rdb-key-save-delay');
        const b = job.saver.step(delay > 0 ? 1 : 1000);
        let off = 0;
        while (off < b.length) off += (await fh.write(b, off, b.length - off)).bytesWritten;
        if (delay > 0) await new Promise((r) => setTimeout(r, Math.max(1, Math.round(delay / 1000))));
        else await new Promise<void>((r) => setImmediate(r));
      }
      await fh.sync();
    } catch (e) {
      job.snap.release();
      await fh.close().catch(() => undefined);
      await unlink(job.tmp).catch(() => undefined);
      throw e;
    }
    await fh.close();
    if (job.aborted) {
      await unlink(job.tmp).catch(() => undefined);
      throw new Error('aborted');
    }
    await rename(job.tmp, this.file());
    // In the thread pool: a directory fsync on the main thread stalled clients ~15 ms.
    const dirFh = await open(path.dirname(this.file()), 'r');
    try {
      await dirFh.sync();
    } finally {
      await dirFh.close();
    }
  }

  /** backgroundSaveDoneHandlerDisk. */
  private bgsaveDone(job: BgJob, ok: boolean): void {
    if (this.job !== job) return;
    this.job = null;
    this.lastBgsaveTimeSec = Math.floor((Date.now() - job.startedAt) / 1000);
    if (ok) {
      this.log('notice', 'Background saving terminated with success');
      this.node.dirty = Math.max(0, this.node.dirty - job.dirtyBefore);
      this.lastSaveSec = Math.floor(Date.now() / 1000);
      this.lastBgsaveOk = true;
    } else if (job.aborted) {
      this.log('warning', 'Background saving terminated by signal 10');
    } else {
      this.log('warning', 'Background saving error');
      this.lastBgsaveOk = false;
    }
  }

  progress(): { processed: number; total: number } | null {
    return this.job !== null ? { processed: this.job.saver.keysWritten, total: this.job.total } : null;
  }

  lastSave(): number {
    return this.lastSaveSec;
  }

  /** serverCron: scheduled BGSAVE, then save points. */
  cron(): void {
    if (this.job !== null || this.ctx.aofRewriteInProgress() || this.node.loading) return;
    const now = Math.floor(Date.now() / 1000);
    const retryOk = now - this.lastBgsaveTry > BGSAVE_RETRY_DELAY_SEC || this.lastBgsaveOk;
    if (this.scheduled && retryOk) {
      this.startBgsave();
      return;
    }
    for (const sp of this.node.config.saveParams()) {
      if (this.node.dirty >= sp.changes && now - this.lastSaveSec > sp.seconds && retryOk) {
        this.log('notice', `${sp.changes} changes in ${sp.seconds} seconds. Saving...`);
        this.startBgsave();
        break;
      }
    }
  }

  misconf(): ErrorReply | null {
    const cfg = this.node.config;
    if (this.lastBgsaveOk || !cfg.bool('stop-writes-on-bgsave-error') || cfg.saveParams().length === 0) return null;
    return new ErrorReply(BGSAVE_ERR);
  }

  // ---- loading ---------------------------------------------------------------------

  /** rdbLoad of dump.rdb at start-up; throws (after logging) when Redis would exit. */
  async loadAtStartup(): Promise<void> {
    const file = this.file();
    if (!existsSync(file)) return;
    const t0 = Date.now();
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch (e) {
      this.log('warning', `Fatal error loading the DB: ${strerror(e)}. Exiting.`);
      throw new FatalPersistenceError(`Fatal error loading the DB: ${strerror(e)}`);
    }
    const l = new RdbLoader(buf, this.node.dbs, {
      limits: this.limits(),
      now: Date.now(),
      keepExpired: this.node.isReplica,
      verifyChecksum: this.node.config.bool('rdbchecksum'),
    });
    this.loading = { loaded: 0, total: buf.length };
    try {
      while (!l.step(1000)) {
        this.loading.loaded = l.stats.loadedBytes;
        await new Promise<void>((r) => setImmediate(r));
      }
    } catch (e) {
      this.log('warning', `${(e as Error).message}`);
      this.log('warning', 'Terminating server after rdb file reading failure.');
      throw new FatalPersistenceError(`RDB loading failed: ${(e as Error).message}`);
    }
    this.keysLoaded = l.stats.keysLoaded;
    this.keysExpired = l.stats.keysExpired;
    this.log('notice', `Done loading RDB, keys loaded: ${this.keysLoaded}, keys expired: ${this.keysExpired}.`);
    this.log('notice', `DB loaded from disk: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
  }

  debugReload(opts: { save: boolean; merge: boolean }): Reply {
    if (opts.save && !this.saveSync()) return new ErrorReply('ERR');
    if (!opts.merge) this.node.flushAll();
    try {
      const buf = readFileSync(this.file());
      const l = new RdbLoader(buf, this.node.dbs, {
        limits: this.limits(),
        now: Date.now(),
        allowDuplicates: opts.merge,
        verifyChecksum: this.node.config.bool('rdbchecksum'),
      });
      while (!l.step(1 << 30));
      this.keysLoaded = l.stats.keysLoaded;
      this.keysExpired = l.stats.keysExpired;
    } catch {
      return new ErrorReply('ERR Error trying to load the RDB dump');
    }
    this.log('warning', 'DB reloaded by DEBUG RELOAD');
    return OK;
  }

  info(): Array<[string, string | number]> {
    const job = this.job;
    return [
      ['rdb_changes_since_last_save', this.node.dirty],
      ['rdb_bgsave_in_progress', job !== null ? 1 : 0],
      ['rdb_last_save_time', this.lastSaveSec],
      ['rdb_last_bgsave_status', this.lastBgsaveOk ? 'ok' : 'err'],
      ['rdb_last_bgsave_time_sec', this.lastBgsaveTimeSec],
      ['rdb_current_bgsave_time_sec', job !== null ? Math.floor((Date.now() - job.startedAt) / 1000) : -1],
      ['rdb_saves', this.saves],
      ['rdb_last_cow_size', 0],
      ['rdb_last_load_keys_expired', this.keysExpired],
      ['rdb_last_load_keys_loaded', this.keysLoaded],
    ];
  }

  /** killRDBChild: the save stops, its temp file goes, nothing is marked as failed. */
  killBackground(): void {
    const job = this.job;
    if (job === null) return;
    this.log('warning', 'There is a child saving an .rdb. Killing it!');
    job.aborted = true;
    job.snap.release();
    this.job = null;
  }

  async close(): Promise<void> {
    const job = this.job;
    if (job === null) return;
    job.aborted = true;
    job.snap.release();
  }
}

export function createRdbService(node: ServerNode, ctx: PersistenceContext): RdbService {
  return new RdbSnapshots(node, ctx);
}

/**
 * The AOF writer: turns write-log entries into RESP text (SELECT when the database
 * changes, optional #TS annotations), and gets it onto disk under the appendfsync
 * policy before the replies that depend on it leave (flushAppendOnlyFile's rules).
 *
 * - always: at the end of a tick the batch of that tick is written, then fdatasync'd
 *   in libuv's threadpool; the returned promise holds that tick's replies. Whatever
 *   was appended while the fsync ran is written and synced too before it resolves, so
 *   no reply (even a pipelined one produced meanwhile) leaves ahead of its data.
 * - everysec: write() every tick; a background fdatasync at most once per second. When
 *   that fsync is still running, writes are postponed up to 2 s, then forced
 *   (aof_delayed_fsync).
 * - no: write() every tick, never fsync explicitly.
 *
 * Invariants: every write() happens on the main thread, in append order, so files
 * never interleave; only fsyncs run elsewhere, and a file is closed only when no fsync
 * on it is in flight. A failed write keeps the bytes in the buffer (a partial write is
 * truncated away) and is retried once a second; with `always` the clients whose
 * replies waited on it are disconnected instead of acknowledged.
 * Imports: engine (types), config (strerror), this folder. No sockets.
 */
import * as nodeFs from 'node:fs';
import type { WriteLogConsumer } from '../../engine/write-log.js';
import { strerror } from '../../config/errors.js';
import { AofBuffer, selectCommand } from './buffer.js';

export type FsyncPolicy = 'always' | 'everysec' | 'no';

/** The file-system calls the writer makes: a seam for fault-injection tests. */
export interface WriterFs {
  writeSync(fd: number, buf: Uint8Array, off: number, len: number): number;
  fdatasync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void;
  fdatasyncSync(fd: number): void;
  ftruncateSync(fd: number, len: number): void;
  closeSync(fd: number): void;
}

export const NODE_FS: WriterFs = {
  writeSync: (fd, buf, off, len) => nodeFs.writeSync(fd, buf, off, len),
  fdatasync: (fd, cb) => nodeFs.fdatasync(fd, cb),
  fdatasyncSync: (fd) => nodeFs.fdatasyncSync(fd),
  ftruncateSync: (fd, len) => nodeFs.ftruncateSync(fd, len),
  closeSync: (fd) => nodeFs.closeSync(fd),
};

export interface WriterHost {
  policy(): FsyncPolicy;
  timestamps(): boolean;
  /** no-appendfsync-on-rewrite while a rewrite runs. */
  fsyncSuppressed(): boolean;
  /** `always` could not make a batch durable: drop the clients whose replies wait on it. */
  dropWaitingClients(): void;
  log(level: 'verbose' | 'notice' | 'warning', msg: string): void;
  nowMs(): number;
}

/** One open AOF file (an INCR file, or the temp INCR while AOF is being turned on). */
export class AofFile {
  /** Bytes in the file. */
  size: number;
  /** Bytes covered by a completed (always) or scheduled (everysec) fsync. */
  synced: number;
  inflight = 0;
  /** Background (everysec) fsyncs in flight on this file. */
  bgInflight = 0;
  retired = false;
  closed = false;
  constructor(readonly fd: number, public name: string, size: number) {
    this.size = size;
    this.synced = size;
  }
}

const ERROR_LOG_RATE_MS = 30_000;

export class AofWriter implements WriteLogConsumer {
  file: AofFile | null = null;
  private readonly retiredFiles: AofFile[] = [];
  readonly buf = new AofBuffer();
  /** Whether appends are recorded (AOF on, or being turned on with a rewrite running). */
  accepting = false;
  selectedDb = -1;
  private curTs = 0;
  private inTx = false;
  /** aof_current_size: base plus INCR files. */
  currentSize = 0;
  /** aof_rewrite_base_size. */
  baseSize = 0;
  delayedFsync = 0;
  /**
   * Background fsyncs in flight on the current file: aof_pending_bio_fsync, and what
   * postpones everysec writes. A retired file's final fsync does not count (Redis runs
   * it as a close job, not an AOF fsync job).
   */
  get pendingFsyncs(): number {
    return this.file !== null ? this.file.bgInflight : 0;
  }

  /** Counters for tests and the durability audit. */
  fsyncCount = 0;
  writeCount = 0;
  lastFsyncSec: number;
  private postponedStart = 0;
  writeOk = true;
  fsyncOk = true;
  errnoCode = '';
  private lastErrorLog = -Infinity;
  private job: Promise<void> | null = null;

  constructor(private readonly host: WriterHost, public fs: WriterFs = NODE_FS) {
    this.lastFsyncSec = Math.floor(host.nowMs() / 1000);
  }

  private nowSec(): number {
    return Math.floor(this.host.nowMs() / 1000);
  }

  // ---- appending ---------------------------------------------------------------

  append(db: number, argv: readonly string[]): void {
    if (!this.accepting) return;
    const name = argv[0];
    if (name === 'MULTI') {
      this.inTx = true;
    } else if (name === 'EXEC') {
      // An EXEC whose MULTI predates this stream (AOF turned on inside EXEC) is dropped:
      // redis-check-aof would reject it.
      if (!this.inTx) return;
    }
    const b = this.buf;
    if (this.host.timestamps()) {
      const sec = this.nowSec();
      if (sec > this.curTs) {
        this.curTs = sec;
        b.raw(`#TS:${sec}\r\n`);
      }
    }
    if (db !== this.selectedDb) {
      b.raw(selectCommand(db));
      this.selectedDb = db;
    }
    b.command(argv);
    if (name === 'EXEC') this.inTx = false;
  }

  /** Starts recording (the stream restarts: next entry re-selects its database). */
  startAccepting(): void {
    this.accepting = true;
    this.selectedDb = -1;
    this.inTx = false;
    this.curTs = 0;
  }

  get hasError(): boolean {
    return !this.writeOk || !this.fsyncOk;
  }

  get bufferLength(): number {
    return this.buf.length;
  }

  // ---- end of tick -------------------------------------------------------------

  /** The node's before-flush hook. */
  beforeFlush(): Promise<void> | undefined {
    if (this.file === null) return undefined;
    if (this.host.policy() === 'always') return this.flushAlways();
    this.flushLazy(false);
    return undefined;
  }

  private anyUnsynced(): boolean {
    if (this.file !== null && this.file.synced < this.file.size) return true;
    for (const f of this.retiredFiles) if (f.synced < f.size) return true;
    return false;
  }

  private flushAlways(): Promise<void> | undefined {
    if (this.job !== null) return this.job;
    // In the error state writes are refused (MISCONF) and the cron retries; nothing
    // acknowledged waits on the buffer.
    if (this.hasError) return undefined;
    if (this.buf.length > 0 && !this.writePending()) {
      this.host.dropWaitingClients();
      return undefined;
    }
    if (!this.anyUnsynced() || this.host.fsyncSuppressed()) return undefined;
    return this.startJob();
  }

  private startJob(): Promise<void> {
    const p = this.drain().then(() => {
      if (this.job === p) this.job = null;
    });
    this.job = p;
    return p;
  }

  /** Fsyncs until everything written so far (including what arrives meanwhile) is durable. */
  private async drain(): Promise<void> {
    for (;;) {
      if (this.host.fsyncSuppressed()) return;
      const files: AofFile[] = this.retiredFiles.filter((f) => f.synced < f.size);
      if (this.file !== null && this.file.synced < this.file.size) files.push(this.file);
      if (files.length === 0) return;
      for (const f of files) {
        const target = f.size;
        const err = await this.fsyncFile(f);
        if (err !== null) {
          this.fsyncFailed(err);
          if (f.retired) f.synced = f.size;
          this.maybeClose(f);
          this.host.dropWaitingClients();
          return;
        }
        if (f.synced < target) f.synced = target;
        if (!this.fsyncOk) {
          this.fsyncOk = true;
          this.host.log('warning', 'AOF fsync error looks solved, Redis can write again.');
        }
        this.maybeClose(f);
      }
      this.lastFsyncSec = this.nowSec();
      if (this.file !== null && this.buf.length > 0 && !this.writePending()) {
        this.host.dropWaitingClients();
        return;
      }
    }
  }

  private fsyncFile(f: AofFile): Promise<NodeJS.ErrnoException | null> {
    f.inflight++;
    return new Promise((resolve) => {
      this.fs.fdatasync(f.fd, (err) => {
        f.inflight--;
        this.fsyncCount++;
        resolve(err ?? null);
      });
    });
  }

  /** flushAppendOnlyFile for everysec/no (and forced flushes). */
  flushLazy(force: boolean): void {
    const f = this.file;
    if (f === null || this.job !== null) return;
    const policy = this.host.policy();
    const sec = this.nowSec();
    if (this.buf.length === 0) {
      if (policy === 'everysec' && f.synced !== f.size && sec > this.lastFsyncSec && this.pendingFsyncs === 0) {
        this.bgFsync(f);
        this.lastFsyncSec = sec;
      }
      return;
    }
    if (policy === 'everysec' && !force && this.pendingFsyncs > 0) {
      if (this.postponedStart === 0) {
        this.postponedStart = sec;
        return;
      }
      if (sec - this.postponedStart < 2) return;
      this.delayedFsync++;
      this.host.log('notice', 'Asynchronous AOF fsync is taking too long (disk is busy?). Writing the AOF buffer without waiting for fsync to complete, this may slow down Redis.');
    }
    const ok = this.writePending();
    this.postponedStart = 0;
    if (!ok || this.host.fsyncSuppressed()) return;
    if (policy === 'always') {
      // Forced flush in always mode (stop, shutdown, reload): sync here and now.
      this.fsyncNow(f);
    } else if (policy === 'everysec' && sec > this.lastFsyncSec) {
      if (this.pendingFsyncs === 0) this.bgFsync(f);
      this.lastFsyncSec = sec;
    }
  }

  private bgFsync(f: AofFile): void {
    const target = f.size;
    f.synced = target;
    f.inflight++;
    f.bgInflight++;
    this.fs.fdatasync(f.fd, (err) => {
      f.inflight--;
      f.bgInflight--;
      this.fsyncCount++;
      if (err && err.code !== 'EBADF' && err.code !== 'EINVAL') {
        this.fsyncFailed(err);
      } else if (!this.fsyncOk) {
        this.fsyncOk = true;
        this.host.log('warning', 'AOF fsync error looks solved, Redis can write again.');
      }
      this.maybeClose(f);
    });
  }

  /** Synchronous fdatasync (forced flushes); false on error. */
  fsyncNow(f: AofFile | null = this.file): boolean {
    if (f === null) return true;
    try {
      this.fs.fdatasyncSync(f.fd);
      this.fsyncCount++;
      f.synced = f.size;
      return true;
    } catch (e) {
      this.fsyncFailed(e as NodeJS.ErrnoException);
      return false;
    }
  }

  /** Writes the whole buffer to the current file. */
  private writePending(): boolean {
    const f = this.file!;
    const data = this.buf.peek();
    let done = 0;
    try {
      while (done < data.length) done += this.fs.writeSync(f.fd, data, done, data.length - done);
    } catch (e) {
      if (done > 0) {
        try {
          this.fs.ftruncateSync(f.fd, f.size);
          done = 0;
        } catch (te) {
          this.logError(`Could not remove short write from the append-only file.  Redis may refuse to load the AOF the next time it starts.  ftruncate: ${strerror(te)}`);
        }
      }
      if (done > 0) {
        f.size += done;
        this.currentSize += done;
        this.buf.consume(done);
      }
      this.writeOk = false;
      this.errnoCode = (e as NodeJS.ErrnoException).code ?? 'EIO';
      this.logError(`Error writing to the AOF file: ${strerror(e)}`);
      return false;
    }
    this.writeCount++;
    f.size += done;
    this.currentSize += done;
    this.buf.consume(done);
    if (!this.writeOk) {
      this.host.log('warning', 'AOF write error looks solved, Redis can write again.');
      this.writeOk = true;
    }
    return true;
  }

  private fsyncFailed(err: NodeJS.ErrnoException): void {
    this.fsyncOk = false;
    this.errnoCode = err.code ?? 'EIO';
    this.logError(`Fail to fsync the AOF file: ${strerror(err)}`);
  }

  private logError(msg: string): void {
    const now = this.host.nowMs();
    if (now - this.lastErrorLog > ERROR_LOG_RATE_MS) {
      this.lastErrorLog = now;
      this.host.log('warning', msg);
    }
  }

  /** The text after "-MISCONF Errors writing to the AOF file: ". */
  get errorText(): string {
    return strerror({ code: this.errnoCode });
  }

  // ---- periodic work -----------------------------------------------------------

  /** serverCron: postponed flushes; once a second, retry after an error. */
  cron(retry: boolean): void {
    if (this.file === null) return;
    if (this.host.policy() === 'everysec' && this.postponedStart !== 0) this.flushLazy(false);
    if (!retry || !this.hasError || this.job !== null) return;
    if (this.host.policy() === 'always') {
      if (this.buf.length > 0 && !this.writePending()) return;
      if (!this.fsyncOk && this.file.synced >= this.file.size) this.file.synced = 0;
      if (this.anyUnsynced()) void this.startJob();
      return;
    }
    this.flushLazy(false);
    if (!this.fsyncOk && this.pendingFsyncs === 0) this.bgFsync(this.file);
  }

  // ---- files -------------------------------------------------------------------

  /** Writes what is buffered right now, whatever the policy; false on failure. */
  flushForce(): boolean {
    if (this.file === null || this.buf.length === 0) return true;
    return this.writePending();
  }

  /** Makes nf the file appends go to; the old one is fsynced and closed behind. */
  switchTo(nf: AofFile): void {
    const old = this.file;
    this.selectedDb = -1;
    this.file = nf;
    if (old !== null) this.retire(old);
  }

  /** Stops using f: fsync what is unsynced (in the background), then close. */
  retire(f: AofFile): void {
    if (f.retired) return;
    f.retired = true;
    this.retiredFiles.push(f);
    if (f.synced < f.size && (this.host.policy() !== 'always' || this.job === null)) {
      if (this.host.policy() === 'always' && !this.host.fsyncSuppressed()) {
        void this.startJob();
      } else {
        this.bgFsync(f);
      }
    }
    this.maybeClose(f);
  }

  private maybeClose(f: AofFile): void {
    if (!f.retired || f.closed || f.inflight > 0 || f.synced < f.size) return;
    f.closed = true;
    const i = this.retiredFiles.indexOf(f);
    if (i >= 0) this.retiredFiles.splice(i, 1);
    try {
      this.fs.closeSync(f.fd);
    } catch {
      // Already gone: nothing left to release.
    }
  }

  /** appendonly no: flush, fsync and close; nothing more is recorded. */
  stop(): void {
    this.flushForce();
    const f = this.file;
    this.file = null;
    if (f !== null) {
      this.fsyncNow(f);
      f.synced = f.size;
      this.retire(f);
    }
    this.accepting = false;
    this.buf.clear();
    this.selectedDb = -1;
    this.postponedStart = 0;
  }

  /** Server close: everything buffered goes to disk and is fsynced. */
  async close(): Promise<void> {
    if (this.job !== null) await this.job;
    const f = this.file;
    if (f !== null) {
      this.flushForce();
      this.fsyncNow(f);
    }
    this.stop();
  }

  /** Resolves when no always-mode fsync is in flight (tests, forced flushes). */
  async idle(): Promise<void> {
    while (this.job !== null) await this.job;
  }
}

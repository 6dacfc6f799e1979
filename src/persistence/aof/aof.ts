/**
 * The AOF subsystem of one node: the on / off / wait-rewrite state machine, the
 * manifest, start-up loading and opening, BGREWRITEAOF (manual, scheduled and
 * automatic), turning AOF on and off at runtime, and its INFO fields. It follows
 * aof.c's structure and log lines; the byte-level work lives in writer.ts, loader.ts
 * and rewrite.ts.
 *
 * Invariants: the manifest on disk always lists files that exist and were fsynced
 * (new files are created before the manifest naming them is renamed into place; old
 * ones are deleted only after the manifest stops naming them). Starting a rewrite
 * (new INCR file + snapshot) happens in one synchronous step and never inside a
 * transaction, so the base and the INCR files never overlap or leave a gap.
 * Paths are resolved against `dir` on every use; nothing calls chdir.
 * Imports: engine, commands, keyspace, config, protocol, this folder.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, statSync, unlink, unlinkSync, constants as fsc } from 'node:fs';
import path from 'node:path';
import type { ServerNode } from '../../engine/node.js';
import type { Session } from '../../engine/session.js';
import { F, type CommandSpec } from '../../commands/spec.js';
import { strerror } from '../../config/errors.js';
import { ErrorReply, OK, Status, type Reply } from '../../protocol/reply.js';
import { AofManifest, ManifestError, TEMP_PREFIX, writeManifestFile } from './manifest.js';
import {
  AOF_EMPTY, AOF_FAILED, AOF_NOT_EXIST, AOF_OK, AOF_OPEN_ERR, loadAppendOnlyFiles, loadManifestFromDisk,
  manifestName, runAsync, runSync, upgradeIfNeeded, type AofPaths, type LoadHost,
} from './loader.js';
import { RespBaseEncoder, RewriteJob, writeBaseSync, type BaseEncoder } from './rewrite.js';
import { aofClient } from './client.js';
import type { NeutralConverter } from './emit.js';
import { AofFile, AofWriter, NODE_FS, type FsyncPolicy, type WriterFs } from './writer.js';

/** What the AOF needs from the RDB side; every member may be missing until it lands. */
export interface RdbBridge {
  /** An encoder writing an RDB image with the aof-base AUX field, or null. */
  createBaseEncoder?(): BaseEncoder | null;
  /** Loads the RDB image at the start of buf, a slice of records per step. */
  createImageLoader?(buf: Buffer): { step(n: number): boolean; readonly consumed: number };
  /** A BGSAVE is running: AOF rewrites wait (Redis allows one child at a time). */
  bgsaveInProgress?(): boolean;
  /** Stream values in the codec's neutral form, for plain-AOF rewrites. */
  toNeutral?: NeutralConverter;
}

type State = 'off' | 'on' | 'wait';

/** processCommand: disk errors refuse write commands, EXEC of writes, and PING. */
export function deniedOnDiskError(s: Session, spec: CommandSpec): boolean {
  if ((spec.flags & F.write) !== 0 || spec.name === 'ping') return true;
  return spec.name === 'exec' && s.multi !== null && s.multi.queue.some((q) => (q.spec.flags & F.write) !== 0);
}

export class FatalPersistenceError extends Error {}

const REWRITE_LIMIT_THRESHOLD = 3;
const REWRITE_LIMIT_MAX_MINUTES = 60;

export class AofManager {
  state: State = 'off';
  manifest = new AofManifest();
  readonly writer: AofWriter;
  job: RewriteJob | null = null;
  private jobPreamble = false;
  scheduled = false;
  lastRewriteTimeSec = -1;
  lastBgrewriteOk = true;
  rewrites = 0;
  consecutiveFailures = 0;
  lastCowSize = 0;
  private nextDelayMinutes = 0;
  private nextRewriteTime = 0;
  private unsubscribe: (() => void) | null = null;
  private lastRetry = 0;
  /** Loading progress for INFO (bytes). */
  loadingTotal = 0;
  loadingLoaded = 0;

  constructor(readonly node: ServerNode, readonly rdb: RdbBridge, fs: WriterFs = NODE_FS) {
    const cfg = node.config;
    this.writer = new AofWriter({
      policy: () => cfg.str('appendfsync') as FsyncPolicy,
      timestamps: () => cfg.bool('aof-timestamp-enabled'),
      fsyncSuppressed: () => this.job !== null && cfg.bool('no-appendfsync-on-rewrite'),
      dropWaitingClients: () => this.dropWaitingClients(),
      log: (l, m) => node.log(l, m),
      nowMs: () => Date.now(),
    }, fs);
  }

  // ---- paths -----------------------------------------------------------------

  paths(): AofPaths {
    const cfg = this.node.config;
    const dir = cfg.str('dir');
    return { dir, aofDir: path.join(dir, cfg.str('appenddirname')), filename: cfg.str('appendfilename') };
  }

  private log(level: 'verbose' | 'notice' | 'warning', msg: string): void {
    this.node.log(level, msg);
  }

  // ---- start-up ----------------------------------------------------------------

  /** aofLoadManifestFromDisk, run at start-up whatever appendonly says (as Redis). */
  loadManifest(): void {
    try {
      this.manifest = loadManifestFromDisk(this.paths());
    } catch (e) {
      if (e instanceof ManifestError) {
        for (const l of e.logLines()) this.log('warning', l);
        throw new FatalPersistenceError(e.message);
      }
      throw e;
    }
  }

  /** loadDataFromDisk for appendonly yes. Throws FatalPersistenceError when Redis exits. */
  async loadAtStartup(): Promise<void> {
    const p = this.paths();
    const t0 = Date.now();
    try {
      upgradeIfNeeded(p, this.manifest, (l, m) => this.log(l, m));
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.log('warning', msg);
      throw new FatalPersistenceError(msg);
    }
    const host = this.loadHost();
    this.loadingLoaded = 0;
    this.loadingTotal = 0;
    for (const f of this.manifest.loadOrder()) {
      try { this.loadingTotal += statSync(path.join(p.aofDir, f.name)).size; } catch { /* reported by the loader */ }
    }
    let res;
    try {
      res = await runAsync(loadAppendOnlyFiles(host, p, this.manifest));
    } finally {
      host.release();
    }
    if (res.status === AOF_FAILED || res.status === AOF_OPEN_ERR) {
      throw new FatalPersistenceError('Fatal error loading the append only file');
    }
    if (res.status !== AOF_NOT_EXIST) {
      this.log('notice', `DB loaded from append only file: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
    }
    this.writer.currentSize = res.totalSize;
    this.writer.baseSize = res.baseSize;
    this.node.dirty = 0;
  }

  /** aofOpenIfNeededOnServerStart. */
  openOnStart(): void {
    if (this.state !== 'on') return;
    const p = this.paths();
    try {
      mkdirSync(p.aofDir, { recursive: true });
    } catch (e) {
      return this.fatal(`Can't open or create append-only dir ${p.aofDir}: ${strerror(e)}`);
    }
    const hadIncr = this.manifest.incr.length > 0;
    if (this.manifest.base === null && !hadIncr) {
      const { encoder, preamble } = this.baseEncoder();
      const name = this.manifest.newBase(p.filename, preamble);
      try {
        writeBaseSync(this.node.dbs, encoder, path.join(p.dir, `temp-rewriteaof-${process.pid}.aof`), path.join(p.aofDir, name));
      } catch (e) {
        return this.fatal(`Write error writing append only file on disk: ${strerror(e)}`);
      }
      this.log('notice', `Creating AOF base file ${name} on server start`);
    }
    const name = this.manifest.lastIncr(p.filename);
    let fd: number;
    try {
      fd = openSync(path.join(p.aofDir, name), fsc.O_WRONLY | fsc.O_APPEND | fsc.O_CREAT, 0o644);
    } catch (e) {
      return this.fatal(`Can't open the append-only file ${name}: ${strerror(e)}`);
    }
    if (!this.persistManifest(this.manifest)) return this.fatal('Can\'t persist the AOF manifest');
    const size = fstatSync(fd).size;
    this.writer.file = new AofFile(fd, name, size);
    this.log('notice', `${hadIncr ? 'Opening' : 'Creating'} AOF incr file ${name} on server start`);
    this.subscribe();
    this.writer.startAccepting();
  }

  private fatal(msg: string): never {
    this.log('warning', msg);
    throw new FatalPersistenceError(msg);
  }

  private subscribe(): void {
    if (this.unsubscribe === null) this.unsubscribe = this.node.writeLog.subscribe(this.writer);
  }

  private unsubscribeLog(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** The AOF client; release() removes its session once loading is over. */
  loadHost(): LoadHost & { release(): void } {
    return aofClient(this.node, this.rdb, (n) => { this.loadingLoaded += n; });
  }

  /** The encoder for a new base, by aof-use-rdb-preamble (plain AOF without an RDB codec). */
  private baseEncoder(): { encoder: BaseEncoder; preamble: boolean } {
    const cfg = this.node.config;
    if (cfg.bool('aof-use-rdb-preamble') && this.rdb.createBaseEncoder) {
      const e = this.rdb.createBaseEncoder();
      if (e !== null) return { encoder: e, preamble: true };
    }
    const ts = cfg.bool('aof-timestamp-enabled') ? Math.floor(Date.now() / 1000) : null;
    return { encoder: new RespBaseEncoder(ts, this.rdb.toNeutral ?? null), preamble: false };
  }

  persistManifest(am: AofManifest): boolean {
    if (!am.dirty) return true;
    const p = this.paths();
    try {
      writeManifestFile(p.aofDir, manifestName(p.filename), am.format());
    } catch (e) {
      this.log('warning', `Error trying to write the AOF manifest file ${manifestName(p.filename)}: ${strerror(e)}`);
      return false;
    }
    am.dirty = false;
    return true;
  }

  /** aofDelHistoryFiles. */
  delHistory(): void {
    if (this.node.config.bool('aof-disable-auto-gc') || this.manifest.history.length === 0) return;
    const p = this.paths();
    for (const h of this.manifest.history) {
      this.log('notice', `Removing the history file ${h.name} in the background`);
      // In libuv's thread pool, like Redis's bio thread: unlinking a big old base
      // synchronously stalled every client for tens of ms at the end of a rewrite.
      unlink(path.join(p.aofDir, h.name), () => { /* already gone is fine */ });
    }
    this.manifest.history = [];
    this.manifest.dirty = true;
    this.persistManifest(this.manifest);
  }

  // ---- rewrite -----------------------------------------------------------------

  get rewriteInProgress(): boolean {
    return this.job !== null;
  }

  private childActive(): boolean {
    return this.job !== null || (this.rdb.bgsaveInProgress?.() ?? false);
  }

  /** BGREWRITEAOF. */
  bgrewriteaof(): Reply {
    if (this.job !== null) return new ErrorReply('ERR Background append only file rewriting already in progress');
    if (this.childActive() || this.node.ctx.inExec) {
      this.scheduled = true;
      this.consecutiveFailures = 0;
      return new Status('Background append only file rewriting scheduled');
    }
    if (this.startRewrite()) return new Status('Background append only file rewriting started');
    return new ErrorReply('ERR Can\'t execute an AOF background rewriting. Please check the server logs for more information.');
  }

  /** rewriteAppendOnlyFileBackground: new INCR file + snapshot, in one step. */
  startRewrite(): boolean {
    if (this.childActive()) return false;
    const p = this.paths();
    try {
      mkdirSync(p.aofDir, { recursive: true });
    } catch (e) {
      this.log('warning', `Can't open or create append-only dir ${p.aofDir}: ${strerror(e)}`);
      this.lastBgrewriteOk = false;
      return false;
    }
    if (!this.openNewIncr(p)) {
      this.lastBgrewriteOk = false;
      return false;
    }
    this.rewrites++;
    const { encoder, preamble } = this.baseEncoder();
    this.jobPreamble = preamble;
    const job = new RewriteJob({
      dbs: this.node.dbs,
      encoder,
      // A killed job may still hold its temp file for a moment: every job gets its own.
      tmpPath: path.join(p.dir, `temp-rewriteaof-bg-${process.pid}-${this.rewrites}.aof`),
      incrementalFsync: this.node.config.bool('aof-rewrite-incremental-fsync'),
      keyDelayUs: () => this.node.config.num('rdb-key-save-delay'),
    });
    this.job = job;
    if (this.state === 'wait') {
      this.subscribe();
      this.writer.startAccepting();
    }
    this.scheduled = false;
    this.log('notice', `Background append only file rewriting started by pid ${process.pid}`);
    job.done.then(() => this.rewriteDone(job, null), (e: unknown) => this.rewriteDone(job, e instanceof Error ? e : new Error(String(e))));
    return true;
  }

  /** openNewIncrAofForAppend. */
  private openNewIncr(p: AofPaths): boolean {
    if (this.state === 'off') return true;
    if (!this.writer.flushForce()) {
      this.log('warning', 'Can\'t flush the AOF buffer before the rewrite; not starting it');
      return false;
    }
    let temp: AofManifest | null = null;
    let name: string;
    if (this.state === 'wait') {
      name = `${TEMP_PREFIX}${p.filename}.incr`;
    } else {
      temp = this.manifest.dup();
      name = temp.newIncr(p.filename);
    }
    let fd: number;
    try {
      fd = openSync(path.join(p.aofDir, name), fsc.O_WRONLY | fsc.O_TRUNC | fsc.O_CREAT | fsc.O_APPEND, 0o644);
    } catch (e) {
      this.log('warning', `Can't open the append-only file ${name}: ${strerror(e)}`);
      return false;
    }
    if (temp !== null && !this.persistManifest(temp)) {
      closeSync(fd);
      return false;
    }
    this.log('notice', `Creating AOF incr file ${name} on background rewrite`);
    this.writer.switchTo(new AofFile(fd, name, 0));
    if (temp !== null) this.manifest = temp;
    return true;
  }

  /** backgroundRewriteDoneHandler. */
  private rewriteDone(job: RewriteJob, err: Error | null): void {
    if (this.job !== job) return;
    this.job = null;
    this.lastCowSize = job.cowBytes;
    const p = this.paths();
    if (err === null) {
      this.log('notice', 'Background AOF rewrite terminated with success');
      this.installBase(job, p);
    } else {
      this.lastBgrewriteOk = false;
      this.consecutiveFailures++;
      this.log('warning', `Background AOF rewrite terminated with error: ${err.message}`);
    }
    if (this.state === 'wait') {
      // The temp INCR only makes sense with the base of this very rewrite.
      this.writer.stop();
      try { unlinkSync(path.join(p.aofDir, `${TEMP_PREFIX}${p.filename}.incr`)); } catch { /* not there */ }
      this.log('notice', `Removing the temp incr aof file ${TEMP_PREFIX}${p.filename}.incr in the background`);
      this.scheduled = true;
    }
    this.lastRewriteTimeSec = Math.floor((Date.now() - job.startedAt) / 1000);
  }

  private installBase(job: RewriteJob, p: AofPaths): void {
    const tmp = job.tmpPath;
    const am = this.manifest.dup();
    const baseName = am.newBase(p.filename, this.jobPreamble);
    const basePath = path.join(p.aofDir, baseName);
    const fail = (msg: string) => {
      this.log('warning', msg);
      this.lastBgrewriteOk = false;
      this.consecutiveFailures++;
      try { unlinkSync(tmp); } catch { /* gone */ }
    };
    try {
      renameSync(tmp, basePath);
    } catch (e) {
      return fail(`Error trying to rename the temporary AOF base file ${path.basename(tmp)} into ${baseName}: ${strerror(e)}`);
    }
    this.log('notice', `Successfully renamed the temporary AOF base file ${path.basename(tmp)} into ${baseName}`);
    let newIncrPath: string | null = null;
    if (this.state === 'wait') {
      const tempIncr = `${TEMP_PREFIX}${p.filename}.incr`;
      const incrName = am.newIncr(p.filename);
      newIncrPath = path.join(p.aofDir, incrName);
      try {
        renameSync(path.join(p.aofDir, tempIncr), newIncrPath);
      } catch (e) {
        try { unlinkSync(basePath); } catch { /* gone */ }
        return fail(`Error trying to rename the temporary AOF incr file ${tempIncr} into ${incrName}: ${strerror(e)}`);
      }
      if (this.writer.file !== null) this.writer.file.name = incrName;
      this.log('notice', `Successfully renamed the temporary AOF incr file ${tempIncr} into ${incrName}`);
    }
    am.markRewrittenIncrAsHistory(this.writer.file !== null);
    if (!this.persistManifest(am)) {
      try { unlinkSync(basePath); } catch { /* gone */ }
      if (newIncrPath !== null) try { unlinkSync(newIncrPath); } catch { /* gone */ }
      this.lastBgrewriteOk = false;
      this.consecutiveFailures++;
      return;
    }
    this.manifest = am;
    if (this.state !== 'off') {
      let baseSize = 0;
      try { baseSize = statSync(basePath).size; } catch { /* just renamed */ }
      this.writer.currentSize = baseSize + (this.writer.file?.size ?? 0);
      this.writer.baseSize = this.writer.currentSize;
    }
    this.delHistory();
    this.lastBgrewriteOk = true;
    this.consecutiveFailures = 0;
    this.log('notice', 'Background AOF rewrite finished successfully');
    if (this.state === 'wait') this.state = 'on';
  }

  /** killAppendOnlyChild. */
  private killRewrite(): void {
    const job = this.job;
    if (job === null) return;
    this.log('notice', `Killing running AOF rewrite child: ${process.pid}`);
    this.job = null;
    job.abort();
  }

  /** aofRewriteLimited: back off after repeated failures (1, 2, 4 ... 60 minutes). */
  private rewriteLimited(): boolean {
    if (this.consecutiveFailures < REWRITE_LIMIT_THRESHOLD) {
      this.nextDelayMinutes = 0;
      this.nextRewriteTime = 0;
      return false;
    }
    const now = Math.floor(Date.now() / 1000);
    if (this.nextRewriteTime !== 0) {
      if (now < this.nextRewriteTime) return true;
      this.nextRewriteTime = 0;
      return false;
    }
    this.nextDelayMinutes = this.nextDelayMinutes === 0 ? 1 : Math.min(REWRITE_LIMIT_MAX_MINUTES, this.nextDelayMinutes * 2);
    this.nextRewriteTime = now + this.nextDelayMinutes * 60;
    this.log('warning', `Background AOF rewrite has repeatedly failed and triggered the limit, will retry in ${this.nextDelayMinutes} minutes`);
    return true;
  }

  // ---- runtime on / off --------------------------------------------------------

  /** startAppendOnly (CONFIG SET appendonly yes); false when it cannot start. */
  enable(): boolean {
    if (this.state !== 'off') return true;
    this.state = 'wait';
    this.subscribe();
    if (this.rdb.bgsaveInProgress?.()) {
      this.scheduled = true;
      this.log('warning', 'AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.');
    } else if (this.node.ctx.inExec) {
      this.scheduled = true;
      this.log('warning', 'AOF was enabled during a transaction. An AOF background was scheduled to start when possible.');
    } else {
      if (this.job !== null) {
        this.log('warning', 'AOF was enabled but there is already an AOF rewriting in background. Stopping background AOF and starting a rewrite now.');
        this.killRewrite();
      }
      if (!this.startRewrite()) {
        this.state = 'off';
        this.unsubscribeLog();
        this.log('warning', 'Redis needs to enable the AOF but can\'t trigger a background AOF rewrite operation. Check the above logs for more info about the error.');
        return false;
      }
    }
    this.writer.lastFsyncSec = Math.floor(Date.now() / 1000);
    if (this.writer.hasError) {
      this.log('warning', 'AOF reopen, just ignore the last error.');
      this.writer.writeOk = true;
      this.writer.fsyncOk = true;
    }
    return true;
  }

  /** stopAppendOnly (CONFIG SET appendonly no). */
  disable(): void {
    if (this.state === 'off') return;
    this.writer.stop();
    this.unsubscribeLog();
    this.state = 'off';
    this.scheduled = false;
    this.killRewrite();
  }

  // ---- periodic work -----------------------------------------------------------

  cron(): void {
    const now = Date.now();
    const retry = now - this.lastRetry >= 1000;
    if (retry) this.lastRetry = now;
    this.writer.cron(retry);
    if (this.node.loading) return;
    if (!this.childActive() && this.scheduled && !this.rewriteLimited()) {
      this.startRewrite();
      return;
    }
    const cfg = this.node.config;
    const perc = cfg.num('auto-aof-rewrite-percentage');
    if (this.state === 'on' && !this.childActive() && perc > 0 && this.writer.currentSize > cfg.num('auto-aof-rewrite-min-size')) {
      const base = this.writer.baseSize > 0 ? this.writer.baseSize : 1;
      const growth = Math.floor((this.writer.currentSize * 100) / base) - 100;
      if (growth >= perc && !this.rewriteLimited()) {
        this.log('notice', `Starting automatic rewriting of AOF on ${growth}% growth`);
        this.startRewrite();
      }
    }
  }

  // ---- errors, INFO, DEBUG -----------------------------------------------------

  /** The MISCONF gate (writeCommandsDeniedByDiskError for the AOF). */
  misconf(s: Session, spec: CommandSpec): ErrorReply | null {
    if (this.state === 'off' || !this.writer.hasError || !deniedOnDiskError(s, spec)) return null;
    return new ErrorReply(`MISCONF Errors writing to the AOF file: ${this.writer.errorText}`);
  }

  /** `always` failed to make a batch durable: replies waiting on it must not go out. */
  private dropWaitingClients(): void {
    let n = 0;
    for (const s of [...this.node.sessions.values()]) {
      if (s.out.size > 0) {
        s.transport.close(false);
        n++;
      }
    }
    if (n > 0) this.log('warning', `AOF could not be made durable (appendfsync always): closed ${n} client(s) instead of acknowledging their writes`);
  }

  info(): Array<[string, string | number]> {
    const w = this.writer;
    const job = this.job;
    const out: Array<[string, string | number]> = [
      ['aof_enabled', this.state !== 'off' ? 1 : 0],
      ['aof_rewrite_in_progress', job !== null ? 1 : 0],
      ['aof_rewrite_scheduled', this.scheduled ? 1 : 0],
      ['aof_last_rewrite_time_sec', this.lastRewriteTimeSec],
      ['aof_current_rewrite_time_sec', job !== null ? Math.floor((Date.now() - job.startedAt) / 1000) : -1],
      ['aof_last_bgrewrite_status', this.lastBgrewriteOk ? 'ok' : 'err'],
      ['aof_rewrites', this.rewrites],
      ['aof_rewrites_consecutive_failures', this.consecutiveFailures],
      ['aof_last_write_status', w.hasError ? 'err' : 'ok'],
      ['aof_last_cow_size', this.lastCowSize],
      ['module_fork_in_progress', 0],
      ['module_fork_last_cow_size', 0],
    ];
    if (this.node.config.bool('appendonly')) {
      out.push(
        ['aof_current_size', w.currentSize],
        ['aof_base_size', w.baseSize],
        ['aof_pending_rewrite', this.scheduled ? 1 : 0],
        ['aof_buffer_length', w.bufferLength],
        ['aof_pending_bio_fsync', w.pendingFsyncs],
        ['aof_delayed_fsync', w.delayedFsync],
      );
    }
    return out;
  }

  /** DEBUG LOADAOF: flush, empty the dataset, load the files back (synchronously). */
  debugLoadAof(): Reply {
    if (this.state !== 'off') {
      this.writer.flushForce();
      if (this.node.config.str('appendfsync') === 'always') this.writer.fsyncNow();
    }
    this.killRewrite();
    this.node.flushAll();
    try {
      this.manifest = loadManifestFromDisk(this.paths());
    } catch (e) {
      if (e instanceof ManifestError) for (const l of e.logLines()) this.log('warning', l);
      return new ErrorReply('ERR Error loading the AOF manifest, check the server logs');
    }
    this.delHistory();
    const accepting = this.writer.accepting;
    this.writer.accepting = false;
    let status: number;
    const host = this.loadHost();
    try {
      status = runSync(loadAppendOnlyFiles(host, this.paths(), this.manifest)).status;
    } finally {
      host.release();
      this.writer.accepting = accepting;
      this.writer.selectedDb = -1;
    }
    if (status !== AOF_OK && status !== AOF_EMPTY && status !== AOF_NOT_EXIST) {
      return new ErrorReply('ERR Error loading the append only file, check the server logs');
    }
    this.node.dirty = 0;
    this.log('warning', 'Append Only File loaded by DEBUG LOADAOF');
    return OK;
  }

  /** Shutdown: kill the rewrite, then write and fsync the buffer (prepareForShutdown). */
  prepareForShutdown(): void {
    if (this.job !== null) {
      this.log('warning', 'There is a child rewriting the AOF. Killing it!');
      this.killRewrite();
    }
    if (this.state === 'off' || this.writer.file === null) return;
    this.log('notice', 'Calling fsync() on the AOF file.');
    this.writer.flushForce();
    this.writer.fsyncNow();
  }

  /** Server close: stop any rewrite, write and fsync what is buffered. */
  async close(): Promise<void> {
    this.killRewrite();
    if (this.state !== 'off') this.log('notice', 'Calling fsync() on the AOF file.');
    await this.writer.close();
    this.unsubscribeLog();
  }

  /** True when a path in the AOF directory exists (tests, check tool). */
  exists(name: string): boolean {
    return existsSync(path.join(this.paths().aofDir, name));
  }
}

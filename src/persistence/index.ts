/**
 * Persistence for one node: the PersistencePort (SAVE, BGSAVE, BGREWRITEAOF, LASTSAVE,
 * INFO persistence, DEBUG RELOAD / LOADAOF) and its wiring into the engine: the
 * start-up loader (AOF when appendonly is on, else the RDB file), the before-flush
 * hook that makes replies wait for the AOF, the MISCONF gate, the config hooks, the
 * periodic task and the close hook. `attachPersistence(node)` is the one call the
 * composition root makes.
 *
 * The RDB side (snapshots of dump.rdb, the RDB codec used for AOF bases) sits behind
 * RdbService (rdb-service.ts by default; `noRdb` answers like a server without RDB
 * support, for embedders that want AOF only).
 * Invariants: no module-level state; everything hangs off the Persistence instance.
 * Imports: engine, commands, keyspace, config, protocol, persistence/*.
 */
import type { ServerNode } from '../engine/node.js';
import type { Session } from '../engine/session.js';
import type { PersistencePort } from '../commands/context.js';
import type { CommandSpec } from '../commands/spec.js';
import { ErrorReply, type Reply } from '../protocol/reply.js';
import { AofManager, FatalPersistenceError, deniedOnDiskError, type RdbBridge } from './aof/aof.js';
import type { WriterFs } from './aof/writer.js';
import type { Value } from '../keyspace/value.js';
import { toRdbValue } from './rdb/keyspace-adapter.js';
import { createRdbService } from './rdb-service.js';

export { FatalPersistenceError } from './aof/aof.js';

/** What the AOF tells the RDB side (one background job at a time, as with fork). */
export interface PersistenceContext {
  aofRewriteInProgress(): boolean;
}

/** The RDB half of persistence. */
export interface RdbService extends RdbBridge {
  save(): Reply;
  bgsave(schedule: boolean): Reply;
  lastSave(): number;
  /** rdb_changes_since_last_save ... rdb_last_load_keys_loaded, in Redis's order. */
  info(): Array<[string, string | number]>;
  /** Keys processed / total of a running BGSAVE (current_save_keys_*), or null. */
  progress?(): { processed: number; total: number } | null;
  /** Loads dump.rdb at start-up (appendonly no). */
  loadAtStartup(): Promise<void>;
  /** stop-writes-on-bgsave-error. */
  misconf?(): ErrorReply | null;
  debugReload?(opts: { save: boolean; merge: boolean }): Reply;
  /** Stops a running BGSAVE (shutdown). */
  killBackground?(): void;
  /** Start-up loading progress in bytes. */
  loading?: { loaded: number; total: number };
  cron?(): void;
  close?(): Promise<void>;
}

export type RdbServiceFactory = (node: ServerNode, ctx: PersistenceContext) => RdbService;

/** A server without an RDB codec: nothing to load, SAVE/BGSAVE refused. */
export function noRdb(node: ServerNode): RdbService {
  const startSec = Math.floor(node.startTime / 1000);
  const err = () => new ErrorReply('ERR RDB persistence is not available on this server');
  return {
    save: err,
    bgsave: err,
    lastSave: () => startSec,
    info: () => [
      ['rdb_changes_since_last_save', node.dirty],
      ['rdb_bgsave_in_progress', 0],
      ['rdb_last_save_time', startSec],
      ['rdb_last_bgsave_status', 'ok'],
      ['rdb_last_bgsave_time_sec', -1],
      ['rdb_current_bgsave_time_sec', -1],
      ['rdb_saves', 0],
      ['rdb_last_cow_size', 0],
      ['rdb_last_load_keys_expired', 0],
      ['rdb_last_load_keys_loaded', 0],
    ],
    loadAtStartup: async () => undefined,
  };
}

export interface PersistenceOptions {
  rdb?: RdbServiceFactory;
  /** File-system seam for the AOF writer (fault-injection tests). */
  fs?: WriterFs;
}

export class Persistence implements PersistencePort {
  readonly aof: AofManager;
  readonly rdb: RdbService;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private loadStart = 0;

  constructor(readonly node: ServerNode, opts: PersistenceOptions = {}) {
    const ctx: PersistenceContext = { aofRewriteInProgress: () => this.aof.rewriteInProgress };
    this.rdb = (opts.rdb ?? createRdbService)(node, ctx);
    this.aof = new AofManager(node, this.rdb, opts.fs);
  }

  /** The start-up loader (node.addLoader). */
  async load(): Promise<void> {
    this.loadStart = Math.floor(Date.now() / 1000);
    const aof = this.aof;
    aof.loadManifest();
    if (this.node.config.bool('appendonly')) {
      aof.state = 'on';
      await aof.loadAtStartup();
    } else {
      await this.rdb.loadAtStartup();
    }
    aof.openOnStart();
    aof.delHistory();
  }

  /** The periodic task, at `hz` (re-read every time, so CONFIG SET hz applies). */
  start(): void {
    const tick = () => {
      if (this.closed) return;
      this.cron();
      const hz = Math.max(1, this.node.config.num('hz'));
      this.timer = setTimeout(tick, Math.max(1, Math.floor(1000 / hz)));
      this.timer.unref();
    };
    this.timer = setTimeout(tick, 100);
    this.timer.unref();
  }

  cron(): void {
    this.aof.cron();
    this.rdb.cron?.();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    await this.aof.close();
    await this.rdb.close?.();
  }

  /**
   * prepareForShutdown's persistence part, to run before the final SAVE: refuse while
   * the first AOF is still being written (unless force), stop BGSAVE / BGREWRITEAOF,
   * write and fsync the AOF buffer. Returns the reply when the shutdown must abort.
   */
  prepareForShutdown(force: boolean): ErrorReply | null {
    const aof = this.aof;
    if (aof.state === 'wait' && aof.rewriteInProgress) {
      if (!force) {
        this.node.log('warning', 'Writing initial AOF, can\'t exit.');
        return new ErrorReply('ERR Errors trying to SHUTDOWN. Check logs.');
      }
      this.node.log('warning', 'Writing initial AOF. Exit anyway.');
    }
    this.rdb.killBackground?.();
    aof.prepareForShutdown();
    return null;
  }

  /** writeCommandsDeniedByDiskError: the RDB condition first, then the AOF one. */
  misconf(s: Session, spec: CommandSpec): ErrorReply | null {
    const r = this.rdb.misconf?.() ?? null;
    if (r !== null && deniedOnDiskError(s, spec)) return r;
    return this.aof.misconf(s, spec);
  }

  // ---- PersistencePort -----------------------------------------------------------

  save(): Reply {
    return this.rdb.save();
  }

  bgsave(schedule: boolean): Reply {
    return this.rdb.bgsave(schedule);
  }

  bgrewriteaof(): Reply {
    return this.aof.bgrewriteaof();
  }

  lastSave(): number {
    return this.rdb.lastSave();
  }

  debugReload(opts: { save: boolean; merge: boolean }): Reply {
    return this.rdb.debugReload?.(opts) ?? new ErrorReply('ERR Error trying to load the RDB dump');
  }

  debugLoadAof(): Reply {
    return this.aof.debugLoadAof();
  }

  /**
   * A canonical byte form of a value for DEBUG DIGEST / DIGEST-VALUE: independent of
   * the encoding and of hash-table order (sets and hashes sorted), so equal contents
   * digest equal, as Redis's order-independent digest does.
   */
  serializeValue(v: Value): string {
    const r = toRdbValue(v);
    if (typeof r === 'string') return r;
    const len = (s: string) => `${s.length}:${s}`;
    switch (r.type) {
      case 'list': return 'l' + r.items.map(len).join('');
      case 'set': return 's' + r.members.map(len).sort().join('');
      case 'hash': return 'h' + r.entries.map(([f, x]) => len(f) + len(x)).sort().join('');
      case 'zset': return 'z' + r.entries.map(([m, sc]) => len(m) + len(String(sc))).sort().join('');
      default: return 'x' + JSON.stringify(r, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
    }
  }

  infoPersistence(): Array<[string, string | number]> {
    const job = this.aof.job;
    const prog = job !== null ? { processed: job.keysProcessed, total: job.keysTotal } : this.rdb.progress?.() ?? null;
    const out: Array<[string, string | number]> = [
      ['async_loading', 0],
      ['current_cow_peak', 0],
      ['current_cow_size', job !== null ? job.cowBytes : 0],
      ['current_cow_size_age', 0],
      ['current_fork_perc', prog !== null && prog.total > 0 ? ((prog.processed / prog.total) * 100).toFixed(2) : '0.00'],
      ['current_save_keys_processed', prog?.processed ?? 0],
      ['current_save_keys_total', prog?.total ?? 0],
      ...this.rdb.info(),
      ...this.aof.info(),
    ];
    if (this.node.loading) {
      const a = this.aof;
      const fromAof = this.node.config.bool('appendonly');
      const total = fromAof ? a.loadingTotal : this.rdb.loading?.total ?? 0;
      const loaded = fromAof ? a.loadingLoaded : this.rdb.loading?.loaded ?? 0;
      const elapsed = Math.floor(Date.now() / 1000) - this.loadStart;
      const remaining = Math.max(1, total - loaded);
      out.push(
        ['loading_start_time', this.loadStart],
        ['loading_total_bytes', total],
        ['loading_rdb_used_mem', 0],
        ['loading_loaded_bytes', loaded],
        ['loading_loaded_perc', (total > 0 ? (loaded / total) * 100 : 0).toFixed(2)],
        ['loading_eta_seconds', elapsed === 0 ? 1 : Math.floor((elapsed * remaining) / (loaded + 1))],
      );
    }
    return out;
  }
}

/**
 * Wires persistence into a node: call after the node is built and before loadData().
 * Returns the Persistence instance (also reachable as node.ports.persistence).
 */
export function attachPersistence(node: ServerNode, opts: PersistenceOptions = {}): Persistence {
  const p = new Persistence(node, opts);
  const aof = p.aof;
  node.ports.persistence = p;
  node.addLoader(() => p.load());
  node.addBeforeFlush(() => aof.writer.beforeFlush());
  node.addCloseHook(() => p.close());
  node.gates.add('misconf', (s, spec) => p.misconf(s, spec));
  const cfg = node.config;
  cfg.onChange('appendonly', (v) => {
    if (v === 'yes') {
      if (!aof.enable()) throw new Error('Unable to turn on AOF. Check server logs.');
    } else {
      aof.disable();
    }
  });
  cfg.onChange('aof-disable-auto-gc', (v) => {
    if (v === 'no') aof.delHistory();
  });
  p.start();
  return p;
}

export function isFatalPersistenceError(e: unknown): e is FatalPersistenceError {
  return e instanceof FatalPersistenceError;
}

/**
 * ServerNode: one Tessera node's engine — databases, command table, sessions,
 * dispatcher, write log, blocking, expiry, stats. It knows nothing of sockets: the
 * network layer creates sessions with a transport, feeds argv arrays in, and flushes
 * replies when the node says so (end of tick, after the AOF has what they depend on).
 *
 * Many nodes can live in one process: all state hangs off the instance.
 * Imports: commands, keyspace, protocol, config, util, engine.
 */
import { randomBytes } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { ClientState, CommandStats, NotifyClass, Ports, ServerApi } from '../commands/context.js';
import { F, type CommandSpec } from '../commands/spec.js';
import { buildCommandTable } from '../commands/table.js';
import { Database, type KeyspaceHooks } from '../keyspace/database.js';
import { ErrorReply, PushReply, RawReply, type Reply } from '../protocol/reply.js';
import { type Clock, systemClock } from '../util/clock.js';
import { Logger } from '../util/logger.js';
import { quoteArg } from '../protocol/split-args.js';
import { BlockingManager } from './blocking.js';
import { CallContext } from './context.js';
import { Dispatcher } from './dispatcher.js';
import { activeExpireCycle } from './expiry.js';
import { buildInfo } from './info.js';
import { Session, type ClientTransport } from './session.js';
import { LatencyMonitor, Slowlog, Stats } from './stats.js';
import { WatchRegistry } from './watch.js';
import { WriteLog } from './write-log.js';
import { execTransaction } from './transactions.js';
import { GateChain } from './gates.js';
import { Evictor } from './eviction.js';
import { notifyFlags, type PubSubPort } from './notify.js';
import { PubSub } from './pubsub.js';

export const REDIS_VERSION = '7.0.15';
export const TESSERA_VERSION = '0.1.0';

export interface NodeOptions {
  config: Config;
  clock?: Clock;
  logger?: Logger;
  configFile?: string;
  executable?: string;
}

/** Called at the end of a tick before replies leave; may return a promise (fsync). */
export type BeforeFlushHook = () => Promise<void> | void;

export class ServerNode implements ServerApi {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly dbs: Database[] = [];
  /** The command table clients see: rename-command applied. */
  readonly table: Map<string, CommandSpec>;
  /** Every command under its own name: the AOF and the replication stream may use those. */
  readonly originalTable: ReadonlyMap<string, CommandSpec>;
  readonly stats = new Stats();
  readonly runId = randomBytes(20).toString('hex');
  readonly startTime = Date.now();
  readonly writeLog = new WriteLog();
  readonly watches = new WatchRegistry();
  readonly blocking = new BlockingManager();
  readonly gates = new GateChain();
  /** maxmemory eviction and the OOM gate. */
  readonly evictor: Evictor;
  readonly ports: Ports & { pubsub?: PubSubPort } = {};
  readonly slowlog: Slowlog;
  readonly latency: LatencyMonitor;
  readonly dispatcher: Dispatcher;
  readonly ctx: CallContext;
  readonly configFile: string;
  readonly executable: string;
  port = 0;
  dirty = 0;
  loading = false;
  activeExpireEnabled = true;
  /** Time of the command being executed; expiry checks read it. */
  commandTime = 0;
  /** Set when this node is a replica (replication subsystem). */
  isReplica = false;
  private nextClientId = 1;
  readonly sessions = new Map<number, Session>();
  private readonly monitors = new Set<Session>();
  private readonly beforeFlush: BeforeFlushHook[] = [];
  private readonly pendingFlush = new Set<{ flushNow(): void }>();
  private flushScheduled = false;
  private flushing: Promise<void> | null = null;
  private cronTimer: NodeJS.Timeout | null = null;
  private notifyMask = 0;
  pausedUntil = 0;
  pauseWritesOnly = false;

  constructor(opts: NodeOptions) {
    this.config = opts.config;
    this.clock = opts.clock ?? systemClock;
    this.logger = opts.logger ?? new Logger();
    this.configFile = opts.configFile ?? '';
    this.executable = opts.executable ?? process.argv[1] ?? '';
    this.originalTable = buildCommandTable();
    this.table = renamedTable(this.originalTable, this.config.renames());
    const node = this;
    const hooks: KeyspaceHooks = {
      now: () => this.commandTime || this.clock.now(),
      expired: (db, key) => this.keyExpired(db, key),
      modified: (db, key) => this.keyModified(db.id, key),
      get noExpireDeletes() { return node.isReplica; },
      // Loading a snapshot adds keys silently (dbAddRDBLoad); every other creation is "new".
      created: (db, key) => { if (!this.loading) this.notifyKeyspaceEvent('n', 'new', key, db.id); },
    };
    const n = this.config.num('databases');
    for (let i = 0; i < n; i++) this.dbs.push(new Database(i, hooks));
    this.ctx = new CallContext(this);
    this.dispatcher = new Dispatcher(this, this.ctx);
    this.blocking.attach(this.dispatcher);
    this.ports.pubsub = new PubSub();
    this.slowlog = new Slowlog(() => ({
      slowerThan: this.config.num('slowlog-log-slower-than'),
      maxLen: this.config.num('slowlog-max-len'),
    }));
    this.latency = new LatencyMonitor(() => this.config.num('latency-monitor-threshold'));
    // The numeric view, not the string: CONFIG GET's form hides 'n' behind 'A' (as in 7.0).
    this.notifyMask = this.config.num('notify-keyspace-events');
    this.config.onChange('notify-keyspace-events', () => { this.notifyMask = this.config.num('notify-keyspace-events'); });
    this.evictor = new Evictor(this);
    this.gates.add('oom', (s, spec) => this.evictor.gate(s, spec));
  }

  /** Starts the periodic tasks (active expiry, client timeouts) at `hz`. */
  startCron(): void {
    const tick = () => {
      try {
        this.cron();
      } catch (e) {
        this.log('warning', `cron failed: ${(e as Error).stack ?? String(e)}`);
      }
      this.cronTimer = setTimeout(tick, Math.max(1, Math.floor(1000 / this.config.num('hz'))));
      this.cronTimer.unref();
    };
    this.cronTimer = setTimeout(tick, 100);
    this.cronTimer.unref();
  }

  /** One run of the periodic tasks (Redis's serverCron): active expiry, idle clients. */
  cron(): void {
    this.commandTime = 0;
    const t0 = process.hrtime.bigint();
    activeExpireCycle({
      dbs: this.dbs,
      stats: this.stats,
      activeExpireEnabled: this.activeExpireEnabled,
      hz: () => this.config.num('hz'),
      effort: () => this.config.num('active-expire-effort'),
      now: () => this.clock.now(),
      isReplica: () => this.isReplica,
    });
    // A slow expiry cycle is a latency event of its own, as in Redis (whole ms, truncated).
    this.latency.record('expire-cycle', Math.floor(Number(process.hrtime.bigint() - t0) / 1e6));
    this.closeIdleClients();
    for (const h of this.cronHooks) h();
    this.flushSoon();
  }

  private readonly cronHooks: Array<() => void> = [];

  /** Subsystems add periodic work (save points, AOF fsync, rewrite triggers). */
  addCronHook(h: () => void): void {
    this.cronHooks.push(h);
  }

  stopCron(): void {
    if (this.cronTimer) clearTimeout(this.cronTimer);
    this.cronTimer = null;
    this.evictor.close();
  }

  // ---- sessions -------------------------------------------------------------

  createSession(t: ClientTransport): Session {
    const s = new Session(this.nextClientId++, t, this.clock.now(), this.config.str('requirepass') !== '');
    this.sessions.set(s.id, s);
    this.stats.totalConnections++;
    return s;
  }

  removeSession(s: Session): void {
    if (s.closed) return;
    s.closed = true;
    this.sessions.delete(s.id);
    this.monitors.delete(s);
    this.watches.unwatchAll(s);
    this.blocking.remove(s);
    this.ports.pubsub?.removeClient(s);
  }

  clients(): ClientState[] {
    return [...this.sessions.values()];
  }

  killClient(id: number): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    s.transport.close(true);
    return true;
  }

  pauseClients(until: number, writesOnly: boolean): void {
    this.pausedUntil = until;
    this.pauseWritesOnly = writesOnly;
  }

  /** Connections holding a command back until CLIENT PAUSE ends. */
  private readonly pauseHeld = new Set<{ process(): void }>();
  private pauseTimer: NodeJS.Timeout | null = null;

  /**
   * CLIENT PAUSE: should this command wait? ALL holds every command; WRITE holds commands
   * that write or may replicate, and an EXEC whose queue holds one (Redis 7.0's rules).
   * A held connection is resumed when the pause ends or is lifted.
   */
  pauseHolds(s: Session, argv: string[], waiter: { process(): void }): boolean {
    if (Date.now() >= this.pausedUntil) {
      this.unpauseClients();
      return false;
    }
    if (s.isMonitor) return false;
    if (this.pauseWritesOnly) {
      const spec = this.dispatcher.lookup(argv);
      if (spec instanceof ErrorReply) return false;
      const writeish = F.write | F.may_replicate;
      let holds = (spec.flags & writeish) !== 0;
      if (spec.name === 'exec' && s.multi !== null) holds = s.multi.queue.some((q) => (q.spec.flags & writeish) !== 0);
      if (!holds) return false;
    }
    this.pauseHeld.add(waiter);
    if (this.pauseTimer === null) this.armPauseTimer();
    return true;
  }

  /** Ends the pause at its deadline (re-armed when CLIENT PAUSE extended it). */
  private armPauseTimer(): void {
    this.pauseTimer = setTimeout(() => {
      this.pauseTimer = null;
      if (this.pausedUntil === 0 || Date.now() >= this.pausedUntil) this.unpauseClients();
      else this.armPauseTimer();
    }, Math.max(1, Math.min(this.pausedUntil - Date.now(), 2 ** 31 - 1)));
  }

  unpauseClients(): void {
    this.pausedUntil = 0;
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = null;
    const held = [...this.pauseHeld];
    this.pauseHeld.clear();
    for (const w of held) setImmediate(() => w.process());
  }

  unblockClient(id: number, withError: boolean): boolean {
    const s = this.sessions.get(id);
    if (!s || !s.blocked) return false;
    return this.blocking.unblock(s, withError);
  }

  addMonitor(c: ClientState): void {
    const s = c as Session;
    s.isMonitor = true;
    this.monitors.add(s);
  }

  get monitorCount(): number {
    return this.monitors.size;
  }

  feedMonitors(s: Session, argv: readonly string[]): void {
    if (this.monitors.size === 0) return;
    const t = this.clock.now();
    let line = `+${Math.floor(t / 1000)}.${String((t % 1000) * 1000).padStart(6, '0')} [${s.dbIndex} ${s.addr}]`;
    for (const a of argv) line += ' ' + quoteArg(a);
    const bytes = Buffer.from(line + '\r\n', 'latin1');
    for (const m of this.monitors) if (m !== s) m.push(new RawReply(bytes));
  }

  private closeIdleClients(): void {
    const timeout = this.config.num('timeout');
    if (timeout <= 0) return;
    const now = this.clock.now();
    for (const s of this.sessions.values()) {
      if (s.blocked || s.isMonitor || s.subscriptionCount() > 0) continue;
      if (now - s.lastInteraction > timeout * 1000) {
        this.log('verbose', 'Closing idle client');
        s.transport.close(false);
      }
    }
  }

  // ---- commands -------------------------------------------------------------

  commandTable(): ReadonlyMap<string, CommandSpec> {
    return this.table;
  }

  lookupCommand(argv: readonly string[]): CommandSpec | undefined {
    const r = this.dispatcher.resolve(argv.length >= 2 ? argv : [argv[0] ?? '']);
    if (r instanceof ErrorReply) {
      return this.table.get((argv[0] ?? '').toLowerCase());
    }
    return r;
  }

  statsFor(spec: CommandSpec): CommandStats {
    return this.stats.forCommand(spec.id);
  }

  countError(err: ErrorReply): void {
    this.stats.totalErrorReplies++;
    const code = err.code;
    this.stats.errorCodes.set(code, (this.stats.errorCodes.get(code) ?? 0) + 1);
  }

  unexpectedError(e: unknown, spec: CommandSpec): ErrorReply {
    if (e instanceof ErrorReply) return e;
    this.stats.unexpectedErrorReplies++;
    const err = e instanceof Error ? e : new Error(String(e));
    this.log('warning', `Unexpected error in '${spec.fullName}': ${err.stack ?? err.message}`);
    return new ErrorReply(`ERR internal error in '${spec.fullName}': ${err.message}`);
  }

  slowlogRecord(s: Session, argv: readonly string[], usec: number): void {
    this.slowlog.record(argv, usec, s.addr, s.name);
  }

  /** Runs the command of an internal client (AOF loading, replication stream). */
  executeInternal(s: Session, argv: string[]): Reply | undefined {
    let spec = this.dispatcher.resolve(argv);
    // A renamed command still runs under its own name here (Redis's lookupCommandOrOriginal).
    if (spec instanceof ErrorReply && !this.table.has(argv[0]!.toLowerCase())) spec = this.dispatcher.resolve(argv, this.originalTable);
    if (spec instanceof ErrorReply) return spec;
    const r = this.dispatcher.call(s, spec, argv, false);
    return r as Reply | undefined;
  }

  execTransaction(c: ClientState): Reply {
    return execTransaction(this, c as Session);
  }

  watchKey(c: ClientState, db: number, key: string): void {
    const e = this.dbs[db]?.peek(key);
    const expired = e !== undefined && e.expireAt !== 0 && e.expireAt <= this.clock.now();
    this.watches.watch(c as Session, db, key, expired);
  }

  unwatchAll(c: ClientState): void {
    this.watches.unwatchAll(c as Session);
  }

  resetClient(c: ClientState): void {
    const s = c as Session;
    s.multi = null;
    this.watches.unwatchAll(s);
    this.monitors.delete(s);
    s.isMonitor = false;
    this.ports.pubsub?.removeClient(s);
    s.dbIndex = 0;
    s.resp = 2;
    s.name = '';
    s.replyMode = 'on';
    s.noEvict = false;
    s.noTouch = false;
    s.authenticated = this.config.str('requirepass') === '';
    s.user = 'default';
  }

  // ---- keyspace effects -----------------------------------------------------

  /** Depth of dispatcher calls in progress, and keys they touched (for WATCH). */
  callDepth = 0;
  readonly touchedDb: number[] = [];
  readonly touchedKey: string[] = [];

  /**
   * A key was created, changed, deleted or had its TTL changed. Inside a command the
   * key is remembered and WATCHes break only if the command really changed the dataset
   * (dirty > 0): a handler may prepare a key for writing and then change nothing
   * (LREM with no match). Outside a command (cron, loading) it breaks them at once.
   */
  private keyModified(db: number, key: string): void {
    if (this.watches.size === 0) return;
    if (this.callDepth > 0) {
      this.touchedDb.push(db);
      this.touchedKey.push(key);
    } else {
      this.watches.touch(db, key);
    }
  }

  /** Called by the dispatcher when a call ends: apply or drop the keys it touched. */
  settleTouched(mark: number, changed: boolean): void {
    if (changed) for (let i = mark; i < this.touchedKey.length; i++) this.watches.touch(this.touchedDb[i]!, this.touchedKey[i]!);
    this.touchedDb.length = mark;
    this.touchedKey.length = mark;
  }

  private keyExpired(db: Database, key: string): void {
    this.stats.expiredKeys++;
    this.writeLog.append(db.id, ['DEL', key]);
    this.notifyKeyspaceEvent('g' as NotifyClass, 'expired', key, db.id, 'x');
    this.watches.touchExpired(db.id, key);
  }

  /**
   * Publishes keyspace/keyevent notifications when notify-keyspace-events enables the
   * class. `letter` overrides the class letter (expired uses 'x').
   */
  notifyKeyspaceEvent(cls: NotifyClass, event: string, key: string, dbIndex: number, letter?: string): void {
    const mask = this.notifyMask;
    if (mask === 0) return;
    const bit = notifyFlags(letter ?? cls);
    if (!(mask & bit)) return;
    const ps = this.ports.pubsub;
    if (!ps) return;
    if (mask & notifyFlags('K')) ps.publish(`__keyspace@${dbIndex}__:${key}`, event);
    if (mask & notifyFlags('E')) ps.publish(`__keyevent@${dbIndex}__:${event}`, key);
  }

  signalReady(db: number, key: string): void {
    this.blocking.signal(db, key);
  }

  touchAllWatched(emptied: number, replacedWith: number | null = null): void {
    this.watches.touchEmptied(this.dbs[emptied]!, replacedWith === null ? null : this.dbs[replacedWith]!);
  }

  memoryFreed(bytes: number): void {
    this.evictor.noteFreed(bytes);
  }

  flushAll(): number {
    let n = 0;
    for (const db of this.dbs) {
      this.watches.touchEmptied(db, null);
      n += db.flush();
    }
    return n;
  }

  // ---- output -----------------------------------------------------------------

  private readonly closeList: Array<() => Promise<void> | void> = [];
  private readonly loaders: Array<() => Promise<void> | void> = [];

  /** Persistence registers how to load data at start-up (AOF, then RDB). */
  addLoader(l: () => Promise<void> | void): void {
    this.loaders.push(l);
  }

  /** Loads the dataset, answering LOADING meanwhile. */
  async loadData(): Promise<void> {
    if (this.loaders.length === 0) return;
    this.loading = true;
    try {
      for (const l of this.loaders) await l();
    } finally {
      this.loading = false;
    }
  }

  /**
   * What ends this node after SHUTDOWN or SIGTERM. The composition root sets it: an
   * embedded server closes its listeners; the binary also exits the process.
   */
  onShutdown: (() => Promise<void>) | null = null;
  private shuttingDown = false;

  /**
   * SHUTDOWN / SIGTERM: save first when save points are configured (or SAVE is asked),
   * unless NOSAVE; a failed save aborts the shutdown (unless FORCE) with Redis's error.
   * Otherwise the node closes after the current tick and the caller gets no reply.
   */
  shutdown(opts: { save?: boolean; nosave?: boolean; now?: boolean; force?: boolean }): Reply | undefined {
    if (this.shuttingDown) return undefined;
    this.log('warning', 'User requested shutdown...');
    const p = this.ports.persistence;
    // Stop background saves/rewrites and flush the AOF first; it may refuse (the
    // first AOF is still being written), which aborts the shutdown unless FORCE.
    const prep = p?.prepareForShutdown?.(opts.force ?? false);
    if (prep instanceof ErrorReply) return prep;
    const wantSave = !opts.nosave && (opts.save || this.config.saveParams().length > 0);
    if (p && wantSave) {
      this.log('notice', 'Saving the final RDB snapshot before exiting.');
      const r = p.save();
      if (r instanceof ErrorReply && !opts.force) {
        this.log('warning', 'Error trying to save the DB, can\'t exit.');
        return new ErrorReply('ERR Errors trying to SHUTDOWN. Check logs.');
      }
    }
    this.shuttingDown = true;
    const done = this.onShutdown;
    setImmediate(() => {
      void (async () => {
        if (done) await done();
        this.log('warning', 'Redis is now ready to exit, bye bye...');
      })();
    });
    return undefined;
  }

  /** Subsystems register what must happen when the server closes (final fsync...). */
  addCloseHook(h: () => Promise<void> | void): void {
    this.closeList.push(h);
  }

  async closeHooks(): Promise<void> {
    for (const h of this.closeList) await h();
  }

  addBeforeFlush(h: BeforeFlushHook): void {
    this.beforeFlush.push(h);
  }

  /** A transport has output: flush it at the end of this tick. */
  scheduleFlush(t: { flushNow(): void }): void {
    this.pendingFlush.add(t);
    this.flushSoon();
  }

  private flushSoon(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flushTick());
  }

  /**
   * End of tick: first let the AOF write (and fsync, for appendfsync always) what the
   * pending replies depend on, then write the replies. While an fsync is in flight,
   * replies produced meanwhile wait for the next round, so no reply overtakes its write.
   */
  private flushTick(): void {
    this.flushScheduled = false;
    if (this.flushing) {
      void this.flushing.then(() => this.flushSoon());
      return;
    }
    const targets = [...this.pendingFlush];
    this.pendingFlush.clear();
    let wait: Promise<void>[] | null = null;
    for (const h of this.beforeFlush) {
      const r = h();
      if (r) (wait ??= []).push(r);
    }
    if (wait === null) {
      for (const t of targets) t.flushNow();
      return;
    }
    this.flushing = Promise.all(wait).then(
      () => {
        this.flushing = null;
        for (const t of targets) t.flushNow();
      },
      (e) => {
        this.flushing = null;
        this.log('warning', `Write barrier failed: ${String(e)}`);
        for (const t of targets) t.flushNow();
      },
    );
  }

  // ---- misc -------------------------------------------------------------------

  info(sections: string[]): string {
    return buildInfo(this, sections);
  }

  log(level: 'debug' | 'verbose' | 'notice' | 'warning', msg: string): void {
    this.logger.log(level, msg);
  }

  /** Pushes a pub/sub style frame to a session. */
  pushTo(s: Session, items: Reply[]): void {
    s.push(new PushReply(items));
  }
}

/** The table after `rename-command from to` lines; an empty `to` removes the command. */
function renamedTable(original: ReadonlyMap<string, CommandSpec>, renames: Array<[string, string]>): Map<string, CommandSpec> {
  const table = new Map(original);
  for (const [from, to] of renames) {
    const spec = table.get(from.toLowerCase());
    if (spec === undefined) continue;
    table.delete(from.toLowerCase());
    if (to !== '') table.set(to.toLowerCase(), spec);
  }
  return table;
}

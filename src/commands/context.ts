/**
 * The contract between command handlers and the engine.
 *
 * Handlers are synchronous functions `(ctx, argv) => Reply | BlockRequest`. They read
 * their arguments, use the keyspace through ctx.db, and report effects through ctx
 * (dirty counts, propagation overrides, notifications). They never touch sockets and
 * never await: running to completion is what makes a command atomic.
 *
 * The engine implements these interfaces; commands/ only sees them, which keeps the
 * dependency arrow pointing one way (engine -> commands).
 * Imports: keyspace, protocol/reply, config (types only).
 */
import type { ErrorReply, Reply } from '../protocol/reply.js';
import type { Database } from '../keyspace/database.js';
import type { Value } from '../keyspace/value.js';
import type { Config } from '../config/config.js';
import type { CommandSpec } from './spec.js';

export type Handler = (ctx: CommandContext, argv: string[]) => Reply | BlockRequest;

/**
 * Returned by a blocking command that cannot be served now. The engine parks the
 * client on `keys` and calls `retry` whenever one of them is signalled ready, passing
 * that key (Redis serves a waiter from the key that became ready, not from the first
 * of its keys); `retry` returns the reply, or undefined to keep waiting. On timeout the
 * client gets `timeoutReply`.
 */
export class BlockRequest {
  constructor(
    readonly keys: string[],
    /** Absolute deadline in ms, 0 for forever. */
    readonly deadline: number,
    readonly retry: (ctx: CommandContext, argv: string[], readyKey: string) => Reply | undefined,
    readonly timeoutReply: Reply,
  ) {}
}

/** Per-connection state that commands may read or change. */
export interface ClientState {
  readonly id: number;
  name: string;
  libName: string;
  libVer: string;
  resp: 2 | 3;
  dbIndex: number;
  authenticated: boolean;
  user: string;
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  readonly createdAt: number;
  lastInteraction: number;
  replyMode: 'on' | 'off' | 'skip';
  noEvict: boolean;
  noTouch: boolean;
  /** MULTI state: null outside a transaction. */
  multi: { queue: Array<{ spec: CommandSpec; argv: string[] }>; dirty: boolean } | null;
  readonly watched: ReadonlyMap<string, { db: number; expired: boolean }>;
  /** True once a watched key changed: EXEC will fail. */
  watchDirty: boolean;
  /** Subscription counts (pub/sub); RESP2 clients with any are in subscribed mode. */
  subscriptionCount(): number;
  /** Last command name, for CLIENT LIST cmd=. */
  lastCommand: string;
  /** Close after the pending replies are written (QUIT, CLIENT KILL of self). */
  closeAfterReply: boolean;
  /** Flag letters for CLIENT LIST flags= (N, x, b, P, ...). */
  flagString(): string;
  /** Output and query buffer sizes for CLIENT LIST. */
  readonly queryBufferSize: number;
  readonly outputBufferSize: number;
  readonly isMonitor: boolean;
}

/** What a command can see and ask of the whole node. */
export interface ServerApi {
  readonly config: Config;
  readonly dbs: readonly Database[];
  readonly stats: ServerStats;
  readonly runId: string;
  readonly startTime: number;
  readonly port: number;
  readonly configFile: string;
  readonly executable: string;
  /** Changes since the last successful save (SAVE points, INFO rdb_changes_since_last_save). */
  dirty: number;
  commandTable(): ReadonlyMap<string, CommandSpec>;
  lookupCommand(argv: readonly string[]): CommandSpec | undefined;
  statsFor(spec: CommandSpec): CommandStats;
  /** Every connected client (CLIENT LIST, INFO clients). */
  clients(): ClientState[];
  killClient(id: number): boolean;
  pauseClients(until: number, writesOnly: boolean): void;
  unpauseClients(): void;
  /** Wake a client blocked by CLIENT PAUSE / blocking commands (CLIENT UNBLOCK). */
  unblockClient(id: number, withError: boolean): boolean;
  addMonitor(client: ClientState): void;
  /** INFO text for the given section names (empty = default). */
  info(sections: string[]): string;
  /**
   * Before database `emptied` is flushed, or swapped with `replacedWith` (SWAPDB calls it
   * for both sides): breaks the WATCHes that this changes, as Redis decides it.
   */
  touchAllWatched(emptied: number, replacedWith?: number | null): void;
  /** Ends the process after an orderly save, or answers why it cannot. */
  shutdown(opts: { save?: boolean; nosave?: boolean; now?: boolean; force?: boolean }): Reply | undefined;
  /** Ports implemented by later subsystems; each may be absent. */
  readonly ports: Ports;
  /** Slowlog and latency tracking. */
  readonly slowlog: SlowlogApi;
  readonly latency: LatencyApi;
  /** Runs fn with the mutation time frozen (DEBUG SLEEP etc. use real time). */
  log(level: 'debug' | 'verbose' | 'notice' | 'warning', msg: string): void;
  /** Active expiry on/off (DEBUG SET-ACTIVE-EXPIRE). */
  activeExpireEnabled: boolean;
  /** Remove all data in every database, synchronously. */
  flushAll(): number;
  /**
   * A command dropped about this many bytes of values (DEL, UNLINK, FLUSH*). Redis's used
   * memory falls at once when it frees; here a big enough total schedules a GC.
   */
  memoryFreed(bytes: number): void;
  /** MULTI/EXEC/WATCH live in the engine (EXEC re-enters the dispatcher). */
  execTransaction(client: ClientState): Reply;
  watchKey(client: ClientState, db: number, key: string): void;
  unwatchAll(client: ClientState): void;
  /** RESET: back to a fresh connection's state. */
  resetClient(client: ClientState): void;
  /** Unsubscribe everything (RESET, HELLO downgrade). */
  readonly isReplica: boolean;
  /** A dataset is being loaded (CONFIG SET refuses DENY_LOADING directives meanwhile). */
  readonly loading: boolean;
}

/** Persistence, replication, pub/sub and blocking register themselves here. */
export interface Ports {
  persistence?: PersistencePort;
  pubsub?: unknown;
  /** DUMP / RESTORE payload codec (lives in persistence, which commands may not import). */
  serializer?: SerializerPort;
  /** MIGRATE's cached connections to other instances (lives in network). */
  migrate?: MigratePort;
}

/** What one MIGRATE round trip gave: the reply lines read, or where it failed. */
export interface MigrateExchange {
  ok: boolean;
  /** 'connect', 'write' or 'read' when !ok; 'done' otherwise. */
  stage: 'connect' | 'write' | 'read' | 'done';
  timedOut: boolean;
  /** Reply lines (without CRLF) read before any failure. */
  lines: string[];
}

/**
 * Synchronous, like Redis's MIGRATE: exchange() returns only once the target answered
 * `replies` single-line replies to `payload`, or a step hit `timeoutMs`.
 */
export interface MigratePort {
  exchange(host: string, port: string, payload: Buffer, replies: number, timeoutMs: number): MigrateExchange;
  /** The DB the cached connection last SELECTed, -1 when unknown or not cached. */
  lastDb(host: string, port: string): number;
  setLastDb(host: string, port: string, db: number): void;
  close(host: string, port: string): void;
  readonly cachedSockets: number;
}

/**
 * Values to and from DUMP payloads (latin1 strings). `restore` throws an ErrorReply with
 * Redis's text: "ERR DUMP payload version or checksum are wrong" or "ERR Bad data format".
 */
export interface SerializerPort {
  dump(value: Value): string;
  restore(payload: string, skipChecksum: boolean): Value;
}

export interface PersistencePort {
  save(): Reply;
  bgsave(schedule: boolean): Reply;
  bgrewriteaof(): Reply;
  lastSave(): number;
  infoPersistence(): Array<[string, string | number]>;
  /**
   * Before SHUTDOWN's final save: stop background saves and rewrites, flush and fsync
   * the AOF. An error reply aborts the shutdown (e.g. the first AOF is still being
   * written) unless forced.
   */
  prepareForShutdown?(force: boolean): ErrorReply | null;
  /** DEBUG RELOAD: save then load back. */
  debugReload(opts: { save: boolean; merge: boolean }): Reply;
}

export interface CommandStats {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
}

export interface ServerStats {
  totalConnections: number;
  totalCommands: number;
  rejectedConnections: number;
  expiredKeys: number;
  expiredStalePerc: number;
  expiredTimeCapReached: number;
  evictedKeys: number;
  keyspaceHits: number;
  keyspaceMisses: number;
  netInputBytes: number;
  netOutputBytes: number;
  totalErrorReplies: number;
  errorCodes: Map<string, number>;
  pubsubChannels?: number;
  unexpectedErrorReplies: number;
  clientQueryBufferLimitDisconnections: number;
  clientOutputBufferLimitDisconnections: number;
  reset(): void;
  /** A command's latency histogram (by command id), once latency tracking sampled it. */
  latencyHistogram(id: number): LatencyView | undefined;
}

/** Read side of a per-command latency histogram (LATENCY HISTOGRAM, INFO latencystats). */
export interface LatencyView {
  readonly total: number;
  /** [bucket upper bound in µs, cumulative count] per power-of-two bucket that grew. */
  cumulative(): Array<[number, number]>;
  /** Nanoseconds at a percentile (0-100). */
  valueAtPercentile(percentile: number): number;
}

export interface SlowlogApi {
  get(count: number): Reply;
  len(): number;
  reset(): void;
}

export interface LatencyApi {
  latest(): Reply;
  history(event: string): Reply;
  reset(events: string[]): number;
  doctor(): string;
  /** LATENCY GRAPH: the event's ASCII sparkline, or Redis's "No samples" error. */
  graph(event: string): Reply;
  record(event: string, ms: number): void;
}

/** Keyspace notification classes, as the letters of notify-keyspace-events. */
export type NotifyClass = 'g' | '$' | 'l' | 's' | 'h' | 'z' | 'x' | 'e' | 't' | 'm' | 'd' | 'n';

export interface CommandContext {
  readonly server: ServerApi;
  readonly client: ClientState;
  /** The client's current database. */
  readonly db: Database;
  /** Command time in ms, fixed for the whole command (and for a whole EXEC). */
  readonly now: number;
  /** True inside EXEC (blocking commands behave as their non-blocking forms). */
  readonly inExec: boolean;
  /** Counts changes: feeds SAVE points and tells the dispatcher to propagate. */
  dirty(n?: number): void;
  /** Replaces what the write log records for this command (deterministic form). */
  rewrite(argv: string[]): void;
  /** Adds an extra effect to the write log, after the command's own. */
  propagate(argv: string[], dbIndex?: number): void;
  /** Suppresses the default propagation even though dirty was raised. */
  preventPropagation(): void;
  /** Keyspace notification, filtered by notify-keyspace-events. */
  notify(cls: NotifyClass, event: string, key: string, dbIndex?: number): void;
  /** WATCH invalidation for a key in another database than the current one. */
  signalModified(key: string, dbIndex?: number): void;
  /** Wakes clients blocked on this key (list/zset/stream pushes). */
  signalReady(key: string, dbIndex?: number): void;
  /** Switch the client's database (SELECT); false when out of range. */
  select(index: number): boolean;
}

/**
 * The dispatcher: runs the gate chain in Redis's order, then calls the handler and
 * records its effects (stats, propagation to the write log, WATCH invalidation,
 * slowlog, blocking).
 *
 * Gate order (server.c processCommand): lookup -> arity -> auth -> no-multi -> (ACL) ->
 * (cluster routing) -> (OOM) -> MISCONF -> read-only replica -> pub/sub context ->
 * LOADING -> queue inside MULTI -> call. Later subsystems plug into the bracketed gates
 * through the node's ports, so this order is the one place that defines precedence.
 * Imports: commands, protocol, engine.
 */
import { BlockRequest } from '../commands/context.js';
import * as E from '../commands/errors.js';
import { F, type CommandSpec } from '../commands/spec.js';
import { shownArgv } from '../commands/redact.js';
import { ErrorReply, QUEUED, type Reply } from '../protocol/reply.js';
import type { CallContext } from './context.js';
import type { ServerNode } from './node.js';
import type { Session } from './session.js';

/** Commands a RESP2 client may run while subscribed. */
const PUBSUB_ALLOWED = new Set(['subscribe', 'psubscribe', 'ssubscribe', 'unsubscribe', 'punsubscribe', 'sunsubscribe', 'ping', 'quit', 'reset']);
/** Commands that run immediately inside MULTI instead of being queued. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

export class Dispatcher {
  /** Config read on every call, cached here so the hot path does no lookups. */
  private slowerThan: number;
  private latencyTracking: boolean;
  private readonly isSensitive = (directive: string): boolean => this.node.config.isSensitive(directive);

  constructor(private readonly node: ServerNode, private readonly ctx: CallContext) {
    const cfg = node.config;
    this.slowerThan = cfg.num('slowlog-log-slower-than');
    this.latencyTracking = cfg.bool('latency-tracking');
    cfg.onChange('slowlog-log-slower-than', () => { this.slowerThan = cfg.num('slowlog-log-slower-than'); });
    cfg.onChange('latency-tracking', () => { this.latencyTracking = cfg.bool('latency-tracking'); });
  }

  /** Resolves argv to a command or subcommand spec (arity unchecked), or an error reply. */
  lookup(argv: readonly string[], table: ReadonlyMap<string, CommandSpec> = this.node.table): CommandSpec | ErrorReply {
    const name = argv[0]!;
    const spec = table.get(name) ?? table.get(name.toLowerCase());
    if (spec === undefined) return E.unknownCommand(name, argv.slice(1));
    if (spec.subcommands !== undefined) {
      if (argv.length < 2) return spec;
      const sub = spec.subcommands.get(argv[1]!.toLowerCase());
      if (sub === undefined) return E.unknownSubcommand(argv[1]!, name);
      return sub;
    }
    return spec;
  }

  /** lookup plus the arity check. */
  resolve(argv: readonly string[], table?: ReadonlyMap<string, CommandSpec>): CommandSpec | ErrorReply {
    const spec = this.lookup(argv, table);
    if (spec instanceof ErrorReply) return spec;
    return checkArity(spec, argv.length) ?? spec;
  }

  /** Entry point for a command from a client. Writes the reply to the session. */
  execute(s: Session, argv: string[]): void {
    const node = this.node;
    node.stats.totalCommands++;
    s.lastInteraction = node.clock.now();
    const spec = this.lookup(argv);
    if (spec instanceof ErrorReply) {
      this.reject(s, spec, null);
      return;
    }
    s.lastCommand = spec.fullName;
    const arityError = checkArity(spec, argv.length);
    if (arityError !== null) return this.reject(s, arityError, spec, argv);
    const flags = spec.flags;
    if (!s.authenticated && !(flags & F.no_auth)) return this.reject(s, E.NOAUTH, spec, argv);
    if (s.multi !== null && flags & F.no_multi) return this.reject(s, E.NOT_IN_MULTI, spec, argv);
    const gateError = node.gates.check(s, spec, argv);
    if (gateError !== null) return this.reject(s, gateError, spec, argv);
    if (s.resp === 2 && s.subscriptionCount() > 0 && !PUBSUB_ALLOWED.has(spec.name)) {
      return this.reject(s, E.pubsubContext(spec.fullName), spec, argv);
    }
    if (node.loading && !(flags & F.loading)) return this.reject(s, E.LOADING, spec, argv);
    if (s.multi !== null && !MULTI_IMMEDIATE.has(spec.name)) {
      s.multi.queue.push({ spec, argv });
      s.reply(QUEUED);
      return;
    }
    const reply = this.call(s, spec, argv, false)!;
    if (reply instanceof BlockRequest) {
      node.blocking.block(s, spec, argv, reply);
      return;
    }
    s.reply(reply);
    if (node.blocking.hasReady()) node.blocking.serveReady();
  }

  /**
   * A gate said no: reply, count it, and doom an open transaction. A rejected EXEC
   * discards the transaction with EXECABORT naming the reason, as Redis does.
   */
  private reject(s: Session, err: ErrorReply, spec: CommandSpec | null, argv?: string[]): void {
    if (spec !== null) this.node.statsFor(spec).rejected++;
    if (s.multi !== null) s.multi.dirty = true;
    // Redis answers any rejected EXEC this way, inside MULTI or not (execCommandAbort).
    if (spec !== null && spec.name === 'exec') {
      // MONITOR saw MULTI; it sees this EXEC too, so the transaction visibly ends.
      if (argv !== undefined && !this.node.loading) this.node.feedMonitors(s, argv);
      s.multi = null;
      this.node.watches.unwatchAll(s);
      const reason = err.text.startsWith('ERR ') ? err.text.slice(4) : err.text;
      err = new ErrorReply(`EXECABORT Transaction discarded because of: ${reason}`);
    }
    this.node.countError(err);
    s.reply(err);
  }

  /**
   * Runs a handler and records its effects. Used for direct calls, for each command of
   * EXEC, and for served blocked clients. Never throws.
   */
  call(
    s: Session, spec: CommandSpec, argv: string[], inExec: boolean,
    fn: (ctx: CallContext, argv: string[]) => Reply | BlockRequest | undefined = spec.run!,
    /** False when serving a blocked client: Redis counts a blocking command once. */
    countCall = true,
  ): Reply | BlockRequest | undefined {
    const node = this.node;
    const ctx = this.ctx;
    // EXEC calls back in here: keep the outer call's state (only then: no allocation
    // for a top-level command).
    const outer = node.callDepth > 0 ? ctx.save() : null;
    ctx.reset(s);
    ctx.inExec = inExec;
    if (!inExec) ctx.now = node.clock.now();
    node.commandTime = ctx.now;
    const dbBefore = s.dbIndex;
    const t0 = process.hrtime.bigint();
    let reply: Reply | BlockRequest | undefined;
    const mark = node.touchedKey.length;
    node.callDepth++;
    try {
      reply = fn(ctx, argv);
    } catch (e) {
      reply = node.unexpectedError(e, spec);
    }
    node.callDepth--;
    if (node.touchedKey.length > mark) node.settleTouched(mark, ctx.dirtyCount > 0);
    const usec = Number(process.hrtime.bigint() - t0) / 1000;
    const st = node.statsFor(spec);
    if (countCall) {
      st.calls++;
      s.commandsProcessed++;
    }
    st.usec += usec;
    if (reply instanceof ErrorReply) {
      st.failed++;
      node.countError(reply);
    }
    if (ctx.dirtyCount > 0 || ctx.extra !== null) this.propagateCall(argv, dbBefore);
    // latency-monitor-threshold is in whole ms, so nothing under 1 ms can be a spike.
    if (usec >= 1000) node.latency.record(spec.flags & F.fast ? 'fast-command' : 'command', Math.round(usec / 1000));
    // AOF loading replays commands silently (Redis runs them outside call()).
    if (!node.loading) {
      // A blocked command is logged and timed when it is served (or unblocked), not now.
      if (reply !== undefined && !(reply instanceof BlockRequest)) this.logCall(s, spec, argv, usec);
      // Inside EXEC each command is shown as it runs, so EXEC itself comes after them.
      if (countCall && node.monitorCount > 0 && !(spec.flags & (F.admin | F.skip_monitor))) node.feedMonitors(s, this.shown(spec, argv));
    }
    ctx.restore(outer);
    return reply;
  }

  /** Slowlog entry and latency histogram sample of one finished call. */
  private logCall(s: Session, spec: CommandSpec, argv: readonly string[], usec: number): void {
    const node = this.node;
    if (this.latencyTracking) node.stats.recordLatency(spec.id, usec);
    const th = this.slowerThan;
    if (th >= 0 && usec >= th && !(spec.flags & F.skip_slowlog)) node.slowlogRecord(s, this.shown(spec, argv), usec);
  }

  /** Arguments as the slowlog and MONITOR show them: secrets redacted. */
  private shown(spec: CommandSpec, argv: readonly string[]): readonly string[] {
    return shownArgv(spec, argv, this.isSensitive);
  }

  /**
   * CLIENT UNBLOCK ... ERROR ended a blocked command: it failed, and Redis counts and
   * logs it now (updateStatsOnUnblock), with no new call.
   */
  unblockedWithError(s: Session, spec: CommandSpec, argv: readonly string[], err: ErrorReply): void {
    const node = this.node;
    node.statsFor(spec).failed++;
    node.countError(err);
    if (!node.loading) this.logCall(s, spec, argv, 0);
  }

  private propagateCall(argv: string[], db: number): void {
    // WATCH invalidation happens in the keyspace (Database's `modified` hook), on the
    // keys that really changed, not on every key argument of a write command.
    const ctx = this.ctx;
    const log = this.node.writeLog;
    const own = ctx.dirtyCount > 0 && !ctx.prevented;
    const extra = ctx.extra;
    const multiple = (own ? 1 : 0) + (extra ? extra.length : 0) > 1;
    if (multiple) log.begin(db);
    if (own) log.append(db, ctx.rewritten ?? argv);
    if (extra) for (const e of extra) log.append(e.db, e.argv);
    if (multiple) log.end();
  }
}

function checkArity(spec: CommandSpec, argc: number): ErrorReply | null {
  const a = spec.arity;
  if ((a > 0 && argc !== a) || argc < -a) return E.wrongArity(spec.fullName);
  return null;
}

/**
 * Session: one client's state inside the engine (database, protocol version, MULTI
 * queue, watched keys, auth, name, reply mode, subscriptions, blocking state).
 *
 * A session never touches its socket. It writes replies into its ReplyWriter and asks
 * the transport (a ClientTransport implemented by network/) to flush or close. Tests and
 * internal clients (AOF loading, replication) can use a transport with no socket.
 * Imports: commands (types), protocol.
 */
import type { ClientState } from '../commands/context.js';
import type { CommandSpec } from '../commands/spec.js';
import { ReplyWriter } from '../protocol/encoder.js';
import { NO_REPLY, type Reply } from '../protocol/reply.js';

export interface ClientTransport {
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  /** Schedule the pending output for the end-of-tick flush. */
  wantFlush(): void;
  /** Close now (after writing what is pending when `graceful`). */
  close(graceful: boolean): void;
  /** Bytes queued in the socket but not yet sent. */
  readonly socketPending: number;
  readonly queryBufferSize: number;
  /** Stop/resume processing input (blocked clients, CLIENT PAUSE). */
  pauseInput(): void;
  resumeInput(): void;
}

export class Session implements ClientState {
  name = '';
  libName = '';
  libVer = '';
  resp: 2 | 3 = 2;
  dbIndex = 0;
  authenticated: boolean;
  user = 'default';
  readonly createdAt: number;
  lastInteraction: number;
  replyMode: 'on' | 'off' | 'skip' = 'on';
  noEvict = false;
  noTouch = false;
  multi: { queue: Array<{ spec: CommandSpec; argv: string[] }>; dirty: boolean } | null = null;
  /** Watched keys: "db\0key" -> its db, and whether it was already expired at WATCH. */
  readonly watched = new Map<string, { db: number; expired: boolean }>();
  watchDirty = false;
  lastCommand = 'NULL';
  closeAfterReply = false;
  isMonitor = false;
  closed = false;
  /** Pub/sub subscriptions, maintained by the pub/sub subsystem. */
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  /** Set while the client waits in a blocking command. */
  blocked: unknown = null;
  readonly out = new ReplyWriter();
  /** Soft output-limit bookkeeping: when the soft limit was first passed (ms), 0 = not. */
  softLimitSince = 0;
  /** Count of commands processed, for CLIENT LIST and stats. */
  commandsProcessed = 0;

  constructor(
    readonly id: number,
    readonly transport: ClientTransport,
    now: number,
    authRequired: boolean,
  ) {
    this.createdAt = now;
    this.lastInteraction = now;
    this.authenticated = !authRequired;
  }

  get addr(): string { return this.transport.addr; }
  get laddr(): string { return this.transport.laddr; }
  get fd(): number { return this.transport.fd; }
  get queryBufferSize(): number { return this.transport.queryBufferSize; }
  get outputBufferSize(): number { return this.out.size + this.transport.socketPending; }

  subscriptionCount(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }

  /** Queues a reply, honouring CLIENT REPLY OFF/SKIP. */
  reply(r: Reply): void {
    // CLIENT REPLY itself answers NO_REPLY; SKIP must apply to the next command, not this one.
    if (r === NO_REPLY) return;
    if (this.replyMode !== 'on') {
      if (this.replyMode === 'skip') this.replyMode = 'on';
      return;
    }
    this.out.write(r, this.resp);
    this.transport.wantFlush();
  }

  /** Pushes an out-of-band frame (pub/sub, invalidation) regardless of reply mode. */
  push(r: Reply): void {
    this.out.write(r, this.resp);
    this.transport.wantFlush();
  }

  flagString(): string {
    let f = '';
    if (this.isMonitor) f += 'O';
    if (this.blocked) f += 'b';
    if (this.subscriptionCount() > 0) f += 'P';
    if (this.multi) f += 'x';
    if (this.watchDirty) f += 'd';
    if (this.closeAfterReply) f += 'c';
    if (this.noEvict) f += 'e';
    if (this.noTouch) f += 'T';
    return f || 'N';
  }
}

/**
 * One client connection: socket in, argv arrays to the engine, replies out.
 *
 * Input: chunks go to the request reader; every complete command in the chunk runs
 * before anything is written, and the replies leave together at the end of the tick
 * (one socket write per batch). A protocol error is answered and the connection closed.
 * Output: when the socket pushes back (write() returns false) we stop reading from
 * this client until it drains, so a pipelining client that does not read cannot make
 * us buffer without bound; client-output-buffer-limit disconnects slow readers of
 * pushed data (pub/sub) the way Redis does.
 * Imports: protocol, engine.
 */
import type { Socket } from 'node:net';
import type { ServerNode } from '../engine/node.js';
import type { ClientTransport, Session } from '../engine/session.js';
import { ProtocolError, QueryBufferLimitError } from '../protocol/errors.js';
import { ErrorReply } from '../protocol/reply.js';
import { RequestReader } from '../protocol/request-reader.js';

export class Connection implements ClientTransport {
  readonly session: Session;
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  private readonly reader: RequestReader;
  private paused = false;
  private drainWait = false;
  private closed = false;
  private processing = false;
  /** A command held back by CLIENT PAUSE; it runs first when the pause ends. */
  private held: string[] | null = null;
  /** Re-checks the soft output limit when its time runs out with no traffic. */
  private softTimer: NodeJS.Timeout | null = null;

  constructor(private readonly node: ServerNode, private readonly socket: Socket) {
    this.addr = `${fmtHost(socket.remoteAddress)}:${socket.remotePort}`;
    this.laddr = `${fmtHost(socket.localAddress)}:${socket.localPort}`;
    this.fd = ((socket as unknown as { _handle?: { fd?: number } })._handle?.fd) ?? -1;
    const cfg = node.config;
    this.reader = new RequestReader({
      get protoMaxBulkLen() { return cfg.num('proto-max-bulk-len'); },
      get queryBufferLimit() { return cfg.num('client-query-buffer-limit'); },
    });
    this.session = node.createSession(this);
    this.reader.authRequired = !this.session.authenticated;
    socket.setNoDelay(true);
    const ka = cfg.num('tcp-keepalive');
    if (ka > 0) socket.setKeepAlive(true, ka * 1000);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('drain', () => this.onDrain());
    socket.on('error', () => this.teardown());
    socket.on('close', () => this.teardown());
  }

  get socketPending(): number {
    return this.socket.writableLength;
  }

  get queryBufferSize(): number {
    return this.reader.buffered;
  }

  private onData(chunk: Buffer): void {
    this.node.stats.netInputBytes += chunk.length;
    try {
      this.reader.feed(chunk);
    } catch (e) {
      if (e instanceof QueryBufferLimitError) {
        this.node.stats.clientQueryBufferLimitDisconnections++;
        this.node.log('warning', `Closing client that reached max query buffer length: addr=${this.addr} qbuf=${e.size}`);
        this.close(false);
        return;
      }
      this.internalError(e);
      return;
    }
    this.process();
  }

  /**
   * Anything unexpected while handling this client's bytes ends this client only: it is
   * logged with its stack and the connection closed, and the server keeps serving others.
   */
  private internalError(e: unknown): void {
    const err = e instanceof Error ? e : new Error(String(e));
    this.node.log('warning', `Closing client addr=${this.addr} after an internal error: ${err.stack ?? err.message}`);
    this.close(false);
  }

  /** Runs every complete command buffered so far, unless input is paused. */
  process(): void {
    if (this.processing) return;
    this.processing = true;
    const s = this.session;
    const d = this.node.dispatcher;
    try {
      while (!this.paused && !this.closed && !s.closeAfterReply) {
        let argv: string[] | null = this.held;
        this.held = null;
        try {
          this.reader.authRequired = !s.authenticated;
          if (argv === null) argv = this.reader.next();
        } catch (e) {
          if (e instanceof ProtocolError) {
            this.node.log('verbose', `Protocol error (${e.reason}) from client: addr=${this.addr}`);
            s.reply(new ErrorReply(`ERR ${e.message}`));
            s.closeAfterReply = true;
            break;
          }
          this.internalError(e);
          break;
        }
        if (argv === null) break;
        if (this.node.pausedUntil !== 0 && this.node.pauseHolds(s, argv, this)) {
          this.held = argv;
          break;
        }
        d.execute(s, argv);
      }
    } catch (e) {
      this.internalError(e);
    } finally {
      this.processing = false;
      // CLIENT LIST qbuf counts the read being processed until here, as Redis's does.
      this.reader.release();
    }
  }

  wantFlush(): void {
    this.node.scheduleFlush(this);
  }

  flushNow(): void {
    if (this.closed) return;
    const s = this.session;
    // The limits apply to what is pending before the write, as Redis checks its reply
    // buffers: a reply past the hard limit is never sent, the client is just closed.
    if (s.out.size > 0 && this.overOutputLimit()) return this.closeForOutputLimit();
    const buf = s.out.take();
    if (buf !== null) {
      this.node.stats.netOutputBytes += buf.length;
      const ok = this.socket.write(buf);
      if (!ok && !this.drainWait) {
        this.drainWait = true;
        this.socket.pause();
      }
    }
    if (s.closeAfterReply) this.close(true);
  }

  private closeForOutputLimit(): void {
    this.node.stats.clientOutputBufferLimitDisconnections++;
    this.node.log('warning', `Client id=${this.session.id} addr=${this.addr} scheduled to be closed ASAP for overcoming of output buffer limits.`);
    this.close(false);
  }

  private overOutputLimit(): boolean {
    const s = this.session;
    const cls = s.subscriptionCount() > 0 ? 'pubsub' : 'normal';
    const lim = this.node.config.outputBufferLimit(cls);
    const used = s.out.size + this.socket.writableLength;
    if (lim.hard > 0 && used >= lim.hard) return true;
    if (lim.soft > 0 && used >= lim.soft) {
      const now = Date.now();
      if (s.softLimitSince === 0) {
        s.softLimitSince = now;
        // Redis's clients cron also ends a client that stays over the soft limit with no
        // further traffic: look again when its time is up.
        if (this.softTimer === null) this.armSoftTimer(lim.softSeconds * 1000 + 10);
      } else if (now - s.softLimitSince > lim.softSeconds * 1000) return true;
    } else {
      s.softLimitSince = 0;
    }
    return false;
  }

  private armSoftTimer(ms: number): void {
    this.softTimer = setTimeout(() => this.softLimitCheck(), ms);
    this.softTimer.unref();
  }

  private softLimitCheck(): void {
    this.softTimer = null;
    const s = this.session;
    if (this.closed || s.softLimitSince === 0) return;
    if (this.overOutputLimit()) return this.closeForOutputLimit();
    // Still over but the period restarted meanwhile: wait for its end.
    if (s.softLimitSince !== 0) {
      const secs = this.node.config.outputBufferLimit(s.subscriptionCount() > 0 ? 'pubsub' : 'normal').softSeconds;
      this.armSoftTimer(Math.max(10, s.softLimitSince + secs * 1000 - Date.now() + 10));
    }
  }

  private onDrain(): void {
    if (!this.drainWait) return;
    this.drainWait = false;
    if (!this.paused) this.socket.resume();
  }

  pauseInput(): void {
    this.paused = true;
  }

  resumeInput(): void {
    if (!this.paused) return;
    this.paused = false;
    setImmediate(() => this.process());
  }

  close(graceful: boolean): void {
    if (this.closed) return;
    if (graceful) {
      const buf = this.session.out.take();
      if (buf) this.socket.write(buf);
      this.socket.end();
    } else {
      this.socket.destroy();
    }
    this.teardown();
  }

  private teardown(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.softTimer !== null) clearTimeout(this.softTimer);
    this.softTimer = null;
    this.node.removeSession(this.session);
    if (!this.socket.destroyed) this.socket.destroy();
  }
}

function fmtHost(h: string | undefined): string {
  if (!h) return '?';
  if (h.startsWith('::ffff:')) return h.slice(7);
  return h.includes(':') ? `[${h}]`.replace(/^\[(.*)\]$/, '$1') : h;
}

export function isLoopback(addr: string | undefined): boolean {
  if (!addr) return true;
  return addr === '::1' || addr.startsWith('127.') || addr.startsWith('::ffff:127.');
}

/**
 * Blocking commands (BLPOP, BZPOPMIN, BLMOVE, ...): parks clients on keys and serves
 * them, in the order they blocked, when a write signals one of their keys ready.
 *
 * Ready keys are only served between commands (after a whole EXEC or script), never in
 * the middle of one, so a transaction's pushes wake clients only after it ends. A served
 * client runs its command's `retry` through the dispatcher, so its effects reach the
 * write log in the non-blocking form the handler chooses.
 * Imports: commands (types), protocol, engine.
 */
import Denque from 'denque';
import type { BlockRequest } from '../commands/context.js';
import type { CommandSpec } from '../commands/spec.js';
import { ErrorReply } from '../protocol/reply.js';
import type { Dispatcher } from './dispatcher.js';
import type { Session } from './session.js';

interface Waiter {
  s: Session;
  spec: CommandSpec;
  argv: string[];
  req: BlockRequest;
  db: number;
  ids: string[];
  timer: NodeJS.Timeout | null;
  done: boolean;
}

const MAX_TIMER = 0x7fffffff;
const UNBLOCKED = new ErrorReply('UNBLOCKED client unblocked via CLIENT UNBLOCK');

export class BlockingManager {
  private readonly waiting = new Map<string, Denque<Waiter>>();
  private readonly ready: string[] = [];
  private readonly readySet = new Set<string>();
  private dispatcher!: Dispatcher;
  blockedClients = 0;

  attach(d: Dispatcher): void {
    this.dispatcher = d;
  }

  get keyCount(): number {
    return this.waiting.size;
  }

  block(s: Session, spec: CommandSpec, argv: string[], req: BlockRequest): void {
    const ids = req.keys.map((k) => `${s.dbIndex}\0${k}`);
    const w: Waiter = { s, spec, argv, req, db: s.dbIndex, ids, timer: null, done: false };
    for (const id of ids) {
      let q = this.waiting.get(id);
      if (!q) this.waiting.set(id, (q = new Denque<Waiter>()));
      q.push(w);
    }
    s.blocked = w;
    this.blockedClients++;
    s.transport.pauseInput();
    if (req.deadline > 0) this.arm(w);
  }

  /** Node timers cap at 2^31-1 ms (a longer delay fires at once): re-arm in steps. */
  private arm(w: Waiter): void {
    const delay = Math.max(0, w.req.deadline - Date.now());
    if (delay > MAX_TIMER) w.timer = setTimeout(() => this.arm(w), MAX_TIMER);
    else w.timer = setTimeout(() => this.finish(w, w.req.timeoutReply), delay);
  }

  signal(db: number, key: string): void {
    if (this.waiting.size === 0) return;
    const id = `${db}\0${key}`;
    if (this.waiting.has(id) && !this.readySet.has(id)) {
      this.readySet.add(id);
      this.ready.push(id);
    }
  }

  hasReady(): boolean {
    return this.ready.length > 0;
  }

  /** Serves clients waiting on ready keys, FIFO per key, until no more can be served. */
  serveReady(): void {
    while (this.ready.length > 0) {
      const id = this.ready.shift()!;
      this.readySet.delete(id);
      const q = this.waiting.get(id);
      if (!q) continue;
      const key = id.slice(id.indexOf('\0') + 1);
      // In blocking order; a waiter that cannot be served (blocked for another type, or
      // the key ran out) is skipped, as Redis skips clients blocked on another type.
      for (const w of q.toArray()) {
        if (w.done) continue;
        const s = w.s;
        const prevDb = s.dbIndex;
        s.dbIndex = w.db;
        const r = this.dispatcher.call(s, w.spec, w.argv, false, (ctx, argv) => w.req.retry(ctx, argv, key), false);
        if (s.dbIndex === w.db) s.dbIndex = prevDb;
        if (r === undefined) continue;
        this.finish(w, r as import('../protocol/reply.js').Reply);
      }
    }
  }

  /** CLIENT UNBLOCK: true when the client was blocked. */
  unblock(s: Session, withError: boolean): boolean {
    const w = s.blocked as Waiter | null;
    if (!w || w.done) return false;
    if (withError) this.dispatcher.unblockedWithError(w.s, w.spec, w.argv, UNBLOCKED);
    this.finish(w, withError ? UNBLOCKED : w.req.timeoutReply);
    return true;
  }

  /** The client went away: forget it without replying. */
  remove(s: Session): void {
    const w = s.blocked as Waiter | null;
    if (!w) return;
    this.detach(w);
  }

  private finish(w: Waiter, reply: import('../protocol/reply.js').Reply): void {
    if (w.done) return;
    this.detach(w);
    w.s.reply(reply);
    w.s.transport.resumeInput();
  }

  private detach(w: Waiter): void {
    w.done = true;
    if (w.timer) clearTimeout(w.timer);
    w.s.blocked = null;
    this.blockedClients--;
    for (const id of w.ids) {
      const q = this.waiting.get(id);
      if (!q) continue;
      const arr = q.toArray().filter((x) => x !== w);
      if (arr.length === 0) this.waiting.delete(id);
      else this.waiting.set(id, new Denque(arr));
    }
  }
}

/**
 * The CommandContext implementation handed to handlers. One instance per node is
 * reused for every call (no per-command allocation): the dispatcher points it at the
 * calling session and resets the per-call effect fields.
 * Imports: commands (types), keyspace.
 */
import type { CommandContext, NotifyClass } from '../commands/context.js';
import type { Database } from '../keyspace/database.js';
import type { ServerNode } from './node.js';
import type { Session } from './session.js';

interface CallState {
  client: Session;
  now: number;
  inExec: boolean;
  dirtyCount: number;
  rewritten: string[] | null;
  extra: Array<{ db: number; argv: string[] }> | null;
  prevented: boolean;
}

export class CallContext implements CommandContext {
  client!: Session;
  now = 0;
  inExec = false;
  /** Changes made by the current call. */
  dirtyCount = 0;
  /** Replacement argv for propagation, or null for the original. */
  rewritten: string[] | null = null;
  /** Extra effects, propagated after the command's own. */
  extra: Array<{ db: number; argv: string[] }> | null = null;
  prevented = false;

  constructor(readonly server: ServerNode) {}

  get db(): Database {
    return this.server.dbs[this.client.dbIndex]!;
  }

  /** Snapshot of the per-call fields, for nested calls (EXEC, served blocked clients). */
  save(): CallState | null {
    if (this.client === undefined) return null;
    return { client: this.client, now: this.now, inExec: this.inExec, dirtyCount: this.dirtyCount, rewritten: this.rewritten, extra: this.extra, prevented: this.prevented };
  }

  restore(st: CallState | null): void {
    if (st === null) return;
    this.client = st.client;
    this.now = st.now;
    this.inExec = st.inExec;
    this.dirtyCount = st.dirtyCount;
    this.rewritten = st.rewritten;
    this.extra = st.extra;
    this.prevented = st.prevented;
  }

  reset(client: Session): void {
    this.client = client;
    this.dirtyCount = 0;
    this.rewritten = null;
    this.extra = null;
    this.prevented = false;
  }

  dirty(n = 1): void {
    this.dirtyCount += n;
    this.server.dirty += n;
  }

  rewrite(argv: string[]): void {
    this.rewritten = argv;
  }

  propagate(argv: string[], dbIndex?: number): void {
    (this.extra ??= []).push({ db: dbIndex ?? this.client.dbIndex, argv });
  }

  preventPropagation(): void {
    this.prevented = true;
  }

  notify(cls: NotifyClass, event: string, key: string, dbIndex?: number): void {
    this.server.notifyKeyspaceEvent(cls, event, key, dbIndex ?? this.client.dbIndex);
  }

  signalModified(key: string, dbIndex?: number): void {
    this.server.watches.touch(dbIndex ?? this.client.dbIndex, key);
  }

  signalReady(key: string, dbIndex?: number): void {
    this.server.signalReady(dbIndex ?? this.client.dbIndex, key);
  }

  select(index: number): boolean {
    if (!Number.isInteger(index) || index < 0 || index >= this.server.dbs.length) return false;
    this.client.dbIndex = index;
    return true;
  }
}

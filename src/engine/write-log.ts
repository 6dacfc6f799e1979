/**
 * The write log: the one funnel every change to the dataset passes through, in
 * deterministic form (absolute expiry times, expiries as DEL, transactions wrapped in
 * MULTI/EXEC). Consumers (the AOF writer, the replication backlog) subscribe and each
 * keep their own buffer; the log itself keeps nothing, so it costs nothing when nobody
 * listens.
 *
 * Consumers get entries synchronously, in order, with the database index. Emitting
 * SELECT when the index changes is a consumer's job, since each stream tracks its own
 * current database.
 * Imports nothing outside engine.
 */

export interface WriteLogConsumer {
  append(db: number, argv: readonly string[]): void;
}

export class WriteLog {
  private readonly consumers: WriteLogConsumer[] = [];
  private txDepth = 0;
  private txOpened = false;
  private txDb = 0;
  /** Entries appended since start, for INFO and tests. */
  count = 0;

  subscribe(c: WriteLogConsumer): () => void {
    this.consumers.push(c);
    return () => {
      const i = this.consumers.indexOf(c);
      if (i >= 0) this.consumers.splice(i, 1);
    };
  }

  get active(): boolean {
    return this.consumers.length > 0;
  }

  /** Opens a transaction: MULTI is emitted lazily, only if something is appended. */
  begin(db: number): void {
    if (this.txDepth++ === 0) {
      this.txOpened = false;
      this.txDb = db;
    }
  }

  /** Closes a transaction, emitting EXEC if MULTI was emitted. */
  end(): void {
    if (--this.txDepth === 0 && this.txOpened) {
      this.emit(this.txDb, ['EXEC']);
      this.txOpened = false;
    }
  }

  append(db: number, argv: readonly string[]): void {
    this.count++;
    if (this.consumers.length === 0) return;
    if (this.txDepth > 0 && !this.txOpened) {
      this.txOpened = true;
      this.emit(db, ['MULTI']);
    }
    this.emit(db, argv);
  }

  private emit(db: number, argv: readonly string[]): void {
    const cs = this.consumers;
    for (let i = 0; i < cs.length; i++) cs[i]!.append(db, argv);
  }
}

/**
 * The background part of BGREWRITEAOF, without fork: a KeyspaceSnapshot
 * (keyspace/snapshot.ts, O(1) per database to start) taken at the instant the new INCR
 * file opens feeds a base encoder (RESP commands, or an RDB image
 * when aof-use-rdb-preamble is on), a slice of keys per event-loop turn, into
 * `temp-rewriteaof-bg-<pid>-<n>.aof` in `dir`. The caller installs the finished file
 * (rename + manifest) synchronously, so no write is lost or doubled at the switch:
 * everything before the switch is in the snapshot, everything after is in the new
 * INCR file.
 *
 * Invariants: the snapshot and the encoder header are created synchronously in the
 * constructor (the "fork" instant); the temp file is fsynced before `done` resolves,
 * and removed when the job fails or is aborted. Errors inside the observer (which runs
 * in the middle of some client's command) never escape into that command.
 * Imports: keyspace, util, this folder.
 */
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { open, unlink, type FileHandle } from 'node:fs/promises';
import type { Database } from '../../keyspace/database.js';
import type { Value } from '../../keyspace/value.js';
import { AofBuffer, selectCommand } from './buffer.js';
import { emitKey, type NeutralConverter } from './emit.js';
import { KeyspaceSnapshot } from '../../keyspace/snapshot.js';

/** Turns keys into the bytes of a base file. */
export interface BaseEncoder {
  /** Emits one key; db is the database it was in at the snapshot instant. */
  key(db: number, key: string, value: Value, expireAt: number): void;
  /** Appends the end of the file (RDB EOF + checksum). */
  finish(): void;
  /** Bytes produced since the previous take. */
  take(): Buffer;
  readonly pending: number;
}

/** The plain-AOF base: SELECT + rebuilding commands (rewriteAppendOnlyFileRio). */
export class RespBaseEncoder implements BaseEncoder {
  private readonly out = new AofBuffer();
  private db = -1;

  constructor(timestampSec: number | null, private readonly toNeutral: NeutralConverter | null) {
    if (timestampSec !== null) this.out.raw(`#TS:${timestampSec}\r\n`);
  }

  key(db: number, key: string, value: Value, expireAt: number): void {
    if (db !== this.db) {
      this.out.raw(selectCommand(db));
      this.db = db;
    }
    emitKey(this.out, key, value, expireAt, this.toNeutral);
  }

  finish(): void {
    // A RESP base has no trailer.
  }

  take(): Buffer {
    return this.out.take();
  }

  get pending(): number {
    return this.out.length;
  }
}

export interface RewriteOptions {
  dbs: readonly Database[];
  encoder: BaseEncoder;
  tmpPath: string;
  /** aof-rewrite-incremental-fsync: fsync every 4 MB. */
  incrementalFsync: boolean;
  /** rdb-key-save-delay in microseconds (tests slow the rewrite down with it). */
  keyDelayUs: () => number;
}

const SLICE_MS = 2;
const WRITE_CHUNK = 1 << 20;
const AUTOSYNC_BYTES = 4 * 1024 * 1024;

export class RewriteJob {
  readonly startedAt = Date.now();
  readonly snapshot: KeyspaceSnapshot;
  readonly done: Promise<void>;
  private failure: Error | null = null;
  private aborted = false;
  private fh: FileHandle | null = null;
  private wake: (() => void) | null = null;
  bytes = 0;
  /** Bytes serialized at copy-on-write moments (our aof_last_cow_size). */
  cowBytes = 0;

  constructor(private readonly o: RewriteOptions) {
    // The encoder serializes within the call, so values need no copy even when early.
    this.snapshot = new KeyspaceSnapshot(o.dbs, (db, e, early) => {
      if (this.failure !== null) return;
      try {
        const before = o.encoder.pending;
        o.encoder.key(db, e.key, e.value, e.expireAt);
        if (early) this.cowBytes += Math.max(0, o.encoder.pending - before);
      } catch (e) {
        this.failure = e instanceof Error ? e : new Error(String(e));
        this.snapshot.release();
      }
    });
    this.done = this.run();
    // The caller awaits `done`; keep an unobserved failure from being reported as unhandled.
    this.done.catch(() => undefined);
  }

  get tmpPath(): string {
    return this.o.tmpPath;
  }

  get keysTotal(): number {
    return this.snapshot.total;
  }

  get keysProcessed(): number {
    return this.snapshot.emitted;
  }

  /** Stops the job; `done` rejects and the temp file is removed. */
  abort(): void {
    this.aborted = true;
    this.snapshot.release();
    this.wake?.();
  }

  /** Waits ms, or less when the job is aborted meanwhile. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(t);
        self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  private check(): void {
    if (this.aborted) throw new Error('rewrite aborted');
    if (this.failure !== null) throw this.failure;
  }

  private async run(): Promise<void> {
    const o = this.o;
    let synced = 0;
    try {
      this.fh = await open(o.tmpPath, 'w', 0o644);
      for (;;) {
        this.check();
        const delay = o.keyDelayUs();
        let more: boolean;
        if (delay > 0) {
          more = this.snapshot.step(1);
        } else {
          const t0 = performance.now();
          do {
            more = this.snapshot.step(64);
          } while (more && o.encoder.pending < WRITE_CHUNK && performance.now() - t0 < SLICE_MS);
        }
        if (!more) {
          // Every key is out: later changes belong to the new INCR file alone.
          this.check();
          this.snapshot.release();
          o.encoder.finish();
        }
        if (o.encoder.pending > 0) {
          await this.write(o.encoder.take());
        }
        if (o.incrementalFsync && this.bytes - synced >= AUTOSYNC_BYTES) {
          await this.fh.datasync();
          synced = this.bytes;
        }
        if (!more) break;
        if (delay > 0) await this.pause(Math.max(1, Math.round(delay / 1000)));
        else await new Promise<void>((r) => setImmediate(r));
      }
      this.check();
      await this.fh.sync();
      await this.fh.close();
      this.fh = null;
    } catch (e) {
      this.snapshot.release();
      if (this.fh !== null) {
        await this.fh.close().catch(() => undefined);
        this.fh = null;
      }
      await unlink(o.tmpPath).catch(() => undefined);
      throw e;
    }
  }

  private async write(b: Buffer): Promise<void> {
    let off = 0;
    while (off < b.length) {
      const { bytesWritten } = await this.fh!.write(b, off, b.length - off);
      off += bytesWritten;
    }
    this.bytes += b.length;
  }
}

/** rewriteAppendOnlyFile: the whole dataset into finalPath, synchronously (start-up base). */
export function writeBaseSync(dbs: readonly Database[], enc: BaseEncoder, tmpPath: string, finalPath: string): void {
  const fd = openSync(tmpPath, 'w', 0o644);
  try {
    const put = (b: Buffer) => {
      let off = 0;
      while (off < b.length) off += writeSync(fd, b, off, b.length - off);
    };
    for (const db of dbs) {
      for (const e of db.entries()) {
        enc.key(db.id, e.key, e.value, e.expireAt);
        if (enc.pending > WRITE_CHUNK) put(enc.take());
      }
    }
    enc.finish();
    put(enc.take());
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try { unlinkSync(tmpPath); } catch { /* nothing to remove */ }
    throw e;
  }
  closeSync(fd);
  renameSync(tmpPath, finalPath);
}

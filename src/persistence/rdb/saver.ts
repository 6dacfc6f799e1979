/**
 * Incremental snapshot saving: RdbSaver turns a point-in-time view of the databases
 * (sizes plus lazy key iterators, values already in neutral form) into RDB bytes a slice
 * at a time, so the event loop keeps serving between slices. saveRdbFile drives a saver
 * into "<dir>/temp-<pid>-<n>.rdb", fsyncs and renames it over the target, like rdbSave.
 *
 * The saver never looks at the live keyspace: the caller's iterators must yield the
 * snapshot (copy-on-write is the caller's job). Imports: this folder, node:fs.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { DEFAULT_FILE_OPTIONS, RdbFileWriter, type RdbFileWriterOptions, type RdbHeaderInfo } from './file-writer.js';
import type { RdbValue } from './types.js';

export interface SnapshotEntry {
  key: string;
  value: RdbValue;
  /** Absolute unix ms; 0/undefined = none. */
  expireAt?: number;
  idleSeconds?: number;
  lfuFreq?: number;
}

export interface SnapshotDb {
  id: number;
  /** Key count and keys-with-TTL count at snapshot time (RESIZEDB hint). */
  size: number;
  expires: number;
  entries: Iterator<SnapshotEntry>;
}

export class RdbSaver {
  private readonly writer: RdbFileWriter;
  private dbIndex = -1;
  private current: SnapshotDb | null = null;
  private started = false;
  private finished = false;
  keysWritten = 0;

  constructor(
    private readonly dbs: readonly SnapshotDb[],
    opts: RdbFileWriterOptions = DEFAULT_FILE_OPTIONS,
    private readonly info: RdbHeaderInfo = {},
    private readonly functions: readonly string[] = [],
  ) {
    this.writer = new RdbFileWriter(opts);
  }

  get done(): boolean {
    return this.finished;
  }

  get bytesWritten(): number {
    return this.writer.bytesWritten;
  }

  /**
   * Serialises up to `maxKeys` keys (stopping early once `maxBytes` are pending) and
   * returns the bytes produced. After the last key it appends EOF + checksum and `done`
   * turns true; further calls return an empty buffer.
   */
  step(maxKeys: number, maxBytes = 8 * 1024 * 1024): Buffer {
    const w = this.writer;
    if (this.finished) return w.take();
    if (!this.started) {
      this.started = true;
      w.writeHeader(this.info);
      for (const f of this.functions) w.writeFunction(f);
    }
    let n = 0;
    while (n < maxKeys && w.pending < maxBytes) {
      if (this.current === null) {
        if (!this.nextDb()) {
          w.finish();
          this.finished = true;
          break;
        }
        continue;
      }
      const it = this.current.entries.next();
      if (it.done) {
        this.current = null;
        continue;
      }
      const e = it.value;
      w.writeKey(e.key, e.value, e);
      this.keysWritten++;
      n++;
    }
    return w.take();
  }

  private nextDb(): boolean {
    while (++this.dbIndex < this.dbs.length) {
      const db = this.dbs[this.dbIndex]!;
      if (db.size === 0) continue;
      this.writer.selectDb(db.id, db.size, db.expires);
      this.current = db;
      return true;
    }
    return false;
  }
}

export interface SaveFileOptions {
  /** Keys per slice before yielding to the event loop. */
  sliceKeys?: number;
  /** Called between slices (progress reporting, INFO rdb_bgsave_in_progress...). */
  onSlice?: (keysWritten: number, bytesWritten: number) => void;
}

/**
 * Writes a saver's output to `target` through a temp file in the same directory,
 * yielding between slices. Resolves with the file size; on failure the temp file is
 * removed and the target left untouched.
 */
export async function saveRdbFile(saver: RdbSaver, target: string, opts: SaveFileOptions = {}): Promise<number> {
  const dir = path.dirname(target);
  const tmp = path.join(dir, `temp-${process.pid}-${Date.now()}-${Math.floor(Math.random() * 1e9)}.rdb`);
  const slice = opts.sliceKeys ?? 1000;
  const fh = await fsp.open(tmp, 'w');
  let ok = false;
  try {
    while (!saver.done) {
      const chunk = saver.step(slice);
      if (chunk.length > 0) await fh.write(chunk);
      opts.onSlice?.(saver.keysWritten, saver.bytesWritten);
      if (!saver.done) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const tail = saver.step(0);
    if (tail.length > 0) await fh.write(tail);
    await fh.sync();
    ok = true;
  } finally {
    await fh.close();
    if (!ok) await fsp.rm(tmp, { force: true });
  }
  await fsp.rename(tmp, target);
  return saver.bytesWritten;
}

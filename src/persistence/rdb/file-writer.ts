/**
 * RDB file writer, driven incrementally: the caller emits the header, functions, then
 * per database a SELECTDB/RESIZEDB and its keys, then finish(); at any point take()
 * returns the bytes produced since the last take (feeding the running CRC64), so a
 * snapshot can be written N keys per event-loop slice without holding the whole file.
 *
 * Layout (what rdbSaveRio writes): "REDIS0010", AUX redis-ver / redis-bits / ctime /
 * used-mem [/ repl-stream-db / repl-id / repl-offset] / aof-base, FUNCTION2 per library,
 * per non-empty db SELECTDB + RESIZEDB + [EXPIRETIME_MS] [IDLE|FREQ] type key value, EOF,
 * then the CRC64 of everything before it (8 bytes LE, zero when rdbchecksum is off).
 * Imports: util (crc64), this folder.
 */
import { Crc64 } from '../../util/crc64.js';
import { ByteWriter } from './bytes.js';
import {
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_VERSION,
} from './constants.js';
import { newStringSink, writeLen, writeString, type StringSink } from './primitives.js';
import { DEFAULT_WRITE_OPTIONS, type RdbValue, type ValueWriteOptions } from './types.js';
import { chooseRdbType, writeValueBody } from './value-writer.js';

export interface RdbHeaderInfo {
  /** redis-ver AUX; we claim the Redis version we are compatible with. */
  redisVersion?: string;
  /** ctime AUX, unix seconds (default: now). */
  ctime?: number;
  /** used-mem AUX, bytes. */
  usedMem?: number;
  /** aof-base AUX: 1 when the file is an AOF base (preamble). */
  aofBase?: boolean;
  /** Replication AUX fields (only when saving for a replica or with replication info). */
  replication?: { streamDb: number; replId: string; offset: number };
  /** Extra AUX fields appended after the standard ones. */
  extraAux?: Array<[string, string]>;
}

export interface RdbFileWriterOptions extends ValueWriteOptions {
  /** rdbchecksum: when false the trailing checksum is written as zero. */
  checksum: boolean;
  /** maxmemory-policy family: LRU policies save IDLE, LFU policies save FREQ. */
  evictionInfo?: 'none' | 'lru' | 'lfu';
}

export const DEFAULT_FILE_OPTIONS: Readonly<RdbFileWriterOptions> = Object.freeze({ ...DEFAULT_WRITE_OPTIONS, checksum: true, evictionInfo: 'none' as const });

export interface KeyMeta {
  /** Absolute expiry in unix ms; 0 or undefined = no TTL. */
  expireAt?: number;
  /** LRU idle time in seconds (written only for LRU policies). */
  idleSeconds?: number;
  /** LFU counter 0..255 (written only for LFU policies). */
  lfuFreq?: number;
}

export class RdbFileWriter {
  private readonly w = new ByteWriter(64 * 1024);
  private readonly crc = new Crc64();
  private readonly sink: StringSink;
  private total = 0;
  private finished = false;

  constructor(readonly opts: RdbFileWriterOptions = DEFAULT_FILE_OPTIONS) {
    this.sink = newStringSink(opts.compression);
  }

  /** Bytes produced so far (taken or pending). */
  get bytesWritten(): number {
    return this.total + this.w.length;
  }

  /** Bytes produced but not yet taken. */
  get pending(): number {
    return this.w.length;
  }

  /** Magic plus the standard AUX fields. */
  writeHeader(info: RdbHeaderInfo = {}): void {
    this.w.latin1(`REDIS${String(RDB_VERSION).padStart(4, '0')}`);
    this.writeAux('redis-ver', info.redisVersion ?? '7.0.15');
    this.writeAux('redis-bits', '64');
    this.writeAux('ctime', String(info.ctime ?? Math.floor(Date.now() / 1000)));
    this.writeAux('used-mem', String(info.usedMem ?? process.memoryUsage().rss));
    if (info.replication) {
      this.writeAux('repl-stream-db', String(info.replication.streamDb));
      this.writeAux('repl-id', info.replication.replId);
      this.writeAux('repl-offset', String(info.replication.offset));
    }
    this.writeAux('aof-base', info.aofBase ? '1' : '0');
    for (const [k, v] of info.extraAux ?? []) this.writeAux(k, v);
  }

  writeAux(key: string, value: string): void {
    this.w.byte(RDB_OPCODE_AUX);
    writeString(this.w, key, this.sink);
    writeString(this.w, value, this.sink);
  }

  /** One function library, as its full source code ("#!lua name=...\n..."). */
  writeFunction(code: string): void {
    this.w.byte(RDB_OPCODE_FUNCTION2);
    writeString(this.w, code, this.sink);
  }

  /** Starts a database section; Redis skips databases with no keys entirely. */
  selectDb(id: number, dbSize: number, expiresSize: number): void {
    this.w.byte(RDB_OPCODE_SELECTDB);
    writeLen(this.w, id);
    this.w.byte(RDB_OPCODE_RESIZEDB);
    writeLen(this.w, dbSize);
    writeLen(this.w, expiresSize);
  }

  /** One key with its value and metadata (rdbSaveKeyValuePair). */
  writeKey(key: string, value: RdbValue, meta?: KeyMeta): void {
    const w = this.w;
    const exp = meta?.expireAt;
    if (exp !== undefined && exp !== 0) {
      w.byte(RDB_OPCODE_EXPIRETIME_MS);
      w.i64le(exp);
    }
    if (this.opts.evictionInfo === 'lru') {
      w.byte(RDB_OPCODE_IDLE);
      writeLen(w, Math.max(0, Math.floor(meta?.idleSeconds ?? 0)));
    } else if (this.opts.evictionInfo === 'lfu') {
      w.byte(RDB_OPCODE_FREQ);
      w.byte(Math.max(0, Math.min(255, meta?.lfuFreq ?? 0)));
    }
    const type = chooseRdbType(value, this.opts);
    w.byte(type);
    writeString(w, key, this.sink);
    writeValueBody(w, value, type, this.opts, this.sink);
  }

  /** EOF opcode and checksum; take() afterwards returns the tail of the file. */
  finish(): void {
    if (this.finished) return;
    const w = this.w;
    w.byte(RDB_OPCODE_EOF);
    // Fold the pending bytes into the CRC now; the checksum itself is not covered.
    this.crc.update(w.buf, 0, w.pos);
    this.finished = true;
    if (this.opts.checksum) w.bytes(this.crc.bytes());
    else w.bytes(Buffer.alloc(8));
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** The bytes produced since the previous take (empty when nothing is pending). */
  take(): Buffer {
    const chunk = this.w.take();
    if (!this.finished) this.crc.update(chunk);
    this.total += chunk.length;
    return chunk;
  }
}

export interface RdbDbInput {
  id: number;
  /** Keys with their metadata; values in neutral form. */
  keys: Iterable<{ key: string; value: RdbValue; expireAt?: number; idleSeconds?: number; lfuFreq?: number }>;
}

/**
 * Serialises a whole dataset in one go (tests, DEBUG RELOAD, small datasets). For large
 * datasets drive RdbFileWriter / RdbSaver slice by slice instead.
 */
export function writeRdb(dbs: readonly RdbDbInput[], opts: RdbFileWriterOptions = DEFAULT_FILE_OPTIONS, info: RdbHeaderInfo = {}, functions: readonly string[] = []): Buffer {
  const fw = new RdbFileWriter(opts);
  const chunks: Buffer[] = [];
  fw.writeHeader(info);
  for (const f of functions) fw.writeFunction(f);
  for (const db of dbs) {
    const keys = Array.from(db.keys);
    if (keys.length === 0) continue;
    let expires = 0;
    for (const k of keys) if (k.expireAt) expires++;
    fw.selectDb(db.id, keys.length, expires);
    for (const k of keys) {
      fw.writeKey(k.key, k.value, k);
      if (fw.pending > 1 << 20) chunks.push(fw.take());
    }
  }
  fw.finish();
  chunks.push(fw.take());
  return Buffer.concat(chunks);
}

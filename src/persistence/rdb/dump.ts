/**
 * DUMP / RESTORE payloads: <type byte><value body><u16le RDB version><u64le CRC64>, the
 * CRC covering everything before it. Same value codec as RDB files.
 *
 * RESTORE's error texts belong to the command layer; this file reports which check
 * failed (`DumpPayloadError.reason`) so the caller can answer
 * "ERR DUMP payload version or checksum are wrong" or "ERR Bad data format".
 * Imports: util (crc64), this folder.
 */
import { Crc64 } from '../../util/crc64.js';
import { ByteReader, ByteWriter, RdbError } from './bytes.js';
import { DUMP_FOOTER_LEN, RDB_VERSION, isObjectType } from './constants.js';
import { newStringSink, type StringSink } from './primitives.js';
import type { RdbValue, ValueWriteOptions } from './types.js';
import { DEFAULT_WRITE_OPTIONS } from './types.js';
import { isEmptyValue, readValueBody, type ValueReadOptions } from './value-reader.js';
import { writeTypedValue } from './value-writer.js';

export class DumpPayloadError extends Error {
  constructor(readonly reason: 'checksum' | 'format', message: string) {
    super(message);
    this.name = 'DumpPayloadError';
  }
}

/** Serialises a value as DUMP does. Returns a latin1 string (reply-ready) or bytes. */
export function createDumpPayload(v: RdbValue, opts: ValueWriteOptions = DEFAULT_WRITE_OPTIONS, sink?: StringSink): Buffer {
  const w = new ByteWriter(typeof v === 'string' ? v.length + 32 : 256);
  writeTypedValue(w, v, opts, sink ?? newStringSink(opts.compression));
  w.u16le(RDB_VERSION);
  const crc = new Crc64().update(w.buf, 0, w.pos);
  w.bytes(crc.bytes());
  return w.take();
}

/** verifyDumpPayload: footer version not newer than ours and, unless skipped, the CRC. */
export function verifyDumpPayload(p: Uint8Array, skipChecksum = false): { ok: boolean; rdbVersion: number } {
  if (p.length < DUMP_FOOTER_LEN) return { ok: false, rdbVersion: -1 };
  const f = p.length - DUMP_FOOTER_LEN;
  const rdbVersion = p[f]! | (p[f + 1]! << 8);
  if (rdbVersion > RDB_VERSION) return { ok: false, rdbVersion };
  if (skipChecksum) return { ok: true, rdbVersion };
  const crc = new Crc64().update(p, 0, p.length - 8);
  return { ok: crc.matches(p, p.length - 8), rdbVersion };
}

export interface RestoreOptions extends ValueReadOptions {
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION */
  skipChecksum?: boolean;
}

/**
 * Decodes a payload (latin1 string or bytes) into a value plus its RDB type id. Throws
 * DumpPayloadError('checksum') for a bad footer, ('format') for anything else Redis
 * answers with "Bad data format" (unknown type, truncated body, empty aggregate).
 */
export function decodeDumpPayload(payload: string | Uint8Array, opts: RestoreOptions = {}): { value: RdbValue; rdbType: number } {
  const buf = typeof payload === 'string' ? Buffer.from(payload, 'latin1') : Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  if (!verifyDumpPayload(buf, opts.skipChecksum === true).ok) {
    throw new DumpPayloadError('checksum', 'DUMP payload version or checksum are wrong');
  }
  // Like Redis, the body may stop short of the footer: trailing bytes are not checked.
  const r = new ByteReader(buf, 0, buf.length - DUMP_FOOTER_LEN);
  try {
    const type = r.u8();
    if (!isObjectType(type)) throw new RdbError(`Unknown RDB type ${type}`);
    const value = readValueBody(r, type, { deep: opts.deep === true });
    if (typeof value !== 'string' && value.type === 'module') throw new RdbError('module value');
    if (isEmptyValue(value)) throw new RdbError('empty key');
    return { value, rdbType: type };
  } catch (e) {
    if (e instanceof RdbError) throw new DumpPayloadError('format', `Bad data format: ${e.message}`);
    throw e;
  }
}

/**
 * RDB file reader over an in-memory buffer, one record per next() call so a loader can
 * interleave loading with other work (Redis's loading mode). Accepts RDB versions 1..10.
 *
 * Records: AUX fields, function libraries (FUNCTION2, and the 7.0-rc FUNCTION form
 * converted to source text), SELECTDB, RESIZEDB, module AUX (only in skipModules mode),
 * keys (value, type id, expiry, LRU idle, LFU freq), empty keys (skipped like Redis does),
 * and finally EOF with the checksum verdict. A checksum mismatch throws; a zero checksum
 * means "saved with rdbchecksum no" and is accepted. Expired keys are returned as is:
 * whether to drop them (master) or keep them (replica, AOF preamble) is the caller's call.
 * Imports: util (crc64), this folder.
 */
import { Crc64 } from '../../util/crc64.js';
import { ByteReader, RdbError } from './bytes.js';
import {
  RDB_MODULE_OPCODE_UINT,
  RDB_OPCODE_AUX,
  RDB_OPCODE_EOF,
  RDB_OPCODE_EXPIRETIME,
  RDB_OPCODE_EXPIRETIME_MS,
  RDB_OPCODE_FREQ,
  RDB_OPCODE_FUNCTION,
  RDB_OPCODE_FUNCTION2,
  RDB_OPCODE_IDLE,
  RDB_OPCODE_MODULE_AUX,
  RDB_OPCODE_RESIZEDB,
  RDB_OPCODE_SELECTDB,
  RDB_VERSION,
  isObjectType,
} from './constants.js';
import { readLen, readLenBig, readString } from './primitives.js';
import type { RdbModuleValue, RdbValue } from './types.js';
import { isEmptyValue, moduleTypeName, readValueBody, skipModuleValue } from './value-reader.js';

export interface RdbKeyRecord {
  kind: 'key';
  db: number;
  key: string;
  value: RdbValue;
  rdbType: number;
  /** Absolute unix ms, or -1 for no expiry. */
  expireAt: number;
  /** Seconds, or -1 when absent. */
  lruIdle: number;
  /** 0..255, or -1 when absent. */
  lfuFreq: number;
  /** File offset where the key's record (including its opcodes) starts. */
  offset: number;
}

export type RdbRecord =
  | { kind: 'aux'; key: string; value: string; offset: number }
  | { kind: 'function'; code: string; offset: number }
  | { kind: 'selectdb'; db: number; offset: number }
  | { kind: 'resizedb'; dbSize: number; expiresSize: number; offset: number }
  | { kind: 'module-aux'; moduleName: string; offset: number }
  | RdbKeyRecord
  | { kind: 'module-key'; db: number; key: string; moduleName: string; offset: number }
  | { kind: 'empty-key'; db: number; key: string; rdbType: number; offset: number }
  | { kind: 'eof'; checksum: 'ok' | 'disabled' | 'not-checked' | 'absent'; offset: number };

export interface RdbReadOptions {
  /** rdbchecksum / DEBUG SET-SKIP-CHECKSUM-VALIDATION: false skips the CRC check. */
  verifyChecksum?: boolean;
  /** Skip module values and module AUX data (checker mode) instead of failing. */
  skipModules?: boolean;
  /** Duplicate checks inside packed containers too. */
  deep?: boolean;
  /** databases: a SELECTDB at or above this fails, as in Redis. */
  maxDbs?: number;
}

export class RdbFileReader {
  readonly version: number;
  private readonly r: ByteReader;
  private db = 0;
  private done = false;
  /** Type id of the value being read (for error reports). */
  lastType = -1;
  lastKey: string | null = null;
  /** What the reader was doing, in redis-check-rdb's words (for error reports). */
  doing = 'start';

  constructor(readonly buf: Buffer, readonly opts: RdbReadOptions = {}) {
    this.r = new ByteReader(buf);
    if (buf.length < 9) throw new RdbError('Unexpected EOF reading RDB file', 'eof');
    if (buf.toString('latin1', 0, 5) !== 'REDIS') throw new RdbError('Wrong signature trying to load DB from file');
    const ver = parseInt(buf.toString('latin1', 5, 9), 10);
    if (!(ver >= 1 && ver <= RDB_VERSION)) throw new RdbError(`Can't handle RDB format version ${buf.toString('latin1', 5, 9)}`);
    this.version = ver;
    this.r.pos = 9;
  }

  get offset(): number {
    return this.r.pos;
  }

  get currentDb(): number {
    return this.db;
  }

  /** The next record, or null once EOF was returned. */
  next(): RdbRecord | null {
    if (this.done) return null;
    const r = this.r;
    const start = r.pos;
    let expireAt = -1;
    let lruIdle = -1;
    let lfuFreq = -1;
    this.lastKey = null;
    this.lastType = -1;
    for (;;) {
      const opOffset = r.pos;
      this.doing = 'read-type';
      const type = r.u8();
      switch (type) {
        case RDB_OPCODE_EXPIRETIME:
          this.doing = 'read-expire';
          expireAt = r.i32le() * 1000;
          continue;
        case RDB_OPCODE_EXPIRETIME_MS:
          this.doing = 'read-expire';
          expireAt = r.i64le();
          continue;
        case RDB_OPCODE_FREQ:
          lfuFreq = r.u8();
          continue;
        case RDB_OPCODE_IDLE:
          lruIdle = readLen(r);
          continue;
        case RDB_OPCODE_EOF:
          return this.finish(opOffset);
        case RDB_OPCODE_SELECTDB: {
          this.doing = 'read-len';
          const db = readLen(r);
          if (this.opts.maxDbs !== undefined && db >= this.opts.maxDbs) {
            throw new RdbError(`FATAL: Data file was created with a Redis server configured to handle more than ${this.opts.maxDbs} databases.`);
          }
          this.db = db;
          return { kind: 'selectdb', db, offset: opOffset };
        }
        case RDB_OPCODE_RESIZEDB: {
          this.doing = 'read-len';
          const dbSize = readLen(r);
          const expiresSize = readLen(r);
          return { kind: 'resizedb', dbSize, expiresSize, offset: opOffset };
        }
        case RDB_OPCODE_AUX: {
          this.doing = 'read-aux';
          const key = readString(r);
          const value = readString(r);
          return { kind: 'aux', key, value, offset: opOffset };
        }
        case RDB_OPCODE_MODULE_AUX: {
          this.doing = 'read-module-aux';
          const id = readLenBig(r);
          const whenOp = readLen(r);
          readLen(r);
          if (whenOp !== RDB_MODULE_OPCODE_UINT) throw new RdbError('bad when_opcode');
          const name = moduleTypeName(id);
          if (!this.opts.skipModules) throw new RdbError(`The RDB file contains AUX module data I can't load: no matching module '${name}'`);
          skipModuleValue(r, name);
          return { kind: 'module-aux', moduleName: name, offset: opOffset };
        }
        case RDB_OPCODE_FUNCTION2:
          this.doing = 'read-functions';
          return { kind: 'function', code: readString(r), offset: opOffset };
        case RDB_OPCODE_FUNCTION: {
          this.doing = 'read-functions';
          const name = readString(r);
          const engine = readString(r);
          if (readLen(r)) readString(r); // description, dropped like Redis does
          const blob = readString(r);
          return { kind: 'function', code: `#!${engine} name=${name}\n${blob}`, offset: opOffset };
        }
      }
      if (!isObjectType(type)) throw new RdbError(`Unknown RDB type ${type}`);
      this.lastType = type;
      this.doing = 'read-key';
      const key = readString(r);
      this.lastKey = key;
      this.doing = 'read-object-value';
      const value = readValueBody(r, type, this.opts);
      if (typeof value !== 'string' && value.type === 'module') {
        return { kind: 'module-key', db: this.db, key, moduleName: (value as RdbModuleValue).moduleName, offset: start };
      }
      if (isEmptyValue(value)) return { kind: 'empty-key', db: this.db, key, rdbType: type, offset: start };
      return { kind: 'key', db: this.db, key, value: value as RdbValue, rdbType: type, expireAt, lruIdle, lfuFreq, offset: start };
    }
  }

  private finish(eofOffset: number): RdbRecord {
    this.done = true;
    this.doing = 'check-sum';
    const r = this.r;
    if (this.version < 5) return { kind: 'eof', checksum: 'absent', offset: eofOffset };
    r.need(8, 'RDB checksum');
    const sumAt = r.pos;
    r.pos += 8;
    let zero = true;
    for (let i = 0; i < 8; i++) if (this.buf[sumAt + i] !== 0) zero = false;
    if (this.opts.verifyChecksum === false) return { kind: 'eof', checksum: 'not-checked', offset: eofOffset };
    if (zero) return { kind: 'eof', checksum: 'disabled', offset: eofOffset };
    const crc = new Crc64().update(this.buf, 0, sumAt);
    if (!crc.matches(this.buf, sumAt)) {
      const got = this.buf.readBigUInt64LE(sumAt);
      throw new RdbError(`Wrong RDB checksum expected: (${crc.value().toString(16)}) but got (${got.toString(16)}). Aborting now.`);
    }
    return { kind: 'eof', checksum: 'ok', offset: eofOffset };
  }
}

/** Everything in a file, collected (tests, DEBUG RELOAD, small files). */
export interface RdbContents {
  version: number;
  aux: Map<string, string>;
  functions: string[];
  /** Keys per database id, in file order. */
  dbs: Map<number, RdbKeyRecord[]>;
  resize: Map<number, { dbSize: number; expiresSize: number }>;
  emptyKeysSkipped: number;
  checksum: 'ok' | 'disabled' | 'not-checked' | 'absent';
}

export function readRdb(buf: Buffer, opts: RdbReadOptions = {}): RdbContents {
  const rd = new RdbFileReader(buf, opts);
  const out: RdbContents = {
    version: rd.version,
    aux: new Map(),
    functions: [],
    dbs: new Map(),
    resize: new Map(),
    emptyKeysSkipped: 0,
    checksum: 'absent',
  };
  for (let rec = rd.next(); rec !== null; rec = rd.next()) {
    switch (rec.kind) {
      case 'aux':
        out.aux.set(rec.key, rec.value);
        break;
      case 'function':
        out.functions.push(rec.code);
        break;
      case 'resizedb':
        out.resize.set(rd.currentDb, { dbSize: rec.dbSize, expiresSize: rec.expiresSize });
        break;
      case 'key': {
        let list = out.dbs.get(rec.db);
        if (list === undefined) out.dbs.set(rec.db, (list = []));
        list.push(rec);
        break;
      }
      case 'empty-key':
        out.emptyKeysSkipped++;
        break;
      case 'eof':
        out.checksum = rec.checksum;
        break;
      default:
        break;
    }
  }
  return out;
}

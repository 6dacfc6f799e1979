/**
 * Decodes one RDB value body of a given type into the neutral form (types.ts). Accepts
 * every type id Redis 7.0 can load (1..19 but 8), including the pre-7.0 ziplist, zipmap
 * and quicklist v1 forms. Module values are rejected unless `skipModules` is set (the
 * checker), in which case they are skipped by their self-describing opcodes.
 *
 * Checks mirror Redis's loader: container integrity always, duplicate members for the
 * hashtable forms always and for the packed forms only with `deep` (Redis's
 * sanitize-dump-payload). The returned `rdbType` lets the keyspace adapter pick the
 * in-memory encoding the way Redis's loader does. Empty aggregates are returned as such;
 * callers skip them (RDB files) or reject them (RESTORE).
 * Imports: this folder only.
 */
import { ByteReader, RdbError } from './bytes.js';
import {
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  RDB_MODULE_OPCODE_DOUBLE,
  RDB_MODULE_OPCODE_EOF,
  RDB_MODULE_OPCODE_FLOAT,
  RDB_MODULE_OPCODE_SINT,
  RDB_MODULE_OPCODE_STRING,
  RDB_MODULE_OPCODE_UINT,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_HASH_ZIPLIST,
  RDB_TYPE_HASH_ZIPMAP,
  RDB_TYPE_LIST,
  RDB_TYPE_LIST_QUICKLIST,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_LIST_ZIPLIST,
  RDB_TYPE_MODULE,
  RDB_TYPE_MODULE_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
  RDB_TYPE_ZSET_ZIPLIST,
} from './constants.js';
import { decodeIntset } from './intset.js';
import { decodeZiplist, decodeZipmap } from './legacy.js';
import { decodeListpack } from './listpack.js';
import { parseStoredDouble, readBlob, readDoubleString, readLen, readLenBig, readString, skipString } from './primitives.js';
import { readStream } from './stream-codec.js';
import type { RdbModuleValue, RdbValue } from './types.js';

export interface ValueReadOptions {
  /** Check packed containers for duplicate fields too (sanitize-dump-payload yes). */
  deep?: boolean;
  /** Skip module values instead of failing (redis-check-rdb mode). */
  skipModules?: boolean;
}

/** What the reader returns: a value plus the type id it was stored under. */
export type DecodedValue = { value: RdbValue | RdbModuleValue; rdbType: number };

export function isEmptyValue(v: RdbValue | RdbModuleValue): boolean {
  if (typeof v === 'string') return false;
  switch (v.type) {
    case 'list':
      return v.items.length === 0;
    case 'set':
      return v.members.length === 0;
    case 'hash':
    case 'zset':
      return v.entries.length === 0;
    default:
      return false;
  }
}

const MODULE_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The 9-character module type name packed into a module id. */
export function moduleTypeName(id: bigint): string {
  let v = id >> 10n;
  let name = '';
  for (let j = 0; j < 9; j++) {
    name = MODULE_CHARSET[Number(v & 63n)]! + name;
    v >>= 6n;
  }
  return name;
}

/** Skips a module-v2 body (rdbLoadCheckModuleValue). */
export function skipModuleValue(r: ByteReader, name: string): void {
  for (;;) {
    const op = readLen(r);
    if (op === RDB_MODULE_OPCODE_EOF) return;
    if (op === RDB_MODULE_OPCODE_SINT || op === RDB_MODULE_OPCODE_UINT) readLenBig(r);
    else if (op === RDB_MODULE_OPCODE_STRING) skipString(r);
    else if (op === RDB_MODULE_OPCODE_FLOAT) r.skip(4);
    else if (op === RDB_MODULE_OPCODE_DOUBLE) r.skip(8);
    else throw new RdbError(`Unknown module opcode ${op} in module ${name} value`);
  }
}

function pairsOf(items: string[], what: string): Array<[string, string]> {
  if (items.length & 1) throw new RdbError(`${what} integrity check failed.`);
  const out = new Array<[string, string]>(items.length >> 1);
  for (let i = 0, j = 0; i < items.length; i += 2, j++) out[j] = [items[i]!, items[i + 1]!];
  return out;
}

function checkDupPairs(entries: Array<[string, unknown]>, msg: string): void {
  const seen = new Set<string>();
  for (const [k] of entries) {
    if (seen.has(k)) throw new RdbError(msg);
    seen.add(k);
  }
}

function zsetFromPairs(items: string[], what: string, deep: boolean): Array<[string, number]> {
  if (items.length & 1) throw new RdbError(`${what} integrity check failed.`);
  const out = new Array<[string, number]>(items.length >> 1);
  for (let i = 0, j = 0; i < items.length; i += 2, j++) {
    const score = parseStoredDouble(items[i + 1]!);
    out[j] = [items[i]!, score];
  }
  if (deep) checkDupPairs(out, `${what} integrity check failed.`);
  return out;
}

/** Reads the body of a value stored under `type`. */
export function readValueBody(r: ByteReader, type: number, opts: ValueReadOptions = {}): RdbValue | RdbModuleValue {
  const deep = opts.deep === true;
  switch (type) {
    case RDB_TYPE_STRING:
      return readString(r);
    case RDB_TYPE_LIST: {
      const n = readLen(r);
      const items: string[] = [];
      for (let i = 0; i < n; i++) items.push(readString(r));
      return { type: 'list', items };
    }
    case RDB_TYPE_SET: {
      const n = readLen(r);
      const members: string[] = [];
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const m = readString(r);
        if (seen.has(m)) throw new RdbError('Duplicate set members detected');
        seen.add(m);
        members.push(m);
      }
      return { type: 'set', members };
    }
    case RDB_TYPE_ZSET:
    case RDB_TYPE_ZSET_2: {
      const n = readLen(r);
      const entries = new Array<[string, number]>(n);
      const seen = new Set<string>();
      // Saved highest first: fill from the back so the result is ascending.
      for (let i = n - 1; i >= 0; i--) {
        const m = readString(r);
        const score = type === RDB_TYPE_ZSET_2 ? r.doubleLE() : readDoubleString(r);
        if (Number.isNaN(score)) throw new RdbError('Zset with NAN score detected');
        if (seen.has(m)) throw new RdbError('Duplicate zset fields detected');
        seen.add(m);
        entries[i] = [m, score];
      }
      return { type: 'zset', entries };
    }
    case RDB_TYPE_HASH: {
      const n = readLen(r);
      const entries: Array<[string, string]> = [];
      const seen = new Set<string>();
      for (let i = 0; i < n; i++) {
        const f = readString(r);
        const v = readString(r);
        if (seen.has(f)) throw new RdbError('Duplicate hash fields detected');
        seen.add(f);
        entries.push([f, v]);
      }
      return { type: 'hash', entries };
    }
    case RDB_TYPE_MODULE:
    case RDB_TYPE_MODULE_2: {
      const id = readLenBig(r);
      const name = moduleTypeName(id);
      if (opts.skipModules && type === RDB_TYPE_MODULE_2) {
        skipModuleValue(r, name);
        return { type: 'module', moduleName: name };
      }
      throw new RdbError(`The RDB file contains module data I can't load: no matching module type '${name}'`);
    }
    case RDB_TYPE_HASH_ZIPMAP: {
      const entries = decodeZipmap(readBlob(r));
      checkDupPairs(entries, 'Hash zipmap with dup elements');
      return { type: 'hash', entries };
    }
    case RDB_TYPE_LIST_ZIPLIST:
      return { type: 'list', items: decodeZiplist(readBlob(r)) };
    case RDB_TYPE_SET_INTSET:
      return { type: 'set', members: decodeIntset(readBlob(r)) };
    case RDB_TYPE_ZSET_ZIPLIST:
      return { type: 'zset', entries: zsetFromPairs(decodeZiplist(readBlob(r)), 'Zset ziplist', true) };
    case RDB_TYPE_HASH_ZIPLIST: {
      const entries = pairsOf(decodeZiplist(readBlob(r)), 'Hash ziplist');
      checkDupPairs(entries, 'Hash ziplist integrity check failed.');
      return { type: 'hash', entries };
    }
    case RDB_TYPE_HASH_LISTPACK: {
      const entries = pairsOf(decodeListpack(readBlob(r), true), 'Hash listpack');
      if (deep) checkDupPairs(entries, 'Hash listpack integrity check failed.');
      return { type: 'hash', entries };
    }
    case RDB_TYPE_ZSET_LISTPACK:
      return { type: 'zset', entries: zsetFromPairs(decodeListpack(readBlob(r), true), 'Zset listpack', deep) };
    case RDB_TYPE_LIST_QUICKLIST:
    case RDB_TYPE_LIST_QUICKLIST_2: {
      const n = readLen(r);
      const items: string[] = [];
      for (let i = 0; i < n; i++) {
        let container = QUICKLIST_NODE_CONTAINER_PACKED;
        if (type === RDB_TYPE_LIST_QUICKLIST_2) {
          container = readLen(r);
          if (container !== QUICKLIST_NODE_CONTAINER_PACKED && container !== QUICKLIST_NODE_CONTAINER_PLAIN) {
            throw new RdbError('Quicklist integrity check failed.');
          }
        }
        const data = readBlob(r);
        if (data.length === 0) throw new RdbError('Quicklist integrity check failed.');
        if (container === QUICKLIST_NODE_CONTAINER_PLAIN) {
          items.push(data.toString('latin1'));
          continue;
        }
        const els = type === RDB_TYPE_LIST_QUICKLIST_2 ? decodeListpack(data, true) : decodeZiplist(data);
        for (const e of els) items.push(e);
      }
      return { type: 'list', items };
    }
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
      return readStream(r, type);
  }
  throw new RdbError(`Unknown RDB encoding type ${type}`);
}

/**
 * RDB format constants (Redis 7.0, RDB version 10): value type ids, file opcodes, length
 * and string encodings, and the container ids used inside values.
 *
 * These numbers are on-disk facts shared with every Redis version: entries may only be
 * added, never renumbered or removed. Imports nothing.
 */

export const RDB_VERSION = 10;

/** Value type ids (the byte before a key, and the first byte of a DUMP payload). */
export const RDB_TYPE_STRING = 0;
export const RDB_TYPE_LIST = 1;
export const RDB_TYPE_SET = 2;
export const RDB_TYPE_ZSET = 3;
export const RDB_TYPE_HASH = 4;
export const RDB_TYPE_ZSET_2 = 5;
export const RDB_TYPE_MODULE = 6;
export const RDB_TYPE_MODULE_2 = 7;
export const RDB_TYPE_HASH_ZIPMAP = 9;
export const RDB_TYPE_LIST_ZIPLIST = 10;
export const RDB_TYPE_SET_INTSET = 11;
export const RDB_TYPE_ZSET_ZIPLIST = 12;
export const RDB_TYPE_HASH_ZIPLIST = 13;
export const RDB_TYPE_LIST_QUICKLIST = 14;
export const RDB_TYPE_STREAM_LISTPACKS = 15;
export const RDB_TYPE_HASH_LISTPACK = 16;
export const RDB_TYPE_ZSET_LISTPACK = 17;
export const RDB_TYPE_LIST_QUICKLIST_2 = 18;
export const RDB_TYPE_STREAM_LISTPACKS_2 = 19;

export function isObjectType(t: number): boolean {
  return (t >= 0 && t <= 7) || (t >= 9 && t <= 19);
}

export const RDB_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'string',
  1: 'list-linked',
  2: 'set-hashtable',
  3: 'zset-v1',
  4: 'hash-hashtable',
  5: 'zset-v2',
  6: 'module-v1',
  7: 'module-v2',
  9: 'hash-zipmap',
  10: 'list-ziplist',
  11: 'set-intset',
  12: 'zset-ziplist',
  13: 'hash-ziplist',
  14: 'list-quicklist',
  15: 'stream-v1',
  16: 'hash-listpack',
  17: 'zset-listpack',
  18: 'list-quicklist-v2',
  19: 'stream-v2',
};

/** File-level opcodes. */
export const RDB_OPCODE_FUNCTION2 = 245;
export const RDB_OPCODE_FUNCTION = 246; // 7.0-rc1/rc2 only
export const RDB_OPCODE_MODULE_AUX = 247;
export const RDB_OPCODE_IDLE = 248;
export const RDB_OPCODE_FREQ = 249;
export const RDB_OPCODE_AUX = 250;
export const RDB_OPCODE_RESIZEDB = 251;
export const RDB_OPCODE_EXPIRETIME_MS = 252;
export const RDB_OPCODE_EXPIRETIME = 253;
export const RDB_OPCODE_SELECTDB = 254;
export const RDB_OPCODE_EOF = 255;

/** Module value opcodes (only skipped: this server loads no modules). */
export const RDB_MODULE_OPCODE_EOF = 0;
export const RDB_MODULE_OPCODE_SINT = 1;
export const RDB_MODULE_OPCODE_UINT = 2;
export const RDB_MODULE_OPCODE_FLOAT = 3;
export const RDB_MODULE_OPCODE_DOUBLE = 4;
export const RDB_MODULE_OPCODE_STRING = 5;

/** Top two bits of a length byte. */
export const RDB_6BITLEN = 0;
export const RDB_14BITLEN = 1;
export const RDB_32BITLEN = 0x80;
export const RDB_64BITLEN = 0x81;
export const RDB_ENCVAL = 3;

/** Special string encodings (after an RDB_ENCVAL length byte). */
export const RDB_ENC_INT8 = 0;
export const RDB_ENC_INT16 = 1;
export const RDB_ENC_INT32 = 2;
export const RDB_ENC_LZF = 3;

/** Quicklist node containers (RDB_TYPE_LIST_QUICKLIST_2). */
export const QUICKLIST_NODE_CONTAINER_PLAIN = 1;
export const QUICKLIST_NODE_CONTAINER_PACKED = 2;

/** Stream listpack entry flags. */
export const STREAM_ITEM_FLAG_NONE = 0;
export const STREAM_ITEM_FLAG_DELETED = 1;
export const STREAM_ITEM_FLAG_SAMEFIELDS = 2;

/** Stream node-size limit applied to every listpack (also when node-max-bytes is 0). */
export const STREAM_LISTPACK_MAX_SIZE = 1 << 30;

/** Quicklist sizing (quicklist.c). */
export const QUICKLIST_OPTIMIZATION_LEVEL: readonly number[] = [4096, 8192, 16384, 32768, 65536];
export const QUICKLIST_SIZE_SAFETY_LIMIT = 8192;
export const QUICKLIST_SIZE_ESTIMATE_OVERHEAD = 8;
export const QUICKLIST_FILL_MAX = (1 << 15) - 1;
/** Elements at least this large get a node of their own (a "plain" node). */
export const QUICKLIST_PACKED_THRESHOLD = 1 << 30;

/** A listpack's element count field saturates at this value. */
export const LP_HDR_NUMELE_UNKNOWN = 0xffff;
/** A ziplist's element count field saturates at this value. */
export const ZIPLIST_LEN_UNKNOWN = 0xffff;

/** DUMP footer: 2 bytes RDB version + 8 bytes CRC64, both little endian. */
export const DUMP_FOOTER_LEN = 10;

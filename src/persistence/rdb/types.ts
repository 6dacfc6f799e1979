/**
 * The codec's neutral value model: plain data that the value reader produces and the
 * value writer consumes, independent of the keyspace classes (an adapter converts).
 *
 * Invariants: strings are latin1 (one char per byte); aggregates are never empty when
 * written; zset entries are decoded in ascending (score, member) order; stream IDs are
 * unsigned 64-bit halves held as bigint. Imports nothing from src.
 */

export interface StreamId {
  ms: bigint;
  seq: bigint;
}

export interface RdbList {
  type: 'list';
  items: string[];
}

export interface RdbSet {
  type: 'set';
  members: string[];
  /** Forces the on-disk form (the in-memory encoding); chosen from limits when absent. */
  encoding?: 'intset' | 'hashtable';
}

export interface RdbHash {
  type: 'hash';
  entries: Array<[field: string, value: string]>;
  encoding?: 'listpack' | 'hashtable';
}

export interface RdbZset {
  type: 'zset';
  entries: Array<[member: string, score: number]>;
  encoding?: 'listpack' | 'skiplist';
}

export interface RdbStreamEntry {
  id: StreamId;
  /** field1, value1, field2, value2, ... */
  fields: string[];
}

export interface RdbStreamNack {
  id: StreamId;
  /** Last delivery, unix ms. */
  deliveryTime: number;
  deliveryCount: number;
}

export interface RdbStreamConsumer {
  name: string;
  /** Last seen, unix ms. */
  seenTime: number;
  /** IDs this consumer owns; each is also in the group PEL. */
  pel: StreamId[];
}

export interface RdbStreamGroup {
  name: string;
  lastId: StreamId;
  /** Logical reads counter; -1n when unknown (SCG_INVALID_ENTRIES_READ). */
  entriesRead: bigint;
  pel: RdbStreamNack[];
  consumers: RdbStreamConsumer[];
}

export interface RdbStream {
  type: 'stream';
  /** Live entries in ID order (entries flagged deleted are dropped on read). */
  entries: RdbStreamEntry[];
  /** Number of live entries (== entries.length for well-formed data). */
  length: number;
  lastId: StreamId;
  firstId: StreamId;
  maxDeletedId: StreamId;
  entriesAdded: bigint;
  groups: RdbStreamGroup[];
}

/** A module value found by the checker (skipped, never loaded). */
export interface RdbModuleValue {
  type: 'module';
  moduleName: string;
}

export type RdbAggregate = RdbList | RdbSet | RdbHash | RdbZset | RdbStream;
export type RdbValue = string | RdbAggregate;

/** Config thresholds that decide on-disk encodings (same names as redis.conf). */
export interface EncodingLimits {
  /** list-max-listpack-size: >0 max entries per node, -1..-5 size classes 4..64 KiB. */
  listMaxListpackSize: number;
  hashMaxListpackEntries: number;
  hashMaxListpackValue: number;
  setMaxIntsetEntries: number;
  zsetMaxListpackEntries: number;
  zsetMaxListpackValue: number;
  streamNodeMaxBytes: number;
  streamNodeMaxEntries: number;
}

export const DEFAULT_LIMITS: Readonly<EncodingLimits> = Object.freeze({
  listMaxListpackSize: -2,
  hashMaxListpackEntries: 512,
  hashMaxListpackValue: 64,
  setMaxIntsetEntries: 512,
  zsetMaxListpackEntries: 128,
  zsetMaxListpackValue: 64,
  streamNodeMaxBytes: 4096,
  streamNodeMaxEntries: 100,
});

export interface ValueWriteOptions extends EncodingLimits {
  /** rdbcompression */
  compression: boolean;
}

export const DEFAULT_WRITE_OPTIONS: Readonly<ValueWriteOptions> = Object.freeze({ ...DEFAULT_LIMITS, compression: true });

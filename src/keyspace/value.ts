/**
 * What a key can hold. Strings are plain latin1 JS strings (the common case allocates
 * nothing); every other type is an object with a `type` tag. Concrete types live in
 * their own files (list.ts, hash.ts, set.ts, zset.ts, stream.ts); this file knows
 * only the tags, so the database core does not depend on them.
 * Imports nothing from src.
 */
export type TypeName = 'string' | 'list' | 'hash' | 'set' | 'zset' | 'stream';

export interface RedisObject {
  readonly type: Exclude<TypeName, 'string'>;
  /** OBJECT ENCODING's answer, given the current config thresholds. */
  encoding(): string;
  /** Number of elements; an empty aggregate is deleted by the command that emptied it. */
  readonly size: number;
  /** A deep copy, for COPY and copy-on-write snapshots. */
  clone(): RedisObject;
}

export type Value = string | RedisObject;

export function typeOf(v: Value): TypeName {
  return typeof v === 'string' ? 'string' : v.type;
}

/**
 * Entry.strEnc values. BY_CONTENT: decided from the bytes as tryObjectEncoding would (a SET).
 * RAW: edited in place (APPEND to, SETRANGE on an existing string). NO_INT: built from text
 * that Redis never turns into an integer object (INCRBYFLOAT): embstr or raw by length.
 */
export const StrEnc = { BY_CONTENT: 0, RAW: 1, NO_INT: 2 } as const;

/**
 * StreamValue: a stream held in the keyspace. Until the stream commands (XADD, XREAD,
 * consumer groups...) arrive with their issue, a stream can only come from an RDB file,
 * an AOF base or RESTORE; the value keeps its decoded form (entries, groups, consumers,
 * pending lists) so that TYPE, EXISTS, DEL, RENAME, COPY, MOVE, expiry, DUMP, SAVE and
 * the AOF rewrite carry it through unchanged, byte for byte.
 *
 * The payload's shape belongs to the persistence codec (RdbStream); this layer keeps it
 * opaque apart from its length.
 * Imports: keyspace only.
 */
import type { RedisObject } from './value.js';

export interface StreamPayload {
  readonly type: 'stream';
  readonly length: number;
}

export class StreamValue implements RedisObject {
  readonly type = 'stream' as const;

  constructor(private readonly payload: StreamPayload) {}

  get size(): number {
    return this.payload.length;
  }

  encoding(): string {
    return 'stream';
  }

  clone(): StreamValue {
    return new StreamValue(structuredClone(this.payload));
  }

  /** The decoded form, for the RDB writer (DUMP, SAVE, AOF base). */
  toRdb(): StreamPayload {
    return this.payload;
  }
}

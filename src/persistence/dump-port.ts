/**
 * The SerializerPort (commands/context.ts) on top of the RDB codec: DUMP payloads out of
 * keyspace values and RESTORE payloads back into them, so the DUMP/RESTORE handlers and
 * DEBUG DIGEST never import persistence.
 *
 * Invariants: encoding thresholds, rdbcompression and sanitize-dump-payload are read at
 * call time (CONFIG SET applies to the next command); every decoding failure surfaces as
 * one of Redis's two RESTORE error replies, never as an exception of another kind.
 * Imports: config (types), keyspace (types), protocol/reply, commands (types), rdb/.
 */
import type { Config } from '../config/config.js';
import type { SerializerPort } from '../commands/context.js';
import type { Value } from '../keyspace/value.js';
import { ErrorReply } from '../protocol/reply.js';
import { RdbError } from './rdb/bytes.js';
import { createDumpPayload, decodeDumpPayload, DumpPayloadError } from './rdb/dump.js';
import { fromRdbValue, limitsFromConfig, toRdbValue } from './rdb/keyspace-adapter.js';

const BAD_CHECKSUM = new ErrorReply('ERR DUMP payload version or checksum are wrong');
const BAD_FORMAT = new ErrorReply('ERR Bad data format');
/** sanitize-dump-payload's numeric view: no=0, yes=1, clients=2. */
const SANITIZE_NO = 0;

export function createSerializerPort(config: Config): SerializerPort {
  const num = (n: string): number => config.num(n);
  return {
    dump(value: Value): string {
      let rdb;
      try {
        rdb = toRdbValue(value);
      } catch (e) {
        // A value class the codec cannot represent yet (streams until they expose toRdb).
        if (e instanceof RdbError) throw new ErrorReply(`ERR ${e.message}`);
        throw e;
      }
      const opts = { ...limitsFromConfig(num), compression: config.bool('rdbcompression') };
      return createDumpPayload(rdb, opts).toString('latin1');
    },
    restore(payload: string, skipChecksum: boolean): Value {
      // "clients" exempts only masters and users with skip-sanitize-payload; neither
      // exists here, so it means "yes".
      const deep = config.num('sanitize-dump-payload') !== SANITIZE_NO;
      try {
        const { value, rdbType } = decodeDumpPayload(payload, { skipChecksum, deep });
        return fromRdbValue(value, rdbType, limitsFromConfig(num));
      } catch (e) {
        if (e instanceof DumpPayloadError && e.reason === 'checksum') throw BAD_CHECKSUM;
        // Hostile bytes can trip any check (a bad LZF stream, an impossible length):
        // Redis answers all of them the same way.
        throw BAD_FORMAT;
      }
    },
  };
}

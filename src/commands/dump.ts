/**
 * DUMP and RESTORE (Redis 7.0's cluster.c semantics). The payload codec is reached
 * through ctx.server.ports.serializer, because commands/ may not import persistence.
 *
 * Invariants: RESTORE checks run in Redis's order (options, then BUSYKEY, then TTL, then
 * the payload); the old key goes away only after the payload decoded. The write log only
 * sees an absolute TTL (the relative one is rewritten with ABSTTL appended), or a DEL when
 * an already-expired RESTORE with REPLACE removed the old key, or nothing when nothing
 * changed. TTL arithmetic wraps at 64 bits exactly as Redis's (so a TTL that overflows
 * reads as already expired).
 * Imports: commands, keyspace (types), protocol/reply, util.
 */
import type { CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { isLfuPolicy, lookupRead, lookupWrite } from './keys.js';
import { ErrorReply, OK, type Reply } from '../protocol/reply.js';
import type { Entry } from '../keyspace/database.js';
import { parseBigInt } from '../util/numbers.js';

const BUSYKEY = new ErrorReply('BUSYKEY Target key name already exists.');
const INVALID_TTL = new ErrorReply('ERR Invalid TTL value, must be >= 0');
const INVALID_IDLETIME = new ErrorReply('ERR Invalid IDLETIME value, must be >= 0');
const INVALID_FREQ = new ErrorReply('ERR Invalid FREQ value, must be >= 0 and <= 255');
/** Tessera without a persistence layer attached (an embedder's choice). */
const NO_SERIALIZER = new ErrorReply('ERR DUMP/RESTORE is not available on this server');

/** Below this magnitude, ms arithmetic on Numbers is exact and cannot reach 2^63. */
const SAFE = 2 ** 52;
/** LRU_CLOCK_MAX: the 24-bit seconds clock Redis keeps per object. */
const LRU_CLOCK_MAX = 0xffffff;

// DUMP key
function dump(ctx: CommandContext, argv: string[]): Reply {
  const e = lookupRead(ctx, argv[1]!);
  if (e === undefined) return null;
  const ser = ctx.server.ports.serializer;
  if (ser === undefined) return NO_SERIALIZER;
  return ser.dump(e.value);
}

/**
 * The idle seconds OBJECT IDLETIME reports in Redis after RESTORE ... IDLETIME `idle`:
 * objectSetLRUOrLFU scales by 1000/1000 in 64-bit arithmetic (so huge values wrap),
 * subtracts from the 24-bit LRU clock and stores the result in a 24-bit field, and
 * estimateObjectIdleTime reads it back modulo that clock.
 */
function redisIdleSeconds(idle: bigint, nowMs: number): number {
  const clock = BigInt(Math.floor(nowMs / 1000) & LRU_CLOCK_MAX);
  const scaled = BigInt.asIntN(64, idle * 1000n) / 1000n;
  let abs = clock - scaled;
  if (abs < 0n) abs += BigInt(LRU_CLOCK_MAX);
  const lru = BigInt.asUintN(24, abs);
  return Number(clock >= lru ? clock - lru : clock + BigInt(LRU_CLOCK_MAX) - lru);
}

/** The absolute expiry for a relative TTL, wrapped to int64 as `ttl += mstime()` does. */
function absoluteTtl(ttl: bigint, ttlNum: number, now: number): { at: number; text: string } {
  if (ttlNum < SAFE) {
    const at = ttlNum + now;
    return { at, text: String(at) };
  }
  const at = BigInt.asIntN(64, ttl + BigInt(now));
  return { at: Number(at), text: at.toString() };
}

// RESTORE key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]
function restore(ctx: CommandContext, argv: string[]): Reply {
  let replace = false;
  let absttl = false;
  let idle: bigint | null = null;
  let freq = -1;
  const argc = argv.length;
  for (let j = 4; j < argc; j++) {
    const opt = argv[j]!.toLowerCase();
    const more = j + 1 < argc;
    if (opt === 'replace') {
      replace = true;
    } else if (opt === 'absttl') {
      absttl = true;
    } else if (opt === 'idletime' && more && freq === -1) {
      // Redis accepts IDLETIME and FREQ only one at a time: the second falls through to
      // the syntax error.
      const v = parseBigInt(argv[++j]!);
      if (v === null) return E.NOT_INTEGER;
      if (v < 0n) return INVALID_IDLETIME;
      idle = v;
    } else if (opt === 'freq' && more && idle === null) {
      const v = parseBigInt(argv[++j]!);
      if (v === null) return E.NOT_INTEGER;
      if (v < 0n || v > 255n) return INVALID_FREQ;
      freq = Number(v);
    } else {
      return E.SYNTAX;
    }
  }

  const key = argv[1]!;
  if (!replace && lookupWrite(ctx, key) !== undefined) return BUSYKEY;

  const ttl = parseBigInt(argv[2]!);
  if (ttl === null) return E.NOT_INTEGER;
  if (ttl < 0n) return INVALID_TTL;

  const ser = ctx.server.ports.serializer;
  if (ser === undefined) return NO_SERIALIZER;
  const value = ser.restore(argv[3]!, false);

  const db = ctx.db;
  let deleted = false;
  if (replace) {
    // dbDelete: no lookup first, so a logically expired key counts as deleted; removing
    // a stream wakes its XREADGROUP clients.
    const old = db.peek(key);
    if (old !== undefined) {
      const was = old.value;
      deleted = db.delete(key);
      if (typeof was !== 'string' && was.type === 'stream') ctx.signalReady(key);
    }
  }

  const ttlNum = Number(ttl);
  let expireAt = 0;
  let expireText = '';
  if (ttlNum !== 0) {
    if (absttl) {
      expireAt = ttlNum;
    } else {
      const t = absoluteTtl(ttl, ttlNum, ctx.now);
      expireAt = t.at;
      expireText = t.text;
    }
    // checkAlreadyExpired: a replica keeps it and waits for its master's DEL.
    if (expireAt <= ctx.now && !ctx.server.isReplica) {
      if (deleted) {
        ctx.rewrite(['DEL', key]);
        ctx.notify('g', 'del', key);
        ctx.dirty();
      }
      return OK;
    }
  }

  // dbAdd: the "new" event comes from the database's creation hook.
  const e: Entry = db.set(key, value);
  if (typeof value !== 'string') ctx.signalReady(key);
  if (expireAt !== 0) {
    db.setExpire(e, expireAt);
    if (!absttl) {
      const out = argv.slice();
      out[2] = expireText;
      out.push('ABSTTL');
      ctx.rewrite(out);
    }
  }
  if (isLfuPolicy(ctx)) {
    if (freq >= 0) {
      e.freq = freq;
      e.atime = ctx.now;
    }
  } else if (idle !== null) {
    e.atime = ctx.now - redisIdleSeconds(idle, ctx.now) * 1000;
  }
  ctx.notify('g', 'restore', key);
  ctx.dirty();
  return OK;
}

export const dumpCommands: CommandDef[] = [
  {
    name: 'dump', arity: 2, flags: 'readonly', acl: 'keyspace', keys: [1, 1, 1], group: 'generic', since: '2.6.0',
    summary: 'Return a serialized version of the value stored at the specified key.',
    complexity: 'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
    run: dump,
  },
  {
    name: 'restore', arity: -4, flags: 'write denyoom', acl: 'keyspace dangerous', keys: [1, 1, 1], group: 'generic',
    since: '2.6.0',
    summary: 'Create a key using the provided serialized value, previously obtained using DUMP.',
    complexity: 'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
    run: restore,
  },
];

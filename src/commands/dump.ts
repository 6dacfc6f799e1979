/**
 * DUMP, RESTORE and MIGRATE (Redis 7.0's cluster.c semantics). The payload codec is
 * reached through ctx.server.ports.serializer, because commands/ may not import
 * persistence; MIGRATE's connections through ctx.server.ports.migrate (network/).
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
import { ErrorReply, OK, Status, type Reply } from '../protocol/reply.js';
import type { Entry } from '../keyspace/database.js';
import { parseBigInt, parseInteger } from '../util/numbers.js';

const NOKEY = new Status('NOKEY');
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

// ---- MIGRATE -------------------------------------------------------------------------------

const KEYS_NEEDS_EMPTY_KEY = new ErrorReply('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string');
const NO_MIGRATE = new ErrorReply('ERR MIGRATE is not available on this server');
const IOERR_CONNECT = new ErrorReply('IOERR error or timeout connecting to the client');
const IOERR_WRITE = new ErrorReply('IOERR error or timeout writing to target instance');
const IOERR_READ = new ErrorReply('IOERR error or timeout reading to target instance');

/** One RESP multibulk, latin1 (arguments are binary strings). */
function respCommand(args: string[]): string {
  let s = `*${args.length}\r\n`;
  for (const a of args) s += `$${a.length}\r\n${a}\r\n`;
  return s;
}

/** Key positions of a MIGRATE line: the key argument, or what follows KEYS. */
function migrateGetKeys(argv: readonly string[]): number[] {
  for (let j = 6; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    if (opt === 'auth') j++;
    else if (opt === 'auth2') j += 2;
    else if (opt === 'keys') return argv.length > j + 1 ? Array.from({ length: argv.length - j - 1 }, (_, i) => j + 1 + i) : [];
  }
  return [3];
}

// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username password] [KEYS key [key ...]]
function migrate(ctx: CommandContext, argv: string[]): Reply {
  let copy = false;
  let replace = false;
  let user: string | null = null;
  let pass: string | null = null;
  let firstKey = 3;
  let numKeys = 1;
  for (let j = 6; j < argv.length; j++) {
    const more = argv.length - 1 - j;
    const opt = argv[j]!.toLowerCase();
    if (opt === 'copy') copy = true;
    else if (opt === 'replace') replace = true;
    else if (opt === 'auth') {
      if (more < 1) return E.SYNTAX;
      pass = argv[++j]!;
    } else if (opt === 'auth2') {
      if (more < 2) return E.SYNTAX;
      user = argv[++j]!;
      pass = argv[++j]!;
    } else if (opt === 'keys') {
      if (argv[3]!.length !== 0) return KEYS_NEEDS_EMPTY_KEY;
      firstKey = j + 1;
      numKeys = argv.length - j - 1;
      break;
    } else {
      return E.SYNTAX;
    }
  }
  let timeout = parseInteger(argv[5]!);
  if (timeout === null) return E.NOT_INTEGER;
  const dbid = parseInteger(argv[4]!);
  if (dbid === null) return E.NOT_INTEGER;
  if (timeout <= 0) timeout = 1000;

  // Missing (or expired) keys are skipped; with none left there is nothing to do.
  let keys: string[] = [];
  for (let j = 0; j < numKeys; j++) {
    const k = argv[firstKey + j]!;
    if (lookupRead(ctx, k) !== undefined) keys.push(k);
  }
  if (keys.length === 0) return NOKEY;
  const mig = ctx.server.ports.migrate;
  const ser = ctx.server.ports.serializer;
  if (mig === undefined || ser === undefined) return NO_MIGRATE;
  const host = argv[1]!;
  const port = argv[2]!;
  const db = ctx.db;

  // One retry after a socket error when nothing was processed yet: a cached connection
  // the target closed meanwhile is the common cause.
  for (let mayRetry = true; ; mayRetry = false) {
    let out = '';
    if (pass !== null) out += respCommand(user !== null ? ['AUTH', user, pass] : ['AUTH', pass]);
    const select = mig.lastDb(host, port) !== dbid;
    if (select) out += respCommand(['SELECT', String(dbid)]);
    const sent: string[] = [];
    for (const k of keys) {
      const e = db.peek(k);
      if (e === undefined) continue;
      let ttl = 0;
      if (e.expireAt !== 0) {
        ttl = e.expireAt - ctx.now;
        if (ttl < 0) continue;
        if (ttl < 1) ttl = 1;
      }
      sent.push(k);
      const cmd = ['RESTORE', k, String(ttl), ser.dump(e.value)];
      if (replace) cmd.push('REPLACE');
      out += respCommand(cmd);
    }
    keys = sent;
    const pre = (pass !== null ? 1 : 0) + (select ? 1 : 0);
    const res = mig.exchange(host, port, Buffer.from(out, 'latin1'), pre + keys.length, timeout);
    // Only a connect timeout is a connect error: Redis's blocking connect reports a
    // refused connection as writable, and the write is what then fails.
    if (res.stage === 'connect' && res.timedOut) return IOERR_CONNECT;
    if (res.stage === 'connect' || res.stage === 'write' || (!res.ok && res.lines.length <= pre)) {
      // Nothing of this round was processed: retry once on a fresh connection.
      mig.close(host, port);
      if (mayRetry && !res.timedOut) continue;
      return res.stage === 'read' ? IOERR_READ : IOERR_WRITE;
    }
    const lines = res.lines;
    const authLine = pass !== null ? lines[0]! : '';
    const selectLine = select ? lines[pass !== null ? 1 : 0]! : '';
    let targetError: string | null = null;
    const deleted: string[] = [];
    for (let j = 0; j < keys.length && pre + j < lines.length; j++) {
      const line = lines[pre + j]!;
      if (authLine.startsWith('-') || selectLine.startsWith('-') || line.startsWith('-')) {
        if (targetError === null) {
          targetError = (authLine.startsWith('-') ? authLine : selectLine.startsWith('-') ? selectLine : line).slice(1);
        }
      } else if (!copy) {
        const k = keys[j]!;
        db.delete(k);
        ctx.notify('g', 'del', k);
        ctx.dirty();
        deleted.push(k);
      }
    }
    // Only acknowledged keys were removed here, and only they go to replicas and the AOF.
    if (deleted.length > 0) ctx.rewrite(['DEL', ...deleted]);
    if (targetError !== null) {
      mig.setLastDb(host, port, -1);
      return new ErrorReply(`ERR Target instance replied with error: ${targetError}`);
    }
    if (!res.ok) {
      // A read failed after some replies: what was acknowledged stays migrated.
      mig.close(host, port);
      return IOERR_READ;
    }
    mig.setLastDb(host, port, dbid);
    return OK;
  }
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
  {
    name: 'migrate', arity: -6, flags: 'write', acl: 'keyspace dangerous', keys: [3, 3, 1], getKeys: migrateGetKeys,
    group: 'generic', since: '2.6.0', summary: 'Atomically transfer a key from a Redis instance to another one.',
    complexity: 'This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.',
    run: migrate,
  },
];

/**
 * Expiry commands: EXPIRE PEXPIRE EXPIREAT PEXPIREAT (with NX XX GT LT), TTL PTTL
 * EXPIRETIME PEXPIRETIME and PERSIST.
 *
 * Invariants: times are absolute unix milliseconds. The write log only ever sees
 * PEXPIREAT with an absolute time (or DEL/UNLINK when the time is already past), so
 * replaying it later or on a replica gives the same dataset. Arithmetic that can leave
 * the int64 range is checked exactly as Redis does (BigInt beyond 2^53) and reported as
 * "invalid expire time".
 * Imports: commands, keyspace, protocol/reply, util.
 */
import type { CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { lookupReadNoTouch, lookupWrite } from './keys.js';
import { ErrorReply, type Reply } from '../protocol/reply.js';
import { LLONG_MAX, LLONG_MIN, parseBigInt } from '../util/numbers.js';

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

const NX_CONFLICT = new ErrorReply('ERR NX and XX, GT or LT options at the same time are not compatible');
const GT_LT_CONFLICT = new ErrorReply('ERR GT and LT options at the same time are not compatible');

/** Parses the NX/XX/GT/LT flags after argv[2], or returns Redis's error. */
function parseExpireFlags(argv: string[]): number | ErrorReply {
  let flags = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!;
    switch (opt.toLowerCase()) {
      case 'nx': flags |= NX; break;
      case 'xx': flags |= XX; break;
      case 'gt': flags |= GT; break;
      case 'lt': flags |= LT; break;
      default: return new ErrorReply(`ERR Unsupported option ${opt}`);
    }
  }
  if (flags & NX && flags & (XX | GT | LT)) return NX_CONFLICT;
  if (flags & GT && flags & LT) return GT_LT_CONFLICT;
  return flags;
}

const MAX_SECONDS = LLONG_MAX / 1000n;
const MIN_SECONDS = LLONG_MIN / 1000n;
/** Below this magnitude Number arithmetic on ms timestamps is exact. */
const SAFE = 2 ** 43;

/**
 * The absolute ms time for `arg` in `unit` from `base` (0 for the *AT forms), with
 * Redis's overflow checks; null means "invalid expire time". Returns the value as a
 * decimal string too, since times past 2^53 must still propagate exactly.
 */
function absoluteTime(arg: string, seconds: boolean, base: number): { ms: number; text: string } | null | undefined {
  const v = parseBigInt(arg);
  if (v === null) return undefined;
  const n = Number(v);
  if (n > -SAFE && n < SAFE) {
    const ms = (seconds ? n * 1000 : n) + base;
    return { ms, text: String(ms) };
  }
  let when = v;
  if (seconds) {
    if (when > MAX_SECONDS || when < MIN_SECONDS) return null;
    when *= 1000n;
  }
  const b = BigInt(base);
  if (when > LLONG_MAX - b) return null;
  when += b;
  return { ms: Number(when), text: when.toString() };
}

/**
 * EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT: `relative` adds the command time, `seconds`
 * scales the argument. `name` is the command name used in the error text.
 */
function expireGeneric(ctx: CommandContext, argv: string[], relative: boolean, seconds: boolean, name: string): Reply {
  const flags = parseExpireFlags(argv);
  if (flags instanceof ErrorReply) return flags;
  const t = absoluteTime(argv[2]!, seconds, relative ? ctx.now : 0);
  if (t === undefined) return E.NOT_INTEGER;
  if (t === null) return E.INVALID_EXPIRE(name);
  const key = argv[1]!;
  const e = lookupWrite(ctx, key);
  if (e === undefined) return 0;
  const when = t.ms;
  if (flags !== 0) {
    const current = e.expireAt === 0 ? -1 : e.expireAt;
    if (flags & NX && current !== -1) return 0;
    if (flags & XX && current === -1) return 0;
    // No TTL counts as an infinite one: GT never beats it, LT always does.
    if (flags & GT && (current === -1 || when <= current)) return 0;
    if (flags & LT && current !== -1 && when >= current) return 0;
  }
  const db = ctx.db;
  if (when <= ctx.now) {
    // Already past: delete now and propagate the deletion instead of a time in the past.
    db.delete(key);
    ctx.dirty();
    ctx.rewrite([ctx.server.config.num('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
    ctx.notify('g', 'del', key);
    return 1;
  }
  db.setExpire(e, when);
  if (relative || seconds) {
    const out = argv.slice();
    out[0] = 'PEXPIREAT';
    out[2] = t.text;
    ctx.rewrite(out);
  }
  ctx.notify('g', 'expire', key);
  ctx.dirty();
  return 1;
}

// EXPIRE key seconds [NX | XX | GT | LT]
function expire(ctx: CommandContext, argv: string[]): Reply {
  return expireGeneric(ctx, argv, true, true, 'expire');
}

// PEXPIRE key milliseconds [NX | XX | GT | LT]
function pexpire(ctx: CommandContext, argv: string[]): Reply {
  return expireGeneric(ctx, argv, true, false, 'pexpire');
}

// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
function expireat(ctx: CommandContext, argv: string[]): Reply {
  return expireGeneric(ctx, argv, false, true, 'expireat');
}

// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
function pexpireat(ctx: CommandContext, argv: string[]): Reply {
  return expireGeneric(ctx, argv, false, false, 'pexpireat');
}

/** TTL family: -2 missing, -1 no TTL, else remaining (or absolute) time, never negative. */
function ttlGeneric(ctx: CommandContext, key: string, ms: boolean, absolute: boolean): Reply {
  const e = lookupReadNoTouch(ctx, key);
  if (e === undefined) return -2;
  if (e.expireAt === 0) return -1;
  let t = absolute ? e.expireAt : e.expireAt - ctx.now;
  if (t < 0) t = 0;
  // Seconds round to nearest, as (ttl+500)/1000 in C integer division.
  return ms ? t : Math.floor((t + 500) / 1000);
}

// TTL key
function ttl(ctx: CommandContext, argv: string[]): Reply {
  return ttlGeneric(ctx, argv[1]!, false, false);
}

// PTTL key
function pttl(ctx: CommandContext, argv: string[]): Reply {
  return ttlGeneric(ctx, argv[1]!, true, false);
}

// EXPIRETIME key
function expiretime(ctx: CommandContext, argv: string[]): Reply {
  return ttlGeneric(ctx, argv[1]!, false, true);
}

// PEXPIRETIME key
function pexpiretime(ctx: CommandContext, argv: string[]): Reply {
  return ttlGeneric(ctx, argv[1]!, true, true);
}

// PERSIST key
function persist(ctx: CommandContext, argv: string[]): Reply {
  const key = argv[1]!;
  const e = lookupWrite(ctx, key);
  if (e === undefined || e.expireAt === 0) return 0;
  ctx.db.clearExpire(e);
  ctx.notify('g', 'persist', key);
  ctx.dirty();
  return 1;
}

const expireDef = (name: string, since: string, summary: string, complexity: string, run: CommandDef['run']): CommandDef => ({
  name, arity: -3, flags: 'write fast', acl: 'keyspace', keys: [1, 1, 1], group: 'generic', since, summary, complexity, run,
});
const ttlDef = (name: string, since: string, summary: string, run: CommandDef['run']): CommandDef => ({
  name, arity: 2, flags: 'readonly fast', acl: 'keyspace', keys: [1, 1, 1], group: 'generic', since, summary,
  complexity: 'O(1)', run,
});

export const expireCommands: CommandDef[] = [
  expireDef('expire', '1.0.0', "Set a key's time to live in seconds", 'O(1)', expire),
  expireDef('pexpire', '2.6.0', "Set a key's time to live in milliseconds", 'O(1)', pexpire),
  expireDef('expireat', '1.2.0', 'Set the expiration for a key as a UNIX timestamp', 'O(1)', expireat),
  expireDef('pexpireat', '2.6.0', 'Set the expiration for a key as a UNIX timestamp specified in milliseconds', 'O(1)', pexpireat),
  ttlDef('ttl', '1.0.0', 'Get the time to live for a key in seconds', ttl),
  ttlDef('pttl', '2.6.0', 'Get the time to live for a key in milliseconds', pttl),
  ttlDef('expiretime', '7.0.0', 'Get the expiration Unix timestamp for a key', expiretime),
  ttlDef('pexpiretime', '7.0.0', 'Get the expiration Unix timestamp for a key in milliseconds', pexpiretime),
  {
    name: 'persist', arity: 2, flags: 'write fast', acl: 'keyspace', keys: [1, 1, 1], group: 'generic', since: '2.2.0',
    summary: 'Remove the expiration from a key', complexity: 'O(1)', run: persist,
  },
];

/**
 * Generic keyspace commands: DEL UNLINK EXISTS TYPE RENAME RENAMENX KEYS SCAN RANDOMKEY
 * DBSIZE TOUCH COPY MOVE SWAPDB SELECT FLUSHDB FLUSHALL OBJECT, and the lookup helpers
 * that reproduce the side effects of Redis's lookupKey* family (keyspace hits/misses,
 * LRU/LFU access tracking, "keymiss" and "new" events) for the string, key and expire
 * families.
 *
 * Invariants: every check runs in Redis 7.0's order (argument errors before or after the
 * lookup decide which error wins); each removal or creation emits the same events in the
 * same order as db.c; WATCH invalidation for keys in a database other than the current
 * one is signalled here (the dispatcher only covers the command's own key arguments).
 * Imports: commands, keyspace, protocol/reply, util. Never engine or network.
 */
import type { CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { INVALID_CURSOR, parseScanArgs, parseScanCursor } from './scan-args.js';
import { ErrorReply, OK, Status, type Reply } from '../protocol/reply.js';
import type { Database, Entry } from '../keyspace/database.js';
import { StrEnc, typeOf, type Value } from '../keyspace/value.js';
import { globMatch } from '../util/glob.js';
import { isInt64String, parseInteger } from '../util/numbers.js';

// ---- lookup helpers (shared with strings.ts and expire.ts) -------------------------------

/** maxmemory-policy enum values (config's numeric view), as in directives.ts. */
const POLICY_VOLATILE_LRU = 1;
const POLICY_VOLATILE_LFU = 2;
const POLICY_ALLKEYS_LRU = 5;
const POLICY_ALLKEYS_LFU = 6;
/** LFU_INIT_VAL: the counter a new key starts with. */
const LFU_INIT_VAL = 5;

export function isLfuPolicy(ctx: CommandContext): boolean {
  const p = ctx.server.config.num('maxmemory-policy');
  return p === POLICY_VOLATILE_LFU || p === POLICY_ALLKEYS_LFU;
}

/** The LFU counter after the decay for the minutes elapsed since the last access. */
function lfuDecayed(ctx: CommandContext, e: Entry): number {
  const decay = ctx.server.config.num('lfu-decay-time');
  if (decay <= 0) return e.freq;
  const periods = Math.floor((Math.floor(ctx.now / 60000) - Math.floor(e.atime / 60000)) / decay);
  if (periods <= 0) return e.freq;
  return periods > e.freq ? 0 : e.freq - periods;
}

/**
 * Redis's access-time update on a successful lookup: the LRU clock, or under an LFU
 * policy the decayed counter bumped with probability 1/((counter-5)*lfu-log-factor+1).
 */
export function touchEntry(ctx: CommandContext, e: Entry): void {
  if (ctx.client.noTouch) return;
  if (isLfuPolicy(ctx)) {
    let c = lfuDecayed(ctx, e);
    if (c < 255) {
      const base = c > LFU_INIT_VAL ? c - LFU_INIT_VAL : 0;
      if (Math.random() < 1 / (base * ctx.server.config.num('lfu-log-factor') + 1)) c++;
    }
    e.freq = c;
  }
  e.atime = ctx.now;
}

/** lookupKeyRead: expires, counts a hit or miss, touches, fires "keymiss" on a miss. */
export function lookupRead(ctx: CommandContext, key: string): Entry | undefined {
  const e = ctx.db.lookup(key);
  if (e === undefined) {
    ctx.server.stats.keyspaceMisses++;
    ctx.notify('m', 'keymiss', key);
    return undefined;
  }
  ctx.server.stats.keyspaceHits++;
  touchEntry(ctx, e);
  return e;
}

/** lookupKeyReadWithFlags(LOOKUP_NOTOUCH): EXISTS, TYPE, TTL. `notify` false adds NONOTIFY. */
export function lookupReadNoTouch(ctx: CommandContext, key: string, notify = true): Entry | undefined {
  const e = ctx.db.lookup(key);
  if (e === undefined) {
    ctx.server.stats.keyspaceMisses++;
    if (notify) ctx.notify('m', 'keymiss', key);
    return undefined;
  }
  ctx.server.stats.keyspaceHits++;
  return e;
}

/** lookupKeyWrite: expires and touches, no stats and no events. */
export function lookupWrite(ctx: CommandContext, key: string, db: Database = ctx.db): Entry | undefined {
  const e = db.lookup(key);
  if (e !== undefined) touchEntry(ctx, e);
  return e;
}

/**
 * Redis's setKey for a key whose existence the caller already checked: dbAdd (with the
 * "new" event) or dbOverwrite (a fresh LRU time unless LFU keeps the old counter), then
 * the TTL is dropped unless keepTtl.
 */
export function storeValue(ctx: CommandContext, key: string, value: Value, existed: boolean, keepTtl: boolean): Entry {
  if (existed) {
    // Overwriting a stream wakes XREADGROUP clients so they see it is gone.
    const old = ctx.db.peek(key)?.value;
    if (old !== undefined && typeof old !== 'string' && old.type === 'stream') ctx.signalReady(key);
  }
  // The "new" event of a created key comes from the database's creation hook.
  const e = ctx.db.set(key, value, keepTtl);
  if (existed && !isLfuPolicy(ctx)) e.atime = ctx.now;
  return e;
}

/**
 * dbAdd into any database for a key known to be absent there: "new" event, the given
 * TTL, and a ready signal for clients blocked on that key.
 */
function addEntry(ctx: CommandContext, dbIndex: number, key: string, value: Value, expireAt: number, strEnc = 0): Entry {
  const db = ctx.server.dbs[dbIndex]!;
  const e = db.set(key, value);
  e.strEnc = strEnc;
  if (expireAt !== 0) db.setExpire(e, expireAt);
  if (typeof value !== 'string') ctx.signalReady(key, dbIndex);
  return e;
}

/** getIntFromObjectOrReply: a 32-bit C int, or the error Redis gives (not an integer / out of int range). */
function parseInt32(s: string): number | ErrorReply {
  const n = parseInteger(s);
  if (n === null) return E.NOT_INTEGER;
  return n < -2147483648 || n > 2147483647 ? E.INT_RANGE : n;
}

/**
 * How many picks a repeats-allowed random reply (SRANDMEMBER, HRANDFIELD, ZRANDMEMBER
 * with a negative count) may build: past the client's hard output limit Redis stops the
 * loop (CLIENT_CLOSE_ASAP) and the client is closed without the reply, so more picks
 * would be wasted. Each pick is at least 6 bytes ("$0\r\n\r\n"). Infinity without a limit.
 */
export function randomReplyCap(ctx: CommandContext): number {
  const hard = ctx.server.config.outputBufferLimit(ctx.client.subscriptionCount() > 0 ? 'pubsub' : 'normal').hard;
  return hard > 0 ? Math.ceil(hard / 6) + 1 : Infinity;
}

function validDb(ctx: CommandContext, id: number): boolean {
  return id >= 0 && id < ctx.server.dbs.length;
}

// ---- DEL UNLINK EXISTS TYPE TOUCH DBSIZE ----------------------------------------------------

/** Rough heap bytes a key holds (about 48 per element of an aggregate), for memoryFreed. */
function roughBytes(key: string, v: Value): number {
  return 56 + key.length + (typeof v === 'string' ? v.length : v.size * 48);
}

function delGeneric(ctx: CommandContext, argv: string[]): Reply {
  const db = ctx.db;
  let n = 0;
  let freed = 0;
  for (let j = 1; j < argv.length; j++) {
    const key = argv[j]!;
    // An expired key is expired first (its own DEL and "expired" event), then counts as absent.
    const e = db.lookup(key);
    if (e === undefined) continue;
    freed += roughBytes(key, e.value);
    db.delete(key);
    ctx.notify('g', 'del', key);
    ctx.dirty();
    n++;
  }
  if (freed > 0) ctx.server.memoryFreed(freed);
  return n;
}

/** What flushing a database drops, for memoryFreed. */
function dbBytes(db: Database): number {
  let b = 0;
  for (let i = 0, n = db.size; i < n; i++) {
    const e = db.entryAt(i)!;
    b += roughBytes(e.key, e.value);
  }
  return b;
}

// DEL key [key ...]
function del(ctx: CommandContext, argv: string[]): Reply {
  return delGeneric(ctx, argv);
}

// UNLINK key [key ...]
function unlink(ctx: CommandContext, argv: string[]): Reply {
  return delGeneric(ctx, argv);
}

// EXISTS key [key ...]
function exists(ctx: CommandContext, argv: string[]): Reply {
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (lookupReadNoTouch(ctx, argv[j]!) !== undefined) n++;
  return n;
}

const TYPE_STATUS: Record<string, Status> = {
  none: new Status('none'), string: new Status('string'), list: new Status('list'),
  set: new Status('set'), zset: new Status('zset'), hash: new Status('hash'), stream: new Status('stream'),
};

// TYPE key
function type(ctx: CommandContext, argv: string[]): Reply {
  const e = lookupReadNoTouch(ctx, argv[1]!);
  return TYPE_STATUS[e === undefined ? 'none' : typeOf(e.value)]!;
}

// TOUCH key [key ...]
function touch(ctx: CommandContext, argv: string[]): Reply {
  let n = 0;
  for (let j = 1; j < argv.length; j++) if (lookupRead(ctx, argv[j]!) !== undefined) n++;
  return n;
}

// DBSIZE
function dbsize(ctx: CommandContext): Reply {
  return ctx.db.size;
}

// ---- RENAME RENAMENX -----------------------------------------------------------------------

function renameGeneric(ctx: CommandContext, argv: string[], nx: boolean): Reply {
  const src = argv[1]!;
  const dst = argv[2]!;
  const e = lookupWrite(ctx, src);
  if (e === undefined) return E.NO_SUCH_KEY;
  if (src === dst) return nx ? 0 : OK;
  const { value, expireAt, atime, freq, strEnc } = e;
  const db = ctx.db;
  if (lookupWrite(ctx, dst) !== undefined) {
    if (nx) return 0;
    db.delete(dst);
  }
  // The value object moves as is, so its access time and LFU counter move with it.
  const ne = addEntry(ctx, ctx.client.dbIndex, dst, value, expireAt, strEnc);
  ne.atime = atime;
  ne.freq = freq;
  db.delete(src);
  ctx.notify('g', 'rename_from', src);
  ctx.notify('g', 'rename_to', dst);
  ctx.dirty();
  return nx ? 1 : OK;
}

// RENAME key newkey
function rename(ctx: CommandContext, argv: string[]): Reply {
  return renameGeneric(ctx, argv, false);
}

// RENAMENX key newkey
function renamenx(ctx: CommandContext, argv: string[]): Reply {
  return renameGeneric(ctx, argv, true);
}

// ---- KEYS SCAN RANDOMKEY -------------------------------------------------------------------

// KEYS pattern
function keys(ctx: CommandContext, argv: string[]): Reply {
  const pattern = argv[1]!;
  const all = pattern === '*';
  const db = ctx.db;
  const out: string[] = [];
  const n = db.size;
  for (let i = 0; i < n; i++) {
    const e = db.entryAt(i)!;
    // KEYS skips logically expired keys without deleting them (keyIsExpired only).
    if ((all || globMatch(pattern, e.key, false)) && !db.isExpired(e)) out.push(e.key);
  }
  return out;
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
function scan(ctx: CommandContext, argv: string[]): Reply {
  const cursor = parseScanCursor(argv[1]!);
  if (cursor === null) return INVALID_CURSOR;
  const args = parseScanArgs(argv, 2, true);
  if (args instanceof ErrorReply) return args;
  const db = ctx.db;
  const found: Entry[] = [];
  const next = db.scan(cursor, args.count, (e) => { found.push(e); });
  const { pattern } = args;
  const wantType = args.type === null ? null : args.type.toLowerCase();
  const out: string[] = [];
  for (const e of found) {
    const key = e.key;
    if (pattern !== null && !globMatch(pattern, key, false)) continue;
    if (wantType !== null) {
      // Redis checks the type with a real lookup, which already expires the key; an
      // expired key then reads as "none" and is not filtered again afterwards.
      const live = lookupReadNoTouch(ctx, key);
      if ((live === undefined ? 'none' : typeOf(live.value)) !== wantType) continue;
      if (live === undefined) {
        if (db.peek(key) === undefined) out.push(key);
        continue;
      }
    }
    if (db.isExpired(e)) {
      db.lookup(key); // expireIfNeeded: deletes and propagates on a primary
      continue;
    }
    out.push(key);
  }
  return [String(next), out];
}

// RANDOMKEY
function randomkey(ctx: CommandContext): Reply {
  const db = ctx.db;
  const allVolatile = db.size === db.expiresCount;
  let tries = 100;
  for (;;) {
    const e = db.randomEntry();
    if (e === undefined) return null;
    if (!db.isExpired(e)) return e.key;
    db.lookup(e.key);
    // Where expired keys are not deleted (a replica), give up after a while when every
    // key is volatile, as dbRandomKey does, rather than spin forever.
    if (db.peek(e.key) === e && allVolatile && --tries === 0) return e.key;
  }
}

// ---- COPY MOVE SWAPDB SELECT ---------------------------------------------------------------

// COPY source destination [DB destination-db] [REPLACE]
function copy(ctx: CommandContext, argv: string[]): Reply {
  const srcIndex = ctx.client.dbIndex;
  let dstIndex = srcIndex;
  let replace = false;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    if (opt === 'replace') {
      replace = true;
    } else if (opt === 'db' && j + 1 < argv.length) {
      const id = parseInt32(argv[j + 1]!);
      if (id instanceof ErrorReply) return id;
      if (!validDb(ctx, id)) return E.INVALID_DB;
      dstIndex = id;
      j++;
    } else {
      return E.SYNTAX;
    }
  }
  const key = argv[1]!;
  const newkey = argv[2]!;
  if (srcIndex === dstIndex && key === newkey) return E.SAME_OBJECT;
  const e = lookupRead(ctx, key);
  if (e === undefined) return 0;
  const dst = ctx.server.dbs[dstIndex]!;
  if (lookupWrite(ctx, newkey, dst) !== undefined) {
    if (!replace) return 0;
    dst.delete(newkey);
  }
  const v = e.value;
  // A string copy keeps its source's encoding, as dupStringObject does.
  addEntry(ctx, dstIndex, newkey, typeof v === 'string' ? v : v.clone(), e.expireAt, e.strEnc);
  if (dstIndex !== srcIndex) ctx.signalModified(newkey, dstIndex);
  ctx.notify('g', 'copy_to', newkey, dstIndex);
  ctx.dirty();
  return 1;
}

// MOVE key db
function move(ctx: CommandContext, argv: string[]): Reply {
  const srcIndex = ctx.client.dbIndex;
  const dstIndex = parseInt32(argv[2]!);
  if (dstIndex instanceof ErrorReply) return dstIndex;
  if (!validDb(ctx, dstIndex)) return E.INVALID_DB;
  if (dstIndex === srcIndex) return E.SAME_OBJECT;
  const key = argv[1]!;
  const e = lookupWrite(ctx, key);
  if (e === undefined) return 0;
  if (lookupWrite(ctx, key, ctx.server.dbs[dstIndex]!) !== undefined) return 0;
  const ne = addEntry(ctx, dstIndex, key, e.value, e.expireAt, e.strEnc);
  ne.atime = e.atime;
  ne.freq = e.freq;
  ctx.db.delete(key);
  ctx.signalModified(key, dstIndex);
  ctx.notify('g', 'move_from', key, srcIndex);
  ctx.notify('g', 'move_to', key, dstIndex);
  ctx.dirty();
  return 1;
}

const INVALID_FIRST_DB = new ErrorReply('ERR invalid first DB index');
const INVALID_SECOND_DB = new ErrorReply('ERR invalid second DB index');

// SWAPDB index1 index2
function swapdb(ctx: CommandContext, argv: string[]): Reply {
  const id1 = parseInt32(argv[1]!);
  if (id1 instanceof ErrorReply) return INVALID_FIRST_DB;
  const id2 = parseInt32(argv[2]!);
  if (id2 instanceof ErrorReply) return INVALID_SECOND_DB;
  if (!validDb(ctx, id1) || !validDb(ctx, id2)) return E.INVALID_DB;
  if (id1 !== id2) {
    const a = ctx.server.dbs[id1]!;
    const b = ctx.server.dbs[id2]!;
    // A watched key changes when it exists on either side of the swap (stale keys aside).
    ctx.server.touchAllWatched(id1, id2);
    ctx.server.touchAllWatched(id2, id1);
    a.swapWith(b);
    // Clients blocked on a key in either database may be servable now.
    for (const [db, idx] of [[a, id1], [b, id2]] as const) {
      const n = db.size;
      for (let i = 0; i < n; i++) {
        const e = db.entryAt(i)!;
        if (typeof e.value !== 'string') ctx.signalReady(e.key, idx);
      }
    }
  }
  ctx.dirty();
  return OK;
}

// SELECT index
function select(ctx: CommandContext, argv: string[]): Reply {
  const id = parseInt32(argv[1]!);
  if (id instanceof ErrorReply) return id;
  if (!ctx.select(id)) return E.INVALID_DB;
  return OK;
}

// ---- FLUSHDB FLUSHALL ----------------------------------------------------------------------

/** [ASYNC|SYNC]: both free synchronously here; only the syntax matters. */
function flushArgsOk(argv: string[]): boolean {
  if (argv.length === 1) return true;
  if (argv.length !== 2) return false;
  const opt = argv[1]!.toLowerCase();
  return opt === 'sync' || opt === 'async';
}

/**
 * Flushes are propagated even when nothing was removed (forceCommandPropagation), so a
 * replica or the AOF never keeps data the primary dropped.
 */
function countFlush(ctx: CommandContext, argv: string[], removed: number): void {
  if (removed > 0) ctx.dirty(removed);
  else ctx.propagate(argv.slice());
}

// FLUSHDB [ASYNC|SYNC]
function flushdb(ctx: CommandContext, argv: string[]): Reply {
  if (!flushArgsOk(argv)) return E.SYNTAX;
  const db = ctx.db;
  ctx.server.touchAllWatched(ctx.client.dbIndex);
  const freed = dbBytes(db);
  countFlush(ctx, argv, db.flush());
  if (freed > 0) ctx.server.memoryFreed(freed);
  return OK;
}

// FLUSHALL [ASYNC|SYNC]
function flushall(ctx: CommandContext, argv: string[]): Reply {
  if (!flushArgsOk(argv)) return E.SYNTAX;
  const dbs = ctx.server.dbs;
  let removed = 0;
  let freed = 0;
  for (let i = 0; i < dbs.length; i++) {
    ctx.server.touchAllWatched(i);
    freed += dbBytes(dbs[i]!);
    removed += dbs[i]!.flush();
  }
  if (freed > 0) ctx.server.memoryFreed(freed);
  countFlush(ctx, argv, removed);
  // With save points configured Redis writes the (now empty) snapshot at once, which
  // also resets the changes-since-last-save counter.
  if (ctx.server.config.saveParams().length > 0) ctx.server.ports.persistence?.save();
  return OK;
}

// ---- OBJECT --------------------------------------------------------------------------------

/** OBJ_SHARED_REFCOUNT: shared integers report INT_MAX references. */
const SHARED_REFCOUNT = 2147483647;
const SHARED_INTEGERS = 10000;
const EMBSTR_LIMIT = 44;

/**
 * OBJECT ENCODING of a string, from its bytes as tryObjectEncoding would decide when the
 * value is stored: int (a long in at most 20 chars), embstr (up to 44 bytes), raw;
 * unless the entry's strEnc says the command that wrote it built another encoding.
 */
export function stringEncoding(v: string, strEnc = 0): string {
  if (strEnc === StrEnc.RAW) return 'raw';
  if (strEnc === StrEnc.BY_CONTENT && v.length <= 20 && isInt64String(v)) return 'int';
  return v.length <= EMBSTR_LIMIT ? 'embstr' : 'raw';
}

/** Whether small integers would be shared objects: not under an LRU/LFU maxmemory policy. */
function sharesIntegers(ctx: CommandContext): boolean {
  if (ctx.server.config.num('maxmemory') === 0) return true;
  const p = ctx.server.config.num('maxmemory-policy');
  return p !== POLICY_VOLATILE_LRU && p !== POLICY_VOLATILE_LFU && p !== POLICY_ALLKEYS_LRU && p !== POLICY_ALLKEYS_LFU;
}

// OBJECT ENCODING key
function objectEncoding(ctx: CommandContext, argv: string[]): Reply {
  const e = lookupReadNoTouch(ctx, argv[2]!, false);
  if (e === undefined) return null;
  const v = e.value;
  return typeof v === 'string' ? stringEncoding(v, e.strEnc) : v.encoding();
}

// OBJECT REFCOUNT key
function objectRefcount(ctx: CommandContext, argv: string[]): Reply {
  const e = lookupReadNoTouch(ctx, argv[2]!, false);
  if (e === undefined) return null;
  const v = e.value;
  if (typeof v === 'string' && e.strEnc === StrEnc.BY_CONTENT && v.length <= 20 && isInt64String(v) && sharesIntegers(ctx)) {
    const n = Number(v);
    if (n >= 0 && n < SHARED_INTEGERS) return SHARED_REFCOUNT;
  }
  return 1;
}

const IDLETIME_UNDER_LFU = new ErrorReply(
  'ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between ' +
  'policies at runtime LRU and LFU data will take some time to adjust.');
const FREQ_WITHOUT_LFU = new ErrorReply(
  'ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching ' +
  'between policies at runtime LRU and LFU data will take some time to adjust.');

// OBJECT IDLETIME key
function objectIdletime(ctx: CommandContext, argv: string[]): Reply {
  const e = lookupReadNoTouch(ctx, argv[2]!, false);
  if (e === undefined) return null;
  if (isLfuPolicy(ctx)) return IDLETIME_UNDER_LFU;
  // The LRU clock ticks in whole seconds, so compare second counts, not milliseconds.
  const idle = Math.floor(ctx.now / 1000) - Math.floor(e.atime / 1000);
  return idle > 0 ? idle : 0;
}

// OBJECT FREQ key
function objectFreq(ctx: CommandContext, argv: string[]): Reply {
  const e = lookupReadNoTouch(ctx, argv[2]!, false);
  if (e === undefined) return null;
  if (!isLfuPolicy(ctx)) return FREQ_WITHOUT_LFU;
  return lfuDecayed(ctx, e);
}

const OBJECT_HELP_LINES = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
  'HELP',
  '    Prints this help.',
].map((l) => new Status(l));

// OBJECT HELP
function objectHelp(_ctx: CommandContext, argv: string[]): Reply {
  return [new Status(`${argv[0]!.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`), ...OBJECT_HELP_LINES];
}

// ---- table ---------------------------------------------------------------------------------

const objectSub = (name: string, since: string, summary: string, run: CommandDef['run']): CommandDef => ({
  name, arity: 3, flags: 'readonly', acl: 'keyspace', keys: [2, 2, 1], group: 'generic', since,
  summary, complexity: 'O(1)', run,
});

type Keys = [number, number, number] | undefined;
const def = (
  name: string, arity: number, flags: string, acl: string, keys: Keys, group: string, since: string, summary: string,
  complexity: string, run: CommandDef['run'],
): CommandDef => (keys === undefined
  ? { name, arity, flags, acl, group, since, summary, complexity, run }
  : { name, arity, flags, acl, keys, group, since, summary, complexity, run });
const ALL: Keys = [1, -1, 1];
const ONE: Keys = [1, 1, 1];
const TWO: Keys = [1, 2, 1];

export const keyCommands: CommandDef[] = [
  def('del', -2, 'write', 'keyspace', ALL, 'generic', '1.0.0', 'Delete a key',
    'O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).',
    del),
  def('unlink', -2, 'write fast', 'keyspace', ALL, 'generic', '4.0.0',
    'Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.',
    'O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.',
    unlink),
  def('exists', -2, 'readonly fast', 'keyspace', ALL, 'generic', '1.0.0', 'Determine if a key exists',
    'O(N) where N is the number of keys to check.', exists),
  def('type', 2, 'readonly fast', 'keyspace', ONE, 'generic', '1.0.0', 'Determine the type stored at key', 'O(1)', type),
  def('rename', 3, 'write', 'keyspace', TWO, 'generic', '1.0.0', 'Rename a key', 'O(1)', rename),
  def('renamenx', 3, 'write fast', 'keyspace', TWO, 'generic', '1.0.0', 'Rename a key, only if the new key does not exist',
    'O(1)', renamenx),
  def('keys', 2, 'readonly', 'keyspace dangerous', undefined, 'generic', '1.0.0', 'Find all keys matching the given pattern',
    'O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.',
    keys),
  def('scan', -2, 'readonly', 'keyspace', undefined, 'generic', '2.8.0', 'Incrementally iterate the keys space',
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
    scan),
  def('randomkey', 1, 'readonly', 'keyspace', undefined, 'generic', '1.0.0', 'Return a random key from the keyspace',
    'O(1)', randomkey),
  def('dbsize', 1, 'readonly fast', 'keyspace', undefined, 'server', '1.0.0', 'Return the number of keys in the selected database',
    'O(1)', dbsize),
  def('touch', -2, 'readonly fast', 'keyspace', ALL, 'generic', '3.2.1',
    'Alters the last access time of a key(s). Returns the number of existing keys specified.',
    'O(N) where N is the number of keys that will be touched.', touch),
  def('copy', -3, 'write denyoom', 'keyspace', TWO, 'generic', '6.2.0', 'Copy a key',
    'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.', copy),
  def('move', 3, 'write fast', 'keyspace', ONE, 'generic', '1.0.0', 'Move a key to another database', 'O(1)', move),
  def('swapdb', 3, 'write fast', 'keyspace dangerous', undefined, 'server', '4.0.0', 'Swaps two Redis databases',
    'O(N) where N is the count of clients watching or blocking on keys from both databases.', swapdb),
  def('select', 2, 'loading stale fast', 'connection', undefined, 'connection', '1.0.0',
    'Change the selected database for the current connection', 'O(1)', select),
  def('flushdb', -1, 'write', 'keyspace dangerous', undefined, 'server', '1.0.0', 'Remove all keys from the current database',
    'O(N) where N is the number of keys in the selected database', flushdb),
  def('flushall', -1, 'write', 'keyspace dangerous', undefined, 'server', '1.0.0', 'Remove all keys from all databases',
    'O(N) where N is the total number of keys in all databases', flushall),
  {
    name: 'object', arity: -2, flags: '', group: 'generic', since: '2.2.3',
    summary: 'A container for object introspection commands', complexity: 'Depends on subcommand.',
    subcommands: [
      objectSub('encoding', '2.2.3', 'Inspect the internal encoding of a Redis object', objectEncoding),
      objectSub('freq', '4.0.0', 'Get the logarithmic access frequency counter of a Redis object', objectFreq),
      objectSub('idletime', '2.2.3', 'Get the time since a Redis object was last accessed', objectIdletime),
      objectSub('refcount', '2.2.3', 'Get the number of references to the value of the key', objectRefcount),
      {
        name: 'help', arity: 2, flags: 'loading stale', acl: 'keyspace', group: 'generic', since: '6.2.0',
        summary: 'Show helpful text about the different subcommands', complexity: 'O(1)', run: objectHelp,
      },
    ],
  },
];

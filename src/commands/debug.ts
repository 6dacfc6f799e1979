/**
 * DEBUG: the subset of Redis's debugging subcommands that tools and test suites use.
 * Gated by enable-debug-command exactly as Redis gates it.
 * Imports: commands, protocol/reply, util, keyspace (types).
 */
import { createHash } from 'node:crypto';
import type { CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { DoubleReply, ErrorReply, MapReply, OK, RawReply, SetReply, Status, type Reply, BoolReply, VerbatimReply } from '../protocol/reply.js';
import { parseInteger, parseDouble } from '../util/numbers.js';
import { typeOf } from '../keyspace/value.js';
import type { Database } from '../keyspace/database.js';

const NOT_ALLOWED = new ErrorReply(
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, ' +
  'otherwise you need to set this option in the configuration file, and then restart the server.');

const BIGNUM = '1234567999999999999999999999999999999';
/** DEBUG PROTOCOL attrib / push in RESP3: frames the reply model has no type for, sent as bytes. */
const ATTRIB_FRAME = Buffer.from('|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n$39\r\nSome real reply following the attribute\r\n', 'latin1');
const PUSH_FRAME = Buffer.from('>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n', 'latin1');

/** A loopback or unix-socket client (no peer address): `local` in enable-*-command / protected configs. */
export function isLocal(addr: string): boolean {
  return addr.startsWith('127.') || addr.startsWith('[::1]') || addr.startsWith('::1') || addr.startsWith('/') || addr.startsWith('?:');
}

/** Blocks the event loop like Redis's DEBUG SLEEP blocks its only thread. */
function sleepSync(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** withKey: DIGEST mixes the key name in; DIGEST-VALUE hashes only the value (so a COPY digests the same). */
function digestOf(db: Database, key: string, ctx: CommandContext, withKey: boolean): Buffer {
  const e = db.peek(key);
  const h = createHash('sha1');
  if (!e) return Buffer.alloc(20);
  if (withKey) h.update(key, 'latin1');
  h.update(typeOf(e.value));
  const ser = ctx.server.ports.serializer;
  if (typeof e.value === 'string') h.update(e.value, 'latin1');
  else if (ser !== undefined) h.update(ser.dump(e.value), 'latin1');
  else h.update(String(e.value.size));
  if (e.expireAt) h.update(String(e.expireAt));
  return h.digest();
}

function xorInto(acc: Buffer, d: Buffer): void {
  for (let i = 0; i < 20; i++) acc[i]! ^= d[i]!;
}

// DEBUG <subcommand> [args]
function debug(ctx: CommandContext, argv: string[]): Reply {
  const mode = ctx.server.config.str('enable-debug-command');
  if (mode === 'no' || (mode === 'local' && !isLocal(ctx.client.addr))) return NOT_ALLOWED;
  const sub = argv[1]!.toLowerCase();
  const n = argv.length;
  switch (sub) {
    case 'help':
      return ['DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', 'SLEEP <seconds>', 'SET-ACTIVE-EXPIRE <0|1>',
        'OBJECT <key>', 'LOG <message>', 'RELOAD [MERGE] [NOFLUSH] [NOSAVE]', 'LOADAOF', 'DIGEST', 'DIGEST-VALUE <key> [<key> ...]',
        'POPULATE <count> [<prefix>] [<size>]', 'PROTOCOL <type>', 'JMAP', 'CHANGE-REPL-ID', 'QUICKLIST-PACKED-THRESHOLD <size>',
        'SET-SKIP-CHECKSUM-VALIDATION <0|1>', 'PAUSE-CRON <0|1>', 'REPLYBUFFER PEAK-RESET-TIME <never||reset|time>', 'HELP'].map((l) => new Status(l));
    case 'sleep': {
      if (n !== 3) return E.wrongArity('debug');
      const s = parseDouble(argv[2]!);
      if (s === null) return E.NOT_FLOAT;
      sleepSync(Math.round(s * 1000));
      return OK;
    }
    case 'set-active-expire': {
      if (n !== 3) return E.wrongArity('debug');
      ctx.server.activeExpireEnabled = argv[2] !== '0';
      return OK;
    }
    case 'log':
      ctx.server.log('warning', `DEBUG LOG: ${argv.slice(2).join(' ')}`);
      return OK;
    case 'object': {
      if (n !== 3) return E.wrongArity('debug');
      const e = ctx.db.lookup(argv[2]!);
      if (!e) return E.NO_SUCH_KEY;
      const v = e.value;
      const enc = typeof v === 'string' ? stringEncoding(v) : v.encoding();
      const len = typeof v === 'string' ? v.length : v.size;
      return new Status(`Value at:0x0 refcount:1 encoding:${enc} serializedlength:${len} lru:0 lru_seconds_idle:${Math.floor((ctx.now - e.atime) / 1000)}`);
    }
    case 'jmap':
      return OK;
    case 'change-repl-id':
    case 'quicklist-packed-threshold':
    case 'set-skip-checksum-validation':
    case 'pause-cron':
    case 'replybuffer':
    case 'set-disable-deny-scripts':
    case 'config-rewrite-force-all':
    case 'dict-resizing':
      return OK;
    case 'reload': {
      const p = ctx.server.ports.persistence;
      if (!p) return new ErrorReply('ERR Error trying to load the RDB dump');
      let save = true;
      let merge = false;
      for (const a of argv.slice(2)) {
        const o = a.toLowerCase();
        if (o === 'nosave') save = false;
        else if (o === 'merge') merge = true;
        else if (o !== 'noflush') return new ErrorReply('ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.');
      }
      return p.debugReload({ save, merge });
    }
    case 'loadaof': {
      const p = ctx.server.ports.persistence as unknown as { debugLoadAof?: () => Reply } | undefined;
      return p?.debugLoadAof?.() ?? OK;
    }
    case 'digest': {
      const acc = Buffer.alloc(20);
      let any = false;
      for (const db of ctx.server.dbs) {
        for (const e of db.entries()) {
          any = true;
          xorInto(acc, digestOf(db, e.key, ctx, true));
        }
      }
      return new Status(any ? acc.toString('hex') : '0'.repeat(40));
    }
    case 'digest-value':
      return argv.slice(2).map((k) => new Status(digestOf(ctx.db, k, ctx, false).toString('hex')));
    case 'populate': {
      if (n < 3 || n > 5) return E.wrongArity('debug');
      const count = parseInteger(argv[2]!);
      if (count === null || count < 0) return new ErrorReply('ERR count is not an integer or out of range');
      const prefix = n >= 4 ? argv[3]! : 'key';
      const size = n === 5 ? parseInteger(argv[4]!) : null;
      if (n === 5 && (size === null || size < 0)) return new ErrorReply('ERR size is not an integer or out of range');
      for (let i = 0; i < count; i++) {
        const key = `${prefix}:${i}`;
        if (ctx.db.lookup(key)) continue;
        let val = `value:${i}`;
        if (size !== null) val = val.length >= size ? val.slice(0, size) : val + '\0'.repeat(size - val.length);
        ctx.db.set(key, val);
      }
      return OK;
    }
    case 'protocol': {
      if (n !== 3) return E.wrongArity('debug');
      const resp3 = ctx.client.resp === 3;
      switch (argv[2]!.toLowerCase()) {
        case 'string': return 'Hello World';
        case 'integer': return 12345;
        case 'double': return new DoubleReply(3.141);
        // RESP3 has a big number type; RESP2 sends the digits as a bulk string.
        case 'bignum': return resp3 ? new RawReply(Buffer.from(`(${BIGNUM}\r\n`, 'latin1')) : BIGNUM;
        case 'null': return null;
        case 'array': return [0, 1, 2];
        case 'set': return new SetReply([0, 1, 2]);
        case 'map': return new MapReply([0, new BoolReply(false), 1, new BoolReply(true), 2, new BoolReply(false)]);
        // An attribute is metadata before a reply, so RESP2 clients get only the reply.
        case 'attrib': return resp3 ? new RawReply(ATTRIB_FRAME) : 'Some real reply following the attribute';
        // A push frame is out of band, so a real reply follows it for clients that skip pushes.
        case 'push': return resp3 ? new RawReply(PUSH_FRAME) : new ErrorReply('ERR RESP2 is not supported by this command');
        case 'true': return new BoolReply(true);
        case 'false': return new BoolReply(false);
        case 'verbatim': return new VerbatimReply('This is a verbatim\nstring');
        default:
          return new ErrorReply('ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false');
      }
    }
    default:
      return new ErrorReply(`ERR unknown subcommand '${argv[1]}'. Try DEBUG HELP.`);
  }
}

/** OBJECT ENCODING for strings, decided from the value as Redis would. */
export function stringEncoding(v: string): string {
  if (v.length <= 20 && parseInteger(v) !== null) return 'int';
  return v.length <= 44 ? 'embstr' : 'raw';
}

export const debugCommand: CommandDef = {
  name: 'debug', arity: -2, flags: 'admin noscript loading stale', group: 'server', since: '1.0.0',
  summary: 'A container for debugging commands', run: debug,
};

/**
 * COMMAND and its subcommands (COUNT INFO DOCS GETKEYS GETKEYSANDFLAGS LIST), answered
 * from the one command table, so what clients learn (ioredis and redis-cli read it)
 * is what the gates enforce.
 * Imports: commands, protocol/reply, util.
 */
import type { CommandContext } from './context.js';
import { F, keyIndexes, type CommandDef, type CommandSpec } from './spec.js';
import { commandMeta, keyFlagNames, KF, type BeginSearch, type FindKeys, type KeySpec } from './key-specs.js';
import { ErrorReply, MapReply, SetReply, Status, type Reply } from '../protocol/reply.js';
import { globMatch } from '../util/glob.js';
import { parseInteger } from '../util/numbers.js';

function beginReply(b: BeginSearch): MapReply {
  if (b.type === 'index') return new MapReply(['type', 'index', 'spec', new MapReply(['index', b.index])]);
  if (b.type === 'keyword') return new MapReply(['type', 'keyword', 'spec', new MapReply(['keyword', b.keyword, 'startfrom', b.startfrom])]);
  return new MapReply(['type', 'unknown', 'spec', new MapReply([])]);
}

function findReply(f: FindKeys): MapReply {
  if (f.type === 'range') return new MapReply(['type', 'range', 'spec', new MapReply(['lastkey', f.lastkey, 'keystep', f.keystep, 'limit', f.limit])]);
  if (f.type === 'keynum') return new MapReply(['type', 'keynum', 'spec', new MapReply(['keynumidx', f.keynumidx, 'firstkey', f.firstkey, 'keystep', f.keystep])]);
  return new MapReply(['type', 'unknown', 'spec', new MapReply([])]);
}

function flagSet(flags: number): SetReply {
  return new SetReply(keyFlagNames(flags).map((f) => new Status(f)));
}

/** Redis's key specs when the command has them, else one spec built from the legacy range. */
function keySpecs(spec: CommandSpec): readonly KeySpec[] {
  const meta = commandMeta(spec.fullName);
  if (meta) return meta.keySpecs;
  const k = spec.keys;
  if (!k) return [];
  return [{
    notes: null,
    flags: spec.flags & F.write ? KF.RW | KF.update : KF.RO | KF.access,
    begin: { type: 'index', index: k.first },
    find: { type: 'range', lastkey: k.last < 0 ? k.last : k.last - k.first, keystep: k.step, limit: 0 },
  }];
}

function keySpecsReply(spec: CommandSpec): SetReply {
  return new SetReply(keySpecs(spec).map((ks) => {
    const flat: Reply[] = ks.notes === null ? [] : ['notes', ks.notes];
    flat.push('flags', flagSet(ks.flags), 'begin_search', beginReply(ks.begin), 'find_keys', findReply(ks.find));
    return new MapReply(flat);
  }));
}

function infoReply(spec: CommandSpec): Reply {
  const k = spec.keys;
  return [
    spec.fullName,
    spec.arity,
    // A non-sentinel server does not show the sentinel flags, as Redis 7.0 does.
    new SetReply(spec.flagNames.filter((f) => f !== 'sentinel' && f !== 'only_sentinel').map((f) => new Status(f))),
    k ? k.first : 0,
    k ? k.last : 0,
    k ? k.step : 0,
    new SetReply(spec.acl.map((c) => new Status(`@${c}`))),
    new SetReply([...(commandMeta(spec.fullName)?.tips ?? [])]),
    keySpecsReply(spec),
    spec.subcommands ? [...spec.subcommands.values()].map(infoReply) : new SetReply([]),
  ];
}

function docsReply(spec: CommandSpec): Reply {
  const flat: Reply[] = ['summary', spec.summary, 'since', spec.since, 'group', spec.group];
  if (spec.complexity) flat.push('complexity', spec.complexity);
  if (spec.subcommands) {
    const subs: Reply[] = [];
    for (const s of spec.subcommands.values()) subs.push(s.fullName, docsReply(s));
    flat.push('subcommands', new MapReply(subs));
  }
  return new MapReply(flat);
}

function lookup(ctx: CommandContext, name: string): CommandSpec | undefined {
  const lower = name.toLowerCase();
  const bar = lower.indexOf('|');
  if (bar < 0) return ctx.server.commandTable().get(lower);
  return ctx.server.commandTable().get(lower.slice(0, bar))?.subcommands?.get(lower.slice(bar + 1));
}

// COMMAND
function command(ctx: CommandContext, argv: string[]): Reply {
  if (argv.length > 1) return new ErrorReply(`ERR unknown subcommand '${argv[1]}'. Try COMMAND HELP.`);
  return [...ctx.server.commandTable().values()].map(infoReply);
}

// COMMAND INFO [command-name ...]
function commandInfo(ctx: CommandContext, argv: string[]): Reply {
  if (argv.length === 2) return [...ctx.server.commandTable().values()].map(infoReply);
  return argv.slice(2).map((n) => {
    const s = lookup(ctx, n);
    return s ? infoReply(s) : null;
  });
}

// COMMAND DOCS [command-name ...]
function commandDocs(ctx: CommandContext, argv: string[]): Reply {
  const specs = argv.length === 2 ? [...ctx.server.commandTable().values()] : argv.slice(2).map((n) => lookup(ctx, n)).filter((s): s is CommandSpec => !!s);
  const flat: Reply[] = [];
  for (const s of specs) flat.push(s.fullName, docsReply(s));
  return new MapReply(flat);
}

/** The command an argv names, as COMMAND GETKEYS looks it up: an unknown subcommand is no command. */
function lookupArgv(ctx: CommandContext, args: readonly string[]): CommandSpec | undefined {
  const base = ctx.server.commandTable().get(args[0]!.toLowerCase());
  if (base === undefined || args.length === 1 || base.subcommands === undefined) return base;
  return base.subcommands.get(args[1]!.toLowerCase());
}

interface KeyRef {
  pos: number;
  flags: number;
}

/**
 * Keys found by walking the key specs (Redis's getKeysUsingKeySpecs), or null when a spec
 * cannot be resolved for this argv (unknown or incomplete spec, bad numkeys, keys past
 * the end): the caller then falls back to the command's own key finder.
 */
function keysFromSpecs(specs: readonly KeySpec[], args: readonly string[], arity: number): KeyRef[] | null {
  const argc = args.length;
  const out: KeyRef[] = [];
  for (const ks of specs) {
    if (ks.flags & KF.not_key) continue;
    let first = 0;
    const b = ks.begin;
    if (b.type === 'index') {
      first = b.index;
    } else if (b.type === 'keyword') {
      const word = b.keyword.toLowerCase();
      const start = b.startfrom > 0 ? b.startfrom : argc + b.startfrom;
      const end = b.startfrom > 0 ? argc - 1 : 1;
      for (let i = start; i !== end; i = start <= end ? i + 1 : i - 1) {
        if (i >= argc || i < 1) break;
        if (args[i]!.toLowerCase() === word) {
          first = i + 1;
          break;
        }
      }
      if (first === 0) continue;
    } else {
      return null;
    }
    const f = ks.find;
    let last: number;
    let step: number;
    if (f.type === 'range') {
      step = f.keystep;
      if (f.lastkey >= 0) last = first + f.lastkey;
      else if (f.limit === 0) last = argc + f.lastkey;
      else last = first + (Math.trunc((argc - first) / f.limit) + f.lastkey);
    } else if (f.type === 'keynum') {
      step = f.keystep;
      if (f.keynumidx >= argc || first + f.keynumidx >= argc) return null;
      const n = parseInteger(args[first + f.keynumidx]!);
      if (n === null || n < 0) return null;
      first += f.firstkey;
      last = first + n - 1;
    } else {
      return null;
    }
    if (last >= argc || last < first || first >= argc) return null;
    for (let i = first; i <= last; i += step) {
      // Variadic commands have no dispatch-time check that the keys fit the arity.
      if (i >= argc) {
        if (arity < 0) continue;
        break;
      }
      out.push({ pos: i, flags: ks.flags });
    }
    if (ks.flags & KF.incomplete) return null;
  }
  return out;
}

/**
 * Redis's own key finders for the commands whose specs cannot say it all: SET and BITFIELD
 * (flags depend on GET / the subcommands) and SORT / SORT_RO (STORE can be anywhere).
 */
const KEY_PROCS: Readonly<Record<string, (args: readonly string[]) => KeyRef[]>> = {
  set(args) {
    for (let i = 3; i < args.length; i++) {
      if (args[i]!.toLowerCase() === 'get') return [{ pos: 1, flags: KF.RW | KF.access | KF.update }];
    }
    return [{ pos: 1, flags: KF.OW | KF.update }];
  },
  bitfield(args) {
    let readonly = true;
    for (let i = 2; i < args.length; i++) {
      const rem = args.length - i - 1;
      const a = args[i]!.toLowerCase();
      if (a === 'get' && rem >= 2) i += 2;
      else if ((a === 'set' || a === 'incrby') && rem >= 3) { readonly = false; break; }
      else if (a === 'overflow' && rem >= 1) i += 1;
      else { readonly = false; break; }
    }
    return [{ pos: 1, flags: readonly ? KF.RO | KF.access : KF.RW | KF.access | KF.update }];
  },
  sort_ro: () => [{ pos: 1, flags: KF.RO | KF.access }],
  sort(args) {
    const out: KeyRef[] = [{ pos: 1, flags: KF.RO | KF.access }];
    let store: KeyRef | null = null;
    for (let i = 2; i < args.length; i++) {
      const a = args[i]!.toLowerCase();
      if (a === 'limit') i += 2;
      else if (a === 'get' || a === 'by') i += 1;
      // The last STORE wins, as in SORT itself.
      else if (a === 'store' && i + 1 < args.length) store = { pos: i + 1, flags: KF.OW | KF.update };
    }
    if (store) out.push(store);
    return out;
  },
};

/** Key positions and access flags of a full command line (getKeysFromCommandWithSpecs). */
function commandKeys(spec: CommandSpec, args: readonly string[]): KeyRef[] {
  const meta = commandMeta(spec.fullName);
  if (meta === undefined) {
    const flags = spec.flags & F.write ? KF.RW | KF.update : KF.RO | KF.access;
    return keyIndexes(spec, args).map((pos) => ({ pos, flags }));
  }
  let real = false;
  let variable = false;
  for (const ks of meta.keySpecs) {
    if (!(ks.flags & KF.not_key)) real = true;
    if (ks.flags & KF.variable_flags) variable = true;
  }
  if (real && !variable) {
    const r = keysFromSpecs(meta.keySpecs, args, spec.arity);
    if (r !== null) return r;
  }
  const proc = KEY_PROCS[spec.fullName];
  if (proc !== undefined) return proc(args);
  // A command with its own key finder (MIGRATE): the flags of its first key spec.
  if (spec.getKeys !== undefined) {
    const flags = meta.keySpecs[0]?.flags ?? 0;
    return spec.getKeys(args).map((pos) => ({ pos, flags }));
  }
  return [];
}

function hasKeys(spec: CommandSpec): boolean {
  const meta = commandMeta(spec.fullName);
  if (meta === undefined) return spec.keys !== null || spec.getKeys !== undefined;
  return meta.keySpecs.some((ks) => !(ks.flags & KF.not_key)) || KEY_PROCS[spec.fullName] !== undefined;
}

// COMMAND GETKEYS command [arg ...]
// COMMAND GETKEYSANDFLAGS command [arg ...]
function getKeys(ctx: CommandContext, argv: string[], withFlags: boolean): Reply {
  const args = argv.slice(2);
  const spec = lookupArgv(ctx, args);
  if (!spec) return new ErrorReply('ERR Invalid command specified');
  if (!hasKeys(spec)) return new ErrorReply('ERR The command has no key arguments');
  if ((spec.arity > 0 && args.length !== spec.arity) || args.length < -spec.arity) {
    return new ErrorReply('ERR Invalid number of arguments specified for command');
  }
  const keys = commandKeys(spec, args);
  if (keys.length === 0) {
    return spec.flags & F.no_mandatory_keys ? [] : new ErrorReply('ERR Invalid arguments specified for command');
  }
  if (!withFlags) return keys.map((k) => args[k.pos]!);
  return keys.map((k) => [args[k.pos]!, flagSet(k.flags)]);
}

// COMMAND LIST [FILTERBY MODULE module-name | ACLCAT category | PATTERN pattern]
function commandList(ctx: CommandContext, argv: string[]): Reply {
  const all: CommandSpec[] = [];
  for (const s of ctx.server.commandTable().values()) {
    all.push(s);
    if (s.subcommands) all.push(...s.subcommands.values());
  }
  if (argv.length === 2) return all.map((s) => s.fullName);
  if (argv.length !== 5 || argv[2]!.toLowerCase() !== 'filterby') return new ErrorReply('ERR syntax error');
  const kind = argv[3]!.toLowerCase();
  const val = argv[4]!;
  if (kind === 'module') return [];
  if (kind === 'aclcat') return all.filter((s) => s.acl.includes(val.toLowerCase())).map((s) => s.fullName);
  if (kind === 'pattern') return all.filter((s) => globMatch(val, s.fullName, true)).map((s) => s.fullName);
  return new ErrorReply('ERR syntax error');
}

const HELP = [
  'COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  '(no subcommand)', '    Return details about all Redis commands.',
  'COUNT', '    Return the total number of commands in this Redis server.',
  'LIST', '    Return a list of all commands in this Redis server.',
  'INFO [<command-name> ...]', '    Return details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'DOCS [<command-name> ...]', '    Return documentation details about multiple Redis commands.',
  '    If no command names are given, documentation details for all',
  '    commands are returned.',
  'GETKEYS <full-command>', '    Return the keys from a full Redis command.',
  'GETKEYSANDFLAGS <full-command>', '    Return the keys and the access flags from a full Redis command.',
  'HELP', '    Print this help.',
];

const sub = (name: string, arity: number, summary: string, run: CommandDef['run']): CommandDef =>
  ({ name, arity, flags: 'loading stale', acl: 'connection', group: 'server', since: '2.8.13', summary, run });

export const introspectionCommands: CommandDef[] = [
  {
    name: 'command', arity: -1, flags: 'loading stale', acl: 'connection', group: 'server', since: '2.8.13',
    summary: 'Get array of Redis command details', run: command,
    subcommands: [
      sub('count', 2, 'Get total number of Redis commands', (ctx) => ctx.server.commandTable().size),
      sub('info', -2, 'Get array of specific Redis command details, or all when no argument is given.', commandInfo),
      sub('docs', -2, 'Get array of specific Redis command documentation', commandDocs),
      sub('getkeys', -4, 'Extract keys given a full Redis command', (ctx, argv) => getKeys(ctx, argv, false)),
      sub('getkeysandflags', -4, 'Extract keys and access flags given a full Redis command', (ctx, argv) => getKeys(ctx, argv, true)),
      sub('list', -2, 'Get an array of Redis command names', commandList),
      sub('help', 2, 'Show helpful text about the different subcommands', () => HELP.map((l) => new Status(l))),
    ],
  },
];

/**
 * COMMAND and its subcommands (COUNT INFO DOCS GETKEYS GETKEYSANDFLAGS LIST), answered
 * from the one command table, so what clients learn (ioredis and redis-cli read it)
 * is what the gates enforce.
 * Imports: commands, protocol/reply, util.
 */
import type { CommandContext } from './context.js';
import { keyIndexes, type CommandDef, type CommandSpec } from './spec.js';
import { ErrorReply, MapReply, SetReply, Status, type Reply } from '../protocol/reply.js';
import { globMatch } from '../util/glob.js';

function keySpecsReply(spec: CommandSpec): Reply[] {
  if (!spec.keys) return [];
  const k = spec.keys;
  const flags = spec.flags & 1 ? ['RW', 'UPDATE'] : ['RO', 'ACCESS'];
  return [new MapReply([
    'flags', new SetReply(flags.map((f) => new Status(f))),
    'begin_search', new MapReply(['type', 'index', 'spec', new MapReply(['index', k.first])]),
    'find_keys', new MapReply(['type', 'range', 'spec', new MapReply(['lastkey', k.last < 0 ? k.last : k.last - k.first, 'keystep', k.step, 'limit', 0])]),
  ])];
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
    [],
    keySpecsReply(spec),
    spec.subcommands ? [...spec.subcommands.values()].map(infoReply) : [],
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

// COMMAND GETKEYS command [arg ...]
function getKeys(ctx: CommandContext, argv: string[], withFlags: boolean): Reply {
  const args = argv.slice(2);
  const spec = ctx.server.lookupCommand(args);
  if (!spec) return new ErrorReply('ERR Invalid command specified');
  if ((spec.arity > 0 && args.length !== spec.arity) || args.length < -spec.arity) {
    return new ErrorReply('ERR Invalid number of arguments specified for command');
  }
  const idx = keyIndexes(spec, args);
  if (idx.length === 0) {
    return new ErrorReply(spec.keys || spec.getKeys ? 'ERR Invalid arguments specified for command' : 'ERR The command has no key arguments');
  }
  if (!withFlags) return idx.map((i) => args[i]!);
  const flags = spec.flags & 1 ? ['RW', 'UPDATE'] : ['RO', 'ACCESS'];
  return idx.map((i) => [args[i]!, new SetReply(flags.map((f) => new Status(f)))]);
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

/**
 * MEMORY USAGE / STATS / DOCTOR / MALLOC-STATS / PURGE / HELP. Sizes are estimates of
 * what the value costs in this process (V8 strings and objects), not Redis's jemalloc
 * figures; they grow with the value, which is what tools compare.
 * Imports: commands, protocol/reply, util, keyspace (types).
 */
import type { CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { MapReply, Status, VerbatimReply, type Reply } from '../protocol/reply.js';
import { parseInteger } from '../util/numbers.js';
import type { Value } from '../keyspace/value.js';

/** Rough bytes held by a value: payload plus per-element overhead. */
export function estimateSize(key: string, v: Value): number {
  const base = 56 + key.length;
  if (typeof v === 'string') return base + v.length;
  const iter = (v as unknown as { [Symbol.iterator]?: () => Iterator<unknown> })[Symbol.iterator];
  let bytes = 0;
  if (typeof iter === 'function') {
    for (const item of v as unknown as Iterable<unknown>) {
      if (typeof item === 'string') bytes += item.length + 16;
      else if (Array.isArray(item)) for (const x of item) bytes += typeof x === 'string' ? x.length + 16 : 8;
      else bytes += 16;
    }
  } else {
    bytes = v.size * 32;
  }
  return base + bytes;
}

// MEMORY USAGE key [SAMPLES count]
function usage(ctx: CommandContext, argv: string[]): Reply {
  if (argv.length !== 3 && argv.length !== 5) return E.SYNTAX;
  if (argv.length === 5) {
    if (argv[3]!.toLowerCase() !== 'samples') return E.SYNTAX;
    const n = parseInteger(argv[4]!);
    if (n === null || n < 0) return E.NOT_INTEGER;
  }
  const e = ctx.db.lookup(argv[2]!);
  return e ? estimateSize(e.key, e.value) : null;
}

function stats(ctx: CommandContext): Reply {
  const m = process.memoryUsage();
  let keys = 0;
  const flat: Reply[] = [
    'peak.allocated', m.heapTotal, 'total.allocated', m.heapUsed + m.external, 'startup.allocated', 0,
    'replication.backlog', 0, 'clients.slaves', 0, 'clients.normal', 0, 'cluster.links', 0, 'aof.buffer', 0,
    'lua.caches', 0, 'functions.caches', 0,
  ];
  for (const db of ctx.server.dbs) {
    if (db.size === 0) continue;
    keys += db.size;
    flat.push(`db.${db.id}`, new MapReply(['overhead.hashtable.main', db.size * 72, 'overhead.hashtable.expires', db.expiresCount * 32]));
  }
  flat.push('overhead.total', 0, 'keys.count', keys, 'keys.bytes-per-key', keys ? Math.round(m.heapUsed / keys) : 0,
    'dataset.bytes', m.heapUsed, 'dataset.percentage', new Status('100'), 'peak.percentage', new Status('100'),
    'allocator.allocated', m.heapUsed, 'allocator.active', m.heapTotal, 'allocator.resident', m.rss,
    'allocator-fragmentation.ratio', new Status('1'), 'allocator-fragmentation.bytes', 0,
    'allocator.rss-ratio', new Status('1'), 'allocator.rss-bytes', 0, 'rss-overhead.ratio', new Status('1'),
    'rss-overhead.bytes', 0, 'fragmentation', new Status('1'), 'fragmentation.bytes', 0);
  return new MapReply(flat);
}

const HELP = ['MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', 'DOCTOR', '    Return memory problems reports.',
  'MALLOC-STATS', '    Return internal statistics report from the memory allocator.', 'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.', 'STATS', '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]', '    Return memory in bytes used by <key> and its value. Nested values are', '    sampled up to <count> times (default: 5, 0 means sample all).',
  'HELP', '    Print this help.'];

const sub = (name: string, arity: number, flags: string, summary: string, run: CommandDef['run'], keys?: [number, number, number]): CommandDef =>
  ({ name, arity, flags, group: 'server', since: '4.0.0', summary, run, keys });

export const memoryCommand: CommandDef = {
  name: 'memory', arity: -2, flags: '', group: 'server', since: '4.0.0', summary: 'A container for memory diagnostics commands',
  subcommands: [
    sub('usage', -3, 'readonly', 'Estimate the memory usage of a key', usage, [2, 2, 1]),
    sub('stats', 2, '', 'Show memory usage details', stats),
    sub('doctor', 2, '', 'Outputs memory problems report', () => new VerbatimReply('Hi Sam, I can\'t find any memory issue in your instance. I can only account for what occurs on this base.\n')),
    sub('malloc-stats', 2, '', 'Show allocator internal stats', () => new VerbatimReply('Stats not supported for the current allocator\n')),
    sub('purge', 2, '', 'Ask the allocator to release memory', () => new Status('OK')),
    sub('help', 2, 'loading stale', 'Show helpful text about the different subcommands', () => HELP.map((l) => new Status(l))),
  ],
};

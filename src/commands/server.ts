/**
 * Server commands: INFO CONFIG TIME LASTSAVE SAVE BGSAVE BGREWRITEAOF SHUTDOWN MONITOR
 * SLOWLOG LATENCY MEMORY DEBUG. Persistence-backed ones go through the persistence
 * port, which answers with Redis's errors when it is absent.
 * Imports: commands, config (types), protocol/reply, util.
 */
import type { CommandContext, LatencyView } from './context.js';
import type { CommandDef, CommandSpec } from './spec.js';
import * as E from './errors.js';
import { ErrorReply, MapReply, NO_REPLY, OK, Status, VerbatimReply, type Reply } from '../protocol/reply.js';
import { parseInteger } from '../util/numbers.js';
import { debugCommand, isLocal } from './debug.js';
import { memoryCommand } from './memory.js';

// INFO [section [section ...]]
function info(ctx: CommandContext, argv: string[]): Reply {
  return new VerbatimReply(ctx.server.info(argv.slice(1)));
}

function configError(e: unknown): ErrorReply {
  return new ErrorReply((e as Error).message);
}

const CONFIG_HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>', '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>', '    Set the configuration <directive> to <value>.',
  'RESETSTAT', '    Reset statistics reported by the INFO command.',
  'REWRITE', '    Rewrite the configuration file.',
  'HELP', '    Print this help.',
];

const configCommand: CommandDef = {
  name: 'config', arity: -2, flags: '', group: 'server', since: '2.0.0', summary: 'A container for server configuration commands',
  subcommands: [
    {
      name: 'get', arity: -3, flags: 'admin noscript loading stale', group: 'server', since: '2.0.0', summary: 'Get the values of configuration parameters',
      run: (ctx, argv) => new MapReply(ctx.server.config.getMatching(argv.slice(2))),
    },
    {
      name: 'set', arity: -4, flags: 'admin noscript loading stale', group: 'server', since: '2.0.0', summary: 'Set configuration parameters to the given values',
      run: (ctx, argv) => {
        if ((argv.length - 2) % 2 !== 0) return new ErrorReply(`ERR wrong number of arguments for 'config|set' command`);
        const pairs: Array<[string, string]> = [];
        for (let i = 2; i < argv.length; i += 2) pairs.push([argv[i]!, argv[i + 1]!]);
        try {
          ctx.server.config.set(pairs, { localClient: isLocal(ctx.client.addr), loading: ctx.server.loading });
        } catch (e) {
          return configError(e);
        }
        return OK;
      },
    },
    {
      name: 'resetstat', arity: 2, flags: 'admin noscript loading stale', group: 'server', since: '2.0.0', summary: 'Reset the stats returned by INFO',
      run: (ctx) => {
        ctx.server.stats.reset();
        ctx.server.slowlog.reset();
        return OK;
      },
    },
    {
      name: 'rewrite', arity: 2, flags: 'admin noscript loading stale', group: 'server', since: '2.8.0', summary: 'Rewrite the configuration file with the in memory configuration',
      run: (ctx) => {
        try {
          ctx.server.config.rewrite();
        } catch (e) {
          return configError(e);
        }
        ctx.server.log('notice', 'CONFIG REWRITE executed with success.');
        return OK;
      },
    },
    { name: 'help', arity: 2, flags: 'loading stale', group: 'server', since: '5.0.0', summary: 'Show helpful text about the different subcommands', run: () => CONFIG_HELP.map((l) => new Status(l)) },
  ],
};

// TIME
function time(): Reply {
  const ns = process.hrtime.bigint();
  const now = Date.now();
  const usec = Number(ns / 1000n % 1000n);
  return [String(Math.floor(now / 1000)), String((now % 1000) * 1000 + usec)];
}

function persistence(ctx: CommandContext) {
  return ctx.server.ports.persistence;
}

// SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]
function shutdown(ctx: CommandContext, argv: string[]): Reply {
  const opts: { save?: boolean; nosave?: boolean; now?: boolean; force?: boolean } = {};
  for (const a of argv.slice(1)) {
    const o = a.toLowerCase();
    if (o === 'nosave') opts.nosave = true;
    else if (o === 'save') opts.save = true;
    else if (o === 'now') opts.now = true;
    else if (o === 'force') opts.force = true;
    else if (o === 'abort') return new ErrorReply('ERR No shutdown in progress.');
    else return E.SYNTAX;
  }
  if (opts.save && opts.nosave) return E.SYNTAX;
  const r = ctx.server.shutdown(opts);
  return r ?? NO_REPLY;
}

// SLOWLOG GET [count] | LEN | RESET | HELP
const slowlogCommand: CommandDef = {
  name: 'slowlog', arity: -2, flags: '', group: 'server', since: '2.2.12', summary: 'A container for slow log commands',
  subcommands: [
    {
      name: 'get', arity: -2, flags: 'admin loading stale', group: 'server', since: '2.2.12', summary: 'Get the slow log\'s entries',
      run: (ctx, argv) => {
        let count = 10;
        if (argv.length === 3) {
          const n = parseInteger(argv[2]!);
          if (n === null || n < -1) return new ErrorReply('ERR count should be greater than or equal to -1');
          count = n;
        } else if (argv.length > 3) return E.SYNTAX;
        return ctx.server.slowlog.get(count);
      },
    },
    { name: 'len', arity: 2, flags: 'admin loading stale', group: 'server', since: '2.2.12', summary: 'Get the slow log\'s length', run: (ctx) => ctx.server.slowlog.len() },
    { name: 'reset', arity: 2, flags: 'admin loading stale', group: 'server', since: '2.2.12', summary: 'Clear all entries from the slow log', run: (ctx) => { ctx.server.slowlog.reset(); return OK; } },
    {
      name: 'help', arity: 2, flags: 'loading stale', group: 'server', since: '6.2.0', summary: 'Show helpful text about the different subcommands',
      run: () => ['SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:', 'GET [<count>]',
        '    Return top <count> entries from the slowlog (default: 10, -1 mean all).', '    Entries are made of:',
        '    id, timestamp, time in microseconds, arguments array, client IP and port,', '    client name',
        'LEN', '    Return the length of the slowlog.', 'RESET', '    Reset the slowlog.', 'HELP', '    Print this help.'].map((l) => new Status(l)),
    },
  ],
};

/** One command's cumulative latency distribution: {calls, histogram_usec: {µs: count}}. */
function histogramReply(h: LatencyView): MapReply {
  const buckets: Reply[] = [];
  for (const [us, count] of h.cumulative()) buckets.push(us, count);
  return new MapReply(['calls', h.total, 'histogram_usec', new MapReply(buckets)]);
}

/** Adds spec (and, for a container, its subcommands) to a LATENCY HISTOGRAM reply. */
function addHistograms(ctx: CommandContext, spec: CommandSpec, flat: Reply[], subs: boolean): void {
  const h = ctx.server.stats.latencyHistogram(spec.id);
  if (h !== undefined) flat.push(spec.fullName, histogramReply(h));
  if (subs && spec.subcommands) for (const sub of spec.subcommands.values()) addHistograms(ctx, sub, flat, false);
}

// LATENCY HISTOGRAM [command ...]
function latencyHistogram(ctx: CommandContext, argv: string[]): Reply {
  const flat: Reply[] = [];
  const table = ctx.server.commandTable();
  if (argv.length === 2) {
    for (const spec of table.values()) addHistograms(ctx, spec, flat, true);
    return new MapReply(flat);
  }
  for (const name of argv.slice(2)) {
    // "parent|sub" names one subcommand; unknown names are skipped.
    const parts = name.toLowerCase().split('|');
    let spec = parts.length <= 2 ? table.get(parts[0]!) : undefined;
    if (spec !== undefined && parts.length === 2) spec = spec.subcommands?.get(parts[1]!);
    if (spec !== undefined) addHistograms(ctx, spec, flat, true);
  }
  return new MapReply(flat);
}

const LATENCY_HELP = [
  'LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DOCTOR', '    Return a human readable latency analysis report.',
  'GRAPH <event>', '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>', '    Return time-latency samples for the <event> class.',
  'LATEST', '    Return the latest latency samples for all events.',
  'RESET [<event> ...]', '    Reset latency data of one or more <event> classes.', '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]', '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
  'HELP', '    Prints this help.',
];

// LATENCY LATEST | HISTORY event | RESET [event ...] | DOCTOR | GRAPH event | HISTOGRAM [command ...] | HELP
const latencyCommand: CommandDef = {
  name: 'latency', arity: -2, flags: '', group: 'server', since: '2.8.13', summary: 'A container for latency diagnostics commands',
  subcommands: [
    { name: 'latest', arity: 2, flags: 'admin noscript loading stale', group: 'server', since: '2.8.13', summary: 'Return the latest latency samples for all events.', run: (ctx) => ctx.server.latency.latest() },
    { name: 'history', arity: 3, flags: 'admin noscript loading stale', group: 'server', since: '2.8.13', summary: 'Return timestamp-latency samples for the event.', run: (ctx, argv) => ctx.server.latency.history(argv[2]!) },
    { name: 'reset', arity: -2, flags: 'admin noscript loading stale', group: 'server', since: '2.8.13', summary: 'Reset latency data for one or more events.', run: (ctx, argv) => ctx.server.latency.reset(argv.slice(2)) },
    { name: 'doctor', arity: 2, flags: 'admin noscript loading stale', group: 'server', since: '2.8.13', summary: 'Return a human readable latency analysis report.', run: (ctx) => new VerbatimReply(ctx.server.latency.doctor()) },
    { name: 'graph', arity: 3, flags: 'admin noscript loading stale', group: 'server', since: '2.8.13', summary: 'Return a latency graph for the event.', run: (ctx, argv) => ctx.server.latency.graph(argv[2]!) },
    {
      name: 'histogram', arity: -2, flags: 'admin noscript loading stale', group: 'server', since: '7.0.0', summary: 'Return the cumulative distribution of latencies of a subset of commands or all.',
      complexity: 'O(N) where N is the number of commands with latency information being retrieved.', run: latencyHistogram,
    },
    { name: 'help', arity: 2, flags: 'loading stale', group: 'server', since: '2.8.13', summary: 'Show helpful text about the different subcommands', run: () => LATENCY_HELP.map((l) => new Status(l)) },
  ],
};

function noPersistence(): ErrorReply {
  return new ErrorReply('ERR persistence is not available on this server');
}

export const serverCommands: CommandDef[] = [
  { name: 'info', arity: -1, flags: 'loading stale', acl: 'dangerous', group: 'server', since: '1.0.0', summary: 'Get information and statistics about the server', run: info },
  configCommand,
  { name: 'time', arity: 1, flags: 'loading stale fast', group: 'server', since: '2.6.0', summary: 'Return the current server time', run: time },
  { name: 'lastsave', arity: 1, flags: 'loading stale fast', acl: 'admin dangerous', group: 'server', since: '1.0.0', summary: 'Get the UNIX time stamp of the last successful save to disk', run: (ctx) => persistence(ctx)?.lastSave() ?? Math.floor(ctx.server.startTime / 1000) },
  { name: 'save', arity: 1, flags: 'admin noscript no_async_loading no_multi', group: 'server', since: '1.0.0', summary: 'Synchronously save the dataset to disk', run: (ctx) => persistence(ctx)?.save() ?? noPersistence() },
  {
    name: 'bgsave', arity: -1, flags: 'admin noscript no_async_loading', group: 'server', since: '1.0.0', summary: 'Asynchronously save the dataset to disk',
    run: (ctx, argv) => {
      if (argv.length > 2 || (argv.length === 2 && argv[1]!.toLowerCase() !== 'schedule')) return E.SYNTAX;
      return persistence(ctx)?.bgsave(argv.length === 2) ?? noPersistence();
    },
  },
  { name: 'bgrewriteaof', arity: 1, flags: 'admin noscript no_async_loading', group: 'server', since: '1.0.0', summary: 'Asynchronously rewrite the append-only file', run: (ctx) => persistence(ctx)?.bgrewriteaof() ?? noPersistence() },
  { name: 'shutdown', arity: -1, flags: 'admin noscript loading stale no_multi sentinel allow_busy', group: 'server', since: '1.0.0', summary: 'Synchronously save the dataset to disk and then shut down the server', run: shutdown },
  {
    name: 'monitor', arity: 1, flags: 'admin noscript loading stale', group: 'server', since: '1.0.0', summary: 'Listen for all requests received by the server in real time',
    run: (ctx) => {
      if (ctx.client.isMonitor) return OK;
      ctx.server.addMonitor(ctx.client);
      return OK;
    },
  },
  slowlogCommand,
  latencyCommand,
  memoryCommand,
  debugCommand,
];

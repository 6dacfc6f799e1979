/**
 * Pub/sub commands: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH SSUBSCRIBE
 * SUNSUBSCRIBE SPUBLISH and the PUBSUB introspection family.
 *
 * The registry itself lives in the engine (engine/pubsub.ts) and is reached through
 * `ctx.server.ports.pubsub`, typed here as PubSubApi so this layer never imports engine.
 *
 * Replies: each (un)subscription is confirmed by its own frame ([kind, name, count]),
 * a push frame in RESP3 and a plain array in RESP2, sent even under CLIENT REPLY OFF
 * (Redis 7.0 marks these writes as pushes). The handler itself returns NO_REPLY. Inside
 * EXEC the frames are returned as one pre-encoded blob instead, which reproduces Redis's
 * byte stream there: the frames are inlined in EXEC's array, whose length counts the
 * command once however many frames it produced.
 * Counts: SUBSCRIBE/PSUBSCRIBE frames carry channels + patterns; the shard commands carry
 * shard channels only.
 * Imports: commands, protocol.
 */
import type { ClientState, CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import { encodeReply } from '../protocol/encoder.js';
import { ErrorReply, NO_REPLY, PushReply, RawReply, Status, type Reply } from '../protocol/reply.js';

/** Which registry a name lives in. */
export const SUB_CHANNEL = 0;
export const SUB_PATTERN = 1;
export const SUB_SHARD = 2;
export type SubKind = typeof SUB_CHANNEL | typeof SUB_PATTERN | typeof SUB_SHARD;

/** What the engine's pub/sub registry offers to commands. */
export interface PubSubApi {
  /** Adds a subscription; false when the client already had it. */
  subscribe(c: ClientState, kind: SubKind, name: string): boolean;
  /** Removes a subscription; false when the client did not have it. */
  unsubscribe(c: ClientState, kind: SubKind, name: string): boolean;
  /** The client's subscriptions of one kind, oldest first (a copy). */
  subscriptionsOf(c: ClientState, kind: SubKind): string[];
  /** Channels + patterns (shard = false) or shard channels (shard = true) of a client. */
  countOf(c: ClientState, shard: boolean): number;
  /** Delivers to channel (and pattern) subscribers; returns the number of receivers. */
  publish(channel: string, message: string): number;
  /** Delivers to shard channel subscribers only. */
  spublish(channel: string, message: string): number;
  /** Active channel names (SUB_CHANNEL or SUB_SHARD) matching pattern, all when null. */
  activeChannels(kind: SubKind, pattern: string | null): string[];
  /** Number of clients subscribed to a channel / shard channel. */
  subscriberCount(kind: SubKind, name: string): number;
  /** Number of distinct patterns with at least one subscriber. */
  patternCount(): number;
  /** Sends an out-of-band frame to a client. */
  push(c: ClientState, r: Reply): void;
}

const KIND_WORDS = [
  ['subscribe', 'unsubscribe'],
  ['psubscribe', 'punsubscribe'],
  ['ssubscribe', 'sunsubscribe'],
] as const;

function api(ctx: CommandContext): PubSubApi {
  const p = ctx.server.ports.pubsub as PubSubApi | undefined;
  if (p === undefined) throw new ErrorReply('ERR pub/sub is not available');
  return p;
}

/**
 * Collects confirmation frames: pushed one by one normally, gathered into one raw blob
 * inside EXEC (see the header).
 */
class Confirmations {
  private readonly inExec: boolean;
  private readonly parts: Buffer[] = [];
  constructor(private readonly ctx: CommandContext, private readonly ps: PubSubApi) {
    this.inExec = ctx.inExec;
  }

  add(word: string, name: string | null, count: number): void {
    const frame = new PushReply([word, name, count]);
    if (this.inExec) this.parts.push(encodeReply(frame, this.ctx.client.resp));
    else this.ps.push(this.ctx.client, frame);
  }

  done(): Reply {
    return this.inExec ? new RawReply(Buffer.concat(this.parts)) : NO_REPLY;
  }
}

function subscribeGeneric(ctx: CommandContext, argv: string[], kind: SubKind): Reply {
  const ps = api(ctx);
  const c = ctx.client;
  const shard = kind === SUB_SHARD;
  const out = new Confirmations(ctx, ps);
  const word = KIND_WORDS[kind][0];
  for (let j = 1; j < argv.length; j++) {
    ps.subscribe(c, kind, argv[j]!);
    out.add(word, argv[j]!, ps.countOf(c, shard));
  }
  return out.done();
}

function unsubscribeGeneric(ctx: CommandContext, argv: string[], kind: SubKind): Reply {
  const ps = api(ctx);
  const c = ctx.client;
  const shard = kind === SUB_SHARD;
  const out = new Confirmations(ctx, ps);
  const word = KIND_WORDS[kind][1];
  if (argv.length === 1) {
    const names = ps.subscriptionsOf(c, kind);
    for (const name of names) {
      ps.unsubscribe(c, kind, name);
      out.add(word, name, ps.countOf(c, shard));
    }
    // Nothing to leave: Redis still answers, with a null name.
    if (names.length === 0) out.add(word, null, ps.countOf(c, shard));
  } else {
    for (let j = 1; j < argv.length; j++) {
      ps.unsubscribe(c, kind, argv[j]!);
      out.add(word, argv[j]!, ps.countOf(c, shard));
    }
  }
  return out.done();
}

// SUBSCRIBE channel [channel ...]
function subscribe(ctx: CommandContext, argv: string[]): Reply {
  return subscribeGeneric(ctx, argv, SUB_CHANNEL);
}

// UNSUBSCRIBE [channel [channel ...]]
function unsubscribe(ctx: CommandContext, argv: string[]): Reply {
  return unsubscribeGeneric(ctx, argv, SUB_CHANNEL);
}

// PSUBSCRIBE pattern [pattern ...]
function psubscribe(ctx: CommandContext, argv: string[]): Reply {
  return subscribeGeneric(ctx, argv, SUB_PATTERN);
}

// PUNSUBSCRIBE [pattern [pattern ...]]
function punsubscribe(ctx: CommandContext, argv: string[]): Reply {
  return unsubscribeGeneric(ctx, argv, SUB_PATTERN);
}

const SSUBSCRIBE_DENIED = new ErrorReply("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");

// SSUBSCRIBE shardchannel [shardchannel ...]
function ssubscribe(ctx: CommandContext, argv: string[]): Reply {
  // Unlike SUBSCRIBE, Redis grants no MULTI exception here: EXEC denies blocking.
  if (ctx.inExec) return SSUBSCRIBE_DENIED;
  return subscribeGeneric(ctx, argv, SUB_SHARD);
}

// SUNSUBSCRIBE [shardchannel [shardchannel ...]]
function sunsubscribe(ctx: CommandContext, argv: string[]): Reply {
  return unsubscribeGeneric(ctx, argv, SUB_SHARD);
}

// PUBLISH channel message
function publish(ctx: CommandContext, argv: string[]): Reply {
  // Redis forwards PUBLISH to replicas only (not the AOF); the write log has no
  // replica-only channel yet, so nothing is propagated here.
  return api(ctx).publish(argv[1]!, argv[2]!);
}

// SPUBLISH shardchannel message
function spublish(ctx: CommandContext, argv: string[]): Reply {
  return api(ctx).spublish(argv[1]!, argv[2]!);
}

// PUBSUB CHANNELS [pattern]
function pubsubChannels(ctx: CommandContext, argv: string[]): Reply {
  if (argv.length > 3) return subcommandSyntax(argv);
  return api(ctx).activeChannels(SUB_CHANNEL, argv.length === 3 ? argv[2]! : null);
}

// PUBSUB SHARDCHANNELS [pattern]
function pubsubShardChannels(ctx: CommandContext, argv: string[]): Reply {
  if (argv.length > 3) return subcommandSyntax(argv);
  return api(ctx).activeChannels(SUB_SHARD, argv.length === 3 ? argv[2]! : null);
}

function numsubGeneric(ctx: CommandContext, argv: string[], kind: SubKind): Reply {
  const ps = api(ctx);
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) out.push(argv[j]!, ps.subscriberCount(kind, argv[j]!));
  return out;
}

// PUBSUB NUMSUB [channel [channel ...]]
function pubsubNumsub(ctx: CommandContext, argv: string[]): Reply {
  return numsubGeneric(ctx, argv, SUB_CHANNEL);
}

// PUBSUB SHARDNUMSUB [shardchannel [shardchannel ...]]
function pubsubShardNumsub(ctx: CommandContext, argv: string[]): Reply {
  return numsubGeneric(ctx, argv, SUB_SHARD);
}

// PUBSUB NUMPAT
function pubsubNumpat(ctx: CommandContext): Reply {
  return api(ctx).patternCount();
}

/** addReplySubcommandSyntaxError's text. */
function subcommandSyntax(argv: string[]): ErrorReply {
  return new ErrorReply(`ERR unknown subcommand or wrong number of arguments for '${argv[1]!.slice(0, 128)}'. Try ${argv[0]!.toUpperCase()} HELP.`);
}

const PUBSUB_HELP = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

// PUBSUB HELP
function pubsubHelp(): Reply {
  return PUBSUB_HELP.map((l) => new Status(l));
}

const G = { group: 'pubsub' } as const;

function sub(name: string, arity: number, flags: string, since: string, summary: string, complexity: string, run: CommandDef['run']): CommandDef {
  return { name, arity, flags, ...G, since, summary, complexity, run };
}

export const pubsubCommands: CommandDef[] = [
  { name: 'subscribe', arity: -2, flags: 'pubsub noscript loading stale sentinel', ...G, since: '2.0.0', summary: 'Listen for messages published to the given channels', complexity: 'O(N) where N is the number of channels to subscribe to.', run: subscribe },
  { name: 'unsubscribe', arity: -1, flags: 'pubsub noscript loading stale sentinel', ...G, since: '2.0.0', summary: 'Stop listening for messages posted to the given channels', complexity: 'O(N) where N is the number of clients already subscribed to a channel.', run: unsubscribe },
  { name: 'psubscribe', arity: -2, flags: 'pubsub noscript loading stale sentinel', ...G, since: '2.0.0', summary: 'Listen for messages published to channels matching the given patterns', complexity: 'O(N) where N is the number of patterns the client is already subscribed to.', run: psubscribe },
  { name: 'punsubscribe', arity: -1, flags: 'pubsub noscript loading stale sentinel', ...G, since: '2.0.0', summary: 'Stop listening for messages posted to channels matching the given patterns', complexity: 'O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).', run: punsubscribe },
  { name: 'publish', arity: 3, flags: 'pubsub loading stale fast sentinel', ...G, since: '2.0.0', summary: 'Post a message to a channel', complexity: 'O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).', run: publish },
  { name: 'ssubscribe', arity: -2, flags: 'pubsub noscript loading stale', ...G, keys: [1, -1, 1], since: '7.0.0', summary: 'Listen for messages published to the given shard channels', complexity: 'O(N) where N is the number of shard channels to subscribe to.', run: ssubscribe },
  { name: 'sunsubscribe', arity: -1, flags: 'pubsub noscript loading stale', ...G, keys: [1, -1, 1], since: '7.0.0', summary: 'Stop listening for messages posted to the given shard channels', complexity: 'O(N) where N is the number of clients already subscribed to a shard channel.', run: sunsubscribe },
  { name: 'spublish', arity: 3, flags: 'pubsub loading stale fast', ...G, keys: [1, 1, 1], since: '7.0.0', summary: 'Post a message to a shard channel', complexity: 'O(N) where N is the number of clients subscribed to the receiving shard channel.', run: spublish },
  {
    // Subcommands in the order Redis 7.0.15's COMMAND lists them.
    name: 'pubsub', arity: -2, flags: '', ...G, since: '2.8.0', summary: 'A container for Pub/Sub commands', complexity: 'Depends on subcommand.',
    subcommands: [
      sub('help', 2, 'loading stale', '6.2.0', 'Show helpful text about the different subcommands', 'O(1)', pubsubHelp),
      sub('numsub', -2, 'pubsub loading stale', '2.8.0', 'Get the count of subscribers for channels', 'O(N) for the NUMSUB subcommand, where N is the number of requested channels', pubsubNumsub),
      sub('numpat', 2, 'pubsub loading stale', '2.8.0', 'Get the count of unique patterns pattern subscriptions', 'O(1)', pubsubNumpat),
      sub('shardchannels', -2, 'pubsub loading stale', '7.0.0', 'List active shard channels', 'O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).', pubsubShardChannels),
      sub('channels', -2, 'pubsub loading stale', '2.8.0', 'List active channels', 'O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)', pubsubChannels),
      sub('shardnumsub', -2, 'pubsub loading stale', '7.0.0', 'Get the count of subscribers for shard channels', 'O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels', pubsubShardNumsub),
    ],
  },
];

/**
 * The pub/sub registry: channel, pattern and shard-channel subscriptions, and message
 * delivery. It is the node's PubSubPort (keyspace notifications publish through it) and
 * the PubSubApi the pub/sub commands use.
 *
 * Invariants: a session is in `channels.get(x)` exactly when x is in its own
 * `session.channels` (same for patterns and shard channels), and a map entry is removed
 * as soon as its last subscriber leaves, so PUBSUB CHANNELS / NUMPAT never report empty
 * names. Delivery order per channel is subscription order (Redis appends subscribers to
 * a list); patterns are tried in the order they first got a subscriber.
 *
 * A message is encoded once per protocol version and the same bytes are queued for every
 * receiver, so a publish to N subscribers costs N buffer copies, not N encodings.
 * Output limits (client-output-buffer-limit pubsub) are enforced by the network layer.
 * Imports: commands (types), protocol, util, engine.
 */
import type { ClientState } from '../commands/context.js';
import { SUB_CHANNEL, SUB_PATTERN, SUB_SHARD, type PubSubApi, type SubKind } from '../commands/pubsub.js';
import { encodeReply } from '../protocol/encoder.js';
import { PushReply, RawReply, type Reply } from '../protocol/reply.js';
import { globMatch } from '../util/glob.js';
import type { PubSubPort } from './notify.js';
import type { Session } from './session.js';

/** One message's frame, encoded lazily for each protocol version in use. */
class Frame {
  private r2: RawReply | null = null;
  private r3: RawReply | null = null;
  constructor(private readonly items: Reply[]) {}

  for(resp: 2 | 3): RawReply {
    if (resp === 2) return (this.r2 ??= new RawReply(encodeReply(new PushReply(this.items), 2)));
    return (this.r3 ??= new RawReply(encodeReply(new PushReply(this.items), 3)));
  }
}

export class PubSub implements PubSubPort, PubSubApi {
  private readonly channels = new Map<string, Set<Session>>();
  private readonly patterns = new Map<string, Set<Session>>();
  private readonly shards = new Map<string, Set<Session>>();

  private registry(kind: SubKind): Map<string, Set<Session>> {
    return kind === SUB_CHANNEL ? this.channels : kind === SUB_PATTERN ? this.patterns : this.shards;
  }

  private own(s: Session, kind: SubKind): Set<string> {
    return kind === SUB_CHANNEL ? s.channels : kind === SUB_PATTERN ? s.patterns : s.shardChannels;
  }

  // ---- counts for INFO -------------------------------------------------------

  get channelCount(): number {
    return this.channels.size;
  }

  get shardChannelCount(): number {
    return this.shards.size;
  }

  patternCount(): number {
    return this.patterns.size;
  }

  // ---- subscriptions ---------------------------------------------------------

  subscribe(c: ClientState, kind: SubKind, name: string): boolean {
    const s = c as Session;
    const mine = this.own(s, kind);
    if (mine.has(name)) return false;
    mine.add(name);
    const reg = this.registry(kind);
    let subs = reg.get(name);
    if (subs === undefined) reg.set(name, (subs = new Set()));
    subs.add(s);
    return true;
  }

  unsubscribe(c: ClientState, kind: SubKind, name: string): boolean {
    const s = c as Session;
    if (!this.own(s, kind).delete(name)) return false;
    const reg = this.registry(kind);
    const subs = reg.get(name);
    if (subs !== undefined) {
      subs.delete(s);
      if (subs.size === 0) reg.delete(name);
    }
    return true;
  }

  subscriptionsOf(c: ClientState, kind: SubKind): string[] {
    return [...this.own(c as Session, kind)];
  }

  countOf(c: ClientState, shard: boolean): number {
    const s = c as Session;
    return shard ? s.shardChannels.size : s.channels.size + s.patterns.size;
  }

  /** Drops every subscription without telling the client (disconnect, RESET). */
  removeClient(s: Session): void {
    if (s.subscriptionCount() === 0) return;
    for (const kind of [SUB_CHANNEL, SUB_PATTERN, SUB_SHARD] as const) {
      const reg = this.registry(kind);
      const mine = this.own(s, kind);
      for (const name of mine) {
        const subs = reg.get(name);
        if (subs === undefined) continue;
        subs.delete(s);
        if (subs.size === 0) reg.delete(name);
      }
      mine.clear();
    }
  }

  // ---- delivery --------------------------------------------------------------

  publish(channel: string, message: string): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs !== undefined) {
      const f = new Frame(['message', channel, message]);
      for (const s of subs) {
        s.push(f.for(s.resp));
        n++;
      }
    }
    if (this.patterns.size > 0) {
      for (const [pat, psubs] of this.patterns) {
        if (!globMatch(pat, channel)) continue;
        const f = new Frame(['pmessage', pat, channel, message]);
        for (const s of psubs) {
          s.push(f.for(s.resp));
          n++;
        }
      }
    }
    return n;
  }

  spublish(channel: string, message: string): number {
    const subs = this.shards.get(channel);
    if (subs === undefined) return 0;
    const f = new Frame(['smessage', channel, message]);
    for (const s of subs) s.push(f.for(s.resp));
    return subs.size;
  }

  push(c: ClientState, r: Reply): void {
    (c as Session).push(r);
  }

  // ---- introspection ---------------------------------------------------------

  activeChannels(kind: SubKind, pattern: string | null): string[] {
    const out: string[] = [];
    for (const name of this.registry(kind).keys()) {
      if (pattern === null || globMatch(pattern, name)) out.push(name);
    }
    return out;
  }

  subscriberCount(kind: SubKind, name: string): number {
    return this.registry(kind).get(name)?.size ?? 0;
  }
}

/**
 * Reply values: what a command handler returns, before it is encoded for a
 * particular protocol version.
 *
 * Plain JS values carry the common shapes so the hot path allocates nothing extra:
 *   string  -> bulk string (bytes are the string's latin1 code units)
 *   number  -> integer (always an integer)
 *   bigint  -> integer beyond 2^53
 *   null    -> null bulk ($-1 in RESP2, _ in RESP3)
 *   Reply[] -> array
 * Everything else is a small class whose RESP2 fallback is defined by the encoder.
 * Imports nothing from src except util.
 */

export type Reply = string | number | bigint | null | Reply[] | ReplyObject;

export abstract class ReplyObject {
  abstract readonly kind: string;
}

/** +OK style simple string. */
export class Status extends ReplyObject {
  readonly kind = 'status';
  constructor(readonly text: string) { super(); }
}

/**
 * An error reply. `text` is the whole line without the leading '-', for example
 * "WRONGTYPE Operation against a key holding the wrong kind of value". Handlers throw
 * it (or return it); the dispatcher turns it into a reply and counts it in errorstats.
 */
export class ErrorReply extends ReplyObject {
  readonly kind = 'error';
  constructor(readonly text: string) { super(); }
  /** The first word, as INFO errorstats names it. */
  get code(): string {
    const sp = this.text.indexOf(' ');
    return sp < 0 ? this.text : this.text.slice(0, sp);
  }
}

/** RESP3 double; RESP2 sends it as a bulk string formatted with %.17g. */
export class DoubleReply extends ReplyObject {
  readonly kind = 'double';
  constructor(readonly value: number) { super(); }
}

/** RESP3 map from a flat [k, v, k, v, ...] list; RESP2 sends the flat array. */
export class MapReply extends ReplyObject {
  readonly kind = 'map';
  constructor(readonly flat: Reply[]) { super(); }
}

/** RESP3 set; RESP2 sends an array. */
export class SetReply extends ReplyObject {
  readonly kind = 'set';
  constructor(readonly items: Reply[]) { super(); }
}

/** RESP3 push frame; RESP2 sends an array (pub/sub messages). */
export class PushReply extends ReplyObject {
  readonly kind = 'push';
  constructor(readonly items: Reply[]) { super(); }
}

/** RESP3 boolean; RESP2 sends integer 1 or 0. */
export class BoolReply extends ReplyObject {
  readonly kind = 'bool';
  constructor(readonly value: boolean) { super(); }
}

/** RESP3 verbatim string (INFO, CLIENT INFO, LATENCY DOCTOR); RESP2 sends a bulk string. */
export class VerbatimReply extends ReplyObject {
  readonly kind = 'verbatim';
  constructor(readonly text: string, readonly format = 'txt') { super(); }
}

/** Null array: *-1 in RESP2, _ in RESP3 (BLPOP timeout, EXEC aborted by WATCH). */
export class NullArrayReply extends ReplyObject {
  readonly kind = 'nullarray';
}

/** Bytes already encoded; identical for both protocols. Used for MONITOR lines and raw relays. */
export class RawReply extends ReplyObject {
  readonly kind = 'raw';
  constructor(readonly bytes: Buffer) { super(); }
}

/** No reply at all (CLIENT REPLY OFF/SKIP, the subscribe commands that reply via push frames). */
export class NoReply extends ReplyObject {
  readonly kind = 'none';
}

export const OK = new Status('OK');
export const PONG = new Status('PONG');
export const QUEUED = new Status('QUEUED');
export const NULL_ARRAY = new NullArrayReply();
export const NO_REPLY = new NoReply();
export const TRUE = new BoolReply(true);
export const FALSE = new BoolReply(false);

export function isError(r: Reply): r is ErrorReply {
  return r instanceof ErrorReply;
}

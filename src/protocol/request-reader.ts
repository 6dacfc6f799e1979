/**
 * The request reader: turns the bytes a client sends into argv arrays.
 *
 * It accepts RESP multibulk requests and inline commands, enforces proto-max-bulk-len
 * and client-query-buffer-limit, and reports malformed input with Redis's exact
 * "Protocol error: ..." reasons. Arguments come out as latin1 strings: one JS char per
 * byte, so values stay binary-safe and can be used directly as Map keys.
 *
 * Invariants:
 * - Never copies the pending bytes more than once per chunk, except when completing a
 *   large bulk argument, whose chunks are collected and joined once (no quadratic copying
 *   for deep pipelines or 512 MB arguments).
 * - A partially parsed multibulk keeps its parsed arguments across chunks.
 *
 * This is the one module that knows the request wire format; the rest of the server sees
 * only argv arrays, so it can be replaced without touching anything else.
 * Imports: protocol/errors, protocol/split-args only.
 */
import { constants as bufferConstants } from 'node:buffer';
import { ProtocolError, QueryBufferLimitError } from './errors.js';
import { splitArgs } from './split-args.js';

/** Redis's PROTO_INLINE_MAX_SIZE. */
export const INLINE_MAX_SIZE = 64 * 1024;
const BIG_ARG = 32 * 1024;
const EMPTY = Buffer.alloc(0);

export interface ReaderLimits {
  protoMaxBulkLen: number;
  queryBufferLimit: number;
}

export class RequestReader {
  /** Set by the connection: when true the unauthenticated limits apply. */
  authRequired = false;

  private buf: Buffer = EMPTY;
  private pos = 0;
  /** Chunks collected while waiting for a large bulk argument. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private need = 0;

  private multibulkLen = 0;
  private bulkLen = -1;
  private args: string[] = [];
  private argsBytes = 0;

  constructor(private readonly limits: ReaderLimits) {}

  /**
   * The query buffer's size as CLIENT LIST qbuf shows it: like Redis, the bytes of the
   * read being processed still count (the command running included) until the whole
   * read is consumed. At feed time, when the limit is checked, nothing is consumed yet.
   */
  get buffered(): number {
    return this.buf.length + this.pendingBytes;
  }

  /** Drops the consumed part of the buffer (no copy): the end of a processing round. */
  release(): void {
    if (this.pos > 0) {
      this.buf = this.pos >= this.buf.length ? EMPTY : this.buf.subarray(this.pos);
      this.pos = 0;
    }
  }

  feed(chunk: Buffer): void {
    if (this.pendingBytes > 0 || (this.need > BIG_ARG && this.buf.length - this.pos + chunk.length < this.need)) {
      if (this.pendingBytes === 0) {
        this.pending.push(this.buf.subarray(this.pos));
        this.pendingBytes = this.buf.length - this.pos;
        this.buf = EMPTY;
        this.pos = 0;
      }
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < this.need) {
        this.checkLimit();
        return;
      }
      this.buf = Buffer.concat(this.pending, this.pendingBytes);
      this.pos = 0;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
    }
    this.pos = 0;
    this.checkLimit();
  }

  private checkLimit(): void {
    const size = this.buffered + this.argsBytes;
    if (size > this.limits.queryBufferLimit) throw new QueryBufferLimitError(size);
  }

  /**
   * The next complete command, or null when more bytes are needed. Empty inline lines
   * and zero-length multibulks are skipped, as Redis does.
   */
  next(): string[] | null {
    for (;;) {
      if (this.pendingBytes > 0) return null;
      if (this.multibulkLen === 0) {
        if (this.pos >= this.buf.length) {
          if (this.buf.length > 0) { this.buf = EMPTY; this.pos = 0; }
          return null;
        }
        if (this.buf[this.pos] !== 42 /* * */) {
          const r = this.readInline();
          if (r === null) return null;
          if (r.length === 0) continue;
          return r;
        }
        const header = this.readMultibulkHeader();
        if (header === null) return null;
        if (header <= 0) continue;
        this.multibulkLen = header;
        this.args = [];
        this.argsBytes = 0;
      }
      const argv = this.readBulks();
      if (argv !== null) return argv;
      return null;
    }
  }

  /** Index of '\r' from pos, or -1. */
  private findCR(from: number): number {
    return this.buf.indexOf(13, from);
  }

  private readMultibulkHeader(): number | null {
    const cr = this.findCR(this.pos);
    if (cr < 0 || cr + 1 >= this.buf.length) {
      if (this.buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError('too big mbulk count string');
      return null;
    }
    const n = parseLen(this.buf, this.pos + 1, cr);
    if (n === null || n > 2147483647) throw new ProtocolError('invalid multibulk length');
    if (n > 10 && this.authRequired) throw new ProtocolError('unauthenticated multibulk length');
    this.pos = cr + 2;
    return n;
  }

  private readBulks(): string[] | null {
    const buf = this.buf;
    while (this.multibulkLen > 0) {
      if (this.bulkLen === -1) {
        const cr = buf.indexOf(13, this.pos);
        if (cr < 0 || cr + 1 >= buf.length) {
          if (buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError('too big bulk count string');
          this.need = 0;
          return null;
        }
        if (buf[this.pos] !== 36 /* $ */) {
          throw new ProtocolError(`expected '$', got '${String.fromCharCode(buf[this.pos]!)}'`);
        }
        const len = parseLen(buf, this.pos + 1, cr);
        // V8 strings stop 24 bytes short of 512 MB (buffer.constants.MAX_STRING_LENGTH): a
        // longer argument cannot be held, so it is refused like one past proto-max-bulk-len.
        if (len === null || len < 0 || len > this.limits.protoMaxBulkLen || len > bufferConstants.MAX_STRING_LENGTH) {
          throw new ProtocolError('invalid bulk length');
        }
        if (len > 16384 && this.authRequired) throw new ProtocolError('unauthenticated bulk length');
        this.pos = cr + 2;
        this.bulkLen = len;
      }
      if (buf.length - this.pos < this.bulkLen + 2) {
        this.need = this.bulkLen + 2;
        return null;
      }
      this.args.push(buf.toString('latin1', this.pos, this.pos + this.bulkLen));
      this.argsBytes += this.bulkLen;
      this.pos += this.bulkLen + 2;
      this.bulkLen = -1;
      this.multibulkLen--;
    }
    this.need = 0;
    const argv = this.args;
    this.args = [];
    this.argsBytes = 0;
    return argv;
  }

  private readInline(): string[] | null {
    const nl = this.buf.indexOf(10, this.pos);
    if (nl < 0) {
      if (this.buf.length - this.pos > INLINE_MAX_SIZE) throw new ProtocolError('too big inline request');
      return null;
    }
    let end = nl;
    if (end > this.pos && this.buf[end - 1] === 13) end--;
    const line = this.buf.toString('latin1', this.pos, end);
    this.pos = nl + 1;
    const argv = splitArgs(line);
    if (argv === null) throw new ProtocolError('unbalanced quotes in request');
    return argv;
  }
}

/** string2ll over buf[start, end): canonical signed decimal, or null. */
function parseLen(buf: Buffer, start: number, end: number): number | null {
  if (start >= end || end - start > 20) return null;
  let i = start;
  let neg = false;
  if (buf[i] === 45) {
    neg = true;
    i++;
    if (i === end) return null;
  }
  if (buf[i] === 48) return i + 1 === end && !neg ? 0 : null;
  let v = 0;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  return neg ? -v : v;
}

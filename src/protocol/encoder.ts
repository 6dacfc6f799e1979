/**
 * RESP2/RESP3 encoder: writes reply values into a growing output buffer.
 *
 * One ReplyWriter per connection. Replies produced while handling one input batch
 * accumulate here and leave in a single socket write (see network/connection.ts).
 * Strings are latin1 (one char per byte), so their byte length is their length.
 * Imports: protocol/reply, util/numbers.
 */
import {
  type Reply, ReplyObject, Status, ErrorReply, DoubleReply, MapReply, SetReply, PushReply,
  BoolReply, VerbatimReply, NullArrayReply, RawReply, NoReply,
} from './reply.js';
import { formatG17 } from '../util/numbers.js';

const CHUNK = 16 * 1024;

export class ReplyWriter {
  private buf: Buffer;
  private pos = 0;
  private full: Buffer[] = [];
  private fullBytes = 0;

  constructor() {
    this.buf = Buffer.allocUnsafe(CHUNK);
  }

  /** Bytes waiting to be flushed (for client-output-buffer-limit and CLIENT LIST). */
  get size(): number {
    return this.fullBytes + this.pos;
  }

  /** Takes everything written so far; the writer starts a fresh buffer. */
  take(): Buffer | null {
    if (this.pos === 0 && this.full.length === 0) return null;
    let out: Buffer;
    if (this.full.length === 0) {
      out = Buffer.allocUnsafe(this.pos);
      this.buf.copy(out, 0, 0, this.pos);
    } else {
      this.full.push(this.buf.subarray(0, this.pos));
      out = Buffer.concat(this.full, this.fullBytes + this.pos);
      this.full = [];
      this.fullBytes = 0;
      this.buf = Buffer.allocUnsafe(CHUNK);
    }
    this.pos = 0;
    return out;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    if (this.pos > 0) {
      this.full.push(this.buf.subarray(0, this.pos));
      this.fullBytes += this.pos;
    }
    this.buf = Buffer.allocUnsafe(Math.max(CHUNK, n));
    this.pos = 0;
  }

  private ascii(s: string): void {
    this.ensure(s.length);
    this.pos += this.buf.write(s, this.pos, 'latin1');
  }

  private header(prefix: number, n: number): void {
    this.ensure(24);
    const b = this.buf;
    b[this.pos++] = prefix;
    if (n >= 0 && n < 10) {
      b[this.pos++] = 48 + n;
    } else {
      this.pos += b.write(String(n), this.pos, 'latin1');
    }
    b[this.pos++] = 13;
    b[this.pos++] = 10;
  }

  bulk(s: string): void {
    const len = s.length;
    this.header(36, len);
    if (len > 0) {
      this.ensure(len);
      this.pos += this.buf.write(s, this.pos, 'latin1');
    }
    this.ensure(2);
    this.buf[this.pos++] = 13;
    this.buf[this.pos++] = 10;
  }

  raw(bytes: Buffer): void {
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.pos);
    this.pos += bytes.length;
  }

  write(r: Reply, resp: number): void {
    if (typeof r === 'string') return this.bulk(r);
    if (typeof r === 'number') return this.header(58, r);
    if (r === null) {
      if (resp === 3) this.ascii('_\r\n');
      else this.ascii('$-1\r\n');
      return;
    }
    if (Array.isArray(r)) {
      this.header(42, r.length);
      for (let i = 0; i < r.length; i++) this.write(r[i]!, resp);
      return;
    }
    if (typeof r === 'bigint') {
      this.ascii(`:${r}\r\n`);
      return;
    }
    this.writeObject(r, resp);
  }

  private writeObject(r: ReplyObject, resp: number): void {
    if (r instanceof Status) {
      this.ascii('+');
      this.ascii(r.text);
      this.ascii('\r\n');
    } else if (r instanceof ErrorReply) {
      this.ascii('-');
      // Redis builds most error texts with printf's %s, which stops at a NUL byte, and
      // replaces newlines so the reply stays one line.
      const nul = r.text.indexOf('\0');
      this.ascii((nul >= 0 ? r.text.slice(0, nul) : r.text).replace(/[\r\n]/g, ' '));
      this.ascii('\r\n');
    } else if (r instanceof DoubleReply) {
      if (resp === 3) {
        this.ascii(`,${formatG17(r.value)}\r\n`);
      } else {
        this.bulk(formatG17(r.value));
      }
    } else if (r instanceof MapReply) {
      const n = r.flat.length;
      this.header(resp === 3 ? 37 /* % */ : 42, resp === 3 ? n / 2 : n);
      for (let i = 0; i < n; i++) this.write(r.flat[i]!, resp);
    } else if (r instanceof SetReply) {
      this.header(resp === 3 ? 126 /* ~ */ : 42, r.items.length);
      for (const it of r.items) this.write(it, resp);
    } else if (r instanceof PushReply) {
      this.header(resp === 3 ? 62 /* > */ : 42, r.items.length);
      for (const it of r.items) this.write(it, resp);
    } else if (r instanceof BoolReply) {
      if (resp === 3) this.ascii(r.value ? '#t\r\n' : '#f\r\n');
      else this.ascii(r.value ? ':1\r\n' : ':0\r\n');
    } else if (r instanceof VerbatimReply) {
      if (resp === 3) {
        const body = `${r.format}:${r.text}`;
        this.header(61 /* = */, body.length);
        this.ascii(body);
        this.ascii('\r\n');
      } else {
        this.bulk(r.text);
      }
    } else if (r instanceof NullArrayReply) {
      this.ascii(resp === 3 ? '_\r\n' : '*-1\r\n');
    } else if (r instanceof RawReply) {
      this.raw(r.bytes);
    } else if (r instanceof NoReply) {
      // nothing
    } else {
      throw new Error(`unknown reply kind ${(r as ReplyObject).kind}`);
    }
  }
}

/** Encodes one reply into a fresh buffer (tests, MONITOR, replication). */
export function encodeReply(r: Reply, resp = 2): Buffer {
  const w = new ReplyWriter();
  w.write(r, resp);
  return w.take() ?? Buffer.alloc(0);
}

/** Encodes an argv as a RESP multibulk request (AOF, replication stream). */
export function encodeCommand(argv: readonly string[]): Buffer {
  let n = 0;
  for (const a of argv) n += a.length + 16;
  const b = Buffer.allocUnsafe(n + 16);
  let p = b.write(`*${argv.length}\r\n`, 0, 'latin1');
  for (const a of argv) {
    p += b.write(`$${a.length}\r\n`, p, 'latin1');
    p += b.write(a, p, 'latin1');
    b[p++] = 13;
    b[p++] = 10;
  }
  return b.subarray(0, p);
}

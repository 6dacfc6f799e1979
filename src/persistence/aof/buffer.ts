/**
 * A growable byte buffer for AOF text: RESP multibulk commands (what
 * catAppendOnlyGenericCommand produces) and raw annotation lines, written straight into
 * one Buffer so appending a command costs no intermediate allocation.
 *
 * Invariants: bytes [head, end) are pending, in append order; consume() drops from the
 * front only after they reached the file, so a failed write keeps them for the retry.
 * Arguments are latin1 binary strings (one char per byte).
 * Imports nothing from src.
 */

const INITIAL = 16 * 1024;
/** Buffers that grew past this are dropped once drained, like Redis reusing small sds. */
const KEEP_MAX = 1024 * 1024;

export class AofBuffer {
  private buf = Buffer.allocUnsafe(INITIAL);
  private head = 0;
  private end = 0;

  get length(): number {
    return this.end - this.head;
  }

  private ensure(n: number): void {
    if (this.end + n <= this.buf.length) return;
    const len = this.end - this.head;
    if (this.head > 0 && len + n <= this.buf.length) {
      this.buf.copy(this.buf, 0, this.head, this.end);
    } else {
      let cap = this.buf.length * 2;
      while (cap < len + n) cap *= 2;
      const nb = Buffer.allocUnsafe(cap);
      this.buf.copy(nb, 0, this.head, this.end);
      this.buf = nb;
    }
    this.head = 0;
    this.end = len;
  }

  private ascii(s: string): void {
    this.ensure(s.length);
    this.end += this.buf.write(s, this.end, 'latin1');
  }

  raw(s: string): void {
    this.ascii(s);
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.end);
    this.end += b.length;
  }

  /** `*<argc>\r\n` then each argument as a bulk string. */
  command(argv: readonly string[]): void {
    this.ascii(`*${argv.length}\r\n`);
    for (let i = 0; i < argv.length; i++) this.bulk(argv[i]!);
  }

  /** Multibulk header for a command whose arguments follow with bulk(). */
  header(argc: number): void {
    this.ascii(`*${argc}\r\n`);
  }

  bulk(a: string): void {
    const n = a.length;
    this.ensure(n + 24);
    const b = this.buf;
    let p = this.end;
    p += b.write(`$${n}\r\n`, p, 'latin1');
    if (n > 0) p += b.write(a, p, 'latin1');
    b[p++] = 13;
    b[p++] = 10;
    this.end = p;
  }

  /** The pending bytes, without consuming them (valid until the next append). */
  peek(): Buffer {
    return this.buf.subarray(this.head, this.end);
  }

  /** Drops n bytes from the front once they are on their way to the file. */
  consume(n: number): void {
    this.head += n;
    if (this.head >= this.end) this.clear();
  }

  /** Takes every pending byte as a standalone Buffer. */
  take(): Buffer {
    const out = Buffer.from(this.peek());
    this.clear();
    return out;
  }

  clear(): void {
    this.head = 0;
    this.end = 0;
    if (this.buf.length > KEEP_MAX) this.buf = Buffer.allocUnsafe(INITIAL);
  }
}

/** SELECT as Redis writes it into the AOF. */
export function selectCommand(db: number): string {
  const s = String(db);
  return `*2\r\n$6\r\nSELECT\r\n$${s.length}\r\n${s}\r\n`;
}

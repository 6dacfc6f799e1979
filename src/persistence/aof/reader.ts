/**
 * A buffered reader over a file descriptor with the stdio semantics the AOF loader and
 * checker are specified in: fgets-style lines (at most max-1 bytes, or through the
 * newline), exact-length reads, and the current offset (ftello).
 *
 * Invariants: never allocates more than the bytes the file can still provide, so a
 * corrupt length field cannot make us allocate gigabytes; `eof` becomes true only
 * when a read came up short because the file ended.
 * Imports nothing from src.
 */
import { readSync } from 'node:fs';

const CHUNK = 1 << 20;

export class FileReader {
  private buf = Buffer.allocUnsafe(CHUNK);
  private start = 0;
  private end = 0;
  /** File offset of buf[end]. */
  private filePos: number;
  eof = false;

  constructor(private readonly fd: number, readonly size: number, offset = 0) {
    this.filePos = offset;
  }

  /** Offset of the next unread byte (ftello). */
  get offset(): number {
    return this.filePos - (this.end - this.start);
  }

  /** Bytes left in the file after the current offset. */
  get remaining(): number {
    return Math.max(0, this.size - this.offset);
  }

  /** Reads more into the buffer; false when nothing more could be read. */
  private fill(): boolean {
    if (this.start > 0) {
      this.buf.copy(this.buf, 0, this.start, this.end);
      this.end -= this.start;
      this.start = 0;
    }
    if (this.end === this.buf.length) {
      const nb = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(nb, 0, 0, this.end);
      this.buf = nb;
    }
    const n = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.filePos);
    if (n <= 0) return false;
    this.end += n;
    this.filePos += n;
    return true;
  }

  /** fgets(buf, max): a line including its '\n', or at most max-1 bytes; null at EOF. */
  readLine(max: number): Buffer | null {
    const limit = max - 1;
    let scanned = 0;
    for (;;) {
      const avail = this.end - this.start;
      const nl = this.buf.indexOf(10, this.start + scanned);
      if (nl >= 0 && nl < this.end && nl - this.start < limit) {
        return this.takeBytes(nl + 1 - this.start);
      }
      if (avail >= limit) return this.takeBytes(limit);
      scanned = avail;
      if (!this.fill()) {
        this.eof = true;
        const left = this.end - this.start;
        return left === 0 ? null : this.takeBytes(left);
      }
    }
  }

  /** The next byte without consuming it; -1 (and eof) at the end of the file. */
  peekByte(): number {
    if (this.end === this.start && !this.fill()) {
      this.eof = true;
      return -1;
    }
    return this.buf[this.start]!;
  }

  /** Exactly n bytes, or null (consuming what there was) when the file ends first. */
  readExact(n: number): Buffer | null {
    if (n > this.remaining) {
      this.start = this.end = 0;
      this.filePos = this.size;
      this.eof = true;
      return null;
    }
    while (this.end - this.start < n) {
      if (!this.fill()) {
        this.start = this.end = 0;
        this.eof = true;
        return null;
      }
    }
    return this.takeBytes(n);
  }

  private takeBytes(n: number): Buffer {
    const out = this.buf.subarray(this.start, this.start + n);
    this.start += n;
    return out;
  }
}

/** atoi/strtol: the leading decimal integer of a latin1 byte run (0 when none). */
export function leadingInt(b: Buffer, from: number): number {
  let i = from;
  const n = b.length;
  while (i < n && (b[i] === 32 || (b[i]! >= 9 && b[i]! <= 13))) i++;
  let neg = false;
  if (i < n && (b[i] === 43 || b[i] === 45)) {
    neg = b[i] === 45;
    i++;
  }
  let v = 0;
  while (i < n && b[i]! >= 48 && b[i]! <= 57) {
    v = v * 10 + (b[i]! - 48);
    i++;
  }
  return neg ? -v : v;
}

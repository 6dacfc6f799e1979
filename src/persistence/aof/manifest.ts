/**
 * The Redis 7.0 multi-part AOF manifest: which BASE, INCR and HISTORY files make up
 * the append-only log, in what order, and how the names are built
 * (`<appendfilename>.<seq>.base.(rdb|aof)`, `<appendfilename>.<seq>.incr.aof`).
 *
 * Invariants: the text form is byte-for-byte what Redis writes (base first, then
 * history, then incr; `file <name> seq <n> type <c>\n`, names quoted only when
 * sdsneedsrepr would); parsing applies Redis's checks with its error texts, so a
 * manifest either of us wrote loads in the other. A manifest is only changed on a copy
 * (dup) and installed after it was persisted, so a failed write leaves the old one.
 * Persisting is write temp + fsync + rename + fsync of the directory.
 * Imports: protocol/split-args only. Must not import engine.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { quoteArg, splitArgs } from '../../protocol/split-args.js';

export type AofFileType = 'b' | 'h' | 'i';

export interface AofInfo {
  name: string;
  seq: number;
  type: AofFileType;
}

export const MANIFEST_SUFFIX = '.manifest';
export const TEMP_PREFIX = 'temp-';
/** Longest manifest line Redis reads (fgets buffer of MANIFEST_MAX_LINE+1). */
const MANIFEST_MAX_LINE = 1024;

/** A fatal manifest problem, carrying what Redis logs about it. */
export class ManifestError extends Error {
  constructor(message: string, readonly lineNo = 0, readonly lineText: string | null = null) {
    super(message);
  }

  /** The log lines Redis prints before exiting. */
  logLines(): string[] {
    const out = ['\n*** FATAL AOF MANIFEST FILE ERROR ***\n'];
    if (this.lineText !== null) {
      out.push(`Reading the manifest file, at line ${this.lineNo}\n`);
      out.push(`>>> '${this.lineText}'\n`);
    }
    out.push(`${this.message}\n`);
    return out;
  }
}

/** sdsneedsrepr: true when the name must be written quoted. */
function needsRepr(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 || c === 34 || c <= 32 || c >= 127) return true;
  }
  return false;
}

/** atoll: the leading decimal integer, 0 when there is none. */
function atoll(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

export function isBaseName(p: string): boolean {
  return !p.includes('/') && !p.includes('\\');
}

export class AofManifest {
  base: AofInfo | null = null;
  history: AofInfo[] = [];
  incr: AofInfo[] = [];
  baseSeq = 0;
  incrSeq = 0;
  /** Changed since last persisted. */
  dirty = false;

  dup(): AofManifest {
    const m = new AofManifest();
    m.base = this.base ? { ...this.base } : null;
    m.history = this.history.map((a) => ({ ...a }));
    m.incr = this.incr.map((a) => ({ ...a }));
    m.baseSeq = this.baseSeq;
    m.incrSeq = this.incrSeq;
    m.dirty = this.dirty;
    return m;
  }

  get isEmpty(): boolean {
    return this.base === null && this.incr.length === 0;
  }

  /** BASE and INCR files in load order. */
  loadOrder(): AofInfo[] {
    return this.base ? [this.base, ...this.incr] : [...this.incr];
  }

  /** The manifest file text, as getAofManifestAsString builds it. */
  format(): string {
    let out = '';
    const line = (a: AofInfo) => {
      const name = needsRepr(a.name) ? quoteArg(a.name) : a.name;
      out += `file ${name} seq ${a.seq} type ${a.type}\n`;
    };
    if (this.base) line(this.base);
    for (const a of this.history) line(a);
    for (const a of this.incr) line(a);
    return out;
  }

  /** New BASE name; the previous base (if any) becomes history. */
  newBase(filename: string, rdbPreamble: boolean): string {
    if (this.base) {
      this.base.type = 'h';
      this.history.unshift(this.base);
    }
    const seq = ++this.baseSeq;
    this.base = { name: `${filename}.${seq}.base.${rdbPreamble ? 'rdb' : 'aof'}`, seq, type: 'b' };
    this.dirty = true;
    return this.base.name;
  }

  /** Appends a new INCR entry and returns its name. */
  newIncr(filename: string): string {
    const seq = ++this.incrSeq;
    const name = `${filename}.${seq}.incr.aof`;
    this.incr.push({ name, seq, type: 'i' });
    this.dirty = true;
    return name;
  }

  /** The last INCR name, creating one when there is none. */
  lastIncr(filename: string): string {
    const last = this.incr[this.incr.length - 1];
    return last ? last.name : this.newIncr(filename);
  }

  /**
   * After a successful rewrite every INCR file the new base covers becomes history:
   * all of them, except the one being written to when the AOF is on.
   */
  markRewrittenIncrAsHistory(keepLast: boolean): void {
    if (this.incr.length === 0) return;
    const keep = keepLast ? this.incr.slice(-1) : [];
    const moved = keepLast ? this.incr.slice(0, -1) : this.incr;
    // Redis walks from the tail and prepends each, which keeps the original order.
    for (let i = moved.length - 1; i >= 0; i--) this.history.unshift({ ...moved[i]!, type: 'h' });
    this.incr = keep;
    this.dirty = true;
  }
}

/** Parses manifest text the way aofLoadManifestFromFile does; throws ManifestError. */
export function parseManifest(text: string): AofManifest {
  const am = new AofManifest();
  let maxSeq = 0;
  let lineNo = 0;
  let pos = 0;
  for (;;) {
    if (pos >= text.length) {
      if (lineNo === 0) throw new ManifestError('Found an empty AOF manifest');
      break;
    }
    // fgets: up to MANIFEST_MAX_LINE bytes or through the next newline.
    const nl = text.indexOf('\n', pos);
    const end = nl >= 0 && nl - pos < MANIFEST_MAX_LINE ? nl + 1 : Math.min(text.length, pos + MANIFEST_MAX_LINE);
    const raw = text.slice(pos, end);
    pos = end;
    lineNo++;
    if (raw.startsWith('#')) continue;
    if (!raw.includes('\n')) throw new ManifestError('The AOF manifest file contains too long line');
    const line = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line.length === 0) throw new ManifestError('Invalid AOF manifest file format', lineNo, line);
    const argv = splitArgs(line);
    if (argv === null || argv.length < 6 || argv.length % 2 !== 0) {
      throw new ManifestError('Invalid AOF manifest file format', lineNo, line);
    }
    let name: string | null = null;
    let seq = 0;
    let type = '';
    for (let i = 0; i < argv.length; i += 2) {
      const k = argv[i]!.toLowerCase();
      const v = argv[i + 1]!;
      if (k === 'file') {
        name = v;
        if (!isBaseName(name)) throw new ManifestError("File can't be a path, just a filename", lineNo, line);
      } else if (k === 'seq') {
        seq = atoll(v);
      } else if (k === 'type') {
        type = v.charAt(0);
      }
    }
    if (!name || !seq || !type) throw new ManifestError('Invalid AOF manifest file format', lineNo, line);
    if (type === 'b') {
      if (am.base) throw new ManifestError('Found duplicate base file information', lineNo, line);
      am.base = { name, seq, type };
      am.baseSeq = seq;
    } else if (type === 'h') {
      am.history.push({ name, seq, type });
    } else if (type === 'i') {
      if (seq <= maxSeq) throw new ManifestError('Found a non-monotonic sequence number', lineNo, line);
      am.incr.push({ name, seq, type });
      am.incrSeq = seq;
      maxSeq = seq;
    } else {
      throw new ManifestError('Unknown AOF file type', lineNo, line);
    }
  }
  return am;
}

/** fsync of a directory, so renames and new files in it survive a crash. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * writeAofManifestFile: temp file, fsync, rename over the manifest, fsync the
 * directory. Throws the fs error (with `step` naming what failed, for the log).
 */
export function writeManifestFile(dir: string, manifestName: string, text: string): void {
  const tmp = path.join(dir, TEMP_PREFIX + manifestName);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    const buf = Buffer.from(text, 'latin1');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path.join(dir, manifestName));
  fsyncDir(dir);
}

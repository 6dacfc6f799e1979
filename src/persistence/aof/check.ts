/**
 * tessera-check-aof: redis-check-aof for Tessera and Redis AOFs. Accepts a manifest
 * (multi-part AOF: BASE then INCR files, only the last one may be truncated), an
 * old-style AOF, or an old-style AOF with an RDB preamble; validates the RESP stream
 * (and MULTI/EXEC pairing) and with --fix truncates the last file at the end of the
 * last complete command, after asking "Continue? [y/N]" as redis-check-aof does.
 * --truncate-to-timestamp cuts the last file at the first #TS annotation past the time.
 *
 * Output lines and exit codes are redis-check-aof's, so scripts written for one work
 * with the other. `main` is pure apart from the files it checks: output and the
 * confirmation prompt go through parameters.
 * Imports: persistence/rdb (the RDB checker), this folder. Never engine.
 */
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import { checkRdb } from '../rdb/check.js';
import { RdbFileReader } from '../rdb/file-reader.js';
import { ManifestError, parseManifest } from './manifest.js';
import { FileReader, leadingInt } from './reader.js';
import { strerror } from '../../config/errors.js';

const CHECK_OK = 0;
const CHECK_EMPTY = 1;
const CHECK_TRUNCATED = 2;
const CHECK_TIMESTAMP_TRUNCATED = 3;

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export interface CheckIo {
  out(text: string): void;
  /** Reads the answer to the confirmation prompt. */
  ask(): string;
}

function stdinLine(): string {
  const b = Buffer.alloc(1);
  let s = '';
  try {
    while (readSync(0, b, 0, 1, null) === 1) {
      if (b[0] === 10) break;
      s += String.fromCharCode(b[0]!);
    }
  } catch {
    // No stdin: treated as "no".
  }
  return s;
}

export const PROCESS_IO: CheckIo = { out: (t) => process.stdout.write(t), ask: stdinLine };

function hex16(n: number): string {
  return `0x${n.toString(16).padStart(16, ' ')}`;
}

/** One run of the checker (redis-check-aof keeps these as statics). */
class Checker {
  private error = '';
  private epos = 0;
  private line = 1;

  constructor(private readonly io: CheckIo, private readonly toTimestamp: number) {}

  private print(s: string): void {
    this.io.out(s + '\n');
  }

  private exit(code: number): never {
    throw new Exit(code);
  }

  private setError(msg: string): void {
    this.error = `${hex16(this.epos)}: ${msg}`;
  }

  private consumeNewline(b: Buffer, at: number): boolean {
    if (b[at] !== 13 || b[at + 1] !== 10) {
      const h = (i: number) => (b[i] ?? 0).toString(16).padStart(2, '0');
      this.setError(`Expected \\r\\n, got: ${h(at)}${h(at + 1)}`);
      return false;
    }
    this.line++;
    return true;
  }

  private readLong(r: FileReader, prefix: string): number | null {
    this.epos = r.offset;
    const l = r.readLine(128);
    if (l === null) return null;
    if (String.fromCharCode(l[0]!) !== prefix) {
      this.setError(`Expected prefix '${prefix}', got: '${String.fromCharCode(l[0]!)}'`);
      return null;
    }
    // strtol then the newline right after the digits.
    let i = 1;
    while (i < l.length && (l[i] === 32 || (l[i]! >= 9 && l[i]! <= 13))) i++;
    if (i < l.length && (l[i] === 43 || l[i] === 45)) i++;
    const digitsFrom = i;
    while (i < l.length && l[i]! >= 48 && l[i]! <= 57) i++;
    const end = i > digitsFrom ? i : 1;
    const v = i > digitsFrom ? leadingInt(l, 1) : 0;
    return this.consumeNewline(l, end) ? v : null;
  }

  private readString(r: FileReader): string | null {
    const len = this.readLong(r, '$');
    if (len === null) return null;
    if (len < 0 || len > Number.MAX_SAFE_INTEGER - 2) {
      this.setError(`Expected to read string of ${len} bytes, which is not in the suitable range`);
      return null;
    }
    this.epos = r.offset;
    const want = len + 2;
    const avail = Math.min(want, r.remaining);
    const b = r.readExact(want);
    if (b === null) {
      this.setError(`Expected to read ${want} bytes, got ${avail} bytes`);
      return null;
    }
    const s = b.toString('latin1', 0, len);
    return this.consumeNewline(b, len) ? s : null;
  }

  private processResp(r: FileReader, file: string, multi: { n: number }): boolean {
    const argc = this.readLong(r, '*');
    if (argc === null) return false;
    for (let i = 0; i < argc; i++) {
      const s = this.readString(r);
      if (s === null) return false;
      if (i === 0) {
        const c = s.toLowerCase();
        if (c === 'multi') {
          if (multi.n++ !== 0) {
            this.setError(`Unexpected MULTI in AOF ${file}`);
            return false;
          }
        } else if (c === 'exec') {
          if (--multi.n !== 0) {
            this.setError(`Unexpected EXEC in AOF ${file}`);
            return false;
          }
        }
      }
    }
    return true;
  }

  /** False when the file was cut at a timestamp annotation. */
  private processAnnotation(r: FileReader, fd: number, file: string, last: boolean): boolean {
    this.epos = r.offset;
    const l = r.readLine(1024);
    if (l === null) {
      this.print(`Failed to read annotations from AOF ${file}, aborting...`);
      this.exit(1);
    }
    if (this.toTimestamp && l.toString('latin1', 0, 4) === '#TS:') {
      const m = /^#TS:([+-]?\d+)\r/.exec(l.toString('latin1'));
      if (!m) {
        this.print('Invalid timestamp annotation');
        this.exit(1);
      }
      const ts = Number(m[1]);
      if (ts <= this.toTimestamp) return true;
      if (this.epos === 0) {
        this.print(`AOF ${file} has nothing before timestamp ${this.toTimestamp}, aborting...`);
        this.exit(1);
      }
      if (!last) {
        this.print(`Failed to truncate AOF ${file} to timestamp ${this.toTimestamp} to offset ${this.epos} because it is not the last file.`);
        this.print('If you insist, please delete all files after this file according to the manifest file and delete the corresponding records in manifest file manually. Then re-run redis-check-aof.');
        this.exit(1);
      }
      try {
        ftruncateSync(fd, this.epos);
      } catch {
        this.print(`Failed to truncate AOF ${file} to timestamp ${this.toTimestamp}`);
        this.exit(1);
      }
      return false;
    }
    return true;
  }

  checkSingle(name: string, fp: string, last: boolean, fix: boolean, preamble: boolean): number {
    let fd: number;
    try {
      fd = openSync(fp, 'r+');
    } catch (e) {
      this.print(`Cannot open file ${fp}: ${strerror(e)}, aborting...`);
      this.exit(1);
    }
    try {
      return this.checkFd(fd, name, fp, last, fix, preamble);
    } finally {
      try { closeSync(fd); } catch { /* closed */ }
    }
  }

  private checkFd(fd: number, name: string, fp: string, last: boolean, fix: boolean, preamble: boolean): number {
    const size = fstatSync(fd).size;
    if (size === 0) return CHECK_EMPTY;
    let start = 0;
    if (preamble) {
      const buf = readFileSync(fp);
      const res = checkRdb(buf, name);
      for (const l of res.lines) this.print(l);
      if (!res.ok) {
        this.print('RDB preamble of AOF file is not sane, aborting.');
        this.exit(1);
      }
      this.print('RDB preamble is OK, proceeding with AOF tail...');
      const rd = new RdbFileReader(buf, { skipModules: true });
      while (rd.next() !== null) { /* walk to the end of the RDB part */ }
      start = rd.offset;
    }
    const r = new FileReader(fd, size, start);
    const multi = { n: 0 };
    let pos = start;
    for (;;) {
      if (multi.n === 0) pos = r.offset;
      const c = r.peekByte();
      if (c < 0) break;
      if (c === 35 /* # */) {
        if (!this.processAnnotation(r, fd, fp, last)) return CHECK_TIMESTAMP_TRUNCATED;
      } else if (c === 42 /* * */) {
        if (!this.processResp(r, fp, multi)) break;
      } else {
        this.print(`AOF ${name} format error`);
        break;
      }
    }
    if (r.eof && multi.n !== 0 && this.error === '') {
      this.setError('Reached EOF before reading EXEC for MULTI');
    }
    if (this.error !== '') this.print(this.error);
    const diff = size - pos;
    if (diff === 0 && this.toTimestamp) {
      this.print(`Truncate nothing in AOF ${name} to timestamp ${this.toTimestamp}`);
      return CHECK_OK;
    }
    this.print(`AOF analyzed: filename=${name}, size=${size}, ok_up_to=${pos}, ok_up_to_line=${this.line}, diff=${diff}`);
    if (diff > 0) {
      if (!fix) {
        this.print(`AOF ${name} is not valid. Use the --fix option to try fixing it.`);
        this.exit(1);
      }
      if (!last) {
        this.print(`Failed to truncate AOF ${name} because it is not the last file`);
        this.exit(1);
      }
      this.print(`This will shrink the AOF ${name} from ${size} bytes, with ${diff} bytes, to ${pos} bytes`);
      this.io.out('Continue? [y/N]: ');
      const a = this.io.ask();
      if (!/^y/i.test(a)) {
        this.print('Aborting...');
        this.exit(1);
      }
      try {
        ftruncateSync(fd, pos);
      } catch {
        this.print(`Failed to truncate AOF ${name}`);
        this.exit(1);
      }
      return CHECK_TRUNCATED;
    }
    return CHECK_OK;
  }

  report(kind: string, name: string, ret: number): void {
    if (ret === CHECK_OK) this.print(`${kind}${name} is valid`);
    else if (ret === CHECK_EMPTY) this.print(`${kind}${name} is empty`);
    else if (ret === CHECK_TIMESTAMP_TRUNCATED) this.print(`Successfully truncated AOF ${name} to timestamp ${this.toTimestamp}`);
    else if (ret === CHECK_TRUNCATED) this.print(`Successfully truncated AOF ${name}`);
  }

  checkMultiPart(dir: string, manifestPath: string, fix: boolean): void {
    this.print('Start checking Multi Part AOF');
    let text: string;
    try {
      text = readFileSync(manifestPath, 'latin1');
    } catch (e) {
      this.print(`Fatal error: can't open the AOF manifest file ${manifestPath} for reading: ${strerror(e)}`);
      this.exit(1);
    }
    let am;
    try {
      am = parseManifest(text);
    } catch (e) {
      if (e instanceof ManifestError) for (const l of e.logLines()) this.io.out(l);
      this.exit(1);
    }
    const files = am.loadOrder();
    files.forEach((f, i) => {
      const fp = path.join(dir, f.name);
      const last = i === files.length - 1;
      if (f.type === 'b') {
        const rdb = fileIsRdb(fp, (m) => this.print(m), () => this.exit(1));
        this.print(`Start to check BASE AOF (${rdb ? 'RDB' : 'RESP'} format).`);
        this.report('BASE AOF ', f.name, this.checkSingle(f.name, fp, last, fix, rdb));
      } else {
        if (i === 0 || files[i - 1]!.type === 'b') this.print('Start to check INCR files.');
        this.report('INCR AOF ', f.name, this.checkSingle(f.name, fp, last, fix, false));
      }
    });
    this.print('All AOF files and manifest are valid');
  }

  checkOldStyle(fp: string, fix: boolean, preamble: boolean): void {
    this.print('Start checking Old-Style AOF');
    this.report('AOF ', fp, this.checkSingle(fp, fp, true, fix, preamble));
  }
}

function fileIsRdb(fp: string, print: (m: string) => void, fail: () => never): boolean {
  let fd: number;
  try {
    fd = openSync(fp, 'r');
  } catch (e) {
    print(`Cannot open file ${fp}: ${strerror(e)}`);
    fail();
  }
  try {
    if (fstatSync(fd).size < 8) return false;
    const b = Buffer.alloc(5);
    return readSync(fd, b, 0, 5, 0) === 5 && b.toString('latin1') === 'REDIS';
  } finally {
    closeSync(fd);
  }
}

function fileIsManifest(fp: string, print: (m: string) => void, fail: () => never): boolean {
  let text: string;
  try {
    text = readFileSync(fp, 'latin1');
  } catch (e) {
    print(`Cannot open file ${fp}: ${strerror(e)}`);
    fail();
  }
  // fgets with a 1025-byte buffer: long lines are seen in 1024-byte pieces.
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    const end = nl >= 0 && nl - pos < 1024 ? nl + 1 : Math.min(text.length, pos + 1024);
    const piece = text.slice(pos, end);
    pos = end;
    if (piece.startsWith('#')) continue;
    if (piece.startsWith('file')) return true;
  }
  return false;
}

/** redis_check_aof_main; returns the exit status. */
export function main(argv: readonly string[], io: CheckIo = PROCESS_IO, prog = 'tessera-check-aof'): number {
  let file: string;
  let fix = false;
  let toTs = 0;
  const usage = () => {
    io.out(`Usage: ${prog} [--fix|--truncate-to-timestamp $timestamp] <file.manifest|file.aof>\n`);
    return 1;
  };
  if (argv.length === 1) {
    file = argv[0]!;
  } else if (argv.length === 2 && argv[0] === '--fix') {
    file = argv[1]!;
    fix = true;
  } else if (argv.length === 3 && argv[0] === '--truncate-to-timestamp') {
    if (!/^[+-]?\d+$/.test(argv[1]!)) {
      io.out('Invalid timestamp, aborting...\n');
      return 1;
    }
    toTs = Number(argv[1]);
    file = argv[2]!;
  } else {
    return usage();
  }
  const ck = new Checker(io, toTs);
  const print = (m: string) => io.out(m + '\n');
  try {
    const fail = (): never => { throw new Exit(1); };
    if (fileIsManifest(file, print, fail)) ck.checkMultiPart(path.dirname(file), file, fix);
    else if (fileIsRdb(file, print, fail)) ck.checkOldStyle(file, fix, true);
    else ck.checkOldStyle(file, fix, false);
  } catch (e) {
    if (e instanceof Exit) return e.code;
    throw e;
  }
  return 0;
}

/**
 * Loading the append-only files at start-up (and for DEBUG LOADAOF), following
 * loadAppendOnlyFiles / loadSingleAppendOnlyFile: the manifest's BASE then INCR files,
 * an RDB-format base (or old-style RDB preamble) handed to the RDB codec, then RESP
 * commands replayed through the dispatcher as an internal client.
 *
 * Outcomes use Redis's codes and log lines: a truncated tail (or an unfinished
 * MULTI) in the last file is cut off when aof-load-truncated is on; anything else is
 * fatal ("Bad file format reading the append only file ..."), with an extra line that
 * names the offset. Bad input never throws out of here: the worst case is AOF_FAILED.
 *
 * The loader is a generator that yields every LOAD_SLICE commands, so the start-up
 * driver can let the node answer -LOADING in between while DEBUG LOADAOF runs it to
 * completion synchronously.
 * Imports: config (strerror), this folder.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, renameSync, statSync, truncateSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { strerror } from '../../config/errors.js';
import { AofManifest, ManifestError, parseManifest, writeManifestFile, MANIFEST_SUFFIX } from './manifest.js';
import { FileReader, leadingInt } from './reader.js';

export const AOF_OK = 0;
export const AOF_NOT_EXIST = 1;
export const AOF_EMPTY = 2;
export const AOF_OPEN_ERR = 3;
export const AOF_FAILED = 4;
export const AOF_TRUNCATED = 5;

/** Commands replayed between two chances for the event loop to run. */
const LOAD_SLICE = 1024;
/** fgets buffer of the loader (AOF_ANNOTATION_LINE_MAX_LEN). */
const LINE_MAX = 1024;

export interface LoadHost {
  log(level: 'verbose' | 'notice' | 'warning', msg: string): void;
  loadTruncated(): boolean;
  /** lookupCommand: false for an unknown command (or unknown subcommand). */
  commandExists(argv: readonly string[]): boolean;
  /** Runs one command as the AOF client. */
  exec(argv: string[]): void;
  /**
   * A loader for the RDB image at the start of buf (an RDB base or preamble): step(n)
   * loads up to n records and returns true when done; `consumed` is where the image
   * ended. Throws (with a message) when the RDB is bad or no codec is there.
   */
  rdbLoader(buf: Buffer): { step(n: number): boolean; readonly consumed: number };
  /** Loading progress in bytes, for INFO. */
  progress(bytes: number): void;
}

export interface AofPaths {
  /** The `dir` directory (absolute). */
  dir: string;
  /** <dir>/<appenddirname>. */
  aofDir: string;
  /** appendfilename. */
  filename: string;
}

export function manifestName(filename: string): string {
  return filename + MANIFEST_SUFFIX;
}

/**
 * aofLoadManifestFromDisk: an empty manifest when the directory or the file is
 * missing; ManifestError when it exists but is bad.
 */
export function loadManifestFromDisk(p: AofPaths): AofManifest {
  const mp = path.join(p.aofDir, manifestName(p.filename));
  if (!isDir(p.aofDir) || !existsSync(mp)) return new AofManifest();
  let text: string;
  try {
    const fd = openSync(mp, 'r');
    try {
      const size = fstatSync(fd).size;
      const b = Buffer.alloc(size);
      let off = 0;
      while (off < size) {
        const n = readSync(fd, b, off, size - off, off);
        if (n <= 0) break;
        off += n;
      }
      text = b.toString('latin1', 0, off);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new ManifestError(`Fatal error: can't open the AOF manifest file ${mp} for reading: ${strerror(e)}`);
  }
  return parseManifest(text);
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function fileSize(p: string): number | null {
  try {
    return statSync(p).size;
  } catch {
    return null;
  }
}

/**
 * aofUpgradePrepare: an old-style `appendonly.aof` in `dir` becomes the base of a new
 * manifest in the AOF directory. Throws (Redis exits) when that fails.
 */
export function upgradeIfNeeded(p: AofPaths, am: AofManifest, log: LoadHost['log']): void {
  const old = path.join(p.dir, p.filename);
  if (!existsSync(old)) return;
  const inDir = path.join(p.aofDir, p.filename);
  const trigger = !isDir(p.aofDir) || am.isEmpty ||
    (am.base !== null && am.incr.length === 0 && am.base.name === p.filename && !existsSync(inDir));
  if (!trigger) return;
  try {
    mkdirSync(p.aofDir, { recursive: true });
  } catch (e) {
    throw new Error(`Can't open or create append-only dir ${p.aofDir}: ${strerror(e)}`);
  }
  am.base = { name: p.filename, seq: 1, type: 'b' };
  am.baseSeq = 1;
  am.dirty = true;
  writeManifestFile(p.aofDir, manifestName(p.filename), am.format());
  am.dirty = false;
  try {
    renameSync(old, inDir);
  } catch (e) {
    throw new Error(`Error trying to move the old AOF file ${p.filename} into dir ${p.aofDir}: ${strerror(e)}`);
  }
  log('notice', `Successfully migrated an old-style AOF file (${p.filename}) into the AOF directory (${p.aofDir}).`);
}

export interface LoadResult {
  status: number;
  /** Sizes for aof_current_size / aof_base_size. */
  totalSize: number;
  baseSize: number;
}

/** loadAppendOnlyFiles over the manifest; a generator (see the header). */
export function* loadAppendOnlyFiles(host: LoadHost, p: AofPaths, am: AofManifest): Generator<void, LoadResult> {
  const res: LoadResult = { status: AOF_OK, totalSize: 0, baseSize: 0 };
  if (am.isEmpty) {
    res.status = AOF_NOT_EXIST;
    return res;
  }
  const files = am.loadOrder();
  let total = 0;
  for (const f of files) {
    const s = fileSize(path.join(p.aofDir, f.name));
    if (s === null) {
      host.log('warning', `Unable to obtain the AOF file ${f.name} length. stat: ${strerror({ code: 'ENOENT' })}`);
      res.status = AOF_FAILED;
      return res;
    }
    total += s;
  }
  if (total === 0) {
    res.status = AOF_EMPTY;
    return res;
  }
  let ret = AOF_OK;
  for (let i = 0; i < files.length; i++) {
    const f = files[i]!;
    const isBase = f.type === 'b';
    const last = i === files.length - 1;
    const t0 = Date.now();
    if (isBase) res.baseSize = fileSize(path.join(p.aofDir, f.name)) ?? 0;
    ret = yield* loadSingleFile(host, p, f.name);
    if (ret === AOF_OK || (ret === AOF_TRUNCATED && last)) {
      host.log('notice', `DB loaded from ${isBase ? 'base' : 'incr'} file ${f.name}: ${((Date.now() - t0) / 1000).toFixed(3)} seconds`);
    }
    if (!isBase && ret === AOF_EMPTY) ret = AOF_OK;
    if (ret === AOF_TRUNCATED && !last) {
      ret = AOF_FAILED;
      host.log('warning', 'Fatal error: the truncated file is not the last file');
    }
    if (ret === AOF_OPEN_ERR || ret === AOF_FAILED) {
      res.status = ret;
      return res;
    }
  }
  // A truncated last file shrank: count what is on disk now.
  let now = 0;
  for (const f of files) now += fileSize(path.join(p.aofDir, f.name)) ?? 0;
  res.totalSize = now;
  res.status = ret;
  return res;
}

/** loadSingleAppendOnlyFile. */
export function* loadSingleFile(host: LoadHost, p: AofPaths, name: string): Generator<void, number> {
  const fp = path.join(p.aofDir, name);
  let fd: number;
  try {
    fd = openSync(fp, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      host.log('warning', `The append log file ${name} doesn't exist: ${strerror(e)}`);
      return AOF_NOT_EXIST;
    }
    host.log('warning', `Fatal error: can't open the append log file ${name} for reading: ${strerror(e)}`);
    return AOF_OPEN_ERR;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return AOF_EMPTY;
    return yield* replay(host, fd, size, fp, name, name === p.filename);
  } catch (e) {
    host.log('warning', `Unrecoverable error reading the append only file ${name}: ${strerror(e)}`);
    return AOF_FAILED;
  } finally {
    closeSync(fd);
  }
}

function* replay(host: LoadHost, fd: number, size: number, fp: string, name: string, oldStyle: boolean): Generator<void, number> {
  let start = 0;
  const sig = Buffer.alloc(5);
  if (readSync(fd, sig, 0, 5, 0) === 5 && sig.toString('latin1') === 'REDIS') {
    host.log('notice', oldStyle ? 'Reading RDB preamble from AOF file...' : 'Reading RDB base file on AOF loading...');
    const whole = Buffer.allocUnsafe(size);
    let off = 0;
    while (off < size) {
      const n = readSync(fd, whole, off, size - off, off);
      if (n <= 0) break;
      off += n;
    }
    try {
      const ld = host.rdbLoader(whole.subarray(0, off));
      while (!ld.step(LOAD_SLICE)) yield;
      start = ld.consumed;
    } catch (e) {
      host.log('warning', oldStyle
        ? `Error reading the RDB preamble of the AOF file ${name}, AOF loading aborted`
        : `Error reading the RDB base file ${name}, AOF loading aborted`);
      host.log('warning', `Unrecoverable error reading the append only file ${name}: ${(e as Error).message}`);
      return AOF_FAILED;
    }
    host.progress(start);
    if (oldStyle) host.log('notice', 'Reading the remaining AOF tail...');
  }

  const r = new FileReader(fd, size, start);
  const truncOk = host.loadTruncated();
  let validUpTo = start;
  let validBeforeMulti = start;
  let multi: string[][] | null = null;
  let loops = 0;
  let lastProgress = start;
  let badAt = -1;
  let badWhy = '';
  let outcome: 'ok' | 'eof' | 'fmt' = 'ok';

  parse: for (;;) {
    if (loops++ % LOAD_SLICE === 0 && loops > 1) {
      host.progress(r.offset - lastProgress);
      lastProgress = r.offset;
      yield;
    }
    const cmdStart = r.offset;
    const line = r.readLine(LINE_MAX);
    if (line === null) break;
    const c0 = line[0]!;
    if (c0 === 35 /* # */) continue;
    if (c0 !== 42 /* * */) { badAt = cmdStart; badWhy = `expected '*', got '${String.fromCharCode(c0)}'`; outcome = 'fmt'; break; }
    if (line.length === 1) { outcome = 'eof'; break; }
    const argc = leadingInt(line, 1);
    if (argc < 1) { badAt = cmdStart; badWhy = `invalid multibulk length`; outcome = 'fmt'; break; }
    const argv: string[] = [];
    for (let j = 0; j < argc; j++) {
      const argAt = r.offset;
      const l = r.readLine(LINE_MAX);
      if (l === null) { outcome = 'eof'; break parse; }
      if (l[0] !== 36 /* $ */) {
        badAt = argAt; badWhy = `expected '$', got '${String.fromCharCode(l[0]!)}'`; outcome = 'fmt'; break parse;
      }
      const len = leadingInt(l, 1);
      if (len < 0) { badAt = argAt; badWhy = 'invalid bulk length'; outcome = 'fmt'; break parse; }
      const data = r.readExact(len);
      if (data === null) { outcome = 'eof'; break parse; }
      argv.push(data.toString('latin1'));
      if (r.readExact(2) === null) { outcome = 'eof'; break parse; }
    }
    if (!host.commandExists(argv)) {
      host.log('warning', `Unknown command '${argv[0]}' reading the append only file ${name}`);
      return AOF_FAILED;
    }
    const cmd = argv[0]!.toLowerCase();
    if (cmd === 'multi') {
      validBeforeMulti = validUpTo;
      multi = [];
    } else if (multi !== null && cmd !== 'exec') {
      multi.push(argv);
    } else if (cmd === 'exec') {
      // The whole transaction runs between two yields, so it stays atomic.
      if (multi !== null) for (const q of multi) host.exec(q);
      multi = null;
    } else {
      host.exec(argv);
    }
    if (truncOk) validUpTo = r.offset;
  }
  host.progress(r.offset - lastProgress);

  if (outcome === 'ok' && multi !== null) {
    host.log('warning', `Revert incomplete MULTI/EXEC transaction in AOF file ${name}`);
    validUpTo = validBeforeMulti;
    outcome = 'eof';
  }
  if (outcome === 'ok') return AOF_OK;
  if (outcome === 'fmt') {
    host.log('warning', `AOF ${name}: format error at offset ${badAt} (${badWhy})`);
    host.log('warning', `Bad file format reading the append only file ${name}: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>`);
    return AOF_FAILED;
  }
  // Unexpected end of file.
  if (truncOk) {
    host.log('warning', `!!! Warning: short read while loading the AOF file ${name}!!!`);
    host.log('warning', `!!! Truncating the AOF ${name} at offset ${validUpTo} !!!`);
    try {
      truncateSync(fp, validUpTo);
      host.log('warning', `AOF ${name} loaded anyway because aof-load-truncated is enabled`);
      return AOF_TRUNCATED;
    } catch (e) {
      host.log('warning', `Error truncating the AOF file ${name}: ${strerror(e)}`);
    }
  }
  host.log('warning', `Unexpected end of file reading the append only file ${name}. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`);
  return AOF_FAILED;
}

/** Runs a loader generator to completion synchronously (DEBUG LOADAOF). */
export function runSync<T>(g: Generator<void, T>): T {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
  }
}

/** Runs a loader generator, letting the event loop run at every yield (start-up). */
export async function runAsync<T>(g: Generator<void, T>): Promise<T> {
  for (;;) {
    const r = g.next();
    if (r.done) return r.value;
    await new Promise<void>((res) => setImmediate(res));
  }
}

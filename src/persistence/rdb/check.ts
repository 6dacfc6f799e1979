/**
 * tessera-check-rdb: validates an RDB file by decoding every record (module values are
 * skipped structurally) and prints a report in the spirit of redis-check-rdb: one line
 * per AUX field / database / checksum, then key statistics, or an error block naming the
 * offset, the stage, the key and the type being read. Exit status 0 = OK, 1 = error.
 *
 * checkRdb is pure (returns the lines) so tests need no process; main() is what
 * bin/tessera-check-rdb runs. Imports: this folder only.
 */
import { readFileSync } from 'node:fs';
import { RdbError } from './bytes.js';
import { RDB_TYPE_NAMES } from './constants.js';
import { RdbFileReader } from './file-reader.js';

export interface CheckResult {
  ok: boolean;
  lines: string[];
  keys: number;
  expires: number;
  alreadyExpired: number;
}

export function checkRdb(buf: Buffer, name: string, now: number = Date.now()): CheckResult {
  const lines: string[] = [];
  const res: CheckResult = { ok: false, lines, keys: 0, expires: 0, alreadyExpired: 0 };
  let offset = 0;
  const info = (msg: string): void => {
    lines.push(`[offset ${offset}] ${msg}`);
  };
  const stats = (): void => {
    lines.push(`[info] ${res.keys} keys read`, `[info] ${res.expires} expires`, `[info] ${res.alreadyExpired} already expired`);
  };
  info(`Checking RDB file ${name}`);
  let rd: RdbFileReader | null = null;
  try {
    rd = new RdbFileReader(buf, { skipModules: true, deep: true });
    offset = 9;
    for (let rec = rd.next(); rec !== null; rec = rd.next()) {
      offset = rd.offset;
      switch (rec.kind) {
        case 'aux':
          info(`AUX FIELD ${rec.key} = '${rec.value}'`);
          break;
        case 'selectdb':
          info(`Selecting DB ID ${rec.db}`);
          break;
        case 'module-aux':
          info(`MODULE AUX for: ${rec.moduleName}`);
          break;
        case 'function':
          info(`FUNCTION library ${/name=(\S+)/.exec(rec.code)?.[1] ?? '?'}`);
          break;
        case 'key':
          res.keys++;
          if (rec.expireAt !== -1) {
            res.expires++;
            if (rec.expireAt < now) res.alreadyExpired++;
          }
          break;
        case 'module-key':
          res.keys++;
          break;
        case 'empty-key':
          info(`Empty key '${rec.key}' skipped`);
          break;
        case 'eof':
          if (rec.checksum === 'disabled') info('RDB file was saved with checksum disabled: no check performed.');
          else if (rec.checksum === 'ok') info('Checksum OK');
          break;
        default:
          break;
      }
    }
    if (rd.offset !== buf.length) {
      offset = rd.offset;
      info(`${buf.length - rd.offset} trailing bytes after the checksum`);
    }
    info('\\o/ RDB looks OK! \\o/');
    stats();
    res.ok = true;
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    if (rd !== null) offset = rd.offset;
    lines.push('--- RDB ERROR DETECTED ---');
    const msg = /^Wrong RDB checksum/.test(e.message) ? 'RDB CRC error' : e.message;
    info(msg);
    if (rd !== null) {
      lines.push(`[additional info] While doing: ${rd.doing}`);
      if (rd.lastKey !== null) lines.push(`[additional info] Reading key '${rd.lastKey}'`);
      if (rd.lastType >= 0) lines.push(`[additional info] Reading type ${rd.lastType} (${RDB_TYPE_NAMES[rd.lastType] ?? 'unknown'})`);
    }
    stats();
  }
  return res;
}

/** CLI entry: `tessera-check-rdb <file>`; returns the exit status. */
export function main(argv: readonly string[], out: (line: string) => void = (l) => process.stdout.write(l + '\n')): number {
  if (argv.length !== 1) {
    process.stderr.write('Usage: tessera-check-rdb <rdb-file-name>\n');
    return 1;
  }
  const file = argv[0]!;
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    out(`[offset 0] Checking RDB file ${file}`);
    out('--- RDB ERROR DETECTED ---');
    out(`[offset 0] Cannot open file: ${(e as Error).message}`);
    return 1;
  }
  const res = checkRdb(buf, file);
  for (const l of res.lines) out(l);
  return res.ok ? 0 : 1;
}

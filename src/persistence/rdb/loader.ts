/**
 * Loads an RDB file into live databases, record by record (RdbLoader.step) so a server
 * can keep answering -LOADING between slices, or all at once (loadRdbInto).
 *
 * Follows rdbLoadRio: keys whose TTL already passed are dropped (unless keepExpired,
 * for replicas and AOF preambles), empty aggregates are skipped, a duplicate key is an
 * error unless allowDuplicates (DEBUG RELOAD MERGE) replaces it, IDLE/FREQ restore the
 * LRU clock / LFU counter. Functions and AUX fields go to callbacks.
 * Imports: keyspace, this folder.
 */
import type { Database } from '../../keyspace/database.js';
import { RdbError } from './bytes.js';
import { RdbFileReader, type RdbReadOptions } from './file-reader.js';
import { fromRdbValue, type ForeignLoader } from './keyspace-adapter.js';
import type { EncodingLimits } from './types.js';

export interface LoadOptions extends RdbReadOptions {
  limits: EncodingLimits;
  /** Time used for expiry decisions and LRU clocks, ms. */
  now: number;
  /** Keep keys whose TTL already passed (replica, AOF preamble). */
  keepExpired?: boolean;
  /** Replace existing keys instead of failing (DEBUG RELOAD MERGE). */
  allowDuplicates?: boolean;
  /** Loader for value types the adapter does not build itself. */
  foreign?: ForeignLoader;
  onFunction?: (code: string) => void;
  onAux?: (key: string, value: string) => void;
}

export interface LoadStats {
  keysLoaded: number;
  keysExpired: number;
  emptyKeysSkipped: number;
  checksum: 'ok' | 'disabled' | 'not-checked' | 'absent' | 'pending';
  /** Bytes consumed so far (INFO loading_loaded_bytes). */
  loadedBytes: number;
  totalBytes: number;
}

export class RdbLoader {
  private readonly reader: RdbFileReader;
  readonly stats: LoadStats;
  private finished = false;

  constructor(buf: Buffer, private readonly dbs: readonly Database[], private readonly opts: LoadOptions) {
    this.reader = new RdbFileReader(buf, { maxDbs: dbs.length, ...opts });
    this.stats = { keysLoaded: 0, keysExpired: 0, emptyKeysSkipped: 0, checksum: 'pending', loadedBytes: 9, totalBytes: buf.length };
  }

  get done(): boolean {
    return this.finished;
  }

  /** Processes up to maxRecords records; returns true once the whole file is loaded. */
  step(maxRecords = 1000): boolean {
    const rd = this.reader;
    const o = this.opts;
    for (let i = 0; i < maxRecords && !this.finished; i++) {
      const rec = rd.next();
      this.stats.loadedBytes = rd.offset;
      if (rec === null) {
        this.finished = true;
        break;
      }
      switch (rec.kind) {
        case 'key': {
          if (!o.keepExpired && rec.expireAt !== -1 && rec.expireAt < o.now) {
            this.stats.keysExpired++;
            break;
          }
          const db = this.dbs[rec.db]!;
          const value = fromRdbValue(rec.value, rec.rdbType, o.limits, o.foreign);
          if (db.peek(rec.key) !== undefined) {
            if (!o.allowDuplicates) throw new RdbError(`RDB has duplicated key '${rec.key}' in DB ${rec.db}`);
            db.delete(rec.key);
          }
          const e = db.add(rec.key, value, rec.expireAt === -1 ? 0 : rec.expireAt);
          if (rec.lruIdle >= 0) e.atime = o.now - rec.lruIdle * 1000;
          if (rec.lfuFreq >= 0) e.freq = rec.lfuFreq;
          this.stats.keysLoaded++;
          break;
        }
        case 'empty-key':
          this.stats.emptyKeysSkipped++;
          break;
        case 'function':
          o.onFunction?.(rec.code);
          break;
        case 'aux':
          o.onAux?.(rec.key, rec.value);
          break;
        case 'module-key':
          throw new RdbError(`The RDB file contains module data I can't load: no matching module type '${rec.moduleName}'`);
        case 'eof':
          this.stats.checksum = rec.checksum;
          this.finished = true;
          break;
        default:
          break;
      }
    }
    return this.finished;
  }
}

/** Loads a whole file synchronously. */
export function loadRdbInto(buf: Buffer, dbs: readonly Database[], opts: LoadOptions): LoadStats {
  const l = new RdbLoader(buf, dbs, opts);
  while (!l.step(100000));
  return l.stats;
}

/**
 * RDB persistence (Redis 7.0, RDB version 10): public API of this folder.
 *
 * Byte-compatible with redis-server 7.0.15 both ways: files and DUMP payloads Redis
 * writes load here, ours load there (and a dataset built by plain writes re-serialises to
 * the very bytes Redis writes, LZF and CRC64 included).
 *
 * LAYERS
 *   Codec (no keyspace dependency): values in a neutral form (types.ts: RdbValue =
 *   string | {type:'list'|'set'|'hash'|'zset'|'stream', ...}).
 *     writeTypedValue / chooseRdbType / writeValueBody   value-writer.ts
 *     readValueBody                                      value-reader.ts
 *     RdbFileWriter, writeRdb                            file-writer.ts
 *     RdbFileReader, readRdb                             file-reader.ts
 *     createDumpPayload, decodeDumpPayload               dump.ts
 *     RdbSaver, saveRdbFile                              saver.ts
 *   Keyspace glue: toRdbValue / fromRdbValue / limitsFromConfig (keyspace-adapter.ts),
 *   RdbLoader / loadRdbInto (loader.ts). Snapshots live in the keyspace
 *   (keyspace/snapshot.ts); ../rdb-service.ts turns one into saver input
 *   (snapshotKeyspace).
 *
 * SAVE / BGSAVE (no fork):
 *   const limits = limitsFromConfig((n) => config.num(n));
 *   const snap = snapshotKeyspace(server.dbs);          // ../rdb-service.ts, O(1) start
 *   const saver = new RdbSaver(snap.dbs, { ...limits, compression: rdbcompression,
 *     checksum: rdbchecksum, evictionInfo: 'none' | 'lru' | 'lfu' },
 *     { usedMem, aofBase: false }, functionLibrarySources);
 *   SAVE:   while (!saver.done) write(saver.step(1e9))          (synchronous)
 *   BGSAVE: await saveRdbFile(saver, path.join(dir, dbfilename), { sliceKeys: 1000 })
 *           (temp file + fsync + rename; yields to the event loop between slices)
 *   On failure or abort call snap.release().
 *
 * LOAD AT STARTUP / DEBUG RELOAD:
 *   const loader = new RdbLoader(readFileSync(file), server.dbs, { limits, now: Date.now(),
 *     keepExpired: isReplica, allowDuplicates: merge, verifyChecksum: rdbchecksum,
 *     onFunction: (code) => functions.load(code), onAux: ... });
 *   while (!loader.step(1000)) { ...serve -LOADING... }   or   loadRdbInto(...)
 *   loader.stats: keysLoaded, keysExpired (INFO rdb_last_load_keys_*), loadedBytes.
 *   Errors are RdbError (message as Redis logs it); a bad checksum throws too.
 *
 * DUMP / RESTORE:
 *   DUMP:    createDumpPayload(toRdbValue(value), { ...limits, compression }) -> Buffer;
 *            reply with buf.toString('latin1').
 *   RESTORE: try { const { value, rdbType } = decodeDumpPayload(arg, { skipChecksum });
 *              db.add(key, fromRdbValue(value, rdbType, limits), ...) }
 *            catch (e) { if (e instanceof DumpPayloadError) e.reason === 'checksum'
 *              ? 'ERR DUMP payload version or checksum are wrong' : 'ERR Bad data format' }
 *
 * CHECKING: checkRdb(buf, name) (check.ts) and bin/tessera-check-rdb.
 *
 * Streams: the codec handles them fully (type 19, groups, PELs); the keyspace adapter
 * converts a stream class once it exposes `toRdb(): RdbStream` (or via the `foreign`
 * loader hook of fromRdbValue / LoadOptions). Module values are rejected (no modules).
 * Imports: re-exports only.
 */
export * from './constants.js';
export { RdbError } from './bytes.js';
export type * from './types.js';
export { DEFAULT_LIMITS, DEFAULT_WRITE_OPTIONS } from './types.js';
export { chooseRdbType, writeTypedValue, writeValueBody } from './value-writer.js';
export { readValueBody, isEmptyValue, type ValueReadOptions } from './value-reader.js';
export { RdbFileWriter, writeRdb, DEFAULT_FILE_OPTIONS, type RdbFileWriterOptions, type RdbHeaderInfo, type KeyMeta, type RdbDbInput } from './file-writer.js';
export { RdbFileReader, readRdb, type RdbRecord, type RdbKeyRecord, type RdbReadOptions, type RdbContents } from './file-reader.js';
export { createDumpPayload, decodeDumpPayload, verifyDumpPayload, DumpPayloadError, type RestoreOptions } from './dump.js';
export { RdbSaver, saveRdbFile, type SnapshotDb, type SnapshotEntry, type SaveFileOptions } from './saver.js';
export { toRdbValue, fromRdbValue, limitsFromConfig, type ForeignLoader } from './keyspace-adapter.js';
export { RdbLoader, loadRdbInto, type LoadOptions, type LoadStats } from './loader.js';
export { checkRdb, type CheckResult } from './check.js';

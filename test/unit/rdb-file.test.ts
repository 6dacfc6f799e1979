/**
 * RDB file framing: header and AUX fields, SELECTDB/RESIZEDB, expiry and eviction
 * opcodes, functions, EOF and checksum; the incremental saver against the one-shot
 * writer; the reader's error reports and the checker's report.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ByteWriter, RdbError } from '../../src/persistence/rdb/bytes.js';
import { checkRdb } from '../../src/persistence/rdb/check.js';
import { RDB_OPCODE_FREQ, RDB_OPCODE_FUNCTION, RDB_OPCODE_IDLE } from '../../src/persistence/rdb/constants.js';
import { RdbFileReader, readRdb } from '../../src/persistence/rdb/file-reader.js';
import { DEFAULT_FILE_OPTIONS, RdbFileWriter, writeRdb, type RdbDbInput } from '../../src/persistence/rdb/file-writer.js';
import { RdbSaver, saveRdbFile, type SnapshotDb } from '../../src/persistence/rdb/saver.js';
import type { RdbValue } from '../../src/persistence/rdb/types.js';
import { crc64 } from '../../src/util/crc64.js';

const INFO = { ctime: 1700000000, usedMem: 1000000 };
const FUNC = "#!lua name=lib\nredis.register_function('f', function() return 1 end)";

function dataset(): RdbDbInput[] {
  const keys0: Array<{ key: string; value: RdbValue; expireAt?: number }> = [
    { key: 'str', value: 'hello' },
    { key: 'num', value: '42', expireAt: 4102444800000 },
    { key: 'list', value: { type: 'list', items: ['a', 'b'] } },
    { key: 'hash', value: { type: 'hash', entries: [['f', 'v']] } },
  ];
  const many = Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'x'.repeat(i) as RdbValue }));
  return [
    { id: 0, keys: keys0 },
    { id: 1, keys: [] },
    { id: 5, keys: many },
  ];
}

describe('rdb files', () => {
  it('writes the header, AUX fields, functions, databases and checksum Redis writes', () => {
    const buf = writeRdb(dataset(), DEFAULT_FILE_OPTIONS, INFO, [FUNC]);
    expect(buf.subarray(0, 9).toString()).to.equal('REDIS0010');
    // the trailing checksum covers everything before it
    expect(buf.readBigUInt64LE(buf.length - 8)).to.equal(crc64(buf, 0, buf.length - 8));
    expect(buf[buf.length - 9]).to.equal(0xff);
    const c = readRdb(buf);
    expect([...c.aux]).to.deep.equal([
      ['redis-ver', '7.0.15'],
      ['redis-bits', '64'],
      ['ctime', '1700000000'],
      ['used-mem', '1000000'],
      ['aof-base', '0'],
    ]);
    expect(c.functions).to.deep.equal([FUNC]);
    expect(c.checksum).to.equal('ok');
    expect([...c.dbs.keys()]).to.deep.equal([0, 5]);
    expect(c.resize.get(0)).to.deep.equal({ dbSize: 4, expiresSize: 1 });
    const k0 = c.dbs.get(0)!;
    expect(k0.map((k) => [k.key, k.value, k.expireAt])).to.deep.equal([
      ['str', 'hello', -1],
      ['num', '42', 4102444800000],
      ['list', { type: 'list', items: ['a', 'b'] }, -1],
      ['hash', { type: 'hash', entries: [['f', 'v']] }, -1],
    ]);
    expect(c.dbs.get(5)!.length).to.equal(50);
  });

  it('writes a zero checksum with rdbchecksum no, and readers accept it', () => {
    const buf = writeRdb(dataset(), { ...DEFAULT_FILE_OPTIONS, checksum: false }, INFO);
    expect(buf.subarray(buf.length - 8).equals(Buffer.alloc(8))).to.equal(true);
    expect(readRdb(buf).checksum).to.equal('disabled');
  });

  it('rejects a wrong checksum unless verification is off', () => {
    const buf = writeRdb(dataset(), DEFAULT_FILE_OPTIONS, INFO);
    buf[buf.length - 1] = buf[buf.length - 1]! ^ 1;
    expect(() => readRdb(buf)).to.throw(RdbError, /Wrong RDB checksum/);
    expect(readRdb(buf, { verifyChecksum: false }).checksum).to.equal('not-checked');
  });

  it('rejects bad signatures, newer versions and truncation', () => {
    expect(() => new RdbFileReader(Buffer.from('RUBIS0010xxxx'))).to.throw(/Wrong signature/);
    expect(() => new RdbFileReader(Buffer.from('REDIS0011\xff'))).to.throw(/Can't handle RDB format version/);
    const buf = writeRdb(dataset(), DEFAULT_FILE_OPTIONS, INFO);
    expect(() => readRdb(buf.subarray(0, buf.length - 20))).to.throw(RdbError, /Unexpected EOF/);
    expect(() => readRdb(buf.subarray(0, buf.length - 4))).to.throw(RdbError, /Unexpected EOF/);
  });

  it('enforces the database count when asked', () => {
    const buf = writeRdb(dataset(), DEFAULT_FILE_OPTIONS, INFO);
    expect(() => readRdb(buf, { maxDbs: 4 })).to.throw(/more than 4 databases/);
    expect(readRdb(buf, { maxDbs: 16 }).dbs.size).to.equal(2);
  });

  it('saves IDLE or FREQ per the eviction policy family', () => {
    for (const [kind, op] of [
      ['lru', RDB_OPCODE_IDLE],
      ['lfu', RDB_OPCODE_FREQ],
    ] as const) {
      const fw = new RdbFileWriter({ ...DEFAULT_FILE_OPTIONS, evictionInfo: kind });
      fw.writeHeader(INFO);
      fw.selectDb(0, 1, 0);
      const before = fw.bytesWritten;
      fw.writeKey('k', 'v', { idleSeconds: 300, lfuFreq: 7 });
      fw.finish();
      const buf = fw.take();
      expect(buf[before]).to.equal(op);
      const rec = readRdb(buf).dbs.get(0)![0]!;
      expect(kind === 'lru' ? rec.lruIdle : rec.lfuFreq).to.equal(kind === 'lru' ? 300 : 7);
      expect(kind === 'lru' ? rec.lfuFreq : rec.lruIdle).to.equal(-1);
    }
  });

  it('converts the 7.0-rc FUNCTION opcode to library source', () => {
    const fw = new RdbFileWriter();
    fw.writeHeader(INFO);
    const head = fw.take();
    const w = new ByteWriter(64);
    w.byte(RDB_OPCODE_FUNCTION);
    for (const s of ['lib', 'LUA']) {
      w.byte(s.length);
      w.latin1(s);
    }
    w.byte(1);
    w.byte(4);
    w.latin1('desc');
    w.byte(4);
    w.latin1('code');
    w.byte(0xff);
    const body = Buffer.concat([head, w.take()]);
    const file = Buffer.concat([body, Buffer.alloc(8)]);
    expect(readRdb(file).functions).to.deep.equal(['#!LUA name=lib\ncode']);
  });

  it('produces the same bytes when driven slice by slice', () => {
    const whole = writeRdb(dataset(), DEFAULT_FILE_OPTIONS, INFO, [FUNC]);
    const dbs: SnapshotDb[] = dataset().map((d) => {
      const keys = Array.from(d.keys);
      return { id: d.id, size: keys.length, expires: keys.filter((k) => k.expireAt).length, entries: keys[Symbol.iterator]() };
    });
    const saver = new RdbSaver(dbs, DEFAULT_FILE_OPTIONS, INFO, [FUNC]);
    const chunks: Buffer[] = [];
    let steps = 0;
    while (!saver.done) {
      chunks.push(saver.step(3));
      steps++;
    }
    chunks.push(saver.step(3));
    expect(steps).to.be.greaterThan(10);
    expect(saver.keysWritten).to.equal(54);
    expect(Buffer.concat(chunks).equals(whole)).to.equal(true);
    expect(saver.bytesWritten).to.equal(whole.length);
  });

  it('saves to a file through a temp file and rename', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tessera-rdb-'));
    try {
      const target = path.join(dir, 'dump.rdb');
      const keys = Array.from({ length: 2500 }, (_, i) => ({ key: `key:${i}`, value: String(i) as RdbValue }));
      let slices = 0;
      const saver = new RdbSaver([{ id: 0, size: keys.length, expires: 0, entries: keys[Symbol.iterator]() }], DEFAULT_FILE_OPTIONS, INFO);
      const n = await saveRdbFile(saver, target, { sliceKeys: 1000, onSlice: () => slices++ });
      expect(slices).to.equal(3);
      const buf = readFileSync(target);
      expect(buf.length).to.equal(n);
      expect(readdirSync(dir)).to.deep.equal(['dump.rdb']);
      const c = readRdb(buf);
      expect(c.dbs.get(0)!.length).to.equal(2500);
      expect(c.dbs.get(0)![2499]!.value).to.equal('2499');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports like redis-check-rdb', () => {
    const buf = writeRdb(dataset(), DEFAULT_FILE_OPTIONS, INFO, [FUNC]);
    const ok = checkRdb(buf, 'dump.rdb', 4102444800001);
    expect(ok.ok).to.equal(true);
    expect(ok.lines[0]).to.equal('[offset 0] Checking RDB file dump.rdb');
    expect(ok.lines).to.include("[offset 27] AUX FIELD redis-ver = '7.0.15'");
    expect(ok.lines).to.include(`[offset ${buf.length}] Checksum OK`);
    expect(ok.lines.slice(-4)).to.deep.equal([`[offset ${buf.length}] \\o/ RDB looks OK! \\o/`, '[info] 54 keys read', '[info] 1 expires', '[info] 1 already expired']);
    const bad = Buffer.from(buf);
    const at = bad.indexOf('list') + 4 + 2; // inside the list's quicklist node listpack
    bad[at + 4] = 0x33;
    const res = checkRdb(bad, 'bad.rdb');
    expect(res.ok).to.equal(false);
    expect(res.lines).to.include('--- RDB ERROR DETECTED ---');
    expect(res.lines).to.include('[additional info] While doing: read-object-value');
    expect(res.lines).to.include("[additional info] Reading key 'list'");
    expect(res.lines).to.include('[additional info] Reading type 18 (list-quicklist-v2)');
    const crcBad = Buffer.from(buf);
    crcBad[crcBad.length - 3] = crcBad[crcBad.length - 3]! ^ 0x10;
    expect(checkRdb(crcBad, 'x').lines).to.include(`[offset ${buf.length}] RDB CRC error`);
  });
});

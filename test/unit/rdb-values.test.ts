/**
 * Value codec and DUMP payloads: every type round-trips, encodings are chosen from the
 * thresholds as Redis chooses them, and payloads captured from Redis 7.0.15 decode and
 * re-encode to the same bytes.
 */
import { expect } from 'chai';
import { ByteReader, ByteWriter } from '../../src/persistence/rdb/bytes.js';
import * as C from '../../src/persistence/rdb/constants.js';
import { DumpPayloadError, createDumpPayload, decodeDumpPayload, verifyDumpPayload } from '../../src/persistence/rdb/dump.js';
import { decodeListpack } from '../../src/persistence/rdb/listpack.js';
import { newStringSink, readBlob, readLen, readString } from '../../src/persistence/rdb/primitives.js';
import { buildStreamNodes } from '../../src/persistence/rdb/stream-codec.js';
import { DEFAULT_WRITE_OPTIONS, type RdbStream, type RdbValue, type ValueWriteOptions } from '../../src/persistence/rdb/types.js';
import { readValueBody } from '../../src/persistence/rdb/value-reader.js';
import { chooseRdbType, writeTypedValue } from '../../src/persistence/rdb/value-writer.js';

/** DUMP replies captured from redis-server 7.0.15 (hex). */
const REDIS_DUMPS: Array<[string, RdbValue, string]> = [
  ['string lzf', 'a'.repeat(25), '00c30919016161e00c000161610a00d08d67009b1b83b3'],
  ['string int', '12345', '00c139300a009d94ea2793fc08b9'],
  ['list', { type: 'list', items: ['a', '1', '-1', '300', '70000'] }, '120102171700000005008161020101dfff02c12c02f270110104ff0a000539366424d50c6b'],
  ['hash', { type: 'hash', entries: [['f', 'v'], ['n', '5']] }, '1012120000000400816602817602816e020501ff0a008490939f57b4f3c2'],
  ['intset', { type: 'set', members: ['3', '1', '2'] }, '0b0e02000000030000000100020003000a00a5025ce26d6e4d1b'],
  ['zset', { type: 'zset', entries: [['m', 1.5], ['n', 2]] }, '1114140000000400816d0283312e3504816e020201ff0a00f1b03a6d585f6938'],
];

const STREAM_DUMP =
  '130110000000000000000100000000000000011d1d0000000a0001010001010181660200010201000100018176020401ff0101010101000001000a00ff55ab626ac035db';

function id(ms: number | bigint, seq: number | bigint) {
  return { ms: BigInt(ms), seq: BigInt(seq) };
}

function roundTrip(v: RdbValue, opts: ValueWriteOptions = DEFAULT_WRITE_OPTIONS): { value: RdbValue; type: number } {
  const w = new ByteWriter(64);
  const type = writeTypedValue(w, v, opts, newStringSink(opts.compression));
  const r = new ByteReader(w.take());
  const t = r.u8();
  expect(t).to.equal(type);
  const value = readValueBody(r, t, { deep: true }) as RdbValue;
  expect(r.remaining).to.equal(0);
  return { value, type };
}

describe('rdb values', () => {
  it('re-creates the exact DUMP payloads of Redis 7.0.15', () => {
    for (const [name, value, hex] of REDIS_DUMPS) {
      expect(createDumpPayload(value).toString('hex'), name).to.equal(hex);
      const back = decodeDumpPayload(Buffer.from(hex, 'hex'));
      if (typeof value === 'string') expect(back.value, name).to.equal(value);
      else if (value.type === 'set') expect((back.value as { members: string[] }).members).to.deep.equal(['1', '2', '3']);
      else expect(back.value, name).to.deep.equal(value);
    }
  });

  it('decodes and re-creates a Redis stream payload', () => {
    const { value, rdbType } = decodeDumpPayload(Buffer.from(STREAM_DUMP, 'hex'));
    expect(rdbType).to.equal(C.RDB_TYPE_STREAM_LISTPACKS_2);
    const s = value as RdbStream;
    expect(s.entries).to.deep.equal([{ id: id(1, 1), fields: ['f', 'v'] }]);
    expect(s.lastId).to.deep.equal(id(1, 1));
    expect(s.firstId).to.deep.equal(id(1, 1));
    expect(s.entriesAdded).to.equal(1n);
    expect(s.groups).to.deep.equal([]);
    expect(createDumpPayload(s).toString('hex')).to.equal(STREAM_DUMP);
  });

  it('rejects bad checksums, newer versions and bad bodies with the right reason', () => {
    const good = Buffer.from(REDIS_DUMPS[1]![2], 'hex');
    const badCrc = Buffer.from(good);
    badCrc[badCrc.length - 1] = badCrc[badCrc.length - 1]! ^ 0xff;
    expect(() => decodeDumpPayload(badCrc)).to.throw(DumpPayloadError).with.property('reason', 'checksum');
    expect(decodeDumpPayload(badCrc, { skipChecksum: true }).value).to.equal('12345');
    const newer = Buffer.from(good);
    newer[newer.length - 10] = 11;
    expect(verifyDumpPayload(newer, true)).to.deep.equal({ ok: false, rdbVersion: 11 });
    expect(() => decodeDumpPayload(Buffer.from('abc'))).to.throw(DumpPayloadError).with.property('reason', 'checksum');
    // unknown type id with a valid footer
    const unknown = createDumpPayload('x');
    unknown[0] = 8;
    expect(() => decodeDumpPayload(unknown, { skipChecksum: true })).to.throw(DumpPayloadError).with.property('reason', 'format');
    // an empty list is not a valid payload
    const w = new ByteWriter(8);
    w.byte(C.RDB_TYPE_LIST);
    w.byte(0);
    w.u16le(10);
    w.bytes(Buffer.alloc(8));
    expect(() => decodeDumpPayload(w.take(), { skipChecksum: true })).to.throw(DumpPayloadError).with.property('reason', 'format');
    // latin1 string input works like bytes
    expect(decodeDumpPayload(good.toString('latin1')).value).to.equal('12345');
  });

  it('chooses encodings from the thresholds like Redis', () => {
    const lim = { ...DEFAULT_WRITE_OPTIONS, hashMaxListpackEntries: 2, hashMaxListpackValue: 4, zsetMaxListpackEntries: 2, zsetMaxListpackValue: 3, setMaxIntsetEntries: 3 };
    expect(chooseRdbType({ type: 'hash', entries: [['a', '1'], ['b', '2']] }, lim)).to.equal(C.RDB_TYPE_HASH_LISTPACK);
    expect(chooseRdbType({ type: 'hash', entries: [['a', '1'], ['b', '2'], ['c', '3']] }, lim)).to.equal(C.RDB_TYPE_HASH);
    expect(chooseRdbType({ type: 'hash', entries: [['a', '12345']] }, lim)).to.equal(C.RDB_TYPE_HASH);
    expect(chooseRdbType({ type: 'hash', entries: [['a', '1']], encoding: 'hashtable' }, lim)).to.equal(C.RDB_TYPE_HASH);
    expect(chooseRdbType({ type: 'zset', entries: [['abc', 1]] }, lim)).to.equal(C.RDB_TYPE_ZSET_LISTPACK);
    expect(chooseRdbType({ type: 'zset', entries: [['abcd', 1]] }, lim)).to.equal(C.RDB_TYPE_ZSET_2);
    expect(chooseRdbType({ type: 'set', members: ['1', '2', '3'] }, lim)).to.equal(C.RDB_TYPE_SET_INTSET);
    expect(chooseRdbType({ type: 'set', members: ['1', '2', '3', '4'] }, lim)).to.equal(C.RDB_TYPE_SET);
    expect(chooseRdbType({ type: 'set', members: ['1', '02'] }, lim)).to.equal(C.RDB_TYPE_SET);
    // an intset hint can't hold a non-integer
    expect(chooseRdbType({ type: 'set', members: ['a'], encoding: 'intset' }, lim)).to.equal(C.RDB_TYPE_SET);
    expect(chooseRdbType({ type: 'list', items: ['a'] }, lim)).to.equal(C.RDB_TYPE_LIST_QUICKLIST_2);
    expect(chooseRdbType('x', lim)).to.equal(C.RDB_TYPE_STRING);
  });

  it('round-trips every type in both encodings', () => {
    const bin = Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('');
    const small = { ...DEFAULT_WRITE_OPTIONS, hashMaxListpackEntries: 1, zsetMaxListpackEntries: 1, setMaxIntsetEntries: 1 };
    const values: RdbValue[] = [
      bin,
      '',
      '-9223372036854775808',
      { type: 'list', items: [bin, '', '9223372036854775807', '-1', 'x'.repeat(5000)] },
      { type: 'set', members: ['5', '-9223372036854775808', '9223372036854775807'] },
      { type: 'set', members: ['a', bin, '1'] },
      { type: 'hash', entries: [['f', bin], [bin, ''], ['n', '-12']] },
      { type: 'zset', entries: [['-inf', -Infinity], ['a', -0.5], ['b', 0], ['g', 1e-300], ['f', 0.1], ['c', 1e18], ['d', 2 ** 62], ['e', 2 ** 62 + 2 ** 10], ['h', Infinity]] },
    ];
    for (const opts of [DEFAULT_WRITE_OPTIONS, small]) {
      for (const v of values) {
        const { value } = roundTrip(v, opts);
        if (typeof v !== 'string' && v.type === 'set') expect((value as { members: string[] }).members.slice().sort()).to.deep.equal(v.members.slice().sort());
        else expect(value).to.deep.equal(v);
      }
    }
  });

  it('stores zset listpack scores as Redis does: integers up to 2^62, else %.17g', () => {
    const w = new ByteWriter(64);
    writeTypedValue(w, { type: 'zset', entries: [['a', 2 ** 62], ['b', 2 ** 63], ['c', 0.1], ['d', -0], ['e', Infinity]] }, DEFAULT_WRITE_OPTIONS, newStringSink(false));
    const r = new ByteReader(w.take());
    r.u8();
    const items = decodeListpack(readBlob(r), false);
    expect(items).to.deep.equal(['d', 0, 'c', '0.10000000000000001', 'a', 2n ** 62n, 'b', '9.2233720368547758e+18', 'e', 'inf']);
  });

  it('writes the skiplist form highest score first with binary doubles', () => {
    const w = new ByteWriter(64);
    writeTypedValue(w, { type: 'zset', entries: [['a', 1], ['b', 2]], encoding: 'skiplist' }, DEFAULT_WRITE_OPTIONS, newStringSink(false));
    expect(w.take().toString('hex')).to.equal('0502' + '0162' + '0000000000000040' + '0161' + '000000000000f03f');
  });

  it('splits lists into quicklist nodes the way RPUSH fills them', () => {
    const countNodes = (items: string[], fill: number): number[] => {
      const w = new ByteWriter(64);
      writeTypedValue(w, { type: 'list', items }, { ...DEFAULT_WRITE_OPTIONS, listMaxListpackSize: fill, compression: false }, newStringSink(false));
      const r = new ByteReader(w.take());
      r.u8();
      const n = readLen(r);
      const sizes: number[] = [];
      for (let i = 0; i < n; i++) {
        expect(readLen(r)).to.equal(C.QUICKLIST_NODE_CONTAINER_PACKED);
        sizes.push(decodeListpack(readBlob(r), true).length);
      }
      return sizes;
    };
    expect(countNodes(['a', 'b', 'c', 'd', 'e'], 2)).to.deep.equal([2, 2, 1]);
    // 8 KiB nodes: each 100-byte item costs 100 + 8 of estimate, header 7
    const hundred = Array.from({ length: 200 }, (_, i) => String(i).padStart(100, 'x'));
    const sizes = countNodes(hundred, -2);
    expect(sizes.reduce((a, b) => a + b, 0)).to.equal(200);
    expect(sizes[0]).to.equal(79);
    // a positive fill still honours the 8 KiB safety limit
    expect(countNodes(hundred, 1000)[0]).to.equal(79);
  });

  it('splits streams into nodes by entry count and bytes, sharing master fields', () => {
    const entries = Array.from({ length: 250 }, (_, i) => ({ id: id(1000 + i, 0), fields: ['field', 'v' + i] }));
    const nodes = buildStreamNodes(entries, { streamNodeMaxBytes: 0, streamNodeMaxEntries: 100 });
    expect(nodes.length).to.equal(3);
    const first = decodeListpack(nodes[0]!.lp, false);
    // count, deleted, master fields, terminator, then flags=SAMEFIELDS, deltas, value, lp-count
    expect(first.slice(0, 10)).to.deep.equal([100, 0, 1, 'field', 0, 2, 0, 0, 'v0', 4]);
    const byBytes = buildStreamNodes(entries, { streamNodeMaxBytes: 200, streamNodeMaxEntries: 0 });
    expect(byBytes.length).to.be.greaterThan(10);
    const mixed = buildStreamNodes(
      [
        { id: id(1, 5), fields: ['a', '1'] },
        { id: id(2, 0), fields: ['b', '2', 'c', '3'] },
      ],
      { streamNodeMaxBytes: 4096, streamNodeMaxEntries: 100 },
    );
    // second entry has its own fields and a seq delta that wraps below zero
    expect(decodeListpack(mixed[0]!.lp, false).slice(10)).to.deep.equal([0, 1, -5, 2, 'b', 2, 'c', 3, 8]);
  });

  it('round-trips streams with groups, PELs, 64-bit IDs and an unknown entries-read', () => {
    const s: RdbStream = {
      type: 'stream',
      entries: [
        { id: id(1, 1), fields: ['f', 'v'] },
        { id: id(1, 2n ** 64n - 1n), fields: ['f', 'w', 'g', '7'] },
        { id: id(2n ** 63n, 0), fields: ['f', ''] },
      ],
      length: 3,
      lastId: id(2n ** 63n, 0),
      firstId: id(1, 1),
      maxDeletedId: id(1, 0),
      entriesAdded: 4n,
      groups: [
        {
          name: 'zgroup',
          lastId: id(1, 2),
          entriesRead: -1n,
          pel: [{ id: id(1, 1), deliveryTime: 1700000000123, deliveryCount: 3 }],
          consumers: [{ name: 'alice', seenTime: 1700000000456, pel: [id(1, 1)] }],
        },
        { name: 'agroup', lastId: id(0, 0), entriesRead: 0n, pel: [], consumers: [{ name: 'idle', seenTime: 5, pel: [] }] },
      ],
    };
    const { value } = roundTrip(s);
    const back = value as RdbStream;
    expect(back.entries).to.deep.equal(s.entries);
    expect(back.groups.map((g) => g.name)).to.deep.equal(['agroup', 'zgroup']);
    expect(back.groups[1]).to.deep.equal(s.groups[0]);
    expect({ ...back, groups: [] }).to.deep.equal({ ...s, groups: [] });
  });

  it('decodes the pre-7.0 forms Redis still loads', () => {
    const sink = newStringSink(false);
    // RDB_TYPE_ZSET (v1): textual doubles, highest first
    const w = new ByteWriter(32);
    w.byte(2);
    for (const [m, d] of [['b', '2.5'], ['a', '-1']] as const) {
      w.byte(1);
      w.latin1(m);
      w.byte(d.length);
      w.latin1(d);
    }
    expect(readValueBody(new ByteReader(w.take()), C.RDB_TYPE_ZSET)).to.deep.equal({ type: 'zset', entries: [['a', -1], ['b', 2.5]] });
    // RDB_TYPE_LIST: plain strings
    const l = new ByteWriter(8);
    l.latin1('\x02\x01x\xc0\x05');
    expect(readValueBody(new ByteReader(l.take()), C.RDB_TYPE_LIST)).to.deep.equal({ type: 'list', items: ['x', '5'] });
    void sink;
  });

  it('rejects duplicates and NaN scores where Redis does', () => {
    const dupSet = Buffer.from('020161' + '0161', 'hex');
    expect(() => readValueBody(new ByteReader(dupSet), C.RDB_TYPE_SET)).to.throw(/Duplicate set members/);
    const nan = new ByteWriter(16);
    nan.byte(1);
    nan.byte(1);
    nan.latin1('a');
    nan.doubleLE(NaN);
    expect(() => readValueBody(new ByteReader(nan.take()), C.RDB_TYPE_ZSET_2)).to.throw(/NAN/);
    const modW = new ByteWriter(8);
    modW.byte(0x80);
    modW.u32be(12345 << 10);
    expect(() => readValueBody(new ByteReader(modW.take()), C.RDB_TYPE_MODULE_2)).to.throw(/module data I can't load/);
    expect(readString(new ByteReader(Buffer.from('0161', 'hex')))).to.equal('a');
  });
});

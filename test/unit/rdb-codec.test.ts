/**
 * RDB building blocks: length and string encodings, listpacks, intsets, and the legacy
 * ziplist / zipmap decoders, checked against hand-built vectors and Redis's documented
 * examples.
 */
import { expect } from 'chai';
import { ByteReader, ByteWriter, RdbError } from '../../src/persistence/rdb/bytes.js';
import { decodeIntset, encodeIntset, parseSetInt } from '../../src/persistence/rdb/intset.js';
import { decodeZiplist, decodeZipmap } from '../../src/persistence/rdb/legacy.js';
import { ListpackBuilder, decodeListpack, encodeListpack, lpEntrySize, lpStringToInt } from '../../src/persistence/rdb/listpack.js';
import {
  newStringSink,
  readBlob,
  readLen,
  readLenBig,
  readString,
  skipString,
  writeLen,
  writeString,
} from '../../src/persistence/rdb/primitives.js';

function hexOf(fn: (w: ByteWriter) => void): string {
  const w = new ByteWriter(8);
  fn(w);
  return w.take().toString('hex');
}

function reader(hex: string): ByteReader {
  return new ByteReader(Buffer.from(hex, 'hex'));
}

describe('rdb primitives', () => {
  it('encodes lengths in 6, 14, 32 and 64 bits', () => {
    expect(hexOf((w) => writeLen(w, 0))).to.equal('00');
    expect(hexOf((w) => writeLen(w, 63))).to.equal('3f');
    expect(hexOf((w) => writeLen(w, 64))).to.equal('4040');
    expect(hexOf((w) => writeLen(w, 16383))).to.equal('7fff');
    expect(hexOf((w) => writeLen(w, 16384))).to.equal('8000004000');
    expect(hexOf((w) => writeLen(w, 0xffffffff))).to.equal('80ffffffff');
    expect(hexOf((w) => writeLen(w, 0x100000000))).to.equal('810000000100000000');
    expect(hexOf((w) => writeLen(w, -1n))).to.equal('81ffffffffffffffff');
    for (const n of [0, 1, 63, 64, 300, 16383, 16384, 1e6, 2 ** 32 - 1, 2 ** 32, 2 ** 40]) {
      const w = new ByteWriter(4);
      writeLen(w, n);
      expect(readLen(new ByteReader(w.take()))).to.equal(n);
    }
    expect(readLenBig(reader('81ffffffffffffffff'))).to.equal(2n ** 64n - 1n);
    expect(() => readLen(reader('81ffffffffffffffff'))).to.throw(RdbError);
    expect(() => readLen(reader('82'))).to.throw(RdbError, /Unknown length encoding/);
  });

  it('integer-encodes canonical int32 strings of up to 11 bytes', () => {
    const sink = newStringSink(true);
    expect(hexOf((w) => writeString(w, '0', sink))).to.equal('c000');
    expect(hexOf((w) => writeString(w, '-128', sink))).to.equal('c080');
    expect(hexOf((w) => writeString(w, '12345', sink))).to.equal('c13930');
    expect(hexOf((w) => writeString(w, '-2147483648', sink))).to.equal('c200000080');
    // not canonical or out of int32 range: stored verbatim
    expect(hexOf((w) => writeString(w, '007', sink))).to.equal('03303037');
    expect(hexOf((w) => writeString(w, '+1', sink))).to.equal('022b31');
    expect(hexOf((w) => writeString(w, '2147483648', sink))).to.equal('0a32313437343833363438');
    expect(hexOf((w) => writeString(w, '', sink))).to.equal('00');
    expect(readString(reader('c080'))).to.equal('-128');
    expect(readString(reader('c200000080'))).to.equal('-2147483648');
    expect(readString(reader('c1ffff'))).to.equal('-1');
  });

  it('LZF-compresses only above 20 bytes, only when enabled, only when it pays', () => {
    const on = newStringSink(true);
    const off = newStringSink(false);
    expect(hexOf((w) => writeString(w, 'a'.repeat(25), on))).to.equal('c30919016161e00c00016161');
    expect(hexOf((w) => writeString(w, 'a'.repeat(20), on))).to.equal('14' + '61'.repeat(20));
    expect(hexOf((w) => writeString(w, 'a'.repeat(25), off))).to.equal('19' + '61'.repeat(25));
    const noise = Array.from({ length: 40 }, (_, i) => String.fromCharCode((i * 97 + 13) & 0xff)).join('');
    expect(hexOf((w) => writeString(w, noise, on))).to.equal('28' + Buffer.from(noise, 'latin1').toString('hex'));
    const big = 'xyz'.repeat(5000);
    const w = new ByteWriter(16);
    writeString(w, big, on);
    const bytes = w.take();
    expect(bytes.length).to.be.lessThan(500);
    expect(readString(new ByteReader(bytes))).to.equal(big);
    const r = new ByteReader(bytes);
    skipString(r);
    expect(r.remaining).to.equal(0);
  });

  it('keeps binary strings intact', () => {
    let s = '';
    for (let i = 0; i < 256; i++) s += String.fromCharCode(i);
    const w = new ByteWriter(4);
    writeString(w, s, newStringSink(true));
    expect(readString(new ByteReader(w.take()))).to.equal(s);
  });

  it('reads integer-encoded blobs as their decimal text', () => {
    expect(readBlob(reader('c13930')).toString()).to.equal('12345');
  });

  it('reports truncation as an EOF error', () => {
    expect(() => readString(reader('05616263'))).to.throw(RdbError, /Unexpected EOF/);
    expect(() => readString(reader('c3'))).to.throw(RdbError);
    // LZF payload that decodes to a different length
    expect(() => readString(reader('c302050061'))).to.throw(RdbError, /Invalid LZF/);
  });
});

describe('listpack', () => {
  it('encodes every integer width and string width like lpAppend', () => {
    const cases: Array<[string, string]> = [
      ['0', '0001'],
      ['127', '7f01'],
      ['128', 'c08002'],
      ['-1', 'dfff02'],
      ['-4096', 'd00002'],
      ['4095', 'cfff02'],
      ['4096', 'f1001003'],
      ['-32768', 'f1008003'],
      ['32768', 'f200800004'],
      ['-8388608', 'f200008004'],
      ['8388608', 'f30000800005'],
      ['2147483647', 'f3ffffff7f05'],
      ['2147483648', 'f4000000800000000009'],
      ['9223372036854775807', 'f4ffffffffffffff7f09'],
      ['-9223372036854775808', 'f4000000000000008009'],
      ['a', '816102'],
      ['01', '82303103'],
      ['9223372036854775808', '93' + Buffer.from('9223372036854775808').toString('hex') + '14'],
    ];
    for (const [s, entryHex] of cases) {
      const lp = encodeListpack([s]);
      const total = (7 + entryHex.length / 2).toString(16).padStart(2, '0');
      expect(lp.toString('hex'), s).to.equal(`${total}0000000100${entryHex}ff`);
      expect(decodeListpack(lp, true)).to.deep.equal([s]);
      expect(lpEntrySize(s)).to.equal(entryHex.length / 2);
    }
  });

  it('uses 12-bit and 32-bit string headers and multi-byte backlens', () => {
    for (const len of [63, 64, 126, 127, 4095, 4096, 20000]) {
      const s = 'q'.repeat(len);
      const lp = encodeListpack([s, 'x', s]);
      expect(decodeListpack(lp, true)).to.deep.equal([s, 'x', s]);
      expect(lpEntrySize(s)).to.equal((lp.length - 7 - 3) / 2);
    }
    const lp = encodeListpack(['q'.repeat(64)]);
    expect(lp.subarray(6, 8).toString('hex')).to.equal('e040');
    // 66-byte entry: backlen fits in one byte; 200-byte string needs two
    expect(lp[lp.length - 2]).to.equal(66);
    const lp2 = encodeListpack(['q'.repeat(200)]);
    expect(lp2.subarray(lp2.length - 3, lp2.length - 1).toString('hex')).to.equal('01ca');
  });

  it('saturates the element count at 65535 and still decodes', () => {
    const items = Array.from({ length: 70000 }, (_, i) => String(i % 100));
    const lp = encodeListpack(items);
    expect(lp.readUInt16LE(4)).to.equal(65535);
    expect(decodeListpack(lp, true)).to.deep.equal(items);
  });

  it('returns raw integers when asked', () => {
    const b = new ListpackBuilder();
    b.appendInt(5);
    b.appendInt(2n ** 62n);
    b.append('x');
    expect(decodeListpack(b.finish(), false)).to.deep.equal([5, 2n ** 62n, 'x']);
  });

  it('rejects corrupted listpacks', () => {
    const lp = encodeListpack(['hello', '123']);
    const badTotal = Buffer.from(lp);
    badTotal[0] = badTotal[0]! + 1;
    expect(() => decodeListpack(badTotal, true)).to.throw(RdbError);
    const badBacklen = Buffer.from(lp);
    badBacklen[6 + 6] = 9;
    expect(() => decodeListpack(badBacklen, true)).to.throw(RdbError);
    const badCount = Buffer.from(lp);
    badCount[4] = 3;
    expect(() => decodeListpack(badCount, true)).to.throw(RdbError);
    const noEof = Buffer.from(lp);
    noEof[noEof.length - 1] = 0;
    expect(() => decodeListpack(noEof, true)).to.throw(RdbError);
  });

  it('recognises int64 text exactly as lpStringToInt64', () => {
    expect(lpStringToInt('12')).to.equal(12);
    expect(lpStringToInt('-0')).to.equal(null);
    expect(lpStringToInt('')).to.equal(null);
    expect(lpStringToInt(' 1')).to.equal(null);
    expect(lpStringToInt('9223372036854775808')).to.equal(null);
    expect(lpStringToInt('-9223372036854775808')).to.equal(-9223372036854775808n);
  });
});

describe('intset', () => {
  it('picks the narrowest width and sorts', () => {
    expect(encodeIntset([3n, 1n, 2n]).toString('hex')).to.equal('0200000003000000010002000300');
    expect(encodeIntset([70000n, -1n]).readUInt32LE(0)).to.equal(4);
    expect(encodeIntset([2n ** 40n]).readUInt32LE(0)).to.equal(8);
    const vals = [-(2n ** 63n), 0n, 2n ** 63n - 1n];
    expect(decodeIntset(encodeIntset(vals))).to.deep.equal(vals.map(String));
  });

  it('rejects unsorted, empty and mis-sized intsets', () => {
    expect(() => decodeIntset(Buffer.from('0200000002000000020001 00'.replace(/ /g, ''), 'hex'))).to.throw(RdbError);
    expect(() => decodeIntset(Buffer.from('0200000000000000', 'hex'))).to.throw(RdbError);
    expect(() => decodeIntset(Buffer.from('030000000100000001000000', 'hex'))).to.throw(RdbError);
    expect(() => decodeIntset(Buffer.from('02000000020000000100', 'hex'))).to.throw(RdbError);
  });

  it('accepts only canonical int64 members', () => {
    expect(parseSetInt('-5')).to.equal(-5n);
    expect(parseSetInt('05')).to.equal(null);
    expect(parseSetInt('9223372036854775808')).to.equal(null);
  });
});

describe('legacy containers', () => {
  it('decodes the ziplist example from ziplist.c and every integer form', () => {
    expect(decodeZiplist(Buffer.from('0f0000000c0000000200' + '00f3' + '02f6' + 'ff', 'hex'))).to.deep.equal(['2', '5']);
    // "Hello World", int8 -2, int16 300, int24 -70000, int32, int64
    const entries = [
      '000b' + Buffer.from('Hello World').toString('hex'),
      '0dfefe',
      '03c02c01',
      '04f0' + Buffer.from([0x90, 0xee, 0xfe]).toString('hex'),
      '05d0' + '00000080',
      '06e0' + '0000000000000080',
    ];
    let body = '';
    const offsets: number[] = [];
    for (const e of entries) {
      offsets.push(10 + body.length / 2);
      body += e;
    }
    const total = 10 + body.length / 2 + 1;
    const hdr = Buffer.alloc(10);
    hdr.writeUInt32LE(total, 0);
    hdr.writeUInt32LE(offsets[offsets.length - 1]!, 4);
    hdr.writeUInt16LE(entries.length, 8);
    const zl = Buffer.concat([hdr, Buffer.from(body, 'hex'), Buffer.from([0xff])]);
    expect(decodeZiplist(zl)).to.deep.equal(['Hello World', '-2', '300', '-70000', '-2147483648', '-9223372036854775808']);
    const broken = Buffer.from(zl);
    broken[10 + 13] = 7; // wrong prevlen of the second entry
    expect(() => decodeZiplist(broken)).to.throw(RdbError);
  });

  it('decodes the zipmap example from zipmap.c, skipping free bytes', () => {
    const zm = Buffer.from('\x02\x03foo\x03\x00bar\x05hello\x05\x02world!!\xff', 'latin1');
    expect(decodeZipmap(zm)).to.deep.equal([
      ['foo', 'bar'],
      ['hello', 'world'],
    ]);
    expect(() => decodeZipmap(Buffer.from('\x01\x03foo', 'latin1'))).to.throw(RdbError);
  });
});

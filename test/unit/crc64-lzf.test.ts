/**
 * CRC64 (Jones) and LZF against Redis's own test vectors and bytes captured from
 * Redis 7.0.15, plus round trips and malformed-input handling.
 */
import { expect } from 'chai';
import { Crc64, crc64 } from '../../src/util/crc64.js';
import { LzfCompressor, LzfError, lzfCompress, lzfDecompress } from '../../src/util/lzf.js';

const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna ' +
  'aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis ' +
  'aute irure dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint ' +
  'occaecat cupidatat non proident, sunt in culpa qui officia deserunt mollit anim id est laborum.';

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s >>> 16;
  };
}

describe('crc64 (Redis Jones variant)', () => {
  it('matches the vectors from Redis crc64.c', () => {
    expect(crc64(Buffer.from('123456789')).toString(16)).to.equal('e9c6d914c4b8d9ca');
    // Redis hashes sizeof(li), which includes the terminating NUL
    expect(crc64(Buffer.from(LOREM + '\0')).toString(16)).to.equal('c7794709e69683b3');
    expect(crc64(Buffer.alloc(0))).to.equal(0n);
  });

  it('gives the same value fed in arbitrary chunks as in one go', () => {
    const next = rand(7);
    const data = Buffer.alloc(1000);
    for (let i = 0; i < data.length; i++) data[i] = next() & 0xff;
    const whole = crc64(data);
    for (const step of [1, 3, 7, 8, 9, 64, 333]) {
      const c = new Crc64();
      for (let i = 0; i < data.length; i += step) c.update(data, i, Math.min(data.length, i + step));
      expect(c.value(), `step ${step}`).to.equal(whole);
    }
  });

  it('stores little endian and compares in place', () => {
    const c = new Crc64().update(Buffer.from('123456789'));
    expect(c.bytes().toString('hex')).to.equal('cad9b8c414d9c6e9');
    const buf = Buffer.concat([Buffer.from('xx'), c.bytes()]);
    expect(c.matches(buf, 2)).to.equal(true);
    buf[9] = buf[9]! ^ 1;
    expect(c.matches(buf, 2)).to.equal(false);
  });
});

describe('lzf', () => {
  it('produces the bytes Redis 7.0.15 produced for 25 x "a"', () => {
    // From DUMP of SET a25 aaaaaaaaaaaaaaaaaaaaaaaaa: c3 09 19 <9 bytes>
    const out = lzfCompress(Buffer.from('a'.repeat(25)), 21);
    expect(Buffer.from(out!).toString('hex')).to.equal('016161e00c00016161');
  });

  it('round-trips repetitive, random and short inputs', () => {
    const c = new LzfCompressor();
    const next = rand(42);
    const samples: Buffer[] = [
      Buffer.from('abc'.repeat(1000)),
      Buffer.from(LOREM.repeat(5)),
      Buffer.from('x'.repeat(70000)),
      Buffer.from('aab'),
    ];
    const noisy = Buffer.alloc(5000);
    for (let i = 0; i < noisy.length; i++) noisy[i] = next() % 4 === 0 ? next() & 0xff : 65 + (i % 7);
    samples.push(noisy);
    for (const s of samples) {
      const packed = c.compress(s, 0, s.length, s.length + 64);
      expect(packed, `len ${s.length}`).to.not.equal(null);
      expect(lzfDecompress(packed!, s.length).equals(s)).to.equal(true);
    }
  });

  it('gives up when the output would not fit', () => {
    const next = rand(3);
    const noise = Buffer.alloc(100);
    for (let i = 0; i < noise.length; i++) noise[i] = next() & 0xff;
    expect(lzfCompress(noise, noise.length - 4)).to.equal(null);
    expect(lzfCompress(Buffer.alloc(0), 10)).to.equal(null);
  });

  it('compresses a slice of a larger buffer identically to a copy', () => {
    const c = new LzfCompressor();
    const big = Buffer.from('zz' + 'hello world '.repeat(20) + 'zz');
    const a = c.compress(big, 2, big.length - 2, 500)!;
    const b = c.compress(Buffer.from('hello world '.repeat(20)), 0, 240, 500)!;
    expect(Buffer.from(a).equals(Buffer.from(b))).to.equal(true);
  });

  it('rejects malformed streams', () => {
    // back reference before the start of the output
    expect(() => lzfDecompress(Buffer.from([0x20, 0x05]), 4)).to.throw(LzfError);
    // literal run longer than the input
    expect(() => lzfDecompress(Buffer.from([0x05, 0x41]), 6)).to.throw(LzfError);
    // output longer than announced
    expect(() => lzfDecompress(Buffer.from([0x01, 0x41, 0x42]), 1)).to.throw(LzfError);
    // shorter than announced
    expect(() => lzfDecompress(Buffer.from([0x00, 0x41]), 2)).to.throw(LzfError);
  });
});

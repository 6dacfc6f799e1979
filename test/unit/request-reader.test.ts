/**
 * The request reader on its own: framing, inline commands, limits, exact protocol
 * error reasons, and a fuzz pass with random and truncated bytes.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { RequestReader } from '../../src/protocol/request-reader.js';
import { ProtocolError, QueryBufferLimitError } from '../../src/protocol/errors.js';
import { splitArgs } from '../../src/protocol/split-args.js';

const LIMITS = { protoMaxBulkLen: 512 * 1024 * 1024, queryBufferLimit: 1024 * 1024 * 1024 };

function readAll(r: RequestReader): string[][] {
  const out: string[][] = [];
  for (;;) {
    const a = r.next();
    if (a === null) return out;
    out.push(a);
  }
}

function errorOf(bytes: string): string {
  const r = new RequestReader(LIMITS);
  r.feed(Buffer.from(bytes, 'latin1'));
  try {
    readAll(r);
  } catch (e) {
    if (e instanceof ProtocolError) return e.message;
    throw e;
  }
  return 'no error';
}

describe('request reader', () => {
  it('frames multibulk commands, several per chunk', () => {
    const r = new RequestReader(LIMITS);
    r.feed(Buffer.from('*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n'));
    expect(readAll(r)).to.deep.equal([['PING'], ['GET', 'k']]);
  });

  it('resumes a command split at every possible byte', () => {
    const wire = Buffer.from('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nva\r\nl\r\nPING\r\n');
    for (let cut = 1; cut < wire.length; cut++) {
      const r = new RequestReader(LIMITS);
      r.feed(wire.subarray(0, cut));
      const got = readAll(r);
      r.feed(wire.subarray(cut));
      got.push(...readAll(r));
      expect(got, `cut at ${cut}`).to.deep.equal([['SET', 'key', 'va\r\nl'], ['PING']]);
    }
  });

  it('keeps binary bytes intact as latin1 code units', () => {
    const r = new RequestReader(LIMITS);
    const val = Buffer.from([0, 255, 128, 13, 10]);
    r.feed(Buffer.concat([Buffer.from('*2\r\n$4\r\nECHO\r\n$5\r\n'), val, Buffer.from('\r\n')]));
    const [argv] = readAll(r);
    expect(Buffer.from(argv![1]!, 'latin1').equals(val)).to.equal(true);
  });

  it('parses inline commands with Redis quoting and skips empty lines', () => {
    const r = new RequestReader(LIMITS);
    r.feed(Buffer.from('\r\nSET "a b" \'c\\\'d\' "\\x41\\n"\r\nPING\n'));
    expect(readAll(r)).to.deep.equal([['SET', 'a b', "c'd", 'A\n'], ['PING']]);
  });

  it('assembles a large bulk argument delivered in many chunks', () => {
    const r = new RequestReader(LIMITS);
    const size = 3 * 1024 * 1024;
    r.feed(Buffer.from(`*2\r\n$3\r\nSET\r\n$${size}\r\n`));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    while (sent < size) {
      const n = Math.min(chunk.length, size - sent);
      r.feed(chunk.subarray(0, n));
      sent += n;
      if (sent < size) expect(r.next()).to.equal(null);
    }
    r.feed(Buffer.from('\r\n'));
    const [argv] = readAll(r);
    expect(argv![1]!.length).to.equal(size);
  });

  it('reports Redis protocol errors with their exact reasons', () => {
    expect(errorOf('*1\r\n:5\r\n')).to.equal("Protocol error: expected '$', got ':'");
    expect(errorOf('*abc\r\n')).to.equal('Protocol error: invalid multibulk length');
    expect(errorOf('*3000000000\r\n')).to.equal('Protocol error: invalid multibulk length');
    expect(errorOf('*1\r\n$-5\r\n')).to.equal('Protocol error: invalid bulk length');
    expect(errorOf('*1\r\n$x\r\n')).to.equal('Protocol error: invalid bulk length');
    expect(errorOf('SET "a\r\n')).to.equal('Protocol error: unbalanced quotes in request');
    expect(errorOf('x'.repeat(70 * 1024))).to.equal('Protocol error: too big inline request');
    expect(errorOf('*1\r\n$' + '1'.repeat(70 * 1024))).to.equal('Protocol error: too big bulk count string');
  });

  it('enforces proto-max-bulk-len and the query buffer limit', () => {
    const r = new RequestReader({ protoMaxBulkLen: 10, queryBufferLimit: 1 << 30 });
    r.feed(Buffer.from('*1\r\n$11\r\n'));
    expect(() => readAll(r)).to.throw(ProtocolError, 'invalid bulk length');
    const q = new RequestReader({ protoMaxBulkLen: 1 << 30, queryBufferLimit: 1000 });
    expect(() => q.feed(Buffer.from('*1\r\n$5000\r\n' + 'x'.repeat(2000)))).to.throw(QueryBufferLimitError);
  });

  it('applies the unauthenticated limits', () => {
    const r = new RequestReader(LIMITS);
    r.authRequired = true;
    r.feed(Buffer.from('*11\r\n'));
    expect(() => readAll(r)).to.throw(ProtocolError, 'unauthenticated multibulk length');
  });

  it('never throws anything but protocol errors on random or truncated input', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const r = new RequestReader({ protoMaxBulkLen: 1 << 20, queryBufferLimit: 1 << 20 });
        try {
          for (const c of chunks) {
            r.feed(Buffer.from(c));
            readAll(r);
          }
        } catch (e) {
          if (!(e instanceof ProtocolError) && !(e instanceof QueryBufferLimitError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips valid multibulk commands split at random points', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ unit: 'binary-ascii', maxLength: 20 }), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (cmds, cuts) => {
          let wire = '';
          for (const c of cmds) {
            wire += `*${c.length}\r\n`;
            for (const a of c) wire += `$${a.length}\r\n${a}\r\n`;
          }
          const bytes = Buffer.from(wire, 'latin1');
          const points = [...new Set(cuts.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b);
          const r = new RequestReader(LIMITS);
          const got: string[][] = [];
          let prev = 0;
          for (const p of [...points, bytes.length]) {
            r.feed(bytes.subarray(prev, p));
            got.push(...readAll(r));
            prev = p;
          }
          expect(got).to.deep.equal(cmds);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('splitArgs follows sdssplitargs', () => {
    expect(splitArgs('a  b\tc')).to.deep.equal(['a', 'b', 'c']);
    expect(splitArgs('"a"b')).to.equal(null);
    expect(splitArgs("'abc")).to.equal(null);
    expect(splitArgs('"\\x4g"')).to.deep.equal(['x4g']);
    expect(splitArgs('""')).to.deep.equal(['']);
  });
});

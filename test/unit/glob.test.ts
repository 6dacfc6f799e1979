/**
 * globMatch against Redis 7.0.15's stringmatchlen. Expected results were observed with
 * KEYS on a real redis-server 7.0.15 (one key at a time) and are hard-coded here.
 */
import { expect } from 'chai';
import { globMatch } from '../../src/util/glob.js';

// [pattern, subject, matches] as real Redis answered.
const OBSERVED: Array<[string, string, boolean]> = [
  ['*', 'anything', true], ['a*', 'a', true], ['a*', 'ba', false], ['*a', 'bca', true],
  ['a?c', 'abc', true], ['a?c', 'ac', false], ['??', 'a', false],
  ['h[ae]llo', 'hello', true], ['h[ae]llo', 'hillo', false], ['h[^e]llo', 'hallo', true],
  ['h[^e]llo', 'hello', false], ['h[a-b]llo', 'hbllo', true], ['h[b-a]llo', 'hallo', true],
  ['h\\*llo', 'h*llo', true], ['h\\*llo', 'hello', false], ['[\\]]', ']', true], ['[]]', ']', false],
  ['[a-]', '-', false], ['[a-]', 'a', true], ['[a-]', ']', true], ['[a', 'a', true], ['[a', '[', false],
  ['ab\\', 'ab\\', true], ['[\\-]', '-', true], ['[!a]', '!', true], ['*[*', 'a[', false],
  ['a**b', 'ab', true], ['a**', 'a', true], ['*?*', 'x', true], ['[^]a', 'a', false], ['[^]a', 'xa', true],
  ['[]', 'x', false], ['[', 'x', false], ['\\', '\\', true], ['a\\', 'a\\', true], ['[z-a]', 'm', true],
  ['[A-z]', '_', true], ['*b*b*b', 'bbb', true], ['*b*b*b', 'bbbc', false], ['a*b?c', 'aXbYc', true],
  ['a*b?c', 'abc', false], ['\\a', 'a', true],
  // Bytes >= 0x80 are signed chars in ranges: [a-\xff] is the range -1..97.
  ['[a-\xff]', 'A', true], ['[a-\xff]', '\xff', true], ['[a-\xff]', 'b', false], ['[a-\xff]', '\xfe', false],
];

describe('globMatch (Redis stringmatchlen)', () => {
  for (const [pattern, subject, want] of OBSERVED) {
    it(`${JSON.stringify(pattern)} vs ${JSON.stringify(subject)} -> ${want}`, () => {
      expect(globMatch(pattern, subject)).to.equal(want);
    });
  }

  it('never matches an empty subject unless the pattern is empty too', () => {
    // stringmatchlen does not enter its loop for an empty subject; KEYS special-cases "*".
    expect(globMatch('*', '')).to.equal(false);
    expect(globMatch('?', '')).to.equal(false);
    expect(globMatch('', '')).to.equal(true);
    expect(globMatch('', 'a')).to.equal(false);
  });

  it('folds only ASCII letters when nocase is set', () => {
    expect(globMatch('MAXMEMORY-*', 'maxmemory-policy', true)).to.equal(true);
    expect(globMatch('MAXMEMORY-*', 'maxmemory-policy', false)).to.equal(false);
    expect(globMatch('[M]axmemory-p?licy', 'maxmemory-policy', true)).to.equal(true);
    expect(globMatch('maxmemory-[^a-o]*', 'maxmemory-policy', true)).to.equal(true);
    expect(globMatch('maxmemory-[^a-o]*', 'maxmemory-clients', true)).to.equal(false);
    expect(globMatch('[A-C]x', 'bx', true)).to.equal(true);
    expect(globMatch('\xc0', '\xe0', true)).to.equal(false);
  });

  it('escaped characters inside a class compare case-sensitively even with nocase', () => {
    expect(globMatch('[\\A]', 'a', true)).to.equal(false);
    expect(globMatch('[\\A]', 'A', true)).to.equal(true);
  });

  it('treats an unterminated class as ending at the pattern end', () => {
    expect(globMatch('x[ab', 'xb')).to.equal(true);
    expect(globMatch('x[ab', 'xc')).to.equal(false);
  });

  it('gives up quickly on pathological star patterns (skipLongerMatches)', () => {
    const pattern = 'a*'.repeat(200) + 'b';
    const subject = 'a'.repeat(5000);
    const t0 = Date.now();
    expect(globMatch(pattern, subject)).to.equal(false);
    expect(globMatch(pattern, subject + 'b')).to.equal(true);
    expect(Date.now() - t0).to.be.below(1000);
  });

  it('handles patterns far deeper than the JS stack would allow recursively', () => {
    const pattern = '*a'.repeat(100000);
    expect(globMatch(pattern, 'a'.repeat(100000))).to.equal(true);
    expect(globMatch(pattern, 'a'.repeat(99999))).to.equal(false);
  });
});

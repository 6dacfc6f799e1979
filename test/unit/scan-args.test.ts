import { expect } from 'chai';
import { parseScanCursor } from '../../src/commands/scan-args.js';

describe('SCAN cursor parsing', () => {
  it('follows strtoul on a C string', () => {
    expect(parseScanCursor('0')).to.equal(0);
    expect(parseScanCursor('')).to.equal(0);
    expect(parseScanCursor('17')).to.equal(17);
    expect(parseScanCursor('abc')).to.equal(null);
    expect(parseScanCursor(' 1')).to.equal(null);
    // Regression (differential tester, HSCAN k0 "\x00"): a NUL ends the string, so it reads as 0.
    expect(parseScanCursor('\x00')).to.equal(0);
    expect(parseScanCursor('5\x00zz')).to.equal(5);
  });
});

import { expect } from 'chai';
import { formatG17, formatDouble, parseDouble, parseInteger, isInt64String } from '../../src/util/numbers.js';

describe('numbers', () => {
  it('accepts only canonical int64 strings', () => {
    for (const ok of ['0', '-1', '9223372036854775807', '-9223372036854775808', '42']) expect(isInt64String(ok), ok).to.equal(true);
    for (const bad of ['', '-', '01', '-0', '+1', ' 1', '1 ', '9223372036854775808', '-9223372036854775809', '1.0', '0x10']) {
      expect(isInt64String(bad), bad).to.equal(false);
    }
    expect(parseInteger('-17')).to.equal(-17);
    expect(parseInteger('abc')).to.equal(null);
  });

  it('formats doubles like printf %.17g', () => {
    expect(formatG17(1.1)).to.equal('1.1000000000000001');
    expect(formatG17(3)).to.equal('3');
    expect(formatG17(0.1)).to.equal('0.10000000000000001');
    expect(formatG17(1e20)).to.equal('1e+20');
    expect(formatG17(1.5e-7)).to.equal('1.4999999999999999e-07');
    expect(formatG17(123456789012345680)).to.equal('1.2345678901234568e+17');
    expect(formatG17(-0)).to.equal('-0');
    expect(formatG17(Infinity)).to.equal('inf');
    expect(formatG17(-Infinity)).to.equal('-inf');
    expect(formatG17(0.0001)).to.equal('0.0001');
    expect(formatDouble(5)).to.equal('5');
  });

  it('parses doubles as strtod does, rejecting NaN and spaces', () => {
    expect(parseDouble('1.5')).to.equal(1.5);
    expect(parseDouble('-inf')).to.equal(-Infinity);
    expect(parseDouble('+inf')).to.equal(Infinity);
    expect(parseDouble('1e3')).to.equal(1000);
    expect(parseDouble('.5')).to.equal(0.5);
    expect(parseDouble('5.')).to.equal(5);
    expect(parseDouble('nan')).to.equal(null);
    expect(parseDouble(' 1')).to.equal(null);
    expect(parseDouble('1 ')).to.equal(null);
    expect(parseDouble('abc')).to.equal(null);
    expect(parseDouble('')).to.equal(null);
    expect(parseDouble('0x10')).to.equal(16);
    // ERANGE: overflow and underflow are refused, as Redis's strtod check does (regression)
    expect(parseDouble('1e400')).to.equal(null);
    expect(parseDouble('-1e400')).to.equal(null);
    expect(parseDouble('1e-400')).to.equal(null);
    expect(parseDouble('0e10')).to.equal(0);
    expect(parseDouble('0.000')).to.equal(0);
  });
});

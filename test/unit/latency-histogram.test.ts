/**
 * The per-command latency histogram must bucket, rank and print exactly like the HDR
 * histogram Redis 7.0 keeps (1 ns .. 1 s, 2 significant digits): LATENCY HISTOGRAM and
 * INFO latencystats show its numbers. The expected values below were produced by Redis's
 * own hdr_histogram.c (deps/hdr_histogram of 7.0.15) fed the same inputs.
 */
import { expect } from 'chai';
import { LatencyHistogram } from '../../src/engine/latency-histogram.js';

const PERCENTILES = [0, 0.5, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99, 100];

function describeHistogram(values: number[]): string {
  const h = new LatencyHistogram();
  for (const v of values) h.record(v);
  const parts = PERCENTILES.map((p) => `p ${p} ${h.valueAtPercentile(p)}`);
  for (const [us, c] of h.cumulative()) parts.push(`c ${us} ${c}`);
  return parts.join('|');
}

/** Heavy-tailed durations (1 ns .. ~180 ms) from a fixed LCG, so the test is deterministic. */
function lcgDurations(): number[] {
  let x = 12345;
  const out: number[] = [];
  for (let i = 0; i < 500; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(Math.floor(Math.exp((x / 2147483648) * 19)));
  }
  return out;
}

describe('LatencyHistogram (Redis HDR layout)', () => {
  it('clamps to 1 ns .. 1 s and reports bucket bounds as hdr_histogram does', () => {
    expect(describeHistogram([1, 5000, 20000, 1000000, 999999999, 3])).to.equal(
      'p 0 1|p 0.5 1|p 1 1|p 10 1|p 25 3|p 50 5023|p 75 1003519|p 90 1003519|p 99 1002438655|p 99.9 1002438655|p 99.99 1002438655|p 100 1002438655' +
      '|c 1 2|c 8 3|c 33 4|c 1056 5|c 1073741 6');
    expect(describeHistogram([0, 2000000000, 1023, 1024, 1025, 2047, 2048, 2049])).to.equal(
      'p 0 1|p 0.5 1|p 1 1|p 10 1|p 25 1023|p 50 1031|p 75 2063|p 90 2063|p 99 1002438655|p 99.9 1002438655|p 99.99 1002438655|p 100 1002438655' +
      '|c 1 4|c 2 7|c 1073741 8');
  });

  it('matches hdr_histogram on whole-microsecond durations (what the server records)', () => {
    const us = Array.from({ length: 199 }, (_, i) => (i + 1) * 1000);
    expect(describeHistogram(us)).to.equal(
      'p 0 1000|p 0.5 1003|p 1 2007|p 10 20095|p 25 50175|p 50 100351|p 75 149503|p 90 179199|p 99 197631|p 99.9 199679|p 99.99 199679|p 100 199679' +
      '|c 1 1|c 2 2|c 4 4|c 8 8|c 16 16|c 33 33|c 66 66|c 132 132|c 264 199');
  });

  it('matches hdr_histogram on 500 heavy-tailed durations', () => {
    expect(describeHistogram(lcgDurations())).to.equal(
      'p 0 1|p 0.5 1|p 1 1|p 10 7|p 25 167|p 50 10943|p 75 1310719|p 90 20971519|p 99 150994943|p 99.9 169869311|p 99.99 169869311|p 100 169869311' +
      '|c 1 173|c 2 193|c 4 217|c 8 236|c 16 259|c 33 274|c 66 289|c 132 302|c 264 321|c 528 345|c 1056 369|c 2113 381|c 4227 404|c 8454 427' +
      '|c 16908 444|c 33816 459|c 67633 475|c 135266 494|c 270532 500');
  });

  it('an empty histogram has no buckets and zero percentiles', () => {
    const h = new LatencyHistogram();
    expect(h.total).to.equal(0);
    expect(h.cumulative()).to.deep.equal([]);
    expect(h.valueAtPercentile(50)).to.equal(0);
  });
});

/**
 * Our command table against @ioredis/commands: ioredis computes key slots from that
 * metadata, so our arity and key positions must agree with it for every command we
 * implement. (Flags are compared with real Redis 7.0 in
 * test/integration/command-info-interop.test.ts: ioredis's table comes from a newer
 * Redis whose flags differ from 7.0's.)
 */
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { buildCommandTable } from '../../src/commands/table.js';
import type { CommandSpec } from '../../src/commands/spec.js';

const require = createRequire(import.meta.url);
interface Meta { arity: number; flags: string[]; keyStart: number; keyStop: number; step: number; subcommands?: Record<string, Meta> }
const REF = require('@ioredis/commands/built/commands.json') as Record<string, Meta>;

/** Signatures that changed after Redis 7.0 (ioredis's table is newer): the 7.0 value is ours. */
const CHANGED_AFTER_70: Record<string, string> = {
  zrank: 'WITHSCORE added in 7.2 (arity 3 -> -3)',
  zrevrank: 'WITHSCORE added in 7.2 (arity 3 -> -3)',
  'command|getkeys': 'arity -4 in 7.0, -3 from 7.2',
  'command|getkeysandflags': 'arity -4 in 7.0, -3 from 7.2',
};

function compare(spec: CommandSpec, ref: Meta, problems: string[]): void {
  const name = spec.fullName;
  if (CHANGED_AFTER_70[name]) return;
  if (spec.arity !== ref.arity) problems.push(`${name}: arity ${spec.arity}, ioredis ${ref.arity}`);
  const k = spec.keys;
  const [first, last, step] = k ? [k.first, k.last, k.step] : [0, 0, 0];
  if (!spec.getKeys && (first !== ref.keyStart || last !== ref.keyStop || step !== ref.step)) {
    problems.push(`${name}: keys [${first},${last},${step}], ioredis [${ref.keyStart},${ref.keyStop},${ref.step}]`);
  }
}

describe('command table', () => {
  const table = buildCommandTable();

  it('has a handler for every command and subcommand', () => {
    for (const s of table.values()) {
      expect(s.run !== undefined || s.subcommands !== undefined, s.name).to.equal(true);
      for (const sub of s.subcommands?.values() ?? []) expect(sub.run, sub.fullName).to.be.a('function');
    }
  });

  it('agrees with @ioredis/commands on arity and key positions', () => {
    const problems: string[] = [];
    let compared = 0;
    for (const spec of table.values()) {
      const ref = REF[spec.name];
      if (!ref) continue; // commands newer than ioredis's table
      compare(spec, ref, problems);
      compared++;
      for (const sub of spec.subcommands?.values() ?? []) {
        const r = ref.subcommands?.[sub.name];
        if (r) compare(sub, r, problems);
      }
    }
    expect(compared).to.be.greaterThan(100);
    expect(problems).to.deep.equal([]);
  });
});

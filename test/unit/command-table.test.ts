/**
 * Our command table against @ioredis/commands: ioredis computes key slots from that
 * metadata, so our arity and key positions must agree with it for every command we
 * implement, and our flags must include Redis's.
 */
import { expect } from 'chai';
import { createRequire } from 'node:module';
import { buildCommandTable } from '../../src/commands/table.js';
import type { CommandSpec } from '../../src/commands/spec.js';

const require = createRequire(import.meta.url);
interface Meta { arity: number; flags: string[]; keyStart: number; keyStop: number; step: number; subcommands?: Record<string, Meta> }
const REF = require('@ioredis/commands/built/commands.json') as Record<string, Meta>;

/** Flags ioredis's table carries that are documentation-only or differ by Redis build. */
const IGNORED_FLAGS = new Set(['module', 'no_mandatory_keys', 'may_replicate', 'movablekeys', 'sentinel', 'only_sentinel', 'skip_monitor', 'skip_slowlog']);

function compare(spec: CommandSpec, ref: Meta, problems: string[]): void {
  const name = spec.fullName;
  if (spec.arity !== ref.arity) problems.push(`${name}: arity ${spec.arity}, redis ${ref.arity}`);
  const k = spec.keys;
  const [first, last, step] = k ? [k.first, k.last, k.step] : [0, 0, 0];
  if (!spec.getKeys && (first !== ref.keyStart || last !== ref.keyStop || step !== ref.step)) {
    problems.push(`${name}: keys [${first},${last},${step}], redis [${ref.keyStart},${ref.keyStop},${ref.step}]`);
  }
  const ours = new Set(spec.flagNames.map((f) => f.replace(/-/g, '_')));
  for (const f of ref.flags) {
    const n = f.replace(/-/g, '_');
    if (!IGNORED_FLAGS.has(n) && !ours.has(n)) problems.push(`${name}: missing flag ${f}`);
  }
  for (const f of ours) {
    if (!IGNORED_FLAGS.has(f) && !ref.flags.map((x) => x.replace(/-/g, '_')).includes(f)) problems.push(`${name}: extra flag ${f}`);
  }
}

describe('command table', () => {
  const table = buildCommandTable();

  it('has every command with a handler or subcommands', () => {
    for (const s of table.values()) {
      expect(s.run !== undefined || s.subcommands !== undefined, s.name).to.equal(true);
      for (const sub of s.subcommands?.values() ?? []) expect(sub.run, sub.fullName).to.be.a('function');
    }
  });

  it('agrees with @ioredis/commands on arity, key positions and flags', () => {
    const problems: string[] = [];
    for (const spec of table.values()) {
      const ref = REF[spec.name];
      if (!ref) {
        // Commands newer than 7.0 (CLIENT NO-TOUCH, SETINFO) have no reference entry.
        continue;
      }
      compare(spec, ref, problems);
      for (const sub of spec.subcommands?.values() ?? []) {
        const r = ref.subcommands?.[sub.name];
        if (r) compare(sub, r, problems);
      }
    }
    expect(problems).to.deep.equal([]);
  });
});

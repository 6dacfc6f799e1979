/**
 * Enforces the dependency rules of docs/architecture.md by reading every import in
 * src/. A lower layer importing a higher one fails here, not in review.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../helpers/server.js';

const ALLOWED: Record<string, string[]> = {
  util: [],
  protocol: ['util'],
  keyspace: ['util'],
  config: ['util', 'protocol'],
  commands: ['keyspace', 'protocol', 'util', 'config'],
  engine: ['commands', 'keyspace', 'protocol', 'util', 'config'],
  persistence: ['engine', 'commands', 'keyspace', 'protocol', 'util', 'config'],
  replication: ['engine', 'persistence', 'commands', 'keyspace', 'protocol', 'util', 'config'],
  cluster: ['engine', 'util'],
  network: ['protocol', 'engine', 'util', 'config'],
};

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('architecture', () => {
  const src = path.join(ROOT, 'src');
  const files = walk(src);

  it('finds the source tree', () => {
    expect(files.length).to.be.greaterThan(20);
  });

  it('respects the layer rules', () => {
    const violations: string[] = [];
    for (const f of files) {
      const rel = path.relative(src, f);
      const layer = rel.includes(path.sep) ? rel.split(path.sep)[0]! : null;
      if (layer === null) continue; // composition root (server.ts, main.ts, index.ts)
      const allowed = ALLOWED[layer];
      if (!allowed) {
        violations.push(`${rel}: folder '${layer}' has no rule in the architecture test`);
        continue;
      }
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)) {
        const target = path.relative(src, path.resolve(path.dirname(f), m[1]!));
        const tl = target.includes(path.sep) ? target.split(path.sep)[0]! : '(root)';
        if (tl === layer) continue;
        if (!allowed.includes(tl)) violations.push(`${rel} imports ${target}`);
      }
    }
    expect(violations).to.deep.equal([]);
  });

  it('keeps files under about 600 lines', () => {
    const big = files.filter((f) => readFileSync(f, 'utf8').split('\n').length > 700).map((f) => path.relative(src, f));
    expect(big).to.deep.equal([]);
  });

  it('has no module-level mutable state (top-level let)', () => {
    const offenders: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      if (/^let\s/m.test(text) || /^export let\s/m.test(text)) offenders.push(path.relative(src, f));
    }
    expect(offenders).to.deep.equal([]);
  });
});

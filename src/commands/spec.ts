/**
 * The command table's shape. One CommandSpec per command (subcommands nested), read by
 * COMMAND, the arity gate, the flag gates, WATCH, ACL and cluster routing.
 * Definitions are written with string flags for readability and compiled to bitmasks.
 * Imports: commands/context (types only).
 */
import type { CommandContext, Handler } from './context.js';

export const F = {
  write: 1 << 0,
  readonly: 1 << 1,
  denyoom: 1 << 2,
  admin: 1 << 3,
  pubsub: 1 << 4,
  noscript: 1 << 5,
  blocking: 1 << 6,
  loading: 1 << 7,
  stale: 1 << 8,
  skip_monitor: 1 << 9,
  skip_slowlog: 1 << 10,
  asking: 1 << 11,
  fast: 1 << 12,
  no_auth: 1 << 13,
  may_replicate: 1 << 14,
  no_mandatory_keys: 1 << 15,
  no_async_loading: 1 << 16,
  no_multi: 1 << 17,
  movablekeys: 1 << 18,
  allow_busy: 1 << 19,
  sentinel: 1 << 20,
  only_sentinel: 1 << 21,
} as const;
export type FlagName = keyof typeof F;

/** Fixed key positions: first and last are argv indexes (last < 0 counts from the end). */
export interface KeyRange {
  first: number;
  last: number;
  step: number;
}

export interface CommandDef {
  name: string;
  arity: number;
  /** Space-separated flag names as Redis prints them ("write denyoom fast"). */
  flags: string;
  /** Space-separated ACL categories beyond those implied by the flags ("string", "keyspace"). */
  acl?: string;
  /** [first, last, step] or omitted for keyless commands. */
  keys?: [number, number, number];
  /** Key positions for movablekeys commands, given the full argv. */
  getKeys?: (argv: readonly string[]) => number[];
  group: string;
  since: string;
  summary: string;
  complexity?: string;
  run?: Handler;
  subcommands?: CommandDef[];
}

export interface CommandSpec {
  readonly id: number;
  readonly name: string;
  /** "parent|child" for subcommands; the name used in errors and commandstats. */
  readonly fullName: string;
  readonly arity: number;
  readonly flags: number;
  readonly flagNames: readonly string[];
  readonly acl: readonly string[];
  readonly keys: KeyRange | null;
  readonly getKeys: ((argv: readonly string[]) => number[]) | undefined;
  readonly group: string;
  readonly since: string;
  readonly summary: string;
  readonly complexity: string | undefined;
  readonly run: Handler | undefined;
  readonly subcommands: ReadonlyMap<string, CommandSpec> | undefined;
  readonly parent: CommandSpec | undefined;
}

/** ACL categories Redis derives from flags (aclSetCommandCategories). */
function impliedAcl(flags: number): string[] {
  const out: string[] = [];
  if (flags & F.write) out.push('write');
  if (flags & F.readonly) out.push('read');
  if (flags & F.admin) out.push('admin', 'dangerous');
  if (flags & F.pubsub) out.push('pubsub');
  if (flags & F.fast) out.push('fast');
  if (flags & F.blocking) out.push('blocking');
  if (!(flags & F.fast)) out.push('slow');
  return out;
}

/** Redis's ACL category table order (acl.c): COMMAND INFO lists categories in it. */
const ACL_ORDER = ['keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog',
  'geo', 'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting'];

export function compile(def: CommandDef, nextId: { n: number }, parent?: CommandSpec): CommandSpec {
  let flags = 0;
  const flagNames = def.flags.split(/\s+/).filter(Boolean);
  for (const f of flagNames) {
    const bit = F[f.replace(/-/g, '_') as FlagName];
    if (bit === undefined) throw new Error(`unknown flag ${f} on ${def.name}`);
    flags |= bit;
  }
  if (def.getKeys && !(flags & F.movablekeys)) {
    flags |= F.movablekeys;
    flagNames.push('movablekeys');
  }
  const extra = def.acl ? def.acl.split(/\s+/).filter(Boolean) : [];
  const acl = [...new Set([...extra, ...impliedAcl(flags)])].sort((a, b) => ACL_ORDER.indexOf(a) - ACL_ORDER.indexOf(b));
  const spec: CommandSpec & { subcommands: Map<string, CommandSpec> | undefined } = {
    id: nextId.n++,
    name: def.name,
    fullName: parent ? `${parent.name}|${def.name}` : def.name,
    arity: def.arity,
    flags,
    flagNames: flagNames.map((f) => f.replace(/_/g, '_')),
    acl,
    keys: def.keys ? { first: def.keys[0], last: def.keys[1], step: def.keys[2] } : null,
    getKeys: def.getKeys,
    group: def.group,
    since: def.since,
    summary: def.summary,
    complexity: def.complexity,
    run: def.run,
    subcommands: undefined,
    parent,
  };
  if (def.subcommands) {
    spec.subcommands = new Map();
    for (const sd of def.subcommands) spec.subcommands.set(sd.name, compile(sd, nextId, spec));
  }
  return spec;
}

/** Key argument indexes of a concrete argv, from the key range or getKeys. */
export function keyIndexes(spec: CommandSpec, argv: readonly string[]): number[] {
  if (spec.getKeys) return spec.getKeys(argv);
  const k = spec.keys;
  if (k === null) return [];
  const last = k.last < 0 ? argv.length + k.last : k.last;
  const out: number[] = [];
  for (let i = k.first; i <= last && i < argv.length; i += k.step) out.push(i);
  return out;
}

export function hasFlag(spec: CommandSpec, flag: FlagName): boolean {
  return (spec.flags & F[flag]) !== 0;
}

export type { CommandContext };

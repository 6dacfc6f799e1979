/**
 * Differential tester, normalization rules: the ONLY place where a reply may be compared by
 * anything other than exact equality of its typed tree. Every rule here is listed, with its
 * reason, in docs/compatibility.md ("Differential testing: normalization rules"); change
 * both together.
 *
 * Invariants: an error reply on either side is always compared exactly; a rule relaxes how
 * a reply is compared, never whether the command is compared; the frame type (array vs set
 * vs map, $-1 vs *-1 vs _) always has to match. I/O is done through a `Call` function so
 * this module never touches sockets. Imports only resp.ts.
 */
import { formatReply, replyEqual, replyKey, type Reply } from './resp.js';

export type Call = (argv: readonly string[]) => Promise<Reply>;

/** TTL-like replies in seconds may differ by this much (both servers' clocks tick apart). */
export const TTL_TOLERANCE_S = 1;
/** TTL-like replies in milliseconds may differ by this much. */
export const TTL_TOLERANCE_MS = 500;

export type Rule = 'exact' | 'unordered' | 'unordered-pairs' | 'ttl-s' | 'ttl-ms' | 'scan' | 'random';

const RULES: ReadonlyMap<string, Rule> = new Map<string, Rule>([
  // replies whose order is the server's hash-table order
  ['SMEMBERS', 'unordered'], ['SINTER', 'unordered'], ['SUNION', 'unordered'], ['SDIFF', 'unordered'],
  ['KEYS', 'unordered'], ['HKEYS', 'unordered'], ['HVALS', 'unordered'],
  ['HGETALL', 'unordered-pairs'],
  // wall-clock derived
  ['TTL', 'ttl-s'], ['EXPIRETIME', 'ttl-s'], ['PTTL', 'ttl-ms'], ['PEXPIRETIME', 'ttl-ms'],
  // cursor based: compared as the union of a full iteration
  ['SCAN', 'scan'], ['SSCAN', 'scan'], ['HSCAN', 'scan'], ['ZSCAN', 'scan'],
  // random picks
  ['SPOP', 'random'], ['SRANDMEMBER', 'random'], ['HRANDFIELD', 'random'], ['ZRANDMEMBER', 'random'], ['RANDOMKEY', 'random'],
]);

export function ruleFor(argv: readonly string[]): Rule {
  return RULES.get((argv[0] ?? '').toUpperCase()) ?? 'exact';
}

export interface Verdict {
  ok: boolean;
  why?: string;
}

const OK: Verdict = { ok: true };

function isErr(r: Reply): boolean {
  return r.t === 'err' || r.t === 'bloberr';
}

function exact(a: Reply, b: Reply): Verdict {
  return replyEqual(a, b) ? OK : { ok: false, why: 'replies differ' };
}

function sortElems(r: Reply): Reply {
  if (r.t !== 'array' && r.t !== 'set') return r;
  return { t: r.t, v: r.v.slice().sort((x, y) => cmp(replyKey(x), replyKey(y))) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Field/value pairs from a flat array, an array of 2-arrays or a map. */
function pairsOf(r: Reply): Array<[Reply, Reply]> | null {
  if (r.t === 'map') return r.v;
  if (r.t !== 'array' && r.t !== 'set') return null;
  if (r.v.length > 0 && r.v.every((e) => e.t === 'array' && e.v.length === 2)) return r.v.map((e) => (e as { v: Reply[] }).v as [Reply, Reply]);
  if (r.v.length % 2) return null;
  const out: Array<[Reply, Reply]> = [];
  for (let i = 0; i < r.v.length; i += 2) out.push([r.v[i]!, r.v[i + 1]!]);
  return out;
}

function sortPairs(r: Reply): Reply {
  if (r.t === 'map') return { t: 'map', v: r.v.slice().sort((x, y) => cmp(replyKey(x[0]) + replyKey(x[1]), replyKey(y[0]) + replyKey(y[1]))) };
  if (r.t !== 'array') return r;
  const nested = r.v.length > 0 && r.v.every((e) => e.t === 'array');
  if (nested) return sortElems(r);
  const p = pairsOf(r);
  if (!p) return r;
  p.sort((x, y) => cmp(replyKey(x[0]) + replyKey(x[1]), replyKey(y[0]) + replyKey(y[1])));
  return { t: 'array', v: p.flat() };
}

/** The form a reply is compared (and shown) in under its rule; identity for most rules. */
export function normalized(rule: Rule, r: Reply): Reply {
  if (isErr(r)) return r;
  if (rule === 'unordered') return sortElems(r);
  if (rule === 'unordered-pairs') return sortPairs(r);
  return r;
}

function ttlClose(a: Reply, b: Reply, tol: number): boolean {
  if (a.t !== 'int' || b.t !== 'int') return false;
  if (a.v === b.v) return true;
  const x = BigInt(a.v);
  const y = BigInt(b.v);
  if (x < 0n || y < 0n) return false;
  const d = x > y ? x - y : y - x;
  // Known divergence (CHANGELOG, known divergences): Tessera keeps expiry times as doubles, so
  // a TTL past 2^53 ms reads back within double precision (up to ~1 s at 2^63 ms).
  const big = 2n ** 53n;
  if (x > big || y > big) return d <= BigInt(tol) + (x > y ? x : y) / 2n ** 52n;
  return d <= BigInt(tol);
}

/** Same frame types all the way down and same lengths; values not compared. */
function sameShape(a: Reply, b: Reply): boolean {
  if (a.t !== b.t) return false;
  if (a.t === 'array' || a.t === 'set' || a.t === 'push') {
    const bv = (b as typeof a).v;
    return a.v.length === bv.length && a.v.every((e, i) => sameShape(e, bv[i]!));
  }
  if (a.t === 'map') return a.v.length === (b as typeof a).v.length;
  if (a.t === 'null') return a.v === (b as typeof a).v;
  return true;
}

export interface CompareCtx {
  /** The reply is an element of an EXEC array (no snapshot, no full SCAN possible). */
  inExec?: boolean;
  snapRef?: Snapshot;
  snapCand?: Snapshot;
}

/**
 * Compares the reference reply with the candidate's for one command. For 'scan' the
 * caller passes the aggregated replies of `fullScan`; for 'random' outside EXEC it passes
 * snapshots taken just before the command.
 */
export function compareReplies(argv: readonly string[], ref: Reply, cand: Reply, ctx: CompareCtx = {}): Verdict {
  if (isErr(ref) || isErr(cand)) return exact(ref, cand);
  const rule = ruleFor(argv);
  switch (rule) {
    case 'exact':
      return exact(ref, cand);
    case 'scan':
      if (ctx.inExec || !scanFromZero(argv)) return isScanPage(ref) && isScanPage(cand) ? OK : { ok: false, why: 'not both a [cursor, elements] page' };
      return exact(ref, cand);
    case 'unordered':
    case 'unordered-pairs':
      return replyEqual(normalized(rule, ref), normalized(rule, cand)) ? OK : { ok: false, why: `replies differ as multisets (${rule})` };
    case 'ttl-s':
      return ttlClose(ref, cand, TTL_TOLERANCE_S) ? OK : { ok: false, why: `TTL differs by more than ${TTL_TOLERANCE_S}s` };
    case 'ttl-ms':
      return ttlClose(ref, cand, TTL_TOLERANCE_MS) ? OK : { ok: false, why: `TTL differs by more than ${TTL_TOLERANCE_MS}ms` };
    case 'random':
      if (ctx.inExec || !ctx.snapRef || !ctx.snapCand) return sameShape(ref, cand) ? OK : { ok: false, why: 'random reply has a different shape' };
      return compareRandom(argv, ref, cand, ctx.snapRef, ctx.snapCand);
  }
}

// ---------------------------------------------------------------------------------------
// random commands: count and membership against a snapshot taken just before

export type Snapshot =
  | { kind: 'none' }
  | { kind: 'other'; type: string }
  | { kind: 'keys'; keys: Set<string> }
  | { kind: 'set'; members: Set<string> }
  | { kind: 'hash'; fields: Map<string, string> }
  | { kind: 'zset'; scores: Map<string, string> };

function bulks(r: Reply): string[] {
  return r.t === 'array' || r.t === 'set' ? r.v.map((e) => (e.t === 'bulk' ? e.v : `\u0000<${e.t}>`)) : [];
}

/** What a random command draws from, read through `call` (a connection in the right db). */
export async function takeSnapshot(call: Call, argv: readonly string[]): Promise<Snapshot> {
  const name = (argv[0] ?? '').toUpperCase();
  if (name === 'RANDOMKEY') return { kind: 'keys', keys: new Set(bulks(await call(['KEYS', '*']))) };
  const key = argv[1];
  if (key === undefined) return { kind: 'none' };
  const t = await call(['TYPE', key]);
  const type = t.t === 'simple' ? t.v : '?';
  if (type === 'none') return { kind: 'none' };
  if (type === 'set') return { kind: 'set', members: new Set(bulks(await call(['SMEMBERS', key]))) };
  if (type === 'hash' || type === 'zset') {
    const flat = bulks(await call(type === 'hash' ? ['HGETALL', key] : ['ZRANGE', key, '0', '-1', 'WITHSCORES']));
    const m = new Map<string, string>();
    for (let i = 0; i + 1 < flat.length; i += 2) m.set(flat[i]!, flat[i + 1]!);
    return type === 'hash' ? { kind: 'hash', fields: m } : { kind: 'zset', scores: m };
  }
  return { kind: 'other', type };
}

function snapKey(s: Snapshot): string {
  switch (s.kind) {
    case 'none': return 'none';
    case 'other': return `other:${s.type}`;
    case 'keys': return `keys:${JSON.stringify([...s.keys].sort())}`;
    case 'set': return `set:${JSON.stringify([...s.members].sort())}`;
    case 'hash': return `hash:${JSON.stringify([...s.fields].sort())}`;
    case 'zset': return `zset:${JSON.stringify([...s.scores].sort())}`;
  }
}

function scalarText(r: Reply): string | null {
  return r.t === 'bulk' || r.t === 'double' || r.t === 'simple' ? r.v : null;
}

/** Checks one side's random reply against that side's snapshot; null when valid. */
function validateRandom(argv: readonly string[], r: Reply, snap: Snapshot): string | null {
  const name = (argv[0] ?? '').toUpperCase();
  const has = (m: string): boolean => {
    switch (snap.kind) {
      case 'keys': return snap.keys.has(m);
      case 'set': return snap.members.has(m);
      case 'hash': return snap.fields.has(m);
      case 'zset': return snap.scores.has(m);
      default: return false;
    }
  };
  const valueOf = (m: string): string | undefined => (snap.kind === 'hash' ? snap.fields.get(m) : snap.kind === 'zset' ? snap.scores.get(m) : undefined);
  const single = name === 'RANDOMKEY' || argv.length === 2;
  if (single) {
    if (r.t === 'null') return null;
    if (r.t !== 'bulk') return `expected a bulk or null, got ${r.t}`;
    return has(r.v) ? null : `${JSON.stringify(r.v)} was not in the key before the command`;
  }
  if (r.t !== 'array' && r.t !== 'set') return `expected an array, got ${r.t}`;
  const withValues = argv.length >= 4;
  const countNum = Number(argv[2]);
  const entries = withValues ? pairsOf(r) : r.v.map((e): [Reply, Reply | null] => [e, null]);
  if (!entries) return 'reply is not a list of pairs';
  const seen = new Set<string>();
  for (const [m, v] of entries) {
    if (m.t !== 'bulk') return `element is ${m.t}, not bulk`;
    if (!has(m.v)) return `${JSON.stringify(m.v)} was not in the key before the command`;
    if (v) {
      const want = valueOf(m.v);
      const got = scalarText(v);
      if (got !== want) return `${JSON.stringify(m.v)} came with ${JSON.stringify(got)}, stored value is ${JSON.stringify(want)}`;
    }
    if (countNum >= 0 && seen.has(m.v)) return `${JSON.stringify(m.v)} returned twice for a non-negative count`;
    seen.add(m.v);
  }
  return null;
}

function compareRandom(argv: readonly string[], ref: Reply, cand: Reply, snapRef: Snapshot, snapCand: Snapshot): Verdict {
  if (snapKey(snapRef) !== snapKey(snapCand)) return { ok: false, why: 'the keyspace already differed before this random command' };
  if (ref.t !== cand.t) return { ok: false, why: 'reply types differ' };
  if (ref.t === 'null') return exact(ref, cand);
  if ((ref.t === 'array' || ref.t === 'set') && ref.v.length !== (cand as typeof ref).v.length) return { ok: false, why: 'random replies have different counts' };
  const badRef = validateRandom(argv, ref, snapRef);
  if (badRef) return { ok: false, why: `reference reply invalid under the random rule (tester bug?): ${badRef}` };
  const badCand = validateRandom(argv, cand, snapCand);
  if (badCand) return { ok: false, why: badCand };
  return OK;
}

/**
 * After a SPOP that popped different members on the two servers, the commands that make the
 * candidate's set equal to the reference's again (sent to the candidate in the same db).
 */
export function spopFixup(argv: readonly string[], ref: Reply, cand: Reply): string[][] {
  if ((argv[0] ?? '').toUpperCase() !== 'SPOP' || isErr(ref) || isErr(cand)) return [];
  const popped = (r: Reply): string[] => (r.t === 'bulk' ? [r.v] : bulks(r));
  const a = new Set(popped(ref));
  const b = new Set(popped(cand));
  const key = argv[1]!;
  const restore = [...b].filter((m) => !a.has(m));
  const remove = [...a].filter((m) => !b.has(m));
  const out: string[][] = [];
  if (restore.length) out.push(['SADD', key, ...restore]);
  if (remove.length) out.push(['SREM', key, ...remove]);
  return out;
}

// ---------------------------------------------------------------------------------------
// SCAN family: union of a full iteration

const MAX_SCAN_PAGES = 10000;

function cursorIndex(argv: readonly string[]): number {
  return (argv[0] ?? '').toUpperCase() === 'SCAN' ? 1 : 2;
}

/**
 * Whether the cursor argument means "start" the way Redis parses cursors (strtoul with an
 * empty tail): "0", "+0", "-00", and even "". Any other accepted cursor points into the
 * server's own hash-table layout, so what one page holds is implementation-defined.
 */
export function scanFromZero(argv: readonly string[]): boolean {
  return /^([+-]?0+)?$/.test(argv[cursorIndex(argv)] ?? 'x');
}

function isScanPage(r: Reply): boolean {
  if (r.t !== 'array' || r.v.length !== 2) return false;
  const [c, items] = r.v as [Reply, Reply];
  return c.t === 'bulk' && /^\d+$/.test(c.v) && (items.t === 'array' || items.t === 'set');
}

/**
 * Runs a SCAN-family command from cursor 0 to the end and returns
 * [ "0", sorted unique elements ] (pairs kept together for HSCAN/ZSCAN). An error or
 * malformed page is returned as it came, so it is compared exactly; so is the single page
 * of a scan that starts from a non-zero cursor (compared by shape, see compareReplies).
 */
export async function fullScan(call: Call, argv: readonly string[]): Promise<Reply> {
  const name = (argv[0] ?? '').toUpperCase();
  const cursorAt = cursorIndex(argv);
  const paired = name === 'HSCAN' || name === 'ZSCAN';
  const seen = new Map<string, Reply[]>();
  let page = await call(argv);
  if (!scanFromZero(argv)) return page;
  for (let n = 0; ; n++) {
    if (page.t !== 'array' || page.v.length !== 2) return page;
    const [cur, items] = page.v as [Reply, Reply];
    if (cur.t !== 'bulk' || (items.t !== 'array' && items.t !== 'set')) return page;
    const step = paired ? 2 : 1;
    if (items.v.length % step) return page;
    for (let i = 0; i < items.v.length; i += step) {
      const group = items.v.slice(i, i + step);
      seen.set(group.map(replyKey).join('|'), group);
    }
    if (cur.v === '0') break;
    if (n >= MAX_SCAN_PAGES) return { t: 'err', v: `TESTER scan did not finish after ${MAX_SCAN_PAGES} pages` };
    const next = argv.slice();
    next[cursorAt] = cur.v;
    page = await call(next);
  }
  const keys = [...seen.keys()].sort(cmp);
  return { t: 'array', v: [{ t: 'bulk', v: '0' }, { t: 'array', v: keys.flatMap((k) => seen.get(k)!) }] };
}

// ---------------------------------------------------------------------------------------
// whole-dataset comparison

export interface KeyState {
  type: string;
  /** Contents read by type, already in comparable form (sets and hashes sorted). */
  content: Reply | null;
  pttl: Reply;
}
export type Dataset = Map<number, Map<string, KeyState>>;

export const DATASET_DBS = [0, 1];

function readerFor(type: string, key: string): string[] | null {
  switch (type) {
    case 'string': return ['GET', key];
    case 'list': return ['LRANGE', key, '0', '-1'];
    case 'hash': return ['HGETALL', key];
    case 'set': return ['SMEMBERS', key];
    case 'zset': return ['ZRANGE', key, '0', '-1', 'WITHSCORES'];
    default: return null;
  }
}

/** Reads every key of the compared databases; leaves the connection in db 0. */
export async function readDataset(call: Call): Promise<Dataset> {
  const out: Dataset = new Map();
  for (const db of DATASET_DBS) {
    const sel = await call(['SELECT', String(db)]);
    if (sel.t !== 'simple') throw new Error(`SELECT ${db} failed: ${formatReply(sel)}`);
    const keys = bulks(await call(['KEYS', '*']));
    const types = await Promise.all(keys.map((k) => call(['TYPE', k])));
    const pttls = await Promise.all(keys.map((k) => call(['PTTL', k])));
    const contents = await Promise.all(
      keys.map((k, i) => {
        const t = types[i]!;
        const rd = readerFor(t.t === 'simple' ? t.v : '?', k);
        return rd ? call(rd) : Promise.resolve(null);
      }),
    );
    const m = new Map<string, KeyState>();
    keys.forEach((k, i) => {
      const t = types[i]!;
      const type = t.t === 'simple' ? t.v : formatReply(t);
      const c = contents[i] ?? null;
      m.set(k, { type, content: c && (type === 'hash' ? sortPairs(c) : type === 'set' ? sortElems(c) : c), pttl: pttls[i]! });
    });
    out.set(db, m);
  }
  await call(['SELECT', '0']);
  return out;
}

/** Human-readable differences between two datasets; empty when they agree. */
export function compareDatasets(ref: Dataset, cand: Dataset): string[] {
  const diffs: string[] = [];
  for (const db of DATASET_DBS) {
    const a = ref.get(db) ?? new Map<string, KeyState>();
    const b = cand.get(db) ?? new Map<string, KeyState>();
    const q = (k: string) => JSON.stringify(k);
    for (const [k, sa] of a) {
      const sb = b.get(k);
      if (!sb) {
        diffs.push(`db${db} key ${q(k)} (${sa.type}) exists only on the reference`);
        continue;
      }
      if (sa.type !== sb.type) {
        diffs.push(`db${db} key ${q(k)} type ${sa.type} vs ${sb.type}`);
        continue;
      }
      if ((sa.content === null) !== (sb.content === null) || (sa.content && sb.content && !replyEqual(sa.content, sb.content))) {
        diffs.push(`db${db} key ${q(k)} (${sa.type}) contents differ:\n  reference: ${sa.content ? formatReply(sa.content, '             ') : '-'}\n  candidate: ${sb.content ? formatReply(sb.content, '             ') : '-'}`);
      }
      if (!ttlClose(sa.pttl, sb.pttl, TTL_TOLERANCE_MS)) diffs.push(`db${db} key ${q(k)} PTTL ${formatReply(sa.pttl)} vs ${formatReply(sb.pttl)}`);
    }
    for (const [k, sb] of b) if (!a.has(k)) diffs.push(`db${db} key ${q(k)} (${sb.type}) exists only on the candidate`);
  }
  return diffs;
}

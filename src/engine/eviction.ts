/**
 * maxmemory: key eviction by maxmemory-policy and the OOM gate (evict.c performEvictions
 * and the OOM part of processCommand).
 *
 * Memory use is V8's heap plus external memory, so it counts the whole process, not only
 * the dataset. A deleted value is freed only at the next GC, so bytes evicted but not yet
 * seen as freed are subtracted from the measure until the heap shrinks by that much;
 * otherwise every command until the next GC would evict more keys.
 * Also schedules a GC after big deletions, so used memory falls as Redis's does.
 * Invariants: nothing runs while maxmemory is 0 beyond one number check per command.
 * Imports: commands (types, errors, memory estimate), keyspace, protocol, engine.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import * as E from '../commands/errors.js';
import { estimateSize } from '../commands/memory.js';
import { F, type CommandSpec } from '../commands/spec.js';
import type { Database, Entry } from '../keyspace/database.js';
import type { ErrorReply } from '../protocol/reply.js';
import type { ServerNode } from './node.js';
import type { Session } from './session.js';

/** maxmemory-policy enum values (config's numeric view), as in directives.ts. */
const VOLATILE_LRU = 1;
const VOLATILE_LFU = 2;
const VOLATILE_RANDOM = 3;
const VOLATILE_TTL = 4;
const ALLKEYS_LRU = 5;
const ALLKEYS_LFU = 6;
const ALLKEYS_RANDOM = 7;
const NOEVICTION = 8;

/** Above this much live heap no GC is forced (see noteFreed). */
const MAX_FORCED_GC_HEAP = 256 * 1024 * 1024;

/** Commands that are never refused inside MULTI for lack of memory. */
const MULTI_OOM_EXEMPT = new Set(['exec', 'discard', 'quit', 'reset']);

/** performEvictions' outcomes: under the limit, still working (time limit hit), or stuck over it. */
export const EvictResult = { OK: 0, RUNNING: 1, FAIL: 2 } as const;
type EvictOutcome = (typeof EvictResult)[keyof typeof EvictResult];

export class Evictor {
  /** Cached maxmemory, so the per-command check is one comparison. */
  private max = 0;
  private lastRaw = 0;
  private pendingFreed = 0;
  private resumeTimer: NodeJS.Timeout | null = null;
  /** Estimated bytes dropped since the last forced GC, and that GC's time. */
  private freedSinceGc = 0;
  private lastGc = 0;
  private gcTimer: NodeJS.Timeout | null = null;
  private gcFn: (() => void) | null | undefined;

  constructor(private readonly node: ServerNode) {
    this.max = node.config.num('maxmemory');
    node.config.onChange('maxmemory', () => {
      this.max = this.node.config.num('maxmemory');
      if (this.max > 0) {
        const used = this.used();
        if (used > this.max) {
          this.node.log('warning', `WARNING: the new maxmemory value set via CONFIG SET (${this.max}) is smaller than the current ` +
            `memory usage (${used}). This will result in key eviction and/or the inability to accept new write commands ` +
            'depending on the maxmemory-policy.');
        }
        this.perform();
      }
    });
  }

  /** Memory counted against maxmemory, in bytes. */
  used(): number {
    const h = v8.getHeapStatistics();
    const raw = h.used_heap_size + h.external_memory;
    if (raw < this.lastRaw && this.pendingFreed > 0) this.pendingFreed = Math.max(0, this.pendingFreed - (this.lastRaw - raw));
    this.lastRaw = raw;
    return Math.max(0, raw - this.pendingFreed);
  }

  /** The OOM gate: evicts first, then refuses what would grow memory if still over. */
  gate(s: Session, spec: CommandSpec): ErrorReply | null {
    if (this.max === 0) return null;
    if (this.perform() !== EvictResult.FAIL) return null;
    let reject = (spec.flags & F.denyoom) !== 0;
    if (s.multi !== null) {
      // Queuing may use unbounded memory; EXEC is refused only for what it would run.
      if (!MULTI_OOM_EXEMPT.has(spec.name)) reject = true;
      else if (spec.name === 'exec') {
        for (const q of s.multi.queue) if (q.spec.flags & F.denyoom) reject = true;
      }
    }
    return reject ? E.OOM : null;
  }

  /** Evicts keys until under maxmemory: FAIL when that is impossible (noeviction, nothing left). */
  perform(): EvictOutcome {
    const node = this.node;
    if (this.max === 0 || node.loading) return EvictResult.OK;
    if (node.isReplica && node.config.bool('replica-ignore-maxmemory')) return EvictResult.OK;
    const used = this.used();
    if (used <= this.max) return EvictResult.OK;
    const policy = node.config.num('maxmemory-policy');
    if (policy === NOEVICTION) return EvictResult.FAIL;
    const toFree = used - this.max;
    const samples = Math.max(1, node.config.num('maxmemory-samples'));
    const tenacity = node.config.num('maxmemory-eviction-tenacity');
    // evictionTimeLimitUs: 50 us per tenacity step up to 10, then growing fast; 100 = no limit.
    const limitUs = tenacity <= 10 ? 50 * tenacity : tenacity < 100 ? 500 * Math.pow(1.15, tenacity - 10) : Infinity;
    const t0 = process.hrtime.bigint();
    const lazy = node.config.bool('lazyfree-lazy-eviction');
    let freed = 0;
    let n = 0;
    while (freed < toFree) {
      const victim = this.pick(policy, samples);
      if (victim === undefined) return EvictResult.FAIL;
      const [db, e] = victim;
      const key = e.key;
      freed += estimateSize(key, e.value);
      db.delete(key);
      node.stats.evictedKeys++;
      node.writeLog.append(db.id, [lazy ? 'UNLINK' : 'DEL', key]);
      node.watches.touch(db.id, key);
      node.notifyKeyspaceEvent('e', 'evicted', key, db.id);
      // Check the time only every 16 keys: hrtime is not free either.
      if (++n % 16 === 0 && Number(process.hrtime.bigint() - t0) / 1000 > limitUs) {
        this.pendingFreed += freed;
        this.noteFreed(freed);
        this.scheduleResume();
        return EvictResult.RUNNING;
      }
    }
    this.pendingFreed += freed;
    this.noteFreed(freed);
    return EvictResult.OK;
  }

  /**
   * Values of about `bytes` were dropped. A deleted value leaves the heap only at the next
   * GC, while Redis's used_memory falls at once (or, for lazy frees, soon after, which the
   * lazyfree tests wait for). Once the drops reach 1 MB and 2% of the heap, a GC runs
   * soon, at most once a second, and only while the heap is under 256 MB.
   */
  noteFreed(bytes: number): void {
    this.freedSinceGc += bytes;
    if (this.gcTimer !== null) return;
    // The cheap test first: most deletions are small. A forced GC stops the world for
    // about a millisecond per few MB of live heap, so big heaps are left to V8's own GC.
    if (this.freedSinceGc < 1 << 20) return;
    const heap = v8.getHeapStatistics().used_heap_size;
    if (this.freedSinceGc < heap / 50 || heap > MAX_FORCED_GC_HEAP) return;
    const gc = this.gcFunction();
    if (gc === null) return;
    this.gcTimer = setTimeout(() => {
      this.gcTimer = null;
      this.freedSinceGc = 0;
      this.lastGc = Date.now();
      gc();
    }, Math.max(0, this.lastGc + 1000 - Date.now()));
    this.gcTimer.unref();
  }

  /** V8's gc(), exposed on demand (--expose-gc at run time), or null where that fails. */
  private gcFunction(): (() => void) | null {
    if (this.gcFn !== undefined) return this.gcFn;
    try {
      v8.setFlagsFromString('--expose-gc');
      const fn: unknown = vm.runInNewContext('gc');
      this.gcFn = typeof fn === 'function' ? (fn as () => void) : null;
    } catch {
      this.gcFn = null;
    }
    return this.gcFn;
  }

  /** Keeps evicting in the background after a time-limited pass, as Redis's eviction timer does. */
  private scheduleResume(): void {
    if (this.resumeTimer !== null) return;
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = null;
      this.perform();
    }, 0);
    this.resumeTimer.unref();
  }

  /** The best candidate among `samples` random keys per database, by the policy's score. */
  private pick(policy: number, samples: number): [Database, Entry] | undefined {
    const volatileOnly = policy === VOLATILE_LRU || policy === VOLATILE_LFU || policy === VOLATILE_RANDOM || policy === VOLATILE_TTL;
    const dbs = this.node.dbs;
    if (policy === ALLKEYS_RANDOM || policy === VOLATILE_RANDOM) {
      // One random key from the first database that has candidates.
      for (let i = 0; i < dbs.length; i++) {
        const db = dbs[i]!;
        const e = volatileOnly ? db.randomVolatile() : db.randomEntry();
        if (e !== undefined) return [db, e];
      }
      return undefined;
    }
    const now = this.node.clock.now();
    let best: [Database, Entry] | undefined;
    let bestScore = -Infinity;
    for (const db of dbs) {
      const count = volatileOnly ? db.expiresCount : db.size;
      if (count === 0) continue;
      for (let i = 0; i < samples; i++) {
        const e = volatileOnly ? db.randomVolatile() : db.randomEntry();
        if (e === undefined) break;
        let score: number;
        if (policy === ALLKEYS_LRU || policy === VOLATILE_LRU) score = now - e.atime;
        else if (policy === ALLKEYS_LFU || policy === VOLATILE_LFU) score = 255 - e.freq;
        else score = -e.expireAt;
        if (score > bestScore) {
          bestScore = score;
          best = [db, e];
        }
      }
    }
    return best;
  }

  close(): void {
    if (this.resumeTimer !== null) clearTimeout(this.resumeTimer);
    this.resumeTimer = null;
    if (this.gcTimer !== null) clearTimeout(this.gcTimer);
    this.gcTimer = null;
  }
}

/**
 * Active expiry, as Redis 7.0 runs it (expire.c activeExpireCycle, slow cycle):
 * every 1/hz seconds, for each database, sample up to 20 keys that have a TTL, delete
 * the expired ones, and sample again while more than the acceptable stale share (10%
 * at active-expire-effort 1) of a sample was expired. A cycle stops when it has used
 * 25% of its period (25 ms at hz 10), so a dataset full of expired keys cannot stall
 * the event loop.
 * Imports: keyspace.
 */
import type { Database } from '../keyspace/database.js';

export interface ExpiryStats {
  expiredKeys: number;
  expiredStalePerc: number;
  expiredTimeCapReached: number;
}

export interface ExpiryHost {
  readonly dbs: readonly Database[];
  readonly stats: ExpiryStats;
  activeExpireEnabled: boolean;
  hz(): number;
  effort(): number;
  now(): number;
  /** True on replicas: primaries own expiry. */
  isReplica(): boolean;
}

export function activeExpireCycle(host: ExpiryHost): void {
  if (!host.activeExpireEnabled || host.isReplica()) return;
  const effort = Math.max(1, Math.min(10, host.effort())) - 1;
  const perLoop = 20 + Math.floor((20 / 4) * effort);
  const acceptableStale = 10 - effort;
  const budgetMs = (1000 * (25 + 2 * effort)) / 100 / Math.max(1, host.hz());
  const start = performance.now();
  let sampled = 0;
  let expired = 0;
  for (const db of host.dbs) {
    for (;;) {
      const n = db.expiresCount;
      if (n === 0) break;
      const want = Math.min(perLoop, n);
      let got = 0;
      for (let i = 0; i < want; i++) {
        const e = db.randomVolatile();
        if (e === undefined) break;
        sampled++;
        if (e.expireAt <= host.now()) {
          db.lookup(e.key); // deletes through the normal path: DEL in the write log, notifications
          got++;
        }
      }
      expired += got;
      if (performance.now() - start > budgetMs) {
        host.stats.expiredTimeCapReached++;
        finish(host, sampled, expired);
        return;
      }
      if (got * 100 <= want * acceptableStale) break;
    }
  }
  finish(host, sampled, expired);
}

function finish(host: ExpiryHost, sampled: number, expired: number): void {
  const perc = sampled ? expired / sampled : 0;
  host.stats.expiredStalePerc = perc * 0.05 + host.stats.expiredStalePerc * 0.95;
}

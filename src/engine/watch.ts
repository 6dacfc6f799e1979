/**
 * WATCH bookkeeping: which sessions watch which keys, so any write (including expiry,
 * FLUSHDB and SWAPDB) marks those sessions' transactions as doomed.
 * Imports: engine/session, keyspace (types).
 */
import type { Database } from '../keyspace/database.js';
import type { Session } from './session.js';

export class WatchRegistry {
  /** "db\0key" -> sessions watching it. */
  private readonly byKey = new Map<string, Set<Session>>();

  get size(): number {
    return this.byKey.size;
  }

  /**
   * `expired`: the key exists but its TTL had already passed when WATCH ran. Redis then
   * treats its later deletion by expiry as no change (multi.c touchWatchedKey).
   */
  watch(s: Session, db: number, key: string, expired = false): void {
    const id = `${db}\0${key}`;
    if (s.watched.has(id)) return;
    s.watched.set(id, { db, expired });
    let set = this.byKey.get(id);
    if (!set) this.byKey.set(id, (set = new Set()));
    set.add(s);
  }

  unwatchAll(s: Session): void {
    for (const id of s.watched.keys()) {
      const set = this.byKey.get(id);
      if (set) {
        set.delete(s);
        if (set.size === 0) this.byKey.delete(id);
      }
    }
    s.watched.clear();
    s.watchDirty = false;
  }

  touch(db: number, key: string): void {
    if (this.byKey.size === 0) return;
    const set = this.byKey.get(`${db}\0${key}`);
    if (set) for (const s of set) s.watchDirty = true;
  }

  /** A key was deleted because it expired: watchers that saw it expired already ignore it. */
  touchExpired(db: number, key: string): void {
    if (this.byKey.size === 0) return;
    const id = `${db}\0${key}`;
    const set = this.byKey.get(id);
    if (!set) return;
    for (const s of set) {
      const w = s.watched.get(id);
      if (w && w.expired) w.expired = false;
      else s.watchDirty = true;
    }
  }

  /**
   * `emptied` is about to lose all its keys (FLUSHDB, FLUSHALL, a reload) or, with
   * `replacedWith`, to take that database's keys (SWAPDB; call once per side). A watched
   * key changes only if it exists on either side, and an already-expired key that is
   * dropped or replaced by another expired one is no change (multi.c touchAllWatchedKeysInDb).
   */
  touchEmptied(emptied: Database, replacedWith: Database | null): void {
    if (this.byKey.size === 0) return;
    const prefix = `${emptied.id}\0`;
    for (const [id, set] of this.byKey) {
      if (!id.startsWith(prefix)) continue;
      const key = id.slice(prefix.length);
      const inEmptied = emptied.peek(key) !== undefined;
      const repl = replacedWith?.peek(key);
      if (!inEmptied && repl === undefined) continue;
      const replExpired = repl !== undefined && replacedWith!.isExpired(repl);
      for (const s of set) {
        const w = s.watched.get(id);
        if (w === undefined) continue;
        if (w.expired) {
          if (repl === undefined) {
            w.expired = false;
            continue;
          }
          if (replExpired) continue;
        } else if (!inEmptied && replExpired) {
          w.expired = true;
          continue;
        }
        s.watchDirty = true;
      }
    }
  }

  /** Watched keys of one session that were alive at WATCH time, for EXEC's expiry check. */
  *liveKeysOf(s: Session): IterableIterator<[number, string]> {
    for (const [id, w] of s.watched) if (!w.expired) yield [w.db, id.slice(id.indexOf('\0') + 1)];
  }
}

/**
 * DenseMap: a Map whose entries also sit in a dense array, for O(1) random picks and a
 * SCAN cursor that survives growth and shrinkage.
 *
 * Removal swaps the last slot into the hole. Iteration runs from the top index down:
 * the region already visited is [cursor, length), and a swap only ever moves an element
 * from the top (visited) into a hole, so an element present for the whole iteration is
 * never skipped. It may be seen twice, which SCAN allows. Cursor 0 starts and ends.
 *
 * Used for hash fields, set members, and (through Database) the keyspace itself.
 * Imports nothing from src.
 */
export interface Slot<V> {
  key: string;
  value: V;
  idx: number;
}

export class DenseMap<V> {
  private readonly map = new Map<string, Slot<V>>();
  private readonly arr: Slot<V>[] = [];

  get size(): number {
    return this.arr.length;
  }

  has(key: string): boolean {
    return this.map.has(key);
  }

  get(key: string): V | undefined {
    const s = this.map.get(key);
    return s === undefined ? undefined : s.value;
  }

  slot(key: string): Slot<V> | undefined {
    return this.map.get(key);
  }

  /** Returns true when the key was added, false when it was updated. */
  set(key: string, value: V): boolean {
    const s = this.map.get(key);
    if (s !== undefined) {
      s.value = value;
      return false;
    }
    const n: Slot<V> = { key, value, idx: this.arr.length };
    this.arr.push(n);
    this.map.set(key, n);
    return true;
  }

  delete(key: string): boolean {
    const s = this.map.get(key);
    if (s === undefined) return false;
    this.map.delete(key);
    const last = this.arr.pop()!;
    if (last !== s) {
      this.arr[s.idx] = last;
      last.idx = s.idx;
    }
    return true;
  }

  clear(): void {
    this.map.clear();
    this.arr.length = 0;
  }

  /** A uniformly random slot, or undefined when empty. */
  random(rand: () => number = Math.random): Slot<V> | undefined {
    const n = this.arr.length;
    if (n === 0) return undefined;
    return this.arr[Math.floor(rand() * n)];
  }

  at(i: number): Slot<V> | undefined {
    return this.arr[i];
  }

  keys(): IterableIterator<string> {
    return this.map.keys();
  }

  entries(): IterableIterator<[string, Slot<V>]> {
    return this.map.entries();
  }

  *[Symbol.iterator](): IterableIterator<[string, V]> {
    for (const s of this.arr) yield [s.key, s.value];
  }

  /**
   * Visits up to `count` slots starting at `cursor` and returns the next cursor (0 when
   * done). Visiting goes downward from index cursor-1; cursor 0 means "from the top".
   */
  scan(cursor: number, count: number, visit: (s: Slot<V>) => void): number {
    let i = cursor === 0 ? this.arr.length : Math.min(cursor, this.arr.length);
    let seen = 0;
    while (i > 0 && seen < count) {
      i--;
      visit(this.arr[i]!);
      seen++;
    }
    return i;
  }
}

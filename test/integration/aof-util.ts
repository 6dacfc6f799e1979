/**
 * Helpers shared by the AOF integration and crash tests: dumping a whole dataset
 * through the wire (so it can be compared across restarts and across servers),
 * reading an AOF directory, and small timing helpers.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Redis } from 'ioredis';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DumpedKey {
  db: number;
  key: string;
  type: string;
  value: unknown;
  /** True when the key has a TTL. */
  volatile: boolean;
}

/** Every key of every listed database with its value, sorted, via plain commands. */
export async function dumpDataset(r: Redis, dbs: number[] = [0, 1, 2, 3]): Promise<DumpedKey[]> {
  const out: DumpedKey[] = [];
  for (const db of dbs) {
    await r.select(db);
    const keys = (await r.keys('*')).sort();
    const tp = r.pipeline();
    for (const key of keys) tp.type(key).pttl(key);
    const tr = (await tp.exec())!.map((x) => x[1]);
    const vp = r.pipeline();
    keys.forEach((key, i) => {
      switch (tr[i * 2]) {
        case 'string': vp.get(key); break;
        case 'list': vp.lrange(key, 0, -1); break;
        case 'set': vp.smembers(key); break;
        case 'hash': vp.hgetall(key); break;
        case 'zset': vp.zrange(key, 0, -1, 'WITHSCORES'); break;
        default: vp.echo('');
      }
    });
    const vr = (await vp.exec())!.map((x) => x[1]);
    keys.forEach((key, i) => {
      const type = tr[i * 2] as string;
      let value = vr[i];
      if (type === 'set') value = (value as string[]).sort();
      if (type === 'hash') value = Object.entries(value as Record<string, string>).sort();
      out.push({ db, key, type, value, volatile: (tr[i * 2 + 1] as number) >= 0 });
    });
  }
  await r.select(0);
  return out;
}

export interface AofDir {
  manifest: string;
  files: string[];
}

export function readAofDir(dir: string, dirname = 'appendonlydir', filename = 'appendonly.aof'): AofDir {
  const d = path.join(dir, dirname);
  return {
    manifest: readFileSync(path.join(d, `${filename}.manifest`), 'latin1'),
    files: readdirSync(d).sort(),
  };
}

/** The RESP commands of a plain AOF file, as argv arrays (annotations skipped). */
export function parseAof(buf: Buffer): string[][] {
  const s = buf.toString('latin1');
  const out: string[][] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === '#') {
      i = s.indexOf('\n', i) + 1;
      continue;
    }
    const nl = s.indexOf('\r\n', i);
    const argc = Number(s.slice(i + 1, nl));
    i = nl + 2;
    const argv: string[] = [];
    for (let j = 0; j < argc; j++) {
      const nl2 = s.indexOf('\r\n', i);
      const len = Number(s.slice(i + 1, nl2));
      argv.push(s.slice(nl2 + 2, nl2 + 2 + len));
      i = nl2 + 2 + len + 2;
    }
    out.push(argv);
  }
  return out;
}

/** Polls INFO persistence until no rewrite is running or scheduled. */
export async function waitRewriteDone(r: Redis, timeoutMs = 10000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const info = await r.info('persistence');
    if (info.includes('aof_rewrite_in_progress:0') && info.includes('aof_rewrite_scheduled:0')) return;
    if (Date.now() - t0 > timeoutMs) throw new Error('rewrite did not finish');
    await sleep(10);
  }
}

export function infoField(info: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:(.*)\\r?$`, 'm').exec(info);
  return m ? m[1]!.trim() : undefined;
}

/**
 * Test helpers that observe a server's side effects: the error text of a rejected
 * command, the keyspace events a block of commands causes, and what reaches the write log.
 */
import { Redis } from 'ioredis';
import type { TesseraServer } from './server.js';

/** The error message of a command expected to fail; throws if it succeeds. */
export async function err(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error reply');
}

/**
 * Runs fn and returns the keyevent notifications (event:key) it caused, in order.
 * The caller enables notify-keyspace-events; a marker message on a private channel tells
 * when every event published before it has arrived.
 */
export async function keyEvents(srv: TesseraServer, r: Redis, fn: () => Promise<unknown>, db = 0): Promise<string[]> {
  const sub = new Redis(srv.port);
  const marker = `observe-done-${Math.random().toString(36).slice(2)}`;
  const got: string[] = [];
  let done!: () => void;
  const finished = new Promise<void>((res) => { done = res; });
  sub.on('pmessage', (_p: string, ch: string, key: string) => { got.push(`${ch.slice(ch.indexOf(':') + 1)}:${key}`); });
  sub.on('message', () => done());
  await sub.psubscribe(`__keyevent@${db}__:*`);
  await sub.subscribe(marker);
  await fn();
  await r.publish(marker, '1');
  await finished;
  sub.disconnect();
  return got;
}

/** Captures what the write log records while fn runs, one "argv joined by spaces" per entry. */
export async function propagated(srv: TesseraServer, fn: () => Promise<unknown>): Promise<string[]> {
  const out: string[] = [];
  const unsub = srv.node.writeLog.subscribe({ append: (_db, argv) => { out.push(argv.join(' ')); } });
  try {
    await fn();
  } finally {
    unsub();
  }
  return out;
}

/** The error message of a command, or '' when it succeeds. */
export async function errorText(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

/** Write-log entries (argv arrays) produced while fn runs. */
export async function writeLogDuring(srv: TesseraServer, fn: () => Promise<unknown>): Promise<string[][]> {
  const seen: string[][] = [];
  const unsub = srv.node.writeLog.subscribe({ append: (_db, argv) => seen.push([...argv]) });
  try {
    await fn();
  } finally {
    unsub();
  }
  return seen;
}

/** Keyspace events [class, event, key] the node emits while fn runs, whatever the config says. */
export async function eventsDuring(srv: TesseraServer, fn: () => Promise<unknown>): Promise<string[][]> {
  const node = srv.node;
  const seen: string[][] = [];
  const orig = node.notifyKeyspaceEvent;
  node.notifyKeyspaceEvent = (cls, event, key, db, letter) => {
    seen.push([letter ?? cls, event, key]);
    orig.call(node, cls, event, key, db, letter);
  };
  try {
    await fn();
  } finally {
    node.notifyKeyspaceEvent = orig;
  }
  return seen;
}

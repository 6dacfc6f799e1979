/**
 * EXEC: runs a session's queued commands as one unit.
 *
 * Before running, EXEC fails with EXECABORT when queuing saw an error, and with a null
 * array when a watched key changed (or expired) since WATCH. The queued commands run
 * with one frozen command time, their effects wrapped in MULTI/EXEC in the write log,
 * and blocking commands behave as their non-blocking forms.
 * Imports: commands, protocol, engine.
 */
import { BlockRequest } from '../commands/context.js';
import * as E from '../commands/errors.js';
import { NULL_ARRAY, type Reply } from '../protocol/reply.js';
import type { ServerNode } from './node.js';
import type { Session } from './session.js';

export function execTransaction(node: ServerNode, s: Session): Reply {
  const m = s.multi;
  if (m === null) return E.EXEC_WITHOUT_MULTI;
  s.multi = null;
  if (m.dirty) {
    node.watches.unwatchAll(s);
    return E.EXECABORT;
  }
  if (s.watchDirty || watchedKeyExpired(node, s)) {
    node.watches.unwatchAll(s);
    return NULL_ARRAY;
  }
  node.watches.unwatchAll(s);
  const out: Reply[] = [];
  const ctx = node.ctx;
  const now = node.clock.now();
  node.writeLog.begin(s.dbIndex);
  try {
    for (const q of m.queue) {
      ctx.now = now;
      const r = node.dispatcher.call(s, q.spec, q.argv, true);
      out.push(r instanceof BlockRequest ? r.timeoutReply : (r ?? null));
    }
  } finally {
    node.writeLog.end();
  }
  return out;
}

function watchedKeyExpired(node: ServerNode, s: Session): boolean {
  for (const [db, key] of node.watches.liveKeysOf(s)) {
    const e = node.dbs[db]?.peek(key);
    if (e !== undefined && e.expireAt !== 0 && e.expireAt <= node.clock.now()) return true;
  }
  return false;
}

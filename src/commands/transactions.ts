/**
 * MULTI EXEC DISCARD WATCH UNWATCH. Queuing and EXEC's execution live in the engine
 * (the dispatcher queues; EXEC re-enters it), these handlers only flip session state.
 * Imports: commands, protocol/reply.
 */
import type { CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { OK, type Reply } from '../protocol/reply.js';

// MULTI
function multi(ctx: CommandContext): Reply {
  if (ctx.client.multi !== null) return E.MULTI_NESTED;
  ctx.client.multi = { queue: [], dirty: false };
  return OK;
}

// EXEC
function exec(ctx: CommandContext): Reply {
  return ctx.server.execTransaction(ctx.client);
}

// DISCARD
function discard(ctx: CommandContext): Reply {
  if (ctx.client.multi === null) return E.DISCARD_WITHOUT_MULTI;
  ctx.client.multi = null;
  ctx.server.unwatchAll(ctx.client);
  return OK;
}

// WATCH key [key ...]
function watch(ctx: CommandContext, argv: string[]): Reply {
  if (ctx.client.multi !== null) return E.WATCH_IN_MULTI;
  for (let i = 1; i < argv.length; i++) ctx.server.watchKey(ctx.client, ctx.client.dbIndex, argv[i]!);
  return OK;
}

// UNWATCH
function unwatch(ctx: CommandContext): Reply {
  ctx.server.unwatchAll(ctx.client);
  return OK;
}

export const transactionCommands: CommandDef[] = [
  { name: 'multi', arity: 1, flags: 'noscript loading stale fast allow_busy', acl: 'transaction', group: 'transactions', since: '1.2.0', summary: 'Mark the start of a transaction block', run: multi },
  { name: 'exec', arity: 1, flags: 'noscript loading stale skip_slowlog', acl: 'transaction', group: 'transactions', since: '1.2.0', summary: 'Execute all commands issued after MULTI', run: exec },
  { name: 'discard', arity: 1, flags: 'noscript loading stale fast allow_busy', acl: 'transaction', group: 'transactions', since: '2.0.0', summary: 'Discard all commands issued after MULTI', run: discard },
  { name: 'watch', arity: -2, flags: 'noscript loading stale fast allow_busy', acl: 'transaction', keys: [1, -1, 1], group: 'transactions', since: '2.2.0', summary: 'Watch the given keys to determine execution of the MULTI/EXEC block', run: watch },
  { name: 'unwatch', arity: 1, flags: 'noscript loading stale fast allow_busy', acl: 'transaction', group: 'transactions', since: '2.2.0', summary: 'Forget about all watched keys', run: unwatch },
];

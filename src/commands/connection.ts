/**
 * Connection commands: PING ECHO QUIT RESET AUTH HELLO and the CLIENT family.
 * Imports: commands, protocol/reply, util.
 */
import type { ClientState, CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { ErrorReply, MapReply, NO_REPLY, OK, PONG, Status, VerbatimReply, type Reply } from '../protocol/reply.js';
import { parseInteger } from '../util/numbers.js';
import { REDIS_VERSION_STRING } from './version.js';

// PING [message]
function ping(ctx: CommandContext, argv: string[]): Reply {
  if (argv.length > 2) return E.wrongArity('ping');
  const c = ctx.client;
  if (c.resp === 2 && c.subscriptionCount() > 0) {
    return [ 'pong', argv.length === 2 ? argv[1]! : '' ];
  }
  return argv.length === 2 ? argv[1]! : PONG;
}

// ECHO message
function echo(_ctx: CommandContext, argv: string[]): Reply {
  return argv[1]!;
}

// QUIT
function quit(ctx: CommandContext): Reply {
  ctx.client.closeAfterReply = true;
  return OK;
}

// RESET
function reset(ctx: CommandContext): Reply {
  ctx.server.resetClient(ctx.client);
  return new Status('RESET');
}

function checkPassword(ctx: CommandContext, user: string, pass: string): ErrorReply | null {
  const required = ctx.server.config.str('requirepass');
  if (user !== 'default' || (required !== '' && pass !== required)) return E.WRONGPASS;
  return null;
}

// AUTH [username] password
function auth(ctx: CommandContext, argv: string[]): Reply {
  if (argv.length > 3) return E.SYNTAX;
  const required = ctx.server.config.str('requirepass');
  if (argv.length === 2 && required === '') {
    return new ErrorReply('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
  }
  const user = argv.length === 3 ? argv[1]! : 'default';
  const err = checkPassword(ctx, user, argv[argv.length - 1]!);
  if (err) return err;
  ctx.client.authenticated = true;
  ctx.client.user = user;
  return OK;
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
function hello(ctx: CommandContext, argv: string[]): Reply {
  const c = ctx.client;
  let ver = c.resp as number;
  let i = 1;
  if (argv.length >= 2) {
    const v = parseInteger(argv[1]!);
    if (v === null) return new ErrorReply('ERR Protocol version is not an integer or out of range');
    if (v < 2 || v > 3) return new ErrorReply('NOPROTO unsupported protocol version');
    ver = v;
    i = 2;
  }
  let name: string | null = null;
  let authPair: [string, string] | null = null;
  for (; i < argv.length; i++) {
    const opt = argv[i]!.toLowerCase();
    const more = argv.length - i - 1;
    if (opt === 'auth' && more >= 2) {
      authPair = [argv[i + 1]!, argv[i + 2]!];
      i += 2;
    } else if (opt === 'setname' && more >= 1) {
      name = argv[i + 1]!;
      i += 1;
    } else {
      return new ErrorReply(`ERR Syntax error in HELLO option '${argv[i]}'`);
    }
  }
  if (authPair) {
    const err = checkPassword(ctx, authPair[0], authPair[1]);
    if (err) return err;
    c.authenticated = true;
    c.user = authPair[0];
  }
  if (!c.authenticated) return new ErrorReply('NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time');
  if (name !== null) {
    const bad = validateName(name);
    if (bad) return bad;
    c.name = name;
  }
  c.resp = ver as 2 | 3;
  return new MapReply([
    'server', 'redis',
    'version', REDIS_VERSION_STRING,
    'proto', ver,
    'id', c.id,
    'mode', ctx.server.config.bool('cluster-enabled') ? 'cluster' : 'standalone',
    'role', ctx.server.isReplica ? 'replica' : 'master',
    'modules', [],
  ]);
}

function validateName(name: string): ErrorReply | null {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) return new ErrorReply('ERR Client names cannot contain spaces, newlines or special characters.');
  }
  return null;
}

/** One CLIENT LIST / CLIENT INFO line. */
export function clientLine(c: ClientState, now: number): string {
  const sub = c.subscriptionCount();
  const m = c.multi;
  return `id=${c.id} addr=${c.addr} laddr=${c.laddr} fd=${c.fd} name=${c.name} ` +
    `age=${Math.floor((now - c.createdAt) / 1000)} idle=${Math.floor((now - c.lastInteraction) / 1000)} ` +
    `flags=${c.flagString()} db=${c.dbIndex} sub=${sub} psub=0 ssub=0 multi=${m ? m.queue.length : -1} ` +
    `qbuf=${c.queryBufferSize} qbuf-free=0 argv-mem=0 multi-mem=0 rbs=16384 rbp=0 obl=0 oll=0 omem=${c.outputBufferSize} ` +
    `tot-mem=${c.queryBufferSize + c.outputBufferSize} events=r cmd=${c.lastCommand} user=${c.user} redir=-1 resp=${c.resp}` +
    `${c.libName || c.libVer ? ` lib-name=${c.libName} lib-ver=${c.libVer}` : ''}\n`;
}

// CLIENT LIST [TYPE NORMAL|MASTER|REPLICA|PUBSUB] [ID client-id ...]
function clientList(ctx: CommandContext, argv: string[]): Reply {
  let clients = ctx.server.clients();
  if (argv.length >= 4 && argv[2]!.toLowerCase() === 'type') {
    if (argv.length !== 4) return E.SYNTAX;
    const t = argv[3]!.toLowerCase();
    if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(t)) return new ErrorReply(`ERR Unknown client type '${argv[3]}'`);
    clients = clients.filter((c) => (t === 'pubsub' ? c.subscriptionCount() > 0 : t === 'normal' ? c.subscriptionCount() === 0 : false));
  } else if (argv.length >= 4 && argv[2]!.toLowerCase() === 'id') {
    const ids = new Set<number>();
    for (const a of argv.slice(3)) {
      const n = parseInteger(a);
      if (n === null || n <= 0) return new ErrorReply('ERR Invalid client ID');
      ids.add(n);
    }
    clients = clients.filter((c) => ids.has(c.id));
  } else if (argv.length !== 2) {
    return E.SYNTAX;
  }
  const now = Date.now();
  return new VerbatimReply(clients.map((c) => clientLine(c, now)).join(''));
}

// CLIENT KILL ip:port | CLIENT KILL [ID id] [TYPE type] [USER user] [ADDR ip:port] [LADDR ip:port] [SKIPME yes/no] [MAXAGE secs]
function clientKill(ctx: CommandContext, argv: string[]): Reply {
  const me = ctx.client;
  if (argv.length === 3) {
    const target = ctx.server.clients().find((c) => c.addr === argv[2]);
    if (!target) return new ErrorReply('ERR No such client');
    if (target === me) me.closeAfterReply = true;
    else ctx.server.killClient(target.id);
    return OK;
  }
  if ((argv.length - 2) % 2 !== 0) return E.SYNTAX;
  let id: number | null = null;
  let addr: string | null = null;
  let laddr: string | null = null;
  let type: string | null = null;
  let user: string | null = null;
  let maxage: number | null = null;
  let skipme = true;
  for (let i = 2; i < argv.length; i += 2) {
    const opt = argv[i]!.toLowerCase();
    const val = argv[i + 1]!;
    if (opt === 'id') {
      const n = parseInteger(val);
      if (n === null || n <= 0) return new ErrorReply('ERR client-id should be greater than 0');
      id = n;
    } else if (opt === 'addr') addr = val;
    else if (opt === 'laddr') laddr = val;
    else if (opt === 'user') {
      // Without ACLs the default user is the only one there is.
      if (val !== 'default') return new ErrorReply(`ERR No such user '${val}'`);
      user = val;
    }
    else if (opt === 'type') {
      type = val.toLowerCase();
      if (!['normal', 'master', 'replica', 'slave', 'pubsub'].includes(type)) return new ErrorReply(`ERR Unknown client type '${val}'`);
    } else if (opt === 'skipme') {
      const v = val.toLowerCase();
      if (v === 'yes') skipme = true;
      else if (v === 'no') skipme = false;
      else return E.SYNTAX;
    } else if (opt === 'maxage') {
      const n = parseInteger(val);
      if (n === null) return E.NOT_INTEGER;
      maxage = n;
    } else return E.SYNTAX;
  }
  const now = Date.now();
  let killed = 0;
  for (const c of ctx.server.clients()) {
    if (id !== null && c.id !== id) continue;
    if (addr !== null && c.addr !== addr) continue;
    if (laddr !== null && c.laddr !== laddr) continue;
    if (user !== null && c.user !== user) continue;
    if (type !== null && (type === 'pubsub' ? c.subscriptionCount() === 0 : type === 'normal' ? c.subscriptionCount() > 0 : true)) continue;
    if (maxage !== null && (now - c.createdAt) / 1000 < maxage) continue;
    if (c === me && skipme) continue;
    if (c === me) me.closeAfterReply = true;
    else ctx.server.killClient(c.id);
    killed++;
  }
  return killed;
}

function clientSubcommand(name: string, arity: number, flags: string, summary: string, run: CommandDef['run']): CommandDef {
  return { name, arity, flags, group: 'connection', since: '2.4.0', summary, run, acl: 'connection' };
}

const CLIENT_HELP = [
  'CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CACHING (YES|NO)', '    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.',
  'GETREDIR', '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME', '    Return the name of the current connection.',
  'ID', '    Return the ID of the current connection.',
  'INFO', '    Return information about the current client connection.',
  'KILL <ip:port>', '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]', '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)', '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)', '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)', '      Kill connections by type.',
  '    * USER <username>', '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)', '      Skip killing current connection (default: yes).',
  '    * ID <client-id>', '      Kill connections by client id.',
  '    * MAXAGE <maxage>', '      Kill connections older than the specified age.',
  'LIST [options ...]', '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)', '      Return clients of specified type.',
  'UNPAUSE', '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]', '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)', '    Control the replies sent to the current connection.',
  'SETNAME <name>', '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]', '    Unblock the specified blocked client.',
  'TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]', '         [OPTIN] [OPTOUT] [NOLOOP]', '    Control server assisted client side caching.',
  'TRACKINGINFO', '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)', '    Protect current client connection from eviction.',
  'HELP', '    Print this help.',
];

function onOff(v: string): boolean | null {
  const l = v.toLowerCase();
  return l === 'on' ? true : l === 'off' ? false : null;
}

const clientCommand: CommandDef = {
  name: 'client', arity: -2, flags: '', group: 'connection', since: '2.4.0', summary: 'A container for client connection commands',
  subcommands: [
    clientSubcommand('id', 2, 'noscript loading stale', 'Returns the client ID for the current connection', (ctx) => ctx.client.id),
    clientSubcommand('getname', 2, 'noscript loading stale', 'Get the current connection name', (ctx) => ctx.client.name || null),
    clientSubcommand('setname', 3, 'noscript loading stale', 'Set the current connection name', (ctx, argv) => {
      const name = argv[2]!;
      const bad = validateName(name);
      if (bad) return bad;
      ctx.client.name = name;
      return OK;
    }),
    clientSubcommand('setinfo', 4, 'noscript loading stale', 'Set client or connection specific info', (ctx, argv) => {
      const attr = argv[2]!.toLowerCase();
      const val = argv[3]!;
      if (attr !== 'lib-name' && attr !== 'lib-ver') return new ErrorReply(`ERR Unrecognized option '${argv[2]}'`);
      for (let i = 0; i < val.length; i++) {
        const c = val.charCodeAt(i);
        if (c < 33 || c > 126) return new ErrorReply(`ERR ${attr} cannot contain spaces, newlines or special characters.`);
      }
      if (attr === 'lib-name') ctx.client.libName = val;
      else ctx.client.libVer = val;
      return OK;
    }),
    clientSubcommand('list', -2, 'admin noscript loading stale', 'Get the list of client connections', clientList),
    clientSubcommand('info', 2, 'noscript loading stale', 'Returns information about the current client connection.', (ctx) =>
      new VerbatimReply(clientLine(ctx.client, Date.now()))),
    clientSubcommand('kill', -3, 'admin noscript loading stale', 'Kill the connection of a client', clientKill),
    clientSubcommand('pause', -3, 'admin noscript loading stale', 'Stop processing commands from clients for some time', (ctx, argv) => {
      const ms = parseInteger(argv[2]!);
      if (ms === null || ms < 0) return new ErrorReply('ERR timeout is not an integer or out of range');
      let writesOnly = false;
      if (argv.length === 4) {
        const m = argv[3]!.toLowerCase();
        if (m === 'write') writesOnly = true;
        else if (m !== 'all') return new ErrorReply('ERR CLIENT PAUSE mode must be WRITE or ALL');
      } else if (argv.length > 4) return E.SYNTAX;
      ctx.server.pauseClients(Date.now() + ms, writesOnly);
      return OK;
    }),
    clientSubcommand('unpause', 2, 'admin noscript loading stale', 'Resume processing of clients that were paused', (ctx) => {
      ctx.server.unpauseClients();
      return OK;
    }),
    clientSubcommand('reply', 3, 'noscript loading stale', 'Instruct the server whether to reply to commands', (ctx, argv) => {
      const m = argv[2]!.toLowerCase();
      if (m === 'on') { ctx.client.replyMode = 'on'; return OK; }
      if (m === 'off') { ctx.client.replyMode = 'off'; return NO_REPLY; }
      if (m === 'skip') { ctx.client.replyMode = 'skip'; return NO_REPLY; }
      return E.SYNTAX;
    }),
    clientSubcommand('no-evict', 3, 'admin noscript loading stale', 'Set client eviction mode for the current connection', (ctx, argv) => {
      const v = onOff(argv[2]!);
      if (v === null) return E.SYNTAX;
      ctx.client.noEvict = v;
      return OK;
    }),
    clientSubcommand('no-touch', 3, 'noscript loading stale', 'Controls whether commands sent by the client will alter the LRU/LFU of the keys they access.', (ctx, argv) => {
      const v = onOff(argv[2]!);
      if (v === null) return E.SYNTAX;
      ctx.client.noTouch = v;
      return OK;
    }),
    clientSubcommand('unblock', -3, 'admin noscript loading stale', 'Unblock a client blocked in a blocking command from a different connection', (ctx, argv) => {
      const id = parseInteger(argv[2]!);
      if (id === null) return E.NOT_INTEGER;
      let withError = false;
      if (argv.length === 4) {
        const m = argv[3]!.toLowerCase();
        if (m === 'error') withError = true;
        else if (m !== 'timeout') return new ErrorReply('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      } else if (argv.length > 4) return E.SYNTAX;
      return ctx.server.unblockClient(id, withError) ? 1 : 0;
    }),
    clientSubcommand('getredir', 2, 'noscript loading stale', 'Get tracking notifications redirection client ID if any', () => -1),
    clientSubcommand('help', 2, 'loading stale', 'Show helpful text about the different subcommands', () => CLIENT_HELP.map((l) => new Status(l))),
  ],
};

export const connectionCommands: CommandDef[] = [
  { name: 'ping', arity: -1, flags: 'fast', acl: 'connection', group: 'connection', since: '1.0.0', summary: 'Ping the server', run: ping },
  { name: 'echo', arity: 2, flags: 'loading stale fast', acl: 'connection', group: 'connection', since: '1.0.0', summary: 'Echo the given string', run: echo },
  { name: 'quit', arity: -1, flags: 'allow_busy noscript loading stale fast no_auth', acl: 'connection', group: 'connection', since: '1.0.0', summary: 'Close the connection', run: quit },
  { name: 'reset', arity: 1, flags: 'noscript loading stale fast no_auth allow_busy', acl: 'connection', group: 'connection', since: '6.2.0', summary: 'Reset the connection', run: reset },
  { name: 'auth', arity: -2, flags: 'noscript loading stale fast no_auth allow_busy', acl: 'connection', group: 'connection', since: '1.0.0', summary: 'Authenticate to the server', run: auth },
  { name: 'hello', arity: -1, flags: 'noscript loading stale fast no_auth allow_busy', acl: 'connection', group: 'connection', since: '6.0.0', summary: 'Handshake with Redis', run: hello },
  clientCommand,
];


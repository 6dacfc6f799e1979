/**
 * FUNCTION, for a server that has no scripting engine yet: every subcommand that is
 * meaningful with zero libraries answers exactly as Redis 7.0 does with none loaded
 * (FLUSH, LIST, STATS, KILL, DELETE, HELP). LOAD, DUMP and RESTORE arrive with the Lua
 * issue; until then they are unknown subcommands. Test frameworks (Redis's own suite)
 * call FUNCTION FLUSH between tests, which is why this exists before scripting.
 * Imports: commands, protocol/reply.
 */
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { ErrorReply, MapReply, OK, Status } from '../protocol/reply.js';

const HELP = [
  'FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'DELETE <LIBRARY NAME>', '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]', '    Return general information on all the libraries:',
  '    * Library name', '    * The engine used to run the Library', '    * Library description', '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS', '    Return information about the current function running:', '    * Function name',
  '    * Command used to run the function', '    * Duration in MS that the function is running',
  '    If no function is running, return nil', '    In addition, returns a list of available engines.',
  'KILL', '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]', '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.', '    * SYNC: Synchronously flush the libraries.',
  'HELP', '    Prints this help.',
];

const sub = (name: string, arity: number, flags: string, summary: string, run: CommandDef['run']): CommandDef =>
  ({ name, arity, flags, acl: 'scripting', group: 'scripting', since: '7.0.0', summary, run });

export const functionCommands: CommandDef[] = [
  {
    name: 'function', arity: -2, flags: '', group: 'scripting', since: '7.0.0', summary: 'A container for function commands',
    subcommands: [
      // FUNCTION FLUSH [ASYNC|SYNC]
      sub('flush', -2, 'noscript write', 'Deleting all functions', (_ctx, argv) => {
        if (argv.length > 3) return E.SYNTAX;
        if (argv.length === 3) {
          const m = argv[2]!.toLowerCase();
          if (m !== 'sync' && m !== 'async') return new ErrorReply('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
        }
        return OK;
      }),
      // FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
      sub('list', -2, 'noscript', 'List information about all the functions', (_ctx, argv) => {
        for (let i = 2; i < argv.length; i++) {
          const o = argv[i]!.toLowerCase();
          if (o === 'withcode') continue;
          if (o === 'libraryname' && i + 1 < argv.length) { i++; continue; }
          return new ErrorReply(`ERR Unknown argument ${argv[i]}`);
        }
        return [];
      }),
      // FUNCTION STATS
      sub('stats', 2, 'noscript allow_busy', 'Return information about the function currently running (name, description, duration)', () =>
        new MapReply(['running_script', null, 'engines', new MapReply(['LUA', new MapReply(['libraries_count', 0, 'functions_count', 0])])])),
      // FUNCTION KILL
      sub('kill', 2, 'noscript allow_busy', 'Kill the function currently in execution.', () => new ErrorReply('NOTBUSY No scripts in execution right now.')),
      // FUNCTION DELETE library-name
      sub('delete', 3, 'noscript write', 'Delete a function by name', () => new ErrorReply('ERR Library not found')),
      sub('help', 2, 'loading stale', 'Show helpful text about the different subcommands', () => HELP.map((l) => new Status(l))),
    ],
  },
];

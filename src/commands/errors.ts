/**
 * Error reply texts, word for word as Redis 7.0 writes them: clients parse these.
 * Shared texts live here; a text used by one command only may stay beside it.
 * Imports: protocol/reply.
 */
import { ErrorReply } from '../protocol/reply.js';

// Generic argument errors
export const SYNTAX = new ErrorReply('ERR syntax error');
export const NOT_INTEGER = new ErrorReply('ERR value is not an integer or out of range');
export const NOT_FLOAT = new ErrorReply('ERR value is not a valid float');
export const WRONGTYPE = new ErrorReply('WRONGTYPE Operation against a key holding the wrong kind of value');
export const NO_SUCH_KEY = new ErrorReply('ERR no such key');
export const OUT_OF_RANGE = new ErrorReply('ERR index out of range');
export const INVALID_DB = new ErrorReply('ERR DB index is out of range');
export const INVALID_EXPIRE = (cmd: string) => new ErrorReply(`ERR invalid expire time in '${cmd}' command`);
export const OVERFLOW = new ErrorReply('ERR increment or decrement would overflow');
export const NAN_OR_INF = new ErrorReply('ERR increment would produce NaN or Infinity');
export const STRING_TOO_LONG = new ErrorReply('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
export const SAME_OBJECT = new ErrorReply('ERR source and destination objects are the same');
export const TIMEOUT_NOT_FLOAT = new ErrorReply('ERR timeout is not a float or out of range');
export const TIMEOUT_NEGATIVE = new ErrorReply('ERR timeout is negative');
export const MIN_MAX_NOT_FLOAT = new ErrorReply('ERR min or max is not a float');
export const MIN_MAX_NOT_STRING = new ErrorReply('ERR min or max not valid string range item');
// Count / numkeys arguments (getPositiveLong / getRangeLong texts)
export const MUST_BE_POSITIVE = new ErrorReply('ERR value is out of range, must be positive');
export const NUMKEYS_POSITIVE = new ErrorReply('ERR numkeys should be greater than 0');
export const COUNT_POSITIVE = new ErrorReply('ERR count should be greater than 0');
export const INT_RANGE = new ErrorReply('ERR value is out of range, value must between -2147483648 and 2147483647');
export const RANDOM_COUNT_RANGE = new ErrorReply('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');
export const NUMKEYS_TOO_MANY = new ErrorReply("ERR Number of keys can't be greater than number of args");
/** Tessera-only: a repeats-allowed random reply (negative count) too big to build in memory. */
export const RANDOM_COUNT_TOO_LARGE = new ErrorReply('ERR count is too large for a single reply');
export const MAX_RANDOM_REPLY = 1 << 24;

// Dispatcher gates
export const unknownCommand = (name: string, args: readonly string[]) => {
  let list = '';
  for (const a of args) {
    if (list.length >= 128) break;
    list += `'${a.slice(0, 128 - list.length)}' `;
  }
  return new ErrorReply(`ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${list}`);
};
export const unknownSubcommand = (sub: string, parent: string) =>
  new ErrorReply(`ERR unknown subcommand '${sub.slice(0, 128)}'. Try ${parent.toUpperCase()} HELP.`);
export const wrongArity = (fullName: string) =>
  new ErrorReply(`ERR wrong number of arguments for '${fullName}' command`);
export const NOAUTH = new ErrorReply('NOAUTH Authentication required.');
export const WRONGPASS = new ErrorReply('WRONGPASS invalid username-password pair or user is disabled.');
export const NOT_IN_MULTI = new ErrorReply('ERR Command not allowed inside a transaction');
export const MULTI_NESTED = new ErrorReply('ERR MULTI calls can not be nested');
export const EXEC_WITHOUT_MULTI = new ErrorReply('ERR EXEC without MULTI');
export const DISCARD_WITHOUT_MULTI = new ErrorReply('ERR DISCARD without MULTI');
export const WATCH_IN_MULTI = new ErrorReply('ERR WATCH inside MULTI is not allowed');
export const EXECABORT = new ErrorReply('EXECABORT Transaction discarded because of previous errors.');
export const OOM = new ErrorReply("OOM command not allowed when used memory > 'maxmemory'.");
export const MISCONF = new ErrorReply(
  "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. " +
  'Commands that may modify the data set are disabled, because this instance is configured to report ' +
  'errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). ' +
  'Please check the Redis logs for details about the RDB error.');
export const MISCONF_AOF = new ErrorReply('MISCONF Errors writing to the AOF file: ');
export const READONLY = new ErrorReply("READONLY You can't write against a read only replica.");
export const LOADING = new ErrorReply('LOADING Redis is loading the dataset in memory');
export const pubsubContext = (name: string) => new ErrorReply(
  `ERR Can't execute '${name}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`);

/**
 * The table of every directive Redis 7.0.15 knows: name, alias, type, default, bounds,
 * enum values and flags (immutable, protected, sensitive, hidden, ...). These are facts
 * observed on a real 7.0.15 build with TLS support; the table is constant data only.
 *
 * Invariants: names and aliases are lowercase and unique across the table; numeric
 * bounds are bigints because several reach 2^63-1 or 2^64-1; `def` for a numeric is the
 * int64 value Redis stores (percentages are stored negative, as Redis does).
 * Imports nothing outside src/config.
 */

export const IMMUTABLE = 1;
export const PROTECTED = 2;
export const SENSITIVE = 4;
export const HIDDEN = 8;
export const DENY_LOADING = 16;
export const VOLATILE = 32;
export const MULTI_ARG = 64;
export const DEBUG = 128;

/** Numeric parsing modes (Redis's MEMORY_CONFIG / PERCENT_CONFIG / OCTAL_CONFIG). */
export const MEMORY = 1;
export const PERCENT = 2;
export const OCTAL = 4;

export type StringCheck = (v: string) => string | null;

interface Common {
  readonly name: string;
  readonly alias: string | null;
  readonly flags: number;
}
export interface BoolDef extends Common {
  readonly type: 'bool';
  readonly def: boolean;
  readonly check: ((v: boolean) => string | null) | null;
}
export interface StringDef extends Common {
  readonly type: 'string';
  /** Default; null means "unset" (CONFIG GET shows ""). */
  readonly def: string | null;
  /** Setting "" stores null (Redis's EMPTY_STRING_IS_NULL). */
  readonly emptyIsNull: boolean;
  readonly check: StringCheck | null;
}
export interface EnumDef extends Common {
  readonly type: 'enum';
  readonly values: ReadonlyArray<readonly [string, number]>;
  readonly def: number;
  readonly check: ((v: number) => string | null) | null;
}
export interface NumDef extends Common {
  readonly type: 'num';
  readonly min: bigint;
  readonly max: bigint;
  readonly def: bigint;
  /** Bounds compare as uint64 (C unsigned int, size_t, unsigned long long). */
  readonly unsigned: boolean;
  readonly mode: number;
}
export type SpecialKind = 'dir' | 'save' | 'obuf' | 'oom' | 'notify' | 'bind' | 'replicaof' | 'percentiles';
export interface SpecialDef extends Common { readonly type: 'special'; readonly kind: SpecialKind }
export type DirectiveDef = BoolDef | StringDef | EnumDef | NumDef | SpecialDef;

const INT_MAX = 2147483647n;
const INT_MIN = -2147483648n;
const UINT_MAX = 4294967295n;
const LONG_MAX = 9223372036854775807n;
const ULLONG_MAX = 18446744073709551615n;

const M = IMMUTABLE;
const MOD = 0;

function b(name: string, alias: string | null, flags: number, def: boolean,
  check: ((v: boolean) => string | null) | null = null): BoolDef {
  return { type: 'bool', name, alias, flags, def, check };
}
function s(name: string, alias: string | null, flags: number, emptyIsNull: boolean, def: string | null,
  check: StringCheck | null = null): StringDef {
  return { type: 'string', name, alias, flags, emptyIsNull, def, check };
}
function e(name: string, alias: string | null, flags: number, values: ReadonlyArray<readonly [string, number]>,
  def: number, check: ((v: number) => string | null) | null = null): EnumDef {
  return { type: 'enum', name, alias, flags, values, def, check };
}
function n(name: string, alias: string | null, flags: number, min: bigint, max: bigint, def: bigint,
  mode = 0, unsigned = false): NumDef {
  return { type: 'num', name, alias, flags, min, max, def, mode, unsigned };
}
function sp(name: string, alias: string | null, flags: number, kind: SpecialKind): SpecialDef {
  return { type: 'special', name, alias, flags, kind };
}

const NULL_STR = true;
const ALLOW_EMPTY = false;

const MAXMEMORY_POLICY = [['volatile-lru', 1], ['volatile-lfu', 2], ['volatile-random', 3], ['volatile-ttl', 4],
  ['allkeys-lru', 5], ['allkeys-lfu', 6], ['allkeys-random', 7], ['noeviction', 8]] as const;
const SYSLOG_FACILITY = [['user', 8], ['local0', 128], ['local1', 136], ['local2', 144], ['local3', 152],
  ['local4', 160], ['local5', 168], ['local6', 176], ['local7', 184]] as const;
const LOGLEVEL = [['debug', 0], ['verbose', 1], ['notice', 2], ['warning', 3]] as const;
const SUPERVISED = [['upstart', 1], ['systemd', 2], ['auto', 3], ['no', 0]] as const;
const APPENDFSYNC = [['everysec', 2], ['always', 1], ['no', 0]] as const;
/** Bit flags: several may be combined on one line (MULTI_ARG enum). */
export const SHUTDOWN_SAVE = 1;
export const SHUTDOWN_NOSAVE = 2;
export const SHUTDOWN_NOW = 4;
export const SHUTDOWN_FORCE = 8;
const SHUTDOWN_ON_SIG = [['default', 0], ['save', SHUTDOWN_SAVE], ['nosave', SHUTDOWN_NOSAVE],
  ['now', SHUTDOWN_NOW], ['force', SHUTDOWN_FORCE]] as const;
const DISKLESS_LOAD = [['disabled', 0], ['on-empty-db', 1], ['swapdb', 2]] as const;
const TLS_AUTH = [['no', 0], ['yes', 1], ['optional', 2]] as const;
const OOM_SCORE_ADJ = [['no', 0], ['yes', 1], ['relative', 1], ['absolute', 2]] as const;
const ACL_PUBSUB = [['allchannels', 1], ['resetchannels', 0]] as const;
const SANITIZE = [['no', 0], ['yes', 1], ['clients', 2]] as const;
const PROTECTED_ACTION = [['no', 0], ['yes', 1], ['local', 2]] as const;
const ENDPOINT_TYPE = [['ip', 0], ['hostname', 1], ['unknown-endpoint', 2]] as const;
const PROPAGATION_ERR = [['ignore', 0], ['panic', 1], ['panic-on-replicas', 2]] as const;

function baseName(what: string, kind: string): StringCheck {
  return (v) => {
    if (what !== 'dbfilename' && v === '') return `${what} can't be empty`;
    if (v.includes('/') || v.includes('\\')) return `${what} can't be a path, just a ${kind}`;
    return null;
  };
}

function checkHostname(v: string): string | null {
  if (v.length >= 256) return 'Hostnames must be less than 256 characters';
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46;
    if (!ok) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  }
  return null;
}

/** Variables proc-title-template may use, and whether each can expand to "" at validation. */
const TITLE_VARS: Record<string, boolean> = {
  'title': true, 'listen-addr': false, 'server-mode': true, 'config-file': false,
  'port': false, 'tls-port': false, 'unixsocket': true,
};

/** Redis validates by expanding with an empty title; an empty (trimmed) result is invalid. */
function checkProcTitle(v: string): string | null {
  const bad = 'template format is invalid or contains unknown variables';
  let nonEmpty = false;
  let i = 0;
  while (i < v.length) {
    const open = v.indexOf('{', i);
    if (open < 0) { if (v.slice(i).trim() !== '') nonEmpty = true; break; }
    if (v.slice(i, open).trim() !== '') nonEmpty = true;
    if (open + 1 >= v.length) return bad;
    if (v[open + 1] === '{') { nonEmpty = true; i = open + 2; continue; }
    const close = v.indexOf('}', open + 1);
    if (close < 0) return bad;
    const mayBeEmpty = TITLE_VARS[v.slice(open + 1, close)];
    if (mayBeEmpty === undefined) return bad;
    if (!mayBeEmpty) nonEmpty = true;
    i = close + 1;
  }
  return nonEmpty ? null : bad;
}

/** Tessera has no allocator-level defragmentation, like a Redis built without jemalloc. */
function checkActiveDefrag(v: boolean): string | null {
  return v ? 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a ' +
    'modified Jemalloc like the one shipped by default with the Redis source distribution' : null;
}

function checkShutdownFlags(v: number): string | null {
  if ((v & SHUTDOWN_SAVE) && (v & SHUTDOWN_NOSAVE)) {
    return "shutdown options SAVE and NOSAVE can't be used simultaneously";
  }
  return null;
}

export const DIRECTIVES: readonly DirectiveDef[] = [
  // Booleans
  b('rdbchecksum', null, M, true),
  b('daemonize', null, M, false),
  b('io-threads-do-reads', null, DEBUG | M, false),
  b('always-show-logo', null, M, false),
  b('protected-mode', null, MOD, true),
  b('rdbcompression', null, MOD, true),
  b('rdb-del-sync-files', null, MOD, false),
  b('activerehashing', null, MOD, true),
  b('stop-writes-on-bgsave-error', null, MOD, true),
  b('set-proc-title', null, M, true),
  b('dynamic-hz', null, MOD, true),
  b('lazyfree-lazy-eviction', null, DEBUG, false),
  b('lazyfree-lazy-expire', null, DEBUG, false),
  b('lazyfree-lazy-server-del', null, DEBUG, false),
  b('lazyfree-lazy-user-del', null, DEBUG, false),
  b('lazyfree-lazy-user-flush', null, DEBUG, false),
  b('repl-disable-tcp-nodelay', null, MOD, false),
  b('repl-diskless-sync', null, DEBUG, true),
  b('aof-rewrite-incremental-fsync', null, MOD, true),
  b('no-appendfsync-on-rewrite', null, MOD, false),
  b('cluster-require-full-coverage', null, MOD, true),
  b('rdb-save-incremental-fsync', null, MOD, true),
  b('aof-load-truncated', null, MOD, true),
  b('aof-use-rdb-preamble', null, MOD, true),
  b('aof-timestamp-enabled', null, MOD, false),
  b('cluster-replica-no-failover', 'cluster-slave-no-failover', MOD, false),
  b('replica-lazy-flush', 'slave-lazy-flush', MOD, false),
  b('replica-serve-stale-data', 'slave-serve-stale-data', MOD, true),
  b('replica-read-only', 'slave-read-only', DEBUG, true),
  b('replica-ignore-maxmemory', 'slave-ignore-maxmemory', MOD, true),
  b('jemalloc-bg-thread', null, MOD, true),
  b('activedefrag', null, DEBUG, false, checkActiveDefrag),
  b('syslog-enabled', null, M, false),
  b('cluster-enabled', null, M, false),
  b('appendonly', null, DENY_LOADING, false),
  b('cluster-allow-reads-when-down', null, MOD, false),
  b('cluster-allow-pubsubshard-when-down', null, MOD, true),
  b('crash-log-enabled', null, MOD, true),
  b('crash-memcheck-enabled', null, MOD, true),
  b('use-exit-on-panic', null, HIDDEN, false),
  b('disable-thp', null, M, true),
  b('cluster-allow-replica-migration', null, MOD, true),
  b('replica-announced', null, MOD, true),
  b('latency-tracking', null, MOD, true),
  b('aof-disable-auto-gc', null, MOD, false),
  b('replica-ignore-disk-write-errors', null, MOD, false),

  // Strings
  s('aclfile', null, M, ALLOW_EMPTY, ''),
  s('unixsocket', null, M, NULL_STR, null),
  s('pidfile', null, M, NULL_STR, null),
  s('replica-announce-ip', 'slave-announce-ip', MOD, NULL_STR, null),
  s('masteruser', null, SENSITIVE, NULL_STR, null),
  s('cluster-announce-ip', null, MOD, NULL_STR, null),
  s('cluster-config-file', null, M, ALLOW_EMPTY, 'nodes.conf'),
  s('cluster-announce-hostname', null, MOD, NULL_STR, null, checkHostname),
  s('syslog-ident', null, M, ALLOW_EMPTY, 'redis'),
  s('dbfilename', null, PROTECTED, ALLOW_EMPTY, 'dump.rdb', baseName('dbfilename', 'filename')),
  s('appendfilename', null, M, ALLOW_EMPTY, 'appendonly.aof', baseName('appendfilename', 'filename')),
  s('appenddirname', null, M, ALLOW_EMPTY, 'appendonlydir', baseName('appenddirname', 'dirname')),
  s('server_cpulist', null, M, NULL_STR, null),
  s('bio_cpulist', null, M, NULL_STR, null),
  s('aof_rewrite_cpulist', null, M, NULL_STR, null),
  s('bgsave_cpulist', null, M, NULL_STR, null),
  s('ignore-warnings', null, MOD, ALLOW_EMPTY, ''),
  s('proc-title-template', null, MOD, ALLOW_EMPTY, '{title} {listen-addr} {server-mode}', checkProcTitle),
  s('bind-source-addr', null, MOD, NULL_STR, null),
  s('logfile', null, M, ALLOW_EMPTY, ''),
  s('masterauth', null, SENSITIVE, NULL_STR, null),
  s('requirepass', null, SENSITIVE, NULL_STR, null),

  // Enums
  e('supervised', null, M, SUPERVISED, 0),
  e('syslog-facility', null, M, SYSLOG_FACILITY, 128),
  e('repl-diskless-load', null, DEBUG | DENY_LOADING, DISKLESS_LOAD, 0),
  e('loglevel', null, MOD, LOGLEVEL, 2),
  e('maxmemory-policy', null, MOD, MAXMEMORY_POLICY, 8),
  e('appendfsync', null, MOD, APPENDFSYNC, 2),
  e('oom-score-adj', null, MOD, OOM_SCORE_ADJ, 0),
  e('acl-pubsub-default', null, MOD, ACL_PUBSUB, 0),
  e('sanitize-dump-payload', null, DEBUG, SANITIZE, 0),
  e('enable-protected-configs', null, M, PROTECTED_ACTION, 0),
  e('enable-debug-command', null, M, PROTECTED_ACTION, 0),
  e('enable-module-command', null, M, PROTECTED_ACTION, 0),
  e('cluster-preferred-endpoint-type', null, MOD, ENDPOINT_TYPE, 0),
  e('propagation-error-behavior', null, MOD, PROPAGATION_ERR, 0),
  e('shutdown-on-sigint', null, MULTI_ARG, SHUTDOWN_ON_SIG, 0, checkShutdownFlags),
  e('shutdown-on-sigterm', null, MULTI_ARG, SHUTDOWN_ON_SIG, 0, checkShutdownFlags),

  // Integers (C int unless noted)
  n('databases', null, M, 1n, INT_MAX, 16n),
  n('port', null, MOD, 0n, 65535n, 6379n),
  n('io-threads', null, DEBUG | M, 1n, 128n, 1n),
  n('auto-aof-rewrite-percentage', null, MOD, 0n, INT_MAX, 100n),
  n('cluster-replica-validity-factor', 'cluster-slave-validity-factor', MOD, 0n, INT_MAX, 10n),
  n('list-max-listpack-size', 'list-max-ziplist-size', MOD, INT_MIN, INT_MAX, -2n),
  n('tcp-keepalive', null, MOD, 0n, INT_MAX, 300n),
  n('cluster-migration-barrier', null, MOD, 0n, INT_MAX, 1n),
  n('active-defrag-cycle-min', null, MOD, 1n, 99n, 1n),
  n('active-defrag-cycle-max', null, MOD, 1n, 99n, 25n),
  n('active-defrag-threshold-lower', null, MOD, 0n, 1000n, 10n),
  n('active-defrag-threshold-upper', null, MOD, 0n, 1000n, 100n),
  n('lfu-log-factor', null, MOD, 0n, INT_MAX, 10n),
  n('lfu-decay-time', null, MOD, 0n, INT_MAX, 1n),
  n('replica-priority', 'slave-priority', MOD, 0n, INT_MAX, 100n),
  n('repl-diskless-sync-delay', null, MOD, 0n, INT_MAX, 5n),
  n('maxmemory-samples', null, MOD, 1n, INT_MAX, 5n),
  n('maxmemory-eviction-tenacity', null, MOD, 0n, 100n, 10n),
  n('timeout', null, MOD, 0n, INT_MAX, 0n),
  n('replica-announce-port', 'slave-announce-port', MOD, 0n, 65535n, 0n),
  n('tcp-backlog', null, M, 0n, INT_MAX, 511n),
  n('cluster-port', null, M, 0n, 65535n, 0n),
  n('cluster-announce-bus-port', null, MOD, 0n, 65535n, 0n),
  n('cluster-announce-port', null, MOD, 0n, 65535n, 0n),
  n('cluster-announce-tls-port', null, MOD, 0n, 65535n, 0n),
  n('repl-timeout', null, MOD, 1n, INT_MAX, 60n),
  n('repl-ping-replica-period', 'repl-ping-slave-period', MOD, 1n, INT_MAX, 10n),
  n('list-compress-depth', null, DEBUG, 0n, INT_MAX, 0n),
  n('rdb-key-save-delay', null, HIDDEN, INT_MIN, INT_MAX, 0n),
  n('key-load-delay', null, HIDDEN, INT_MIN, INT_MAX, 0n),
  n('active-expire-effort', null, MOD, 1n, 10n, 1n),
  n('hz', null, MOD, 0n, INT_MAX, 10n),
  n('min-replicas-to-write', 'min-slaves-to-write', MOD, 0n, INT_MAX, 0n),
  n('min-replicas-max-lag', 'min-slaves-max-lag', MOD, 0n, INT_MAX, 10n),
  n('watchdog-period', null, HIDDEN, 0n, INT_MAX, 0n),
  n('shutdown-timeout', null, MOD, 0n, INT_MAX, 10n),
  n('repl-diskless-sync-max-replicas', null, MOD, 0n, INT_MAX, 0n),
  // unsigned int
  n('maxclients', null, MOD, 1n, UINT_MAX, 10000n, 0, true),
  n('unixsocketperm', null, M, 0n, 0o777n, 0n, OCTAL, true),
  n('socket-mark-id', null, M, 0n, UINT_MAX, 0n, 0, true),
  // unsigned long (bounds compare signed in Redis)
  n('active-defrag-max-scan-fields', null, MOD, 1n, LONG_MAX, 1000n),
  n('slowlog-max-len', null, MOD, 0n, LONG_MAX, 128n),
  n('acllog-max-len', null, MOD, 0n, LONG_MAX, 128n),
  // long long
  n('busy-reply-threshold', 'lua-time-limit', MOD, 0n, LONG_MAX, 5000n),
  n('cluster-node-timeout', null, MOD, 0n, LONG_MAX, 15000n),
  n('slowlog-log-slower-than', null, MOD, -1n, LONG_MAX, 10000n),
  n('latency-monitor-threshold', null, MOD, 0n, LONG_MAX, 0n),
  n('proto-max-bulk-len', null, DEBUG, 1048576n, LONG_MAX, 536870912n, MEMORY),
  n('stream-node-max-entries', null, MOD, 0n, LONG_MAX, 100n),
  n('repl-backlog-size', null, MOD, 1n, LONG_MAX, 1048576n, MEMORY),
  // unsigned long long
  n('maxmemory', null, MOD, 0n, ULLONG_MAX, 0n, MEMORY, true),
  n('cluster-link-sendbuf-limit', null, MOD, 0n, ULLONG_MAX, 0n, MEMORY, true),
  // size_t
  n('hash-max-listpack-entries', 'hash-max-ziplist-entries', MOD, 0n, LONG_MAX, 512n, 0, true),
  n('set-max-intset-entries', null, MOD, 0n, LONG_MAX, 512n, 0, true),
  n('zset-max-listpack-entries', 'zset-max-ziplist-entries', MOD, 0n, LONG_MAX, 128n, 0, true),
  n('active-defrag-ignore-bytes', null, MOD, 1n, LONG_MAX, 104857600n, MEMORY, true),
  n('hash-max-listpack-value', 'hash-max-ziplist-value', MOD, 0n, LONG_MAX, 64n, MEMORY, true),
  n('stream-node-max-bytes', null, MOD, 0n, LONG_MAX, 4096n, MEMORY, true),
  n('zset-max-listpack-value', 'zset-max-ziplist-value', MOD, 0n, LONG_MAX, 64n, MEMORY, true),
  n('hll-sparse-max-bytes', null, MOD, 0n, LONG_MAX, 3000n, MEMORY, true),
  n('tracking-table-max-keys', null, MOD, 0n, LONG_MAX, 1000000n, 0, true),
  n('client-query-buffer-limit', null, DEBUG, 1048576n, LONG_MAX, 1073741824n, MEMORY, true),
  // ssize_t: a negative value is a percentage of maxmemory
  n('maxmemory-clients', null, MOD, -100n, LONG_MAX, 0n, MEMORY | PERCENT),
  // time_t / off_t
  n('repl-backlog-ttl', null, MOD, 0n, LONG_MAX, 3600n),
  n('auto-aof-rewrite-min-size', null, MOD, 0n, LONG_MAX, 67108864n, MEMORY),
  n('loading-process-events-interval-bytes', null, HIDDEN, 1024n, INT_MAX, 2097152n),

  // TLS
  n('tls-port', null, MOD, 0n, 65535n, 0n),
  n('tls-session-cache-size', null, MOD, 0n, INT_MAX, 20480n),
  n('tls-session-cache-timeout', null, MOD, 0n, INT_MAX, 300n),
  b('tls-cluster', null, MOD, false),
  b('tls-replication', null, MOD, false),
  e('tls-auth-clients', null, MOD, TLS_AUTH, 1),
  b('tls-prefer-server-ciphers', null, MOD, false),
  b('tls-session-caching', null, MOD, true),
  s('tls-cert-file', null, VOLATILE, NULL_STR, null),
  s('tls-key-file', null, VOLATILE, NULL_STR, null),
  s('tls-key-file-pass', null, MOD, NULL_STR, null),
  s('tls-client-cert-file', null, VOLATILE, NULL_STR, null),
  s('tls-client-key-file', null, VOLATILE, NULL_STR, null),
  s('tls-client-key-file-pass', null, MOD, NULL_STR, null),
  s('tls-dh-params-file', null, VOLATILE, NULL_STR, null),
  s('tls-ca-cert-file', null, VOLATILE, NULL_STR, null),
  s('tls-ca-cert-dir', null, VOLATILE, NULL_STR, null),
  s('tls-protocols', null, MOD, NULL_STR, null),
  s('tls-ciphers', null, MOD, NULL_STR, null),
  s('tls-ciphersuites', null, MOD, NULL_STR, null),

  // Special
  sp('dir', null, PROTECTED | DENY_LOADING, 'dir'),
  sp('save', null, MULTI_ARG, 'save'),
  sp('client-output-buffer-limit', null, MULTI_ARG, 'obuf'),
  sp('oom-score-adj-values', null, MULTI_ARG, 'oom'),
  sp('notify-keyspace-events', null, MOD, 'notify'),
  sp('bind', null, MULTI_ARG, 'bind'),
  sp('replicaof', 'slaveof', M | MULTI_ARG, 'replicaof'),
  sp('latency-tracking-info-percentiles', null, MULTI_ARG, 'percentiles'),
];

/** Lines the file loader accepts and ignores (Redis's deprecated_configs), with their argc. */
export const DEPRECATED_DIRECTIVES: ReadonlyMap<string, number> = new Map([
  ['list-max-ziplist-entries', 2],
  ['list-max-ziplist-value', 2],
  ['lua-replicate-commands', 2],
]);

/** Directives handled by the file loader only (not CONFIG GET/SET). */
export const FILE_ONLY_DIRECTIVES: ReadonlySet<string> = new Set(['include', 'rename-command', 'user', 'loadmodule', 'sentinel']);

/** Lower/upper hz after loading or CONFIG SET (Redis accepts any int and clamps). */
export const MIN_HZ = 1;
export const MAX_HZ = 500;
export const MAX_BIND_ADDRS = 16;
/** CONFIG SET raises a smaller repl-backlog-size to this (the file loader does not). */
export const MIN_REPL_BACKLOG = 16384;
export const DEFAULT_BIND: readonly string[] = ['*', '-::*'];
export const DEFAULT_SAVE: ReadonlyArray<{ readonly seconds: number; readonly changes: number }> = [
  { seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }, { seconds: 60, changes: 10000 },
];
export const DEFAULT_OOM_VALUES: readonly number[] = [0, 200, 800];
export const DEFAULT_PERCENTILES: readonly number[] = [50, 99, 99.9];

/**
 * Key specs and command tips of Redis 7.0.15's commands, keyed by full name ("set",
 * "memory|usage"). These are facts of Redis's command table that COMMAND INFO and
 * COMMAND GETKEYS(ANDFLAGS) report: which arguments are keys, how each key is accessed
 * (RO/RW/OW/RM plus access/update/insert/delete), and the tips clients route by.
 * Commands Tessera lacks are listed too, so adding one needs no edit here.
 *
 * Row format: [fullName, specs, tips?], each spec "flags; begin_search; find_keys[; notes]"
 * with begin_search "index N" | "keyword WORD STARTFROM" | "unknown" and find_keys
 * "range LASTKEY STEP LIMIT" | "keynum KEYNUMIDX FIRSTKEY STEP" | "unknown".
 * The table is parsed once at load into frozen objects; nothing here is mutable.
 * Imports: nothing.
 */

/** Key spec flags, in the order Redis prints them. */
export const KEY_FLAG_NAMES = ['RO', 'RW', 'OW', 'RM', 'access', 'update', 'insert', 'delete', 'not_key', 'incomplete', 'variable_flags'] as const;
export type KeyFlagName = (typeof KEY_FLAG_NAMES)[number];
export const KF: Readonly<Record<KeyFlagName, number>> = Object.fromEntries(KEY_FLAG_NAMES.map((n, i) => [n, 1 << i])) as Record<KeyFlagName, number>;

export type BeginSearch =
  | { readonly type: 'index'; readonly index: number }
  | { readonly type: 'keyword'; readonly keyword: string; readonly startfrom: number }
  | { readonly type: 'unknown' };

export type FindKeys =
  | { readonly type: 'range'; readonly lastkey: number; readonly keystep: number; readonly limit: number }
  | { readonly type: 'keynum'; readonly keynumidx: number; readonly firstkey: number; readonly keystep: number }
  | { readonly type: 'unknown' };

export interface KeySpec {
  readonly notes: string | null;
  readonly flags: number;
  readonly begin: BeginSearch;
  readonly find: FindKeys;
}

export interface CommandMeta {
  readonly keySpecs: readonly KeySpec[];
  readonly tips: readonly string[];
}

type Row = [string, string[], string[]?];

const ROWS: Row[] = [
  ['append', ['RW insert; index 1; range 0 1 0']],
  ['bitcount', ['RO access; index 1; range 0 1 0']],
  ['bitfield', ['RW update access variable_flags; index 1; range 0 1 0; This command allows both access and modification of the key']],
  ['bitfield_ro', ['RO access; index 1; range 0 1 0']],
  ['bitop', ['OW update; index 2; range 0 1 0', 'RO access; index 3; range -1 1 0']],
  ['bitpos', ['RO access; index 1; range 0 1 0']],
  ['blmove', ['RW access delete; index 1; range 0 1 0', 'RW insert; index 2; range 0 1 0']],
  ['blmpop', ['RW access delete; index 2; keynum 0 1 1']],
  ['blpop', ['RW access delete; index 1; range -2 1 0']],
  ['brpop', ['RW access delete; index 1; range -2 1 0']],
  ['brpoplpush', ['RW access delete; index 1; range 0 1 0', 'RW insert; index 2; range 0 1 0']],
  ['bzmpop', ['RW access delete; index 2; keynum 0 1 1']],
  ['bzpopmax', ['RW access delete; index 1; range -2 1 0']],
  ['bzpopmin', ['RW access delete; index 1; range -2 1 0']],
  ['client|info', [], ['nondeterministic_output']],
  ['client|list', [], ['nondeterministic_output']],
  ['cluster|bumpepoch', [], ['nondeterministic_output']],
  ['cluster|count-failure-reports', [], ['nondeterministic_output']],
  ['cluster|getkeysinslot', [], ['nondeterministic_output']],
  ['cluster|info', [], ['nondeterministic_output']],
  ['cluster|links', [], ['nondeterministic_output']],
  ['cluster|nodes', [], ['nondeterministic_output']],
  ['cluster|replicas', [], ['nondeterministic_output']],
  ['cluster|shards', [], ['nondeterministic_output']],
  ['cluster|slaves', [], ['nondeterministic_output']],
  ['cluster|slots', [], ['nondeterministic_output']],
  ['command', [], ['nondeterministic_output_order']],
  ['command|docs', [], ['nondeterministic_output_order']],
  ['command|info', [], ['nondeterministic_output_order']],
  ['command|list', [], ['nondeterministic_output_order']],
  ['config|set', [], ['request_policy:all_nodes', 'response_policy:all_succeeded']],
  ['copy', ['RO access; index 1; range 0 1 0', 'OW update; index 2; range 0 1 0']],
  ['dbsize', [], ['request_policy:all_shards', 'response_policy:agg_sum']],
  ['decr', ['RW access update; index 1; range 0 1 0']],
  ['decrby', ['RW access update; index 1; range 0 1 0']],
  ['del', ['RM delete; index 1; range -1 1 0'], ['request_policy:multi_shard', 'response_policy:agg_sum']],
  ['dump', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['eval', ['RW access update; index 2; keynum 0 1 1; We cannot tell how the keys will be used so we assume the worst, RW and UPDATE']],
  ['eval_ro', ['RO access; index 2; keynum 0 1 1; We cannot tell how the keys will be used so we assume the worst, RO and ACCESS']],
  ['evalsha', ['RW access update; index 2; keynum 0 1 1']],
  ['evalsha_ro', ['RO access; index 2; keynum 0 1 1']],
  ['exists', ['RO; index 1; range -1 1 0'], ['request_policy:multi_shard', 'response_policy:agg_sum']],
  ['expire', ['RW update; index 1; range 0 1 0']],
  ['expireat', ['RW update; index 1; range 0 1 0']],
  ['expiretime', ['RO access; index 1; range 0 1 0']],
  ['fcall', ['RW access update; index 2; keynum 0 1 1; We cannot tell how the keys will be used so we assume the worst, RW and UPDATE']],
  ['fcall_ro', ['RO access; index 2; keynum 0 1 1; We cannot tell how the keys will be used so we assume the worst, RO and ACCESS']],
  ['flushall', [], ['request_policy:all_shards', 'response_policy:all_succeeded']],
  ['flushdb', [], ['request_policy:all_shards', 'response_policy:all_succeeded']],
  ['function|delete', [], ['request_policy:all_shards', 'response_policy:all_succeeded']],
  ['function|flush', [], ['request_policy:all_shards', 'response_policy:all_succeeded']],
  ['function|kill', [], ['request_policy:all_shards', 'response_policy:one_succeeded']],
  ['function|list', [], ['nondeterministic_output_order']],
  ['function|load', [], ['request_policy:all_shards', 'response_policy:all_succeeded']],
  ['function|restore', [], ['request_policy:all_shards', 'response_policy:all_succeeded']],
  ['function|stats', [], ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special']],
  ['geoadd', ['RW update; index 1; range 0 1 0']],
  ['geodist', ['RO access; index 1; range 0 1 0']],
  ['geohash', ['RO access; index 1; range 0 1 0']],
  ['geopos', ['RO access; index 1; range 0 1 0']],
  ['georadius', ['RO access; index 1; range 0 1 0', 'OW update; keyword STORE 6; range 0 1 0', 'OW update; keyword STOREDIST 6; range 0 1 0']],
  ['georadius_ro', ['RO access; index 1; range 0 1 0']],
  ['georadiusbymember', ['RO access; index 1; range 0 1 0', 'OW update; keyword STORE 5; range 0 1 0', 'OW update; keyword STOREDIST 5; range 0 1 0']],
  ['georadiusbymember_ro', ['RO access; index 1; range 0 1 0']],
  ['geosearch', ['RO access; index 1; range 0 1 0']],
  ['geosearchstore', ['OW update; index 1; range 0 1 0', 'RO access; index 2; range 0 1 0']],
  ['get', ['RO access; index 1; range 0 1 0']],
  ['getbit', ['RO access; index 1; range 0 1 0']],
  ['getdel', ['RW access delete; index 1; range 0 1 0']],
  ['getex', ['RW access update; index 1; range 0 1 0; RW and UPDATE because it changes the TTL']],
  ['getrange', ['RO access; index 1; range 0 1 0']],
  ['getset', ['RW access update; index 1; range 0 1 0']],
  ['hdel', ['RW delete; index 1; range 0 1 0']],
  ['hexists', ['RO; index 1; range 0 1 0']],
  ['hget', ['RO access; index 1; range 0 1 0']],
  ['hgetall', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output_order']],
  ['hincrby', ['RW access update; index 1; range 0 1 0']],
  ['hincrbyfloat', ['RW access update; index 1; range 0 1 0']],
  ['hkeys', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output_order']],
  ['hlen', ['RO; index 1; range 0 1 0']],
  ['hmget', ['RO access; index 1; range 0 1 0']],
  ['hmset', ['RW update; index 1; range 0 1 0']],
  ['hrandfield', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['hscan', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['hset', ['RW update; index 1; range 0 1 0']],
  ['hsetnx', ['RW insert; index 1; range 0 1 0']],
  ['hstrlen', ['RO; index 1; range 0 1 0']],
  ['hvals', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output_order']],
  ['incr', ['RW access update; index 1; range 0 1 0']],
  ['incrby', ['RW access update; index 1; range 0 1 0']],
  ['incrbyfloat', ['RW access update; index 1; range 0 1 0']],
  ['info', [], ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special']],
  ['keys', [], ['request_policy:all_shards', 'nondeterministic_output_order']],
  ['lastsave', [], ['nondeterministic_output']],
  ['latency|doctor', [], ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special']],
  ['latency|graph', [], ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special']],
  ['latency|histogram', [], ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special']],
  ['latency|history', [], ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special']],
  ['latency|latest', [], ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special']],
  ['latency|reset', [], ['request_policy:all_nodes', 'response_policy:all_succeeded']],
  ['lcs', ['RO access; index 1; range 1 1 0']],
  ['lindex', ['RO access; index 1; range 0 1 0']],
  ['linsert', ['RW insert; index 1; range 0 1 0']],
  ['llen', ['RO; index 1; range 0 1 0']],
  ['lmove', ['RW access delete; index 1; range 0 1 0', 'RW insert; index 2; range 0 1 0']],
  ['lmpop', ['RW access delete; index 1; keynum 0 1 1']],
  ['lpop', ['RW access delete; index 1; range 0 1 0']],
  ['lpos', ['RO access; index 1; range 0 1 0']],
  ['lpush', ['RW insert; index 1; range 0 1 0']],
  ['lpushx', ['RW insert; index 1; range 0 1 0']],
  ['lrange', ['RO access; index 1; range 0 1 0']],
  ['lrem', ['RW delete; index 1; range 0 1 0']],
  ['lset', ['RW update; index 1; range 0 1 0']],
  ['ltrim', ['RW delete; index 1; range 0 1 0']],
  ['memory|doctor', [], ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special']],
  ['memory|malloc-stats', [], ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special']],
  ['memory|purge', [], ['request_policy:all_shards', 'response_policy:all_succeeded']],
  ['memory|stats', [], ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special']],
  ['memory|usage', ['RO; index 2; range 0 1 0']],
  ['mget', ['RO access; index 1; range -1 1 0'], ['request_policy:multi_shard']],
  ['migrate', ['RW access delete; index 3; range 0 1 0', 'RW access delete incomplete; keyword KEYS -2; range -1 1 0'], ['nondeterministic_output']],
  ['module|list', [], ['nondeterministic_output_order']],
  ['move', ['RW access update; index 1; range 0 1 0']],
  ['mset', ['OW update; index 1; range -1 2 0'], ['request_policy:multi_shard', 'response_policy:all_succeeded']],
  ['msetnx', ['OW insert; index 1; range -1 2 0'], ['request_policy:multi_shard', 'response_policy:agg_min']],
  ['object|encoding', ['RO; index 2; range 0 1 0'], ['nondeterministic_output']],
  ['object|freq', ['RO; index 2; range 0 1 0'], ['nondeterministic_output']],
  ['object|idletime', ['RO; index 2; range 0 1 0'], ['nondeterministic_output']],
  ['object|refcount', ['RO; index 2; range 0 1 0'], ['nondeterministic_output']],
  ['persist', ['RW update; index 1; range 0 1 0']],
  ['pexpire', ['RW update; index 1; range 0 1 0']],
  ['pexpireat', ['RW update; index 1; range 0 1 0']],
  ['pexpiretime', ['RO access; index 1; range 0 1 0']],
  ['pfadd', ['RW insert; index 1; range 0 1 0']],
  ['pfcount', ['RW access; index 1; range -1 1 0; RW because it may change the internal representation of the key, and propagate to replicas']],
  ['pfdebug', ['RW access; index 2; range 0 1 0']],
  ['pfmerge', ['RW access insert; index 1; range 0 1 0', 'RO access; index 2; range -1 1 0']],
  ['ping', [], ['request_policy:all_shards', 'response_policy:all_succeeded']],
  ['psetex', ['OW update; index 1; range 0 1 0']],
  ['pttl', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['randomkey', [], ['request_policy:all_shards', 'nondeterministic_output']],
  ['rename', ['RW access delete; index 1; range 0 1 0', 'OW update; index 2; range 0 1 0']],
  ['renamenx', ['RW access delete; index 1; range 0 1 0', 'OW insert; index 2; range 0 1 0']],
  ['restore', ['OW update; index 1; range 0 1 0']],
  ['restore-asking', ['OW update; index 1; range 0 1 0']],
  ['rpop', ['RW access delete; index 1; range 0 1 0']],
  ['rpoplpush', ['RW access delete; index 1; range 0 1 0', 'RW insert; index 2; range 0 1 0']],
  ['rpush', ['RW insert; index 1; range 0 1 0']],
  ['rpushx', ['RW insert; index 1; range 0 1 0']],
  ['sadd', ['RW insert; index 1; range 0 1 0']],
  ['scan', [], ['nondeterministic_output', 'request_policy:special']],
  ['scard', ['RO; index 1; range 0 1 0']],
  ['script|exists', [], ['request_policy:all_shards', 'response_policy:agg_logical_and']],
  ['script|flush', [], ['request_policy:all_nodes', 'response_policy:all_succeeded']],
  ['script|kill', [], ['request_policy:all_shards', 'response_policy:one_succeeded']],
  ['script|load', [], ['request_policy:all_nodes', 'response_policy:all_succeeded']],
  ['sdiff', ['RO access; index 1; range -1 1 0'], ['nondeterministic_output_order']],
  ['sdiffstore', ['OW update; index 1; range 0 1 0', 'RO access; index 2; range -1 1 0']],
  ['set', ['RW access update variable_flags; index 1; range 0 1 0; RW and ACCESS due to the optional `GET` argument']],
  ['setbit', ['RW access update; index 1; range 0 1 0']],
  ['setex', ['OW update; index 1; range 0 1 0']],
  ['setnx', ['OW insert; index 1; range 0 1 0']],
  ['setrange', ['RW update; index 1; range 0 1 0']],
  ['sinter', ['RO access; index 1; range -1 1 0'], ['nondeterministic_output_order']],
  ['sintercard', ['RO access; index 1; keynum 0 1 1']],
  ['sinterstore', ['RW update; index 1; range 0 1 0', 'RO access; index 2; range -1 1 0']],
  ['sismember', ['RO; index 1; range 0 1 0']],
  ['slowlog|get', [], ['request_policy:all_nodes', 'nondeterministic_output']],
  ['slowlog|len', [], ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output']],
  ['slowlog|reset', [], ['request_policy:all_nodes', 'response_policy:all_succeeded']],
  ['smembers', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output_order']],
  ['smismember', ['RO access; index 1; range 0 1 0']],
  ['smove', ['RW access delete; index 1; range 0 1 0', 'RW insert; index 2; range 0 1 0']],
  ['sort', ['RO access; index 1; range 0 1 0', 'RO access; unknown; unknown; For the optional BY/GET keyword. It is marked \'unknown\' because the key names derive from the content of the key we sort', 'OW update; unknown; unknown; For the optional STORE keyword. It is marked \'unknown\' because the keyword can appear anywhere in the argument array']],
  ['sort_ro', ['RO access; index 1; range 0 1 0', 'RO access; unknown; unknown; For the optional BY/GET keyword. It is marked \'unknown\' because the key names derive from the content of the key we sort']],
  ['spop', ['RW access delete; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['spublish', ['not_key; index 1; range 0 1 0']],
  ['srandmember', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['srem', ['RW delete; index 1; range 0 1 0']],
  ['sscan', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['ssubscribe', ['not_key; index 1; range -1 1 0']],
  ['strlen', ['RO; index 1; range 0 1 0']],
  ['substr', ['RO access; index 1; range 0 1 0']],
  ['sunion', ['RO access; index 1; range -1 1 0'], ['nondeterministic_output_order']],
  ['sunionstore', ['OW update; index 1; range 0 1 0', 'RO access; index 2; range -1 1 0']],
  ['sunsubscribe', ['not_key; index 1; range -1 1 0']],
  ['time', [], ['nondeterministic_output']],
  ['touch', ['RO; index 1; range -1 1 0'], ['request_policy:multi_shard', 'response_policy:agg_sum']],
  ['ttl', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['type', ['RO; index 1; range 0 1 0']],
  ['unlink', ['RM delete; index 1; range -1 1 0'], ['request_policy:multi_shard', 'response_policy:agg_sum']],
  ['wait', [], ['request_policy:all_shards', 'response_policy:agg_min']],
  ['watch', ['RO; index 1; range -1 1 0']],
  ['xack', ['RW update; index 1; range 0 1 0']],
  ['xadd', ['RW update; index 1; range 0 1 0; UPDATE instead of INSERT because of the optional trimming feature'], ['nondeterministic_output']],
  ['xautoclaim', ['RW delete; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['xclaim', ['RW update; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['xdel', ['RW delete; index 1; range 0 1 0']],
  ['xgroup|create', ['RW insert; index 2; range 0 1 0']],
  ['xgroup|createconsumer', ['RW insert; index 2; range 0 1 0']],
  ['xgroup|delconsumer', ['RW delete; index 2; range 0 1 0']],
  ['xgroup|destroy', ['RW delete; index 2; range 0 1 0']],
  ['xgroup|setid', ['RW update; index 2; range 0 1 0']],
  ['xinfo|consumers', ['RO access; index 2; range 0 1 0'], ['nondeterministic_output']],
  ['xinfo|groups', ['RO access; index 2; range 0 1 0']],
  ['xinfo|stream', ['RO access; index 2; range 0 1 0']],
  ['xlen', ['RO; index 1; range 0 1 0']],
  ['xpending', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['xrange', ['RO access; index 1; range 0 1 0']],
  ['xread', ['RO access; keyword STREAMS 1; range -1 1 2']],
  ['xreadgroup', ['RO access; keyword STREAMS 4; range -1 1 2']],
  ['xrevrange', ['RO access; index 1; range 0 1 0']],
  ['xsetid', ['RW update; index 1; range 0 1 0']],
  ['xtrim', ['RW delete; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['zadd', ['RW update; index 1; range 0 1 0']],
  ['zcard', ['RO; index 1; range 0 1 0']],
  ['zcount', ['RO access; index 1; range 0 1 0']],
  ['zdiff', ['RO access; index 1; keynum 0 1 1']],
  ['zdiffstore', ['OW update; index 1; range 0 1 0', 'RO access; index 2; keynum 0 1 1']],
  ['zincrby', ['RW access update; index 1; range 0 1 0']],
  ['zinter', ['RO access; index 1; keynum 0 1 1']],
  ['zintercard', ['RO access; index 1; keynum 0 1 1']],
  ['zinterstore', ['OW update; index 1; range 0 1 0', 'RO access; index 2; keynum 0 1 1']],
  ['zlexcount', ['RO access; index 1; range 0 1 0']],
  ['zmpop', ['RW access delete; index 1; keynum 0 1 1']],
  ['zmscore', ['RO access; index 1; range 0 1 0']],
  ['zpopmax', ['RW access delete; index 1; range 0 1 0']],
  ['zpopmin', ['RW access delete; index 1; range 0 1 0']],
  ['zrandmember', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['zrange', ['RO access; index 1; range 0 1 0']],
  ['zrangebylex', ['RO access; index 1; range 0 1 0']],
  ['zrangebyscore', ['RO access; index 1; range 0 1 0']],
  ['zrangestore', ['OW update; index 1; range 0 1 0', 'RO access; index 2; range 0 1 0']],
  ['zrank', ['RO access; index 1; range 0 1 0']],
  ['zrem', ['RW delete; index 1; range 0 1 0']],
  ['zremrangebylex', ['RW delete; index 1; range 0 1 0']],
  ['zremrangebyrank', ['RW delete; index 1; range 0 1 0']],
  ['zremrangebyscore', ['RW delete; index 1; range 0 1 0']],
  ['zrevrange', ['RO access; index 1; range 0 1 0']],
  ['zrevrangebylex', ['RO access; index 1; range 0 1 0']],
  ['zrevrangebyscore', ['RO access; index 1; range 0 1 0']],
  ['zrevrank', ['RO access; index 1; range 0 1 0']],
  ['zscan', ['RO access; index 1; range 0 1 0'], ['nondeterministic_output']],
  ['zscore', ['RO access; index 1; range 0 1 0']],
  ['zunion', ['RO access; index 1; keynum 0 1 1']],
  ['zunionstore', ['OW update; index 1; range 0 1 0', 'RO access; index 2; keynum 0 1 1']],
];

function parseSpec(text: string): KeySpec {
  const [flagText, beginText, findText, ...notes] = text.split('; ');
  let flags = 0;
  for (const f of flagText!.split(' ')) if (f) flags |= KF[f as KeyFlagName];
  const b = beginText!.split(' ');
  const begin: BeginSearch = b[0] === 'index' ? { type: 'index', index: Number(b[1]) }
    : b[0] === 'keyword' ? { type: 'keyword', keyword: b[1]!, startfrom: Number(b[2]) }
      : { type: 'unknown' };
  const f = findText!.split(' ');
  const find: FindKeys = f[0] === 'range' ? { type: 'range', lastkey: Number(f[1]), keystep: Number(f[2]), limit: Number(f[3]) }
    : f[0] === 'keynum' ? { type: 'keynum', keynumidx: Number(f[1]), firstkey: Number(f[2]), keystep: Number(f[3]) }
      : { type: 'unknown' };
  return { notes: notes.length ? notes.join('; ') : null, flags, begin, find };
}

const META: ReadonlyMap<string, CommandMeta> = new Map(ROWS.map(([name, specs, tips]) => [name, { keySpecs: specs.map(parseSpec), tips: tips ?? [] }]));

/** Key specs and tips of a command by full name; undefined for keyless commands without tips. */
export function commandMeta(fullName: string): CommandMeta | undefined {
  return META.get(fullName);
}

/** Flag names of a key spec (or a GETKEYSANDFLAGS result), in Redis's order. */
export function keyFlagNames(flags: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < KEY_FLAG_NAMES.length; i++) if (flags & (1 << i)) out.push(KEY_FLAG_NAMES[i]!);
  return out;
}

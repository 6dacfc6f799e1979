/**
 * The sorted-set command family's table: arity, flags, key positions, docs, handler.
 * Values are those of Redis 7.0.15's src/commands/z*.json; numkeys commands declare
 * their fixed legacy key range (if any) plus getKeys for the movable part.
 * Handlers live in commands/zset/*; the blocking BZPOP* forms are not here (they reuse
 * zpopGeneric from zset/pop.ts).
 * Imports: commands only.
 */
import type { CommandDef } from './spec.js';
import { numkeysKeys } from './zset/args.js';
import { zadd, zcard, zincrby, zmscore, zrandmember, zrank, zrem, zrevrank, zscan, zscore } from './zset/basic.js';
import {
  zcount, zlexcount, zrange, zrangebylex, zrangebyscore, zrangestore, zremrangebylex, zremrangebyrank,
  zremrangebyscore, zrevrange, zrevrangebylex, zrevrangebyscore,
} from './zset/range.js';
import { zmpop, zpopmax, zpopmin } from './zset/pop.js';
import { zdiff, zdiffstore, zinter, zintercard, zinterstore, zunion, zunionstore } from './zset/algebra.js';

// As COMMAND DOCS prints it (the JSON's "sorted_set" goes out with a hyphen).
const G = 'sorted-set';
const ACL = 'sortedset';

function storeKeys(argv: readonly string[]): number[] {
  return numkeysKeys(argv, 1, 2, 3);
}

function plainKeys(argv: readonly string[]): number[] {
  return numkeysKeys(argv, 0, 1, 2);
}

export const zsetCommands: CommandDef[] = [
  { name: 'zadd', arity: -4, flags: 'write denyoom fast', acl: ACL, keys: [1, 1, 1], group: G, since: '1.2.0', summary: 'Add one or more members to a sorted set, or update its score if it already exists', complexity: 'O(log(N)) for each item added, where N is the number of elements in the sorted set.', run: zadd },
  { name: 'zincrby', arity: 4, flags: 'write denyoom fast', acl: ACL, keys: [1, 1, 1], group: G, since: '1.2.0', summary: 'Increment the score of a member in a sorted set', complexity: 'O(log(N)) where N is the number of elements in the sorted set.', run: zincrby },
  { name: 'zrem', arity: -3, flags: 'write fast', acl: ACL, keys: [1, 1, 1], group: G, since: '1.2.0', summary: 'Remove one or more members from a sorted set', complexity: 'O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.', run: zrem },
  { name: 'zcard', arity: 2, flags: 'readonly fast', acl: ACL, keys: [1, 1, 1], group: G, since: '1.2.0', summary: 'Get the number of members in a sorted set', complexity: 'O(1)', run: zcard },
  { name: 'zscore', arity: 3, flags: 'readonly fast', acl: ACL, keys: [1, 1, 1], group: G, since: '1.2.0', summary: 'Get the score associated with the given member in a sorted set', complexity: 'O(1)', run: zscore },
  { name: 'zmscore', arity: -3, flags: 'readonly fast', acl: ACL, keys: [1, 1, 1], group: G, since: '6.2.0', summary: 'Get the score associated with the given members in a sorted set', complexity: 'O(N) where N is the number of members being requested.', run: zmscore },
  { name: 'zrank', arity: 3, flags: 'readonly fast', acl: ACL, keys: [1, 1, 1], group: G, since: '2.0.0', summary: 'Determine the index of a member in a sorted set', complexity: 'O(log(N))', run: zrank },
  { name: 'zrevrank', arity: 3, flags: 'readonly fast', acl: ACL, keys: [1, 1, 1], group: G, since: '2.0.0', summary: 'Determine the index of a member in a sorted set, with scores ordered from high to low', complexity: 'O(log(N))', run: zrevrank },
  { name: 'zcount', arity: 4, flags: 'readonly fast', acl: ACL, keys: [1, 1, 1], group: G, since: '2.0.0', summary: 'Count the members in a sorted set with scores within the given values', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', run: zcount },
  { name: 'zlexcount', arity: 4, flags: 'readonly fast', acl: ACL, keys: [1, 1, 1], group: G, since: '2.8.9', summary: 'Count the number of members in a sorted set between a given lexicographical range', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', run: zlexcount },
  { name: 'zrange', arity: -4, flags: 'readonly', acl: ACL, keys: [1, 1, 1], group: G, since: '1.2.0', summary: 'Return a range of members in a sorted set', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.', run: zrange },
  { name: 'zrangestore', arity: -5, flags: 'write denyoom', acl: ACL, keys: [1, 2, 1], group: G, since: '6.2.0', summary: 'Store a range of members from sorted set into another key', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.', run: zrangestore },
  { name: 'zrangebyscore', arity: -4, flags: 'readonly', acl: ACL, keys: [1, 1, 1], group: G, since: '1.0.5', summary: 'Return a range of members in a sorted set, by score', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', run: zrangebyscore },
  { name: 'zrevrangebyscore', arity: -4, flags: 'readonly', acl: ACL, keys: [1, 1, 1], group: G, since: '2.2.0', summary: 'Return a range of members in a sorted set, by score, with scores ordered from high to low', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', run: zrevrangebyscore },
  { name: 'zrangebylex', arity: -4, flags: 'readonly', acl: ACL, keys: [1, 1, 1], group: G, since: '2.8.9', summary: 'Return a range of members in a sorted set, by lexicographical range', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', run: zrangebylex },
  { name: 'zrevrangebylex', arity: -4, flags: 'readonly', acl: ACL, keys: [1, 1, 1], group: G, since: '2.8.9', summary: 'Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).', run: zrevrangebylex },
  { name: 'zrevrange', arity: -4, flags: 'readonly', acl: ACL, keys: [1, 1, 1], group: G, since: '1.2.0', summary: 'Return a range of members in a sorted set, by index, with scores ordered from high to low', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.', run: zrevrange },
  { name: 'zremrangebyrank', arity: 4, flags: 'write', acl: ACL, keys: [1, 1, 1], group: G, since: '2.0.0', summary: 'Remove all members in a sorted set within the given indexes', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', run: zremrangebyrank },
  { name: 'zremrangebyscore', arity: 4, flags: 'write', acl: ACL, keys: [1, 1, 1], group: G, since: '1.2.0', summary: 'Remove all members in a sorted set within the given scores', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', run: zremrangebyscore },
  { name: 'zremrangebylex', arity: 4, flags: 'write', acl: ACL, keys: [1, 1, 1], group: G, since: '2.8.9', summary: 'Remove all members in a sorted set between the given lexicographical range', complexity: 'O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.', run: zremrangebylex },
  { name: 'zpopmin', arity: -2, flags: 'write fast', acl: ACL, keys: [1, 1, 1], group: G, since: '5.0.0', summary: 'Remove and return members with the lowest scores in a sorted set', complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.', run: zpopmin },
  { name: 'zpopmax', arity: -2, flags: 'write fast', acl: ACL, keys: [1, 1, 1], group: G, since: '5.0.0', summary: 'Remove and return members with the highest scores in a sorted set', complexity: 'O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.', run: zpopmax },
  { name: 'zmpop', arity: -4, flags: 'write', acl: ACL, getKeys: plainKeys, group: G, since: '7.0.0', summary: 'Remove and return members with scores in a sorted set', complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.', run: zmpop },
  { name: 'zrandmember', arity: -2, flags: 'readonly', acl: ACL, keys: [1, 1, 1], group: G, since: '6.2.0', summary: 'Get one or multiple random elements from a sorted set', complexity: 'O(N) where N is the number of elements returned', run: zrandmember },
  { name: 'zunion', arity: -3, flags: 'readonly', acl: ACL, getKeys: plainKeys, group: G, since: '6.2.0', summary: 'Add multiple sorted sets', complexity: 'O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.', run: zunion },
  { name: 'zinter', arity: -3, flags: 'readonly', acl: ACL, getKeys: plainKeys, group: G, since: '6.2.0', summary: 'Intersect multiple sorted sets', complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.', run: zinter },
  { name: 'zdiff', arity: -3, flags: 'readonly', acl: ACL, getKeys: plainKeys, group: G, since: '6.2.0', summary: 'Subtract multiple sorted sets', complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.', run: zdiff },
  { name: 'zunionstore', arity: -4, flags: 'write denyoom', acl: ACL, keys: [1, 1, 1], getKeys: storeKeys, group: G, since: '2.0.0', summary: 'Add multiple sorted sets and store the resulting sorted set in a new key', complexity: 'O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.', run: zunionstore },
  { name: 'zinterstore', arity: -4, flags: 'write denyoom', acl: ACL, keys: [1, 1, 1], getKeys: storeKeys, group: G, since: '2.0.0', summary: 'Intersect multiple sorted sets and store the resulting sorted set in a new key', complexity: 'O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.', run: zinterstore },
  { name: 'zdiffstore', arity: -4, flags: 'write denyoom', acl: ACL, keys: [1, 1, 1], getKeys: storeKeys, group: G, since: '6.2.0', summary: 'Subtract multiple sorted sets and store the resulting sorted set in a new key', complexity: 'O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.', run: zdiffstore },
  { name: 'zintercard', arity: -3, flags: 'readonly', acl: ACL, getKeys: plainKeys, group: G, since: '7.0.0', summary: 'Intersect multiple sorted sets and return the cardinality of the result', complexity: 'O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.', run: zintercard },
  { name: 'zscan', arity: -3, flags: 'readonly', acl: ACL, keys: [1, 1, 1], group: G, since: '2.8.0', summary: 'Incrementally iterate sorted sets elements and associated scores', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', run: zscan },
];

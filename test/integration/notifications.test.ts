/**
 * Keyspace notifications against Redis 7.0.15: which events each notify-keyspace-events
 * class letter lets through, the keyspace/keyevent channel forms, and the exact events
 * (and their order) of the string, key, expire, list, hash, set, zset, sort and blocking
 * commands. Every expected sequence was recorded from a real redis-server 7.0.15 with
 * notify-keyspace-events KEAmn.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { raw, startServer, type RawClient, type TesseraServer } from '../helpers/server.js';

/** Event name -> class letter, as Redis's notifyKeyspaceEvent calls classify them. */
const CLASS: Record<string, string> = {
  del: 'g', rename_from: 'g', rename_to: 'g', copy_to: 'g', move_from: 'g', move_to: 'g', expire: 'g', persist: 'g',
  set: '$', setrange: '$', incrby: '$', incrbyfloat: '$', append: '$',
  lpush: 'l', rpush: 'l', lpop: 'l', rpop: 'l', linsert: 'l', lset: 'l', lrem: 'l', ltrim: 'l', sortstore: 'l',
  hset: 'h', hdel: 'h', hincrby: 'h', hincrbyfloat: 'h',
  sadd: 's', srem: 's', spop: 's', sinterstore: 's', sunionstore: 's', sdiffstore: 's',
  zadd: 'z', zincr: 'z', zrem: 'z', zpopmin: 'z', zpopmax: 'z', zremrangebyscore: 'z', zremrangebyrank: 'z',
  zremrangebylex: 'z', zunionstore: 'z', zinterstore: 'z', zdiffstore: 'z', zrangestore: 'z',
  expired: 'x', keymiss: 'm', new: 'n',
};

const SENTINEL = '__keyevent@15__:zz-sentinel';

/** Collects keyspace/keyevent messages as "S0:key event" / "E0:event key". */
class EventTap {
  private constructor(private readonly c: RawClient) {}

  static async open(port: number): Promise<EventTap> {
    const c = await raw(port);
    c.send('PSUBSCRIBE', '__key*__:*');
    await c.reply();
    return new EventTap(c);
  }

  /** Everything published since the last call (a sentinel publish marks the end). */
  async take(r: Redis): Promise<string[]> {
    await r.publish(SENTINEL, 'x');
    const out: string[] = [];
    for (;;) {
      const f = await this.c.reply();
      const parts = f.split('\r\n');
      // *4 $8 pmessage $n pattern $n channel $n message
      const channel = parts[6]!;
      const message = parts[8]!;
      if (channel === SENTINEL) return out;
      const m = /^__key(space|event)@(\d+)__:(.*)$/s.exec(channel)!;
      out.push(`${m[1] === 'space' ? 'S' : 'E'}${m[2]}:${m[3]} ${message}`);
    }
  }

  close(): void {
    this.c.close();
  }
}

/** Both channel forms of one event, keyspace first, as Redis publishes them. */
function ev(event: string, key: string, db = 0): string[] {
  return [`S${db}:${key} ${event}`, `E${db}:${event} ${key}`];
}

describe('keyspace notifications', () => {
  let srv: TesseraServer;
  let r: Redis;
  let tap: EventTap;
  before(async () => {
    srv = await startServer();
    r = new Redis(srv.port);
    tap = await EventTap.open(srv.port);
  });
  after(async () => {
    tap.close();
    r.disconnect();
    await srv.close();
  });
  beforeEach(async () => {
    await r.config('SET', 'notify-keyspace-events', '');
    await r.flushall();
    await r.config('SET', 'notify-keyspace-events', 'KEAmn');
    await tap.take(r);
  });

  /** Runs one command and returns the events it published. */
  async function events(...argv: Array<string | number>): Promise<string[]> {
    await r.call(String(argv[0]), ...argv.slice(1)).catch(() => undefined);
    return tap.take(r);
  }

  it('nothing is published when notify-keyspace-events is empty or lacks K/E', async () => {
    await r.config('SET', 'notify-keyspace-events', '');
    expect(await events('SET', 'k', 'v')).to.deep.equal([]);
    await r.config('SET', 'notify-keyspace-events', 'A');
    expect(await events('SET', 'k', 'v')).to.deep.equal([]);
    await r.config('SET', 'notify-keyspace-events', 'K$');
    expect(await events('SET', 'k', 'v')).to.deep.equal(['S0:k set']);
    await r.config('SET', 'notify-keyspace-events', 'E$');
    expect(await events('SET', 'k', 'v')).to.deep.equal(['E0:set k']);
    // 'A' does not include keymiss or new (and CONFIG GET hides 'n', as 7.0 does).
    await r.config('SET', 'notify-keyspace-events', 'KEAn');
    expect(await r.config('GET', 'notify-keyspace-events')).to.deep.equal(['notify-keyspace-events', 'AKE']);
    expect(await events('SET', 'k2', 'v')).to.deep.equal([...ev('new', 'k2'), ...ev('set', 'k2')]);
    expect(await events('GET', 'nokey')).to.deep.equal([]);
  });

  it('each class letter lets exactly its own events through', async () => {
    const workload: Array<Array<string | number>> = [
      ['SET', 'k', 'v', 'EX', 100], ['APPEND', 'k', 'x'], ['SETRANGE', 'k', 0, 'ab'], ['SET', 'n', 1], ['INCRBY', 'n', 2],
      ['INCRBYFLOAT', 'n', 1.5], ['PERSIST', 'k'], ['RENAME', 'k', 'k2'], ['COPY', 'k2', 'k3'], ['MOVE', 'k3', 1], ['DEL', 'k2'],
      ['GET', 'missing'], ['LLEN', 'missing'], ['HGET', 'missing', 'f'], ['SCARD', 'missing'], ['ZCARD', 'missing'],
      ['RPUSH', 'l', 'a', 'b', 'c'], ['LPUSH', 'l', 'z'], ['LPOP', 'l'], ['RPOP', 'l'], ['LINSERT', 'l', 'BEFORE', 'a', 'q'],
      ['LSET', 'l', 0, 'w'], ['LREM', 'l', 1, 'w'], ['LTRIM', 'l', 0, 0], ['SORT', 'l', 'ALPHA', 'STORE', 'ls'],
      ['HSET', 'h', 'f', 1], ['HINCRBY', 'h', 'f', 1], ['HINCRBYFLOAT', 'h', 'f', 1.5], ['HDEL', 'h', 'f'],
      ['SADD', 's', 'a', 'b'], ['SREM', 's', 'a'], ['SADD', 't', 'b'], ['SINTERSTORE', 'si', 's', 't'], ['SUNIONSTORE', 'su', 's', 't'],
      ['SDIFFSTORE', 'sd', 's', 'nope'], ['SPOP', 's'],
      ['ZADD', 'z', 1, 'a', 2, 'b', 3, 'c', 4, 'd'], ['ZINCRBY', 'z', 1, 'a'], ['ZREM', 'z', 'a'], ['ZPOPMIN', 'z'], ['ZPOPMAX', 'z'],
      ['ZADD', 'z', 1, 'a', 2, 'b', 5, 'e'], ['ZREMRANGEBYSCORE', 'z', 5, 5], ['ZREMRANGEBYRANK', 'z', 0, 0], ['ZUNIONSTORE', 'zu', 1, 'z'],
      ['ZINTERSTORE', 'zi', 1, 'z'], ['ZDIFFSTORE', 'zd', 1, 'z'], ['ZRANGESTORE', 'zr', 'z', 0, -1], ['ZREMRANGEBYLEX', 'z', '-', '+'],
      ['SET', 'e', 'v', 'PX', 1], ['SLEEP'], ['GET', 'e'],
    ];
    const run = async (flags: string): Promise<string[]> => {
      await r.config('SET', 'notify-keyspace-events', '');
      await r.flushall();
      await r.config('SET', 'notify-keyspace-events', flags);
      await tap.take(r);
      for (const argv of workload) {
        if (argv[0] === 'SLEEP') await new Promise((res) => setTimeout(res, 5));
        else await r.call(String(argv[0]), ...argv.slice(1));
      }
      return tap.take(r);
    };
    const all = await run('EAmn');
    const names = new Set(all.map((e) => e.split(':')[1]!.split(' ')[0]!));
    // The workload reaches every event name of every class with an emitter.
    expect([...names].sort()).to.deep.equal(Object.keys(CLASS).sort());
    for (const e of all) expect(e.startsWith('E0:') || e.startsWith('E1:'), e).to.equal(true);
    for (const letter of ['g', '$', 'l', 's', 'h', 'z', 'x', 'm', 'n', 'e', 't', 'd']) {
      const want = all.filter((e) => CLASS[e.split(':')[1]!.split(' ')[0]!] === letter);
      expect(await run(`E${letter}`), `class ${letter}`).to.deep.equal(want);
    }
    expect(await run('EA'), 'class A').to.deep.equal(all.filter((e) => !/^E\d:(keymiss|new) /.test(e)));
    const ks = await run('KAmn');
    expect(ks.length).to.equal(all.length);
    for (const e of ks) expect(e.startsWith('S0:') || e.startsWith('S1:'), e).to.equal(true);
  });

  it('string commands', async () => {
    expect(await events('SET', 'k', 'v')).to.deep.equal([...ev('new', 'k'), ...ev('set', 'k')]);
    expect(await events('SET', 'k', 'v', 'EX', 100)).to.deep.equal([...ev('set', 'k'), ...ev('expire', 'k')]);
    expect(await events('SET', 'k', 'v', 'PX', 100000, 'GET')).to.deep.equal([...ev('set', 'k'), ...ev('expire', 'k')]);
    expect(await events('SETNX', 'k', 'v')).to.deep.equal([]);
    expect(await events('SETEX', 'k', 100, 'v')).to.deep.equal([...ev('set', 'k'), ...ev('expire', 'k')]);
    expect(await events('GETSET', 'k', 'w')).to.deep.equal(ev('set', 'k'));
    expect(await events('GETDEL', 'k')).to.deep.equal(ev('del', 'k'));
    expect(await events('GETDEL', 'k')).to.deep.equal(ev('keymiss', 'k'));
    await r.set('k2', 'v');
    await tap.take(r);
    expect(await events('GETEX', 'k2', 'EX', 100)).to.deep.equal(ev('expire', 'k2'));
    expect(await events('GETEX', 'k2', 'PERSIST')).to.deep.equal(ev('persist', 'k2'));
    expect(await events('INCR', 'n')).to.deep.equal([...ev('new', 'n'), ...ev('incrby', 'n')]);
    expect(await events('DECRBY', 'n', 2)).to.deep.equal(ev('incrby', 'n'));
    expect(await events('INCRBYFLOAT', 'n', 1.5)).to.deep.equal(ev('incrbyfloat', 'n'));
    expect(await events('APPEND', 'a', 'x')).to.deep.equal([...ev('new', 'a'), ...ev('append', 'a')]);
    expect(await events('SETRANGE', 'sr', 3, 'z')).to.deep.equal([...ev('new', 'sr'), ...ev('setrange', 'sr')]);
    expect(await events('SETRANGE', 'sr2', 0, '')).to.deep.equal([]);
    expect(await events('MSET', 'a', 1, 'b', 2)).to.deep.equal([...ev('set', 'a'), ...ev('new', 'b'), ...ev('set', 'b')]);
    expect(await events('MSETNX', 'c', 1, 'a', 2)).to.deep.equal([]);
    expect(await events('MGET', 'nokey', 'a')).to.deep.equal(ev('keymiss', 'nokey'));
  });

  it('key and expire commands', async () => {
    await r.set('k', 'v');
    await tap.take(r);
    expect(await events('RENAME', 'k', 'kr')).to.deep.equal([...ev('new', 'kr'), ...ev('rename_from', 'k'), ...ev('rename_to', 'kr')]);
    expect(await events('RENAME', 'kr', 'kr')).to.deep.equal([]);
    await r.set('k', 'v');
    await tap.take(r);
    expect(await events('RENAMENX', 'kr', 'k')).to.deep.equal([]);
    // Overwriting deletes and re-adds the destination, so it is "new" again.
    expect(await events('RENAME', 'kr', 'k')).to.deep.equal([...ev('new', 'k'), ...ev('rename_from', 'kr'), ...ev('rename_to', 'k')]);
    expect(await events('COPY', 'k', 'kc')).to.deep.equal([...ev('new', 'kc'), ...ev('copy_to', 'kc')]);
    expect(await events('COPY', 'k', 'kc', 'REPLACE')).to.deep.equal([...ev('new', 'kc'), ...ev('copy_to', 'kc')]);
    expect(await events('MOVE', 'kc', 1)).to.deep.equal([...ev('new', 'kc', 1), ...ev('move_from', 'kc'), ...ev('move_to', 'kc', 1)]);
    expect(await events('DEL', 'k', 'nokey', 'kc')).to.deep.equal(ev('del', 'k'));
    await r.set('k', 'v');
    await tap.take(r);
    expect(await events('EXPIRE', 'k', 100)).to.deep.equal(ev('expire', 'k'));
    expect(await events('PEXPIREAT', 'k', 9999999999999)).to.deep.equal(ev('expire', 'k'));
    expect(await events('PERSIST', 'k')).to.deep.equal(ev('persist', 'k'));
    expect(await events('PERSIST', 'k')).to.deep.equal([]);
    expect(await events('EXPIRE', 'k', -1)).to.deep.equal(ev('del', 'k'));
    expect(await events('EXISTS', 'nokey')).to.deep.equal(ev('keymiss', 'nokey'));
    expect(await events('TTL', 'nokey')).to.deep.equal(ev('keymiss', 'nokey'));
    // Lazy expiry: "expired" comes from the access that finds the key dead.
    await r.set('e', 'v', 'PX', 1);
    await tap.take(r);
    await new Promise((res) => setTimeout(res, 5));
    expect(await events('GET', 'e')).to.deep.equal([...ev('expired', 'e'), ...ev('keymiss', 'e')]);
  });

  it('list commands (LMOVE notifies the push before the pop, as Redis does)', async () => {
    expect(await events('LPUSH', 'l', 'a', 'b', 'c')).to.deep.equal([...ev('new', 'l'), ...ev('lpush', 'l')]);
    expect(await events('RPUSHX', 'nol', 'x')).to.deep.equal([]);
    expect(await events('LPOP', 'l', 2)).to.deep.equal(ev('lpop', 'l'));
    expect(await events('LINSERT', 'l', 'BEFORE', 'nope', 'q')).to.deep.equal([]);
    await r.rpush('l', 'b', 'c');
    await tap.take(r);
    expect(await events('LMOVE', 'l', 'l2', 'LEFT', 'RIGHT')).to.deep.equal([...ev('new', 'l2'), ...ev('rpush', 'l2'), ...ev('lpop', 'l')]);
    expect(await events('RPOPLPUSH', 'l', 'l2')).to.deep.equal([...ev('lpush', 'l2'), ...ev('rpop', 'l')]);
    expect(await events('LMOVE', 'l', 'l2', 'LEFT', 'LEFT')).to.deep.equal([...ev('lpush', 'l2'), ...ev('lpop', 'l'), ...ev('del', 'l')]);
    expect(await events('LMPOP', 2, 'nol', 'l2', 'LEFT', 'COUNT', 5)).to.deep.equal([...ev('lpop', 'l2'), ...ev('del', 'l2')]);
    expect(await events('LRANGE', 'nol', 0, 1)).to.deep.equal(ev('keymiss', 'nol'));
    await r.rpush('t', 'a', 'b', 'c');
    await tap.take(r);
    expect(await events('LTRIM', 't', 5, 10)).to.deep.equal([...ev('ltrim', 't'), ...ev('del', 't')]);
  });

  it('hash, set and sorted set commands', async () => {
    expect(await events('HSET', 'h', 'a', 1)).to.deep.equal([...ev('new', 'h'), ...ev('hset', 'h')]);
    expect(await events('HSETNX', 'h', 'a', 1)).to.deep.equal([]);
    expect(await events('HDEL', 'h', 'a', 'nope')).to.deep.equal([...ev('hdel', 'h'), ...ev('del', 'h')]);
    expect(await events('HGETALL', 'h')).to.deep.equal(ev('keymiss', 'h'));
    await r.sadd('s', 'a', 'b');
    await tap.take(r);
    expect(await events('SMOVE', 's', 's2', 'a')).to.deep.equal([...ev('srem', 's'), ...ev('new', 's2'), ...ev('sadd', 's2')]);
    expect(await events('SMOVE', 's', 's2', 'b')).to.deep.equal([...ev('srem', 's'), ...ev('del', 's'), ...ev('sadd', 's2')]);
    expect(await events('SINTERSTORE', 'd', 's2', 'nope')).to.deep.equal(ev('keymiss', 'nope'));
    expect(await events('SUNIONSTORE', 'd', 's2')).to.deep.equal([...ev('new', 'd'), ...ev('sunionstore', 'd')]);
    expect(await events('SINTERSTORE', 'd', 's2', 'nope')).to.deep.equal([...ev('keymiss', 'nope'), ...ev('del', 'd')]);
    expect(await events('ZADD', 'z', 1, 'a', 2, 'b')).to.deep.equal([...ev('new', 'z'), ...ev('zadd', 'z')]);
    expect(await events('ZADD', 'z', 1, 'a')).to.deep.equal([]);
    expect(await events('ZADD', 'z', 'INCR', 1, 'a')).to.deep.equal(ev('zincr', 'z'));
    expect(await events('ZUNIONSTORE', 'zd', 2, 'z', 'nope')).to.deep.equal([...ev('keymiss', 'nope'), ...ev('new', 'zd'), ...ev('zunionstore', 'zd')]);
    expect(await events('ZINTERSTORE', 'zd', 2, 'z', 'nope')).to.deep.equal([...ev('keymiss', 'nope'), ...ev('del', 'zd')]);
    expect(await events('ZRANGESTORE', 'zr', 'z', 5, 10)).to.deep.equal([]);
    expect(await events('ZPOPMAX', 'z', 5)).to.deep.equal([...ev('zpopmax', 'z'), ...ev('del', 'z')]);
    expect(await events('ZSCORE', 'z', 'a')).to.deep.equal(ev('keymiss', 'z'));
  });

  it('SORT STORE and served blocking pops', async () => {
    await r.rpush('l', '3', '1', '2');
    await tap.take(r);
    expect(await events('SORT', 'l', 'STORE', 'd')).to.deep.equal([...ev('new', 'd'), ...ev('sortstore', 'd')]);
    expect(await events('SORT', 'l', 'STORE', 'd')).to.deep.equal(ev('sortstore', 'd'));
    expect(await events('SORT', 'l', 'LIMIT', 0, 0, 'STORE', 'd')).to.deep.equal(ev('del', 'd'));
    expect(await events('SORT', 'nope', 'STORE', 'd')).to.deep.equal(ev('keymiss', 'nope'));
    expect(await events('SORT', 'l', 'BY', 'w_*', 'GET', 'o_*')).to.deep.equal(
      ['w_3', 'w_1', 'w_2', 'o_1', 'o_2', 'o_3'].flatMap((k) => ev('keymiss', k)));
    const c = await raw(srv.port);
    c.send('BLMOVE', 'src', 'dst', 'RIGHT', 'LEFT', '0');
    await new Promise((res) => setTimeout(res, 30));
    await r.lpush('src', 'v');
    await c.reply();
    expect(await tap.take(r)).to.deep.equal([
      ...ev('new', 'src'), ...ev('lpush', 'src'),
      ...ev('new', 'dst'), ...ev('lpush', 'dst'), ...ev('rpop', 'src'), ...ev('del', 'src'),
    ]);
    c.send('BZPOPMIN', 'z', '0');
    await new Promise((res) => setTimeout(res, 30));
    await r.zadd('z', 1, 'a');
    await c.reply();
    expect(await tap.take(r)).to.deep.equal([...ev('new', 'z'), ...ev('zadd', 'z'), ...ev('zpopmin', 'z'), ...ev('del', 'z')]);
    c.close();
  });
});

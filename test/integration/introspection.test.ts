/**
 * COMMAND introspection beyond arity and flags: key specs, command tips, GETKEYS and
 * GETKEYSANDFLAGS (key positions with their access flags), COMMAND LIST filters and
 * lookups of malformed subcommand names. Cluster clients and proxies route by these.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, raw, requireBinary, spawnServer, startServer, tmpDir, type Spawned, type TesseraServer } from '../helpers/server.js';

type Row = [string, number, string[], number, number, number, string[], string[], unknown[], Row[]];

function index(rows: unknown[]): Map<string, Row> {
  const m = new Map<string, Row>();
  const add = (row: Row) => {
    m.set(row[0], row);
    for (const sub of row[9] ?? []) add(sub);
  };
  for (const r of rows) if (r) add(r as Row);
  return m;
}

/** Command lines whose keys both servers must find alike (including the error cases). */
const GETKEYS_CASES: string[][] = [
  ['get', 'key'], ['set', 'k1', 'v1'], ['set', 'k', 'v', 'get'], ['set', 'k', 'v', 'ex', '10', 'GET'],
  ['mset', 'k1', 'v1', 'k2', 'v2'], ['lmove', 'k1', 'k2', 'left', 'right'], ['smove', 'a', 'b', 'm'],
  ['sort', 'k1', 'store', 'k2'], ['sort', 'k1', 'by', 'x', 'store', 'k2', 'STORE', 'k3'], ['sort', 'k1', 'limit', '0', '1', 'get', 'store'],
  ['sort_ro', 'k1', 'by', 'x'], ['memory', 'usage', 'key'], ['lcs', 'key1', 'key2'], ['object', 'encoding', 'k'],
  ['zunionstore', 't', '2', 'a', 'b'], ['zunionstore', 't', '3', 'a', 'b'], ['zunionstore', 't', '0', 'a'],
  ['zunionstore', 't', '-1', 'a'], ['zunionstore', 't', 'x', 'a'], ['zinter', '2', 'a', 'b', 'weights', '1', '2'],
  ['lmpop', '2', 'a', 'b', 'left'], ['blmpop', '0', '2', 'a', 'b', 'left'], ['zmpop', '1', 'a', 'min'],
  ['sintercard', '2', 'a', 'b', 'limit', '1'], ['blpop', 'a', 'b', '0'], ['brpoplpush', 'a', 'b', '0'],
  ['copy', 'a', 'b', 'db', '1'], ['rename', 'a', 'b'], ['del', 'a', 'b', 'c'], ['msetnx', 'a', '1', 'b'],
  ['watch', 'a', 'b'], ['sunionstore', 'd', 'a', 'b'], ['restore', 'k', '0', 'x'], ['debug', 'object', 'k'],
  ['ping'], ['get'], ['get', 'a', 'b'], ['config', 'get', 'x'], ['nosuch', 'a'], ['config', 'nosuch', 'a'],
  ['publish', 'ch', 'msg'], ['spublish', 'ch', 'm'], ['ssubscribe', 'a'], ['hello'],
];

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    return JSON.stringify(await p);
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

describe('COMMAND introspection', () => {
  let srv: TesseraServer;
  let r: Redis;
  before(async () => {
    srv = await startServer();
    r = new Redis(srv.port);
  });
  after(async () => {
    r.disconnect();
    await srv.close();
  });

  it('GETKEYSANDFLAGS reports each key with its access flags', async () => {
    expect(await r.call('COMMAND', 'GETKEYSANDFLAGS', 'set', 'k1', 'v1')).to.deep.equal([['k1', ['OW', 'update']]]);
    expect(await r.call('COMMAND', 'GETKEYSANDFLAGS', 'set', 'k1', 'v1', 'get')).to.deep.equal([['k1', ['RW', 'access', 'update']]]);
    expect(await r.call('COMMAND', 'GETKEYSANDFLAGS', 'mset', 'k1', 'v1', 'k2', 'v2')).to.deep.equal([['k1', ['OW', 'update']], ['k2', ['OW', 'update']]]);
    expect(await r.call('COMMAND', 'GETKEYSANDFLAGS', 'LMOVE', 'k1', 'k2', 'left', 'right')).to.deep.equal([['k1', ['RW', 'access', 'delete']], ['k2', ['RW', 'insert']]]);
    expect(await r.call('COMMAND', 'GETKEYSANDFLAGS', 'sort', 'k1', 'store', 'k2')).to.deep.equal([['k1', ['RO', 'access']], ['k2', ['OW', 'update']]]);
    expect(await r.call('COMMAND', 'GETKEYSANDFLAGS', 'sort_ro', 'k1')).to.deep.equal([['k1', ['RO', 'access']]]);
  });

  it('GETKEYS finds keys of subcommands and of numkeys commands, with Redis errors', async () => {
    expect(await r.call('COMMAND', 'GETKEYS', 'memory', 'usage', 'key')).to.deep.equal(['key']);
    expect(await r.call('COMMAND', 'GETKEYS', 'lcs', 'key1', 'key2')).to.deep.equal(['key1', 'key2']);
    const keys = Array.from({ length: 260 }, (_, i) => `key${i + 1}`);
    expect(await r.call('COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'target', '260', ...keys)).to.deep.equal(['target', ...keys]);
    await expect(r.call('COMMAND', 'GETKEYS', 'nosuch', 'a')).to.be.rejectedWith('ERR Invalid command specified');
    await expect(r.call('COMMAND', 'GETKEYS', 'config', 'nosuch', 'a')).to.be.rejectedWith('ERR Invalid command specified');
    // "no key arguments" is decided before the arity check.
    await expect(r.call('COMMAND', 'GETKEYS', 'ping', 'a', 'b')).to.be.rejectedWith('ERR The command has no key arguments');
    await expect(r.call('COMMAND', 'GETKEYS', 'get', 'a', 'b')).to.be.rejectedWith('ERR Invalid number of arguments specified for command');
    await expect(r.call('COMMAND', 'GETKEYS', 'zunionstore', 't', '5', 'a')).to.be.rejectedWith('ERR Invalid arguments specified for command');
  });

  it('COMMAND INFO shows key specs (notes, keyword/unknown searches) and tips', async () => {
    const [sort] = (await r.call('COMMAND', 'INFO', 'sort')) as Row[];
    expect(sort![8]).to.have.length(3);
    expect(sort![8][2]).to.deep.equal([
      'notes', 'For the optional STORE keyword. It is marked \'unknown\' because the keyword can appear anywhere in the argument array',
      'flags', ['OW', 'update'], 'begin_search', ['type', 'unknown', 'spec', []], 'find_keys', ['type', 'unknown', 'spec', []],
    ]);
    const [zu] = (await r.call('COMMAND', 'INFO', 'zunionstore')) as Row[];
    expect(zu![8][1]).to.deep.equal([
      'flags', ['RO', 'access'], 'begin_search', ['type', 'index', 'spec', ['index', 2]],
      'find_keys', ['type', 'keynum', 'spec', ['keynumidx', 0, 'firstkey', 1, 'keystep', 1]],
    ]);
    const [keys] = (await r.call('COMMAND', 'INFO', 'keys')) as Row[];
    expect(keys![7]).to.deep.equal(['request_policy:all_shards', 'nondeterministic_output_order']);
    expect(await r.call('COMMAND', 'INFO', 'get|key', 'config|get|key')).to.deep.equal([null, null]);
  });

  it('COMMAND INFO sends empty tips, key specs and subcommands as RESP3 sets', async () => {
    const c = await raw(srv.port);
    c.send('HELLO', '3');
    await c.reply();
    c.send('COMMAND', 'INFO', 'echo');
    const out = await c.reply();
    expect(out).to.match(/^\*1\r\n\*10\r\n\$4\r\necho\r\n:2\r\n/);
    expect(out.endsWith('~0\r\n~0\r\n~0\r\n')).to.equal(true);
    c.close();
  });

  it('COMMAND LIST filters by ACL category, pattern and module, with syntax errors', async () => {
    const all = (await r.call('COMMAND', 'LIST')) as string[];
    expect(all).to.include.members(['set', 'client|list', 'config|get']);
    expect(await r.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'set')).to.deep.equal(['set']);
    expect(await r.call('COMMAND', 'LIST', 'FILTERBY', 'pattern', 'non_exists*')).to.deep.equal([]);
    expect(await r.call('COMMAND', 'LIST', 'FILTERBY', 'pattern', 'config|*re*')).to.include.members(['config|resetstat', 'config|rewrite']);
    expect(await r.call('COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'non_existing_category')).to.deep.equal([]);
    const tx = (await r.call('COMMAND', 'LIST', 'FILTERBY', 'ACLCAT', 'Transaction')) as string[];
    expect(tx).to.include.members(['multi', 'exec', 'watch']).and.not.include('set');
    expect(await r.call('COMMAND', 'LIST', 'FILTERBY', 'module', 'nosuch')).to.deep.equal([]);
    await expect(r.call('COMMAND', 'LIST', 'bad_arg')).to.be.rejectedWith('ERR syntax error');
    await expect(r.call('COMMAND', 'LIST', 'FILTERBY', 'bad_arg')).to.be.rejectedWith('ERR syntax error');
    await expect(r.call('COMMAND', 'LIST', 'FILTERBY', 'bad_arg', 'x')).to.be.rejectedWith('ERR syntax error');
  });
});

describe('COMMAND key specs and GETKEYS against redis-server 7.0', () => {
  let real: Spawned;
  let ours: TesseraServer;
  let a: Redis;
  let b: Redis;
  before(async function () {
    requireBinary(this, 'redis-server');
    real = await spawnServer(['--save', '', '--appendonly', 'no'], { bin: 'redis-server', port: await freePort() });
    ours = await startServer();
    a = new Redis(ours.port);
    b = new Redis(real.port);
  });
  after(async () => {
    a?.disconnect();
    b?.disconnect();
    await real?.stop('SIGKILL');
    await ours?.close();
  });

  it('every shared command has Redis key specs, tips and subcommand set', async () => {
    const mine = index((await a.call('COMMAND')) as unknown[]);
    const theirs = index((await b.call('COMMAND')) as unknown[]);
    const problems: string[] = [];
    let compared = 0;
    for (const [name, m] of mine) {
      const t = theirs.get(name);
      if (!t) continue;
      compared++;
      if (JSON.stringify(m[7]) !== JSON.stringify(t[7])) problems.push(`${name}: tips ${JSON.stringify(m[7])} vs ${JSON.stringify(t[7])}`);
      if (JSON.stringify(m[8]) !== JSON.stringify(t[8])) problems.push(`${name}: key specs ${JSON.stringify(m[8])} vs ${JSON.stringify(t[8])}`);
    }
    expect(compared).to.be.greaterThan(200);
    expect(problems).to.deep.equal([]);
  });

  it('GETKEYS and GETKEYSANDFLAGS agree on every sample command line', async () => {
    const problems: string[] = [];
    for (const c of GETKEYS_CASES) {
      for (const sub of ['GETKEYS', 'GETKEYSANDFLAGS']) {
        const x = await outcome(a.call('COMMAND', sub, ...c));
        const y = await outcome(b.call('COMMAND', sub, ...c));
        if (x !== y) problems.push(`${sub} ${c.join(' ')}: ${x} vs ${y}`);
      }
    }
    expect(problems).to.deep.equal([]);
  });
});

describe('CONFIG SET context: local clients and loading', () => {
  it('enable-protected-configs local lets a loopback client set protected directives; no refuses', async () => {
    const local = await startServer({ 'enable-protected-configs': 'local' });
    const no = await startServer({ 'enable-protected-configs': 'no' });
    const a = new Redis(local.port);
    const b = new Redis(no.port);
    try {
      expect(await a.call('CONFIG', 'SET', 'dbfilename', 'somename.rdb')).to.equal('OK');
      expect(await a.config('GET', 'dbfilename')).to.deep.equal(['dbfilename', 'somename.rdb']);
      await expect(b.call('CONFIG', 'SET', 'dbfilename', 'somename.rdb')).to.be.rejectedWith("ERR CONFIG SET failed (possibly related to argument 'dbfilename') - can't set protected config");
    } finally {
      a.disconnect();
      b.disconnect();
      await local.close();
      await no.close();
    }
  });

  it('while loading, directives Redis denies during loading answer -LOADING, others are set', async () => {
    const srv = await startServer();
    const r = new Redis(srv.port);
    try {
      await r.ping();
      srv.node.loading = true;
      expect(await r.call('CONFIG', 'SET', 'loglevel', 'debug')).to.equal('OK');
      await expect(r.call('CONFIG', 'SET', 'appendonly', 'yes')).to.be.rejectedWith('LOADING Redis is loading the dataset in memory');
      srv.node.loading = false;
      expect(await r.config('GET', 'appendonly')).to.deep.equal(['appendonly', 'no']);
    } finally {
      r.disconnect();
      await srv.close();
    }
  });
});

describe('save points from a config file and the command line', () => {
  async function savesWith(args: string[]): Promise<string> {
    const dir = tmpDir('save-cl-');
    const file = path.join(dir, 'redis.conf');
    writeFileSync(file, `save 900 1\ndir ${dir}\n`);
    const s = await spawnServer([file, ...args]);
    const c = new Redis(s.port);
    try {
      return ((await c.config('GET', 'save')) as string[])[1]!;
    } finally {
      c.disconnect();
      await s.stop('SIGKILL');
    }
  }

  it('an empty save argument clears the file\'s save points; others append to them', async () => {
    expect(await savesWith(['--save', ''])).to.equal('');
    expect(await savesWith(['--save', '--loglevel', 'verbose'])).to.equal('');
    expect(await savesWith(['--save', '100', '100'])).to.equal('900 1 100 100');
  });
});

describe('rename-command', () => {
  it('renames and disables commands for clients; the AOF still loads original names', async () => {
    const dir = tmpDir('rename-');
    const file = path.join(dir, 'redis.conf');
    writeFileSync(file, `dir ${dir}\nappendonly yes\nappendfsync always\nsave ""\nrename-command flushdb badger\nrename-command del ""\n`);
    let s = await spawnServer([file]);
    let c = new Redis(s.port);
    try {
      await expect(c.call('FLUSHDB')).to.be.rejectedWith("ERR unknown command 'FLUSHDB'");
      await expect(c.call('DEL', 'x')).to.be.rejectedWith("ERR unknown command 'DEL'");
      await c.set('gone', '1');
      expect(await c.call('BADGER')).to.equal('OK');
      expect(await c.dbsize()).to.equal(0);
      // COMMAND INFO finds it by its new name and shows its own name.
      expect(((await c.call('COMMAND', 'INFO', 'badger')) as Row[])[0]![0]).to.equal('flushdb');
      // An expired key reaches the AOF as DEL, a name clients can no longer use.
      await c.set('short', '1', 'PX', '1');
      await c.set('kept', '1');
      await new Promise((r) => setTimeout(r, 20));
      expect(await c.get('short')).to.equal(null);
      c.disconnect();
      await s.stop('SIGKILL');
      const aof = readdirSync(path.join(dir, 'appendonlydir')).filter((f) => f.endsWith('.incr.aof'))
        .map((f) => readFileSync(path.join(dir, 'appendonlydir', f), 'latin1')).join('');
      expect(aof).to.contain('$3\r\nDEL\r\n$5\r\nshort\r\n').and.contain('BADGER');
      s = await spawnServer([file]);
      c = new Redis(s.port);
      expect(await c.keys('*')).to.deep.equal(['kept']);
      await expect(c.call('FLUSHDB')).to.be.rejectedWith('ERR unknown command');
    } finally {
      c.disconnect();
      await s.stop('SIGKILL');
    }
  });
});

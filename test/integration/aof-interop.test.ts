/**
 * Interoperability with real Redis 7.0: an AOF directory Tessera wrote (plain and
 * RDB-preamble base, plus INCR files) loads in redis-server with the same dataset, and
 * one redis-server wrote loads in Tessera. tessera-check-aof prints what
 * redis-check-aof prints for the same valid, truncated and corrupt files, and both
 * accept each other's directories.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, readdirSync, readFileSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { requireBinary, ROOT, spawnServer, startServer, tmpDir } from '../helpers/server.js';
import { dumpDataset, infoField, waitRewriteDone } from './aof-util.js';

async function fill(r: Redis, tag: string): Promise<void> {
  await r.set(`${tag}:str`, 'hello');
  await r.set(`${tag}:int`, '12345');
  await r.set(`${tag}:bin`, Buffer.from([0, 1, 2, 255, 13, 10]));
  await r.rpush(`${tag}:list`, 'a', 'b', 'c', '1', '2');
  await r.rpush(`${tag}:biglist`, ...Array.from({ length: 300 }, (_, i) => `item-${i}`));
  await r.sadd(`${tag}:intset`, '1', '2', '3', '-7');
  await r.sadd(`${tag}:set`, 'x', 'y', 'z');
  await r.hset(`${tag}:hash`, 'f1', 'v1', 'f2', 'v2');
  await r.hset(`${tag}:bighash`, ...Array.from({ length: 200 }, (_, i) => [`f${i}`, 'v'.repeat(i % 80)]).flat());
  await r.zadd(`${tag}:zset`, '1.5', 'a', '-3', 'b', '1e100', 'c', '0.1', 'd');
  await r.set(`${tag}:ttl`, 'x', 'EX', 5000);
  await r.select(5);
  await r.set(`${tag}:db5`, 'five');
  await r.select(0);
}

const DBS = [0, 5];

/** Starts redis-server on dir; returns a client and a stopper. */
async function redisOn(dir: string, extra: string[] = []) {
  const s = await spawnServer(['--dir', dir, '--appendonly', 'yes', '--save', '', ...extra], { bin: 'redis-server' });
  const r = new Redis(s.port);
  return { s, r, stop: async () => { r.disconnect(); await s.stop('SIGTERM'); } };
}

function check(tool: 'tessera' | 'redis', args: string[], input = ''): { out: string; code: number } {
  const res = tool === 'redis'
    ? spawnSync('redis-check-aof', args, { input, encoding: 'latin1' })
    : spawnSync(process.execPath, [path.join(ROOT, 'bin', 'tessera-check-aof'), ...args], { input, encoding: 'latin1' });
  return { out: res.stdout, code: res.status ?? -1 };
}

describe('AOF: interoperability with Redis 7.0', function () {
  this.timeout(30000);

  before(function () {
    requireBinary(this, 'redis-server');
    requireBinary(this, 'redis-check-aof');
  });

  for (const preamble of ['no', 'yes']) {
    it(`Redis loads Tessera's AOF (aof-use-rdb-preamble ${preamble})`, async () => {
      const dir = tmpDir('interop-');
      const t = await startServer({ dir, appendonly: 'yes', 'aof-use-rdb-preamble': preamble, appendfsync: 'always' });
      const tr = new Redis(t.port);
      let before: unknown;
      try {
        await fill(tr, 'pre');
        await tr.bgrewriteaof();
        await waitRewriteDone(tr);
        await fill(tr, 'post');
        await tr.del('pre:set');
        await tr.multi().incr('pre:int').rpush('post:list', 'tx').exec();
        before = await dumpDataset(tr, DBS);
      } finally {
        tr.disconnect();
        await t.close();
      }
      const files = readdirSync(path.join(dir, 'appendonlydir'));
      expect(files).to.include(`appendonly.aof.2.base.${preamble === 'yes' ? 'rdb' : 'aof'}`);
      expect(check('redis', [path.join(dir, 'appendonlydir', 'appendonly.aof.manifest')]).code).to.equal(0);
      const red = await redisOn(dir);
      try {
        expect(await dumpDataset(red.r, DBS)).to.deep.equal(before);
      } finally {
        await red.stop();
      }
    });

    it(`Tessera loads Redis's AOF (aof-use-rdb-preamble ${preamble})`, async () => {
      const dir = tmpDir('interop-');
      const red = await redisOn(dir, ['--aof-use-rdb-preamble', preamble, '--aof-timestamp-enabled', 'yes']);
      let before: unknown;
      try {
        await fill(red.r, 'pre');
        await red.r.bgrewriteaof();
        await waitRewriteDone(red.r);
        await fill(red.r, 'post');
        await red.r.expire('post:str', 9999);
        await red.r.multi().incr('pre:int').rpush('post:list', 'tx').exec();
        before = await dumpDataset(red.r, DBS);
      } finally {
        await red.stop();
      }
      expect(check('tessera', [path.join(dir, 'appendonlydir', 'appendonly.aof.manifest')]).code).to.equal(0);
      const t = await startServer({ dir, appendonly: 'yes' });
      const tr = new Redis(t.port);
      try {
        expect(await dumpDataset(tr, DBS)).to.deep.equal(before);
        expect(infoField(await tr.info('persistence'), 'aof_enabled')).to.equal('1');
      } finally {
        tr.disconnect();
        await t.close();
      }
    });
  }

  it('tessera-check-aof reports like redis-check-aof on valid, truncated and corrupt files', async () => {
    const dir = tmpDir('interop-');
    const t = await startServer({ dir, appendonly: 'yes', 'aof-use-rdb-preamble': 'no', appendfsync: 'always' });
    const tr = new Redis(t.port);
    await fill(tr, 'k');
    await tr.multi().set('a', '1').set('b', '2').exec();
    tr.disconnect();
    await t.close();
    const ad = path.join(dir, 'appendonlydir');
    const incr = path.join(ad, 'appendonly.aof.1.incr.aof');
    const manifest = path.join(ad, 'appendonly.aof.manifest');
    const variants: Array<[string, () => void]> = [
      ['valid', () => undefined],
      ['truncated', () => truncateSync(incr, statSync(incr).size - 7)],
      ['unfinished MULTI', () => appendFileSync(incr, '*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$1\r\ny\r\n')],
      ['bad prefix', () => {
        const b = readFileSync(incr);
        b[40] = 0x21;
        writeFileSync(incr, b);
      }],
    ];
    const pristine = readFileSync(incr);
    for (const [name, damage] of variants) {
      writeFileSync(incr, pristine);
      damage();
      for (const target of [manifest, incr]) {
        const a = check('redis', [target]);
        const b = check('tessera', [target]);
        expect(b.out, `${name}: ${path.basename(target)}`).to.equal(a.out);
        expect(b.code, `${name}: exit code`).to.equal(a.code);
      }
    }
    // --fix truncates the last file after confirmation, like redis-check-aof --fix.
    writeFileSync(incr, pristine);
    truncateSync(incr, statSync(incr).size - 7);
    const copy = tmpDir('interop-');
    mkdirSync(path.join(copy, 'd'));
    for (const f of readdirSync(ad)) copyFileSync(path.join(ad, f), path.join(copy, 'd', f));
    const ours = check('tessera', ['--fix', manifest], 'y\n');
    const theirs = check('redis', ['--fix', path.join(copy, 'd', 'appendonly.aof.manifest')], 'y\n');
    expect(ours.out).to.equal(theirs.out);
    expect(ours.code).to.equal(0);
    expect(statSync(incr).size).to.equal(statSync(path.join(copy, 'd', 'appendonly.aof.1.incr.aof')).size);
    expect(check('redis', [manifest]).code).to.equal(0);
    // Declining the prompt leaves the file alone.
    truncateSync(incr, statSync(incr).size - 3);
    const size = statSync(incr).size;
    const no = check('tessera', ['--fix', manifest], 'n\n');
    expect(no.code).to.equal(1);
    expect(no.out).to.contain('Aborting...');
    expect(statSync(incr).size).to.equal(size);
  });

  it('tessera-check-aof handles an RDB-preamble base and --truncate-to-timestamp', async () => {
    const dir = tmpDir('interop-');
    const red = await redisOn(dir, ['--aof-use-rdb-preamble', 'yes', '--aof-timestamp-enabled', 'yes']);
    await fill(red.r, 'k');
    await red.r.bgrewriteaof();
    await waitRewriteDone(red.r);
    await red.r.set('late', '1');
    await red.stop();
    const manifest = path.join(dir, 'appendonlydir', 'appendonly.aof.manifest');
    const ours = check('tessera', [manifest]);
    expect(ours.code).to.equal(0);
    expect(ours.out).to.contain('Start to check BASE AOF (RDB format).');
    expect(ours.out).to.contain('RDB preamble is OK, proceeding with AOF tail...');
    expect(ours.out).to.contain('All AOF files and manifest are valid');
    const ts = check('tessera', ['--truncate-to-timestamp', '1', manifest]);
    const rts = check('redis', ['--truncate-to-timestamp', '1', manifest]);
    expect(ts.code).to.equal(rts.code);
  });
});

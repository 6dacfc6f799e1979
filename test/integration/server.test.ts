/**
 * Server commands: INFO, CONFIG, TIME, COMMAND, SLOWLOG, LATENCY, MEMORY, DEBUG,
 * MONITOR, and the write log's expiry entries.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { raw, startServer, waitFor, type TesseraServer } from '../helpers/server.js';

describe('server commands', () => {
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

  it('INFO reports redis_version 7.0.15 with tessera_version beside it', async () => {
    const info = await r.info();
    expect(info).to.match(/^# Server\r\n/);
    expect(info).to.contain('redis_version:7.0.15\r\n');
    expect(info).to.match(/tessera_version:\d+\.\d+\.\d+\r\n/);
    for (const s of ['Clients', 'Memory', 'Persistence', 'Stats', 'Replication', 'CPU', 'Errorstats', 'Keyspace']) {
      expect(info).to.contain(`# ${s}\r\n`);
    }
    expect(info).to.contain('loading:0\r\n');
    expect(info).to.not.contain('# Commandstats');
    const cs = await r.info('commandstats');
    expect(cs).to.match(/cmdstat_info:calls=\d+,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=0/);
  });

  it('INFO errorstats and commandstats count rejected and failed calls', async () => {
    await r.config('RESETSTAT');
    await expect(r.call('GET')).to.be.rejected;
    await expect(r.call('NOSUCHCMD')).to.be.rejected;
    const info = await r.info('errorstats');
    expect(info).to.contain('errorstat_ERR:count=2');
    const stats = await r.info('stats');
    expect(stats).to.contain('total_error_replies:2');
    expect(await r.info('commandstats')).to.contain('cmdstat_get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0');
  });

  it('CONFIG GET with globs, SET with several pairs, errors', async () => {
    expect(await r.config('GET', 'maxmemory-polic*')).to.deep.equal(['maxmemory-policy', 'noeviction']);
    expect(await r.call('CONFIG', 'SET', 'hz', '20', 'slowlog-max-len', '64')).to.equal('OK');
    expect(await r.config('GET', 'hz')).to.deep.equal(['hz', '20']);
    await expect(r.config('SET', 'hz', 'abc')).to.be.rejectedWith("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed into an integer");
    await expect(r.config('SET', 'nosuch', '1')).to.be.rejectedWith("ERR Unknown option or number of arguments for CONFIG SET - 'nosuch'");
    await expect(r.call('CONFIG', 'REWRITE')).to.be.rejectedWith('ERR The server is running without a config file');
  });

  it('TIME returns seconds and microseconds', async () => {
    const [s, us] = (await r.time()) as unknown as [string, string];
    expect(Math.abs(Number(s) - Date.now() / 1000)).to.be.lessThan(5);
    expect(Number(us)).to.be.within(0, 999999);
  });

  it('COMMAND COUNT, INFO, GETKEYS, LIST', async () => {
    const count = (await r.call('COMMAND', 'COUNT')) as number;
    expect(count).to.be.greaterThan(20);
    const [info] = (await r.command('INFO', 'get')) as unknown[][];
    expect(info!.slice(0, 6)).to.deep.equal(['get', 2, ['readonly', 'fast'], 1, 1, 1]);
    expect(await r.call('COMMAND', 'GETKEYS', 'set', 'a', 'b')).to.deep.equal(['a']);
    await expect(r.call('COMMAND', 'GETKEYS', 'ping', 'x')).to.be.rejectedWith('ERR The command has no key arguments');
    const list = (await r.command('LIST')) as string[];
    expect(list).to.include('config|get');
    expect(await r.command('INFO', 'nosuch')).to.deep.equal([null]);
  });

  it('SLOWLOG records commands slower than the threshold', async () => {
    await r.config('SET', 'slowlog-log-slower-than', '0');
    await r.slowlog('RESET');
    await r.echo('slow-one');
    const entries = (await r.slowlog('GET', '10')) as unknown[][];
    expect(entries.some((e) => Array.isArray(e[3]) && (e[3] as string[])[1] === 'slow-one')).to.equal(true);
    expect(await r.slowlog('LEN')).to.be.greaterThan(0);
    await r.config('SET', 'slowlog-log-slower-than', '10000');
  });

  it('DEBUG SLEEP blocks, DEBUG SET-ACTIVE-EXPIRE and OBJECT work', async () => {
    const t0 = Date.now();
    await r.call('DEBUG', 'SLEEP', '0.1');
    expect(Date.now() - t0).to.be.at.least(90);
    expect(await r.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).to.equal('OK');
    await expect(r.call('DEBUG', 'NOSUCH')).to.be.rejectedWith("ERR unknown subcommand 'NOSUCH'. Try DEBUG HELP.");
  });

  it('MONITOR streams other clients\' commands', async () => {
    const m = await raw(srv.port);
    m.write('MONITOR\r\n');
    expect(await m.reply()).to.equal('+OK\r\n');
    await r.echo('watched "word"');
    const line = await m.readUntil((b) => b.includes('watched'));
    expect(line).to.match(/^\+\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "echo" "watched \\"word\\""\r\n$/);
    m.close();
  });

  it('FUNCTION with no libraries answers as Redis does', async () => {
    expect(await r.call('FUNCTION', 'FLUSH')).to.equal('OK');
    expect(await r.call('FUNCTION', 'FLUSH', 'ASYNC')).to.equal('OK');
    await expect(r.call('FUNCTION', 'FLUSH', 'x')).to.be.rejectedWith('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
    expect(await r.call('FUNCTION', 'LIST')).to.deep.equal([]);
    expect(await r.call('FUNCTION', 'STATS')).to.deep.equal(['running_script', null, 'engines', ['LUA', ['libraries_count', 0, 'functions_count', 0]]]);
    await expect(r.call('FUNCTION', 'KILL')).to.be.rejectedWith('NOTBUSY No scripts in execution right now.');
    await expect(r.call('FUNCTION', 'DELETE', 'x')).to.be.rejectedWith('ERR Library not found');
  });

  it('MEMORY USAGE grows with the value', async () => {
    await r.set('m1', 'x');
    await r.set('m2', 'x'.repeat(10000));
    const a = (await r.memory('USAGE', 'm1')) as number;
    const b = (await r.memory('USAGE', 'm2')) as number;
    expect(b - a).to.be.at.least(9000);
    expect(await r.memory('USAGE', 'nosuch')).to.equal(null);
  });

  it('active expiry removes expired keys and logs them as DEL', async () => {
    const seen: string[][] = [];
    const unsub = srv.node.writeLog.subscribe({ append: (_db, argv) => seen.push([...argv]) });
    for (let i = 0; i < 50; i++) await r.set(`ttl:${i}`, 'v', 'PX', 20);
    // No command touches the keys: only the active cycle can remove them.
    await waitFor(() => srv.node.dbs[0]!.expiresCount === 0, 3000);
    unsub();
    expect(seen.filter((a) => a[0] === 'DEL' && a[1]!.startsWith('ttl:')).length).to.equal(50);
    expect(await r.info('stats')).to.match(/expired_keys:[1-9]/);
  });
});

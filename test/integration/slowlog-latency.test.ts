/**
 * What the server tells about its own command executions: the slowlog (what is logged,
 * when, with secrets redacted), MONITOR (order inside MULTI/EXEC, hidden admin commands),
 * per-command latency histograms (LATENCY HISTOGRAM, INFO latencystats), latency events
 * (LATENCY GRAPH), statistics of blocked commands, and the RESP3 frames DEBUG PROTOCOL
 * produces for client tests. Expected values follow Redis 7.0.15.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { raw, startServer, waitFor, type RawClient, type TesseraServer } from '../helpers/server.js';

type SlowEntry = [number, number, number, string[], string, string];

async function slowArgs(r: Redis): Promise<string[][]> {
  return ((await r.call('SLOWLOG', 'GET', '-1')) as SlowEntry[]).map((e) => e[3]);
}

/** The flat [name, {calls, histogram_usec}] reply of LATENCY HISTOGRAM as a map. */
async function histograms(r: Redis, ...names: string[]): Promise<Map<string, { calls: number; buckets: number[] }>> {
  const flat = (await r.call('LATENCY', 'HISTOGRAM', ...names)) as unknown[];
  const out = new Map<string, { calls: number; buckets: number[] }>();
  for (let i = 0; i < flat.length; i += 2) {
    const body = flat[i + 1] as [string, number, string, number[]];
    expect(body[0]).to.equal('calls');
    expect(body[2]).to.equal('histogram_usec');
    out.set(flat[i] as string, { calls: body[1], buckets: body[3] });
  }
  return out;
}

async function latencyLine(r: Redis, cmd: string): Promise<string | undefined> {
  const info = await r.info('latencystats');
  return info.split('\r\n').find((l) => l.startsWith(`latency_percentiles_usec_${cmd}:`));
}

/** Reads MONITOR lines until one matches, returning the command part of each line read. */
async function monitorLines(m: RawClient, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const line = await m.reply();
    out.push(line.replace(/^\+\d+\.\d+ \[\d+ [^\]]+\] /, '').trimEnd());
  }
  return out;
}

describe('slowlog, MONITOR and latency tracking', () => {
  let srv: TesseraServer;
  let r: Redis;
  before(async () => {
    srv = await startServer();
    r = new Redis(srv.port);
    await r.ping();
  });
  after(async () => {
    r.disconnect();
    await srv.close();
  });
  beforeEach(async () => {
    await r.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0', 'slowlog-max-len', '128', 'latency-tracking', 'yes');
    await r.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9');
    await r.call('SLOWLOG', 'RESET');
  });

  describe('SLOWLOG', () => {
    it('does not log EXEC, only the commands it ran', async () => {
      await r.call('CONFIG', 'SET', 'slowlog-log-slower-than', '100000');
      await r.call('SLOWLOG', 'RESET');
      const m = r.multi();
      m.call('DEBUG', 'SLEEP', '0.12');
      await m.exec();
      expect(await slowArgs(r)).to.deep.equal([['DEBUG', 'SLEEP', '0.12']]);
    });

    it('redacts AUTH and HELLO AUTH credentials and sensitive CONFIG SET values', async () => {
      await expect(r.call('AUTH', 'not-real')).to.be.rejected;
      await expect(r.call('AUTH', 'someuser', 'not-a-password')).to.be.rejected;
      await expect(r.call('HELLO', '2', 'AUTH', 'someuser', 'not-a-password')).to.be.rejected;
      await r.call('CONFIG', 'SET', 'masterauth', '');
      await r.call('CONFIG', 'SET', 'hz', '10', 'requirepass', '');
      await r.call('CONFIG', 'SET', 'slowlog-log-slower-than', '-1');
      expect((await slowArgs(r)).reverse()).to.deep.equal([
        ['SLOWLOG', 'RESET'],
        ['AUTH', '(redacted)'],
        ['AUTH', '(redacted)', '(redacted)'],
        ['HELLO', '2', 'AUTH', '(redacted)', '(redacted)'],
        ['CONFIG', 'SET', 'masterauth', '(redacted)'],
        ['CONFIG', 'SET', 'hz', '10', 'requirepass', '(redacted)'],
        // The last CONFIG SET disabled the slowlog before its own entry could be made.
      ]);
    });

    it('logs a blocked command once, when it is served, with its own arguments', async () => {
      const b = new Redis(srv.port);
      await b.ping();
      await r.call('SLOWLOG', 'RESET');
      const pending = b.call('BLPOP', 'sl-list', '0');
      await waitFor(async () => /blocked_clients:1/.test(await r.info('clients')));
      expect(await slowArgs(r)).to.not.deep.include(['BLPOP', 'sl-list', '0']);
      await r.call('RPUSH', 'sl-list', 'x');
      expect(await pending).to.deep.equal(['sl-list', 'x']);
      const logged = await slowArgs(r);
      expect(logged.filter((a) => a[0] === 'BLPOP')).to.deep.equal([['BLPOP', 'sl-list', '0']]);
      b.disconnect();
    });
  });

  describe('MONITOR', () => {
    let m: RawClient;
    beforeEach(async () => {
      m = await raw(srv.port);
      m.send('MONITOR');
      expect(await m.reply()).to.equal('+OK\r\n');
    });
    afterEach(() => m.close());

    it('shows a transaction as MULTI, its commands as they run, then EXEC', async () => {
      const tx = r.multi();
      tx.set('mon-foo', 'bar');
      await tx.exec();
      expect(await monitorLines(m, 3)).to.deep.equal(['"multi"', '"set" "mon-foo" "bar"', '"exec"']);
    });

    it('shows EXEC of a transaction aborted by a queuing error', async () => {
      const c = await raw(srv.port);
      c.send('multi');
      await c.reply();
      c.send('nosuchcommand');
      await c.reply();
      c.send('exec');
      expect(await c.reply()).to.match(/^-EXECABORT/);
      c.close();
      expect(await monitorLines(m, 2)).to.deep.equal(['"multi"', '"exec"']);
    });

    it('hides admin commands and redacts secrets', async () => {
      await r.call('CONFIG', 'GET', 'hz');
      await r.call('DEBUG', 'SLEEP', '0');
      await expect(r.call('AUTH', 'not-real')).to.be.rejected;
      await expect(r.call('HELLO', '2', 'AUTH', 'u', 'p')).to.be.rejected;
      await r.set('mon-last', '1');
      expect(await monitorLines(m, 3)).to.deep.equal(['"AUTH" "(redacted)"', '"HELLO" "2" "AUTH" "(redacted)" "(redacted)"', '"set" "mon-last" "1"']);
    });
  });

  describe('LATENCY HISTOGRAM and INFO latencystats', () => {
    it('CONFIG RESETSTAT empties every histogram; each call is counted once', async () => {
      await r.config('RESETSTAT');
      const empty = await histograms(r);
      expect([...empty.keys()]).to.deep.equal(['config|resetstat']);
      await r.set('h-a', 'b');
      await r.set('h-c', 'd');
      const h = await histograms(r);
      expect(h.get('set')!.calls).to.equal(2);
      // Buckets are [µs upper bound, cumulative count] pairs ending at the call count.
      const buckets = h.get('set')!.buckets;
      expect(buckets.length % 2).to.equal(0);
      expect(buckets[buckets.length - 1]).to.equal(2);
      expect(h.get('config|resetstat')!.calls).to.equal(1);
    });

    it('a container name selects its subcommands; unknown names are skipped', async () => {
      await r.config('RESETSTAT');
      await r.call('CLIENT', 'ID');
      await r.call('CLIENT', 'LIST');
      await r.get('h-a');
      expect([...(await histograms(r, 'client')).keys()].sort()).to.deep.equal(['client|id', 'client|list']);
      expect([...(await histograms(r, 'client|id')).keys()]).to.deep.equal(['client|id']);
      expect([...(await histograms(r, 'blabla', 'get', 'zadd')).keys()]).to.deep.equal(['get']);
      expect(await r.call('LATENCY', 'HISTOGRAM', 'blabla', 'blabla2')).to.deep.equal([]);
    });

    it('latency-tracking no records nothing and hides the INFO section', async () => {
      await r.config('RESETSTAT');
      await r.call('CONFIG', 'SET', 'latency-tracking', 'no');
      await r.set('h-a', 'b');
      expect(await latencyLine(r, 'set')).to.equal(undefined);
      expect(await r.info('latencystats')).to.equal('# Latencystats\r\n');
      await r.call('CONFIG', 'SET', 'latency-tracking', 'yes');
      await r.set('h-a', 'b');
      expect(await latencyLine(r, 'set')).to.match(/^latency_percentiles_usec_set:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$/);
      expect((await histograms(r, 'set')).get('set')!.calls).to.equal(1);
    });

    it('INFO latencystats prints the configured percentiles and measures real time', async () => {
      await r.config('RESETSTAT');
      await r.call('CONFIG', 'SET', 'latency-tracking-info-percentiles', '0.0 50.0 100.0');
      expect(await r.config('GET', 'latency-tracking-info-percentiles')).to.deep.equal(['latency-tracking-info-percentiles', '0 50 100']);
      await r.call('DEBUG', 'SLEEP', '0.05');
      const line = await latencyLine(r, 'debug');
      const m = /^latency_percentiles_usec_debug:p0=([\d.]+),p50=([\d.]+),p100=([\d.]+)$/.exec(line ?? '');
      expect(m, line).to.not.equal(null);
      expect(Number(m![2])).to.be.at.least(50000);
      expect(await r.info('everything')).to.contain('# Latencystats\r\n');
      expect(await r.info()).to.not.contain('# Latencystats');
    });

    it('blocked commands are sampled when served; CLIENT UNBLOCK ERROR counts as a failed call', async () => {
      await r.config('RESETSTAT');
      const b = new Redis(srv.port);
      const id = (await b.call('CLIENT', 'ID')) as number;
      const served = b.call('BLPOP', 'lat-list', '0');
      await waitFor(async () => /blocked_clients:1/.test(await r.info('clients')));
      expect(await histograms(r, 'blpop')).to.have.property('size', 0);
      await r.rpush('lat-list', 'a');
      await served;
      expect((await histograms(r, 'blpop')).get('blpop')!.calls).to.equal(1);
      expect(await latencyLine(r, 'blpop')).to.match(/p50=/);

      await r.config('RESETSTAT');
      const failed = b.call('BLPOP', 'lat-list', '0').then(() => 'served', (e: Error) => e.message);
      await waitFor(async () => /blocked_clients:1/.test(await r.info('clients')));
      await r.call('CLIENT', 'UNBLOCK', String(id), 'ERROR');
      expect(await failed).to.equal('UNBLOCKED client unblocked via CLIENT UNBLOCK');
      expect(await r.info('errorstats')).to.contain('errorstat_UNBLOCKED:count=1');
      expect(await r.info('commandstats')).to.match(/cmdstat_blpop:calls=1,usec=\d+,usec_per_call=[\d.]+,rejected_calls=0,failed_calls=1/);
      expect(await r.info('stats')).to.contain('total_error_replies:1\r\n');
      b.disconnect();
    });
  });

  describe('latency events', () => {
    it('LATENCY GRAPH draws the samples, or says there are none', async () => {
      await r.call('LATENCY', 'RESET');
      await expect(r.call('LATENCY', 'GRAPH', 'command')).to.be.rejectedWith("ERR No samples available for event 'command'");
      await r.call('CONFIG', 'SET', 'latency-monitor-threshold', '5');
      await r.call('DEBUG', 'SLEEP', '0.02');
      const graph = (await r.call('LATENCY', 'GRAPH', 'command')) as string;
      await r.call('CONFIG', 'SET', 'latency-monitor-threshold', '0');
      const lines = graph.split('\n');
      expect(lines[0]).to.match(/^command - high (\d+) ms, low \1 ms \(all time high \1 ms\)$/);
      expect(lines[1]).to.equal('-'.repeat(80));
      // One sample: four bar rows (lowest step of a flat series is "_"), a blank row, its age label.
      expect(lines.slice(2)).to.deep.equal([' ', ' ', ' ', '_', ' ', '0', 's', '']);
      expect((await r.call('LATENCY', 'HELP')) as string[]).to.include('HISTOGRAM [COMMAND ...]');
    });
  });

  it('a slow active expiry cycle is recorded as the expire-cycle event', async () => {
    await r.call('LATENCY', 'RESET');
    await r.call('CONFIG', 'SET', 'latency-monitor-threshold', '1');
    const d9 = new Redis(srv.port, { db: 9 });
    try {
      const p = d9.pipeline();
      for (let i = 0; i < 40000; i++) p.set(`exp-lat:${i}`, 'v', 'PX', '20');
      await p.exec();
      await waitFor(async () => (await d9.dbsize()) === 0, 10000, 50);
      const latest = (await r.call('LATENCY', 'LATEST')) as Array<[string, number, number, number]>;
      expect(latest.map((e) => e[0])).to.include('expire-cycle');
    } finally {
      d9.disconnect();
      await r.call('CONFIG', 'SET', 'latency-monitor-threshold', '0');
    }
  });

  describe('introspection of clients', () => {
    it('CLIENT LIST counts the running command in qbuf, and nothing once a read is consumed', async () => {
      const c = await raw(srv.port);
      c.send('CLIENT', 'INFO');
      const info = await c.reply();
      expect(info).to.match(/ qbuf=26 /);
      const b = new Redis(srv.port);
      await b.call('CLIENT', 'SETNAME', 'qbuf-blocked');
      const pending = b.call('BLPOP', 'qbuf-list', '0');
      await waitFor(async () => /blocked_clients:1/.test(await r.info('clients')));
      const list = (await r.call('CLIENT', 'LIST')) as string;
      expect(list.split('\n').find((l) => l.includes('name=qbuf-blocked'))).to.match(/ qbuf=0 /);
      await r.rpush('qbuf-list', 'x');
      await pending;
      b.disconnect();
      c.close();
    });

    it('CLIENT KILL USER knows only the default user', async () => {
      await expect(r.call('CLIENT', 'KILL', 'USER', 'wrong_user')).to.be.rejectedWith("ERR No such user 'wrong_user'");
      expect(await r.call('CLIENT', 'KILL', 'USER', 'default', 'SKIPME', 'yes', 'ID', '999999')).to.equal(0);
    });
  });

  describe('DEBUG PROTOCOL', () => {
    it('sends RESP3 attributes, big numbers and push frames as their own types, RESP2 fallbacks otherwise', async () => {
      const c = await raw(srv.port);
      c.send('HELLO', '3');
      await c.reply();
      c.send('DEBUG', 'PROTOCOL', 'attrib');
      expect(await c.reply()).to.equal('|1\r\n$14\r\nkey-popularity\r\n*2\r\n$7\r\nkey:123\r\n:90\r\n');
      expect(await c.reply()).to.equal('$39\r\nSome real reply following the attribute\r\n');
      c.send('DEBUG', 'PROTOCOL', 'bignum');
      expect(await c.reply()).to.equal('(1234567999999999999999999999999999999\r\n');
      c.send('DEBUG', 'PROTOCOL', 'push');
      expect(await c.reply()).to.equal('>2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n');
      expect(await c.reply()).to.equal('$40\r\nSome real reply following the push reply\r\n');
      c.send('DEBUG', 'PROTOCOL', 'true');
      expect(await c.reply()).to.equal('#t\r\n');
      c.send('HELLO', '2');
      await c.reply();
      c.send('DEBUG', 'PROTOCOL', 'attrib');
      expect(await c.reply()).to.equal('$39\r\nSome real reply following the attribute\r\n');
      c.send('DEBUG', 'PROTOCOL', 'bignum');
      expect(await c.reply()).to.equal('$37\r\n1234567999999999999999999999999999999\r\n');
      c.send('DEBUG', 'PROTOCOL', 'push');
      expect(await c.reply()).to.equal('-ERR RESP2 is not supported by this command\r\n');
      c.send('DEBUG', 'PROTOCOL', 'false');
      expect(await c.reply()).to.equal(':0\r\n');
      c.close();
    });
  });
});

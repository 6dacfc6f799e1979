/**
 * Pub/sub against Redis 7.0.15's byte-exact replies: subscribed mode in RESP2, push
 * frames in RESP3, patterns, shard channels, PUBSUB introspection, the (un)subscribe
 * confirmations (including "nothing to unsubscribe"), SUBSCRIBE inside MULTI, and the
 * pubsub output-buffer limit that disconnects subscribers that do not read.
 * Expected bytes were captured from a real redis-server 7.0.15.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { raw, startServer, waitFor, type RawClient, type TesseraServer } from '../helpers/server.js';

function frame(...items: Array<string | number | null>): string {
  let s = `*${items.length}\r\n`;
  for (const it of items) {
    if (it === null) s += '$-1\r\n';
    else if (typeof it === 'number') s += `:${it}\r\n`;
    else s += `$${Buffer.byteLength(it, 'latin1')}\r\n${it}\r\n`;
  }
  return s;
}

/** The same frame as a RESP3 push (nulls as `_`). */
function push(...items: Array<string | number | null>): string {
  return frame(...items).replace(/^\*/, '>').replace(/\$-1\r\n/g, '_\r\n');
}

/** Sends argv as RESP with every string taken as latin1 bytes. */
function sendBytes(c: RawClient, ...argv: string[]): void {
  let s = `*${argv.length}\r\n`;
  for (const a of argv) s += `$${a.length}\r\n${a}\r\n`;
  c.write(Buffer.from(s, 'latin1'));
}

async function replies(c: RawClient, n: number): Promise<string> {
  let out = '';
  for (let i = 0; i < n; i++) out += await c.reply();
  return out;
}

const CONTEXT_ERR = (cmd: string) =>
  `-ERR Can't execute '${cmd}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n`;

describe('pub/sub', () => {
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

  it('RESP2: subscribed mode allows only the pub/sub commands, PING, QUIT and RESET', async () => {
    const c = await raw(srv.port);
    c.send('SUBSCRIBE', 'a', 'b');
    expect(await replies(c, 2)).to.equal(frame('subscribe', 'a', 1) + frame('subscribe', 'b', 2));
    c.send('PSUBSCRIBE', 'p*');
    expect(await c.reply()).to.equal(frame('psubscribe', 'p*', 3));
    c.send('SSUBSCRIBE', 's1');
    // Shard subscriptions are counted on their own.
    expect(await c.reply()).to.equal(frame('ssubscribe', 's1', 1));
    c.send('GET', 'x');
    expect(await c.reply()).to.equal(CONTEXT_ERR('get'));
    c.send('CLIENT', 'REPLY', 'OFF');
    expect(await c.reply()).to.equal(CONTEXT_ERR('client|reply'));
    c.send('PING');
    expect(await c.reply()).to.equal('*2\r\n$4\r\npong\r\n$0\r\n\r\n');
    c.send('PING', 'hi');
    expect(await c.reply()).to.equal('*2\r\n$4\r\npong\r\n$2\r\nhi\r\n');
    c.send('UNSUBSCRIBE');
    expect(await replies(c, 2)).to.equal(frame('unsubscribe', 'a', 2) + frame('unsubscribe', 'b', 1));
    c.send('PUNSUBSCRIBE');
    expect(await c.reply()).to.equal(frame('punsubscribe', 'p*', 0));
    // Still subscribed to a shard channel: still in subscribed mode.
    c.send('GET', 'x');
    expect(await c.reply()).to.equal(CONTEXT_ERR('get'));
    c.send('SUNSUBSCRIBE', 'x', 's1');
    expect(await replies(c, 2)).to.equal(frame('sunsubscribe', 'x', 1) + frame('sunsubscribe', 's1', 0));
    c.send('GET', 'x');
    expect(await c.reply()).to.equal('$-1\r\n');
    c.close();
  });

  it('unsubscribing with no subscriptions still answers, with a null name', async () => {
    const c = await raw(srv.port);
    c.send('UNSUBSCRIBE');
    c.send('PUNSUBSCRIBE');
    c.send('SUNSUBSCRIBE');
    expect(await replies(c, 3)).to.equal(
      '*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n' +
      '*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n' +
      '*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n');
    // Not subscribed afterwards: ordinary commands work.
    c.send('PING');
    expect(await c.reply()).to.equal('+PONG\r\n');
    c.send('HELLO', '3');
    await c.reply();
    c.send('PUNSUBSCRIBE');
    expect(await c.reply()).to.equal('>3\r\n$12\r\npunsubscribe\r\n_\r\n:0\r\n');
    c.close();
  });

  it('RESP3: messages arrive as push frames while other commands keep working', async () => {
    const c = await raw(srv.port);
    c.send('HELLO', '3');
    await c.reply();
    c.send('SUBSCRIBE', 'news');
    expect(await c.reply()).to.equal(push('subscribe', 'news', 1));
    c.send('PSUBSCRIBE', 'ne*');
    expect(await c.reply()).to.equal(push('psubscribe', 'ne*', 2));
    c.send('SET', 'k3', 'v');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await r.publish('news', 'hello')).to.equal(2);
    expect(await c.reply()).to.equal(push('message', 'news', 'hello'));
    expect(await c.reply()).to.equal(push('pmessage', 'ne*', 'news', 'hello'));
    c.send('GET', 'k3');
    expect(await c.reply()).to.equal('$1\r\nv\r\n');
    c.send('GET', 'missing');
    expect(await c.reply()).to.equal('_\r\n');
    c.send('PING');
    expect(await c.reply()).to.equal('+PONG\r\n');
    c.send('UNSUBSCRIBE', 'news', 'other');
    expect(await replies(c, 2)).to.equal(push('unsubscribe', 'news', 1) + push('unsubscribe', 'other', 1));
    c.close();
  });

  it('PUBLISH counts channel and pattern receivers; patterns use Redis glob rules', async () => {
    const subs: RawClient[] = [];
    const patterns = ['news.*', 'n?ws.[ab]', 'h[^e]llo', 'lit\\*', '*'];
    for (const p of patterns) {
      const c = await raw(srv.port);
      c.send('PSUBSCRIBE', p);
      await c.reply();
      subs.push(c);
    }
    const chan = await raw(srv.port);
    chan.send('SUBSCRIBE', 'news.a');
    await chan.reply();
    const got = async (i: number): Promise<string> => {
      await new Promise((res) => setTimeout(res, 30));
      return subs[i]!.readUntil(() => true, 100);
    };
    // news.a: channel + news.* + n?ws.[ab] + *
    expect(await r.publish('news.a', 'm1')).to.equal(4);
    expect(await chan.reply()).to.equal(frame('message', 'news.a', 'm1'));
    expect(await got(0)).to.equal(frame('pmessage', 'news.*', 'news.a', 'm1'));
    expect(await got(1)).to.equal(frame('pmessage', 'n?ws.[ab]', 'news.a', 'm1'));
    expect(await got(2)).to.equal('');
    expect(await got(4)).to.equal(frame('pmessage', '*', 'news.a', 'm1'));
    expect(await r.publish('nows.c', 'm2')).to.equal(1); // only '*'
    expect(await r.publish('hallo', 'm3')).to.equal(2);
    expect(await r.publish('hello', 'm4')).to.equal(1);
    expect(await r.publish('lit*', 'm5')).to.equal(2);
    expect(await r.publish('litx', 'm6')).to.equal(1);
    expect(await r.call('PUBSUB', 'NUMPAT')).to.equal(5);
    // The same client subscribed to the same pattern twice counts once.
    subs[0]!.send('PSUBSCRIBE', 'news.*');
    expect(await subs[0]!.reply()).to.contain(frame('psubscribe', 'news.*', 1));
    for (const c of subs) c.close();
    chan.close();
    await waitFor(async () => (await r.call('PUBSUB', 'NUMPAT')) === 0);
    expect(await r.publish('news.a', 'x')).to.equal(0);
  });

  it('PUBSUB CHANNELS, NUMSUB, NUMPAT, SHARDCHANNELS, SHARDNUMSUB and HELP', async () => {
    const a = await raw(srv.port);
    const b = await raw(srv.port);
    a.send('SUBSCRIBE', 'ch.1', 'ch.2', 'other');
    await replies(a, 3);
    b.send('SUBSCRIBE', 'ch.1');
    await b.reply();
    b.send('PSUBSCRIBE', 'ch.*');
    await b.reply();
    a.send('SSUBSCRIBE', 'sh.1', 'sh.2');
    await replies(a, 2);
    expect(((await r.call('PUBSUB', 'CHANNELS')) as string[]).sort()).to.deep.equal(['ch.1', 'ch.2', 'other']);
    expect(((await r.call('PUBSUB', 'CHANNELS', 'ch.?')) as string[]).sort()).to.deep.equal(['ch.1', 'ch.2']);
    expect(await r.call('PUBSUB', 'NUMSUB', 'ch.1', 'ch.2', 'nope')).to.deep.equal(['ch.1', 2, 'ch.2', 1, 'nope', 0]);
    expect(await r.call('PUBSUB', 'NUMSUB')).to.deep.equal([]);
    expect(await r.call('PUBSUB', 'NUMPAT')).to.equal(1);
    expect(((await r.call('PUBSUB', 'SHARDCHANNELS')) as string[]).sort()).to.deep.equal(['sh.1', 'sh.2']);
    expect(await r.call('PUBSUB', 'SHARDCHANNELS', '*2')).to.deep.equal(['sh.2']);
    expect(await r.call('PUBSUB', 'SHARDNUMSUB', 'sh.1', 'ch.1')).to.deep.equal(['sh.1', 1, 'ch.1', 0]);
    const stats = (await r.info('stats')) as string;
    expect(stats).to.contain('\r\npubsub_channels:3\r\npubsub_patterns:1\r\npubsubshard_channels:2\r\n');
    // Shard channels and ordinary channels are separate namespaces.
    expect(await r.call('SPUBLISH', 'sh.1', 'x')).to.equal(1);
    expect(await r.publish('sh.1', 'x')).to.equal(0);
    expect(await r.call('SPUBLISH', 'ch.1', 'x')).to.equal(0);
    expect(await a.readUntil((buf) => buf.includes('smessage'))).to.equal(frame('smessage', 'sh.1', 'x'));
    const help = (await r.call('PUBSUB', 'HELP')) as string[];
    expect(help).to.have.length(14);
    expect(help[0]).to.equal('PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:');
    await expect(r.call('PUBSUB', 'CHANNELS', 'a', 'b')).to.be.rejectedWith(
      "ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.");
    await expect(r.call('PUBSUB', 'NUMPAT', 'x')).to.be.rejectedWith("ERR wrong number of arguments for 'pubsub|numpat' command");
    await expect(r.call('PUBSUB', 'FOO')).to.be.rejectedWith("ERR unknown subcommand 'FOO'. Try PUBSUB HELP.");
    // A disconnect removes every subscription of the client.
    a.close();
    await waitFor(async () => ((await r.call('PUBSUB', 'CHANNELS')) as string[]).length === 1);
    expect(await r.call('PUBSUB', 'NUMSUB', 'ch.1', 'ch.2')).to.deep.equal(['ch.1', 1, 'ch.2', 0]);
    expect(await r.call('PUBSUB', 'SHARDCHANNELS')).to.deep.equal([]);
    // RESET drops subscriptions silently and leaves subscribed mode.
    b.send('RESET');
    expect(await b.reply()).to.equal('+RESET\r\n');
    b.send('GET', 'x');
    expect(await b.reply()).to.equal('$-1\r\n');
    expect(await r.call('PUBSUB', 'CHANNELS')).to.deep.equal([]);
    expect(await r.call('PUBSUB', 'NUMPAT')).to.equal(0);
    b.close();
  });

  it('SUBSCRIBE inside MULTI inlines its frames in EXEC; SSUBSCRIBE is refused there', async () => {
    const c = await raw(srv.port);
    c.send('MULTI');
    c.send('SUBSCRIBE', 'a', 'b');
    c.send('SSUBSCRIBE', 's');
    c.send('EXEC');
    // Byte for byte what Redis sends: EXEC counts 2 replies, the first one is two frames.
    expect(await c.readUntil((b) => b.includes('DENY BLOCKING'))).to.equal(
      '+OK\r\n+QUEUED\r\n+QUEUED\r\n*2\r\n' + frame('subscribe', 'a', 1) + frame('subscribe', 'b', 2) +
      "-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n");
    expect(await r.call('PUBSUB', 'NUMSUB', 'a')).to.deep.equal(['a', 1]);
    c.close();
  });

  it('confirmations and messages are pushed even under CLIENT REPLY OFF', async () => {
    const c = await raw(srv.port);
    c.send('CLIENT', 'REPLY', 'OFF');
    c.send('SET', 'quiet', '1');
    c.send('SUBSCRIBE', 'loud');
    expect(await c.reply()).to.equal(frame('subscribe', 'loud', 1));
    await r.publish('loud', 'm');
    expect(await c.reply()).to.equal(frame('message', 'loud', 'm'));
    c.close();
  });

  it('binary channel names and messages pass through unchanged', async () => {
    const c = await raw(srv.port);
    const ch = 'c\x00\xff\r\n';
    sendBytes(c, 'SUBSCRIBE', ch);
    expect(await c.reply()).to.equal(frame('subscribe', ch, 1));
    const msg = Buffer.from([0, 1, 2, 255, 13, 10]);
    expect(await r.publish(Buffer.from(ch, 'latin1'), msg)).to.equal(1);
    expect(await c.reply()).to.equal(frame('message', ch, msg.toString('latin1')));
    c.close();
  });

  describe('output buffer limits', () => {
    let lim: TesseraServer;
    let pub: Redis;
    before(async () => {
      lim = await startServer({ 'client-output-buffer-limit': 'pubsub 2mb 1mb 60' });
      pub = new Redis(lim.port);
    });
    after(async () => {
      pub.disconnect();
      await lim.close();
    });

    it('disconnects a subscriber that stops reading, with bounded buffering', async function () {
      this.timeout(20000);
      const c = await raw(lim.port);
      c.send('SUBSCRIBE', 'firehose');
      await c.reply();
      c.sock.pause(); // stop reading: the kernel buffers fill, then the server's queue grows
      const session = [...lim.node.sessions.values()].find((s) => s.channels.has('firehose'))!;
      expect(session).to.not.equal(undefined);
      const payload = 'x'.repeat(64 * 1024);
      let maxQueued = 0;
      let sent = 0;
      // Up to 64 MB in batches; a subscriber that never reads must be cut off long before.
      while (sent < 1024 && !session.closed) {
        const p = pub.pipeline();
        for (let i = 0; i < 32; i++) p.publish('firehose', payload);
        await p.exec();
        sent += 32;
        maxQueued = Math.max(maxQueued, session.outputBufferSize);
      }
      expect(session.closed, 'subscriber still connected').to.equal(true);
      expect(sent).to.be.lessThan(1024);
      // Queued bytes never went far past the 2 MB hard limit (one batch of 2 MB at most).
      expect(maxQueued).to.be.lessThan(5 * 1024 * 1024);
      expect(lim.node.stats.clientOutputBufferLimitDisconnections).to.equal(1);
      expect(await pub.call('PUBSUB', 'NUMSUB', 'firehose')).to.deep.equal(['firehose', 0]);
      expect(await pub.publish('firehose', 'after')).to.equal(0);
      c.close();
    });

    it('keeps a subscriber that reads', async function () {
      this.timeout(20000);
      const c = await raw(lim.port);
      c.send('SUBSCRIBE', 'steady');
      await c.reply();
      let received = 0;
      c.sock.on('data', (d: Buffer) => { received += d.length; });
      const payload = 'y'.repeat(16 * 1024);
      for (let k = 0; k < 20; k++) {
        const p = pub.pipeline();
        for (let i = 0; i < 16; i++) p.publish('steady', payload);
        await p.exec();
      }
      await waitFor(() => received >= 20 * 16 * payload.length);
      expect(c.closed).to.equal(false);
      expect(await pub.call('PUBSUB', 'NUMSUB', 'steady')).to.deep.equal(['steady', 1]);
      c.close();
    });

    it('soft limit: disconnects only after staying over it for soft-seconds', async function () {
      this.timeout(20000);
      await pub.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 512kb 1');
      const c = await raw(lim.port);
      c.send('SUBSCRIBE', 'soft');
      await c.reply();
      c.sock.pause();
      const session = [...lim.node.sessions.values()].find((s) => s.channels.has('soft'))!;
      const payload = 'z'.repeat(64 * 1024);
      const burst = async (n: number) => {
        const p = pub.pipeline();
        for (let i = 0; i < n; i++) p.publish('soft', payload);
        await p.exec();
      };
      // Fill past the kernel buffers and the soft limit.
      for (let k = 0; k < 16 && session.outputBufferSize < 1024 * 1024; k++) await burst(32);
      expect(session.outputBufferSize).to.be.greaterThan(512 * 1024);
      await burst(1);
      expect(session.closed, 'closed before soft-seconds elapsed').to.equal(false);
      await new Promise((res) => setTimeout(res, 1200));
      await burst(1);
      await waitFor(() => session.closed);
      c.close();
    });

    it('soft limit: a subscriber left over it with no more traffic is closed when soft-seconds run out', async function () {
      this.timeout(20000);
      await pub.call('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 0 512kb 1');
      const c = await raw(lim.port);
      c.send('SUBSCRIBE', 'quiet');
      await c.reply();
      c.sock.pause();
      const session = [...lim.node.sessions.values()].find((s) => s.channels.has('quiet'))!;
      const payload = 'q'.repeat(64 * 1024);
      for (let k = 0; k < 16 && session.outputBufferSize < 1024 * 1024; k++) {
        const p = pub.pipeline();
        for (let i = 0; i < 32; i++) p.publish('quiet', payload);
        await p.exec();
      }
      expect(session.outputBufferSize).to.be.greaterThan(512 * 1024);
      expect(session.closed).to.equal(false);
      // No publish from here on: only the server's own check can end the client.
      await waitFor(() => session.closed, 3000);
      expect(await pub.call('PUBSUB', 'NUMSUB', 'quiet')).to.deep.equal(['quiet', 0]);
      c.close();
    });
  });
});

/**
 * Connection and client commands: PING ECHO QUIT RESET AUTH HELLO CLIENT, requirepass.
 */
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { raw, startServer, waitFor, type TesseraServer } from '../helpers/server.js';

describe('connection commands', () => {
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

  it('PING and ECHO', async () => {
    expect(await r.ping()).to.equal('PONG');
    expect(await r.ping('hi')).to.equal('hi');
    expect(await r.echo('x\x00y')).to.equal('x\x00y');
    await expect(r.call('PING', 'a', 'b')).to.be.rejectedWith("ERR wrong number of arguments for 'ping' command");
  });

  it('QUIT replies OK and closes', async () => {
    const c = await raw(srv.port);
    c.write('QUIT\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.waitClosed()).to.equal(true);
  });

  it('CLIENT ID, SETNAME, GETNAME, INFO, LIST', async () => {
    const id = (await r.client('ID')) as number;
    expect(id).to.be.a('number').greaterThan(0);
    expect(await r.client('GETNAME')).to.equal(null);
    expect(await r.client('SETNAME', 'worker-1')).to.equal('OK');
    expect(await r.client('GETNAME')).to.equal('worker-1');
    await expect(r.client('SETNAME', 'bad name')).to.be.rejectedWith('ERR Client names cannot contain spaces, newlines or special characters.');
    const info = (await r.client('INFO')) as string;
    expect(info).to.match(new RegExp(`^id=${id} addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:${srv.port} fd=\\d+ name=worker-1 `));
    expect(info).to.contain(' cmd=client|info ');
    const list = (await r.client('LIST')) as string;
    expect(list.split('\n').filter(Boolean).some((l) => l.startsWith(`id=${id} `))).to.equal(true);
    const only = (await r.client('LIST', 'ID', String(id))) as string;
    expect(only.trim().split('\n')).to.have.length(1);
    await expect(r.call('CLIENT', 'LIST', 'TYPE', 'bogus')).to.be.rejectedWith("ERR Unknown client type 'bogus'");
  });

  it('CLIENT KILL by ID and by address', async () => {
    const victim = new Redis(srv.port);
    const vid = (await victim.client('ID')) as number;
    expect(await r.client('KILL', 'ID', String(vid))).to.equal(1);
    await waitFor(async () => !((await r.client('LIST')) as string).includes(`id=${vid} `));
    expect(await r.client('KILL', 'ID', '999999')).to.equal(0);
    await expect(r.call('CLIENT', 'KILL', '1.2.3.4:5')).to.be.rejectedWith('ERR No such client');
    victim.disconnect();
  });

  it('CLIENT REPLY OFF and SKIP suppress replies', async () => {
    const c = await raw(srv.port);
    c.write('CLIENT REPLY SKIP\r\nECHO skipped\r\nECHO seen\r\n');
    expect(await c.reply()).to.equal('$4\r\nseen\r\n');
    c.write('CLIENT REPLY OFF\r\nECHO a\r\nCLIENT REPLY ON\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    c.close();
  });

  it('CLIENT PAUSE holds commands until it ends', async () => {
    const other = new Redis(srv.port);
    await r.client('PAUSE', '200');
    const t0 = Date.now();
    await other.get('x');
    expect(Date.now() - t0).to.be.at.least(150);
    await expect(r.call('CLIENT', 'PAUSE', '10', 'BAD')).to.be.rejectedWith('ERR CLIENT PAUSE mode must be WRITE or ALL');
    other.disconnect();
  });

  it('CLIENT PAUSE WRITE holds only writes; UNPAUSE releases them at once (regression: held everything)', async () => {
    const other = new Redis(srv.port);
    await r.client('PAUSE', '100000', 'WRITE');
    expect(await other.get('x')).to.equal(null);
    expect(await other.ping()).to.equal('PONG');
    let done = false;
    const write = other.set('paused-write', '1').then(() => { done = true; });
    await new Promise((res) => setTimeout(res, 100));
    expect(done).to.equal(false);
    await r.call('CLIENT', 'UNPAUSE');
    await write;
    expect(await r.get('paused-write')).to.equal('1');
    await r.client('PAUSE', '100000', 'WRITE');
    const m = other.multi().get('x').exec();
    expect(await m).to.deep.equal([[null, null]]);
    await r.call('CLIENT', 'UNPAUSE');
    other.disconnect();
  });

  it('RESET returns the connection to its initial state', async () => {
    const c = await raw(srv.port);
    c.write('SELECT 3\r\nMULTI\r\nRESET\r\nCLIENT INFO\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.reply()).to.equal('+RESET\r\n');
    const info = await c.reply();
    expect(info).to.contain(' db=0 ').and.to.contain(' multi=-1 ');
    c.close();
  });

  it('AUTH without a password configured', async () => {
    await expect(r.call('AUTH', 'x')).to.be.rejectedWith('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?');
  });

  it('HELLO with SETNAME and a bad option', async () => {
    const res = (await r.call('HELLO', '2', 'SETNAME', 'hello-name')) as unknown[];
    expect(res).to.include('server').and.to.include('redis');
    expect(await r.client('GETNAME')).to.equal('hello-name');
    await expect(r.call('HELLO', '2', 'FOO')).to.be.rejectedWith("ERR Syntax error in HELLO option 'FOO'");
    await expect(r.call('HELLO', 'x')).to.be.rejectedWith('ERR Protocol version is not an integer or out of range');
  });
});

describe('requirepass', () => {
  let srv: TesseraServer;
  before(async () => {
    srv = await startServer({ requirepass: 's3cret' });
  });
  after(async () => {
    await srv.close();
  });

  it('answers NOAUTH until AUTH succeeds', async () => {
    const c = await raw(srv.port);
    c.write('GET k\r\n');
    expect(await c.reply()).to.equal('-NOAUTH Authentication required.\r\n');
    c.write('AUTH wrong\r\n');
    expect(await c.reply()).to.equal('-WRONGPASS invalid username-password pair or user is disabled.\r\n');
    c.write('AUTH s3cret\r\nPING\r\n');
    expect(await c.reply()).to.equal('+OK\r\n');
    expect(await c.reply()).to.equal('+PONG\r\n');
    c.close();
  });

  it('authenticates through HELLO AUTH and ioredis', async () => {
    const c = await raw(srv.port);
    c.write('HELLO 3 AUTH default s3cret\r\n');
    expect((await c.reply()).startsWith('%7')).to.equal(true);
    c.close();
    const r = new Redis(srv.port, { password: 's3cret' });
    expect(await r.ping()).to.equal('PONG');
    r.disconnect();
  });

  it('limits unauthenticated multibulk length', async () => {
    const c = await raw(srv.port);
    c.write('*20\r\n');
    expect(await c.reply()).to.equal('-ERR Protocol error: unauthenticated multibulk length\r\n');
    expect(await c.waitClosed()).to.equal(true);
  });
});

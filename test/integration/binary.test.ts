/**
 * The tessera-server binary as a redis-server stand-in: arguments, config errors,
 * start-up lines, signals.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { raw, SERVER_BIN, spawnServer, startServer, tmpDir, waitFor } from '../helpers/server.js';

function run(args: string[]): { out: string; code: number | null } {
  const r = spawnSync(process.execPath, [SERVER_BIN, ...args], { encoding: 'utf8', timeout: 10000 });
  return { out: r.stdout + r.stderr, code: r.status };
}

describe('tessera-server binary', () => {
  it('prints a Redis-style version line', () => {
    const r = run(['--version']);
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^Redis server v=7\.0\.15 sha=00000000:0 malloc=libc bits=64 build=tessera-\d+\.\d+\.\d+\n$/);
  });

  it('refuses an unknown directive, naming the line', () => {
    const dir = tmpDir();
    const f = path.join(dir, 'bad.conf');
    writeFileSync(f, 'port 7000\nfoo bar\n');
    const r = run([f]);
    expect(r.code).to.equal(1);
    expect(r.out).to.contain('*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***');
    expect(r.out).to.contain('Reading the configuration file, at line 2');
    expect(r.out).to.contain(">>> 'foo bar'");
    expect(r.out).to.contain('Bad directive or wrong number of arguments');
  });

  it('refuses a bad value given on the command line', () => {
    const r = run(['--port', 'abc']);
    expect(r.code).to.equal(1);
    // Redis counts the command-line directives after the file's lines (line 2 with no file).
    expect(r.out).to.contain('Reading the configuration file, at line 2\n>>> \'port "abc"\'\n');
    expect(r.out).to.contain("argument couldn't be parsed into an integer");
    const dir = tmpDir();
    const f = path.join(dir, 'ok.conf');
    writeFileSync(f, 'port 7000\nloglevel notice\n');
    expect(run([f, '--hz', 'abc']).out).to.contain('Reading the configuration file, at line 4\n');
  });

  it('starts from a config file plus flags, logs PID and readiness, stops on SIGTERM', async () => {
    const dir = tmpDir();
    const f = path.join(dir, 'ok.conf');
    writeFileSync(f, `dir ${dir}\nsave ""\nloglevel verbose\n`);
    const s = await spawnServer([f, '--maxmemory', '10mb']);
    expect(s.stdout()).to.contain(` PID: ${s.proc.pid}`);
    expect(s.stdout()).to.contain('Ready to accept connections');
    const r = new Redis(s.port);
    expect(await r.config('GET', 'maxmemory')).to.deep.equal(['maxmemory', '10485760']);
    expect(await r.config('GET', 'loglevel')).to.deep.equal(['loglevel', 'verbose']);
    r.disconnect();
    const code = await s.stop('SIGTERM');
    expect(code).to.equal(0);
    expect(s.stdout()).to.contain('ready to exit, bye bye');
  });

  it('CONFIG REWRITE updates the config file it was started with', async () => {
    const dir = tmpDir();
    const f = path.join(dir, 'rw.conf');
    writeFileSync(f, `# my settings\ndir ${dir}\nsave ""\nhz 10\n`);
    const s = await spawnServer([f]);
    const r = new Redis(s.port);
    expect(await r.config('SET', 'hz', '25')).to.equal('OK');
    expect(await r.config('SET', 'maxmemory', '2mb')).to.equal('OK');
    expect(await r.config('REWRITE')).to.equal('OK');
    const text = readFileSync(f, 'utf8');
    expect(text).to.contain('# my settings');
    expect(text).to.match(/^hz 25$/m);
    expect(text).to.match(/^maxmemory 2mb$/m);
    r.disconnect();
    await s.stop('SIGTERM');
  });

  it('SHUTDOWN NOSAVE ends the process with exit code 0 (regression: it answered an error)', async () => {
    const s = await spawnServer(['--save', '']);
    const c = await raw(s.port);
    const exited = new Promise<number | null>((res) => s.proc.once('exit', (code) => res(code)));
    c.write('SHUTDOWN NOSAVE\r\n');
    expect(await c.waitClosed()).to.equal(true);
    expect(await exited).to.equal(0);
  });

  it('SHUTDOWN on an embedded server closes the server, not the host process', async () => {
    const srv = await startServer();
    const c = await raw(srv.port);
    c.write('SHUTDOWN NOSAVE\r\n');
    expect(await c.waitClosed()).to.equal(true);
    await waitFor(async () => {
      try {
        const probe = await raw(srv.port);
        probe.close();
        return false;
      } catch {
        return true;
      }
    });
  });
});

/**
 * Loading AOF directories written by hand: truncated tails (with and without
 * aof-load-truncated), corruption in the middle, unfinished transactions, manifest
 * errors, the old-style single-file upgrade, and random garbage, which must end in a
 * clean start-up error and never in a crash or a hang.
 */
import { expect } from 'chai';
import { mkdirSync, readFileSync, writeFileSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { startServer, tmpDir } from '../helpers/server.js';
import { startServer as startRaw } from '../../src/server.js';
import { FatalPersistenceError } from '../../src/persistence/index.js';

function cmd(...argv: string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`).join('');
}

interface Layout {
  base?: string;
  incr?: string[];
  manifest?: string;
}

/** Writes an AOF directory; returns [dir, aofDir]. */
function layout(l: Layout): [string, string] {
  const dir = tmpDir('aofload-');
  const ad = path.join(dir, 'appendonlydir');
  mkdirSync(ad);
  const lines: string[] = [];
  if (l.base !== undefined) {
    writeFileSync(path.join(ad, 'appendonly.aof.1.base.aof'), l.base, 'latin1');
    lines.push('file appendonly.aof.1.base.aof seq 1 type b\n');
  }
  (l.incr ?? []).forEach((t, i) => {
    writeFileSync(path.join(ad, `appendonly.aof.${i + 1}.incr.aof`), t, 'latin1');
    lines.push(`file appendonly.aof.${i + 1}.incr.aof seq ${i + 1} type i\n`);
  });
  writeFileSync(path.join(ad, 'appendonly.aof.manifest'), l.manifest ?? lines.join(''), 'latin1');
  return [dir, ad];
}

async function start(dir: string, extra: Record<string, string> = {}): Promise<{ log: () => string; r: Redis; close: () => Promise<void> }> {
  const logFile = path.join(dir, 'log.txt');
  const s = await startServer({ dir, appendonly: 'yes', loglevel: 'verbose', ...extra }, { log: logFile });
  const r = new Redis(s.port);
  return {
    r,
    log: () => readFileSync(logFile, 'latin1'),
    close: async () => {
      r.disconnect();
      await s.close();
    },
  };
}

/** Starts a server that must refuse to load; returns its log. */
async function mustFail(dir: string, extra: Record<string, string> = {}): Promise<string> {
  const logFile = path.join(dir, 'log.txt');
  let err: unknown = null;
  try {
    const s = await startServer({ dir, appendonly: 'yes', ...extra }, { log: logFile });
    await s.close();
  } catch (e) {
    err = e;
  }
  expect(err, 'start-up should fail').to.be.instanceOf(FatalPersistenceError);
  return existsSync(logFile) ? readFileSync(logFile, 'latin1') : '';
}

const SET_A = cmd('SET', 'a', '1');
const SET_B = cmd('SET', 'b', '2');
const SET_C = cmd('SET', 'c', '3');

describe('AOF: loading', function () {
  this.timeout(20000);

  it('a truncated tail loads with aof-load-truncated yes, and the file is cut back', async () => {
    const cut = SET_C.slice(0, 13);
    const [dir, ad] = layout({ base: '', incr: [cmd('SELECT', '0') + SET_A + SET_B + cut] });
    const good = (cmd('SELECT', '0') + SET_A + SET_B).length;
    const s = await start(dir);
    try {
      expect(await s.r.mget('a', 'b', 'c')).to.deep.equal(['1', '2', null]);
      expect(statSync(path.join(ad, 'appendonly.aof.1.incr.aof')).size).to.equal(good);
      expect(s.log()).to.contain(`!!! Truncating the AOF appendonly.aof.1.incr.aof at offset ${good} !!!`);
      expect(s.log()).to.contain('AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled');
      // The file is appended to after the cut: the next start sees a clean file.
      await s.r.set('d', '4');
    } finally {
      await s.close();
    }
    const s2 = await start(dir);
    try {
      expect(await s2.r.mget('a', 'b', 'c', 'd')).to.deep.equal(['1', '2', null, '4']);
    } finally {
      await s2.close();
    }
  });

  it('a truncated tail is fatal with aof-load-truncated no', async () => {
    const [dir] = layout({ base: '', incr: [SET_A + SET_B.slice(0, 5)] });
    const log = await mustFail(dir, { 'aof-load-truncated': 'no' });
    expect(log).to.contain('Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>.');
  });

  it('corruption in the middle is fatal, naming the file and the offset', async () => {
    const bad = SET_B.replace('$1\r\nb', '!1\r\nb');
    const [dir] = layout({ base: '', incr: [SET_A + bad + SET_C] });
    const log = await mustFail(dir);
    expect(log).to.contain('Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>');
    expect(log).to.contain(`format error at offset ${SET_A.length + 13}`);
  });

  it('a truncated file that is not the last one is fatal', async () => {
    const [dir] = layout({ base: '', incr: [SET_A + SET_B.slice(0, 7), SET_C] });
    const log = await mustFail(dir);
    expect(log).to.contain('Fatal error: the truncated file is not the last file');
  });

  it('an unfinished MULTI at the end is reverted', async () => {
    const [dir, ad] = layout({ base: '', incr: [SET_A + cmd('MULTI') + SET_B + SET_C] });
    const s = await start(dir);
    try {
      expect(await s.r.mget('a', 'b', 'c')).to.deep.equal(['1', null, null]);
      expect(s.log()).to.contain('Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof');
      expect(statSync(path.join(ad, 'appendonly.aof.1.incr.aof')).size).to.equal(SET_A.length);
    } finally {
      await s.close();
    }
  });

  it('a complete MULTI/EXEC is applied', async () => {
    const [dir] = layout({ base: cmd('SET', 'x', 'base'), incr: [cmd('MULTI') + SET_A + cmd('INCR', 'a') + cmd('EXEC')] });
    const s = await start(dir);
    try {
      expect(await s.r.mget('x', 'a')).to.deep.equal(['base', '2']);
    } finally {
      await s.close();
    }
  });

  it('an unknown command is fatal', async () => {
    const [dir] = layout({ base: '', incr: [SET_A + cmd('NOSUCHCMD', 'x')] });
    const log = await mustFail(dir);
    expect(log).to.contain("Unknown command 'NOSUCHCMD' reading the append only file appendonly.aof.1.incr.aof");
  });

  it('manifest errors are fatal with Redis texts', async () => {
    const cases: Array<[string, string]> = [
      ['file appendonly.aof.1.incr.aof seq 1\n', 'Invalid AOF manifest file format'],
      ['file appendonly.aof.1.incr.aof seq 1 type i', 'The AOF manifest file contains too long line'],
      ['file a/b seq 1 type i\n', "File can't be a path, just a filename"],
      ['file x.aof seq 1 type b\nfile y.aof seq 2 type b\n', 'Found duplicate base file information'],
      ['file x.aof seq 2 type i\nfile y.aof seq 1 type i\n', 'Found a non-monotonic sequence number'],
      ['file x.aof seq 1 type z\n', 'Unknown AOF file type'],
      ['', 'Found an empty AOF manifest'],
    ];
    for (const [text, msg] of cases) {
      const [dir] = layout({ incr: [SET_A], manifest: text });
      const log = await mustFail(dir);
      expect(log, text).to.contain(msg);
    }
  });

  it('a file named by the manifest but missing is fatal', async () => {
    const [dir] = layout({ incr: [SET_A], manifest: 'file appendonly.aof.1.incr.aof seq 1 type i\nfile gone.aof seq 2 type i\n' });
    const log = await mustFail(dir);
    expect(log).to.contain('Unable to obtain the AOF file gone.aof length. stat: No such file or directory');
  });

  it('an old-style appendonly.aof is migrated into the AOF directory', async () => {
    const dir = tmpDir('aofload-');
    writeFileSync(path.join(dir, 'appendonly.aof'), SET_A + SET_B, 'latin1');
    const s = await start(dir);
    try {
      expect(await s.r.mget('a', 'b')).to.deep.equal(['1', '2']);
      expect(s.log()).to.contain('Successfully migrated an old-style AOF file (appendonly.aof) into the AOF directory');
      expect(existsSync(path.join(dir, 'appendonly.aof'))).to.equal(false);
      expect(readFileSync(path.join(dir, 'appendonlydir', 'appendonly.aof.manifest'), 'latin1'))
        .to.equal('file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    } finally {
      await s.close();
    }
  });

  it('empty files load as an empty dataset', async () => {
    const [dir] = layout({ base: '', incr: [''] });
    const s = await start(dir);
    try {
      expect(await s.r.dbsize()).to.equal(0);
    } finally {
      await s.close();
    }
  });

  it('random garbage never crashes or hangs the loader', async () => {
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    const alphabet = '*$\r\n0123456789-SETabc#';
    for (let i = 0; i < 40; i++) {
      let text = SET_A;
      const n = Math.floor(rnd() * 60);
      for (let j = 0; j < n; j++) {
        text += rnd() < 0.8 ? alphabet[Math.floor(rnd() * alphabet.length)] : String.fromCharCode(Math.floor(rnd() * 256));
      }
      const [dir] = layout({ base: '', incr: [text] });
      try {
        const s = await startServer({ dir, appendonly: 'yes' });
        const r = new Redis(s.port);
        expect(await r.get('a')).to.equal('1');
        r.disconnect();
        await s.close();
      } catch (e) {
        expect(e, JSON.stringify(text)).to.be.instanceOf(FatalPersistenceError);
      }
    }
  });

  it('a garbage RDB base is a clean start-up error', async () => {
    let seed = 777;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let i = 0; i < 30; i++) {
      let body = 'REDIS0010';
      const n = Math.floor(rnd() * 80);
      for (let j = 0; j < n; j++) body += String.fromCharCode(Math.floor(rnd() * 256));
      const dir = tmpDir('aofload-');
      const ad = path.join(dir, 'appendonlydir');
      mkdirSync(ad);
      writeFileSync(path.join(ad, 'appendonly.aof.1.base.rdb'), body, 'latin1');
      writeFileSync(path.join(ad, 'appendonly.aof.1.incr.aof'), SET_A, 'latin1');
      writeFileSync(path.join(ad, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
      const log = await mustFail(dir);
      expect(log).to.contain('Error reading the RDB base file appendonly.aof.1.base.rdb, AOF loading aborted');
    }
  });

  it('answers -LOADING with loading_* progress in INFO while a big AOF loads', async () => {
    let text = '';
    for (let i = 0; i < 20000; i++) text += cmd('SET', `key:${i}`, 'x'.repeat(100));
    const [dir] = layout({ base: '', incr: [text] });
    // A server that has not loaded yet (the binary's order): load by hand, query meanwhile.
    const s = await startRaw({ port: 0, standalone: true, log: 'silent', config: { dir, appendonly: 'yes', save: '' } });
    const r = new Redis(s.port);
    try {
      await r.info('server');
      const loading = s.node.loadData();
      let sawLoading = false;
      let sawProgress = false;
      while (s.node.loading) {
        try {
          await r.get('key:1');
        } catch (e) {
          if (String(e).includes('LOADING Redis is loading the dataset in memory')) sawLoading = true;
        }
        const info = await r.info('persistence');
        if (/loading:1/.test(info) && /loading_total_bytes:(\d+)/.exec(info)?.[1] === String(text.length)) sawProgress = true;
      }
      await loading;
      expect(sawLoading).to.equal(true);
      expect(sawProgress).to.equal(true);
      expect(await r.dbsize()).to.equal(20000);
    } finally {
      r.disconnect();
      await s.close();
    }
  });
});

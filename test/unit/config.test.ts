/**
 * Config against Redis 7.0.15. Every expected value and error text below was observed
 * on a real redis-server 7.0.15 (redis-cli CONFIG GET/SET, redis-server with bad files
 * and flags, CONFIG REWRITE output) and is hard-coded here.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config, ConfigSetError, ConfigFileError, parseCommandLine } from '../../src/config/config.js';
import { DIRECTIVES, HIDDEN } from '../../src/config/directives.js';

const SHIPPED_CONF = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'conf', 'tessera.conf');

function setErr(c: Config, pairs: Array<[string, string]>, opts?: { localClient?: boolean; loading?: boolean }): string {
  try {
    c.set(pairs, opts);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigSetError);
    return (e as Error).message;
  }
  return 'OK';
}

function loadErr(text: string): string {
  try {
    new Config().loadString(text);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigFileError);
    return (e as Error).message;
  }
  return 'OK';
}

const failed = (name: string, why: string): string => `ERR CONFIG SET failed (possibly related to argument '${name}') - ${why}`;
const fatal = (line: number, text: string, why: string): string =>
  `\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line ${line}\n>>> '${text}'\n${why}\n`;

describe('Config', () => {
  let tmp: string;
  before(() => { tmp = mkdtempSync(path.join(tmpdir(), 'tessera-config-')); });
  after(() => { rmSync(tmp, { recursive: true, force: true }); });

  describe('defaults', () => {
    const REDIS_DEFAULTS: Record<string, string> = {
      'save': '3600 1 300 100 60 10000', 'appendonly': 'no', 'port': '6379', 'bind': '* -::*',
      'maxmemory': '0', 'maxmemory-policy': 'noeviction', 'hz': '10', 'databases': '16',
      'client-output-buffer-limit': 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
      'oom-score-adj-values': '0 200 800', 'latency-tracking-info-percentiles': '50 99 99.9',
      'notify-keyspace-events': '', 'proto-max-bulk-len': '536870912', 'client-query-buffer-limit': '1073741824',
      'list-max-listpack-size': '-2', 'list-max-ziplist-size': '-2', 'hash-max-ziplist-entries': '512',
      'slaveof': '', 'replicaof': '', 'lua-time-limit': '5000', 'busy-reply-threshold': '5000',
      'unixsocketperm': '0', 'daemonize': 'no', 'proc-title-template': '{title} {listen-addr} {server-mode}',
      'shutdown-on-sigint': 'default', 'tls-auth-clients': 'yes', 'repl-diskless-sync': 'yes',
      'active-defrag-ignore-bytes': '104857600', 'maxclients': '10000', 'dbfilename': 'dump.rdb',
      'appenddirname': 'appendonlydir', 'syslog-facility': 'local0', 'acl-pubsub-default': 'resetchannels',
      'maxmemory-clients': '0', 'timeout': '0', 'tcp-keepalive': '300', 'slowlog-log-slower-than': '10000',
    };
    for (const [name, value] of Object.entries(REDIS_DEFAULTS)) {
      it(`${name} = ${JSON.stringify(value)}`, () => { expect(new Config().get(name)).to.equal(value); });
    }

    it('lists the same 192 names as CONFIG GET * (aliases in, hidden out)', () => {
      const all = new Config().getMatching(['*']);
      expect(all.length).to.equal(384);
      const names = all.filter((_, i) => i % 2 === 0);
      expect(new Set(names).size).to.equal(192);
      expect(names).to.include.members(['slave-read-only', 'replica-read-only', 'hash-max-ziplist-value']);
      expect(names).not.to.include('use-exit-on-panic');
    });

    it('dir defaults to the working directory', () => {
      expect(new Config().get('dir')).to.equal(process.cwd());
    });

    it('offers typed reads', () => {
      const c = new Config();
      expect(c.num('port')).to.equal(6379);
      expect(c.bool('protected-mode')).to.equal(true);
      expect(c.str('maxmemory-policy')).to.equal('noeviction');
      expect(c.saveParams()).to.deep.equal([
        { seconds: 3600, changes: 1 }, { seconds: 300, changes: 100 }, { seconds: 60, changes: 10000 }]);
      expect(c.outputBufferLimit('replica')).to.deep.equal({ hard: 268435456, soft: 67108864, softSeconds: 60 });
      expect(c.bindAddrs()).to.deep.equal(['*', '-::*']);
      expect(() => c.num('no-such-thing')).to.throw();
    });
  });

  describe('CONFIG SET value parsing', () => {
    it('bool', () => {
      const c = new Config();
      expect(setErr(c, [['appendonly', 'maybe']])).to.equal(failed('appendonly', "argument must be 'yes' or 'no'"));
      expect(setErr(c, [['appendonly', 'YES']])).to.equal('OK');
      expect(c.get('appendonly')).to.equal('yes');
      expect(c.bool('appendonly')).to.equal(true);
    });

    it('integers: strict syntax and bounds', () => {
      const c = new Config();
      const notInt = "argument couldn't be parsed into an integer";
      for (const v of ['abc', ' 5', '+5', '05', '-0', '1k']) {
        expect(setErr(c, [['hz', v]]), v).to.equal(failed('hz', notInt));
      }
      expect(setErr(c, [['port', '65536']])).to.equal(failed('port', 'argument must be between 0 and 65535 inclusive'));
      expect(setErr(c, [['list-max-listpack-size', '99999999999']]))
        .to.equal(failed('list-max-listpack-size', 'argument must be between -2147483648 and 2147483647 inclusive'));
      expect(setErr(c, [['maxclients', '-1']]))
        .to.equal(failed('maxclients', 'argument must be between 1 and 4294967295 inclusive'));
      expect(setErr(c, [['hash-max-listpack-entries', '-1']]))
        .to.equal(failed('hash-max-listpack-entries', 'argument must be between 0 and 9223372036854775807 inclusive'));
      expect(setErr(c, [['proto-max-bulk-len', '1000']]))
        .to.equal(failed('proto-max-bulk-len', 'argument must be between 1048576 and 9223372036854775807 inclusive'));
      expect(setErr(c, [['slowlog-log-slower-than', '-1']])).to.equal('OK');
      expect(c.num('slowlog-log-slower-than')).to.equal(-1);
    });

    it('clamps hz to 1..500 and raises repl-backlog-size to 16kb, as Redis applies them', () => {
      const c = new Config();
      c.set([['hz', '1000']]);
      expect(c.get('hz')).to.equal('500');
      c.set([['hz', '0']]);
      expect(c.get('hz')).to.equal('1');
      c.set([['repl-backlog-size', '1k']]);
      expect(c.get('repl-backlog-size')).to.equal('16384');
    });

    it('memory values', () => {
      const c = new Config();
      const cases: Array<[string, string]> = [['1Gb', '1073741824'], ['1B', '1'], ['1k', '1000'], ['1KB', '1024'],
        ['2m', '2000000'], ['3mb', '3145728'], ['1g', '1000000000'], ['', '0'], ['kb', '0'],
        ['99999999999999999999999', '18446744073709551615']];
      for (const [v, want] of cases) {
        c.set([['maxmemory', v]]);
        expect(c.get('maxmemory'), v).to.equal(want);
      }
      for (const v of ['-1', '1.5mb', ' 5', '+5', '1.5', '1x']) {
        expect(setErr(c, [['maxmemory', v]]), v).to.equal(failed('maxmemory', 'argument must be a memory value'));
      }
    });

    it('memory-or-percent values (maxmemory-clients)', () => {
      const c = new Config();
      c.set([['maxmemory-clients', '5%']]);
      expect(c.get('maxmemory-clients')).to.equal('5%');
      expect(c.num('maxmemory-clients')).to.equal(-5);
      expect(setErr(c, [['maxmemory-clients', '101%']]))
        .to.equal(failed('maxmemory-clients', 'percentage argument must be less or equal to 100'));
      expect(setErr(c, [['maxmemory-clients', '-5']]))
        .to.equal(failed('maxmemory-clients', 'argument must be a memory or percent value'));
    });

    it('enums, single and multi-valued', () => {
      const c = new Config();
      expect(setErr(c, [['maxmemory-policy', 'bogus']])).to.equal(failed('maxmemory-policy',
        'argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, ' +
        'allkeys-lru, allkeys-lfu, allkeys-random, noeviction'));
      c.set([['loglevel', 'NOTICE']]);
      expect(c.get('loglevel')).to.equal('notice');
      const sig = 'argument(s) must be one of the following: default, save, nosave, now, force';
      expect(setErr(c, [['shutdown-on-sigint', '']])).to.equal(failed('shutdown-on-sigint', sig));
      expect(setErr(c, [['shutdown-on-sigint', 'now  force']])).to.equal(failed('shutdown-on-sigint', sig));
      expect(setErr(c, [['shutdown-on-sigint', 'save nosave']])).to.equal(failed('shutdown-on-sigint',
        "shutdown options SAVE and NOSAVE can't be used simultaneously"));
      c.set([['shutdown-on-sigint', 'now save']]);
      expect(c.get('shutdown-on-sigint')).to.equal('save now');
    });

    it('strings with validators', () => {
      const c = new Config();
      expect(setErr(c, [['proc-title-template', '{title}']])).to.equal(failed('proc-title-template',
        'template format is invalid or contains unknown variables'));
      expect(setErr(c, [['proc-title-template', '{foo}']])).to.equal(failed('proc-title-template',
        'template format is invalid or contains unknown variables'));
      expect(setErr(c, [['proc-title-template', '{title} {port}']])).to.equal('OK');
      expect(setErr(c, [['cluster-announce-hostname', 'a_b']])).to.equal(failed('cluster-announce-hostname',
        'Hostnames may only contain alphanumeric characters, hyphens or dots'));
      expect(setErr(c, [['activedefrag', 'yes']])).to.equal(failed('activedefrag',
        'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc ' +
        'like the one shipped by default with the Redis source distribution'));
      c.set([['requirepass', 'secret']]);
      expect(c.get('requirepass')).to.equal('secret');
      c.set([['requirepass', '']]);
      expect(c.get('requirepass')).to.equal('');
      expect(c.isSensitive('requirepass')).to.equal(true);
      expect(c.isSensitive('port')).to.equal(false);
    });

    it('save', () => {
      const c = new Config();
      const bad = failed('save', 'Invalid save parameters');
      for (const v of ['3600  1', '3600 1 ', '1 -1', '0 1', '1']) expect(setErr(c, [['save', v]]), v).to.equal(bad);
      c.set([['save', '+5 0 0010 -0']]);
      expect(c.get('save')).to.equal('5 0 10 0');
      c.set([['save', '1 4294967297']]);
      expect(c.get('save')).to.equal('1 1');
      c.set([['save', '']]);
      expect(c.get('save')).to.equal('');
      expect(c.saveParams()).to.deep.equal([]);
    });

    it('client-output-buffer-limit', () => {
      const c = new Config();
      c.set([['client-output-buffer-limit', 'replica 1mb 2mb 30']]);
      expect(c.get('client-output-buffer-limit'))
        .to.equal('normal 0 0 0 slave 1048576 2097152 30 pubsub 33554432 8388608 60');
      c.set([['client-output-buffer-limit', 'normal 1 1 +5']]);
      expect(c.outputBufferLimit('normal')).to.deep.equal({ hard: 1, soft: 1, softSeconds: 5 });
      expect(setErr(c, [['client-output-buffer-limit', 'master 1 1 1']])).to.equal(failed('client-output-buffer-limit',
        'Invalid client class specified in buffer limit configuration.'));
      expect(setErr(c, [['client-output-buffer-limit', 'normal 1 1']])).to.equal(failed('client-output-buffer-limit',
        'Wrong number of arguments in buffer limit configuration.'));
      for (const v of ['normal 1x 1 1', 'normal 1 1 -1']) {
        expect(setErr(c, [['client-output-buffer-limit', v]])).to.equal(failed('client-output-buffer-limit',
          'Error in hard, soft or soft_seconds setting in buffer limit configuration.'));
      }
      expect(setErr(c, [['client-output-buffer-limit', '']])).to.equal('OK');
    });

    it('notify-keyspace-events normalizes class order', () => {
      const c = new Config();
      c.set([['notify-keyspace-events', 'KEA']]);
      expect(c.get('notify-keyspace-events')).to.equal('AKE');
      c.set([['notify-keyspace-events', 'Anm']]);
      expect(c.get('notify-keyspace-events')).to.equal('Am');
      c.set([['notify-keyspace-events', 'Ex$']]);
      expect(c.get('notify-keyspace-events')).to.equal('$xE');
      expect(setErr(c, [['notify-keyspace-events', 'K E']])).to.equal(failed('notify-keyspace-events',
        "Invalid event class character. Use 'Ag$lshzxeKEtmdn'."));
    });

    it('latency percentiles, oom values and bind', () => {
      const c = new Config();
      c.set([['latency-tracking-info-percentiles', '50 99.990 100']]);
      expect(c.get('latency-tracking-info-percentiles')).to.equal('50 99.99 100');
      expect(setErr(c, [['latency-tracking-info-percentiles', '101']])).to.equal(failed('latency-tracking-info-percentiles',
        'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]'));
      expect(setErr(c, [['latency-tracking-info-percentiles', 'abc']])).to.equal(failed('latency-tracking-info-percentiles',
        'Invalid latency-tracking-info-percentiles parameters'));
      expect(setErr(c, [['oom-score-adj-values', '1 2']])).to.equal(failed('oom-score-adj-values', 'wrong number of arguments'));
      expect(setErr(c, [['oom-score-adj-values', '1 2 3000']])).to.equal(failed('oom-score-adj-values',
        'Invalid oom-score-adj-values, elements must be between -2000 and 2000.'));
      expect(setErr(c, [['bind', '1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17']])).to.equal(failed('bind',
        'Too many bind addresses specified.'));
      c.set([['bind', '127.0.0.1 -::1']]);
      expect(c.bindAddrs()).to.deep.equal(['127.0.0.1', '-::1']);
    });
  });

  describe('CONFIG SET rules', () => {
    it('immutable and protected directives', () => {
      const c = new Config();
      expect(setErr(c, [['daemonize', 'yes']])).to.equal(failed('daemonize', "can't set immutable config"));
      expect(setErr(c, [['DAEMONIZE', 'yes']])).to.equal(failed('DAEMONIZE', "can't set immutable config"));
      expect(setErr(c, [['unixsocketperm', '700']])).to.equal(failed('unixsocketperm', "can't set immutable config"));
      expect(setErr(c, [['replicaof', 'no one']])).to.equal(failed('replicaof', "can't set immutable config"));
      expect(setErr(c, [['dir', '/tmp']])).to.equal(failed('dir', "can't set protected config"));
      expect(setErr(c, [['dbfilename', 'x.rdb']])).to.equal(failed('dbfilename', "can't set protected config"));
      const local = new Config();
      local.loadString('enable-protected-configs local\n');
      expect(setErr(local, [['dir', tmp]])).to.equal(failed('dir', "can't set protected config"));
      expect(setErr(local, [['dir', tmp]], { localClient: true })).to.equal('OK');
      expect(local.get('dir')).to.equal(tmp);
      expect(setErr(local, [['dir', path.join(tmp, 'nope')]], { localClient: true }))
        .to.equal(failed('dir', 'No such file or directory'));
      expect(setErr(local, [['dbfilename', 'a/b']], { localClient: true }))
        .to.equal(failed('dbfilename', "dbfilename can't be a path, just a filename"));
      expect(setErr(c, [['appendonly', 'yes']], { loading: true })).to.equal('LOADING Redis is loading the dataset in memory');
    });

    it('unknown names, duplicates and error precedence', () => {
      const c = new Config();
      expect(setErr(c, [['foo', 'bar']])).to.equal("ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
      expect(setErr(c, [['hz', '5'], ['hz', '6']])).to.equal(failed('hz', 'duplicate parameter'));
      expect(setErr(c, [['hz', '5'], ['HZ', '6']])).to.equal(failed('HZ', 'duplicate parameter'));
      expect(setErr(c, [['hz', '5'], ['foo', '1'], ['daemonize', 'yes']]))
        .to.equal("ERR Unknown option or number of arguments for CONFIG SET - 'foo'");
      expect(setErr(c, [['daemonize', 'yes'], ['foo', '1']])).to.equal(failed('daemonize', "can't set immutable config"));
      expect(c.get('hz')).to.equal('10');
    });

    it('applies all pairs or none', () => {
      const c = new Config();
      expect(setErr(c, [['hz', '20'], ['maxmemory', '1mb'], ['port', 'x']]))
        .to.equal(failed('port', "argument couldn't be parsed into an integer"));
      expect(c.get('hz')).to.equal('10');
      expect(c.get('maxmemory')).to.equal('0');
      c.set([['hz', '20'], ['maxmemory', '1mb'], ['port', '7000']]);
      expect(c.getMatching(['hz', 'maxmemory', 'port'])).to.deep.equal(['hz', '20', 'maxmemory', '1048576', 'port', '7000']);
    });

    it('runs hooks only for changed values and rolls back when one throws', () => {
      const c = new Config();
      const seen: string[] = [];
      c.onChange('maxmemory', (v) => seen.push(`maxmemory=${v}`));
      c.onChange('slave-priority', (v) => seen.push(`priority=${v}`));
      c.set([['maxmemory', '0']]);
      expect(seen).to.deep.equal([]);
      c.set([['maxmemory', '1kb'], ['replica-priority', '5']]);
      expect(seen).to.deep.equal(['maxmemory=1024', 'priority=5']);
      c.onChange('port', (v) => { if (v === '1') throw new Error('Unable to listen on this port'); });
      seen.length = 0;
      expect(setErr(c, [['maxmemory', '2kb'], ['port', '1']])).to.equal(failed('port', 'Unable to listen on this port'));
      expect(c.get('maxmemory')).to.equal('1024');
      expect(c.get('port')).to.equal('6379');
      // The maxmemory hook saw the new value, then the restored one.
      expect(seen).to.deep.equal(['maxmemory=2048', 'maxmemory=1024']);
    });
  });

  describe('aliases and CONFIG GET patterns', () => {
    it('resolves aliases both ways', () => {
      const c = new Config();
      c.set([['slave-priority', '7']]);
      expect(c.get('replica-priority')).to.equal('7');
      c.set([['hash-max-listpack-entries', '99']]);
      expect(c.get('hash-max-ziplist-entries')).to.equal('99');
      c.set([['lua-time-limit', '100']]);
      expect(c.num('busy-reply-threshold')).to.equal(100);
      expect(setErr(c, [['SLAVE-PRIORITY', 'abc']])).to.equal(failed('slave-priority', "argument couldn't be parsed into an integer"));
      // Redis compares registered entries, so a name and its alias are not duplicates: the last wins.
      c.set([['slave-priority', '1'], ['replica-priority', '2']]);
      expect(c.get('slave-priority')).to.equal('2');
    });

    it('answers exact names as written and globs with registered names', () => {
      const c = new Config();
      expect(c.getMatching(['PORT'])).to.deep.equal(['PORT', '6379']);
      expect(c.getMatching(['port', 'PORT'])).to.deep.equal(['port', '6379']);
      expect(c.getMatching(['PORT', 'p*rt'])).to.deep.equal(['PORT', '6379']);
      expect(c.getMatching(['nonexist'])).to.deep.equal([]);
      expect(c.getMatching(['repl*priority'])).to.deep.equal(['replica-priority', '100']);
      expect(c.getMatching(['save', 'sav[e]'])).to.deep.equal(['save', '3600 1 300 100 60 10000']);
      const slave = c.getMatching(['SLAVE*']).filter((_, i) => i % 2 === 0).sort();
      expect(slave).to.deep.equal(['slave-announce-ip', 'slave-announce-port', 'slave-ignore-maxmemory',
        'slave-lazy-flush', 'slave-priority', 'slave-read-only', 'slave-serve-stale-data', 'slaveof']);
      expect(c.getMatching(['use-exit*'])).to.deep.equal([]);
      expect(c.getMatching(['use-exit-on-panic'])).to.deep.equal(['use-exit-on-panic', 'no']);
    });
  });

  describe('config file loading', () => {
    it('reports errors exactly as redis-server does', () => {
      expect(loadErr('port 7000\nport "abc"\n')).to.equal(fatal(2, 'port "abc"', "argument couldn't be parsed into an integer"));
      expect(loadErr('foo bar')).to.equal(fatal(1, 'foo bar', 'Bad directive or wrong number of arguments'));
      expect(loadErr('#c\n\n  \tport   abc  \r\n')).to.equal(fatal(3, 'port   abc', "argument couldn't be parsed into an integer"));
      expect(loadErr('port 1 2')).to.equal(fatal(1, 'port 1 2', 'wrong number of arguments'));
      expect(loadErr('port "abc')).to.equal(fatal(1, 'port "abc', 'Unbalanced quotes in configuration line'));
      expect(loadErr('port "abc"x')).to.equal(fatal(1, 'port "abc"x', 'Unbalanced quotes in configuration line'));
      expect(loadErr('save 1')).to.equal(fatal(1, 'save 1', 'Invalid save parameters'));
      expect(loadErr('foo.bar')).to.equal(fatal(1, 'foo.bar', 'Module config specified without value'));
      expect(loadErr('sentinel monitor x')).to.equal(fatal(1, 'sentinel monitor x', 'sentinel directive while not in sentinel mode'));
      expect(loadErr('replicaof localhost abc')).to.equal(fatal(1, 'replicaof localhost abc', 'Invalid master port'));
      expect(loadErr('dir /etc/passwd')).to.equal(fatal(1, 'dir /etc/passwd', 'Not a directory'));
      expect(loadErr('unixsocketperm 800')).to.equal(fatal(1, 'unixsocketperm 800', "argument couldn't be parsed as an octal number"));
      expect(loadErr('unixsocketperm 1000')).to.equal(fatal(1, 'unixsocketperm 1000', 'argument must be between 0 and 777 inclusive'));
      expect(loadErr('unixsocketperm 0x1')).to.equal(fatal(1, 'unixsocketperm 0x1', "argument couldn't be parsed as an octal number"));
      expect(loadErr('appendfilename ""')).to.equal(fatal(1, 'appendfilename ""', "appendfilename can't be empty"));
      expect(loadErr('logfile /nonexistent/x.log')).to.equal(
        "\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nCan't open the log file: No such file or directory\n");
      expect(loadErr('cluster-enabled yes\nreplicaof 1.2.3.4 5')).to.equal(
        '\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nreplicaof directive not allowed in cluster mode\n');
    });

    it('parses quoting, multi-argument lines and deprecated directives', () => {
      const c = new Config();
      c.loadString([
        '# comment', 'PORT 7001', 'requirepass "a b\\x41"', "masteruser 'it\\'s'", 'save 900 1', 'save "300 10"',
        'client-output-buffer-limit slave 1mb 2mb 3', 'bind "127.0.0.1 -::1"', 'list-max-ziplist-entries 5',
        'lua-replicate-commands yes', 'hz 1000', 'unixsocketperm 700', 'replicaof 10.0.0.1 6380',
        'rename-command FLUSHALL ""', 'user alice on >pw ~*', 'loadmodule /x/y.so a b', 'sentinel',
      ].join('\n'));
      expect(c.num('port')).to.equal(7001);
      expect(c.get('requirepass')).to.equal('a bA');
      expect(c.get('masteruser')).to.equal("it's");
      expect(c.get('save')).to.equal('900 1 300 10');
      expect(c.get('client-output-buffer-limit')).to.equal('normal 0 0 0 slave 1048576 2097152 3 pubsub 33554432 8388608 60');
      expect(c.bindAddrs()).to.deep.equal(['127.0.0.1', '-::1']);
      expect(c.get('hz')).to.equal('500');
      expect(c.get('unixsocketperm')).to.equal('700');
      expect(c.num('unixsocketperm')).to.equal(0o700);
      expect(c.replicaOf()).to.deep.equal({ host: '10.0.0.1', port: 6380 });
      expect(c.get('slaveof')).to.equal('10.0.0.1 6380');
      expect(c.renames()).to.deep.equal([['FLUSHALL', '']]);
      expect(c.users()).to.deep.equal([['alice', 'on', '>pw', '~*']]);
      expect(c.modules()).to.deep.equal([{ path: '/x/y.so', args: ['a', 'b'] }]);
      expect(loadErr('list-max-ziplist-entries')).to.equal(fatal(1, 'list-max-ziplist-entries', 'Bad directive or wrong number of arguments'));
    });

    it('checks rename-command against the command table when given one', () => {
      const c = new Config();
      c.commandExists = (n) => ['get', 'set', 'flushall'].includes(n);
      try {
        c.loadString('rename-command get set');
        expect.fail('should throw');
      } catch (e) {
        expect((e as Error).message).to.equal(fatal(1, 'rename-command get set', 'Target command name already exists'));
      }
      const d = new Config();
      d.commandExists = (n) => ['get', 'set'].includes(n);
      expect(() => d.loadString('rename-command nosuch x')).to.throw(ConfigFileError, 'No such command in rename-command');
      d.loadString('rename-command get fetch\nrename-command set get');
      expect(d.renames()).to.deep.equal([['get', 'fetch'], ['set', 'get']]);
    });

    it('follows include, including glob patterns that match nothing', () => {
      const dir = path.join(tmp, 'inc');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'a.conf'), 'maxmemory 1mb\n');
      writeFileSync(path.join(dir, 'b.conf'), 'maxmemory 2mb\nhz 20\n');
      writeFileSync(path.join(dir, 'bad.txt'), 'port x\n');
      const main = path.join(tmp, 'main.conf');
      writeFileSync(main, `port 7002\ninclude ${dir}/*.conf\ninclude ${dir}/none-*.conf\n`);
      const c = new Config();
      c.loadFile(main);
      expect(c.file).to.equal(main);
      expect(c.get('maxmemory')).to.equal('2097152');
      expect(c.get('hz')).to.equal('20');
      writeFileSync(main, `include ${dir}/bad.txt\n`);
      expect(() => new Config().loadFile(main)).to.throw(ConfigFileError).with.property('message',
        fatal(1, 'port x', "argument couldn't be parsed into an integer"));
      writeFileSync(main, `include ${dir}/missing.conf\n`);
      expect(() => new Config().loadFile(main)).to.throw(ConfigFileError).with.property('message',
        `Fatal error, can't open config file '${dir}/missing.conf': No such file or directory`);
    });

    it('resolves relative includes against the dir set so far (Redis has chdir()ed there)', () => {
      const dir = path.join(tmp, 'reldir');
      mkdirSync(path.join(dir, 'sub'), { recursive: true });
      writeFileSync(path.join(dir, 'sub', 'x.conf'), 'port abc\n');
      const want = fatal(1, 'port abc', "argument couldn't be parsed into an integer");
      expect(loadErr(`dir ${dir}\ninclude sub/x.conf\n`)).to.equal(want);
      expect(loadErr(`dir ${dir}\ninclude sub/*.conf\n`)).to.equal(want);
      expect(loadErr(`dir ${dir}\ninclude nope.conf\n`))
        .to.equal("Fatal error, can't open config file 'nope.conf': No such file or directory");
    });

    it('lets the first save line of a load replace the defaults, later ones add', () => {
      const c = new Config();
      c.loadString('save 100 1\nsave 200 2\n');
      expect(c.get('save')).to.equal('100 1 200 2');
      const d = new Config();
      d.loadString('save ""\n');
      expect(d.get('save')).to.equal('');
    });
  });

  describe('command line', () => {
    it('builds the options text like redis-server main()', () => {
      const a = parseCommandLine(['/path/x.conf', '--port', '7000', '--save', '']);
      expect(a.configFile).to.equal('/path/x.conf');
      expect(a.text).to.equal('port "7000" \nsave "" ');
      const b = parseCommandLine(['--port', '7000', '--bind', '127.0.0.1', '::1']);
      expect(b.configFile).to.equal(null);
      expect(b.text).to.equal('port "7000" \nbind "127.0.0.1" "::1" ');
      expect(parseCommandLine(['--save', '--port', '1']).text).to.equal('save ""\nport "1" ');
      expect(parseCommandLine(['--save']).text).to.equal('save ""');
      expect(parseCommandLine(['--port 7000', '--hz', 'x']).text).to.equal('port 7000 \nhz "x" ');
      expect(parseCommandLine(['--bind', '--foo']).text).to.equal('bind "--foo" ');
      expect(parseCommandLine(['--requirepass', 'a"b\n']).text).to.equal('requirepass "a\\"b\\n" ');
      expect(parseCommandLine(['-']).configFile).to.equal('-');
      expect(parseCommandLine(['x.conf', '-']).stdin).to.equal(true);
      expect(parseCommandLine(['-v']).version).to.equal(true);
      expect(parseCommandLine(['--version', 'x']).version).to.equal(true);
      expect(parseCommandLine(['-h']).help).to.equal(true);
      expect(parseCommandLine(['x.conf', '--help']).help).to.equal(false);
    });

    it('reports command-line errors on the line after the file, as Redis does', () => {
      const c = new Config();
      try {
        c.loadCommandLine(parseCommandLine(['--port', 'abc']));
        expect.fail('should throw');
      } catch (e) {
        expect((e as Error).message).to.equal(
          '\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line 2\n' +
          ">>> 'port \"abc\"'\nargument couldn't be parsed into an integer\n");
      }
      const file = path.join(tmp, 'cl.conf');
      writeFileSync(file, '# ok\nport 0\n');
      expect(() => new Config().loadCommandLine(parseCommandLine([file, '--save', '3600', '1', '--zzz'])))
        .to.throw(ConfigFileError).with.property('message', fatal(5, 'zzz', 'Bad directive or wrong number of arguments'));
      const d = new Config();
      d.loadCommandLine(parseCommandLine([file, '--port', '7000', '--save', '']));
      expect(d.num('port')).to.equal(7000);
      expect(d.get('save')).to.equal('');
      expect(d.file).to.equal(file);
    });
  });

  describe('CONFIG REWRITE', () => {
    const BASE = [
      '# header comment', 'port 21004', 'slave-priority 50', 'save 900 1', 'save 300 10', '', '',
      'include /dev/null', 'rename-command FLUSHALL ""', 'maxmemory 100mb', 'hash-max-ziplist-entries 256',
      'bogus-directive 1', 'appendonly no', '   # indented comment', 'timeout 0', 'timeout 5', '',
    ].join('\n');

    it('writes the master recorded by REPLICAOF', () => {
      const file = path.join(tmp, 'repl.conf');
      writeFileSync(file, 'replicaof 10.0.0.1 6379\n');
      const c = new Config();
      c.loadFile(file);
      c.setReplicaOf({ host: '10.0.0.2', port: 6380 });
      expect(c.get('slaveof')).to.equal('10.0.0.2 6380');
      c.rewrite();
      expect(readFileSync(file, 'latin1').split('\n')[0]).to.equal('replicaof 10.0.0.2 6380');
      c.setReplicaOf(null);
      c.rewrite();
      expect(readFileSync(file, 'latin1')).not.to.include('replicaof');
    });

    it('refuses without a config file', () => {
      expect(() => new Config().rewrite()).to.throw(ConfigSetError, 'ERR The server is running without a config file');
    });

    it('rewrites in place, blanks stale lines and appends the rest like Redis', () => {
      const file = path.join(tmp, 'rw.conf');
      writeFileSync(file, BASE.replace('bogus-directive 1\n', ''));
      const c = new Config();
      c.loadFile(file);
      writeFileSync(file, BASE); // an unknown line Redis would have refused at load time
      c.set([['maxmemory', '200mb'], ['hz', '20'], ['notify-keyspace-events', 'KEA'], ['bind', '127.0.0.1'],
        ['save', ''], ['client-output-buffer-limit', 'pubsub 1mb 2mb 3'], ['maxmemory-clients', '5%'],
        ['replica-priority', '100'], ['requirepass', 'foo']]);
      c.rewrite({ users: ['user default on nopass ~* &* +@all'] });
      const dir = process.cwd();
      // Order of appended lines is Redis's dict order there; ours is table order.
      expect(readFileSync(file, 'latin1')).to.equal([
        '# header comment', 'port 21004', 'replica-priority 100', 'save ""', '',
        'include /dev/null', 'rename-command FLUSHALL ""', 'maxmemory 200mb', 'hash-max-listpack-entries 256',
        '# ??? bogus-directive 1', 'appendonly no', '# indented comment', 'timeout 5', '',
        '# Generated by CONFIG REWRITE', 'requirepass "foo"', 'hz 20', 'maxmemory-clients 5%',
        `dir "${dir}"`, 'client-output-buffer-limit pubsub 1mb 2mb 3', 'notify-keyspace-events "AKE"',
        'bind 127.0.0.1', 'latency-tracking-info-percentiles 50 99 99.9', 'user default on nopass ~* &* +@all', '',
      ].join('\n'));
      // The result loads back to the same values, and a second rewrite changes nothing.
      const back = new Config();
      back.loadFile(file);
      expect(back.getMatching(['*'])).to.deep.equal(c.getMatching(['*']));
      // Redis reuses an existing line even for a class at its default, so a second rewrite
      // moves the pubsub limit to the end (observed on 7.0.15 too). Values stay the same.
      const once = readFileSync(file, 'latin1');
      c.rewrite({ users: ['user default on nopass ~* &* +@all'] });
      expect(readFileSync(file, 'latin1')).to.equal(once.replace(
        'client-output-buffer-limit pubsub 1mb 2mb 3', 'client-output-buffer-limit normal 0 0 0') +
        '\nclient-output-buffer-limit pubsub 1mb 2mb 3\n');
      const again = new Config();
      again.loadFile(file);
      expect(again.get('client-output-buffer-limit')).to.equal(c.get('client-output-buffer-limit'));
    });

    it('creates the file when it vanished and keeps defaults out', () => {
      const file = path.join(tmp, 'fresh.conf');
      writeFileSync(file, '');
      const c = new Config();
      c.loadFile(file);
      rmSync(file);
      c.rewrite();
      expect(readFileSync(file, 'latin1')).to.equal([
        '# Generated by CONFIG REWRITE', `dir "${process.cwd()}"`,
        'save 3600 1', 'save 300 100', 'save 60 10000', 'latency-tracking-info-percentiles 50 99 99.9', '',
      ].join('\n'));
    });
  });

  describe('conf/tessera.conf', () => {
    it('loads without errors and changes nothing', () => {
      const c = new Config();
      c.loadFile(SHIPPED_CONF);
      expect(c.getMatching(['*'])).to.deep.equal(new Config().getMatching(['*']));
    });

    it('documents every directive with its default value', () => {
      const text = readFileSync(SHIPPED_CONF, 'latin1');
      // Uncomment every example line of a CONFIG directive: the result must still be all defaults.
      const lines = text.split('\n').filter((l) => /^# [a-z_-]+ /.test(l) && !l.includes('<'))
        .map((l) => l.slice(2)).filter((l) => new Config().has(l.split(' ')[0]!));
      const documented = new Set(lines.map((l) => l.split(' ')[0]!));
      for (const def of DIRECTIVES) {
        if (def.flags & HIDDEN || def.name === 'replicaof') continue;
        expect(documented.has(def.name), def.name).to.equal(true);
      }
      expect(text).to.include('# replicaof <masterip> <masterport>');
      const c = new Config();
      c.loadString(lines.join('\n'));
      expect(c.getMatching(['*'])).to.deep.equal(new Config().getMatching(['*']));
    });
  });
});

/**
 * The tessera-server binary: `tessera-server [config-file] [--directive value ...]`,
 * a drop-in for `redis-server` (no fork, no daemon; the suite waits for our own PID).
 * Start-up output follows Redis: the " PID: <pid>" line once the sockets are bound,
 * then "Ready to accept connections" after data is loaded.
 */
import { parseCommandLine, ConfigFileError } from './config/config.js';
import { REDIS_VERSION, TESSERA_VERSION } from './engine/node.js';
import { startServer, type TesseraServer } from './server.js';

async function main(): Promise<void> {
  // Arguments reach us as UTF-8; the server works on bytes (latin1 strings), as Redis does.
  const cl = parseCommandLine(process.argv.slice(2).map((a) => Buffer.from(a, 'utf8').toString('latin1')));
  if (cl.version) {
    process.stdout.write(`Redis server v=${REDIS_VERSION} sha=00000000:0 malloc=libc bits=64 build=tessera-${TESSERA_VERSION}\n`);
    return;
  }
  if (cl.help) {
    process.stdout.write(
      'Usage: tessera-server [/path/to/redis.conf] [options] [-]\n' +
      '       tessera-server - (read config from stdin)\n' +
      '       tessera-server -v or --version\n' +
      '       tessera-server -h or --help\n\n' +
      'Examples:\n' +
      '       tessera-server (run the server with default conf)\n' +
      '       tessera-server /etc/redis/6379.conf\n' +
      '       tessera-server --port 7777\n' +
      '       tessera-server /etc/myredis.conf --loglevel verbose\n');
    return;
  }
  let server: TesseraServer;
  try {
    server = await startServer({ standalone: true, commandLine: cl });
  } catch (e) {
    if (e instanceof ConfigFileError) {
      process.stderr.write(e.message);
      process.exit(1);
    }
    process.stdout.write(`${process.pid}:M # ${(e as Error).message}\n`);
    process.exit(1);
  }
  const node = server.node;
  node.log('warning', 'oO0OoO0OoO0Oo Tessera is starting oO0OoO0OoO0Oo');
  node.log('warning', `Redis version=${REDIS_VERSION}, tessera=${TESSERA_VERSION}, bits=64, pid=${process.pid}, just started`);
  node.log('notice', `Tessera ${TESSERA_VERSION} (Redis ${REDIS_VERSION} compatible) standalone mode, port: ${server.port}, PID: ${process.pid}`);
  node.log('notice', 'Server initialized');
  try {
    await node.loadData();
  } catch (e) {
    // The persistence layer already logged Redis's lines for what went wrong.
    node.log('warning', `${(e as Error).message}. Exiting.`);
    process.exit(1);
  }
  node.log('notice', 'Ready to accept connections tcp');

  node.onShutdown = async () => {
    await server.close();
    // Let the last log line reach stdout before the process ends.
    setImmediate(() => process.exit(0));
  };
  const stop = (sig: string) => {
    node.log('warning', `Received ${sig} scheduling shutdown...`);
    node.shutdown({});
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();

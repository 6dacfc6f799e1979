/**
 * The composition root: the only module that wires every folder together. It builds a
 * Config, a ServerNode, the listeners and (as they land) persistence, replication and
 * cluster, and returns a handle that can close them all.
 *
 * `startServer` is the public embedded API (`import { startServer } from 'tessera'`);
 * bin/tessera-server goes through the same function, so both run the same server.
 */
import net from 'node:net';
import { existsSync, unlinkSync, chmodSync } from 'node:fs';
import { Config, type CommandLine } from './config/config.js';
import { ServerNode } from './engine/node.js';
import { Listener } from './network/listener.js';
import { Connection } from './network/connection.js';
import { attachMigrate } from './network/migrate.js';
import { quoteArg } from './protocol/split-args.js';
import type { Clock } from './util/clock.js';
import { Logger } from './util/logger.js';
import { attachPersistence } from './persistence/index.js';
import { createSerializerPort } from './persistence/dump-port.js';

export interface StartOptions {
  /** TCP port; 0 picks a free one. Default 6379. */
  port?: number;
  /** Addresses to bind, as the `bind` directive. Default "127.0.0.1 -::1". */
  bind?: string;
  /** Extra directives, applied after the config file: { maxmemory: '100mb', save: '' }. */
  config?: Record<string, string | number | boolean>;
  /** A redis.conf-style file to load first. */
  configFile?: string;
  /** Directive text appended after the file (the command line's directives). */
  configText?: string;
  /** The binary's parsed arguments: file, stdin and directives loaded as one text, so
   * error line numbers match redis-server's. Used instead of configFile/configText. */
  commandLine?: CommandLine;
  /** Log to stdout ('stdout'), a file path, or nowhere (default for embedded use). */
  log?: 'stdout' | 'silent' | string;
  clock?: Clock;
  /** For the binary: keep Redis's defaults (save points) instead of embedded ones. */
  standalone?: boolean;
}

export class TesseraServer {
  private closed = false;
  constructor(
    readonly node: ServerNode,
    private readonly listener: Listener,
    private readonly unixServer: net.Server | null,
    readonly port: number,
  ) {}

  get config(): Config {
    return this.node.config;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.node.stopCron();
    await this.listener.close();
    if (this.unixServer) await new Promise<void>((r) => this.unixServer!.close(() => r()));
    await this.node.closeHooks();
  }
}

export function buildConfig(opts: StartOptions): Config {
  const config = new Config();
  if (!opts.standalone) {
    // Embedded defaults: loopback only, no snapshots unless asked for.
    config.loadString('bind 127.0.0.1 -::1\nsave ""\n');
  }
  if (opts.commandLine) config.loadCommandLine(opts.commandLine);
  if (opts.configFile) config.loadFile(opts.configFile);
  if (opts.configText) config.loadString(opts.configText);
  const lines: string[] = [];
  if (opts.port !== undefined) lines.push(`port ${opts.port}`);
  if (opts.bind !== undefined) lines.push(`bind ${opts.bind}`);
  for (const [k, v] of Object.entries(opts.config ?? {})) {
    const val = typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
    const parts = k === 'save' || k === 'bind' || k === 'client-output-buffer-limit' ? [val] : [quoteArg(val)];
    lines.push(`${k} ${parts.join(' ')}`);
  }
  if (lines.length) config.loadString(lines.join('\n') + '\n');
  return config;
}

export async function startServer(opts: StartOptions = {}): Promise<TesseraServer> {
  const config = buildConfig(opts);
  const logger = new Logger();
  const log = opts.log ?? (opts.standalone ? 'stdout' : 'silent');
  logger.file = log === 'silent' ? null : log === 'stdout' ? '' : log;
  if (log !== 'silent') {
    const lf = config.str('logfile');
    if (lf !== '') logger.file = lf;
  }
  logger.level = config.str('loglevel') as Logger['level'];
  config.onChange('loglevel', (v) => { logger.level = v as Logger['level']; });
  const node = new ServerNode({ config, logger, clock: opts.clock, configFile: config.file, executable: process.argv[1] });
  node.ports.serializer = createSerializerPort(config);
  attachPersistence(node);
  attachMigrate(node);
  const listener = new Listener(node);
  const port = await listener.listen(config.num('port'), config.bindAddrs());
  node.port = port;
  let unixServer: net.Server | null = null;
  const sockPath = config.str('unixsocket');
  if (sockPath) unixServer = await listenUnix(node, sockPath, config.num('unixsocketperm'));
  node.startCron();
  const server = new TesseraServer(node, listener, unixServer, port);
  // SHUTDOWN on an embedded server closes it; it never ends the host process.
  node.onShutdown = () => server.close();
  // The binary loads after logging its banner (main.ts); embedded servers load here.
  if (!opts.standalone) {
    try {
      await node.loadData();
    } catch (e) {
      await server.close();
      throw e;
    }
  }
  return server;
}

async function listenUnix(node: ServerNode, path: string, perm: number): Promise<net.Server> {
  if (existsSync(path)) unlinkSync(path);
  const srv = net.createServer((sock) => {
    // Unix sockets are always local: protected mode does not apply.
    new Connection(node, sock);
  });
  await new Promise<void>((resolve, reject) => {
    srv.once('error', reject);
    srv.listen(path, () => resolve());
  });
  if (perm) chmodSync(path, perm.toString(8).length ? parseInt(String(perm), 8) : perm);
  return srv;
}

/**
 * TCP listeners: binds every address in `bind` (a leading '-' makes an address
 * optional, as in Redis), applies maxclients and protected mode at accept time, and
 * hands sockets to Connection.
 * Imports: engine, network.
 */
import net from 'node:net';
import type { ServerNode } from '../engine/node.js';
import { Connection, isLoopback } from './connection.js';

const DENIED =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you ' +
  'may adopt one of the following solutions: 1) Just disable protected mode sending the command ' +
  "'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, " +
  'however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. ' +
  "2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', " +
  "and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
  '4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server ' +
  'to start accepting connections from the outside.\r\n';

export class Listener {
  private readonly servers: net.Server[] = [];
  readonly connections = new Set<Connection>();
  port = 0;

  constructor(private readonly node: ServerNode) {}

  async listen(port: number, addrs: string[]): Promise<number> {
    let bound = port;
    for (const raw of addrs) {
      const optional = raw.startsWith('-');
      const host = optional ? raw.slice(1) : raw;
      const srv = net.createServer({ noDelay: true }, (sock) => this.accept(sock));
      try {
        bound = await new Promise<number>((resolve, reject) => {
          srv.once('error', reject);
          const h = host === '*' ? '0.0.0.0' : host === '::*' ? '::' : host;
          // Like Redis, IPv6 sockets are IPv6-only so "* -::*" can bind both families.
          srv.listen({ port: bound, host: h, ipv6Only: h.includes(':'), backlog: this.node.config.num('tcp-backlog') }, () => {
            srv.off('error', reject);
            resolve((srv.address() as net.AddressInfo).port);
          });
        });
        this.servers.push(srv);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (optional && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
        await this.close();
        throw new Error(`Warning: Could not create server TCP listening socket ${host}:${bound}: ${(e as Error).message}`);
      }
    }
    if (this.servers.length === 0) throw new Error('Failed listening on port ' + port + ' (tcp), aborting.');
    this.port = bound;
    return bound;
  }

  private accept(sock: net.Socket): void {
    const node = this.node;
    if (node.sessions.size >= node.config.num('maxclients')) {
      node.stats.rejectedConnections++;
      sock.end('-ERR max number of clients reached\r\n');
      return;
    }
    if (node.config.bool('protected-mode') && node.config.str('requirepass') === '' && !isLoopback(sock.remoteAddress)) {
      node.stats.rejectedConnections++;
      sock.end(DENIED);
      return;
    }
    const c = new Connection(node, sock);
    this.connections.add(c);
    sock.on('close', () => this.connections.delete(c));
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.close(true);
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
    this.servers.length = 0;
  }
}

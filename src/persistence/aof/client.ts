/**
 * The AOF client: how loaded commands reach the dataset. Commands run through the
 * dispatcher as an internal session (no gates, replies discarded), the command table
 * answers "unknown command", and an RDB base goes to the RDB codec's loader.
 *
 * Invariants: the session exists only while loading (release() removes it, so it never
 * lingers in CLIENT LIST); nothing here writes to the AOF.
 * Imports: engine, this folder.
 */
import type { ServerNode } from '../../engine/node.js';
import type { ClientTransport, Session } from '../../engine/session.js';
import type { LoadHost } from './loader.js';
import type { RdbBridge } from './aof.js';

const NO_SOCKET: ClientTransport = {
  addr: '', laddr: '', fd: -1, socketPending: 0, queryBufferSize: 0,
  wantFlush: () => undefined, close: () => undefined, pauseInput: () => undefined, resumeInput: () => undefined,
};

export function aofClient(node: ServerNode, rdb: RdbBridge, progress: (bytes: number) => void): LoadHost & { release(): void } {
  let session: Session | null = null;
  return {
    log: (l, m) => node.log(l, m),
    loadTruncated: () => node.config.bool('aof-load-truncated'),
    commandExists: (argv) => {
      // Renamed commands load under either name, as in Redis.
      const name = argv[0]!.toLowerCase();
      const spec = node.table.get(name) ?? node.originalTable.get(name);
      if (spec === undefined) return false;
      if (spec.subcommands !== undefined && argv.length >= 2) return spec.subcommands.has(argv[1]!.toLowerCase()) || spec.run !== undefined;
      return true;
    },
    exec: (argv) => {
      if (session === null || session.closed) session = node.createSession(NO_SOCKET);
      node.executeInternal(session, argv);
      session.out.take();
    },
    rdbLoader: (buf) => {
      if (!rdb.createImageLoader) throw new Error('no RDB codec available to read an RDB base');
      return rdb.createImageLoader(buf);
    },
    progress,
    release: () => {
      if (session !== null) node.removeSession(session);
      session = null;
    },
  };
}

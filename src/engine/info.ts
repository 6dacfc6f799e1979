/**
 * INFO: every section Redis 7.0 prints, with its field names, so tools that parse INFO
 * (ioredis's readiness check reads loading:0, redis-cli, exporters) work unchanged.
 * Subsystems that own a section (persistence, replication) provide its fields through
 * the node's ports.
 * Imports: engine, util.
 */
import os from 'node:os';
import type { ServerNode } from './node.js';
import type { PubSub } from './pubsub.js';
import type { CommandSpec } from '../commands/spec.js';
import { REDIS_VERSION, TESSERA_VERSION } from './node.js';

type Fields = Array<[string, string | number]>;

const DEFAULT = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace'];
const ALL = [...DEFAULT.slice(0, 7), 'modules', 'commandstats', 'errorstats', 'latencystats', 'cluster', 'keyspace'];
const TITLES: Record<string, string> = {
  server: 'Server', clients: 'Clients', memory: 'Memory', persistence: 'Persistence', stats: 'Stats',
  replication: 'Replication', cpu: 'CPU', modules: 'Modules', commandstats: 'Commandstats',
  errorstats: 'Errorstats', cluster: 'Cluster', keyspace: 'Keyspace', latencystats: 'Latencystats',
};

export function buildInfo(node: ServerNode, requested: string[]): string {
  let names: string[];
  const req = requested.map((s) => s.toLowerCase());
  if (req.length === 0 || req.includes('default')) names = [...DEFAULT];
  else if (req.includes('all') || req.includes('everything')) names = [...ALL];
  else names = req;
  const out: string[] = [];
  for (const name of [...new Set(names)]) {
    const f = section(node, name);
    if (f === null) continue;
    out.push(`# ${TITLES[name]}\r\n${f.map(([k, v]) => `${k}:${v}`).join('\r\n')}${f.length ? '\r\n' : ''}`);
  }
  return out.join('\r\n');
}

function human(bytes: number): string {
  if (bytes < 1024) return `${bytes}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let v = bytes;
  let u = -1;
  do { v /= 1024; u++; } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(2)}${units[u]}`;
}

function section(node: ServerNode, name: string): Fields | null {
  const now = Date.now();
  const uptime = Math.floor((now - node.startTime) / 1000);
  switch (name) {
    case 'server':
      return [
        ['redis_version', REDIS_VERSION],
        ['tessera_version', TESSERA_VERSION],
        ['redis_git_sha1', '00000000'],
        ['redis_git_dirty', 0],
        ['redis_build_id', '0'],
        ['redis_mode', node.config.bool('cluster-enabled') ? 'cluster' : 'standalone'],
        ['os', `${os.type()} ${os.release()} ${os.arch()}`],
        ['arch_bits', 64],
        ['monotonic_clock', 'POSIX clock_gettime'],
        ['multiplexing_api', 'epoll'],
        ['atomicvar_api', 'c11-builtin'],
        ['gcc_version', '0.0.0'],
        ['process_id', process.pid],
        ['process_supervised', 'no'],
        ['run_id', node.runId],
        ['tcp_port', node.port],
        ['server_time_usec', now * 1000],
        ['uptime_in_seconds', uptime],
        ['uptime_in_days', Math.floor(uptime / 86400)],
        ['hz', node.config.num('hz')],
        ['configured_hz', node.config.num('hz')],
        ['lru_clock', Math.floor(now / 1000) & 0xffffff],
        ['executable', node.executable],
        ['config_file', node.configFile],
        ['io_threads_active', 0],
      ];
    case 'clients': {
      let blocked = 0;
      let pubsub = 0;
      let maxIn = 0;
      let maxOut = 0;
      for (const s of node.sessions.values()) {
        if (s.blocked) blocked++;
        if (s.subscriptionCount() > 0) pubsub++;
        maxIn = Math.max(maxIn, s.queryBufferSize);
        maxOut = Math.max(maxOut, s.outputBufferSize);
      }
      return [
        ['connected_clients', node.sessions.size],
        ['cluster_connections', 0],
        ['maxclients', node.config.num('maxclients')],
        ['client_recent_max_input_buffer', maxIn],
        ['client_recent_max_output_buffer', maxOut],
        ['blocked_clients', blocked],
        ['tracking_clients', 0],
        ['clients_in_timeout_table', blocked],
        ['pubsub_clients', pubsub],
      ];
    }
    case 'memory': {
      const m = process.memoryUsage();
      const used = m.heapUsed + m.external + m.arrayBuffers;
      const maxmem = node.config.num('maxmemory');
      return [
        ['used_memory', used],
        ['used_memory_human', human(used)],
        ['used_memory_rss', m.rss],
        ['used_memory_rss_human', human(m.rss)],
        ['used_memory_peak', used],
        ['used_memory_peak_human', human(used)],
        ['used_memory_peak_perc', '100.00%'],
        ['used_memory_overhead', 0],
        ['used_memory_startup', 0],
        ['used_memory_dataset', used],
        ['used_memory_dataset_perc', '100.00%'],
        ['allocator_allocated', m.heapUsed],
        ['allocator_active', m.heapTotal],
        ['allocator_resident', m.rss],
        ['total_system_memory', os.totalmem()],
        ['total_system_memory_human', human(os.totalmem())],
        ['used_memory_lua', 31744],
        ['used_memory_vm_eval', 31744],
        ['used_memory_lua_human', '31.00K'],
        ['used_memory_scripts_eval', 0],
        ['number_of_cached_scripts', 0],
        ['number_of_functions', 0],
        ['number_of_libraries', 0],
        ['used_memory_vm_functions', 32768],
        ['used_memory_vm_total', 64512],
        ['used_memory_vm_total_human', '63.00K'],
        ['used_memory_functions', 184],
        ['used_memory_scripts', 184],
        ['used_memory_scripts_human', '184B'],
        ['maxmemory', maxmem],
        ['maxmemory_human', human(maxmem)],
        ['maxmemory_policy', node.config.str('maxmemory-policy')],
        ['allocator_frag_ratio', '1.00'],
        ['allocator_frag_bytes', 0],
        ['allocator_rss_ratio', '1.00'],
        ['allocator_rss_bytes', 0],
        ['rss_overhead_ratio', '1.00'],
        ['rss_overhead_bytes', 0],
        ['mem_fragmentation_ratio', (m.rss / Math.max(1, used)).toFixed(2)],
        ['mem_fragmentation_bytes', m.rss - used],
        ['mem_not_counted_for_evict', 0],
        ['mem_replication_backlog', 0],
        ['mem_total_replication_buffers', 0],
        ['mem_clients_slaves', 0],
        ['mem_clients_normal', 0],
        ['mem_cluster_links', 0],
        ['mem_aof_buffer', 0],
        ['mem_allocator', 'node'],
        ['active_defrag_running', 0],
        ['lazyfree_pending_objects', 0],
        ['lazyfreed_objects', 0],
      ];
    }
    case 'persistence': {
      const p = node.ports.persistence;
      if (p) return [['loading', node.loading ? 1 : 0], ...p.infoPersistence()];
      return [
        ['loading', node.loading ? 1 : 0],
        ['async_loading', 0],
        ['current_cow_peak', 0],
        ['current_cow_size', 0],
        ['current_cow_size_age', 0],
        ['current_fork_perc', '0.00'],
        ['current_save_keys_processed', 0],
        ['current_save_keys_total', 0],
        ['rdb_changes_since_last_save', node.dirty],
        ['rdb_bgsave_in_progress', 0],
        ['rdb_last_save_time', Math.floor(node.startTime / 1000)],
        ['rdb_last_bgsave_status', 'ok'],
        ['rdb_last_bgsave_time_sec', -1],
        ['rdb_current_bgsave_time_sec', -1],
        ['rdb_saves', 0],
        ['rdb_last_cow_size', 0],
        ['rdb_last_load_keys_expired', 0],
        ['rdb_last_load_keys_loaded', 0],
        ['aof_enabled', 0],
        ['aof_rewrite_in_progress', 0],
        ['aof_rewrite_scheduled', 0],
        ['aof_last_rewrite_time_sec', -1],
        ['aof_current_rewrite_time_sec', -1],
        ['aof_last_bgrewrite_status', 'ok'],
        ['aof_rewrites', 0],
        ['aof_rewrites_consecutive_failures', 0],
        ['aof_last_write_status', 'ok'],
        ['aof_last_cow_size', 0],
        ['module_fork_in_progress', 0],
        ['module_fork_last_cow_size', 0],
      ];
    }
    case 'stats': {
      const st = node.stats;
      const pubsub = node.ports.pubsub as PubSub | undefined;
      return [
        ['total_connections_received', st.totalConnections],
        ['total_commands_processed', st.totalCommands],
        ['instantaneous_ops_per_sec', 0],
        ['total_net_input_bytes', st.netInputBytes],
        ['total_net_output_bytes', st.netOutputBytes],
        ['total_net_repl_input_bytes', 0],
        ['total_net_repl_output_bytes', 0],
        ['instantaneous_input_kbps', '0.00'],
        ['instantaneous_output_kbps', '0.00'],
        ['instantaneous_input_repl_kbps', '0.00'],
        ['instantaneous_output_repl_kbps', '0.00'],
        ['rejected_connections', st.rejectedConnections],
        ['sync_full', 0],
        ['sync_partial_ok', 0],
        ['sync_partial_err', 0],
        ['expired_keys', st.expiredKeys],
        ['expired_stale_perc', (st.expiredStalePerc * 100).toFixed(2)],
        ['expired_time_cap_reached_count', st.expiredTimeCapReached],
        ['expire_cycle_cpu_milliseconds', 0],
        ['evicted_keys', st.evictedKeys],
        ['evicted_clients', 0],
        ['total_eviction_exceeded_time', 0],
        ['current_eviction_exceeded_time', 0],
        ['keyspace_hits', st.keyspaceHits],
        ['keyspace_misses', st.keyspaceMisses],
        ['pubsub_channels', pubsub?.channelCount ?? 0],
        ['pubsub_patterns', pubsub?.patternCount() ?? 0],
        ['pubsubshard_channels', pubsub?.shardChannelCount ?? 0],
        ['latest_fork_usec', 0],
        ['total_forks', 0],
        ['migrate_cached_sockets', node.ports.migrate?.cachedSockets ?? 0],
        ['slave_expires_tracked_keys', 0],
        ['active_defrag_hits', 0],
        ['active_defrag_misses', 0],
        ['active_defrag_key_hits', 0],
        ['active_defrag_key_misses', 0],
        ['total_active_defrag_time', 0],
        ['current_active_defrag_time', 0],
        ['tracking_total_keys', 0],
        ['tracking_total_items', 0],
        ['tracking_total_prefixes', 0],
        ['unexpected_error_replies', st.unexpectedErrorReplies],
        ['total_error_replies', st.totalErrorReplies],
        ['dump_payload_sanitizations', 0],
        ['total_reads_processed', st.totalCommands],
        ['total_writes_processed', st.totalCommands],
        ['io_threaded_reads_processed', 0],
        ['io_threaded_writes_processed', 0],
        ['reply_buffer_shrinks', 0],
        ['reply_buffer_expands', 0],
      ];
    }
    case 'replication':
      return [
        ['role', node.isReplica ? 'slave' : 'master'],
        ['connected_slaves', 0],
        ['master_failover_state', 'no-failover'],
        ['master_replid', node.runId],
        ['master_replid2', '0000000000000000000000000000000000000000'],
        ['master_repl_offset', 0],
        ['second_repl_offset', -1],
        ['repl_backlog_active', 0],
        ['repl_backlog_size', node.config.num('repl-backlog-size')],
        ['repl_backlog_first_byte_offset', 0],
        ['repl_backlog_histlen', 0],
      ];
    case 'cpu': {
      const u = process.cpuUsage();
      const sec = (us: number) => (us / 1e6).toFixed(6);
      return [
        ['used_cpu_sys', sec(u.system)],
        ['used_cpu_user', sec(u.user)],
        ['used_cpu_sys_children', '0.000000'],
        ['used_cpu_user_children', '0.000000'],
        ['used_cpu_sys_main_thread', sec(u.system)],
        ['used_cpu_user_main_thread', sec(u.user)],
      ];
    }
    case 'modules':
      return [];
    case 'commandstats': {
      const f: Fields = [];
      const walk = (specs: Iterable<import('../commands/spec.js').CommandSpec>) => {
        for (const spec of specs) {
          const st = node.stats.commands.get(spec.id);
          if (st && (st.calls || st.rejected || st.failed)) {
            const per = st.calls ? st.usec / st.calls : 0;
            f.push([`cmdstat_${spec.fullName}`, `calls=${st.calls},usec=${Math.round(st.usec)},usec_per_call=${per.toFixed(2)},rejected_calls=${st.rejected},failed_calls=${st.failed}`]);
          }
          if (spec.subcommands) walk(spec.subcommands.values());
        }
      };
      walk(node.table.values());
      return f;
    }
    case 'errorstats':
      return [...node.stats.errorCodes].map(([code, n]) => [`errorstat_${code}`, `count=${n}`]);
    case 'cluster':
      return [['cluster_enabled', node.config.bool('cluster-enabled') ? 1 : 0]];
    case 'keyspace': {
      const f: Fields = [];
      for (const db of node.dbs) {
        if (db.size === 0) continue;
        f.push([`db${db.id}`, `keys=${db.size},expires=${db.expiresCount},avg_ttl=${db.averageTtl()}`]);
      }
      return f;
    }
    case 'latencystats':
      return node.config.bool('latency-tracking') ? latencyStats(node) : [];
    default:
      return null;
  }
}

/** latency_percentiles_usec_<cmd>:p50=…,p99=… for every command with samples. */
function latencyStats(node: ServerNode): Fields {
  // The config's own text form is Redis's label form ("50 99 99.9", trailing zeros trimmed).
  const text = node.config.str('latency-tracking-info-percentiles');
  const labels = text === '' ? [] : text.split(' ');
  const pcts = labels.map(Number);
  const f: Fields = [];
  const walk = (specs: Iterable<CommandSpec>) => {
    for (const spec of specs) {
      const h = node.stats.latencyHistogram(spec.id);
      if (h !== undefined) {
        const parts = pcts.map((p, i) => `p${labels[i]}=${(h.valueAtPercentile(p) / 1000).toFixed(3)}`);
        f.push([`latency_percentiles_usec_${spec.fullName}`, parts.join(',')]);
      }
      if (spec.subcommands) walk(spec.subcommands.values());
    }
  };
  walk(node.table.values());
  return f;
}

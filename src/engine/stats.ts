/**
 * Counters, the slowlog and latency monitor of one node.
 * Imports: commands (types), protocol/reply, engine/latency-histogram.
 */
import type { CommandStats, LatencyApi, ServerStats, SlowlogApi } from '../commands/context.js';
import { ErrorReply, VerbatimReply, type Reply } from '../protocol/reply.js';
import { LatencyHistogram } from './latency-histogram.js';

export class Stats implements ServerStats {
  totalConnections = 0;
  totalCommands = 0;
  rejectedConnections = 0;
  expiredKeys = 0;
  expiredStalePerc = 0;
  expiredTimeCapReached = 0;
  evictedKeys = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  totalErrorReplies = 0;
  errorCodes = new Map<string, number>();
  unexpectedErrorReplies = 0;
  clientQueryBufferLimitDisconnections = 0;
  clientOutputBufferLimitDisconnections = 0;
  readonly commands = new Map<number, CommandStats>();
  /** Per-command latency histograms indexed by command id (ids are small and dense), created on first call. */
  private latency: Array<LatencyHistogram | undefined> = [];

  reset(): void {
    this.totalConnections = 0;
    this.totalCommands = 0;
    this.rejectedConnections = 0;
    this.expiredKeys = 0;
    this.expiredStalePerc = 0;
    this.expiredTimeCapReached = 0;
    this.evictedKeys = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.totalErrorReplies = 0;
    this.errorCodes.clear();
    this.unexpectedErrorReplies = 0;
    this.clientQueryBufferLimitDisconnections = 0;
    this.clientOutputBufferLimitDisconnections = 0;
    this.commands.clear();
    this.latency = [];
  }

  latencyHistogram(id: number): LatencyHistogram | undefined {
    return this.latency[id];
  }

  /** Records one call's duration (µs) in its command's histogram (latency-tracking). */
  recordLatency(id: number, usec: number): void {
    let h = this.latency[id];
    if (h === undefined) this.latency[id] = h = new LatencyHistogram();
    // Redis measures whole microseconds and records them in nanoseconds.
    h.record(Math.floor(usec) * 1000);
  }

  forCommand(id: number): CommandStats {
    let s = this.commands.get(id);
    if (s === undefined) this.commands.set(id, (s = { calls: 0, usec: 0, rejected: 0, failed: 0 }));
    return s;
  }
}

interface SlowEntry {
  id: number;
  time: number;
  usec: number;
  argv: string[];
  addr: string;
  name: string;
}

export class Slowlog implements SlowlogApi {
  private entries: SlowEntry[] = [];
  private nextId = 0;
  constructor(private readonly limits: () => { slowerThan: number; maxLen: number }) {}

  record(argv: readonly string[], usec: number, addr: string, name: string): void {
    const { slowerThan, maxLen } = this.limits();
    if (slowerThan < 0 || usec < slowerThan) return;
    // Redis keeps at most 32 arguments, the last one saying how many more there were,
    // and truncates long arguments to 128 bytes.
    const max = 32;
    const kept: string[] = [];
    const n = Math.min(argv.length, max);
    for (let i = 0; i < n; i++) {
      if (i === max - 1 && argv.length > max) {
        kept.push(`... (${argv.length - max + 1} more arguments)`);
        break;
      }
      const a = argv[i]!;
      kept.push(a.length > 128 ? `${a.slice(0, 128)}... (${a.length - 128} more bytes)` : a);
    }
    this.entries.unshift({ id: this.nextId++, time: Math.floor(Date.now() / 1000), usec: Math.round(usec), argv: kept, addr, name });
    if (this.entries.length > maxLen) this.entries.length = Math.max(0, maxLen);
  }

  get(count: number): Reply {
    const list = count < 0 ? this.entries : this.entries.slice(0, count);
    return list.map((e) => [e.id, e.time, e.usec, e.argv, e.addr, e.name]);
  }

  len(): number {
    return this.entries.length;
  }

  reset(): void {
    this.entries = [];
  }
}

interface LatencySample {
  time: number;
  ms: number;
}

export class LatencyMonitor implements LatencyApi {
  private readonly events = new Map<string, { samples: LatencySample[]; max: number }>();
  constructor(private readonly threshold: () => number) {}

  record(event: string, ms: number): void {
    const th = this.threshold();
    if (th <= 0 || ms < th) return;
    let e = this.events.get(event);
    if (!e) this.events.set(event, (e = { samples: [], max: 0 }));
    const time = Math.floor(Date.now() / 1000);
    const last = e.samples[e.samples.length - 1];
    if (last && last.time === time) last.ms = Math.max(last.ms, ms);
    else e.samples.push({ time, ms });
    if (e.samples.length > 160) e.samples.shift();
    e.max = Math.max(e.max, ms);
  }

  latest(): Reply {
    const out: Reply[] = [];
    for (const [name, e] of this.events) {
      const last = e.samples[e.samples.length - 1]!;
      out.push([name, last.time, last.ms, e.max]);
    }
    return out;
  }

  history(event: string): Reply {
    const e = this.events.get(event);
    return e ? e.samples.map((s) => [s.time, s.ms]) : [];
  }

  reset(events: string[]): number {
    if (events.length === 0) {
      const n = this.events.size;
      this.events.clear();
      return n;
    }
    let n = 0;
    for (const ev of events) if (this.events.delete(ev)) n++;
    return n;
  }

  graph(event: string): Reply {
    const e = this.events.get(event);
    if (!e) return new ErrorReply(`ERR No samples available for event '${event}'`);
    const now = Math.floor(Date.now() / 1000);
    let min = 0;
    let max = 0;
    const labels: string[] = [];
    const values: number[] = [];
    for (const s of e.samples) {
      if (values.length === 0) min = max = s.ms;
      else { max = Math.max(max, s.ms); min = Math.min(min, s.ms); }
      // Each column is labelled with how long ago its sample was taken.
      const ago = now - s.time;
      labels.push(ago < 60 ? `${ago}s` : ago < 3600 ? `${Math.floor(ago / 60)}m` : ago < 86400 ? `${Math.floor(ago / 3600)}h` : `${Math.floor(ago / 86400)}d`);
      values.push(s.ms);
    }
    const head = `${event} - high ${max} ms, low ${min} ms (all time high ${e.max} ms)\n${'-'.repeat(GRAPH_COLS)}\n`;
    return new VerbatimReply(head + sparkline(values, labels, GRAPH_COLS, 4));
  }

  doctor(): string {
    if (this.events.size === 0) {
      return 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sleep tonight.\n';
    }
    let out = 'Dave, I have observed latency spikes in this Redis instance. You don\'t mind talking about it, do you Dave?\n\n';
    let i = 1;
    for (const [name, e] of this.events) {
      const avg = Math.round(e.samples.reduce((a, s) => a + s.ms, 0) / e.samples.length);
      out += `${i++}. ${name}: ${e.samples.length} latency spikes (average ${avg}ms, mean deviation 0ms, period 0 sec). Worst all time event ${e.max}ms.\n`;
    }
    return out;
  }
}

const GRAPH_COLS = 80;
const FILL = '_o#';

/**
 * Redis's filled ASCII sparkline: `rows` rows of bars scaled between the smallest and the
 * largest value, then the labels written vertically below, in chunks of `cols` columns.
 */
function sparkline(values: number[], labels: string[], cols: number, rows: number): string {
  let lo = values[0] ?? 0;
  let hi = lo;
  for (const v of values) { if (v < lo) lo = v; else if (v > hi) hi = v; }
  const steps = FILL.length * rows;
  const span = hi - lo === 0 ? 1 : hi - lo;
  let out = '';
  for (let off = 0; off < values.length; off += cols) {
    if (off !== 0) out += '\n';
    const len = Math.min(cols, values.length - off);
    for (let row = 0; ; row++) {
      let line = '';
      let more = false;
      for (let j = 0; j < len; j++) {
        const i = off + j;
        let ch = ' ';
        if (row < rows) {
          more = true;
          let step = Math.trunc(Math.trunc((values[i]! - lo) * steps) / span);
          if (step < 0) step = 0;
          if (step >= steps) step = steps - 1;
          const idx = step - (rows - row - 1) * FILL.length;
          if (idx >= 0 && idx < FILL.length) ch = FILL[idx]!;
          else if (idx >= FILL.length) ch = '|';
        } else {
          // One blank row between the bars and the labels.
          if (row - rows < 1) { more = true; line = ' '.repeat(len); break; }
          const k = row - rows - 1;
          const label = labels[i]!;
          if (label.length > k) { more = true; ch = label[k]!; }
        }
        line += ch;
      }
      if (!more) break;
      out += line + '\n';
    }
  }
  return out;
}

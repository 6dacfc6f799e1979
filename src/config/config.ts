/**
 * The server configuration: one Config per server instance holds every directive's
 * value, answers CONFIG GET/SET with Redis 7.0.15's exact semantics and error texts,
 * loads redis.conf text and rewrites the file it came from.
 *
 * Invariants: values only change through set() (atomic: all pairs validated and
 * applied, or none) or the file loader; change hooks run after all values are stored
 * and a throwing hook rolls every pair back. Typed reads (num/bool/str) are a Map
 * lookup plus an array index, cheap enough for hot paths.
 * May import only src/util, src/protocol/split-args.ts and src/config.
 */
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { globMatch } from '../util/glob.js';
import {
  DIRECTIVES, IMMUTABLE, PROTECTED, SENSITIVE, HIDDEN, DENY_LOADING, MULTI_ARG,
  DEFAULT_BIND, DEFAULT_SAVE, DEFAULT_OOM_VALUES, DEFAULT_PERCENTILES, MIN_HZ, MAX_HZ, MIN_REPL_BACKLOG,
  type DirectiveDef,
} from './directives.js';
import {
  parseValue, formatValue, numericView,
  type ParseCtx, type SaveParam, type ObufLimits, type ReplicaOf,
} from './values.js';
import { loadConfigText, readConfigFile, type LoadTarget, type LoadState, type CommandLine } from './parse.js';
import { rewriteConfigFile, type RewriteSource } from './rewrite.js';

export { parseCommandLine, type CommandLine } from './parse.js';
export { ConfigSetError, ConfigFileError } from './errors.js';
import { ConfigSetError } from './errors.js';

interface Entry {
  /** The name this entry is registered under (the alias name for alias entries). */
  readonly name: string;
  readonly def: DirectiveDef;
  readonly index: number;
  readonly alias: boolean;
}

function buildLookup(): ReadonlyMap<string, Entry> {
  const m = new Map<string, Entry>();
  DIRECTIVES.forEach((def, index) => {
    m.set(def.name, { name: def.name, def, index, alias: false });
    if (def.alias) m.set(def.alias, { name: def.alias, def, index, alias: true });
  });
  return m;
}

/** Every registered name (canonical and alias, lowercase) -> its entry. */
const LOOKUP = buildLookup();
const HZ_INDEX = DIRECTIVES.findIndex((d) => d.name === 'hz');
const BACKLOG_INDEX = DIRECTIVES.findIndex((d) => d.name === 'repl-backlog-size');

function lookup(name: string): Entry | undefined {
  return LOOKUP.get(name) ?? LOOKUP.get(name.toLowerCase());
}

function defaultValue(def: DirectiveDef): unknown {
  switch (def.type) {
    case 'bool': case 'string': case 'enum': return def.def;
    case 'num': return def.unsigned ? BigInt.asUintN(64, def.def) : def.def;
    case 'special':
      switch (def.kind) {
        case 'dir': return process.cwd();
        case 'save': return DEFAULT_SAVE.map((p) => ({ ...p }));
        case 'obuf': return [
          { hard: 0n, soft: 0n, softSeconds: 0 },
          { hard: 268435456n, soft: 67108864n, softSeconds: 60 },
          { hard: 33554432n, soft: 8388608n, softSeconds: 60 },
        ];
        case 'oom': return [...DEFAULT_OOM_VALUES];
        case 'notify': return 0;
        case 'bind': return [...DEFAULT_BIND];
        case 'replicaof': return null;
        case 'percentiles': return [...DEFAULT_PERCENTILES];
      }
  }
}

export interface SetOptions {
  /** The calling client is local (loopback / unix socket): enables `enable-protected-configs local`. */
  localClient?: boolean;
  /** The server is loading a dataset: DENY_LOADING directives answer -LOADING. */
  loading?: boolean;
}

export interface ModuleLoad { path: string; args: string[] }

export class Config implements LoadTarget, RewriteSource {
  private readonly vals: unknown[];
  private readonly texts: string[];
  private readonly nums: number[];
  private readonly hooks = new Map<number, Array<(value: string) => void>>();
  private configFile = '';
  private readonly renameList: Array<[string, string]> = [];
  private readonly userList: string[][] = [];
  private readonly moduleList: ModuleLoad[] = [];
  private readonly moduleConfigList: Array<[string, string]> = [];
  private readonly loadState: LoadState = { saveSeen: false };
  /**
   * Set before loading to let `rename-command` fail on unknown commands at the right line,
   * as Redis does; without it every rename is accepted and the server checks later.
   */
  commandExists: ((name: string) => boolean) | null = null;

  constructor() {
    const count = DIRECTIVES.length;
    this.vals = new Array<unknown>(count);
    this.texts = new Array<string>(count);
    this.nums = new Array<number>(count);
    for (let i = 0; i < count; i++) this.store(i, defaultValue(DIRECTIVES[i]!));
  }

  private store(i: number, v: unknown): void {
    const def = DIRECTIVES[i]!;
    this.vals[i] = v;
    this.texts[i] = formatValue(def, v);
    this.nums[i] = numericView(def, v);
  }

  private index(name: string): number {
    const e = lookup(name);
    if (!e) throw new Error(`unknown config directive '${name}'`);
    return e.index;
  }

  /** Absolute path of the config file, '' when running without one. */
  get file(): string { return this.configFile; }

  /** CONFIG GET form of one directive (aliases and any case accepted), undefined if unknown. */
  get(name: string): string | undefined {
    const e = lookup(name);
    return e ? this.texts[e.index] : undefined;
  }

  num(name: string): number { return this.nums[this.index(name)]!; }
  bool(name: string): boolean { return this.vals[this.index(name)] === true; }
  str(name: string): string { return this.texts[this.index(name)]!; }

  /** True for a directive Redis knows (canonical or alias name, any case). */
  has(name: string): boolean { return lookup(name) !== undefined; }

  /** The canonical name for a name or alias, undefined if unknown. */
  canonical(name: string): string | undefined { return lookup(name)?.def.name; }

  /** Values of sensitive directives (requirepass, masterauth, masteruser) must be redacted from logs. */
  isSensitive(name: string): boolean {
    const e = lookup(name);
    return e !== undefined && (e.def.flags & SENSITIVE) !== 0;
  }

  /**
   * CONFIG GET p1 p2 ...: flat [name, value, ...]. A pattern without glob characters is
   * an exact (case-insensitive) lookup answered under the name as the client wrote it;
   * a glob matches registered names, aliases included, hidden directives excluded.
   */
  getMatching(patterns: string[]): string[] {
    const matches = new Map<string, [string, number]>();
    for (const pat of patterns) {
      if (!/[[*?]/.test(pat)) {
        const key = pat.toLowerCase();
        if (matches.has(key)) continue;
        const e = lookup(pat);
        if (e) matches.set(key, [pat, e.index]);
        continue;
      }
      for (const [name, e] of LOOKUP) {
        if (e.def.flags & HIDDEN) continue;
        if (matches.has(name)) continue;
        if (globMatch(pat, name, true)) matches.set(name, [name, e.index]);
      }
    }
    const out: string[] = [];
    for (const [shown, idx] of matches.values()) out.push(shown, this.texts[idx]!);
    return out;
  }

  /** CONFIG SET n1 v1 n2 v2 ...: validates everything, stores atomically, then runs hooks. */
  set(pairs: Array<[string, string]>, opts: SetOptions = {}): void {
    const entries: Array<Entry | undefined> = new Array(pairs.length);
    let invalidName: string | null = null;
    let errArg: string | null = null;
    let errStr: string | null = null;
    let invalid = false;
    let denyLoading = false;
    for (let i = 0; i < pairs.length; i++) {
      const name = pairs[i]![0];
      const e = lookup(name);
      if (!e) {
        if (!invalid) { invalidName = name; invalid = true; }
        continue;
      }
      if (invalid) continue;
      const flags = e.def.flags;
      if ((flags & IMMUTABLE) || ((flags & PROTECTED) && !this.protectedAllowed(opts))) {
        errStr = flags & IMMUTABLE ? "can't set immutable config" : "can't set protected config";
        errArg = name;
        invalid = true;
        continue;
      }
      if (opts.loading && (flags & DENY_LOADING)) {
        denyLoading = true;
        invalid = true;
        continue;
      }
      for (let j = 0; j < i; j++) {
        // Redis compares registered entries, so an alias and its canonical name are not duplicates.
        if (entries[j] === e) {
          errStr = 'duplicate parameter';
          errArg = name;
          invalid = true;
          break;
        }
      }
      entries[i] = e;
    }
    if (invalid) {
      if (denyLoading) throw new ConfigSetError('LOADING Redis is loading the dataset in memory');
      if (invalidName !== null) {
        throw new ConfigSetError(`ERR Unknown option or number of arguments for CONFIG SET - '${invalidName}'`);
      }
      throw setFailed(errArg!, errStr);
    }

    const olds = entries.map((e) => this.vals[e!.index]);
    const changed: number[] = [];
    const ctx: ParseCtx = { fromFile: false, saveSeen: false };
    for (let i = 0; i < pairs.length; i++) {
      const e = entries[i]!;
      const r = parseValue(e.def, splitSetValue(e.def, pairs[i]![1]), this.vals[e.index], ctx);
      if (!r.ok) {
        for (let j = 0; j <= i; j++) this.store(entries[j]!.index, olds[j]);
        throw setFailed(e.name, r.err);
      }
      this.store(e.index, r.v);
      if (r.changed && !changed.includes(e.index)) changed.push(e.index);
    }
    // What Redis's apply functions for these two do to the stored value.
    if (changed.includes(HZ_INDEX)) this.clampHz();
    if (changed.includes(BACKLOG_INDEX) && (this.vals[BACKLOG_INDEX] as bigint) < BigInt(MIN_REPL_BACKLOG)) {
      this.store(BACKLOG_INDEX, BigInt(MIN_REPL_BACKLOG));
    }

    for (let k = 0; k < changed.length; k++) {
      const idx = changed[k]!;
      try {
        this.runHooks(idx);
      } catch (err) {
        for (let j = 0; j < entries.length; j++) this.store(entries[j]!.index, olds[j]);
        for (let m = 0; m <= k; m++) {
          try { this.runHooks(changed[m]!); } catch { /* restoring: nothing more to undo */ }
        }
        const msg = err instanceof Error ? err.message : String(err);
        throw setFailed(DIRECTIVES[idx]!.name, msg === '' ? null : msg);
      }
    }
  }

  private protectedAllowed(opts: SetOptions): boolean {
    const mode = this.nums[this.index('enable-protected-configs')];
    return mode === 1 || (mode === 2 && opts.localClient === true);
  }

  private runHooks(idx: number): void {
    const list = this.hooks.get(idx);
    if (!list) return;
    const text = this.texts[idx]!;
    for (const h of list) h(text);
  }

  private clampHz(): void {
    const hz = this.vals[HZ_INDEX] as bigint;
    if (hz < BigInt(MIN_HZ)) this.store(HZ_INDEX, BigInt(MIN_HZ));
    else if (hz > BigInt(MAX_HZ)) this.store(HZ_INDEX, BigInt(MAX_HZ));
  }

  /**
   * Registers a hook run after CONFIG SET changed `name` (alias or canonical), with the new
   * CONFIG GET form. Throwing Error(msg) rejects the whole SET: every pair is rolled back.
   */
  onChange(name: string, hook: (value: string) => void): void {
    const idx = this.index(name);
    let list = this.hooks.get(idx);
    if (!list) { list = []; this.hooks.set(idx, list); }
    list.push(hook);
  }

  /** Loads redis.conf text (no hooks run). Throws ConfigFileError with Redis's fatal text. */
  loadString(text: string): void {
    loadConfigText(this, text, this.loadState);
  }

  /**
   * Loads a config file (`-` reads stdin) followed by `extra` directive text (the command
   * line's options), as one text the way redis-server does, so line numbers match.
   */
  loadFile(path: string, extra?: string): void {
    let text = '';
    if (path === '-') {
      text = readFileSync(0, 'latin1');
    } else {
      const abs = resolvePath(path);
      text = readConfigFile(abs);
      this.configFile = abs;
    }
    if (extra !== undefined) text += '\n' + extra;
    this.loadString(text);
  }

  /**
   * Loads what redis-server's main() loads for these arguments: the config file (if any),
   * then stdin (if `-` was given), then the command-line directives. Nothing is loaded for
   * an empty argument list, as with a bare `redis-server`.
   */
  loadCommandLine(cl: CommandLine, readStdin: () => string = () => readFileSync(0, 'latin1')): void {
    if (cl.configFile === null && !cl.stdin && cl.text === '') return;
    let text = '';
    if (cl.configFile !== null && cl.configFile !== '-') {
      text = readConfigFile(cl.configFile);
      this.configFile = cl.configFile;
    }
    if (cl.stdin) text += readStdin();
    this.loadString(text + '\n' + cl.text);
  }

  /** CONFIG REWRITE. Throws ConfigSetError with Redis's reply text on failure. */
  rewrite(extras: { users?: string[] } = {}): void {
    if (this.configFile === '') throw new ConfigSetError('ERR The server is running without a config file');
    rewriteConfigFile(this.configFile, this, extras.users);
  }

  saveParams(): Array<{ seconds: number; changes: number }> {
    return (this.vals[this.index('save')] as SaveParam[]).map((p) => ({ ...p }));
  }

  outputBufferLimit(cls: 'normal' | 'replica' | 'pubsub'): { hard: number; soft: number; softSeconds: number } {
    const l = (this.vals[this.index('client-output-buffer-limit')] as ObufLimits)[
      cls === 'normal' ? 0 : cls === 'replica' ? 1 : 2];
    return { hard: Number(l.hard), soft: Number(l.soft), softSeconds: l.softSeconds };
  }

  bindAddrs(): string[] { return [...(this.vals[this.index('bind')] as string[])]; }

  replicaOf(): { host: string; port: number } | null {
    const r = this.vals[this.index('replicaof')] as ReplicaOf | null;
    return r ? { ...r } : null;
  }

  /**
   * Records the master set by REPLICAOF/SLAVEOF (null for NO ONE), so CONFIG GET replicaof
   * and CONFIG REWRITE reflect it; the directive itself is immutable for CONFIG SET.
   */
  setReplicaOf(master: { host: string; port: number } | null): void {
    this.store(this.index('replicaof'), master ? { host: master.host, port: master.port } : null);
  }

  oomScoreAdjValues(): number[] { return [...(this.vals[this.index('oom-score-adj-values')] as number[])]; }
  latencyPercentiles(): number[] { return [...(this.vals[this.index('latency-tracking-info-percentiles')] as number[])]; }
  /** `rename-command from to` lines in file order (to === '' disables the command). */
  renames(): Array<[string, string]> { return this.renameList.map((r) => [r[0], r[1]]); }
  /** `user ...` lines' arguments after the directive name, in file order. */
  users(): string[][] { return this.userList.map((u) => [...u]); }
  modules(): ModuleLoad[] { return this.moduleList.map((m) => ({ path: m.path, args: [...m.args] })); }
  /** Module directives (`name.with.dot value`) seen in the file. */
  moduleConfigs(): Array<[string, string]> { return this.moduleConfigList.map((m) => [m[0], m[1]]); }

  // ---- LoadTarget (used by parse.ts) ----

  /** @internal */
  lookupDirective(name: string): { def: DirectiveDef; index: number } | undefined {
    return lookup(name);
  }

  /** @internal Stores a value from the config file; returns Redis's error text or null. */
  setFromFile(index: number, args: string[], ctx: ParseCtx): string | null {
    const r = parseValue(DIRECTIVES[index]!, args, this.vals[index], ctx);
    if (!r.ok) return r.err;
    this.store(index, r.v);
    return null;
  }

  /** @internal */
  finishLoad(): void { this.clampHz(); }
  /** @internal */
  addRename(from: string, to: string): void { this.renameList.push([from, to]); }
  /** @internal */
  addUser(args: string[]): void { this.userList.push(args); }
  /** @internal */
  addModule(path: string, args: string[]): void { this.moduleList.push({ path, args }); }
  /** @internal */
  addModuleConfig(name: string, value: string): void {
    const at = this.moduleConfigList.findIndex((m) => m[0] === name);
    if (at >= 0) this.moduleConfigList[at] = [name, value];
    else this.moduleConfigList.push([name, value]);
  }

  // ---- RewriteSource (used by rewrite.ts) ----

  /** @internal */
  rewriteValue(index: number): unknown { return this.vals[index]; }
  /** @internal */
  isKnownDirective(name: string): boolean { return lookup(name) !== undefined; }
}

function setFailed(name: string, reason: string | null): ConfigSetError {
  return new ConfigSetError(reason === null
    ? `ERR CONFIG SET failed (possibly related to argument '${name}')`
    : `ERR CONFIG SET failed (possibly related to argument '${name}') - ${reason}`);
}

/** CONFIG SET splits multi-argument values on single spaces (sdssplitlen), unlike the file. */
function splitSetValue(def: DirectiveDef, value: string): string[] {
  if (!(def.flags & MULTI_ARG)) return [value];
  return value === '' ? [] : value.split(' ');
}

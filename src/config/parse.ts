/**
 * redis.conf text loading (loadServerConfigFromString), `include` with glob patterns,
 * and redis-server's command-line handling (main()'s option gathering).
 *
 * Invariants: errors are thrown as ConfigFileError carrying the exact text redis-server
 * prints before exiting; a value is stored as soon as its line parses, as Redis does,
 * so a failed load leaves earlier lines applied (callers treat it as fatal anyway).
 * May import only src/util, src/protocol/split-args.ts and src/config.
 */
import { readFileSync, readdirSync, openSync, closeSync } from 'node:fs';
import { join, resolve as resolvePath, isAbsolute } from 'node:path';
import { splitArgs, quoteArg } from '../protocol/split-args.js';
import { globMatch } from '../util/glob.js';
import { MULTI_ARG, DEPRECATED_DIRECTIVES, type DirectiveDef } from './directives.js';
import type { ParseCtx } from './values.js';
import { ConfigFileError, strerror } from './errors.js';

export const REDIS_VERSION = '7.0.15';
const MAX_INCLUDE_DEPTH = 64;

/** What the loader needs from a Config (implemented by Config). */
export interface LoadTarget {
  lookupDirective(name: string): { def: DirectiveDef; index: number } | undefined;
  setFromFile(index: number, args: string[], ctx: ParseCtx): string | null;
  finishLoad(): void;
  get(name: string): string | undefined;
  addRename(from: string, to: string): void;
  addUser(args: string[]): void;
  addModule(path: string, args: string[]): void;
  addModuleConfig(name: string, value: string): void;
  /** Optional command-table check so rename-command fails at the right line, as in Redis. */
  commandExists: ((name: string) => boolean) | null;
}

/** State shared by a file and everything it includes. */
export interface LoadState {
  saveSeen: boolean;
  /** Include nesting depth: Redis recurses until it crashes on a self-include; we stop. */
  depth?: number;
  renamedAway?: Set<string>;
  renamedTo?: Set<string>;
}

function fatal(reason: string, lineNo?: number, line?: string): ConfigFileError {
  let msg = `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_VERSION}) ***\n`;
  if (lineNo !== undefined) msg += `Reading the configuration file, at line ${lineNo}\n>>> '${line}'\n`;
  return new ConfigFileError(msg + reason + '\n');
}

function trimConf(s: string): string {
  let a = 0;
  let b = s.length;
  const isT = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 10;
  while (a < b && isT(s.charCodeAt(a))) a++;
  while (b > a && isT(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** Reads a config file as latin1 bytes, or throws Redis's "can't open" error. */
export function readConfigFile(path: string, openAs: string = path): string {
  try {
    return readFileSync(openAs, 'latin1');
  } catch (e) {
    // fopen() succeeds on a directory and the reads then return nothing.
    if ((e as { code?: string }).code === 'EISDIR') return '';
    throw new ConfigFileError(`Fatal error, can't open config file '${path}': ${strerror(e)}`);
  }
}

function hasWildcard(p: string): boolean {
  return p.includes('*') || p.includes('?') || p.includes('[');
}

/** glob(3) for include patterns: wildcards in any component, sorted, no implicit dotfiles. */
export function expandIncludeGlob(pattern: string): string[] {
  const abs = isAbsolute(pattern);
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let paths = [abs ? '/' : ''];
  for (const part of parts) {
    if (part === '') continue;
    const next: string[] = [];
    for (const base of paths) {
      if (!hasWildcard(part)) { next.push(base === '' ? part : join(base, part)); continue; }
      let names: string[];
      try { names = readdirSync(base === '' ? '.' : base); } catch { continue; }
      for (const name of names) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (globMatch(part, name)) next.push(base === '' ? name : join(base, name));
      }
    }
    paths = next;
  }
  return paths.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function includeFile(target: LoadTarget, path: string, state: LoadState): void {
  // Redis has already chdir()ed to any `dir` seen so far, so relative paths start there.
  const base = target.get('dir') ?? process.cwd();
  let text = '';
  if (hasWildcard(path)) {
    // No match is fine for a pattern (an empty conf.d), unlike a plain missing file.
    const absPattern = isAbsolute(path) ? path : join(base, path);
    const skip = isAbsolute(path) ? 0 : base.length + (base.endsWith('/') ? 0 : 1);
    for (const p of expandIncludeGlob(absPattern)) text += readConfigFile(skip ? p.slice(skip) : p, p);
  } else {
    text = readConfigFile(path, resolvePath(base, path));
  }
  const depth = state.depth ?? 0;
  if (depth >= MAX_INCLUDE_DEPTH) throw fatal(`Too many nested includes reading '${path}'`);
  state.depth = depth + 1;
  try {
    loadConfigText(target, text, state);
  } finally {
    state.depth = depth;
  }
}

/** Loads config text into `target`, exactly like Redis's loadServerConfigFromString. */
export function loadConfigText(target: LoadTarget, text: string, state: LoadState): void {
  const lines = text.split('\n');
  const ctx: ParseCtx = { fromFile: true, saveSeen: state.saveSeen };
  for (let i = 0; i < lines.length; i++) {
    const line = trimConf(lines[i]!);
    if (line === '' || line.charCodeAt(0) === 35 /* # */) continue;
    const lineNo = i + 1;
    const argv = splitArgs(line);
    if (argv === null) throw fatal('Unbalanced quotes in configuration line', lineNo, line);
    if (argv.length === 0) continue;
    const name = argv[0]!.toLowerCase();
    const argc = argv.length;

    const found = target.lookupDirective(name);
    if (found) {
      const multi = (found.def.flags & MULTI_ARG) !== 0;
      if (!multi && argc !== 2) throw fatal('wrong number of arguments', lineNo, line);
      let args = argv.slice(1);
      if (multi && argc === 2 && argv[1] !== '') {
        // One non-empty argument to a multi-argument directive is re-split, so that
        // `--save "900 1 300 10"` on the command line works.
        const sub = splitArgs(argv[1]!);
        if (sub === null) throw fatal('Unbalanced quotes in configuration line', lineNo, line);
        args = sub;
      }
      ctx.saveSeen = state.saveSeen;
      const err = target.setFromFile(found.index, args, ctx);
      state.saveSeen = ctx.saveSeen;
      if (err !== null) throw fatal(err, lineNo, line);
      continue;
    }
    if (DEPRECATED_DIRECTIVES.get(name) === argc) continue;

    if (name === 'include' && argc === 2) {
      includeFile(target, argv[1]!, state);
    } else if (name === 'rename-command' && argc === 3) {
      const err = checkRename(target, state, argv[1]!, argv[2]!);
      if (err) throw fatal(err, lineNo, line);
      target.addRename(argv[1]!, argv[2]!);
    } else if (name === 'user' && argc >= 2) {
      target.addUser(argv.slice(1));
    } else if (name === 'loadmodule' && argc >= 2) {
      target.addModule(argv[1]!, argv.slice(2));
    } else if (name.includes('.')) {
      if (argc < 2) throw fatal('Module config specified without value', lineNo, line);
      target.addModuleConfig(argv[0]!, argv.slice(1).join(' '));
    } else if (name === 'sentinel') {
      // A bare `sentinel` line selects sentinel mode in main(); with arguments it needs that mode.
      if (argc !== 1) throw fatal('sentinel directive while not in sentinel mode', lineNo, line);
    } else {
      throw fatal('Bad directive or wrong number of arguments', lineNo, line);
    }
  }

  const logfile = target.get('logfile') ?? '';
  if (logfile !== '') {
    try {
      closeSync(openSync(resolvePath(target.get('dir') ?? '.', logfile), 'a'));
    } catch (e) {
      throw fatal(`Can't open the log file: ${strerror(e)}`);
    }
  }
  if (target.get('cluster-enabled') === 'yes' && target.get('replicaof') !== '') {
    throw fatal('replicaof directive not allowed in cluster mode');
  }
  target.finishLoad();
}

function checkRename(target: LoadTarget, state: LoadState, from: string, to: string): string | null {
  const exists = target.commandExists;
  if (!exists) return null;
  const away = (state.renamedAway ??= new Set());
  const added = (state.renamedTo ??= new Set());
  const has = (n: string): boolean => {
    const l = n.toLowerCase();
    return added.has(l) || (!away.has(l) && exists(l));
  };
  if (!has(from)) return 'No such command in rename-command';
  away.add(from.toLowerCase());
  added.delete(from.toLowerCase());
  if (to !== '') {
    if (has(to)) return 'Target command name already exists';
    added.add(to.toLowerCase());
  }
  return null;
}

export interface CommandLine {
  /** Config file path (absolute), '-' when only stdin was given, or null for neither. */
  configFile: string | null;
  /** `-` was given as the first or last argument: append stdin to the config text. */
  stdin: boolean;
  /** Directive text built from `--name value` options, to load after the file. */
  text: string;
  version: boolean;
  help: boolean;
  /** 'test-memory' or 'check-system' when main() would run those instead of a server. */
  test?: string;
  /** The megabytes argument of --test-memory, when given. */
  testArg?: string;
}

/**
 * redis-server's argument handling. `args` excludes the executable (process.argv.slice(2)),
 * as latin1 strings. The resulting `text` reproduces main()'s options string byte for
 * byte, so error messages quote the same line Redis would.
 */
export function parseCommandLine(args: string[]): CommandLine {
  const res: CommandLine = { configFile: null, stdin: false, text: '', version: false, help: false };
  if (args.length === 0) return res;
  const first = args[0]!;
  if (first === '-v' || first === '--version') { res.version = true; return res; }
  if (first === '--help' || first === '-h') { res.help = true; return res; }
  if (first === '--test-memory') {
    res.test = 'test-memory';
    if (args.length === 2) res.testArg = args[1]!;
    return res;
  }
  if (first === '--check-system') { res.test = 'check-system'; return res; }

  let j = 0;
  if (!first.startsWith('-')) {
    res.configFile = resolvePath(first);
    j = 1;
  }
  let options = '';
  let handledLast = true;
  const last = args.length - 1;
  for (; j < args.length; j++) {
    const a = args[j]!;
    if (a === '-' && (j === 0 || j === last)) {
      res.stdin = true;
    } else if (handledLast && a.startsWith('--')) {
      if (options.length) options += '\n';
      options += a.slice(2) + ' ';
      const split = splitArgs(a);
      if (split !== null && split.length === 1) {
        handledLast = false;
        const next = j !== last ? args[j + 1]! : null;
        const lower = a.toLowerCase();
        if (next !== null && next.startsWith('--') && lower === '--save') {
          options += '""';
          handledLast = true;
        } else if (next === null && lower === '--save') {
          options += '""';
        } else if (next !== null && next.startsWith('--') && lower === '--sentinel') {
          handledLast = true;
        }
      } else {
        handledLast = true;
      }
    } else {
      options += quoteArg(a) + ' ';
      handledLast = true;
    }
  }
  res.text = options;
  if (res.stdin && res.configFile === null) res.configFile = '-';
  return res;
}

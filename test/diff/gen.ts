/**
 * Differential tester, generation toolkit: the Step/Arg model of a command sequence, edge
 * value pools (keys, values, integers, floats, bounds, indexes) and small combinators that
 * family modules use to describe each command's syntax as a fast-check arbitrary.
 *
 * Invariants: a generated Step is plain JSON (it is printed and pasted into regression
 * files); the only run-time dependent argument is a TimeArg, resolved once per step and
 * sent identically to both servers. Expiries generated here are either in the past
 * (deterministic delete) or at least 100 s away, so no key expires while a sequence runs.
 * Imports only fast-check.
 */
import fc from 'fast-check';

/** An absolute unix time `d` units from the moment the step is sent. */
export interface TimeArg {
  at: 's' | 'ms';
  d: number;
}

/**
 * A relative expiry (EX/PX/EXPIRE/...): `spreadDurations` turns it into a plain string,
 * adding the step's position in seconds, so two expiries set at different steps never
 * target the same millisecond. (Equal targets would make GT/LT outcomes depend on whether
 * the clock ticked between the two commands, differently on each server.)
 */
export interface DurArg {
  dur: 's' | 'ms';
  v: number;
}
export type Arg = string | TimeArg | DurArg;

/**
 * One command sent by client `c` (0..2). A `bg` step may block: the runner does not wait
 * for its reply before the next step (it collects it before that client's next command or
 * at the end of the sequence).
 */
export interface Step {
  c: number;
  argv: Arg[];
  bg?: boolean;
}

export type Argv = fc.Arbitrary<Arg[]>;

/** Resolves time arguments against `nowMs`; plain strings pass through. */
export function resolveArgv(argv: readonly Arg[], nowMs: number): string[] {
  const out: string[] = [];
  for (const a of argv) {
    if (typeof a === 'string') out.push(a);
    else if ('dur' in a) out.push(String(a.v));
    else out.push(a.at === 's' ? String(Math.floor(nowMs / 1000) + a.d) : String(nowMs + a.d));
  }
  return out;
}

/** How a step is shown in reproducers before resolution. */
export function showArg(a: Arg): string {
  if (typeof a === 'string') return a;
  if ('dur' in a) return String(a.v);
  return `<now${a.at === 's' ? 's' : 'ms'}${a.d >= 0 ? '+' : ''}${a.d}>`;
}

/** Step i's relative expiries become plain strings offset by i seconds (see DurArg). */
export function spreadDurations(steps: Step[]): Step[] {
  return steps.map((s, i) => {
    if (!s.argv.some((a) => typeof a !== 'string' && 'dur' in a)) return s;
    const off = i % 40;
    const argv = s.argv.map((a) => (typeof a !== 'string' && 'dur' in a ? String(a.v + (a.dur === 's' ? off : off * 1000)) : a));
    return { ...s, argv };
  });
}

// ---------------------------------------------------------------------------------------
// value pools

export const BIN_KEY = 'bin\x00\xff\r\n key';
export const KEYS = ['k0', 'k1', 'k2', 'k3', 'k4', BIN_KEY];

export const LLONG_MAX = '9223372036854775807';
export const LLONG_MIN = '-9223372036854775808';

const LONG_VALUE = 'x'.repeat(70); // past the default 64-byte listpack value limit
const BIN_VALUE = '\x00\x01\xff\r\n\t "\\';

/** Keys: mostly the first few so commands collide on the same keys and types. */
export const key: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('k0', 'k1', 'k2') },
  { weight: 2, arbitrary: fc.constantFrom('k3', 'k4') },
  { weight: 1, arbitrary: fc.constant(BIN_KEY) },
);

/** Element/field/value strings from the edges. */
export const value: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e') },
  { weight: 3, arbitrary: fc.constantFrom('0', '1', '-1', '10', '3.5', '007', ' 1', '1e3', '+5', '0x10') },
  { weight: 2, arbitrary: fc.constantFrom('', BIN_VALUE, 'hello world', LONG_VALUE, 'ü€') },
  { weight: 1, arbitrary: fc.constantFrom(LLONG_MAX, LLONG_MIN, '9223372036854775808', '-9223372036854775809', 'inf', '-inf', 'nan', '1.5e308') },
);

/** Members for sets/zsets/hash fields: a small pool so adds and removes meet. */
export const member: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f') },
  { weight: 3, arbitrary: fc.constantFrom('1', '2', '10', '-3', '100') },
  { weight: 1, arbitrary: fc.constantFrom('', BIN_VALUE, LONG_VALUE) },
);

/** Integer arguments: small ones, the 64-bit edges and things that are not integers. */
export const int: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '1', '2', '3', '5', '-1', '-2', '10', '100') },
  { weight: 2, arbitrary: fc.constantFrom(LLONG_MAX, LLONG_MIN, '9223372036854775808', '-9223372036854775809', '4611686018427387904') },
  { weight: 1, arbitrary: fc.constantFrom('', 'abc', '1.5', ' 1', '+1', '01', '-0', '1e2', '0x1') },
);

/** Small integers suitable as counts and indexes. */
export const index: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('0', '1', '2', '-1', '-2', '3', '-3') },
  { weight: 2, arbitrary: fc.constantFrom('100', '-100', LLONG_MAX, LLONG_MIN) },
  { weight: 1, arbitrary: fc.constantFrom('x', '', '1.0') },
);

/** Counts for commands that return up to `count` items; never a huge positive count. */
export const count: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('0', '1', '2', '3', '5', '100') },
  { weight: 2, arbitrary: fc.constantFrom('-1', '-5', LLONG_MIN, LLONG_MAX) },
  { weight: 1, arbitrary: fc.constantFrom('x', '', '1.5') },
);

/** Floats: plain, signed, infinities, nan, overflowing and garbage. */
export const float: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '1', '1.5', '-2.5', '3', '10', '0.1', '-0.1', '2') },
  { weight: 2, arbitrary: fc.constantFrom('inf', '-inf', '+inf', 'nan', '1e308', '1e309', '-0', '5e-324', '1.7976931348623157e308') },
  { weight: 1, arbitrary: fc.constantFrom('', 'abc', '1.5x', ' 1', '0x10', '1e', LLONG_MAX) },
);

/** Score range bounds: inclusive, exclusive, infinite and malformed. */
export const scoreBound: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '1', '2', '3', '-1', '(1', '(2', '(0', '1.5', '(1.5') },
  { weight: 3, arbitrary: fc.constantFrom('-inf', '+inf', 'inf', '(-inf', '(+inf', '(inf') },
  { weight: 1, arbitrary: fc.constantFrom('(', 'x', '', 'nan', '((1', '[1') },
);

/** Lex range bounds. */
export const lexBound: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('-', '+', '[a', '(a', '[b', '(c', '[d', '(e', '[') },
  { weight: 1, arbitrary: fc.constantFrom('a', '', '(', '+a', '-a', '[\x00', '[\xff') },
);

/**
 * Relative expiry durations: past ones delete at once, future ones outlive the run. The
 * future values (and the absolute ones below) are all at least 50 s apart from each other
 * in every unit, so with the per-step spread no two expiries ever tie (see DurArg).
 */
export const durationS: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Arg>({ dur: 's', v: 100 }, { dur: 's', v: 1000 }, { dur: 's', v: 100000 }) },
  { weight: 2, arbitrary: fc.constantFrom<Arg>('0', '-1', '-100') },
  { weight: 2, arbitrary: fc.constantFrom<Arg>(LLONG_MAX, LLONG_MIN, '9223372036854775', '9223372036854776', '', 'abc', '1.5') },
);
export const durationMs: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom<Arg>({ dur: 'ms', v: 250000 }, { dur: 'ms', v: 2500000 }, { dur: 'ms', v: 250000000 }) },
  { weight: 2, arbitrary: fc.constantFrom<Arg>('0', '-1', '-100000') },
  { weight: 2, arbitrary: fc.constantFrom<Arg>(LLONG_MAX, LLONG_MIN, '9223372036854775', '', 'abc', '1.5') },
);
/** Absolute unix times (seconds / ms): relative to now, fixed past, fixed far future, bad. */
export const unixS: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom<Arg>({ at: 's', d: 5000 }, { at: 's', d: 500000 }, { at: 's', d: -1000 }) },
  { weight: 2, arbitrary: fc.constantFrom<Arg>('1', '0', '4102444800') },
  { weight: 1, arbitrary: fc.constantFrom<Arg>('-1', LLONG_MAX, '9223372036854775', 'abc') },
);
export const unixMs: fc.Arbitrary<Arg> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom<Arg>({ at: 'ms', d: 7000000 }, { at: 'ms', d: 700000000 }, { at: 'ms', d: -1000000 }) },
  { weight: 2, arbitrary: fc.constantFrom<Arg>('1', '0', '4102444800000') },
  { weight: 1, arbitrary: fc.constantFrom<Arg>('-1', LLONG_MAX, 'abc') },
);

/** Glob patterns for KEYS/SCAN MATCH. */
export const pattern: fc.Arbitrary<string> = fc.constantFrom('*', 'k*', 'k[0-2]', 'k?', '*\\**', 'nomatch', '[a-', 'b*', '*e*', '\\*', '');

/** Timeouts for blocking commands: short enough to never stall a run. */
export const blockTimeout: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0.01', '0.02') },
  { weight: 1, arbitrary: fc.constantFrom('-1', 'abc', '', 'inf', '1e400', LLONG_MAX) },
);

/** Things that are not options, for unknown-option and wrong-arity mutations. */
const junk = fc.constantFrom('FOO', '', 'x', '-1', 'k0', 'NX', 'COUNT', '\x00');

// ---------------------------------------------------------------------------------------
// combinators

const none: Arg[] = [];

export function lit(...xs: Arg[]): Argv {
  return fc.constant(xs);
}

/** A single argument drawn from a pool. */
export function one(a: fc.Arbitrary<Arg>): Argv {
  return a.map((x) => [x]);
}

/** Concatenation of parts. */
export function seq(...parts: Argv[]): Argv {
  return fc.tuple(...parts).map((xs) => ([] as Arg[]).concat(...xs));
}

/** A command: its name, then its parts. */
export function cmd(name: string, ...parts: Argv[]): Argv {
  return parts.length === 0 ? fc.constant([name]) : seq(lit(name), ...parts);
}

/** Present or absent (absent shrinks first). */
export function opt(part: Argv, freq = 2): Argv {
  return fc.option(part, { nil: none, freq });
}

/** 1..max repetitions of a part. */
export function many(part: Argv, min = 1, max = 4): Argv {
  return fc.array(part, { minLength: min, maxLength: max }).map((xs) => ([] as Arg[]).concat(...xs));
}

/** Any subset of the options, in any order (order matters to some parsers). */
export function options(...parts: Argv[]): Argv {
  const idx = parts.map((_, i) => i);
  return fc.tuple(fc.shuffledSubarray(idx), fc.tuple(...parts)).map(([order, vals]) => ([] as Arg[]).concat(...order.map((i) => vals[i]!)));
}

/** Exactly one of several alternatives. */
export function alt(...parts: Argv[]): Argv {
  return fc.oneof(...parts);
}

/** Weighted alternatives. */
export function weighted(...parts: Array<[number, Argv]>): Argv {
  return fc.oneof(...parts.map(([weight, arbitrary]) => ({ weight, arbitrary })));
}

/** A word in random letter case, so option parsing is exercised case-insensitively. */
export function word(w: string): Argv {
  return fc.constantFrom(w, w.toLowerCase(), w[0] + w.slice(1).toLowerCase()).map((x) => [x]);
}

/**
 * Wraps a well-formed command so a fraction of draws are broken: last argument dropped
 * (wrong arity), a junk token appended or inserted (unknown option / syntax), an argument
 * replaced by junk, or the command name in lower case.
 */
export function mangle(valid: Argv, brokenWeight = 1, validWeight = 8): Argv {
  const broken = fc.tuple(valid, fc.nat(), junk, fc.constantFrom('drop', 'append', 'insert', 'replace', 'lower', 'dropall')).map(([argv, n, j, mode]) => {
    const out = argv.slice();
    switch (mode) {
      case 'drop':
        if (out.length > 1) out.pop();
        break;
      case 'dropall':
        out.length = 1;
        break;
      case 'append':
        out.push(j);
        break;
      case 'insert':
        out.splice(1 + (n % Math.max(1, out.length - 1)), 0, j);
        break;
      case 'replace':
        if (out.length > 1) out[1 + (n % (out.length - 1))] = j;
        break;
      case 'lower':
        if (typeof out[0] === 'string') out[0] = out[0].toLowerCase();
        break;
    }
    return out;
  });
  return fc.oneof({ weight: validWeight, arbitrary: valid }, { weight: brokenWeight, arbitrary: broken });
}

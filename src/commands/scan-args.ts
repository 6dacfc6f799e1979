/**
 * Argument parsing shared by SCAN, HSCAN, SSCAN and ZSCAN.
 *
 * Redis parses the cursor first (strtoul rules: optional sign, decimal digits, no leading
 * space; "" reads as 0; "-1" wraps to 2^64-1), then, for the key variants, looks the key
 * up, and only then parses the options. Handlers keep that order by calling
 * parseScanCursor and parseScanArgs separately.
 * Imports: protocol/reply, commands/errors, util.
 */
import { ErrorReply } from '../protocol/reply.js';
import * as E from './errors.js';
import { parseInteger } from '../util/numbers.js';
import { globMatch } from '../util/glob.js';

export const INVALID_CURSOR = new ErrorReply('ERR invalid cursor');

const ULONG_MAX = 2n ** 64n - 1n;

/**
 * The cursor as a JS number (values past 2^53 lose precision, harmless for the position
 * based cursors used here), or null for "ERR invalid cursor".
 */
export function parseScanCursor(s: string): number | null {
  // strtoul reads a C string: a NUL byte ends the cursor ("\x00" reads as "", i.e. 0).
  const nul = s.indexOf('\0');
  if (nul >= 0) s = s.slice(0, nul);
  const n = s.length;
  if (n === 0) return 0;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 /* + */ || c0 === 45 /* - */) {
    neg = c0 === 45;
    i = 1;
  }
  if (i === n) return null;
  for (let k = i; k < n; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return null;
  }
  if (n - i <= 15) {
    const v = +s.slice(i);
    if (!neg || v === 0) return v;
    return Number(ULONG_MAX + 1n - BigInt(v));
  }
  const b = BigInt(s.slice(i));
  if (b > ULONG_MAX) return null;
  return Number(neg && b !== 0n ? ULONG_MAX + 1n - b : b);
}

export interface ScanArgs {
  count: number;
  /** null when absent or "*" (matches everything). */
  pattern: string | null;
  /** SCAN's TYPE filter (lower-cased compare is the caller's job); null when absent. */
  type: string | null;
}

/**
 * Parses [MATCH pattern] [COUNT count] (and [TYPE type] when allowType) starting at
 * argv[start]. Returns the options or the error reply Redis gives.
 */
export function parseScanArgs(argv: readonly string[], start: number, allowType: boolean): ScanArgs | ErrorReply {
  const out: ScanArgs = { count: 10, pattern: null, type: null };
  for (let i = start; i < argv.length; i += 2) {
    const opt = argv[i]!.toLowerCase();
    const hasArg = i + 1 < argv.length;
    if (opt === 'count' && hasArg) {
      const c = parseInteger(argv[i + 1]!);
      if (c === null) return E.NOT_INTEGER;
      if (c < 1) return E.SYNTAX;
      out.count = c;
    } else if (opt === 'match' && hasArg) {
      const p = argv[i + 1]!;
      out.pattern = p === '*' ? null : p;
    } else if (opt === 'type' && allowType && hasArg) {
      out.type = argv[i + 1]!;
    } else {
      return E.SYNTAX;
    }
  }
  return out;
}

/** Keeps the elements of a flat list that match; `stride` 2 keeps value after key. */
export function filterScanResults(items: string[], pattern: string | null, stride: 1 | 2): string[] {
  if (pattern === null) return items;
  const out: string[] = [];
  for (let i = 0; i < items.length; i += stride) {
    if (!globMatch(pattern, items[i]!, false)) continue;
    out.push(items[i]!);
    if (stride === 2) out.push(items[i + 1]!);
  }
  return out;
}

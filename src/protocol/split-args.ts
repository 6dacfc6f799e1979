/**
 * Redis's sdssplitargs: splits a line into arguments with its quoting rules.
 * Used by inline commands, config files and CONFIG REWRITE round-trips.
 * Works on latin1 strings (one char per byte). Returns null on unbalanced quotes.
 * Imports nothing from src.
 */

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  const n = line.length;
  let i = 0;
  for (;;) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) return out;
    let inDq = false;
    let inSq = false;
    let cur = '';
    let done = false;
    while (!done) {
      if (inDq) {
        if (i >= n) return null;
        const c = line.charCodeAt(i);
        if (c === 92 /* \ */ && i + 3 < n && line.charCodeAt(i + 1) === 120 /* x */ &&
            hexVal(line.charCodeAt(i + 2)) >= 0 && hexVal(line.charCodeAt(i + 3)) >= 0) {
          cur += String.fromCharCode(hexVal(line.charCodeAt(i + 2)) * 16 + hexVal(line.charCodeAt(i + 3)));
          i += 3;
        } else if (c === 92 && i + 1 < n) {
          i++;
          const e = line[i];
          cur += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === 'b' ? '\b' : e === 'a' ? '\x07' : e;
        } else if (c === 34 /* " */) {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += line[i];
        }
      } else if (inSq) {
        if (i >= n) return null;
        const c = line.charCodeAt(i);
        if (c === 92 && i + 1 < n && line.charCodeAt(i + 1) === 39 /* ' */) {
          i++;
          cur += "'";
        } else if (c === 39) {
          if (i + 1 < n && !isSpace(line.charCodeAt(i + 1))) return null;
          done = true;
        } else {
          cur += line[i];
        }
      } else {
        if (i >= n) { done = true; break; }
        const c = line.charCodeAt(i);
        if (isSpace(c)) done = true;
        else if (c === 34) inDq = true;
        else if (c === 39) inSq = true;
        else cur += line[i];
      }
      if (i < n) i++;
    }
    out.push(cur);
  }
}

/** Quotes a string so splitArgs reads it back unchanged (sdscatrepr's rules). */
export function quoteArg(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '\\' || ch === '"') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (c < 32 || c >= 127) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

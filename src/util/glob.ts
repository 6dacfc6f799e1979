/**
 * Glob matching with the exact rules of Redis 7.0's stringmatchlen (KEYS, SCAN MATCH,
 * PSUBSCRIBE, CONFIG GET, ACL key/channel patterns).
 *
 * Invariants: `*`, `?`, `[...]` (ranges, `^` negation, `\` escapes inside), `\x` escapes
 * outside brackets. Strings are latin1 (one char per byte); bytes >= 128 compare as
 * signed C chars in bracket ranges, because that is what Redis does on x86/ARM Linux.
 * Case folding (nocase) only folds ASCII A-Z, like tolower() in the C locale.
 *
 * Redis recurses once per `*` and stops all retries once an inner `*` has exhausted the
 * subject (its skipLongerMatches flag), so a failed match is O(pattern * subject). The
 * code below is the iterative equivalent: it keeps only the innermost star as the
 * backtracking point, so pathological patterns neither hang nor overflow the JS stack.
 * Imports nothing from src.
 */

/** Char code at i, or 0 (C's NUL terminator) past the end. */
function at(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : 0;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** A byte as a signed C char. */
function signed(c: number): number {
  return c >= 128 && c < 256 ? c - 256 : c;
}

export function globMatch(pattern: string, s: string, nocase = false): boolean {
  const plen = pattern.length;
  const slen = s.length;
  let p = 0;
  let i = 0;
  // Innermost star: pattern index just after it, and the subject index it was last tried at.
  let starP = -1;
  let starI = 0;

  for (;;) {
    let failed = false;
    while (p < plen && i < slen) {
      const pc = pattern.charCodeAt(p);
      if (pc === 42 /* * */) {
        while (p + 1 < plen && pattern.charCodeAt(p + 1) === 42) p++;
        if (p === plen - 1) return true;
        starP = p + 1;
        starI = i;
        p = starP;
        continue;
      } else if (pc === 63 /* ? */) {
        i++;
      } else if (pc === 91 /* [ */) {
        p++;
        const not = at(pattern, p) === 94; /* ^ */
        if (not) p++;
        let match = false;
        const sc = s.charCodeAt(i);
        for (;;) {
          const c = at(pattern, p);
          const left = plen - p;
          if (c === 92 /* \ */ && left >= 2) {
            p++;
            if (pattern.charCodeAt(p) === sc) match = true;
          } else if (c === 93 /* ] */ && left > 0) {
            break;
          } else if (left <= 0) {
            // Unterminated class: Redis steps back so the outer advance lands on the end.
            p--;
            break;
          } else if (left >= 3 && pattern.charCodeAt(p + 1) === 45 /* - */) {
            let start = signed(c);
            let end = signed(pattern.charCodeAt(p + 2));
            let x = signed(sc);
            if (start > end) { const t = start; start = end; end = t; }
            if (nocase) { start = lower(start); end = lower(end); x = lower(x); }
            p += 2;
            if (x >= start && x <= end) match = true;
          } else if (nocase ? lower(c) === lower(sc) : c === sc) {
            match = true;
          }
          p++;
        }
        if (not) match = !match;
        if (!match) { failed = true; break; }
        i++;
      } else {
        let c = pc;
        if (pc === 92 /* \ */ && plen - p >= 2) {
          p++;
          c = pattern.charCodeAt(p);
        }
        const sc = s.charCodeAt(i);
        if (nocase ? lower(c) !== lower(sc) : c !== sc) { failed = true; break; }
        i++;
      }
      p++;
      if (i === slen) {
        while (p < plen && pattern.charCodeAt(p) === 42) p++;
        break;
      }
    }
    if (!failed && p >= plen && i === slen) return true;
    // Retry the innermost star one character further; once it runs out, nothing can match.
    if (starP < 0) return false;
    starI++;
    if (starI >= slen) return false;
    p = starP;
    i = starI;
  }
}

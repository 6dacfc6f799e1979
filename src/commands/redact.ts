/**
 * Which arguments of a command line are secrets: the slowlog and MONITOR show them as
 * "(redacted)", as Redis 7.0 does (AUTH passwords, HELLO AUTH credentials, CONFIG SET of
 * sensitive directives such as requirepass and masterauth, MIGRATE AUTH/AUTH2, every
 * argument of ACL SETUSER).
 *
 * Redis redacts from inside each handler, as far as the handler got before failing; the
 * rules here follow the same points: AUTH with too many arguments and HELLO with a bad
 * protocol version fail before anything is redacted.
 * Invariant: returns the argv itself when nothing is redacted (no copy on the hot path).
 * Imports: commands (types), util.
 */
import type { CommandSpec } from './spec.js';
import { parseInteger } from '../util/numbers.js';

export const REDACTED = '(redacted)';

/**
 * Commands whose handlers redact something; everything else is shown as sent. MIGRATE
 * and ACL SETUSER are covered ahead of those commands existing, so the rules live in one place.
 */
const REDACTING = new Set(['auth', 'hello', 'config|set', 'migrate', 'acl|setuser']);

/**
 * The argv as the slowlog and MONITOR show it. `isSensitive` tells the CONFIG SET
 * directives whose values are secret (any alias, any case).
 */
export function shownArgv(spec: CommandSpec, argv: readonly string[], isSensitive: (directive: string) => boolean): readonly string[] {
  if (!REDACTING.has(spec.fullName)) return argv;
  const out = argv.slice();
  let changed = false;
  const redact = (i: number) => {
    if (i < out.length) {
      out[i] = REDACTED;
      changed = true;
    }
  };
  switch (spec.fullName) {
    case 'auth':
      // AUTH password | AUTH username password; more arguments are a syntax error.
      if (argv.length <= 3) {
        redact(1);
        if (argv.length === 3) redact(2);
      }
      break;
    case 'hello': {
      let j = 1;
      if (argv.length >= 2) {
        const ver = parseInteger(argv[1]!);
        if (ver !== 2 && ver !== 3) break;
        j = 2;
      }
      for (; j < argv.length; j++) {
        const more = argv.length - 1 - j;
        const opt = argv[j]!.toLowerCase();
        if (opt === 'auth' && more >= 2) {
          redact(j + 1);
          redact(j + 2);
          j += 2;
        } else if (opt === 'setname' && more >= 1) {
          j++;
        } else {
          break;
        }
      }
      break;
    }
    case 'config|set':
      // Every pair is checked, even after a bad one, so no secret leaks through an error.
      if (argv.length % 2 === 0) {
        for (let i = 2; i + 1 < argv.length; i += 2) if (isSensitive(argv[i]!)) redact(i + 1);
      }
      break;
    case 'migrate':
      // Options start after "host port key db timeout"; KEYS ends them.
      for (let j = 6; j < argv.length; j++) {
        const more = argv.length - 1 - j;
        const opt = argv[j]!.toLowerCase();
        if (opt === 'copy' || opt === 'replace') continue;
        if (opt === 'auth' && more >= 1) redact(++j);
        else if (opt === 'auth2' && more >= 2) { redact(++j); redact(++j); }
        else break;
      }
      break;
    case 'acl|setuser':
      for (let i = 2; i < argv.length; i++) redact(i);
      break;
  }
  return changed ? out : argv;
}

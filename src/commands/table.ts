/**
 * The single command table: every family's definitions compiled into CommandSpecs.
 * COMMAND, the dispatcher's gates, WATCH, ACL and cluster routing all read this.
 * To add a family: export a `CommandDef[]` from its module and list it in FAMILIES.
 * Imports: every commands/ family module.
 */
import { compile, type CommandDef, type CommandSpec } from './spec.js';
import { connectionCommands } from './connection.js';
import { serverCommands } from './server.js';
import { introspectionCommands } from './introspection.js';
import { transactionCommands } from './transactions.js';
import { stringCommands } from './strings.js';
import { keyCommands } from './keys.js';
import { expireCommands } from './expire.js';
import { listCommands } from './lists.js';
import { hashCommands } from './hashes.js';
import { setCommands } from './sets.js';
import { zsetCommands } from './zsets.js';
import { pubsubCommands } from './pubsub.js';
import { blockingCommands } from './blocking.js';
import { sortCommands } from './sort.js';
import { functionCommands } from './functions.js';
import { dumpCommands } from './dump.js';
// families: add imports above this line

const FAMILIES: CommandDef[][] = [
  connectionCommands,
  serverCommands,
  introspectionCommands,
  transactionCommands,
  stringCommands,
  keyCommands,
  expireCommands,
  listCommands,
  hashCommands,
  setCommands,
  zsetCommands,
  pubsubCommands,
  blockingCommands,
  sortCommands,
  functionCommands,
  dumpCommands,
  // families: add entries above this line
];

/** Builds a fresh table. Called once per process; the result is immutable. */
export function buildCommandTable(): Map<string, CommandSpec> {
  const ids = { n: 0 };
  const table = new Map<string, CommandSpec>();
  for (const fam of FAMILIES) {
    for (const def of fam) {
      if (table.has(def.name)) throw new Error(`duplicate command ${def.name}`);
      table.set(def.name, compile(def, ids));
    }
  }
  return table;
}

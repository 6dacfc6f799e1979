/**
 * The pluggable middle of the gate chain: ACL, cluster routing, OOM, MISCONF and the
 * read-only replica check. Subsystems register a gate in their slot; the dispatcher
 * asks the chain once per command, after auth/no-multi and before the pub/sub context
 * and LOADING checks, so precedence is fixed here and not by registration order.
 * Imports: commands (types), protocol/reply.
 */
import type { CommandSpec } from '../commands/spec.js';
import type { ErrorReply } from '../protocol/reply.js';
import type { Session } from './session.js';

export type Gate = (s: Session, spec: CommandSpec, argv: readonly string[]) => ErrorReply | null;
export type GateSlot = 'acl' | 'cluster' | 'oom' | 'misconf' | 'readonly';
const ORDER: GateSlot[] = ['acl', 'cluster', 'oom', 'misconf', 'readonly'];

export class GateChain {
  private readonly slots = new Map<GateSlot, Gate[]>();
  private flat: Gate[] = [];

  add(slot: GateSlot, g: Gate): void {
    const list = this.slots.get(slot) ?? [];
    list.push(g);
    this.slots.set(slot, list);
    this.flat = ORDER.flatMap((s) => this.slots.get(s) ?? []);
  }

  check(s: Session, spec: CommandSpec, argv: readonly string[]): ErrorReply | null {
    const f = this.flat;
    for (let i = 0; i < f.length; i++) {
      const e = f[i]!(s, spec, argv);
      if (e !== null) return e;
    }
    return null;
  }
}

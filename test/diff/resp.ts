/**
 * Differential tester, wire layer: a raw RESP connection over `net`, a RESP2/RESP3 reply
 * parser producing a typed tree, and a redis-cli-like printer for reproducers.
 *
 * Invariants: every byte is kept as a latin1 JS char (binary-safe both ways); a reply is
 * parsed whole or not at all (an incomplete frame leaves the buffer untouched); replies
 * are delivered strictly in request order. Nothing here knows about Redis semantics.
 * Must not import from src/ (the tester treats both servers as black boxes).
 */
import net from 'node:net';

/** One reply as a typed tree; `null.v` records which null frame was sent ($-1, *-1 or _). */
export type Reply =
  | { t: 'bulk'; v: string }
  | { t: 'simple'; v: string }
  | { t: 'err'; v: string }
  | { t: 'bloberr'; v: string }
  | { t: 'int'; v: string }
  | { t: 'double'; v: string }
  | { t: 'bignum'; v: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null'; v: '$' | '*' | '_' }
  | { t: 'verbatim'; v: string }
  | { t: 'array'; v: Reply[] }
  | { t: 'set'; v: Reply[] }
  | { t: 'push'; v: Reply[] }
  | { t: 'map'; v: Array<[Reply, Reply]> };

interface Parsed {
  r: Reply;
  next: number;
}

/** Parses one frame from b at off; undefined when the frame is not complete yet. */
export function parseReply(b: Buffer, off: number): Parsed | undefined {
  if (off >= b.length) return undefined;
  const nl = b.indexOf(13, off + 1);
  if (nl < 0 || nl + 1 >= b.length) return undefined;
  const type = b[off]!;
  const head = b.toString('latin1', off + 1, nl);
  const after = nl + 2;
  switch (type) {
    case 0x2b: return { r: { t: 'simple', v: head }, next: after }; // +
    case 0x2d: return { r: { t: 'err', v: head }, next: after }; // -
    case 0x3a: return { r: { t: 'int', v: head }, next: after }; // :
    case 0x2c: return { r: { t: 'double', v: head }, next: after }; // ,
    case 0x28: return { r: { t: 'bignum', v: head }, next: after }; // (
    case 0x5f: return { r: { t: 'null', v: '_' }, next: after }; // _
    case 0x23: return { r: { t: 'bool', v: head === 't' }, next: after }; // #
    case 0x24: case 0x21: case 0x3d: { // $ ! =
      const n = Number(head);
      if (n < 0) return { r: { t: 'null', v: '$' }, next: after };
      if (b.length < after + n + 2) return undefined;
      const s = b.toString('latin1', after, after + n);
      const r: Reply = type === 0x24 ? { t: 'bulk', v: s } : type === 0x21 ? { t: 'bloberr', v: s } : { t: 'verbatim', v: s };
      return { r, next: after + n + 2 };
    }
    case 0x2a: case 0x7e: case 0x3e: { // * ~ >
      const n = Number(head);
      if (n < 0) return { r: { t: 'null', v: '*' }, next: after };
      const items: Reply[] = [];
      let p = after;
      for (let i = 0; i < n; i++) {
        const e = parseReply(b, p);
        if (!e) return undefined;
        items.push(e.r);
        p = e.next;
      }
      const t = type === 0x2a ? 'array' : type === 0x7e ? 'set' : 'push';
      return { r: { t, v: items }, next: p };
    }
    case 0x25: { // %
      const n = Number(head);
      const pairs: Array<[Reply, Reply]> = [];
      let p = after;
      for (let i = 0; i < n; i++) {
        const k = parseReply(b, p);
        if (!k) return undefined;
        const v = parseReply(b, k.next);
        if (!v) return undefined;
        pairs.push([k.r, v.r]);
        p = v.next;
      }
      return { r: { t: 'map', v: pairs }, next: p };
    }
    case 0x7c: { // | attribute: skip the map, then the real reply follows
      const n = Number(head);
      let p = after;
      for (let i = 0; i < 2 * n; i++) {
        const e = parseReply(b, p);
        if (!e) return undefined;
        p = e.next;
      }
      return parseReply(b, p);
    }
    default:
      throw new Error(`protocol error: unexpected byte ${type} in ${JSON.stringify(b.toString('latin1', off, Math.min(b.length, off + 64)))}`);
  }
}

/** Encodes argv (latin1 strings) as a RESP multibulk. */
export function encodeCommand(argv: readonly string[]): Buffer {
  let len = 0;
  const heads: string[] = [];
  for (const a of argv) {
    const h = `$${a.length}\r\n`;
    heads.push(h);
    len += h.length + a.length + 2;
  }
  const top = `*${argv.length}\r\n`;
  const out = Buffer.allocUnsafe(top.length + len);
  let p = out.write(top, 0, 'latin1');
  for (let i = 0; i < argv.length; i++) {
    p += out.write(heads[i]!, p, 'latin1');
    p += out.write(argv[i]!, p, 'latin1');
    out[p++] = 13;
    out[p++] = 10;
  }
  return out;
}

interface Waiter {
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** A raw connection: `call` sends one command and resolves with its reply, in order. */
export class RespConn {
  private buf: Buffer = Buffer.alloc(0);
  private off = 0;
  private readonly waiters: Waiter[] = [];
  /** Frames that arrived with nobody waiting (push messages); kept for diagnostics. */
  readonly unsolicited: Reply[] = [];
  private dead: Error | null = null;

  private constructor(private readonly sock: net.Socket, readonly timeoutMs: number) {
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => this.onData(d));
    sock.on('close', () => this.fail(new Error('connection closed by server')));
    sock.on('error', (e) => this.fail(e));
  }

  static open(port: number, timeoutMs = 5000, host = '127.0.0.1'): Promise<RespConn> {
    return new Promise((resolve, reject) => {
      const sock = net.connect(port, host);
      sock.once('connect', () => {
        sock.removeListener('error', reject);
        resolve(new RespConn(sock, timeoutMs));
      });
      sock.once('error', reject);
    });
  }

  private onData(d: Buffer): void {
    this.buf = this.off >= this.buf.length ? d : Buffer.concat([this.buf.subarray(this.off), d]);
    this.off = 0;
    for (;;) {
      let p: Parsed | undefined;
      try {
        p = parseReply(this.buf, this.off);
      } catch (e) {
        this.fail(e as Error);
        this.sock.destroy();
        return;
      }
      if (!p) return;
      this.off = p.next;
      if (p.r.t === 'push') {
        this.unsolicited.push(p.r);
        continue;
      }
      const w = this.waiters.shift();
      if (!w) {
        this.unsolicited.push(p.r);
        continue;
      }
      clearTimeout(w.timer);
      w.resolve(p.r);
    }
  }

  private fail(e: Error): void {
    if (!this.dead) this.dead = e;
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(e);
    }
  }

  call(argv: readonly string[]): Promise<Reply> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const e = new Error(`no reply within ${this.timeoutMs}ms to ${formatArgv(argv)}`);
        this.fail(e);
        this.sock.destroy();
      }, this.timeoutMs);
      this.waiters.push({ resolve, reject, timer });
      this.sock.write(encodeCommand(argv));
    });
  }

  close(): void {
    this.dead ??= new Error('closed');
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(this.dead);
    }
    this.sock.destroy();
  }
}

/** One argument quoted the way redis-cli accepts it on its command line. */
export function quoteArg(a: string): string {
  if (a.length > 0 && /^[\x21-\x7e]+$/.test(a) && !/["'\\]/.test(a)) return a;
  let s = '"';
  for (let i = 0; i < a.length; i++) {
    const c = a.charCodeAt(i);
    const ch = a[i]!;
    if (ch === '"' || ch === '\\') s += '\\' + ch;
    else if (ch === '\n') s += '\\n';
    else if (ch === '\r') s += '\\r';
    else if (ch === '\t') s += '\\t';
    else if (c < 0x20 || c > 0x7e) s += '\\x' + c.toString(16).padStart(2, '0');
    else s += ch;
  }
  return s + '"';
}

export function formatArgv(argv: readonly string[]): string {
  const parts: string[] = [];
  let total = 0;
  for (const a of argv) {
    const q = quoteArg(a.length > 200 ? a.slice(0, 200) : a) + (a.length > 200 ? `…(${a.length} bytes)` : '');
    parts.push(q);
    total += q.length;
    if (total > 2000) {
      parts.push(`…(${argv.length} args)`);
      break;
    }
  }
  return parts.join(' ');
}

/** Text with control and non-ASCII bytes shown as \xNN escapes (unquoted). */
function printable(s: string): string {
  return /^[\x20-\x7e]*$/.test(s) ? s : quoteArg(s).slice(1, -1);
}

/** Renders a reply like redis-cli does, with the frame type spelled out where it differs. */
export function formatReply(r: Reply, indent = ''): string {
  switch (r.t) {
    case 'bulk': return quoteArg(r.v).startsWith('"') ? quoteArg(r.v) : `"${r.v}"`;
    case 'simple': return printable(r.v);
    case 'err': return `(error) ${printable(r.v)}`;
    case 'bloberr': return `(blob error) ${printable(r.v)}`;
    case 'int': return `(integer) ${r.v}`;
    case 'double': return `(double) ${r.v}`;
    case 'bignum': return `(big number) ${r.v}`;
    case 'bool': return `(${r.v ? 'true' : 'false'})`;
    case 'null': return r.v === '*' ? '(nil array)' : r.v === '_' ? '(null)' : '(nil)';
    case 'verbatim': return `(verbatim) ${quoteArg(r.v)}`;
    case 'array': case 'set': case 'push': {
      if (r.v.length === 0) return r.t === 'array' ? '(empty array)' : `(empty ${r.t})`;
      const tag = r.t === 'array' ? '' : `(${r.t}) `;
      const w = String(r.v.length).length;
      return tag + r.v.map((e, i) => (i === 0 ? '' : indent + (tag ? ' '.repeat(tag.length) : '')) + `${String(i + 1).padStart(w)}) ` + formatReply(e, indent + (tag ? ' '.repeat(tag.length) : '') + ' '.repeat(w + 2))).join('\n');
    }
    case 'map': {
      if (r.v.length === 0) return '(empty map)';
      const w = String(r.v.length).length;
      return '(map) ' + r.v.map(([k, v], i) => (i === 0 ? '' : indent + '      ') + `${String(i + 1).padStart(w)}# ${formatReply(k)} => ${formatReply(v, indent + '      ' + ' '.repeat(w + 2))}`).join('\n');
    }
  }
}

/** A canonical one-line key for a reply, used for sorting and set membership. */
export function replyKey(r: Reply): string {
  switch (r.t) {
    case 'array': case 'set': case 'push': return `${r.t}[${r.v.map(replyKey).join(',')}]`;
    case 'map': return `map{${r.v.map(([k, v]) => replyKey(k) + '=>' + replyKey(v)).join(',')}}`;
    default: return `${r.t}:${JSON.stringify(r.v)}`;
  }
}

export function replyEqual(a: Reply, b: Reply): boolean {
  if (a.t !== b.t) return false;
  switch (a.t) {
    case 'array': case 'set': case 'push': {
      const bv = (b as typeof a).v;
      if (a.v.length !== bv.length) return false;
      for (let i = 0; i < a.v.length; i++) if (!replyEqual(a.v[i]!, bv[i]!)) return false;
      return true;
    }
    case 'map': {
      const bv = (b as typeof a).v;
      if (a.v.length !== bv.length) return false;
      for (let i = 0; i < a.v.length; i++) {
        if (!replyEqual(a.v[i]![0], bv[i]![0]) || !replyEqual(a.v[i]![1], bv[i]![1])) return false;
      }
      return true;
    }
    default:
      return a.v === (b as typeof a).v;
  }
}

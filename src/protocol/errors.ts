/**
 * Protocol-level errors: the request reader throws these, the connection replies with
 * "-ERR Protocol error: ..." and then closes. Imports nothing from src.
 */
export class ProtocolError extends Error {
  constructor(readonly reason: string) {
    super(`Protocol error: ${reason}`);
  }
}

/** The query buffer outgrew client-query-buffer-limit: Redis closes without a reply. */
export class QueryBufferLimitError extends Error {
  constructor(readonly size: number) {
    super('query buffer limit reached');
  }
}

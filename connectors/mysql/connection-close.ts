/**
 * Closes a mysql2 connection at once. mysql2's `destroy()` only half-closes the socket (it calls
 * `stream.end()`): a server that does not read from the connection — a binlog dump waiting for
 * events, a SELECT streaming rows — never answers the FIN, so the socket stays open and keeps the
 * worker process alive after a stop. Destroying the socket itself closes it now.
 */
interface ClosableConnection {
  destroy(): void;
  stream?: { destroy?: (err?: Error) => void };
  connection?: { stream?: { destroy?: (err?: Error) => void } };
}

export function destroyConnection(conn: unknown): void {
  if (!conn) return;
  const c = conn as ClosableConnection;
  try {
    c.destroy();
  } catch {
    // already closed
  }
  // mysql2/promise wraps the callback connection in `.connection`.
  const socket = c.stream ?? c.connection?.stream;
  socket?.destroy?.();
}

/**
 * One table of the snapshot read through `COPY (SELECT …) TO STDOUT` on the snapshot transaction's
 * connection (so inside its exported snapshot), streamed: at most about `maxPendingRows` received
 * rows wait to be read — beyond that the stream is paused and TCP holds the server back, as the
 * cursor's FETCH of `snapshot.fetch.size` rows did.
 */
import net from 'node:net';
import type pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { CopyTextRows } from './copy-text-rows.ts';

type CopyStream = ReturnType<typeof copyStreams.to>;
const CANCEL_WAIT_MS = 30_000;

export class CopyTableReader {
  private readonly rows = new CopyTextRows();
  private readonly stream: CopyStream;
  private ended = false;
  private error: Error | null = null;
  private paused = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly client: pg.Client,
    query: string,
    private readonly maxPendingRows: number,
    /** Called with the number of rows each network chunk completed (snapshot progress). */
    onRows: (n: number) => void,
  ) {
    this.stream = client.query(copyStreams.to(query));
    this.stream.on('data', (chunk: Buffer) => {
      const n = this.rows.push(chunk);
      if (n > 0) onRows(n);
      if (this.rows.pending >= this.maxPendingRows && !this.paused) {
        this.paused = true;
        this.stream.pause();
      }
      this.notify();
    });
    this.stream.on('end', () => {
      this.ended = true;
      this.notify();
    });
    this.stream.on('error', (err: Error) => {
      this.error = err;
      this.ended = true;
      this.notify();
    });
  }

  /** Rows received and not yet read. */
  get pendingRows(): number {
    return this.rows.pending;
  }

  /** True once the COPY finished and every row was read; throws the COPY's error, if any. */
  get done(): boolean {
    if (this.error) throw this.error;
    if (this.ended && this.rows.pending === 0 && this.rows.partialRowBytes > 0)
      throw new Error(`COPY output ended inside a row (${this.rows.partialRowBytes} bytes after the last newline)`);
    return this.ended && this.rows.pending === 0;
  }

  /** Fills `row` with the next row's field texts; false when none is queued right now (see `more`). */
  next(row: Array<string | null>, columns: number): boolean {
    if (!this.rows.next(row, columns)) return false;
    if (this.paused && this.rows.pending <= this.maxPendingRows >> 1) {
      this.paused = false;
      this.stream.resume();
    }
    return true;
  }

  /** Resolves once a row is queued or the COPY ended (successfully or not). */
  more(): Promise<void> {
    if (this.rows.pending > 0 || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /**
   * Stops a COPY still running (task stop): a CancelRequest on a new socket, then the rest of the
   * stream discarded until the server's error ends it, so the connection can run ROLLBACK next.
   */
  async cancel(): Promise<void> {
    if (this.ended) return;
    const finished = new Promise<void>((resolve) => {
      this.stream.once('end', resolve);
      this.stream.once('error', () => resolve());
    });
    await sendCancelRequest(this.client).catch(() => undefined);
    this.stream.removeAllListeners('data');
    this.stream.on('data', () => undefined);
    this.stream.resume();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), CANCEL_WAIT_MS))),
    ]);
    clearTimeout(timer);
    // The server ignored the cancel (or it never arrived): close the connection rather than wait for the whole table.
    if (gaveUp) (this.client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** PostgreSQL's CancelRequest (protocol 3.0: length 16, code 80877102, backend pid, secret key), as libpq's PQcancel. */
function sendCancelRequest(client: pg.Client): Promise<void> {
  const c = client as unknown as { host: string; port: number; processID: number; secretKey: number };
  const msg = Buffer.alloc(16);
  msg.writeInt32BE(16, 0);
  msg.writeInt32BE(80877102, 4);
  msg.writeInt32BE(c.processID, 8);
  msg.writeInt32BE(c.secretKey, 12);
  return new Promise((resolve, reject) => {
    const socket = c.host.startsWith('/') ? net.connect(`${c.host}/.s.PGSQL.${c.port}`) : net.connect(c.port, c.host);
    socket.setTimeout(10_000, () => socket.destroy(new Error('CancelRequest timed out')));
    socket.once('connect', () => socket.end(msg));
    socket.once('close', () => resolve());
    socket.once('error', reject);
  });
}

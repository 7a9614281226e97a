/**
 * A replication connection (`replication=database`) over pg: replication commands through the
 * simple-query protocol, and the CopyBoth stream of START_REPLICATION through pg-copy-streams'
 * duplex (one CopyData payload per object, backpressured), decoded with protocol/.
 */
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { Duplex } from 'node:stream';
import { connectPgClient, quoteIdent } from './connection.ts';
import type { PostgresConnectorSettings } from './config.ts';
import { parseLsn, formatLsn, type Lsn } from './protocol/lsn.ts';
import {
  parseReplicationFrame,
  serializeStandbyStatusUpdate,
  type ReplicationFrame,
} from './protocol/replication-frames.ts';

export interface CreatedSlot {
  slotName: string;
  consistentPoint: Lsn;
  snapshotName: string | null;
}

export class ReplicationConnection {
  private constructor(private readonly client: pg.Client) {}

  static async open(s: PostgresConnectorSettings): Promise<ReplicationConnection> {
    // Errors of an open connection surface through the stream or the next command.
    return new ReplicationConnection(await connectPgClient(s, true));
  }

  async identifySystem(): Promise<{ systemId: string; timeline: number; xlogpos: Lsn; dbname: string }> {
    const r = await this.client.query<{ systemid: string; timeline: string; xlogpos: string; dbname: string }>(
      'IDENTIFY_SYSTEM',
    );
    const row = r.rows[0];
    return {
      systemId: row.systemid,
      timeline: Number(row.timeline),
      xlogpos: parseLsn(row.xlogpos),
      dbname: row.dbname,
    };
  }

  /** Creates a pgoutput slot; with `exportSnapshot` the snapshot stays importable until the next command on this connection. */
  async createSlot(name: string, exportSnapshot: boolean): Promise<CreatedSlot> {
    const r = await this.client.query<{ slot_name: string; consistent_point: string; snapshot_name: string | null }>(
      `CREATE_REPLICATION_SLOT ${quoteIdent(name)} LOGICAL pgoutput ${exportSnapshot ? 'EXPORT_SNAPSHOT' : 'NOEXPORT_SNAPSHOT'}`,
    );
    const row = r.rows[0];
    return {
      slotName: row.slot_name,
      consistentPoint: parseLsn(row.consistent_point),
      snapshotName: row.snapshot_name,
    };
  }

  async dropSlot(name: string): Promise<void> {
    await this.client.query(`DROP_REPLICATION_SLOT ${quoteIdent(name)} WAIT`);
  }

  /** `messages`: ask pgoutput for logical decoding messages (PostgreSQL 14+); `readAhead`: frames buffered before the socket is paused. */
  startReplication(
    slot: string,
    start: Lsn,
    publication: string,
    messages: boolean,
    readAhead: number,
  ): ReplicationStream {
    const options = [`proto_version '1'`, `publication_names ${pgLiteral(quoteIdent(publication))}`];
    if (messages) options.push(`messages 'true'`);
    const sql = `START_REPLICATION SLOT ${quoteIdent(slot)} LOGICAL ${formatLsn(start)} (${options.join(', ')})`;
    const duplex = this.client.query(
      both(sql, { alignOnCopyDataFrame: true, readableObjectMode: true, readableHighWaterMark: readAhead }),
    ) as unknown as Duplex;
    return new ReplicationStream(duplex, start);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}

/** pg-copy-streams' CopyBoth query (its typings only declare to/from). */
const both = (copyStreams as unknown as { both(sql: string, options: object): pg.Submittable }).both;

function pgLiteral(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/** The CopyBoth stream: frames are read synchronously as they are buffered; status updates go back as CopyData. */
export class ReplicationStream {
  private error: Error | null = null;
  private ended = false;
  private lastReceived: Lsn;

  constructor(
    private readonly duplex: Duplex,
    start: Lsn,
  ) {
    this.lastReceived = start;
    duplex.on('error', (err: Error) => {
      this.error = err;
    });
    duplex.on('end', () => {
      this.ended = true;
    });
  }

  /** The next frame already received, or null; throws when the stream failed or ended. */
  read(): ReplicationFrame | null {
    const chunk = this.duplex.read() as Buffer | null;
    if (chunk === null) {
      if (this.error) throw this.error;
      if (this.ended) throw new Error('The replication stream ended');
      return null;
    }
    const frame = parseReplicationFrame(chunk);
    if (frame.type === 'xlogdata' && frame.startLsn > this.lastReceived) this.lastReceived = frame.startLsn;
    return frame;
  }

  /** Resolves when data may be readable, the stream fails, `ms` pass, or `signal` aborts. */
  waitReadable(ms: number, signal: AbortSignal): Promise<void> {
    if (this.duplex.readableLength > 0 || this.error || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.duplex.off('readable', done);
        this.duplex.off('error', done);
        this.duplex.off('end', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.duplex.on('readable', done);
      this.duplex.on('error', done);
      this.duplex.on('end', done);
      signal.addEventListener('abort', done);
    });
  }

  /** Standby status update: `flushed` is what the slot may release; never ahead of durable records. */
  sendStatus(flushed: Lsn, replyRequested = false): void {
    if (this.error || this.ended) return;
    const written = this.lastReceived > flushed ? this.lastReceived : flushed;
    this.duplex.write(
      serializeStandbyStatusUpdate({
        written,
        flushed,
        applied: flushed,
        clockUnixMicros: BigInt(Date.now()) * 1000n,
        replyRequested,
      }),
    );
  }

  /** Frames received and not yet read (the task's buffer: Debezium's queue), and how many it holds before the socket pauses. */
  get queue(): { capacity: number; buffered: number } {
    return { capacity: this.duplex.readableHighWaterMark, buffered: this.duplex.readableLength };
  }

  get failed(): Error | null {
    return this.error;
  }

  /** CopyDone, then wait (bounded) for the server to finish the COPY. */
  async end(timeoutMs = 5000): Promise<void> {
    if (this.error || this.ended) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.duplex.once('finish', () => {
        clearTimeout(timer);
        resolve();
      });
      this.duplex.once('error', () => {
        clearTimeout(timer);
        resolve();
      });
      this.duplex.resume();
      this.duplex.end();
    });
  }
}

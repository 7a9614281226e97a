/**
 * A replication client on top of mysql2: mysql2 does the handshake, authentication
 * (caching_sha2_password, TLS) and packet framing; this module sends our own replication commands
 * as mysql2 Commands and receives every binlog event as a raw buffer. Events are queued with a
 * high-water mark: the socket is paused while the consumer is behind (backpressure).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import mysql, { type Connection, type ConnectionOptions } from 'mysql2';
import { binlogDumpGtidPayload, binlogDumpPayload, DumpFlag, registerSlavePayload } from './commands.ts';
import type { MariadbGtidPosition, MysqlGtidSet } from './gtid.ts';
import { destroyConnection } from '../connection-close.ts';

const require = createRequire(import.meta.url);
const mysql2Dir = path.dirname(require.resolve('mysql2'));
const mysql2Require = createRequire(path.join(mysql2Dir, 'index.js'));
const MysqlCommand = mysql2Require(path.join(mysql2Dir, 'lib/commands/command.js')) as new () => MysqlCommandBase;
const MysqlPacket = mysql2Require(path.join(mysql2Dir, 'lib/packets/packet.js')) as new (
  id: number,
  buf: Buffer,
  start: number,
  end: number,
) => unknown;

interface RawPacket {
  buffer: Buffer;
  start: number;
  end: number;
  isError(): boolean;
}
interface MysqlCommandBase {
  on(event: string, fn: (...a: unknown[]) => void): void;
  emit(event: string, ...a: unknown[]): boolean;
}
interface InternalConnection extends Connection {
  addCommand(cmd: unknown): unknown;
  writePacket(p: unknown): void;
  pause(): void;
  resume(): void;
}

export class BinlogServerError extends Error {
  constructor(
    message: string,
    readonly errno: number | undefined,
    readonly sqlState: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'BinlogServerError';
  }
}

/** Sends one payload and feeds every reply packet to `onPacket` until it returns false. */
function rawCommand(payload: Buffer, onPacket: (p: RawPacket) => boolean): MysqlCommandBase {
  class RawCommand extends (MysqlCommand as unknown as new () => MysqlCommandBase) {
    start(_packet: unknown, connection: InternalConnection): unknown {
      const buf = Buffer.allocUnsafe(payload.length + 4);
      payload.copy(buf, 4);
      connection.writePacket(new MysqlPacket(0, buf, 0, buf.length));
      return (this as unknown as { reply: unknown }).reply;
    }
    reply(packet: RawPacket): unknown {
      return onPacket(packet) ? (this as unknown as { reply: unknown }).reply : null;
    }
  }
  return new RawCommand();
}

export type Flavor = 'mysql' | 'mariadb';

export interface BinlogStart {
  /** File + position start (used when no GTIDs are given). Empty file = first binlog on the server. */
  file?: string;
  position?: number;
  /** MySQL: GTID set already processed (COM_BINLOG_DUMP_GTID). */
  mysqlGtids?: MysqlGtidSet;
  /** MariaDB: GTID position already processed (@slave_connect_state). */
  mariadbGtids?: MariadbGtidPosition;
}

export interface BinlogClientOptions {
  connection: ConnectionOptions;
  serverId: number;
  start: BinlogStart;
  /** Server heartbeat period in ms (0 = none). */
  heartbeatIntervalMs?: number;
  /** Max queued events before the socket is paused. */
  highWaterMark?: number;
  /**
   * Max queued event bytes before the socket is paused (default 1 MiB). Queued events are views of
   * mysql2's socket chunks, so this bounds the memory the read-ahead holds whatever the row size:
   * 8,192 events of 1 KB hold 13 MiB of chunks, and of 1 MB rows 8 GB.
   */
  highWaterMarkBytes?: number;
  /** Ask MariaDB for ANNOTATE_ROWS events (needed for `include.query`). */
  annotateRows?: boolean;
}

const DEFAULT_HIGH_WATER_MARK_BYTES = 1024 * 1024;

type Waiter = { resolve: (v: Buffer | null) => void; reject: (e: Error) => void };

export class BinlogClient {
  private conn: InternalConnection | null = null;
  private readonly queue: Buffer[] = [];
  private queueHead = 0;
  private queuedBytes = 0;
  private waiter: Waiter | null = null;
  private failure: Error | null = null;
  private ended = false;
  private paused = false;
  flavor: Flavor = 'mysql';
  serverVersion = '';
  /** The checksum algorithm the session announced (the server's @@global.binlog_checksum). */
  checksum = 'NONE';
  readonly highWaterMark: number;
  readonly highWaterMarkBytes: number;

  constructor(private readonly options: BinlogClientOptions) {
    this.highWaterMark = options.highWaterMark ?? 10_000;
    this.highWaterMarkBytes = options.highWaterMarkBytes ?? DEFAULT_HIGH_WATER_MARK_BYTES;
  }

  async connect(): Promise<void> {
    const conn = mysql.createConnection({
      ...this.options.connection,
      supportBigNumbers: true,
      bigNumberStrings: true,
    }) as InternalConnection;
    this.conn = conn;
    conn.on('error', (err: Error) => this.fail(err));
    conn.on('end', () => this.finish());
    const q = (sql: string) =>
      new Promise<unknown[]>((resolve, reject) =>
        conn.query(sql, (err, rows) => (err ? reject(err) : resolve(rows as unknown[]))),
      );
    const [ver] = (await q('SELECT VERSION() AS v, @@global.binlog_checksum AS c')) as Array<{ v: string; c: string }>;
    this.serverVersion = ver.v;
    this.flavor = /mariadb/i.test(ver.v) ? 'mariadb' : 'mysql';
    this.checksum = String(ver.c ?? 'NONE').toUpperCase();
    await q(
      `SET @master_binlog_checksum = @@global.binlog_checksum, @source_binlog_checksum = @@global.binlog_checksum`,
    );
    const hb = this.options.heartbeatIntervalMs ?? 0;
    if (hb > 0) {
      const ns = BigInt(hb) * 1_000_000n;
      await q(`SET @master_heartbeat_period = ${ns}, @source_heartbeat_period = ${ns}`);
    }
    const start = this.options.start;
    let flags = 0;
    if (this.flavor === 'mariadb') {
      await q('SET @mariadb_slave_capability = 4');
      if (this.options.annotateRows) flags |= DumpFlag.MARIADB_SEND_ANNOTATE_ROWS;
      if (start.mariadbGtids) {
        await q(`SET @slave_connect_state = ${conn.escape(start.mariadbGtids.toString())}`);
        await q('SET @slave_gtid_strict_mode = 1');
        await q('SET @slave_gtid_ignore_duplicates = 0');
      }
    }
    await new Promise<void>((resolve, reject) => {
      const cmd = rawCommand(registerSlavePayload({ serverId: this.options.serverId }), () => false);
      cmd.on('error', (e) => reject(wrapServerError(e)));
      cmd.on('end', () => resolve());
      conn.addCommand(cmd);
    });
    let payload: Buffer;
    if (this.flavor === 'mysql' && start.mysqlGtids) {
      payload = binlogDumpGtidPayload({ serverId: this.options.serverId, flags, gtidSet: start.mysqlGtids });
    } else if (this.flavor === 'mariadb' && start.mariadbGtids) {
      payload = binlogDumpPayload({ file: '', position: 4, serverId: this.options.serverId, flags });
    } else {
      payload = binlogDumpPayload({
        file: start.file ?? '',
        position: start.position ?? 4,
        serverId: this.options.serverId,
        flags,
      });
    }
    const dump = rawCommand(payload, (p) => this.onPacket(p));
    dump.on('error', (e) => this.fail(wrapServerError(e)));
    conn.addCommand(dump);
  }

  private onPacket(p: RawPacket): boolean {
    const marker = p.buffer[p.start + 4];
    if (marker === 0xfe && p.end - p.start < 13) {
      this.finish();
      return false;
    }
    if (marker !== 0x00) {
      this.fail(
        new BinlogServerError(`unexpected binlog stream packet marker 0x${marker.toString(16)}`, undefined, undefined),
      );
      return false;
    }
    this.queue.push(p.buffer.subarray(p.start + 5, p.end));
    this.queuedBytes += p.end - p.start - 5;
    if (this.waiter) this.deliver();
    else if (
      !this.paused &&
      (this.queue.length - this.queueHead >= this.highWaterMark || this.queuedBytes >= this.highWaterMarkBytes)
    ) {
      this.paused = true;
      this.conn?.pause();
    }
    return true;
  }

  private deliver(): void {
    const w = this.waiter;
    if (!w) return;
    if (this.queueHead < this.queue.length) {
      this.waiter = null;
      w.resolve(this.take());
    } else if (this.failure) {
      this.waiter = null;
      w.reject(this.failure);
    } else if (this.ended) {
      this.waiter = null;
      w.resolve(null);
    }
  }

  private take(): Buffer {
    const b = this.queue[this.queueHead++];
    this.queuedBytes -= b.length;
    if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    if (
      this.paused &&
      this.queue.length - this.queueHead < this.highWaterMark / 2 &&
      this.queuedBytes < this.highWaterMarkBytes / 2
    ) {
      this.paused = false;
      this.conn?.resume();
    }
    return b;
  }

  /** Events already received and waiting. */
  get buffered(): number {
    return this.queue.length - this.queueHead;
  }

  /** Bytes of the events already received and waiting. */
  get bufferedBytes(): number {
    return this.queuedBytes;
  }

  /** The next raw event; null at end of stream. Waits at most `timeoutMs` then resolves `undefined`. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<Buffer | null | undefined> {
    if (this.queueHead < this.queue.length) return Promise.resolve(this.take());
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve(null);
    return new Promise<Buffer | null | undefined>((resolve, reject) => {
      const timer = setTimeout(() => done(undefined), timeoutMs);
      const onAbort = () => done(undefined);
      const done = (v: Buffer | null | undefined) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiter = null;
        resolve(v);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = {
        resolve: (v) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
      };
    });
  }

  private fail(err: Error): void {
    if (this.failure || this.ended) return;
    this.failure = err;
    this.deliver();
  }

  private finish(): void {
    this.ended = true;
    this.deliver();
  }

  close(): void {
    const c = this.conn;
    this.conn = null;
    this.ended = true;
    if (c) destroyConnection(c);
    this.deliver();
  }
}

function wrapServerError(e: unknown): Error {
  const err = e as { message?: string; errno?: number; sqlState?: string };
  return new BinlogServerError(err.message ?? String(e), err.errno, err.sqlState, { cause: e });
}

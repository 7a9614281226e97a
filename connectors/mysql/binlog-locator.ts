/**
 * Finds where in the binlog a point in time is: the first transaction whose events are at or after
 * a timestamp, as the binlog offset a task resumes from (file, position, and the GTID state before
 * that transaction), and how much of the binlog a replay from there re-reads.
 *
 * The binlog files are listed with SHOW BINARY LOGS; each file's FORMAT_DESCRIPTION event carries
 * the time the file was started, so the last file started at or before the timestamp holds the
 * first transaction after it. That file is then read from its start over the replication protocol
 * (the event headers' timestamps, MariaDB's GTID_LIST / MySQL's PREVIOUS_GTIDS for the GTID state).
 * Binlog timestamps have a one-second resolution: every transaction of the timestamp's second is
 * included, so nothing at or after the timestamp is left out.
 */
import mysql, { type ConnectionOptions } from 'mysql2/promise';
import { ConnectException } from '../../sdk/errors.ts';
import { BinlogEventStream, type PositionedEvent } from './binlog/binlog-stream.ts';
import { MariadbGtidPosition, MysqlGtidSet } from './binlog/gtid.ts';
import { toSourceOffset, type BinlogOffset } from './offsets.ts';
import { connectionOptions, parseMysqlSettings } from './config.ts';
import { settleMysqlTls } from '../shared/tls/mysql-tls.ts';
import type { SourceReplayPlan } from '../../sdk/spi.ts';

export interface BinlogFile {
  name: string;
  size: number;
}

export interface BinlogTimestampLocation {
  /** Where a task resumes to re-read everything from the timestamp on. */
  offset: BinlogOffset;
  /** Transactions and rows events from there to the end of the binlog when it was located. */
  transactions: number;
  rowsEvents: number;
  /** Set when the oldest binlog file starts after the timestamp: the replay starts there instead (ISO time). */
  historyStartsAt?: string;
}

export interface LocateOptions {
  connection: ConnectionOptions;
  /** The replica server id to read with; must differ from any running connector's. */
  serverId: number;
  timestampMs: number;
  /** How long to wait for the next event before the binlog is taken to have ended. */
  idleTimeoutMs?: number;
}

/** SHOW BINARY LOGS, oldest first. */
export async function listBinlogFiles(
  connection: ConnectionOptions,
): Promise<{ files: BinlogFile[]; flavor: 'mysql' | 'mariadb'; gtidMode: boolean }> {
  const conn = await mysql.createConnection({ ...connection, multipleStatements: false });
  try {
    const [rows] = await conn.query('SHOW BINARY LOGS');
    const files = (rows as Array<Record<string, unknown>>).map((r) => ({
      name: String(r.Log_name),
      size: Number(r.File_size),
    }));
    if (files.length === 0)
      throw new ConnectException('The server has no binary logs (log_bin is off?): there is no history to replay from');
    const [[v]] = (await conn.query('SELECT VERSION() AS v')) as unknown as [Array<{ v: string }>];
    const flavor = /mariadb/i.test(v.v) ? 'mariadb' : 'mysql';
    let gtidMode = flavor === 'mariadb';
    if (flavor === 'mysql') {
      const [[g]] = (await conn.query('SELECT @@global.gtid_mode AS m')) as unknown as [Array<{ m: string }>];
      gtidMode = String(g.m).toUpperCase() === 'ON';
    }
    return { files, flavor, gtidMode };
  } finally {
    await conn.end().catch(() => undefined);
  }
}

/** Reads events from the start of `file` until `visit` returns false or the binlog ends. */
async function readFrom(
  opts: LocateOptions,
  file: string,
  visit: (ev: PositionedEvent) => boolean | Promise<boolean>,
): Promise<void> {
  const stream = new BinlogEventStream({
    connection: opts.connection,
    serverId: opts.serverId,
    start: { file, position: 4 },
  });
  try {
    await stream.connect();
    for (;;) {
      const ev = await stream.next(opts.idleTimeoutMs ?? 2000);
      if (!ev) return;
      if (!(await visit(ev))) return;
    }
  } finally {
    stream.close();
  }
}

/** When `file` was started: its FORMAT_DESCRIPTION event's time (epoch seconds). */
async function fileStartSec(opts: LocateOptions, file: string): Promise<number> {
  let start: number | null = null;
  await readFrom(opts, file, (ev) => {
    if (ev.body.kind !== 'formatDescription' || ev.header.timestamp === 0) return true;
    start = ev.header.timestamp;
    return false;
  });
  if (start === null) throw new ConnectException(`Could not read the start of binlog file ${file}`);
  return start;
}

export async function locateBinlogTimestamp(opts: LocateOptions): Promise<BinlogTimestampLocation> {
  const { files, flavor, gtidMode } = await listBinlogFiles(opts.connection);
  const targetSec = Math.floor(opts.timestampMs / 1000);
  // The newest file started at or before the timestamp (files are in creation order).
  let index = 0;
  let oldestStart: number | null = null;
  for (let i = files.length - 1; i >= 0; i--) {
    const start = await fileStartSec(opts, files[i].name);
    if (i === 0) oldestStart = start;
    if (start <= targetSec) {
      index = i;
      break;
    }
  }
  const end = files[files.length - 1];
  const mariadbGtids = flavor === 'mariadb' && gtidMode ? new MariadbGtidPosition() : null;
  let mysqlGtids = flavor === 'mysql' && gtidMode ? new MysqlGtidSet() : null;
  let found: BinlogOffset | null = null;
  let transactions = 0;
  let rowsEvents = 0;
  let last = { file: files[index].name, pos: 4, tsSec: 0, serverId: 0 };
  await readFrom(opts, files[index].name, (ev) => {
    if (ev.header.timestamp > 0)
      last = { file: ev.file, pos: ev.nextPosition, tsSec: ev.header.timestamp, serverId: ev.header.serverId };
    const b = ev.body;
    if (!found) {
      if (b.kind === 'mariadbGtidList' && mariadbGtids && ev.file === files[index].name)
        for (const g of b.gtids) mariadbGtids.advance(g);
      if (b.kind === 'previousGtids' && mysqlGtids && ev.file === files[index].name)
        mysqlGtids = MysqlGtidSet.parse(b.gtidSet.toString());
    }
    const startsTransaction =
      b.kind === 'mariadbGtid' ||
      (b.kind === 'gtid' && !b.anonymous) ||
      (!gtidMode && b.kind === 'query' && /^BEGIN\b/i.test(b.query.trim()));
    if (startsTransaction) {
      if (!found && ev.header.timestamp >= targetSec) {
        found = {
          file: ev.file,
          pos: ev.position,
          gtids: mariadbGtids?.toString() ?? mysqlGtids?.toString(),
          ts_sec: ev.header.timestamp,
          server_id: ev.header.serverId,
        };
      }
      if (found) transactions++;
      else if (b.kind === 'mariadbGtid') mariadbGtids?.advance(b.gtid);
      else if (b.kind === 'gtid' && b.gtid) mysqlGtids?.add(b.sourceId, b.gno);
    }
    if (found && b.kind === 'rows') rowsEvents++;
    // Stop at the end the binlog had when it was listed; later events are not counted.
    return !(ev.file === end.name && ev.nextPosition >= end.size);
  });
  const offset: BinlogOffset = found ?? {
    file: last.file,
    pos: last.pos,
    gtids: mariadbGtids?.toString() ?? mysqlGtids?.toString(),
    ts_sec: last.tsSec,
    server_id: last.serverId,
  };
  if (offset.gtids === '') delete offset.gtids;
  const historyStartsAt =
    oldestStart !== null && oldestStart > targetSec ? new Date(oldestStart * 1000).toISOString() : undefined;
  return { offset, transactions, rowsEvents, ...(historyStartsAt ? { historyStartsAt } : {}) };
}

/** MysqlSourceConnector.offsetsForTimestamp: the task's offset at the timestamp, read with the connector's own settings. */
export async function binlogReplayPlan(props: Record<string, string>, timestampMs: number): Promise<SourceReplayPlan> {
  const s = parseMysqlSettings(props);
  await settleMysqlTls(connectionOptions(s), s.tls);
  // The connector is stopped (offsets change only then), so its replica id is free to read with.
  const loc = await locateBinlogTimestamp({ connection: connectionOptions(s), serverId: s.serverId, timestampMs });
  const o = loc.offset;
  return {
    offsets: [{ partition: { server: s.topicPrefix }, offset: toSourceOffset(o) }],
    reread: [{ transactions: loc.transactions, rows_events: loc.rowsEvents }],
    summary: `${loc.transactions} transaction(s) with ${loc.rowsEvents} rows event(s) from binlog ${o.file} position ${o.pos}${o.gtids ? ` (GTIDs ${o.gtids})` : ''}`,
    warning: loc.historyStartsAt
      ? `the oldest binlog file starts at ${loc.historyStartsAt}, after the requested time: events before it are no longer on the server`
      : undefined,
  };
}

/** Events whose body is mostly text: ROWS_QUERY, MariaDB ANNOTATE_ROWS and BINLOG_CHECKPOINT, HEARTBEAT (v1 and v2). */
import { ByteReader } from '../byte-reader.ts';

export interface RowsQueryEvent {
  kind: 'rowsQuery';
  query: string;
}

/** ROWS_QUERY (29): a length byte (ignored: statements longer than 255 bytes keep going) then the statement. */
export function parseRowsQuery(r: ByteReader): RowsQueryEvent {
  r.skip(1);
  return { kind: 'rowsQuery', query: r.restString() };
}

/** MariaDB ANNOTATE_ROWS (160): the statement that produced the following rows events. */
export function parseAnnotateRows(r: ByteReader): RowsQueryEvent {
  return { kind: 'rowsQuery', query: r.restString() };
}

export interface BinlogCheckpointEvent {
  kind: 'binlogCheckpoint';
  file: string;
}

export function parseBinlogCheckpoint(r: ByteReader): BinlogCheckpointEvent {
  const len = r.u32();
  return { kind: 'binlogCheckpoint', file: r.string(len, 'latin1') };
}

export interface HeartbeatEvent {
  kind: 'heartbeat';
  file: string;
  /** Position from HEARTBEAT_V2 (the v1 position is the header's next-position field). */
  position: number | null;
}

export function parseHeartbeat(r: ByteReader): HeartbeatEvent {
  return { kind: 'heartbeat', file: r.restString('latin1'), position: null };
}

/** HEARTBEAT_LOG_EVENT_V2 (41): packed-int TLVs, 1 = file name, 2 = position, 0 = end. */
export function parseHeartbeatV2(r: ByteReader): HeartbeatEvent {
  const ev: HeartbeatEvent = { kind: 'heartbeat', file: '', position: null };
  while (r.remaining > 0) {
    const type = r.packed();
    if (type === 0) break;
    const len = r.packed();
    const value = r.bytes(len);
    if (type === 1) ev.file = value.toString('latin1');
    else if (type === 2) ev.position = new ByteReader(value).packed();
  }
  return ev;
}

export interface IntvarEvent {
  kind: 'intvar';
  intvarType: number;
  value: bigint;
}

export function parseIntvar(r: ByteReader): IntvarEvent {
  return { kind: 'intvar', intvarType: r.u8(), value: r.u64() };
}

export interface XaPrepareEvent {
  kind: 'xaPrepare';
  onePhase: boolean;
  formatId: number;
  gtrid: Buffer;
  bqual: Buffer;
}

export function parseXaPrepare(r: ByteReader): XaPrepareEvent {
  const onePhase = r.u8() !== 0;
  const formatId = r.u32();
  const gl = r.u32();
  const bl = r.u32();
  return { kind: 'xaPrepare', onePhase, formatId, gtrid: Buffer.from(r.bytes(gl)), bqual: Buffer.from(r.bytes(bl)) };
}

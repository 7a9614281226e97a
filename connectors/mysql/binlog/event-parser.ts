/**
 * Turns raw binlog events (header + body + optional CRC32) into typed events. Keeps the state the
 * format needs: the current FORMAT_DESCRIPTION (post-header lengths, checksum algorithm) and the
 * flavour. Verifies the CRC32 of every event when the binlog is checksummed; unknown event types
 * are skipped by length and counted.
 */
import zlib from 'node:zlib';
import { BinlogFormatError, ByteReader } from './byte-reader.ts';
import {
  EventFlag,
  EventType,
  EVENT_TYPE_NAMES,
  type EventHeader,
  HEADER_LENGTH,
  readEventHeader,
} from './event-types.ts';
import {
  ChecksumAlg,
  defaultFormatDescription,
  type FormatDescriptionEvent,
  parseFormatDescription,
} from './events/format-description.ts';
import {
  type MariadbGtidEvent,
  type MariadbGtidListEvent,
  parseMariadbGtid,
  parseMariadbGtidList,
} from './events/mariadb-gtid.ts';
import {
  type MysqlGtidEvent,
  parseMysqlGtid,
  parsePreviousGtids,
  type PreviousGtidsEvent,
} from './events/mysql-gtid.ts';
import { parseQuery, type QueryEvent } from './events/query.ts';
import { parseRotate, type RotateEvent } from './events/rotate.ts';
import { parseRows, rowsOperation, type RowsEvent } from './events/rows.ts';
import { parseTableMap, type TableMapEvent } from './events/table-map.ts';
import {
  type BinlogCheckpointEvent,
  type HeartbeatEvent,
  type IntvarEvent,
  parseAnnotateRows,
  parseBinlogCheckpoint,
  parseHeartbeat,
  parseHeartbeatV2,
  parseIntvar,
  parseRowsQuery,
  parseXaPrepare,
  type RowsQueryEvent,
  type XaPrepareEvent,
} from './events/text-events.ts';
import { parseTransactionPayload } from './events/transaction-payload.ts';
import { parseXid, type XidEvent } from './events/xid.ts';

export interface TransactionPayloadEvent {
  kind: 'transactionPayload';
  events: BinlogEvent[];
}
export interface StopEvent {
  kind: 'stop';
}
export interface UnknownEvent {
  kind: 'unknown';
  type: number;
}

export type BinlogEventBody =
  | FormatDescriptionEvent
  | RotateEvent
  | QueryEvent
  | XidEvent
  | MysqlGtidEvent
  | PreviousGtidsEvent
  | MariadbGtidEvent
  | MariadbGtidListEvent
  | RowsQueryEvent
  | BinlogCheckpointEvent
  | HeartbeatEvent
  | IntvarEvent
  | XaPrepareEvent
  | TableMapEvent
  | RowsEvent
  | TransactionPayloadEvent
  | StopEvent
  | UnknownEvent;

export interface BinlogEvent {
  header: EventHeader;
  body: BinlogEventBody;
}

export class ChecksumMismatchError extends BinlogFormatError {
  constructor(
    readonly expected: number,
    readonly actual: number,
    readonly eventType: number,
  ) {
    super(
      `binlog event checksum mismatch (type ${EVENT_TYPE_NAMES[eventType] ?? eventType}): stored CRC32 0x${expected.toString(16).padStart(8, '0')}, computed 0x${actual.toString(16).padStart(8, '0')}`,
    );
    this.name = 'ChecksumMismatchError';
  }
}

export class BinlogEventParser {
  fde: FormatDescriptionEvent = defaultFormatDescription();
  /** Counts of skipped (unknown or ignorable) event types. */
  readonly skipped = new Map<number, number>();
  /** The last TABLE_MAP per table id with its body bytes: servers repeat it before every rows event. */
  private readonly tableMaps = new Map<number, { body: Buffer; event: TableMapEvent }>();

  /**
   * @param checksumBeforeFde whether events before the first FORMAT_DESCRIPTION carry a CRC
   * (the dump's artificial ROTATE does when the client announced a checksum).
   */
  constructor(public checksumBeforeFde = false) {}

  get mariadb(): boolean {
    return this.fde.mariadb;
  }

  get skippedTotal(): number {
    let n = 0;
    for (const v of this.skipped.values()) n += v;
    return n;
  }

  /** Parses one event; `buf` holds exactly the event bytes. */
  parse(buf: Buffer, inPayload = false): BinlogEvent {
    if (buf.length < HEADER_LENGTH)
      throw new BinlogFormatError(`binlog event of ${buf.length} bytes is shorter than its header`);
    const header = readEventHeader(buf);
    if (header.eventLength !== buf.length)
      throw new BinlogFormatError(
        `binlog event length ${header.eventLength} in the header, ${buf.length} bytes received`,
      );
    let end = buf.length;
    if (header.type === EventType.FORMAT_DESCRIPTION) {
      const fde = parseFormatDescription(new ByteReader(buf, HEADER_LENGTH, end));
      if (fde.checksumAlg === ChecksumAlg.CRC32) verifyCrc(buf, header, true);
      this.fde = fde;
      this.checksumBeforeFde = false;
      return { header, body: fde };
    }
    if (!inPayload && this.hasChecksum()) {
      if (!(header.flags & EventFlag.ARTIFICIAL && header.type === EventType.ROTATE && !crcMatches(buf))) {
        verifyCrc(buf, header, false);
        end -= 4;
      }
    }
    return { header, body: this.parseBody(header, new ByteReader(buf, HEADER_LENGTH, end)) };
  }

  private hasChecksum(): boolean {
    if (this.fde.checksumAlg === ChecksumAlg.UNDEF) return this.checksumBeforeFde;
    return this.fde.checksumAlg === ChecksumAlg.CRC32;
  }

  private tableMap(r: ByteReader): TableMapEvent {
    const idSize = this.postHeaderLength(EventType.TABLE_MAP) === 6 ? 4 : 6;
    if (r.remaining < idSize)
      throw new BinlogFormatError(
        `TABLE_MAP body of ${r.remaining} bytes at offset ${r.pos} is shorter than its ${idSize}-byte table id`,
      );
    const body = r.buf.subarray(r.pos, r.end);
    const tableId = r.buf.readUIntLE(r.pos, idSize);
    const hit = this.tableMaps.get(tableId);
    if (hit && hit.body.equals(body)) return hit.event;
    const event = parseTableMap(r, idSize, this.fde.mariadb);
    if (this.tableMaps.size >= 4096) this.tableMaps.clear(); // table ids only grow: drop stale ones
    this.tableMaps.set(tableId, { body: Buffer.from(body), event });
    return event;
  }

  private postHeaderLength(type: number): number {
    return this.fde.postHeaderLengths[type - 1] ?? 0;
  }

  private parseBody(header: EventHeader, r: ByteReader): BinlogEventBody {
    const t = header.type;
    switch (t) {
      case EventType.ROTATE:
        return parseRotate(r);
      case EventType.QUERY:
        return parseQuery(r);
      case EventType.MARIADB_QUERY_COMPRESSED:
        return parseQuery(r, true);
      case EventType.XID:
        return parseXid(r);
      case EventType.STOP:
        return { kind: 'stop' };
      case EventType.INTVAR:
        return parseIntvar(r);
      case EventType.GTID:
        return parseMysqlGtid(r, false);
      case EventType.ANONYMOUS_GTID:
        return parseMysqlGtid(r, true);
      case EventType.PREVIOUS_GTIDS:
        return parsePreviousGtids(r);
      case EventType.MARIADB_GTID:
        return parseMariadbGtid(r, header.serverId);
      case EventType.MARIADB_GTID_LIST:
        return parseMariadbGtidList(r);
      case EventType.MARIADB_ANNOTATE_ROWS:
        return parseAnnotateRows(r);
      case EventType.ROWS_QUERY:
        return parseRowsQuery(r);
      case EventType.MARIADB_BINLOG_CHECKPOINT:
        return parseBinlogCheckpoint(r);
      case EventType.HEARTBEAT:
        return parseHeartbeat(r);
      case EventType.HEARTBEAT_V2:
        return parseHeartbeatV2(r);
      case EventType.XA_PREPARE:
        return parseXaPrepare(r);
      case EventType.TABLE_MAP:
        return this.tableMap(r);
      case EventType.TRANSACTION_PAYLOAD: {
        const { inner } = parseTransactionPayload(r);
        const events: BinlogEvent[] = [];
        let pos = 0;
        while (pos < inner.length) {
          if (pos + HEADER_LENGTH > inner.length)
            throw new BinlogFormatError('TRANSACTION_PAYLOAD ends inside an event header');
          const len = inner.readUInt32LE(pos + 9);
          events.push(this.parse(inner.subarray(pos, pos + len), true));
          pos += len;
        }
        return { kind: 'transactionPayload', events };
      }
      default:
        if (rowsOperation(t)) return parseRows(r, t, this.postHeaderLength(t) === 6 ? 4 : 6);
        this.skipped.set(t, (this.skipped.get(t) ?? 0) + 1);
        return { kind: 'unknown', type: t };
    }
  }
}

function crcMatches(buf: Buffer): boolean {
  return zlib.crc32(buf.subarray(0, buf.length - 4)) === buf.readUInt32LE(buf.length - 4);
}

function verifyCrc(buf: Buffer, header: EventHeader, isFde: boolean): void {
  const data = buf.subarray(0, buf.length - 4);
  const expected = buf.readUInt32LE(buf.length - 4);
  let actual = zlib.crc32(data);
  if (actual !== expected && isFde && header.flags & EventFlag.BINLOG_IN_USE) {
    // The FDE's CRC is computed with LOG_EVENT_BINLOG_IN_USE_F cleared.
    const copy = Buffer.from(data);
    copy.writeUInt16LE(header.flags & ~EventFlag.BINLOG_IN_USE, 17);
    actual = zlib.crc32(copy);
  }
  if (actual !== expected) throw new ChecksumMismatchError(expected, actual, header.type);
}

/** Binlog event type codes (MySQL `enum Log_event_type`, MariaDB codes from 160). */
export const EventType = {
  UNKNOWN: 0,
  QUERY: 2,
  STOP: 3,
  ROTATE: 4,
  INTVAR: 5,
  RAND: 13,
  USER_VAR: 14,
  FORMAT_DESCRIPTION: 15,
  XID: 16,
  BEGIN_LOAD_QUERY: 17,
  EXECUTE_LOAD_QUERY: 18,
  TABLE_MAP: 19,
  WRITE_ROWS_V1: 23,
  UPDATE_ROWS_V1: 24,
  DELETE_ROWS_V1: 25,
  INCIDENT: 26,
  HEARTBEAT: 27,
  IGNORABLE: 28,
  ROWS_QUERY: 29,
  WRITE_ROWS_V2: 30,
  UPDATE_ROWS_V2: 31,
  DELETE_ROWS_V2: 32,
  GTID: 33,
  ANONYMOUS_GTID: 34,
  PREVIOUS_GTIDS: 35,
  TRANSACTION_CONTEXT: 36,
  VIEW_CHANGE: 37,
  XA_PREPARE: 38,
  PARTIAL_UPDATE_ROWS: 39,
  TRANSACTION_PAYLOAD: 40,
  HEARTBEAT_V2: 41,
  GTID_TAGGED: 42,
  MARIADB_ANNOTATE_ROWS: 160,
  MARIADB_BINLOG_CHECKPOINT: 161,
  MARIADB_GTID: 162,
  MARIADB_GTID_LIST: 163,
  MARIADB_START_ENCRYPTION: 164,
  MARIADB_QUERY_COMPRESSED: 165,
  MARIADB_WRITE_ROWS_COMPRESSED_V1: 166,
  MARIADB_UPDATE_ROWS_COMPRESSED_V1: 167,
  MARIADB_DELETE_ROWS_COMPRESSED_V1: 168,
  MARIADB_WRITE_ROWS_COMPRESSED: 169,
  MARIADB_UPDATE_ROWS_COMPRESSED: 170,
  MARIADB_DELETE_ROWS_COMPRESSED: 171,
} as const;

export const EVENT_TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(EventType).map(([k, v]) => [v, k]),
);

/** Header flags. */
export const EventFlag = {
  BINLOG_IN_USE: 0x0001,
  ARTIFICIAL: 0x0020,
  IGNORABLE: 0x0080,
} as const;

export const HEADER_LENGTH = 19;

export interface EventHeader {
  timestamp: number;
  type: number;
  serverId: number;
  eventLength: number;
  /** Offset of the next event in the source binlog file (0 for artificial events and inside payloads). */
  nextPosition: number;
  flags: number;
}

export function readEventHeader(buf: Buffer, offset = 0): EventHeader {
  return {
    timestamp: buf.readUInt32LE(offset),
    type: buf[offset + 4],
    serverId: buf.readUInt32LE(offset + 5),
    eventLength: buf.readUInt32LE(offset + 9),
    nextPosition: buf.readUInt32LE(offset + 13),
    flags: buf.readUInt16LE(offset + 17),
  };
}

/**
 * CopyBoth payloads of a replication stream: XLogData ('w') and primary keepalive ('k') from the
 * server; standby status update ('r') from the client.
 */
import { ByteReader, PgOutputParseError } from './byte-reader.ts';
import { pgTimestampToUnixMicros, unixMicrosToPgTimestamp, type Lsn } from './lsn.ts';

export interface XLogData {
  type: 'xlogdata';
  startLsn: Lsn;
  walEnd: Lsn;
  sendTimeMicros: bigint;
  data: Buffer;
}
export interface PrimaryKeepalive {
  type: 'keepalive';
  walEnd: Lsn;
  sendTimeMicros: bigint;
  replyRequested: boolean;
}
export type ReplicationFrame = XLogData | PrimaryKeepalive;

export function parseReplicationFrame(payload: Buffer): ReplicationFrame {
  const r = new ByteReader(payload);
  const tag = r.uint8();
  if (tag === 0x77) {
    return {
      type: 'xlogdata',
      startLsn: r.uint64(),
      walEnd: r.uint64(),
      sendTimeMicros: pgTimestampToUnixMicros(r.int64()),
      data: r.rest(),
    };
  }
  if (tag === 0x6b) {
    return {
      type: 'keepalive',
      walEnd: r.uint64(),
      sendTimeMicros: pgTimestampToUnixMicros(r.int64()),
      replyRequested: r.uint8() === 1,
    };
  }
  throw new PgOutputParseError(
    `Unknown replication CopyData message 0x${tag.toString(16)} ('${String.fromCharCode(tag)}') at offset 0`,
  );
}

export interface StandbyStatus {
  written: Lsn;
  flushed: Lsn;
  applied: Lsn;
  clockUnixMicros: bigint;
  replyRequested?: boolean;
}

/** 'r' message body (34 bytes) sent as one CopyData payload. */
export function serializeStandbyStatusUpdate(s: StandbyStatus): Buffer {
  const b = Buffer.alloc(34);
  b[0] = 0x72;
  b.writeBigUInt64BE(s.written, 1);
  b.writeBigUInt64BE(s.flushed, 9);
  b.writeBigUInt64BE(s.applied, 17);
  b.writeBigInt64BE(unixMicrosToPgTimestamp(s.clockUnixMicros), 25);
  b[33] = s.replyRequested ? 1 : 0;
  return b;
}

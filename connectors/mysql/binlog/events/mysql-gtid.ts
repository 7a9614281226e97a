/** MySQL GTID_LOG_EVENT / ANONYMOUS_GTID_LOG_EVENT and PREVIOUS_GTIDS_LOG_EVENT. */
import type { ByteReader } from '../byte-reader.ts';
import { formatUuid, MysqlGtidSet } from '../gtid.ts';

export interface MysqlGtidEvent {
  kind: 'gtid';
  anonymous: boolean;
  flags: number;
  sourceId: string;
  gno: bigint;
  /** `uuid:gno`, or null for anonymous transactions. */
  gtid: string | null;
  lastCommitted: bigint | null;
  sequenceNumber: bigint | null;
  /** Commit timestamps in µs since the epoch (MySQL 8.0.1+), else null. */
  immediateCommitTimestampUs: bigint | null;
  originalCommitTimestampUs: bigint | null;
  transactionLength: number | null;
}

const LOGICAL_TIMESTAMP_TYPECODE = 2;

export function parseMysqlGtid(r: ByteReader, anonymous: boolean): MysqlGtidEvent {
  const flags = r.u8();
  const sourceId = formatUuid(r.bytes(16));
  const gno = r.i64();
  const ev: MysqlGtidEvent = {
    kind: 'gtid',
    anonymous,
    flags,
    sourceId,
    gno,
    gtid: anonymous ? null : `${sourceId}:${gno}`,
    lastCommitted: null,
    sequenceNumber: null,
    immediateCommitTimestampUs: null,
    originalCommitTimestampUs: null,
    transactionLength: null,
  };
  if (r.remaining >= 17 && r.buf[r.pos] === LOGICAL_TIMESTAMP_TYPECODE) {
    r.skip(1);
    ev.lastCommitted = r.i64();
    ev.sequenceNumber = r.i64();
    if (r.remaining >= 7) {
      let immediate = BigInt(r.uintLE(6)) | (BigInt(r.u8()) << 48n);
      let original = immediate;
      if (immediate & (1n << 55n)) {
        immediate &= ~(1n << 55n);
        original = BigInt(r.uintLE(6)) | (BigInt(r.u8()) << 48n);
      }
      ev.immediateCommitTimestampUs = immediate;
      ev.originalCommitTimestampUs = original;
      if (r.remaining >= 1) ev.transactionLength = r.packed();
    }
  }
  r.rest(); // server versions and anything newer
  return ev;
}

export interface PreviousGtidsEvent {
  kind: 'previousGtids';
  gtidSet: MysqlGtidSet;
}

export function parsePreviousGtids(r: ByteReader): PreviousGtidsEvent {
  return { kind: 'previousGtids', gtidSet: MysqlGtidSet.decode(Buffer.from(r.rest())) };
}

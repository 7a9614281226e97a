/**
 * Source partition and offsets, shaped like Debezium's PostgresOffsetContext so offsets can move
 * between Debezium and Tributary: `lsn` (event), `lsn_proc`, `lsn_commit` (end of the last
 * completed transaction: where streaming resumes), `txId`, `ts_usec`, `messageType`, and during
 * the snapshot `snapshot`, `last_snapshot_record`, `snapshot_completed`. `tx_events_emitted`
 * counts the events of transaction `txId` already emitted, so a restart inside a transaction
 * skips exactly those.
 */
import type { SourceOffset, SourcePartition } from '../../sdk/data.ts';
import { ConnectException } from '../../sdk/errors.ts';

export const sourcePartition = (topicPrefix: string): SourcePartition => ({ server: topicPrefix });

export interface StreamPosition {
  /** Where START_REPLICATION resumes: the end LSN of the last completed transaction. */
  lsnCommit: bigint;
  lsn: bigint;
  txId: number | null;
  txEventsEmitted: number;
  tsUsec: bigint;
  messageType: string | null;
}

export function streamingOffset(p: StreamPosition): SourceOffset {
  const lsn = Number(p.lsn);
  const o: SourceOffset = {
    lsn_proc: lsn,
    lsn_commit: Number(p.lsnCommit),
    lsn,
    ts_usec: Number(p.tsUsec),
  };
  if (p.txId !== null) o.txId = p.txId;
  if (p.messageType) o.messageType = p.messageType;
  if (p.txEventsEmitted > 0) o.tx_events_emitted = p.txEventsEmitted;
  return o;
}

export function snapshotOffset(lsn: bigint, txId: number, tsUsec: bigint, lastRecord: boolean): SourceOffset {
  return {
    lsn_proc: Number(lsn),
    lsn: Number(lsn),
    txId,
    ts_usec: Number(tsUsec),
    snapshot: 'INITIAL',
    last_snapshot_record: lastRecord,
    snapshot_completed: lastRecord,
  };
}

export interface StoredOffset {
  /** Snapshot started but not finished: it must be redone. */
  snapshotIncomplete: boolean;
  resume: StreamPosition;
}

const num = (o: SourceOffset, key: string): bigint | null => {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^\d+$/.test(v)) return BigInt(v);
  throw new ConnectException(
    `Offset key "${key}" has an invalid value ${JSON.stringify(v)}; reset the connector's offsets`,
  );
};

export function readStoredOffset(o: SourceOffset): StoredOffset {
  const snapshotFlag = o.snapshot === true || o.snapshot === 'INITIAL' || o.snapshot === 'BLOCKING';
  const lastSnapshotRecord = o.last_snapshot_record === true || o.snapshot_completed === true;
  const lsn = num(o, 'lsn') ?? num(o, 'lsn_proc') ?? 0n;
  const lsnCommit = snapshotFlag ? lsn : (num(o, 'lsn_commit') ?? lsn);
  const txId = num(o, 'txId');
  return {
    snapshotIncomplete: snapshotFlag && !lastSnapshotRecord,
    resume: {
      lsnCommit,
      lsn,
      txId: snapshotFlag || txId === null ? null : Number(txId),
      txEventsEmitted: snapshotFlag ? 0 : Number(num(o, 'tx_events_emitted') ?? 0n),
      tsUsec: num(o, 'ts_usec') ?? 0n,
      messageType: typeof o.messageType === 'string' ? o.messageType : null,
    },
  };
}

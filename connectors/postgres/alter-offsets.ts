/**
 * PostgresConnector.alterOffsets: an offset is null (a reset) or Debezium's PostgresOffsetContext
 * shape — `lsn` (or `lsn_proc`) as a number, optional `lsn_commit`, `txId`, `ts_usec`,
 * `tx_events_emitted`, and the snapshot flags — for the partition `{"server": <topic.prefix>}`.
 */
import type { SourceOffset, SourcePartition } from '../../sdk/data.ts';
import { OffsetFields } from '../../sdk/internal/worker-support.ts';

const LSN_HINT = 'the LSN as a number, e.g. 23987520 for 0/16E0740';

export function alterPostgresOffsets(
  props: Record<string, string>,
  offsets: Map<SourcePartition, SourceOffset | null>,
): boolean {
  const server = props['topic.prefix'] ?? '';
  for (const [partition, offset] of offsets) {
    if (offset === null) continue;
    OffsetFields.knownPartition(partition, { server }, "Debezium's PostgreSQL partition, named by topic.prefix");
    if (offset.lsn === undefined && offset.lsn_proc === undefined)
      throw new Error(`The offset ${JSON.stringify(offset)} lacks the key 'lsn' (${LSN_HINT})`);
    for (const key of ['lsn', 'lsn_proc', 'lsn_commit'])
      OffsetFields.nonNegativeInteger(offset, key, LSN_HINT, { digitStrings: true });
    OffsetFields.nonNegativeInteger(offset, 'txId', 'a transaction id', { digitStrings: true });
    OffsetFields.nonNegativeInteger(offset, 'ts_usec', 'microseconds since the epoch', { digitStrings: true });
    OffsetFields.nonNegativeInteger(offset, 'tx_events_emitted', 'events of transaction txId already emitted');
    const snapshot = offset.snapshot;
    if (
      snapshot !== undefined &&
      snapshot !== null &&
      typeof snapshot !== 'boolean' &&
      !['INITIAL', 'BLOCKING', 'FALSE', 'TRUE'].includes(String(snapshot).toUpperCase())
    ) {
      throw new Error(
        `The value for the 'snapshot' key in the offset is expected to be true, false, "INITIAL" or "BLOCKING", but was ${JSON.stringify(snapshot)}`,
      );
    }
  }
  return true;
}

/**
 * MySqlConnector / MariaDbConnector.alterOffsets: an offset is null (a reset) or Debezium's binlog
 * offset — `file` (a binlog file name) and `pos` required, `gtids` a GTID set of the server's
 * flavour, and non-negative `event`, `row`, `ts_sec`, `server_id` — for the partition
 * `{"server": <topic.prefix>}`.
 */
import type { SourceOffset, SourcePartition } from '../../sdk/data.ts';
import { OffsetFields } from '../../sdk/internal/worker-support.ts';
import { MariadbGtidPosition, MysqlGtidSet } from './binlog/gtid.ts';

export function alterBinlogOffsets(
  props: Record<string, string>,
  offsets: Map<SourcePartition, SourceOffset | null>,
): boolean {
  const server = props['topic.prefix'] ?? '';
  for (const [partition, offset] of offsets) {
    if (offset === null) continue;
    OffsetFields.knownPartition(partition, { server }, "Debezium's binlog partition, named by topic.prefix");
    const file = offset.file;
    if (typeof file !== 'string' || !/^[^\s/\\]+\.\d+$/.test(file)) {
      throw new Error(
        `The value for the 'file' key in the offset is expected to be a binlog file name as SHOW BINARY LOGS lists it (e.g. "mysql-bin.000003"), but was ${JSON.stringify(file)}`,
      );
    }
    OffsetFields.nonNegativeInteger(offset, 'pos', 'a byte position in the binlog file, e.g. 4 for its start', {
      required: true,
      digitStrings: true,
    });
    for (const key of ['event', 'row', 'ts_sec', 'server_id'])
      OffsetFields.nonNegativeInteger(offset, key, key === 'ts_sec' ? 'seconds since the epoch' : 'a count', {
        digitStrings: true,
      });
    const gtids = offset.gtids;
    if (gtids !== undefined && gtids !== null && gtids !== '') {
      if (typeof gtids !== 'string' || !parsesAsGtids(gtids)) {
        throw new Error(
          `The value for the 'gtids' key in the offset is expected to be a GTID set (MySQL "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5" or MariaDB "0-1-100"), but was ${JSON.stringify(gtids)}`,
        );
      }
    }
  }
  return true;
}

function parsesAsGtids(text: string): boolean {
  for (const parse of [(t: string) => MysqlGtidSet.parse(t), (t: string) => MariadbGtidPosition.parse(t)]) {
    try {
      parse(text);
      return true;
    } catch {
      // try the other flavour
    }
  }
  return false;
}

/**
 * A stored binlog position the server no longer has (its files purged by binlog_expire_logs_seconds /
 * expire_logs_days while the connector was stopped or behind): the task fails with Debezium's
 * wording, naming the file, the server's oldest binlog file and the fixes, instead of the server's
 * bare "Could not find first log file name in binary log index file" (errno 1236).
 */
import { ConnectException } from '../../sdk/errors.ts';
import type { BinlogOffset } from './offsets.ts';

/** ER_MASTER_FATAL_ERROR_READING_BINLOG: the dump asked for a file or GTID the server no longer has. */
export const ERRNO_BINLOG_UNAVAILABLE = 1236;

export function binlogNoLongerAvailable(offset: BinlogOffset, serverLogs: string[], cause?: unknown): ConnectException {
  const at = `file ${offset.file}, position ${offset.pos}${offset.gtids ? `, GTIDs ${offset.gtids}` : ''}`;
  const oldest = serverLogs.length ? `its oldest binlog file is ${serverLogs[0]}` : 'it lists no binlog files';
  return new ConnectException(
    `The connector is trying to read binlog starting at ${at}, but this is no longer available on the server (${oldest}; ` +
      'older files were purged, e.g. by binlog_expire_logs_seconds or expire_logs_days, while the connector was stopped or behind). ' +
      'Reconfigure the connector to use a snapshot when needed: set snapshot.mode=when_needed (it takes a new snapshot, then streams from there), ' +
      'or stop the connector and reset its offsets (PUT /connectors/<name>/stop, then DELETE /connectors/<name>/offsets) so the initial snapshot runs again. ' +
      'Changes made in the purged files cannot be captured either way; keep binlogs longer than the connector may be stopped.' +
      (cause instanceof Error ? ` (The server said: ${cause.message})` : ''),
    { cause },
  );
}

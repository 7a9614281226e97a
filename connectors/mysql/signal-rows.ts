/**
 * Rows of a binlog rows event as the streaming reader needs them: decoded with the failure naming
 * the binlog position, and the rows inserted into the signal table handed to the incremental
 * snapshot (with the restart offset of each).
 */
import type { SourceOffset } from '../../sdk/data.ts';
import { ConnectException } from '../../sdk/errors.ts';
import { CorruptBinlogEventError, type PositionedEvent } from './binlog/binlog-stream.ts';
import { BinlogFormatError } from './binlog/byte-reader.ts';
import { decodeRows, type RowsEvent } from './binlog/events/rows.ts';
import type { TableMapEvent } from './binlog/events/table-map.ts';
import type { CapturedTable } from './captured-table.ts';
import type { Operation } from '../shared/debezium/index.ts';
import type { SignalRow } from './incremental/incremental-snapshot.ts';
import type { SchemaTracker } from './schema/schema-tracker.ts';

/** Hands the rows inserted into the signal table to the incremental snapshot. */
export function deliverSignalRows(
  c: { schema: SchemaTracker },
  signals: { receive: (row: SignalRow) => void },
  ev: PositionedEvent,
  b: RowsEvent,
  map: TableMapEvent,
  skipRows: number,
  offsetOfRow: (row: number) => SourceOffset,
  tx: { gtid: string | null; thread: number | null },
): void {
  let resolved;
  try {
    resolved = c.schema.resolve(map);
  } catch (err) {
    throw new ConnectException(
      `Cannot read the signal table ${map.database}.${map.table}: ${(err as Error).message}. Put it in a captured database (database.include.list) or set binlog_row_metadata=FULL`,
      { cause: err },
    );
  }
  const cols = resolved.definition.columns.map((c) => c.name.toLowerCase());
  const at = (name: string, fallback: number) => (cols.indexOf(name) >= 0 ? cols.indexOf(name) : fallback);
  const [idIx, typeIx, dataIx] = [at('id', 0), at('type', 1), at('data', 2)];
  const text = (v: unknown): string | null =>
    v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  const changes = decodeRowsAt(ev, b, resolved.specs);
  for (let r = skipRows; r < changes.length; r++) {
    const after = changes[r].after;
    if (!after) continue;
    signals.receive({
      id: text(after[idIx]) ?? '',
      type: text(after[typeIx]) ?? '',
      data: text(after[dataIx]),
      offset: offsetOfRow(r + 1),
      file: ev.file,
      pos: ev.position,
      serverId: ev.header.serverId,
      gtid: tx.gtid,
      thread: tx.thread,
    });
  }
}

/** Row images of a rows event; bytes that do not decode fail naming the binlog file and position. */
export function decodeRowsAt(
  ev: PositionedEvent,
  b: RowsEvent,
  specs: Parameters<typeof decodeRows>[1],
): ReturnType<typeof decodeRows> {
  try {
    return decodeRows(b, specs);
  } catch (err) {
    if (err instanceof BinlogFormatError) throw new CorruptBinlogEventError(ev.file, ev.position, err);
    throw err;
  }
}

/**
 * The error decoding and converting a rows event's images the general way gives (null when it
 * gives none): thrown in place of a RowDecoder failure, so a bad event fails as it always has.
 */
export function decodedPathError(
  ev: PositionedEvent,
  b: RowsEvent,
  specs: Parameters<typeof decodeRows>[1],
  table: CapturedTable,
  op: Operation,
): unknown {
  try {
    for (const { before, after } of decodeRowsAt(ev, b, specs)) {
      if (op === 'u' && table.keySchema && before && after) table.key(before);
      table.key((after ?? before)!);
      if (before) table.value(before);
      if (after) table.value(after);
    }
  } catch (err) {
    return err;
  }
  return null;
}

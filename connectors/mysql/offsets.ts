/**
 * Offsets as Debezium's binlog connectors store them (BinlogOffsetContext): the restart point
 * `file`/`pos` (start of the current transaction), `gtids` (transactions completed before it),
 * `event` (rows events of the transaction already emitted) and `row` (rows of the next rows event
 * already emitted), `ts_sec`, `server_id`, and `snapshot` while an initial snapshot is running.
 */
import type { SourceOffset } from '../../sdk/data.ts';
import { ConnectException } from '../../sdk/errors.ts';

export interface BinlogOffset {
  file: string;
  pos: number;
  gtids?: string;
  event?: number;
  row?: number;
  ts_sec?: number;
  server_id?: number;
  snapshot?: string | boolean;
}

export function toSourceOffset(o: BinlogOffset): SourceOffset {
  const out: SourceOffset = {};
  if (o.ts_sec !== undefined) out.ts_sec = o.ts_sec;
  out.file = o.file;
  out.pos = o.pos;
  if (o.gtids) out.gtids = o.gtids;
  if (o.row) out.row = o.row;
  if (o.server_id) out.server_id = o.server_id;
  if (o.event) out.event = o.event;
  if (o.snapshot !== undefined) out.snapshot = o.snapshot;
  return out;
}

export function parseOffset(raw: SourceOffset): BinlogOffset {
  const file = raw.file;
  const pos = Number(raw.pos);
  if (typeof file !== 'string' || !Number.isInteger(pos)) {
    throw new ConnectException(
      `Stored offset ${JSON.stringify(raw)} has no valid file/pos; reset it with PATCH /connectors/<name>/offsets or DELETE /connectors/<name>/offsets`,
    );
  }
  return {
    file,
    pos,
    gtids: typeof raw.gtids === 'string' && raw.gtids !== '' ? raw.gtids : undefined,
    event: raw.event === undefined ? undefined : Number(raw.event),
    row: raw.row === undefined ? undefined : Number(raw.row),
    ts_sec: raw.ts_sec === undefined ? undefined : Number(raw.ts_sec),
    server_id: raw.server_id === undefined ? undefined : Number(raw.server_id),
    snapshot: raw.snapshot as string | boolean | undefined,
  };
}

/** True when the offset was written during an initial snapshot that did not complete. */
export const isSnapshotInProgress = (o: BinlogOffset): boolean =>
  o.snapshot === true || o.snapshot === 'true' || o.snapshot === 'INITIAL';

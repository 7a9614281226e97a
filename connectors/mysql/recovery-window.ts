/**
 * snapshot.mode=recovery rebuilds the schema history from the tables' current structures (SHOW
 * CREATE TABLE), stored at the connector's offset, as Debezium does. That is right only if no DDL
 * changed a captured table between the offset and the moment the structures were read: rows before
 * such a statement would be decoded with the later structure. Debezium documents the caveat;
 * Tributary checks it while streaming through that window and fails on such a statement.
 */
import type { Connection } from 'mysql2/promise';
import { ConnectException } from '../../sdk/errors.ts';
import type { Filters } from './filters.ts';
import type { DdlStatement } from './schema/ddl.ts';
import { compareBinlogPositions } from './schema/schema-history.ts';

export interface BinlogPoint {
  file: string;
  pos: number;
}

export class RecoveryWindow {
  constructor(
    /** The stored offset the history was rebuilt at. */
    readonly from: BinlogPoint,
    /** The binlog end once the structures were read. */
    readonly until: BinlogPoint,
  ) {}

  /** True while an event at `at` lies inside the window. */
  covers(at: BinlogPoint): boolean {
    return compareBinlogPositions(at, this.until) < 0;
  }

  /** Fails when a DDL statement inside the window changed a captured table. */
  check(at: BinlogPoint, ddl: string, statement: DdlStatement, filters: Filters): void {
    if (statement.kind === 'truncate' || !this.covers(at)) return;
    const touched = statement.changes.find(
      (c) =>
        filters.tableIncluded(c.database, c.table) ||
        (c.previous !== undefined && filters.tableIncluded(c.previous.database, c.previous.table)),
    );
    if (!touched) return;
    throw new ConnectException(
      `snapshot.mode=recovery rebuilt the schema history from the current table structures at the stored offset ${this.from.file}:${this.from.pos}, ` +
        `but the binlog after that offset changes the captured table ${touched.database}.${touched.table} ` +
        `(at ${at.file}:${at.pos}: ${ddl.length > 200 ? `${ddl.slice(0, 200)}…` : ddl}), so earlier rows would be decoded with a later structure. ` +
        'Restore the schema history (schema.history.internal.*) that belongs to the offset, or take a new snapshot (snapshot.mode=initial with a new topic.prefix or cleared offsets)',
    );
  }
}

/** The server's current binlog end (SHOW MASTER STATUS, or SHOW BINARY LOG STATUS on MySQL 8.4+). */
export async function binlogEnd(conn: Connection): Promise<BinlogPoint> {
  let rows: Array<Record<string, unknown>>;
  try {
    [rows] = (await conn.query('SHOW MASTER STATUS')) as unknown as [Array<Record<string, unknown>>];
  } catch {
    [rows] = (await conn.query('SHOW BINARY LOG STATUS')) as unknown as [Array<Record<string, unknown>>];
  }
  const row = rows[0];
  if (!row)
    throw new ConnectException('The server has binary logging disabled (SHOW MASTER STATUS is empty); enable log_bin');
  return { file: String(row.File), pos: Number(row.Position) };
}

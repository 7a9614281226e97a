/**
 * The incremental snapshot's own connection to the MySQL/MariaDB server (chunks, watermark rows,
 * row estimates), opened on first use and re-opened after a loss; binary-safe (values as bytes).
 */
import mysqlPromise, { type Connection } from 'mysql2/promise';
import type { ConnectionOptions } from 'mysql2';
import { ConnectException } from '../../../sdk/errors.ts';
import { destroyConnection } from '../connection-close.ts';

export class SnapshotConnection {
  private conn: Connection | null = null;

  constructor(private readonly options: ConnectionOptions) {}

  async connection(): Promise<Connection> {
    if (this.conn) return this.conn;
    const conn = await mysqlPromise.createConnection({
      ...this.options,
      charset: 'utf8mb4',
      typeCast: (field, next) => (field.type === 'NULL' ? next() : field.buffer()),
    });
    conn.on('error', () => {
      if (this.conn === conn) this.conn = null;
    });
    await conn.query("SET SESSION time_zone = '+00:00'");
    this.conn = conn;
    return conn;
  }

  /** Fails the start when the signal table is missing or lacks the id, type and data columns. */
  async verifySignalTable(signal: { database: string; table: string }, signalIdent: string): Promise<void> {
    const { database, table } = signal;
    const conn = await this.connection();
    const [rows] = (await conn.query(
      {
        sql: 'SELECT COLUMN_NAME FROM information_schema.columns WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
        rowsAsArray: true,
      },
      [database, table],
    )) as unknown as [Array<[Buffer]>];
    const cols = rows.map((r) => r[0].toString('utf8').toLowerCase());
    const fix = `create it as CREATE TABLE ${signalIdent} (id VARCHAR(64) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL) and grant the connector user INSERT on it`;
    if (cols.length === 0)
      throw new ConnectException(
        `signal.data.collection=${database}.${table}: the table does not exist (or the connector user cannot see it); ${fix}`,
      );
    if (cols.length < 3 || cols[0] !== 'id' || cols[1] !== 'type' || cols[2] !== 'data') {
      throw new ConnectException(
        `signal.data.collection=${database}.${table}: the table has columns (${cols.join(', ')}); a signal table needs id, type, data in that order; ${fix}`,
      );
    }
  }

  /** information_schema's row estimate of `<db>.<table>`, null when unknown. */
  async tableRows(name: string): Promise<number | null> {
    const conn = await this.connection();
    const i = name.indexOf('.');
    const [rows] = (await conn.query(
      {
        sql: 'SELECT TABLE_ROWS FROM information_schema.tables WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
        rowsAsArray: true,
      },
      [name.slice(0, i), name.slice(i + 1)],
    )) as unknown as [Array<[Buffer | null]>];
    const v = rows[0]?.[0];
    return v ? Number(v.toString('latin1')) : null;
  }

  /** Forgets a lost connection (the next use opens a new one). */
  drop(): void {
    this.conn?.destroy();
    this.conn = null;
  }

  close(): void {
    destroyConnection(this.conn);
    this.conn = null;
  }
}

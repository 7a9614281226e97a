/**
 * The binlog client's read-ahead is bounded by bytes as well as by events: while the consumer is
 * behind (the task waiting for the producer), the queued events are views of mysql2's socket chunks,
 * so an event-count bound alone (max.queue.size, 8,192) holds megabytes of large rows.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { BinlogClient } from '../../../connectors/mysql/binlog/binlog-client.ts';
import { createDatabase, mysqlServer } from './helpers.ts';

const WRITE_ROWS_EVENT_TYPES = new Set([23, 30]); // WRITE_ROWS_EVENT_V1 (MariaDB), WRITE_ROWS_EVENT (MySQL 8)
const ROWS = 240;
const ROW_BYTES = 48 * 1024;
const BOUND = 1024 * 1024;

let conn: Connection | undefined;
let client: BinlogClient | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  await conn?.end();
  conn = undefined;
});

async function settled(read: () => number): Promise<number> {
  let last = -1;
  let stableSince = Date.now();
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const now = read();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 750) return now;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the read-ahead never settled (last ${last} bytes)`);
}

describe('binlog read-ahead', () => {
  it('pauses the socket at the byte bound and then delivers every event', async () => {
    const created = await createDatabase('readahead');
    conn = created.conn;
    await conn.query('CREATE TABLE blobs (id INT PRIMARY KEY, b LONGBLOB)');
    const [[status]] = (await conn.query('SHOW MASTER STATUS')) as unknown as [
      Array<{ File: string; Position: number }>,
    ];
    const payload = Buffer.alloc(ROW_BYTES, 0x61);
    for (let i = 1; i <= ROWS; i++) await conn.query('INSERT INTO blobs VALUES (?, ?)', [i, payload]);

    const server = mysqlServer();
    client = new BinlogClient({
      connection: { host: server.host, port: Number(server.port), user: server.user, password: server.password },
      serverId: 5_400_000 + Math.floor(Math.random() * 100_000),
      start: { file: status.File, position: status.Position },
      highWaterMark: 10_000,
      highWaterMarkBytes: BOUND,
    });
    await client.connect();

    // Nothing consumes: the queue fills to the bound and the socket stays paused.
    const held = await settled(() => client!.bufferedBytes);
    expect(held).toBeGreaterThanOrEqual(BOUND);
    // At most the rest of the socket chunk being parsed when the socket was paused.
    expect(held).toBeLessThan(BOUND + 256 * 1024);
    expect(client.buffered).toBeLessThan(ROWS);

    let rows = 0;
    let bytes = 0;
    const deadline = Date.now() + 30_000;
    while (rows < ROWS && Date.now() < deadline) {
      const event = await client.next(1000);
      if (event === null) break;
      if (event === undefined) continue;
      if (WRITE_ROWS_EVENT_TYPES.has(event[4])) {
        rows++;
        bytes += event.length;
      }
      expect(client.bufferedBytes).toBeLessThan(BOUND + 256 * 1024);
    }
    expect(rows).toBe(ROWS);
    expect(bytes).toBeGreaterThan(ROWS * ROW_BYTES);
  });
});

/**
 * Binlog rotation mid-stream (FLUSH BINARY LOGS): streaming follows ROTATE into the next file, and
 * a restart from an offset in the old file resumes correctly both by GTID and by file/position
 * alone (COM_BINLOG_DUMP without GTIDs).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { connectorConfig, createDatabase, pollUntil, startTask } from './helpers.ts';

let conn: Connection | undefined;
afterAll(async () => {
  await conn?.end();
});
const idOf = (r: SourceRecord) => (r.key as Struct).get('id') as number;

describe('MySQL source: binlog rotation', () => {
  it('streams across a rotation and resumes from an offset in the previous file', async () => {
    const created = await createDatabase('rot');
    conn = created.conn;
    await conn.query('CREATE TABLE t (id INT PRIMARY KEY)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-rot-'));
    const config = connectorConfig(created.db, dir, { 'snapshot.mode': 'no_data' });
    const topic = `dbserver1.${created.db}.t`;
    const { task, abort } = await startTask(config, null, 'rot');
    await pollUntil(task, (all) => all.some((r) => r.topic === 'dbserver1'));
    await conn.query('INSERT INTO t VALUES (1), (2)');
    await conn.query('INSERT INTO t VALUES (3)');
    await conn.query('FLUSH BINARY LOGS');
    await conn.query('INSERT INTO t VALUES (4)');
    const recs = (await pollUntil(task, (all) => all.filter((r) => r.topic === topic).length >= 4)).filter(
      (r) => r.topic === topic,
    );
    task.stop();
    abort.abort();
    expect(recs.map(idOf)).toEqual([1, 2, 3, 4]);
    const fileOf = (r: SourceRecord) => ((r.value as Struct).get('source') as Struct).get('file') as string;
    expect(fileOf(recs[3])).not.toBe(fileOf(recs[2]));
    const offset = recs[0].sourceOffset; // mid first transaction, old file: row 1 emitted, row 2 not yet
    expect(offset).toMatchObject({ row: 1 });

    for (const variant of ['gtid', 'file/pos'] as const) {
      const off = { ...offset };
      if (variant === 'file/pos') delete off.gtids;
      else expect(off.gtids).toMatch(/^\d+-\d+-\d+/);
      const again = await startTask(config, off, 'rot');
      const resumed = (await pollUntil(again.task, (all) => all.filter((r) => r.topic === topic).length >= 3)).filter(
        (r) => r.topic === topic,
      );
      again.task.stop();
      again.abort.abort();
      expect(resumed.map(idOf)).toEqual([2, 3, 4]);
    }
  });
});

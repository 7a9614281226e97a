/**
 * MariaDB system-versioned tables (issue #17): Debezium 3.5's MariaDB connector snapshots them and
 * fails at their first streamed change (their rows carry hidden row_start/row_end columns).
 * Tributary refuses to capture one (at the snapshot, or at the DDL making a captured table
 * versioned), naming the table and the fix; an excluded one stays in the snapshot's schema events
 * as in Debezium's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import type { Struct } from '../../../runtime/data/struct.ts';
import { connectorConfig, createDatabase, pollUntil, startTask } from './helpers.ts';

const conns: Connection[] = [];
afterAll(async () => {
  for (const c of conns) await c.end();
});

describe('MySQL source: MariaDB system-versioned tables', () => {
  it('refuses a captured one at the snapshot and at the DDL making one versioned; an excluded one is recorded, not captured', async () => {
    const { db, conn } = await createDatabase('sysver');
    conns.push(conn);
    await conn.query('CREATE TABLE plain (id INT PRIMARY KEY)');
    await conn.query('CREATE TABLE hist (id INT PRIMARY KEY, v INT) WITH SYSTEM VERSIONING');
    await conn.query('INSERT INTO hist VALUES (1, 1)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-sysver-'));
    const config = connectorConfig(db, dir, { 'schema.history.internal.store.only.captured.databases.ddl': 'true' });

    // The snapshot reads the structures at start.
    await expect(startTask(config, null, 'sysver')).rejects.toThrow(
      new RegExp(
        `Table ${db}\\.hist is a MariaDB system-versioned table .*found by the snapshot.*table\\.exclude\\.list=${db}\\\\\\.hist.*DROP SYSTEM VERSIONING`,
      ),
    );

    const excluded = { ...config, 'table.exclude.list': `${db}\\.hist` };
    const { task, abort } = await startTask(excluded, null, 'sysver');
    try {
      await conn.query('INSERT INTO plain VALUES (1)');
      const all = await pollUntil(task, (rs) => rs.some((r) => r.topic === `dbserver1.${db}.plain`), 120_000);
      const ddl = all
        .filter((r) => r.topic === 'dbserver1' && (r.value as Struct).get('databaseName') === db)
        .map((r) => String((r.value as Struct).get('ddl')));
      expect(ddl.some((d) => d.includes('`plain`'))).toBe(true);
      expect(
        ddl.filter((d) => d.startsWith('CREATE TABLE `hist`')).map((d) => /WITH SYSTEM VERSIONING/.test(d)),
      ).toEqual([true]);
      expect(all.some((r) => r.topic === `dbserver1.${db}.hist`)).toBe(false);

      // Making a captured table versioned while streaming stops the task.
      await conn.query('ALTER TABLE plain ADD SYSTEM VERSIONING');
      await expect(pollUntil(task, () => false, 120_000)).rejects.toThrow(
        new RegExp(`Table ${db}\\.plain is a MariaDB system-versioned table .*made so at binlog`),
      );
    } finally {
      task.stop();
      abort.abort();
    }
  }, 300_000);
});

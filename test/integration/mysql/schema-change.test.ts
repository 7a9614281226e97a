/**
 * DDL mid-stream: add, drop and rename columns and create a table while the connector runs and
 * while it is stopped; after a restart the old binlog positions are decoded with the structure
 * that was current then (schema history + table maps), and schema change events carry the DDL.
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
afterAll(async () => { await conn?.end(); });

function after(r: SourceRecord): Record<string, unknown> {
  const a = (r.value as Struct).get('after') as Struct;
  return Object.fromEntries(a.schema.fields.map((f) => [f.name, a.get(f.name)]));
}

describe('MySQL source: schema changes', () => {
  it('decodes rows before and after ADD/DROP/RENAME COLUMN and CREATE TABLE, across a restart', async () => {
    const created = await createDatabase('ddl');
    conn = created.conn;
    const db = created.db;
    await conn.query('CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10))');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-ddl-'));
    const history = path.join(dir, 'schema-history.jsonl');
    const config = connectorConfig(db, dir);
    const topic = `dbserver1.${db}.t`;

    const first = await startTask(config, null, 'ddl');
    await pollUntil(first.task, (all) => all.some((r) => r.topic === 'dbserver1'));
    await conn.query("INSERT INTO t VALUES (1, 'a1')");
    await conn.query('ALTER TABLE t ADD COLUMN b INT');
    await conn.query("INSERT INTO t VALUES (2, 'a2', 20)");
    const part1 = await pollUntil(first.task, (all) => all.filter((r) => r.topic === topic).length >= 2);
    first.task.stop();
    first.abort.abort();
    const data1 = part1.filter((r) => r.topic === topic);
    expect(data1.map(after)).toEqual([{ id: 1, a: 'a1' }, { id: 2, a: 'a2', b: 20 }]);
    const ddl1 = part1.filter((r) => r.topic === 'dbserver1').map((r) => (r.value as Struct).get('ddl'));
    expect(ddl1).toContain('ALTER TABLE t ADD COLUMN b INT');
    const offset = data1[1].sourceOffset;

    // While the connector is down the table keeps changing; information_schema now shows only the final structure.
    await conn.query('ALTER TABLE t DROP COLUMN a');
    await conn.query('INSERT INTO t VALUES (3, 30)');
    await conn.query('ALTER TABLE t CHANGE COLUMN b c INT');
    await conn.query('INSERT INTO t VALUES (4, 40)');
    await conn.query('CREATE TABLE u (k VARCHAR(5) PRIMARY KEY, n DECIMAL(4,1))');
    await conn.query("INSERT INTO u VALUES ('x', 1.5)");
    await conn.query("UPDATE t SET c = 41 WHERE id = 4");

    const second = await startTask(config, offset, 'ddl');
    const part2 = await pollUntil(second.task, (all) => all.filter((r) => r.topic === topic).length >= 3 && all.some((r) => r.topic === `dbserver1.${db}.u`));
    second.task.stop();
    second.abort.abort();
    const data2 = part2.filter((r) => r.topic === topic);
    expect(data2.map(after)).toEqual([{ id: 3, b: 30 }, { id: 4, c: 40 }, { id: 4, c: 41 }]);
    const u = part2.find((r) => r.topic === `dbserver1.${db}.u`)!;
    expect(after(u)).toMatchObject({ k: 'x' });
    expect(((u.key as Struct).get('k'))).toBe('x');
    const ddl2 = part2.filter((r) => r.topic === 'dbserver1').map((r) => r.value as Struct);
    expect(ddl2.map((v) => v.get('ddl'))).toEqual(['ALTER TABLE t DROP COLUMN a', 'ALTER TABLE t CHANGE COLUMN b c INT', 'CREATE TABLE u (k VARCHAR(5) PRIMARY KEY, n DECIMAL(4,1))']);
    const created2 = (ddl2[2].get('tableChanges') as Struct[])[0];
    expect(created2.get('type')).toBe('CREATE');
    expect(created2.get('id')).toBe(`"${db}"."u"`);
    expect(((created2.get('table') as Struct).get('primaryKeyColumnNames'))).toEqual(['k']);

    // The history file holds one record per DDL after the snapshot records, each at its own position.
    // (By default the history keeps the DDL of every database, as Debezium's: other tests' statements are filtered out.)
    const lines = fs.readFileSync(history, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { ddl: string; databaseName: string; position: { file: string; pos: number } });
    expect(lines.filter((l) => l.databaseName === db && l.ddl.startsWith('ALTER TABLE t')).length).toBe(3);
    const positions = lines.slice(1).map((l) => l.position.pos);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });
});

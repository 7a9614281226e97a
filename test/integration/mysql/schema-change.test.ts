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
const extraConns: Connection[] = [];
afterAll(async () => {
  await conn?.end();
  for (const c of extraConns) await c.end();
});

const schemaEvents = (all: SourceRecord[]) => all.filter((r) => r.topic === 'dbserver1').map((r) => r.value as Struct);
const ddlOf = (v: Struct) => (v.get('ddl') as string).split(' (')[0];

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
    expect(data1.map(after)).toEqual([
      { id: 1, a: 'a1' },
      { id: 2, a: 'a2', b: 20 },
    ]);
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
    await conn.query('UPDATE t SET c = 41 WHERE id = 4');

    const second = await startTask(config, offset, 'ddl');
    const part2 = await pollUntil(
      second.task,
      (all) => all.filter((r) => r.topic === topic).length >= 3 && all.some((r) => r.topic === `dbserver1.${db}.u`),
    );
    second.task.stop();
    second.abort.abort();
    const data2 = part2.filter((r) => r.topic === topic);
    expect(data2.map(after)).toEqual([
      { id: 3, b: 30 },
      { id: 4, c: 40 },
      { id: 4, c: 41 },
    ]);
    const u = part2.find((r) => r.topic === `dbserver1.${db}.u`)!;
    expect(after(u)).toMatchObject({ k: 'x' });
    expect((u.key as Struct).get('k')).toBe('x');
    // Other tests' databases change on the same server meanwhile, and by default (as Debezium's) their DDL is
    // emitted too: only this database's statements are compared.
    const ddl2 = part2
      .filter((r) => r.topic === 'dbserver1')
      .map((r) => r.value as Struct)
      .filter((v) => v.get('databaseName') === db);
    expect(ddl2.map((v) => v.get('ddl'))).toEqual([
      'ALTER TABLE t DROP COLUMN a',
      'ALTER TABLE t CHANGE COLUMN b c INT',
      'CREATE TABLE u (k VARCHAR(5) PRIMARY KEY, n DECIMAL(4,1))',
    ]);
    const created2 = (ddl2[2].get('tableChanges') as Struct[])[0];
    expect(created2.get('type')).toBe('CREATE');
    expect(created2.get('id')).toBe(`"${db}"."u"`);
    expect((created2.get('table') as Struct).get('primaryKeyColumnNames')).toEqual(['k']);

    // The history file holds one record per DDL after the snapshot records, each at its own position.
    // (By default the history keeps the DDL of every database, as Debezium's: other tests' statements are filtered out.)
    const lines = fs
      .readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ddl: string; databaseName: string; position: { file: string; pos: number } });
    expect(lines.filter((l) => l.databaseName === db && l.ddl.startsWith('ALTER TABLE t')).length).toBe(3);
    // (Only this database's: a restart re-reads from the committed offset the other databases' DDL the first run had stored past it.)
    const positions = lines.filter((l) => l.databaseName === db).map((l) => l.position.pos);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it("snapshot schema change events are Debezium's: SET, DROP TABLE IF EXISTS per table, DROP/CREATE DATABASE, USE, CREATE TABLE", async () => {
    const a = await createDatabase('snapev');
    const other = await createDatabase('snapev_o');
    extraConns.push(a.conn, other.conn);
    await a.conn.query('CREATE TABLE b2 (id INT PRIMARY KEY)');
    await a.conn.query('CREATE TABLE a1 (id INT PRIMARY KEY, v VARCHAR(3))');
    await other.conn.query('CREATE TABLE o (id INT PRIMARY KEY)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-snapev-'));
    const q = (s: string) => `\`${s}\``;

    // Captured databases only: exactly the statements of Debezium's snapshot for a.db.
    const scoped = await startTask(
      connectorConfig(a.db, dir, { 'schema.history.internal.store.only.captured.databases.ddl': 'true' }),
      null,
      'snapev',
    );
    await a.conn.query("INSERT INTO a1 VALUES (1, 'x')");
    const part1 = await pollUntil(scoped.task, (all) => all.some((r) => r.topic === `dbserver1.${a.db}.a1`), 60_000);
    scoped.task.stop();
    scoped.abort.abort();
    const events = schemaEvents(part1);
    expect(events.map(ddlOf)).toEqual([
      expect.stringMatching(/^SET character_set_server=\w+, collation_server=\w+$/),
      `DROP TABLE IF EXISTS ${q(a.db)}.${q('a1')}`,
      `DROP TABLE IF EXISTS ${q(a.db)}.${q('b2')}`,
      `DROP DATABASE IF EXISTS ${q(a.db)}`,
      `CREATE DATABASE ${q(a.db)} CHARSET utf8mb4 COLLATE utf8mb4_general_ci`,
      `USE ${q(a.db)}`,
      'CREATE TABLE `a1`',
      'CREATE TABLE `b2`',
    ]);
    expect(
      events.map((v) => [
        v.get('databaseName'),
        (v.get('source') as Struct).get('db'),
        (v.get('source') as Struct).get('table'),
      ]),
    ).toEqual([
      ['', '', null],
      [a.db, a.db, 'a1'],
      [a.db, a.db, 'b2'],
      [a.db, a.db, null],
      [a.db, a.db, null],
      [a.db, a.db, null],
      [a.db, a.db, 'a1'],
      [a.db, a.db, 'b2'],
    ]);
    const changes = events.map((v) =>
      (v.get('tableChanges') as Struct[]).map((c) => [c.get('type'), c.get('id'), c.get('table') === null]),
    );
    expect(changes).toEqual([
      [],
      [['DROP', `"${a.db}"."a1"`, true]],
      [['DROP', `"${a.db}"."b2"`, true]],
      [],
      [],
      [],
      [['CREATE', `"${a.db}"."a1"`, false]],
      [['CREATE', `"${a.db}"."b2"`, false]],
    ]);

    // Debezium's default (store.only.captured.databases.ddl=false): every database but the built-in ones, tables ordered by id.
    fs.rmSync(path.join(dir, 'schema-history.jsonl'));
    const all = await startTask(connectorConfig(a.db, dir), null, 'snapev-all');
    await a.conn.query("INSERT INTO a1 VALUES (2, 'y')");
    const part2 = await pollUntil(
      all.task,
      (rs) => rs.some((r) => r.topic === `dbserver1.${a.db}.a1` && (r.value as Struct).get('op') === 'c'),
      120_000,
    );
    all.task.stop();
    all.abort.abort();
    const ddls = schemaEvents(part2).map((v) => [v.get('databaseName') as string, ddlOf(v)] as const);
    const drops = ddls.filter(([, d]) => d.startsWith('DROP TABLE IF EXISTS')).map(([, d]) => d);
    expect(drops).toContain(`DROP TABLE IF EXISTS ${q(other.db)}.${q('o')}`);
    const ids = drops.map((d) => d.slice('DROP TABLE IF EXISTS '.length).replace(/`/g, ''));
    expect(ids).toEqual([...ids].sort());
    expect(ddls.findIndex(([, d]) => d.startsWith('DROP DATABASE'))).toBe(drops.length + 1);
    expect(ddls).toContainEqual([other.db, 'CREATE TABLE `o`']);
    expect(ddls.filter(([db]) => ['mysql', 'sys', 'performance_schema', 'information_schema'].includes(db))).toEqual(
      [],
    );
    const otherDb = ddls.filter(([db]) => db === other.db).map(([, d]) => d);
    expect(otherDb).toEqual([
      `DROP TABLE IF EXISTS ${q(other.db)}.${q('o')}`,
      `DROP DATABASE IF EXISTS ${q(other.db)}`,
      `CREATE DATABASE ${q(other.db)} CHARSET utf8mb4 COLLATE utf8mb4_general_ci`,
      `USE ${q(other.db)}`,
      'CREATE TABLE `o`',
    ]);
  }, 200_000);
});

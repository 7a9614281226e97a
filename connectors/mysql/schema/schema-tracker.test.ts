import { describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { silentLogger } from '../../../runtime/logging.ts';
import { Filters } from '../filters.ts';
import { MemorySchemaHistory } from './schema-history.ts';
import { type HistoryScope, SchemaTracker } from './schema-tracker.ts';

const filtersConfig = {
  databaseInclude: [/^app$/i],
  databaseExclude: null,
  tableInclude: null,
  tableExclude: null,
  columnInclude: null,
  columnExclude: null,
};
const filters = new Filters(filtersConfig);
const scope: HistoryScope = {
  storeOnlyCapturedTables: false,
  storeOnlyCapturedDatabases: false,
  skipUnparseableDdl: false,
};
const noConn = null as unknown as Connection;
const at = (pos: number) => ({ file: 'bin.000001', pos });

async function tracker(s: Partial<HistoryScope> = {}) {
  const history = new MemorySchemaHistory();
  const t = new SchemaTracker(history, filters, 'srv', { ...scope, ...s }, silentLogger);
  await t.applyDdl(noConn, "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(3) NOT NULL DEFAULT 'x')", 'app', at(100), 1);
  return { t, history };
}

describe('SchemaTracker', () => {
  it('changes the model only by DDL and recovers the structure in force at an offset', async () => {
    const { t, history } = await tracker();
    await t.applyDdl(noConn, 'ALTER TABLE t ADD COLUMN b INT FIRST', 'app', at(200), 2);
    await t.applyDdl(noConn, 'ALTER TABLE t DROP COLUMN a', 'app', at(300), 3);
    expect(t.tables.get('app.t')!.columns.map((c) => c.name)).toEqual(['b', 'id']);
    expect(history.records().map((r) => r.ddl)).toEqual([
      "CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(3) NOT NULL DEFAULT 'x')",
      'ALTER TABLE t ADD COLUMN b INT FIRST',
      'ALTER TABLE t DROP COLUMN a',
    ]);
    t.recover(at(250));
    expect(t.tables.get('app.t')!.columns.map((c) => `${c.name}:${c.nullable}:${c.defaultValue}`)).toEqual([
      'b:true:null',
      'id:false:null',
      "a:false:'x'",
    ]);
    t.recover(null);
    expect(t.tables.get('app.t')!.columns.map((c) => c.name)).toEqual(['b', 'id']);
  });

  it('stores a rename as one ALTER with the previous id and recovers it', async () => {
    const { t, history } = await tracker();
    const { events } = await t.applyDdl(noConn, 'RENAME TABLE t TO u', 'app', at(200), 2);
    const record = events[0].record;
    expect(record.ddl).toBe('RENAME TABLE t TO u');
    expect(record.tableChanges.map((c) => [c.type, c.id, c.previousId])).toEqual([['ALTER', '"app"."u"', '"app"."t"']]);
    t.recover(null);
    expect([...t.tables.keys()]).toEqual(['app.u']);
    expect(history.records()).toHaveLength(2);
  });

  it('fails on an unparseable statement with the statement and its position, unless skip.unparseable.ddl', async () => {
    const { t } = await tracker();
    await expect(t.applyDdl(noConn, 'ALTER TABLE t ADD COLUMN c INT, FROBNICATE', 'app', at(400), 4)).rejects.toThrow(
      /binlog bin\.000001:400 \(offset 32 .*ALTER TABLE t ADD COLUMN c INT, FROBNICATE.*skip\.unparseable\.ddl=true/s,
    );
    const skipping = await tracker({ skipUnparseableDdl: true });
    expect(
      (await skipping.t.applyDdl(noConn, 'ALTER TABLE t ADD COLUMN c INT, FROBNICATE', 'app', at(400), 4)).events,
    ).toEqual([]);
    expect(skipping.t.tables.get('app.t')!.columns).toHaveLength(2);
  });

  it('stores and sends the DDL of every database by default, as Debezium', async () => {
    const all = await tracker();
    const other = await all.t.applyDdl(noConn, 'CREATE TABLE other.x (a INT)', 'other', at(200), 2);
    expect(other.events.map((e) => [e.record.databaseName, e.stored, e.record.tableChanges[0]?.type])).toEqual([
      ['other', true, 'CREATE'],
    ]);
    expect(all.t.tables.has('other.x')).toBe(true);
    expect(
      (await all.t.applyDdl(noConn, 'CREATE DATABASE app2 CHARACTER SET latin1', '', at(300), 3)).events[0].record.ddl,
    ).toBe('CREATE DATABASE app2 CHARACTER SET latin1');
  });

  it('keeps to captured databases with store.only.captured.databases.ddl', async () => {
    const captured = await tracker({ storeOnlyCapturedDatabases: true });
    expect((await captured.t.applyDdl(noConn, 'CREATE TABLE other.x (a INT)', 'other', at(200), 2)).events).toEqual([]);
    expect(captured.history.records()).toHaveLength(1);
    expect((await captured.t.applyDdl(noConn, 'CREATE DATABASE other', '', at(300), 3)).events).toEqual([]);
    // A table of a captured database that is not captured itself is still stored and sent.
    const narrow = new Filters({ ...filtersConfig, tableInclude: [/^app\.t$/i] });
    const h = new MemorySchemaHistory();
    const t = new SchemaTracker(h, narrow, 'srv', { ...scope, storeOnlyCapturedDatabases: true }, silentLogger);
    const r = await t.applyDdl(noConn, 'CREATE TABLE app.y (a INT)', 'app', at(200), 2);
    expect(r.events.map((e) => e.stored)).toEqual([true]);
  });

  it('keeps to captured tables with store.only.captured.tables.ddl (database events sent, not stored)', async () => {
    const narrow = new Filters({ ...filtersConfig, tableInclude: [/^app\.t$/i] });
    const h = new MemorySchemaHistory();
    const t = new SchemaTracker(h, narrow, 'srv', { ...scope, storeOnlyCapturedTables: true }, silentLogger);
    await t.applyDdl(noConn, 'CREATE TABLE t (id INT PRIMARY KEY)', 'app', at(100), 1);
    expect((await t.applyDdl(noConn, 'CREATE TABLE app.y (a INT)', 'app', at(200), 2)).events).toEqual([]);
    expect((await t.applyDdl(noConn, 'CREATE INDEX i ON t (id)', 'app', at(250), 2)).events).toEqual([]);
    const db = await t.applyDdl(noConn, 'CREATE DATABASE app', '', at(300), 3);
    expect(db.events.map((e) => [e.record.ddl, e.stored])).toEqual([['CREATE DATABASE app', false]]);
    const drop = await t.applyDdl(noConn, 'DROP TABLE t, y', 'app', at(400), 4);
    expect(drop.events.map((e) => [e.record.ddl, e.stored])).toEqual([['DROP TABLE `app`.`t`', true]]);
    expect(h.records().map((r) => r.ddl)).toEqual(['CREATE TABLE t (id INT PRIMARY KEY)', 'DROP TABLE `app`.`t`']);
  });

  it("splits statements into Debezium's events: DROP TABLE per table, RENAME per clause, others whole", async () => {
    const { t, history } = await tracker();
    await t.applyDdl(noConn, 'CREATE TABLE u (id INT)', 'app', at(150), 1);
    const drop = await t.applyDdl(
      noConn,
      'DROP TABLE IF EXISTS t, other.nope /* generated by server */',
      'app',
      at(200),
      2,
    );
    expect(drop.events.map((e) => [e.record.databaseName, e.record.ddl, e.record.tableChanges])).toEqual([
      ['app', 'DROP TABLE IF EXISTS `app`.`t`', [{ type: 'DROP', id: '"app"."t"', table: null }]],
      ['other', 'DROP TABLE IF EXISTS `other`.`nope`', [{ type: 'DROP', id: '"other"."nope"', table: null }]],
    ]);
    expect(drop.events.map((e) => e.event.sourceTable)).toEqual(['t', 'nope']);
    const index = await t.applyDdl(noConn, 'CREATE INDEX i ON u (id)', 'app', at(300), 3);
    expect(
      index.events.map((e) => [e.record.databaseName, e.record.ddl, e.record.tableChanges, e.event.sourceTable]),
    ).toEqual([['app', 'CREATE INDEX i ON u (id)', [], '']]);
    await t.applyDdl(noConn, 'CREATE TABLE v (id INT)', 'app', at(350), 3);
    const rename = await t.applyDdl(noConn, 'RENAME TABLE u TO u2, `v` TO app.v2', 'app', at(400), 4);
    expect(rename.events.map((e) => [e.record.ddl, e.record.tableChanges[0].previousId, e.event.sourceTable])).toEqual([
      ['RENAME TABLE u TO u2', '"app"."u"', 'v2,u2'],
      ['RENAME TABLE `v` TO app.v2', '"app"."v"', 'v2,u2'],
    ]);
    const dropDb = await t.applyDdl(noConn, 'DROP DATABASE app', '', at(500), 5);
    expect(dropDb.events.map((e) => [e.record.databaseName, e.record.tableChanges])).toEqual([['app', []]]);
    expect(t.tables.size).toBe(0);
    t.recover(null);
    expect(t.tables.size).toBe(0);
    expect(history.records().length).toBe(9);
  });

  it('reports TRUNCATE for the reader without a history record', async () => {
    const { t } = await tracker();
    expect(await t.applyDdl(noConn, 'TRUNCATE TABLE t', 'app', at(200), 2)).toEqual({
      events: [],
      statement: { kind: 'truncate', changes: [{ type: 'ALTER', database: 'app', table: 't' }] },
    });
  });

  it('keeps MariaDB JSON columns (LONGTEXT in the documents) JSON across recovery', async () => {
    const { t, history } = await tracker();
    await t.applyDdl(
      noConn,
      'CREATE TABLE j (id INT PRIMARY KEY, d JSON, e LONGTEXT, f LONGTEXT CHECK (json_valid(f)))',
      'app',
      at(200),
      2,
    );
    await t.applyDdl(noConn, 'ALTER TABLE j ADD COLUMN x INT', 'app', at(300), 3);
    const doc = history.records()[1].tableChanges[0].table!.columns.find((c) => c.name === 'd')!;
    expect([doc.typeName, doc.jdbcType]).toEqual(['JSON', 1111]);
    t.recover(null);
    expect(t.tables.get('app.j')!.columns.map((c) => `${c.name}:${c.dataType}:${c.json}`)).toEqual([
      'id:int:false',
      'd:longtext:true',
      'e:longtext:false',
      'f:longtext:true',
      'x:int:false',
    ]);
  });

  it('refuses DDL that makes a captured table system-versioned, not one of another database', async () => {
    const { t } = await tracker();
    await expect(
      t.applyDdl(noConn, 'CREATE TABLE v (id INT PRIMARY KEY) WITH SYSTEM VERSIONING', 'app', at(200), 2),
    ).rejects.toThrow(
      /app\.v is a MariaDB system-versioned table .*binlog bin\.000001:200.*table\.exclude\.list=app\\\.v/,
    );
    await expect(t.applyDdl(noConn, 'ALTER TABLE t ADD SYSTEM VERSIONING', 'app', at(300), 3)).rejects.toThrow(
      /app\.t is a MariaDB system-versioned table/,
    );
    const other = await t.applyDdl(noConn, 'CREATE TABLE other.v (id INT) WITH SYSTEM VERSIONING', 'app', at(400), 4);
    expect(other.events).toHaveLength(1);
    // Words inside literals and comments are not the clause.
    await t.applyDdl(
      noConn,
      "CREATE TABLE w (id INT COMMENT 'WITH SYSTEM VERSIONING') /* ADD SYSTEM VERSIONING */",
      'app',
      at(500),
      5,
    );
  });

  it("drops what Debezium's default ddl.filter drops (views, routines, users, grants, temporary tables)", async () => {
    const { t, history } = await tracker();
    for (const q of [
      'CREATE VIEW v AS SELECT 1',
      'CREATE DEFINER=`root`@`localhost` PROCEDURE p() BEGIN SELECT 1; END',
      "GRANT SELECT ON app.* TO 'u'@'%'",
      "CREATE USER IF NOT EXISTS 'u'@'%'",
      'DROP TEMPORARY TABLE IF EXISTS `tmp` /* generated by server */',
      'ANALYZE TABLE t',
    ])
      expect((await t.applyDdl(noConn, q, 'app', at(200), 2)).events, q).toEqual([]);
    expect((await t.applyDdl(noConn, 'TRUNCATE TABLE t', 'app', at(300), 3)).statement.kind).toBe('truncate');
    expect(history.records()).toHaveLength(1);
  });
});

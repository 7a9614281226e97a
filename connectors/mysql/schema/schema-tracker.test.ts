import { describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { silentLogger } from '../../../runtime/logging.ts';
import { Filters } from '../filters.ts';
import { MemorySchemaHistory } from './schema-history.ts';
import { type HistoryScope, SchemaTracker } from './schema-tracker.ts';

const filters = new Filters({
  databaseInclude: [/^app$/i],
  databaseExclude: null,
  tableInclude: null,
  tableExclude: null,
  columnInclude: null,
  columnExclude: null,
});
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
    const { record } = await t.applyDdl(noConn, 'RENAME TABLE t TO u', 'app', at(200), 2);
    expect(record!.tableChanges.map((c) => [c.type, c.id, c.previousId])).toEqual([
      ['ALTER', '"app"."u"', '"app"."t"'],
    ]);
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
      (await skipping.t.applyDdl(noConn, 'ALTER TABLE t ADD COLUMN c INT, FROBNICATE', 'app', at(400), 4)).record,
    ).toBeNull();
    expect(skipping.t.tables.get('app.t')!.columns).toHaveLength(2);
  });

  it('keeps the DDL of every database by default, of captured databases with store.only.captured.databases.ddl', async () => {
    const all = await tracker();
    const other = await all.t.applyDdl(noConn, 'CREATE TABLE other.x (a INT)', 'other', at(200), 2);
    // Stored in the history, but no schema change event: the table is not captured.
    expect([other.record?.databaseName, other.emit]).toEqual(['other', false]);
    expect((await all.t.applyDdl(noConn, 'ALTER TABLE t ADD COLUMN z INT', 'app', at(250), 2)).emit).toBe(true);
    expect(all.t.tables.has('other.x')).toBe(true);
    const captured = await tracker({ storeOnlyCapturedDatabases: true });
    expect((await captured.t.applyDdl(noConn, 'CREATE TABLE other.x (a INT)', 'other', at(200), 2)).record).toBeNull();
    expect(captured.history.records()).toHaveLength(1);
    expect((await captured.t.applyDdl(noConn, 'CREATE DATABASE other', '', at(300), 3)).record).toBeNull();
    expect((await captured.t.applyDdl(noConn, 'CREATE DATABASE app2', '', at(300), 3)).record).toBeNull();
    expect(
      (await all.t.applyDdl(noConn, 'CREATE DATABASE app2 CHARACTER SET latin1', '', at(300), 3)).record?.ddl,
    ).toBe('CREATE DATABASE app2 CHARACTER SET latin1');
  });

  it('reports TRUNCATE for the reader without a history record', async () => {
    const { t } = await tracker();
    expect(await t.applyDdl(noConn, 'TRUNCATE TABLE t', 'app', at(200), 2)).toEqual({
      record: null,
      statement: { kind: 'truncate', changes: [{ type: 'ALTER', database: 'app', table: 't' }] },
      emit: false,
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
});

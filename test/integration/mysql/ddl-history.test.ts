/**
 * Issue #17's acceptance: while the connector is stopped, DDL interleaved with rows (ADD COLUMN
 * FIRST, DROP COLUMN, MODIFY to NOT NULL with a new default, CHANGE name, RENAME TABLE, DROP and
 * re-CREATE with another structure, a table created and dropped within one second). Started again,
 * every row is decoded with the structure in force at its binlog position — with
 * binlog_row_metadata FULL and MINIMAL (table maps without column names) — and the same again after
 * a replay from a timestamp before the DDL. The Connect schemas follow the DDL in force (defaults,
 * NOT NULL, ENUM/SET values, unsigned).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { binlogReplayPlan } from '../../../connectors/mysql/binlog-locator.ts';
import { adminConnection, connectorConfig, createDatabase, pollUntil, startTask } from './helpers.ts';

const conns: Connection[] = [];
afterAll(async () => {
  for (const c of conns) await c.end();
});

function after(r: SourceRecord): Record<string, unknown> {
  const a = (r.value as Struct).get('after') as Struct;
  return Object.fromEntries(a.schema.fields.map((f) => [f.name, a.get(f.name)]));
}

/** name:type[?][=default] of each field of the record's `after` schema. */
function fields(r: SourceRecord): string[] {
  const a = (r.value as Struct).schema.field('after')!.schema;
  return a.fields.map((f) => {
    const s = f.schema;
    const allowed = s.parameters?.allowed ? `{${s.parameters.allowed}}` : '';
    const def =
      s.defaultValue !== undefined && s.defaultValue !== null
        ? `=${typeof s.defaultValue === 'object' ? JSON.stringify(s.defaultValue) : String(s.defaultValue)}`
        : '';
    return `${f.name}:${s.type}${s.optional ? '?' : ''}${allowed}${def}`;
  });
}

const nextSecond = async (): Promise<void> => {
  const now = Date.now();
  await new Promise((r) => setTimeout(r, 1000 - (now % 1000) + 20));
};

/** The rows and schemas every run (restart and replay, FULL and MINIMAL) must produce, in binlog order. */
const EXPECTED = [
  { table: 't', after: { id: 2, a: 'a2', b: 20 }, fields: ['id:int32', 'a:string?', 'b:int32?'] },
  { table: 't', after: { f: 7, id: 3, a: 'a3', b: 30 }, fields: ['f:int32?', 'id:int32', 'a:string?', 'b:int32?'] },
  { table: 't', after: { f: 8, id: 4, a: 'a4' }, fields: ['f:int32?', 'id:int32', 'a:string?'] },
  { table: 't', after: { f: 9, id: 5, a: 'dflt' }, fields: ['f:int32?', 'id:int32', 'a:string=dflt'] },
  { table: 't', after: { g: 10, id: 6, a: 'a6' }, fields: ['g:int64?', 'id:int32', 'a:string=dflt'] },
  { table: 't2', after: { g: 11, id: 7, a: 'a7' }, fields: ['g:int64?', 'id:int32', 'a:string=dflt'] },
  { table: 'u', after: { id: 1, x: 'x1' }, fields: ['id:int32', 'x:string?'] },
  {
    table: 'u',
    after: { id: 2, y: '1.50', z: 'q', n: 4000000000, c: 'é€' },
    fields: ['id:int32', 'y:string=1.50', 'z:string?{p,q}', 'n:int64=0', 'c:string?'],
  },
  // CREATE TABLE … SELECT: the server writes the resulting CREATE TABLE (selected columns included) to the binlog.
  { table: 'cs', after: { extra: 7, id: 2, label: 'q' }, fields: ['extra:int32?=7', 'id:int32', 'label:string?{p,q}'] },
  {
    table: 'cs',
    after: { extra: 8, id: 3, label: null },
    fields: ['extra:int32?=7', 'id:int32', 'label:string?{p,q}'],
  },
  { table: 'w', after: { id: 1, s: 'a,b' }, fields: ['id:int32', 's:string?{a,b}'] },
];

/** Compares decimals by their text and drops Connect types' noise. */
function plain(v: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(v).map(([k, x]) => [
      k,
      typeof x === 'object' && x !== null && 'toString' in x && !Buffer.isBuffer(x)
        ? String(x)
        : typeof x === 'bigint'
          ? Number(x)
          : x,
    ]),
  );
}

function check(records: SourceRecord[], db: string): void {
  const data = records.filter(
    (r) => r.topic.startsWith(`dbserver1.${db}.`) && (r.value as Struct | null)?.get('op') === 'c',
  );
  expect(
    data.map((r) => ({ table: r.topic.slice(`dbserver1.${db}.`.length), after: plain(after(r)), fields: fields(r) })),
  ).toEqual(EXPECTED);
}

async function runScenario(metadata: 'FULL' | 'MINIMAL'): Promise<void> {
  const { db, conn } = await createDatabase(`ddlh_${metadata.toLowerCase()}`);
  conns.push(conn);
  await conn.query('CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10), b INT)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-ddlh-'));
  const config = connectorConfig(db, dir, {
    'decimal.handling.mode': 'string',
    'bigint.unsigned.handling.mode': 'long',
  });
  const name = `ddlh-${metadata}`;

  const first = await startTask(config, null, name);
  await pollUntil(first.task, (all) => all.some((r) => r.topic === 'dbserver1'));
  await conn.query("INSERT INTO t VALUES (1, 'a1', 10)");
  const part1 = await pollUntil(first.task, (all) => all.some((r) => r.topic === `dbserver1.${db}.t`));
  first.task.stop();
  first.abort.abort();
  const offset = part1.filter((r) => r.topic === `dbserver1.${db}.t`).at(-1)!.sourceOffset;

  // The replay point lies after row 1 and before all DDL.
  await nextSecond();
  const replayFrom = Date.now();
  await nextSecond();
  const admin = await adminConnection();
  conns.push(admin);
  const [[{ m: before }]] = (await admin.query('SELECT @@GLOBAL.binlog_row_metadata AS m')) as unknown as [
    Array<{ m: string }>,
  ];
  // binlog_row_metadata is global only on MariaDB: the MINIMAL window is kept to these statements and always restored.
  if (metadata === 'MINIMAL') await admin.query("SET GLOBAL binlog_row_metadata = 'MINIMAL'");
  try {
    await conn.query("INSERT INTO t VALUES (2, 'a2', 20)");
    await conn.query('ALTER TABLE t ADD COLUMN f INT FIRST');
    await conn.query("INSERT INTO t VALUES (7, 3, 'a3', 30)");
    await conn.query('ALTER TABLE t DROP COLUMN b');
    await conn.query("INSERT INTO t VALUES (8, 4, 'a4')");
    await conn.query("ALTER TABLE t MODIFY a VARCHAR(20) NOT NULL DEFAULT 'dflt'");
    await conn.query('INSERT INTO t (f, id) VALUES (9, 5)');
    await conn.query('ALTER TABLE t CHANGE f g BIGINT');
    await conn.query("INSERT INTO t VALUES (10, 6, 'a6')");
    await conn.query('RENAME TABLE t TO t2');
    await conn.query("INSERT INTO t2 VALUES (11, 7, 'a7')");
    await conn.query('CREATE TABLE u (id INT PRIMARY KEY, x VARCHAR(5))');
    await conn.query("INSERT INTO u VALUES (1, 'x1')");
    await conn.query('DROP TABLE u');
    await conn.query(
      "CREATE TABLE u (id INT PRIMARY KEY, y DECIMAL(5,2) NOT NULL DEFAULT 1.50, z ENUM('p','q'), n INT UNSIGNED NOT NULL DEFAULT 0, c VARCHAR(5) CHARACTER SET latin1)",
    );
    await conn.query("INSERT INTO u (id, z, n, c) VALUES (2, 'q', 4000000000, 'é€')");
    await conn.query('CREATE TABLE cs (extra INT DEFAULT 7, KEY (extra)) SELECT id, z AS label FROM u');
    await conn.query('INSERT INTO cs (extra, id) VALUES (8, 3)');
    await conn.query(
      "CREATE TABLE w (id INT PRIMARY KEY, s SET('a','b')); INSERT INTO w VALUES (1, 'a,b'); DROP TABLE w",
    );
  } finally {
    if (metadata === 'MINIMAL') await admin.query('SET GLOBAL binlog_row_metadata = ?', [before]);
  }
  // information_schema now shows only t2 and the second u: the rows above must not be decoded with them.
  const expectedCount = EXPECTED.length;
  const countData = (all: SourceRecord[]) =>
    all.filter((r) => r.topic.startsWith(`dbserver1.${db}.`) && (r.value as Struct | null)?.get('op') === 'c').length;

  const second = await startTask(config, offset, name);
  const part2 = await pollUntil(second.task, (all) => countData(all) >= expectedCount, 60_000);
  second.task.stop();
  second.abort.abort();
  check(part2, db);
  const ddl = part2
    .filter((r) => r.topic === 'dbserver1' && (r.value as Struct).get('databaseName') === db)
    .map((r) => r.value as Struct);
  const rename = ddl.find((v) => v.get('ddl') === 'RENAME TABLE t TO t2')!;
  const renameChanges = rename.get('tableChanges') as Struct[];
  expect(renameChanges.map((c) => [c.get('type'), c.get('id')])).toEqual([['ALTER', `"${db}"."t2"`]]);
  const modify = (
    ddl.find((v) => String(v.get('ddl')).startsWith('ALTER TABLE t MODIFY'))!.get('tableChanges') as Struct[]
  )[0];
  const colA = ((modify.get('table') as Struct).get('columns') as Struct[]).find((c) => c.get('name') === 'a')!;
  expect([
    colA.get('typeName'),
    colA.get('length'),
    colA.get('optional'),
    colA.get('defaultValueExpression'),
    colA.get('position'),
  ]).toEqual(['VARCHAR', 20, false, 'dflt', 3]);

  // Replay from a timestamp before the DDL: the history is recovered up to the replay offset.
  const plan = await binlogReplayPlan(config, replayFrom);
  const third = await startTask(config, plan.offsets[0].offset, name);
  const part3 = await pollUntil(third.task, (all) => countData(all) >= expectedCount, 60_000);
  third.task.stop();
  third.abort.abort();
  check(part3, db);
}

describe('MySQL source: table structure from the binlog DDL (schema history)', () => {
  it('decodes every row with the structure at its position after a stop, with binlog_row_metadata=FULL, and after a replay', async () => {
    await runScenario('FULL');
  }, 180_000);

  it('does the same with binlog_row_metadata=MINIMAL (table maps without column names)', async () => {
    await runScenario('MINIMAL');
  }, 180_000);

  it('snapshot.mode=recovery rebuilds a lost history from SHOW CREATE TABLE at the stored offset and resumes there', async () => {
    const { db, conn } = await createDatabase('ddlh_recovery');
    conns.push(conn);
    await conn.query("CREATE TABLE r (id INT PRIMARY KEY, v ENUM('x','y') NOT NULL DEFAULT 'y')");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-ddlh-'));
    const config = connectorConfig(db, dir);
    const first = await startTask(config, null, 'ddlh-recovery');
    await pollUntil(first.task, (all) => all.some((r) => r.topic === 'dbserver1'));
    await conn.query("INSERT INTO r VALUES (1, 'x')");
    const part1 = await pollUntil(first.task, (all) => all.some((r) => r.topic === `dbserver1.${db}.r`));
    first.task.stop();
    first.abort.abort();
    const offset = part1.filter((r) => r.topic === `dbserver1.${db}.r`).at(-1)!.sourceOffset;
    fs.rmSync(path.join(dir, 'schema-history.jsonl'));
    await conn.query("INSERT INTO r VALUES (2, 'y')");

    await expect(startTask({ ...config, 'snapshot.mode': 'recovery' }, null, 'ddlh-recovery')).rejects.toThrow(
      /snapshot\.mode=recovery .*no stored offset/,
    );
    const second = await startTask({ ...config, 'snapshot.mode': 'recovery' }, offset, 'ddlh-recovery');
    const part2 = await pollUntil(second.task, (all) =>
      all.some((r) => r.topic === `dbserver1.${db}.r` && (r.value as Struct).get('op') === 'c'),
    );
    second.task.stop();
    second.abort.abort();
    const row = part2.find((r) => r.topic === `dbserver1.${db}.r`)!;
    expect([after(row), fields(row)]).toEqual([{ id: 2, v: 'y' }, ['id:int32', 'v:string{x,y}=y']]);
    // The records rebuilt at the offset (DDL of other databases streamed since may follow them).
    // As Debezium's snapshot: the server charsets, then (of every database) DROP TABLE IF EXISTS, DROP/CREATE DATABASE, USE, CREATE TABLE.
    const history = fs
      .readFileSync(path.join(dir, 'schema-history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            ddl: string;
            databaseName: string;
            position: { file: string; pos: number; snapshot?: boolean };
          },
      )
      .filter((h) => h.position.snapshot === true);
    expect(history[0].ddl).toMatch(/^SET character_set_server=\w+, collation_server=\w+$/);
    expect(history.filter((h) => h.databaseName === db).map((h) => h.ddl.split(' (')[0].split('\n')[0])).toEqual([
      `DROP TABLE IF EXISTS \`${db}\`.\`r\``,
      `DROP DATABASE IF EXISTS \`${db}\``,
      `CREATE DATABASE \`${db}\` CHARSET utf8mb4 COLLATE utf8mb4_general_ci`,
      `USE \`${db}\``,
      'CREATE TABLE `r`',
    ]);
    expect(history.every((h) => h.position.file === offset.file && h.position.pos === offset.pos)).toBe(true);
  }, 120_000);

  it('snapshot.mode=recovery fails when DDL changed a captured table after the stored offset (the rebuilt history would be wrong)', async () => {
    const { db, conn } = await createDatabase('ddlh_recovery_ddl');
    conns.push(conn);
    await conn.query('CREATE TABLE r (id INT PRIMARY KEY, v INT)');
    await conn.query('CREATE TABLE other_t (id INT PRIMARY KEY)');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-ddlh-'));
    const config = connectorConfig(db, dir, { 'table.include.list': `${db}\\.r` });
    const first = await startTask(config, null, 'ddlh-recovery-ddl');
    await pollUntil(first.task, (all) => all.some((r) => r.topic === 'dbserver1'));
    await conn.query('INSERT INTO r VALUES (1, 1)');
    const part1 = await pollUntil(first.task, (all) => all.some((r) => r.topic === `dbserver1.${db}.r`));
    first.task.stop();
    first.abort.abort();
    const offset = part1.filter((r) => r.topic === `dbserver1.${db}.r`).at(-1)!.sourceOffset;
    fs.rmSync(path.join(dir, 'schema-history.jsonl'));
    // DDL of a table not captured is harmless; the ALTER of r makes row 2 undecodable with r's current structure.
    await conn.query('ALTER TABLE other_t ADD COLUMN x INT');
    await conn.query('INSERT INTO r VALUES (2, 2)');
    await conn.query('ALTER TABLE r DROP COLUMN v');
    await conn.query('INSERT INTO r VALUES (3)');

    const second = await startTask({ ...config, 'snapshot.mode': 'recovery' }, offset, 'ddlh-recovery-ddl');
    try {
      await expect(pollUntil(second.task, () => false, 60_000)).rejects.toThrow(
        new RegExp(
          `snapshot\\.mode=recovery rebuilt the schema history .* changes the captured table ${db}\\.r \\(at mysql-bin\\.\\d+:\\d+: ALTER TABLE r DROP COLUMN v\\).*Restore the schema history`,
        ),
      );
    } finally {
      second.task.stop();
      second.abort.abort();
    }
  }, 120_000);
});

/**
 * The snapshot reads tables through `COPY (SELECT …) TO STDOUT`: its rows must convert to the
 * values a plain SELECT's text rows convert to (escapes, NULL against the text `\N`, multi-byte
 * characters and rows split across network chunks), at most about `snapshot.fetch.size` received
 * rows may wait, and stopping during a COPY must leave the connection usable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createPgTestDb, type PgTestDb } from './helpers.ts';
import { parseSettings, type PostgresConnectorSettings } from '../../../connectors/postgres/config.ts';
import { openSqlClient, quoteIdent } from '../../../connectors/postgres/connection.ts';
import { TypeRegistry } from '../../../connectors/postgres/type-registry.ts';
import { Snapshotter } from '../../../connectors/postgres/snapshotter.ts';
import { tableMeta } from '../../../connectors/postgres/catalog.ts';
import { TableSchema } from '../../../connectors/postgres/table-schema.ts';
import { postgresSourceSchema } from '../../../connectors/postgres/source-info.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import type { SourceRecord } from '../../../runtime/data/records.ts';

let db: PgTestDb;
let settings: PostgresConnectorSettings;
let sql: pg.Client;
const types = new TypeRegistry();

beforeAll(async () => {
  db = await createPgTestDb('copy_snap');
  await db.query(`CREATE TABLE public.odd (
    id int PRIMARY KEY, t text, v varchar(300000), b bytea, a text[], j jsonb, n numeric, ts timestamptz, f float8)`);
  await db.query(`INSERT INTO public.odd VALUES
    (1, E'tab\\there', E'new\\nline\\r\\nend', E'\\\\x00ff5c0a09', ARRAY['a,b', E'c"d', NULL, E'back\\\\slash'], '{"k": "v\\\\n"}', 1.5, '2024-02-29 23:59:59.123456+00', 1e-300),
    (2, E'\\\\N', '', '\\x', '{}', 'null', -0.000001, 'infinity', 'NaN'),
    (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (4, 'grüße ✓ 😀 ' || repeat('é😀', 40000), repeat(E'\\\\\\t', 50000), decode(repeat('ab', 100000), 'hex'), ARRAY[repeat('x', 70000)], '[]', 123456789012345678901234567890.123, '0001-01-01 00:00:00+00', -0.0),
    (5, E'\\b\\f\\v\\u0001', 'NULL', '\\x5c4e', ARRAY['NULL', ''], '"\\\\N"', 'NaN', '2000-01-01 00:00:00+00', 'Infinity')`);
  await db.query('CREATE TABLE public.nocols ()');
  await db.query('INSERT INTO public.nocols DEFAULT VALUES');
  await db.query('INSERT INTO public.nocols DEFAULT VALUES');
  await db.query(
    `CREATE TABLE public.many AS SELECT g AS id, repeat('r', 100) || g AS payload FROM generate_series(1, 50000) g`,
  );
  settings = parseSettings(db.connectorConfig({ 'snapshot.fetch.size': '100' }));
  sql = await openSqlClient(settings);
  await types.load(sql);
}, 120_000);

afterAll(async () => {
  await sql?.end().catch(() => undefined);
  await db?.drop();
});

/** The Value structs of a plain SELECT's text rows, converted the way the cursor-based snapshot did. */
async function selectedRows(table: string): Promise<Struct[]> {
  const oid = Number((await sql.query<{ oid: string }>('SELECT $1::regclass::oid AS oid', [table])).rows[0].oid);
  const meta = await tableMeta(sql, oid);
  const schema = new TableSchema(meta, meta.columns, types, settings, postgresSourceSchema(settings.layout));
  const cols = meta.columns.map((c) => quoteIdent(c.name)).join(', ');
  const r = await sql.query({ text: `SELECT ${cols} FROM ${table}`, rowMode: 'array' });
  return (r.rows as Array<Array<string | null>>).map((row) => schema.row(row, false));
}

async function snapshotAll(s: PostgresConnectorSettings): Promise<SourceRecord[]> {
  const client = await openSqlClient(s);
  try {
    const snapshotter = new Snapshotter(client, s, types);
    await snapshotter.begin(null);
    const out: SourceRecord[] = [];
    for (let b = await snapshotter.next(1000); b !== null; b = await snapshotter.next(1000)) out.push(...b);
    expect(snapshotter.progress.phase).toBe('done');
    return out;
  } finally {
    await client.end();
  }
}

const manySettings = (): PostgresConnectorSettings =>
  parseSettings(db.connectorConfig({ 'snapshot.fetch.size': '100', 'table.include.list': 'public.many' }));

/** Field values by name (toEqual compares NaN, Buffers, bigints and nested structs by value, as the bytes written would). */
const fieldsOf = (s: Struct): Record<string, unknown> =>
  Object.fromEntries(s.schema.fields.map((f) => [f.name, s.getWithoutDefault(f.name)]));

const after = (r: SourceRecord): Struct => (r.value as Struct).getStruct('after')!;

describe('COPY-based snapshot', () => {
  it('converts every row to the values of a plain SELECT, escapes, NULLs and long multi-byte rows included', async () => {
    const records = await snapshotAll(
      parseSettings(
        db.connectorConfig({ 'snapshot.fetch.size': '100', 'table.include.list': 'public.odd,public.nocols' }),
      ),
    );
    const odd = records.filter((r) => r.topic.endsWith('.public.odd'));
    const expected = await selectedRows('public.odd');
    expect(odd).toHaveLength(5);
    odd.forEach((r, i) => expect(fieldsOf(after(r)), `row ${i + 1}`).toEqual(fieldsOf(expected[i])));
    expect(after(odd[1]).get('t')).toBe('\\N');
    expect(after(odd[2]).get('t')).toBeNull();
    expect((after(odd[3]).get('t') as string).length).toBe('grüße ✓ 😀 '.length + 40000 * 3);
    const nocols = records.filter((r) => r.topic.endsWith('.public.nocols'));
    expect(nocols).toHaveLength(2);
    expect(records.at(-1)!.sourceOffset).toMatchObject({ last_snapshot_record: true });
  }, 120_000);

  it('keeps at most about snapshot.fetch.size received rows waiting while the records are not taken', async () => {
    const client = await openSqlClient(settings);
    try {
      const snapshotter = new Snapshotter(client, manySettings(), types);
      await snapshotter.begin(null);
      let read = (await snapshotter.next(10))!.length;
      await new Promise((r) => setTimeout(r, 1000)); // the server would send the whole table meanwhile
      // 100 (snapshot.fetch.size) plus the rows of the network chunk that crossed it (~110 bytes a row).
      expect(snapshotter.pendingRows).toBeLessThan(100 + 2000);
      expect(snapshotter.progress.rowsScanned).toBeLessThan(10 + 100 + 2000 + 2000);
      for (let b = await snapshotter.next(5000); b !== null; b = await snapshotter.next(5000)) read += b.length;
      expect(read).toBe(50000);
      expect(snapshotter.progress.rowsScanned).toBe(50000);
    } finally {
      await client.end();
    }
  }, 120_000);

  it('stops a running COPY on abort and leaves the connection usable, outside the transaction', async () => {
    const client = await openSqlClient(settings);
    try {
      const snapshotter = new Snapshotter(client, manySettings(), types);
      await snapshotter.begin(null);
      await snapshotter.next(10);
      const t0 = Date.now();
      await snapshotter.abort();
      expect(Date.now() - t0).toBeLessThan(60_000);
      const r = await client.query<{ s: string }>("SELECT pg_current_xact_id_if_assigned() IS NULL AS s, 'ok' AS ok");
      expect(r.rows[0]).toMatchObject({ s: 't', ok: 'ok' });
    } finally {
      await client.end();
    }
  }, 120_000);
});

/**
 * End to end: PostgreSQL → Tributary (PostgreSQL source, embedded log, S3 sink with
 * ExtractNewRecordState) → the test S3 server as Parquet. A snapshot, streamed inserts and updates;
 * the objects are read back with hyparquet and with pyarrow, the latest image of every row
 * (by offset) is compared with the table column by column: bigint, text, numeric as DECIMAL,
 * smallint, date, time and timestamp as Connect's logical types (time.precision.mode=connect),
 * bytea, boolean, double precision, nulls.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnector, connectorStatus, createPgTestDb, startWorker, type PgTestDb } from '../postgres/helpers.ts';
import type { RunningWorker } from '../../../app/workers.ts';
import { waitFor } from '../../helpers/wait.ts';
import { ensurePyarrow } from '../../setup/pyarrow.ts';
import { createBucket, getObject, listKeys, s3Props } from './helpers.ts';
import { readWithHyparquet } from '../../../connectors/s3/parquet/testing/read-back.ts';
import { BigDecimal, twosComplementToBigint } from '../../../runtime/data/logical.ts';

const READER = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../connectors/s3/parquet/testing/read_parquet.py',
);
const FLUSH = 50;
const SNAPSHOT_ROWS = 200;
const STREAMED_ROWS = 100;
const UPDATES = 50; // 350 change events: 7 files of 50

let db: PgTestDb | undefined;
let worker: RunningWorker | undefined;
let python: string;
// pyarrow from PyPI the first time on a machine (test/setup/pyarrow.ts): minutes, not part of the test's own time
beforeAll(async () => {
  python = await ensurePyarrow();
}, 900_000);
afterAll(async () => {
  await worker?.stop();
  await db?.drop();
});

/** The table in the form the Parquet rows are normalized to. */
const TABLE_SQL = `SELECT id::text AS id, name, price::text AS price, qty, (born - date '1970-01-01') AS born,
  (extract(epoch FROM at_time) * 1000)::bigint::text AS at_time, (extract(epoch FROM created) * 1000)::bigint::text AS created,
  encode(data, 'hex') AS data, flag, score FROM public.items ORDER BY items.id`;

type Row = Record<string, unknown>;

/** A hyparquet row (DECIMAL read as its unscaled bytes) in the TABLE_SQL form. */
function fromHyparquetRow(r: Row): Row {
  return {
    id: String(r.id),
    name: r.name ?? null,
    price: r.price === null ? null : new BigDecimal(twosComplementToBigint(r.price as Uint8Array), 2).toString(),
    qty: r.qty,
    born: r.born ?? null,
    at_time: r.at_time === null ? null : String(r.at_time),
    created: String(r.created),
    data: r.data === null ? null : Buffer.from(r.data as Uint8Array).toString('hex'),
    flag: r.flag ?? null,
    score: r.score ?? null,
  };
}

/** A read_parquet.py row (ints as strings) in the TABLE_SQL form. */
function fromPyarrowRow(r: Row): Row {
  return {
    ...r,
    qty: Number(r.qty),
    born: r.born === null ? null : Number(r.born),
    at_time: r.at_time === null ? null : String(r.at_time),
    created: String(r.created),
  };
}

/** The last image of each id across the objects in offset order. */
function latestById(rows: Row[]): Row[] {
  const byId = new Map<string, Row>();
  for (const r of rows) byId.set(String(r.id), r);
  return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

describe('PostgreSQL → Tributary → S3 as Parquet', () => {
  it('lands the table with ExtractNewRecordState; hyparquet and pyarrow read it back equal to the table', async () => {
    db = await createPgTestDb('s3pq');
    const bucket = await createBucket('pg-parquet');
    await db.query(`CREATE TABLE public.items (id bigint PRIMARY KEY, name text, price numeric(12,2), qty smallint NOT NULL, born date,
      at_time time(3), created timestamp(3) NOT NULL, data bytea, flag boolean, score double precision)`);
    const insert = (from: number, to: number) =>
      db!.query(`INSERT INTO public.items
      SELECT g::bigint * 1000000007, CASE WHEN g % 9 = 0 THEN NULL ELSE 'item ' || g || ' ✓' END, CASE WHEN g % 7 = 0 THEN NULL ELSE (g::bigint * 12345 % 100000000) / 100.0 - 5000 END,
        g % 300, CASE WHEN g % 5 = 0 THEN NULL ELSE date '1960-01-01' + g * 37 END, time '00:00' + g * interval '1234.567 seconds',
        timestamp '2024-01-01' + g * interval '1 hour 0.123 seconds', CASE WHEN g % 4 = 0 THEN NULL ELSE decode(lpad(to_hex(g), 8, '0'), 'hex') END,
        CASE WHEN g % 3 = 0 THEN NULL ELSE g % 2 = 0 END, CASE WHEN g % 6 = 0 THEN NULL ELSE g / 3.0 END
      FROM generate_series(${from}, ${to}) g`);
    await insert(1, SNAPSHOT_ROWS);

    const started = await startWorker();
    worker = started.worker;
    const topic = `${db.name}.public.items`;
    await createConnector(
      worker,
      'pg-source',
      db.connectorConfig({ 'table.include.list': 'public.items', 'time.precision.mode': 'connect' }),
    );
    await createConnector(worker, 's3-parquet-sink', {
      ...s3Props(bucket, {
        'format.class': 'io.confluent.connect.s3.format.parquet.ParquetFormat',
        'flush.size': String(FLUSH),
        'parquet.codec': 'snappy',
      }),
      topics: topic,
      'tasks.max': '1',
      transforms: 'unwrap',
      'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
    });
    const prefix = `topics/${topic}/partition=0/`;
    // the snapshot lands first (4 files), so the inserts and updates below are streamed changes
    await waitFor(async () => (await listKeys(bucket, prefix)).length >= SNAPSHOT_ROWS / FLUSH, {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: 'the snapshot in the bucket',
    });
    await insert(SNAPSHOT_ROWS + 1, SNAPSHOT_ROWS + STREAMED_ROWS);
    await db.query(`UPDATE public.items SET name = 'updated ' || id, price = price + 0.01, flag = NOT coalesce(flag, false), score = NULL
      WHERE id IN (SELECT id FROM public.items ORDER BY id LIMIT ${UPDATES})`);

    const events = SNAPSHOT_ROWS + STREAMED_ROWS + UPDATES;
    await waitFor(async () => (await listKeys(bucket, prefix)).length >= events / FLUSH, {
      timeoutMs: 120_000,
      intervalMs: 500,
      what: `${events / FLUSH} Parquet objects under ${prefix}`,
    }).catch(async (err: Error) => {
      const status = await Promise.all(['pg-source', 's3-parquet-sink'].map((c) => connectorStatus(worker!, c)));
      throw new Error(
        `${err.message}; ${(await listKeys(bucket, prefix)).length} there; status ${JSON.stringify(status)}`,
      );
    });
    const keys = await listKeys(bucket, prefix);
    expect(keys).toEqual(
      Array.from(
        { length: events / FLUSH },
        (_v, i) => `${prefix}${topic}+0+${String(i * FLUSH).padStart(10, '0')}.snappy.parquet`,
      ),
    );

    const want = await db.query(TABLE_SQL);
    const files = await Promise.all(keys.map((k) => getObject(bucket, k)));

    const hyRows: Row[] = [];
    for (const bytes of files) {
      const { metadata, rows } = await readWithHyparquet(bytes);
      expect(metadata.schema.find((e) => e.name === 'price')).toMatchObject({
        type: 'BYTE_ARRAY',
        converted_type: 'DECIMAL',
        precision: 12,
        scale: 2,
      });
      expect(metadata.schema.find((e) => e.name === 'created')).toMatchObject({
        type: 'INT64',
        logical_type: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: true },
      });
      expect(metadata.schema.find((e) => e.name === 'at_time')).toMatchObject({
        type: 'INT32',
        logical_type: { type: 'TIME', unit: 'MILLIS' },
      });
      expect(metadata.schema.find((e) => e.name === 'born')).toMatchObject({ type: 'INT32', converted_type: 'DATE' });
      hyRows.push(...rows.map(fromHyparquetRow));
    }
    expect(hyRows).toHaveLength(events);
    expect(latestById(hyRows)).toEqual(want);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-s3-pq-'));
    const paths = files.map((bytes, i) => {
      const p = path.join(dir, `${i}.parquet`);
      fs.writeFileSync(p, bytes);
      return p;
    });
    const pyRows = execFileSync(python, [READER, ...paths], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 })
      .trim()
      .split('\n')
      .flatMap((line) => (JSON.parse(line) as { rows: Row[] }).rows.map(fromPyarrowRow));
    expect(latestById(pyRows)).toEqual(want);
  }, 600_000);
});

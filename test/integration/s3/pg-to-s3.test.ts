/**
 * End to end: PostgreSQL → Tributary (PostgreSQL source, embedded log, ExtractNewRecordState with
 * delete.tombstone.handling.mode=rewrite) → S3, as JSON lines and as Parquet; and the Debezium envelopes
 * themselves as Avro. The objects, replayed in offset order (last change per id wins,
 * __deleted=true or op=d removes), equal the table.
 */
import { describe, it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import avro from 'avsc';
import os from 'node:os';
import path from 'node:path';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { createPgTestDb, type PgTestDb } from '../postgres/helpers.ts';
import { waitFor } from '../../helpers/wait.ts';
import { twosComplementToBigint } from '../../../runtime/data/logical.ts';
import { readWithHyparquet } from '../../../connectors/s3/parquet/testing/read-back.ts';
import { createBucket, getObject, jsonLines, listKeys, s3Props } from './helpers.ts';

const ROWS = 3_000;

const dbs: PgTestDb[] = [];
const workers: RunningWorker[] = [];
afterAll(async () => {
  for (const w of workers) await w.stop();
  for (const d of dbs) await d.drop();
});

type Row = { id: number; name: string; qty: number; price: string; updated: number; __deleted?: string };

/** avsc's long as a bigint (Debezium's ts_ns does not fit a double). */
const BIGINT_LONG = (avro.types.LongType as unknown as { __with(m: Record<string, unknown>): avro.Type }).__with({
  fromBuffer: (buf: Buffer) => buf.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(n));
    return b;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0),
});

/** A Decimal as JsonConverter writes it (base64 of the unscaled two's-complement bytes), or a number, to a 2-decimal string. */
function price(v: unknown): string {
  if (typeof v === 'number') return v.toFixed(2);
  if (typeof v === 'string') {
    const b = Buffer.from(v, 'base64');
    let n = BigInt('0x' + (b.toString('hex') || '0'));
    if (b[0] & 0x80) n -= 1n << BigInt(b.length * 8);
    return (Number(n) / 100).toFixed(2);
  }
  return String(v);
}

function fold(records: Array<Record<string, unknown>>): string[] {
  const state = new Map<number, string>();
  for (const rec of records) {
    // A Debezium envelope (Avro case): the row is `after`, or `before` of a delete.
    const r =
      'op' in rec
        ? {
            ...((rec.op === 'd' ? rec.before : rec.after) as Record<string, unknown>),
            __deleted: rec.op === 'd' ? 'true' : 'false',
          }
        : rec;
    const id = Number(r.id);
    if (!Number.isInteger(id))
      throw new Error(
        `a record without an id: ${JSON.stringify(rec, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).slice(0, 500)}`,
      );
    if (r.__deleted === 'true') state.delete(id);
    else state.set(id, `${id}|${r.name}|${Number(r.qty)}|${price(r.price)}|${Number(r.updated)}`);
  }
  return [...state.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

async function tableState(db: PgTestDb): Promise<string[]> {
  const rows = await db.query<Row>(
    'SELECT id, name, qty, price::text AS price, (extract(epoch from updated) * 1000)::bigint AS updated FROM public.items ORDER BY id',
  );
  return rows.map((r) => `${r.id}|${r.name}|${r.qty}|${r.price}|${Number(r.updated)}`);
}

async function objectRows(bucket: string, prefix: string, ext: string): Promise<Array<Record<string, unknown>>> {
  const keys = (await listKeys(bucket, prefix)).filter((k) => k.endsWith(ext));
  keys.sort((a, b) => Number(/\+(\d+)\.[a-z.]+$/.exec(a)![1]) - Number(/\+(\d+)\.[a-z.]+$/.exec(b)![1]));
  const out: Array<Record<string, unknown>> = [];
  for (const k of keys) {
    const bytes = await getObject(bucket, k);
    if (ext === '.json') out.push(...(jsonLines(bytes) as Array<Record<string, unknown>>));
    else if (ext === '.avro') {
      const rows = await new Promise<Array<Record<string, unknown>>>((resolve, reject) => {
        const got: Array<Record<string, unknown>> = [];
        Readable.from([bytes])
          .pipe(
            new avro.streams.BlockDecoder({
              parseHook: (schema: avro.Schema) => avro.Type.forSchema(schema, { registry: { long: BIGINT_LONG } }),
            }),
          )
          .on('data', (r: Record<string, unknown>) => got.push(r))
          .on('end', () => resolve(got))
          .on('error', reject);
      });
      const unscale = (row: unknown) =>
        row
          ? {
              ...(row as Record<string, unknown>),
              price: Number(twosComplementToBigint((row as { price: Buffer }).price)) / 100,
            }
          : row;
      out.push(...rows.map((r) => ({ ...r, before: unscale(r.before), after: unscale(r.after) })));
    } else {
      // The reader hands decimals over unscaled; the file's schema says the scale.
      const { metadata, rows } = await readWithHyparquet(bytes);
      const scale = metadata.schema.find((e) => e.name === 'price')?.scale;
      expect(scale).toBe(2);
      out.push(
        ...rows.map((r) => ({
          ...r,
          price:
            Number(r.price instanceof Uint8Array ? twosComplementToBigint(r.price) : (r.price as number)) /
            10 ** scale!,
        })),
      );
    }
  }
  return out;
}

describe('PostgreSQL → Tributary → S3', () => {
  it.each([
    ['JSON lines with ExtractNewRecordState', 'io.confluent.connect.s3.format.json.JsonFormat', '.json', true],
    ['Parquet with ExtractNewRecordState', 'io.confluent.connect.s3.format.parquet.ParquetFormat', '.parquet', true],
    ['Avro Debezium envelopes', 'io.confluent.connect.s3.format.avro.AvroFormat', '.avro', false],
  ])(
    'lands the table as %s, equal to the table after inserts, updates and deletes',
    async (_label, formatClass, ext, unwrap) => {
      const db = await createPgTestDb('pgs3');
      dbs.push(db);
      await db.query(
        'CREATE TABLE public.items (id int PRIMARY KEY, name text NOT NULL, qty int NOT NULL, price numeric(10,2) NOT NULL, updated timestamp(3) NOT NULL)',
      );
      const insert = (from: number, to: number) =>
        db.query(
          `INSERT INTO public.items SELECT g, 'item ' || g, g % 1000, (g % 10000) / 100.0, timestamp '2024-01-01' + g * interval '1 second' FROM generate_series(${from}, ${to}) g`,
        );
      await insert(1, ROWS / 2);
      const bucket = await createBucket('pgs3');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-pgs3-'));
      const worker = await startStandaloneWorker(
        {
          listeners: 'http://127.0.0.1:0',
          'tributary.data.dir': dir,
          'offset.flush.interval.ms': '200',
          'tributary.log.sync': 'os',
        },
        { logger: silentLogger },
      );
      workers.push(worker);
      const post = async (name: string, config: Record<string, string>) => {
        const res = await fetch(`${worker.url}/connectors`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name, config }),
        });
        expect(res.status, await res.clone().text()).toBe(201);
      };
      const converters = {
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter.schemas.enable': 'true',
      };
      await post('pg-source', {
        ...db.connectorConfig({ 'snapshot.mode': 'initial', 'table.include.list': 'public.items' }),
        ...converters,
      });
      const topic = `${db.name}.public.items`;
      await post('s3-sink', {
        ...s3Props(bucket, {
          'format.class': formatClass,
          'flush.size': '500',
          'rotate.schedule.interval.ms': '1000',
          timezone: 'UTC',
        }),
        ...converters,
        topics: topic,
        ...(unwrap
          ? {
              transforms: 'unwrap',
              'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
              'transforms.unwrap.delete.tombstone.handling.mode': 'rewrite',
            }
          : { 'behavior.on.null.values': 'ignore' }),
      });
      // The snapshot first, so the inserts, updates and deletes below are streamed changes (deletes and
      // their tombstones reach the sink's transform) whatever the connector's start-up time.
      await waitFor(() => worker.embedded.log.endOffset({ topic, partition: 0 }) >= ROWS / 2, {
        timeoutMs: 120_000,
        what: 'the snapshot records',
      });
      await insert(ROWS / 2 + 1, ROWS);
      await db.query(
        "UPDATE public.items SET qty = qty + 1, name = name || ' upd', updated = updated + interval '1 day' WHERE id % 7 = 0",
      );
      await db.query('DELETE FROM public.items WHERE id % 13 = 0');

      const want = await tableState(db);
      expect(want.length).toBeGreaterThan(ROWS * 0.9);
      const prefix = `topics/${topic}/partition=0/`;
      let got: string[] = [];
      const diagnosis = async () => {
        const status =
          (await (await fetch(`${worker.url}/connectors/s3-sink/status`)).text()) +
          ' / source ' +
          (await (await fetch(`${worker.url}/connectors/pg-source/status`)).text());
        const firstDiff = got.findIndex((g, i) => g !== want[i]);
        const sample = (await objectRows(bucket, prefix, ext))[0];
        return `sample ${JSON.stringify(sample, (_k, v) => (typeof v === 'bigint' ? String(v) : v)).slice(0, 600)}; got ${got.length} rows, first difference at ${firstDiff}: ${got[firstDiff]} vs ${want[firstDiff]}; objects ${(await listKeys(bucket, prefix)).length}; sink status ${status.slice(0, 1500)}`;
      };
      // Generous: under a full parallel run the replication slot may wait minutes for other tests' transactions.
      await waitFor(
        async () => {
          got = fold(await objectRows(bucket, prefix, ext));
          return got.length === want.length && got.every((g, i) => g === want[i]);
        },
        { timeoutMs: 180_000, intervalMs: 1000, what: `the ${ext} objects to equal the table (${want.length} rows)` },
      ).catch(async (err: Error) => {
        throw new Error(`${err.message}; ${await diagnosis()}`);
      });
      expect(got).toEqual(want);
    },
    240_000,
  );
});

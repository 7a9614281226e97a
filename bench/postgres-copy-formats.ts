/**
 * COPY text or COPY binary for the snapshot: which one turns the bench table's rows into the same
 * column values (the ones the snapshot's text converters give) for less CPU. Both outputs are read
 * into memory first, so only decoding is timed; the values of both paths are compared row by row.
 * Binary decoders exist here only for the bench's ten column types (int8, int4, float8, text,
 * bool, numeric(12,2), timestamp, date). `npx tsx bench/postgres-copy-formats.ts [rows]`.
 */
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { ensurePostgres } from '../test/setup/postgres.ts';
import { BigDecimal } from '../runtime/data/logical.ts';
import { parseSettings } from '../connectors/postgres/config.ts';
import { openSqlClient } from '../connectors/postgres/connection.ts';
import { TypeRegistry } from '../connectors/postgres/type-registry.ts';
import { tableMeta } from '../connectors/postgres/catalog.ts';
import { TableSchema } from '../connectors/postgres/table-schema.ts';
import { postgresSourceSchema } from '../connectors/postgres/source-info.ts';
import { CopyTextRows } from '../connectors/postgres/copy-text-rows.ts';

const DDL =
  'id bigint PRIMARY KEY, qty integer NOT NULL, total bigint NOT NULL, ratio double precision NOT NULL, code text NOT NULL, label text, active boolean NOT NULL, price numeric(12,2) NOT NULL, updated timestamp NOT NULL, day date NOT NULL';
const FILL = (rows: number): string =>
  `INSERT INTO public.rows SELECT g, g % 1000, g * 1000003, g / 7.0, 'C' || g, CASE WHEN g % 10 = 0 THEN NULL ELSE 'label ' || g END, g % 2 = 0, (g % 100000) / 100.0, timestamp '2024-01-01' + g * interval '1 second', date '2024-01-01' + (g % 365)::int FROM generate_series(1::bigint, ${rows}::bigint) g`;

async function collect(client: pg.Client, sql: string): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const c of client.query(copyStreams.to(sql))) chunks.push(c as Buffer);
  return chunks;
}

const PG_EPOCH_DAY = 10957; // 2000-01-01 in days since 1970-01-01
const PG_EPOCH_MICROS = BigInt(PG_EPOCH_DAY) * 86_400_000_000n;

function int64(b: Buffer, at: number): number | bigint {
  const hi = b.readInt32BE(at);
  const lo = b.readUInt32BE(at + 4);
  if (hi >= -0x200000 && hi < 0x200000) return hi * 4294967296 + lo;
  return b.readBigInt64BE(at);
}

/** numeric binary (ndigits, weight, sign, dscale, base-10000 digits) → BigDecimal at `scale`. */
function numeric(b: Buffer, at: number, scale: number): BigDecimal | null {
  const ndigits = b.readInt16BE(at);
  const weight = b.readInt16BE(at + 2);
  const sign = b.readUInt16BE(at + 4);
  if (sign === 0xc000 || sign === 0xd000 || sign === 0xf000) return null; // NaN, ±Infinity
  let unscaled = 0n;
  let digitsScale = 0; // base-10000 digits after the point
  for (let i = 0; i < ndigits; i++) unscaled = unscaled * 10000n + BigInt(b.readInt16BE(at + 8 + 2 * i));
  digitsScale = ndigits - 1 - weight;
  let s = digitsScale * 4;
  if (s < scale) unscaled *= 10n ** BigInt(scale - s);
  else if (s > scale) unscaled /= 10n ** BigInt(s - scale);
  s = scale;
  return new BigDecimal(sign === 0x4000 ? -unscaled : unscaled, s);
}

/** The same values as the text converters for the bench table's columns, from one binary tuple. */
function binaryRow(b: Buffer, at: number, out: unknown[]): number {
  const n = b.readInt16BE(at);
  if (n === -1) return -1;
  let p = at + 2;
  for (let c = 0; c < n; c++) {
    const len = b.readInt32BE(p);
    p += 4;
    if (len < 0) {
      out[c] = null;
      continue;
    }
    switch (c) {
      case 0:
      case 2:
        out[c] = int64(b, p);
        break;
      case 1:
        out[c] = b.readInt32BE(p);
        break;
      case 3:
        out[c] = b.readDoubleBE(p);
        break;
      case 4:
      case 5:
        out[c] = b.toString('utf8', p, p + len);
        break;
      case 6:
        out[c] = b[p] === 1;
        break;
      case 7:
        out[c] = numeric(b, p, 2);
        break;
      case 8: {
        const v = b.readBigInt64BE(p) + PG_EPOCH_MICROS;
        out[c] = v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
        break;
      }
      case 9:
        out[c] = b.readInt32BE(p) + PG_EPOCH_DAY;
        break;
    }
    p += len;
  }
  return p;
}

function cpuMicros(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  const c = process.cpuUsage(c0);
  return c.user + c.system;
}

export async function runCopyFormatsBench(opts: { rows?: number } = {}): Promise<object> {
  const rows = opts.rows ?? 300_000;
  const base = new URL(process.env.TRIBUTARY_TEST_PG_URL ?? (await ensurePostgres()));
  const db = `bench_pgfmt_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  try {
    const settings = parseSettings({
      'database.hostname': base.hostname,
      'database.port': base.port,
      'database.user': decodeURIComponent(base.username),
      'database.password': decodeURIComponent(base.password),
      'database.dbname': db,
      'topic.prefix': db,
    });
    const sql = await openSqlClient(settings);
    try {
      await sql.query(`CREATE TABLE public.rows (${DDL})`);
      await sql.query(FILL(rows));
      const types = new TypeRegistry();
      await types.load(sql);
      const oid = Number((await sql.query<{ oid: string }>("SELECT 'public.rows'::regclass::oid AS oid")).rows[0].oid);
      const meta = await tableMeta(sql, oid);
      const table = new TableSchema(meta, meta.columns, types, settings, postgresSourceSchema(settings.layout));
      const convert = table.columns.map((c) => c.mapping.fromText);
      const text = await collect(sql, 'COPY (SELECT * FROM public.rows) TO STDOUT');
      const binary = Buffer.concat(await collect(sql, 'COPY (SELECT * FROM public.rows) TO STDOUT (FORMAT binary)'));

      const textValues = (keep: unknown[][] | null): void => {
        const parser = new CopyTextRows();
        const fields: Array<string | null> = [];
        const values: unknown[] = [];
        for (const chunk of text) {
          parser.push(chunk);
          while (parser.next(fields, 10)) {
            for (let c = 0; c < 10; c++) values[c] = fields[c] === null ? null : convert[c](fields[c]!);
            if (keep) keep.push(values.slice());
          }
        }
      };
      const binaryValues = (keep: unknown[][] | null): void => {
        const values: unknown[] = [];
        let p = 11 + 4 + 4 + binary.readInt32BE(15); // signature, flags, header extension
        for (;;) {
          p = binaryRow(binary, p, values);
          if (p < 0) break;
          if (keep) keep.push(values.slice());
        }
      };
      const a: unknown[][] = [];
      const b: unknown[][] = [];
      textValues(a);
      binaryValues(b);
      if (a.length !== rows || b.length !== rows) throw new Error(`rows: text ${a.length}, binary ${b.length}`);
      for (let i = 0; i < rows; i++)
        if (!isDeepStrictEqual(a[i], b[i])) throw new Error(`row ${i}: text ${String(a[i])} ≠ binary ${String(b[i])}`);
      const best = (f: () => void): number => Math.min(cpuMicros(f), cpuMicros(f), cpuMicros(f));
      const textUs = best(() => textValues(null));
      const binaryUs = best(() => binaryValues(null));
      const result = {
        rows,
        textBytes: text.reduce((n, c) => n + c.length, 0),
        binaryBytes: binary.length,
        textCpuMicrosPerRow: Number((textUs / rows).toFixed(2)),
        binaryCpuMicrosPerRow: Number((binaryUs / rows).toFixed(2)),
      };
      process.stderr.write(
        `postgres COPY formats, decode to column values: text ${result.textCpuMicrosPerRow} CPU µs/row (${result.textBytes} bytes), binary ${result.binaryCpuMicrosPerRow} CPU µs/row (${result.binaryBytes} bytes)\n`,
      );
      return result;
    } finally {
      await sql.end();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runCopyFormatsBench({ rows: process.argv[2] ? Number(process.argv[2]) : undefined });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

/**
 * Records/s through a 3-transform chain (ExtractNewRecordState → InsertField$Value → RegexRouter)
 * plus JsonConverter (schemas.enable=true) for a 20-field Debezium envelope, next to a reference
 * measured in the same run: JSON.stringify of the same row as a plain object (no schema).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaBuilder, Schemas, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import { BigDecimal, Decimal, ConnectTimestamp } from '../runtime/data/logical.ts';
import { SourceRecord } from '../runtime/data/records.ts';
import { loadedPluginRegistry } from '../app/builtins.ts';
import { buildTransformationChain } from '../runtime/worker/transformation-chain.ts';
import { JsonConverter } from '../runtime/converters/json-converter.ts';

function rowSchema(): Schema {
  const b = SchemaBuilder.struct().name('bench.public.orders.Value').optional();
  for (let i = 0; i < 20; i++) {
    const kind = i % 5;
    b.field(
      `f${i}`,
      kind === 0
        ? Schemas.INT64
        : kind === 1
          ? Schemas.OPTIONAL_STRING
          : kind === 2
            ? Decimal.builder(2).optional().build()
            : kind === 3
              ? ConnectTimestamp.builder().optional().build()
              : Schemas.OPTIONAL_BOOLEAN,
    );
  }
  return b.build();
}

export async function runSmtBench(opts: { records?: number } = {}): Promise<object> {
  const n = opts.records ?? 200_000;
  const row = rowSchema();
  const source = SchemaBuilder.struct()
    .name('io.debezium.connector.postgresql.Source')
    .field('connector', Schemas.STRING)
    .field('ts_ms', Schemas.INT64)
    .field('lsn', Schemas.OPTIONAL_INT64)
    .build();
  const env = SchemaBuilder.struct()
    .name('bench.public.orders.Envelope')
    .field('before', row)
    .field('after', row)
    .field('source', source)
    .field('op', Schemas.STRING)
    .field('ts_ms', Schemas.OPTIONAL_INT64)
    .build();
  const makeRow = (i: number) => {
    const s = new Struct(row);
    for (let f = 0; f < 20; f++) {
      const kind = f % 5;
      s.put(
        `f${f}`,
        kind === 0
          ? i * 20 + f
          : kind === 1
            ? `value-${i}-${f}`
            : kind === 2
              ? new BigDecimal(BigInt(i * 100 + f), 2)
              : kind === 3
                ? new Date(1_700_000_000_000 + i)
                : i % 2 === 0,
      );
    }
    return s;
  };
  const records = Array.from(
    { length: 1000 },
    (_v, i) =>
      new SourceRecord({
        topic: 'bench.public.orders',
        valueSchema: env,
        value: new Struct(env)
          .put('after', makeRow(i))
          .put('op', 'c')
          .put('ts_ms', 1_700_000_000_000)
          .put(
            'source',
            new Struct(source).put('connector', 'postgresql').put('ts_ms', 1_700_000_000_000).put('lsn', 1234),
          ),
      }),
  );
  const chain = buildTransformationChain(
    {
      transforms: 'unwrap,insert,route',
      'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
      'transforms.insert.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.insert.static.field': 'origin',
      'transforms.insert.static.value': 'bench',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.route.regex': 'bench\\.public\\.(.*)',
      'transforms.route.replacement': 'orders-$1',
    },
    await loadedPluginRegistry(),
  );
  const json = new JsonConverter();
  json.configure({ 'schemas.enable': 'true' }, false);
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const out = chain.apply(records[i % records.length])!;
    bytes += json.fromConnectData(out.topic, out.valueSchema, out.value)!.length;
  }
  const ours = Number(process.hrtime.bigint() - t0) / 1e9;
  const plain = records.map((r) => {
    const s = (r.value as Struct).get('after') as Struct;
    return Object.fromEntries(s.schema.fields.map((f) => [f.name, String(s.get(f))]));
  });
  let refBytes = 0;
  const t1 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) refBytes += Buffer.byteLength(JSON.stringify(plain[i % plain.length]));
  const ref = Number(process.hrtime.bigint() - t1) / 1e9;
  const result = {
    records: n,
    chain: 'ExtractNewRecordState → InsertField$Value → RegexRouter → JsonConverter(schemas.enable=true)',
    tributary: { recordsPerSec: Math.round(n / ours), mbPerSec: +(bytes / ours / 1e6).toFixed(1) },
    reference: {
      what: 'JSON.stringify of the row as a plain object',
      recordsPerSec: Math.round(n / ref),
      mbPerSec: +(refBytes / ref / 1e6).toFixed(1),
    },
    ratio: +(n / ours / (n / ref)).toFixed(3),
  };
  process.stderr.write(
    `smt chain + JsonConverter: ${result.tributary.recordsPerSec.toLocaleString()} records/s (${result.tributary.mbPerSec} MB/s); reference ${result.reference.recordsPerSec.toLocaleString()} records/s; ratio ${result.ratio}\n`,
  );
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'smt.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) await runSmtBench();

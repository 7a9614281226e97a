/**
 * The source path's data model and serialization without I/O: per change, what the PostgreSQL
 * streamer does after pgoutput parsing (the `source` struct, the row from text values, the key, the
 * envelope and SourceRecord through the connector's own functions), then the key and the value
 * through JsonConverter with schemas on. The table is postgres-bench's 10 mixed-type columns.
 * CPU µs per change are this process's (all its threads, so GC included), per stage, in batches of
 * 1,000 changes after a warm-up; the best of five rounds.
 * `npx tsx bench/source-path-bench.ts [changes]`; `--cpu-prof` works as usual.
 */
import { fileURLToPath } from 'node:url';
import { parseSettings } from '../connectors/postgres/config.ts';
import { TypeRegistry } from '../connectors/postgres/type-registry.ts';
import { TableSchema, type RawValue } from '../connectors/postgres/table-schema.ts';
import type { TableMeta } from '../connectors/postgres/catalog.ts';
import { postgresSource, postgresSourceSchema } from '../connectors/postgres/source-info.ts';
import { createRecords, updateRecords, type EventContext } from '../connectors/postgres/change-events.ts';
import { JsonConverter } from '../runtime/converters/json-converter.ts';
import type { SourceRecord } from '../runtime/data/records.ts';

/** postgres-bench's table: bigint key, integer, bigint, double, text, nullable text, boolean, numeric(12,2), timestamp, date. */
const COLUMNS: Array<[string, number, number, boolean]> = [
  ['id', 20, -1, true],
  ['qty', 23, -1, true],
  ['total', 20, -1, true],
  ['ratio', 701, -1, true],
  ['code', 25, -1, true],
  ['label', 25, -1, false],
  ['active', 16, -1, true],
  ['price', 1700, ((12 << 16) | 2) + 4, true],
  ['updated', 1114, -1, true],
  ['day', 1082, -1, true],
];

/** The text pgoutput carries for row g (as postgres-bench's INSERT … SELECT writes it). */
function rowText(g: number): RawValue[] {
  const day = new Date(Date.UTC(2024, 0, 1) + (g % 365) * 86_400_000).toISOString().slice(0, 10);
  const ts = new Date(Date.UTC(2024, 0, 1) + g * 1000).toISOString().replace('T', ' ').slice(0, 19);
  return [
    String(g),
    String(g % 1000),
    String(g * 1000003),
    String(g / 7),
    `C${g}`,
    g % 10 === 0 ? null : `label ${g}`,
    g % 2 === 0 ? 't' : 'f',
    ((g % 100000) / 100).toFixed(2),
    ts,
    day,
  ];
}

export interface SourcePathResult {
  changes: number;
  /** Building source, row, key, envelope and SourceRecord (connector code over runtime/data). */
  buildCpuMicrosPerChange: number;
  /** JsonConverter key + value serialization of the records built. */
  serializeCpuMicrosPerChange: number;
  /** Both. */
  totalCpuMicrosPerChange: number;
  bytesPerChange: number;
}

function cpu(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

export function runSourcePathBench(opts: { changes?: number } = {}): SourcePathResult {
  const changes = opts.changes ?? 200_000;
  const settings = parseSettings({
    'database.hostname': 'localhost',
    'database.dbname': 'bench',
    'database.user': 'bench',
    'topic.prefix': 'bench',
  });
  const meta: TableMeta = {
    oid: 16384,
    schema: 'public',
    table: 'rows',
    columns: COLUMNS.map(([name, typeOid, typmod, notNull]) => ({ name, typeOid, typmod, notNull, defaultExpr: null })),
    keyColumns: ['id'],
    replicaIdentity: 'd',
  };
  const table = new TableSchema(
    meta,
    meta.columns,
    new TypeRegistry(),
    settings,
    postgresSourceSchema(settings.layout),
  );
  const keys = new JsonConverter();
  keys.configure({}, true);
  const values = new JsonConverter();
  values.configure({}, false);
  const texts = Array.from({ length: 1000 }, (_, i) => rowText(i + 1));
  const partition = { server: 'bench' };

  const build = (i: number): SourceRecord[] => {
    const lsn = 0x1_0000_0000n + BigInt(i * 128);
    const ctx: EventContext = {
      partition,
      offset: { lsn_commit: Number(lsn), lsn: Number(lsn), txId: 1000 + i, ts_usec: 1_700_000_000_000_000 },
      source: postgresSource(
        {
          serverName: settings.topicPrefix,
          db: settings.dbname,
          schema: 'public',
          table: 'rows',
          tsMicros: 1_700_000_000_000_000n + BigInt(i),
          txId: 1000 + i,
          lsn,
          lastCommitLsn: lsn - 64n,
        },
        settings.layout,
      ),
      transactionBlock: () => null,
      tombstonesOnDelete: settings.tombstonesOnDelete,
      skipped: settings.skippedOperations,
      contextHeaders: settings.contextHeaders,
    };
    const after = table.row(texts[i % 1000], true);
    const out: SourceRecord[] = [];
    // One change in four an update with the old row (REPLICA IDENTITY FULL), the rest inserts.
    if (i % 4 === 3) updateRecords(table, ctx, table.row(texts[(i + 1) % 1000], true), after, out);
    else createRecords(table, ctx, after, out);
    return out;
  };
  let bytes = 0;
  const serialize = (records: SourceRecord[]): void => {
    for (const r of records) {
      bytes += keys.fromConnectData(r.topic, r.keySchema, r.key)?.length ?? 0;
      bytes += values.fromConnectData(r.topic, r.valueSchema, r.value)?.length ?? 0;
    }
  };

  // Warm-up, then rounds of batches of 1,000 changes (a worker's batch): built, then serialized.
  // The figures are the best round's, as the machine is shared.
  for (let i = 0; i < Math.min(50_000, changes); i++) serialize(build(i));
  const rounds = 5;
  const perRound = Math.ceil(changes / rounds);
  let best = { build: Infinity, serialize: Infinity };
  const batch: SourceRecord[][] = [];
  for (let r = 0; r < rounds; r++) {
    let buildUs = 0;
    let serializeUs = 0;
    bytes = 0;
    for (let from = 0; from < perRound; from += 1000) {
      const to = Math.min(perRound, from + 1000);
      const t0 = cpu();
      for (let i = from; i < to; i++) batch.push(build(i));
      const t1 = cpu();
      for (const records of batch) serialize(records);
      buildUs += t1 - t0;
      serializeUs += cpu() - t1;
      batch.length = 0;
    }
    if (buildUs + serializeUs < best.build + best.serialize) best = { build: buildUs, serialize: serializeUs };
  }
  const per = (us: number): number => Number((us / perRound).toFixed(2));
  const result = {
    changes: perRound * rounds,
    buildCpuMicrosPerChange: per(best.build),
    serializeCpuMicrosPerChange: per(best.serialize),
    totalCpuMicrosPerChange: per(best.build + best.serialize),
    bytesPerChange: Math.round(bytes / perRound),
  };
  process.stderr.write(
    `source path (PostgreSQL change → SourceRecord → JsonConverter key and value): ${result.totalCpuMicrosPerChange} CPU µs per change (build ${result.buildCpuMicrosPerChange}, serialize ${result.serializeCpuMicrosPerChange}; ${result.bytesPerChange} bytes)\n`,
  );
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = runSourcePathBench({ changes: process.argv[2] ? Number(process.argv[2]) : undefined });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

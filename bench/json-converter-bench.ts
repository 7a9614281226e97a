/**
 * JsonConverter.fromConnectData alone, schemas on and off: the key and value of the PostgreSQL
 * change records of source-path-bench's 10-column table (2,000 changes built once through the
 * connector's own functions, one in four an update with the old row), serialized again and again.
 * CPU µs per change (key and value) of this process, GC included: each mode's median (and best)
 * round after a 60,000-change warm-up and two warm-up rounds (one mode per process gives steadier figures: `on` or `off`).
 * `npx tsx bench/json-converter-bench.ts [on|off|both] [loops per round] [rounds]`; bundled (closer to the compiled
 * worker): `node_modules/.bin/esbuild bench/json-converter-bench.ts --bundle --platform=node
 * --format=esm --packages=external --outfile=node_modules/.cache/jcb.mjs && node node_modules/.cache/jcb.mjs`.
 */
import { parseSettings } from '../connectors/postgres/config.ts';
import { TypeRegistry } from '../connectors/postgres/type-registry.ts';
import { TableSchema, type RawValue } from '../connectors/postgres/table-schema.ts';
import type { TableMeta } from '../connectors/postgres/catalog.ts';
import { postgresSource, postgresSourceSchema } from '../connectors/postgres/source-info.ts';
import { createRecords, updateRecords, type EventContext } from '../connectors/postgres/change-events.ts';
import { JsonConverter } from '../runtime/converters/json-converter.ts';
import type { SourceRecord } from '../runtime/data/records.ts';

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

function rowText(g: number): RawValue[] {
  const day = new Date(Date.UTC(2024, 0, 1) + (g % 365) * 86_400_000).toISOString().slice(0, 10);
  const ts = new Date(Date.UTC(2024, 0, 1) + g * 1000).toISOString().replace('T', ' ').slice(0, 19);
  const label = g % 10 === 0 ? null : `label ${g}`;
  return [
    String(g),
    String(g % 1000),
    String(g * 1000003),
    String(g / 7),
    `C${g}`,
    label,
    g % 2 === 0 ? 't' : 'f',
    ((g % 100000) / 100).toFixed(2),
    ts,
    day,
  ];
}

const CHANGES = 2000;

function records(): SourceRecord[] {
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
  const out: SourceRecord[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const lsn = 0x1_0000_0000n + BigInt(i * 128);
    const ctx: EventContext = {
      partition: { server: 'bench' },
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
    const after = table.row(rowText((i % 1000) + 1), true);
    if (i % 4 === 3) updateRecords(table, ctx, table.row(rowText(((i + 1) % 1000) + 1), true), after, out);
    else createRecords(table, ctx, after, out);
  }
  return out;
}

function cpu(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

const only = process.argv[2] ?? 'both';
const loops = Number(process.argv[3] ?? 10);
const rounds = Number(process.argv[4] ?? 12);
const recs = records();
const modes = (['on', 'off'] as const)
  .filter((mode) => only === 'both' || only === mode)
  .map((mode) => {
    const cfg = { 'schemas.enable': String(mode === 'on') };
    const keys = new JsonConverter();
    keys.configure(cfg, true);
    const values = new JsonConverter();
    values.configure(cfg, false);
    return { mode, keys, values, rounds: [] as number[], bytes: 0 };
  });
// Warm-up: 60,000 changes per mode (a struct schema gets its generated writer after 50,000 values).
for (const m of modes)
  for (let l = 0; l < 30; l++)
    for (const r of recs) {
      m.keys.fromConnectData(r.topic, r.keySchema, r.key);
      m.values.fromConnectData(r.topic, r.valueSchema, r.value);
    }
for (let round = 0; round < rounds + 2; round++) {
  for (const m of round % 2 ? modes : [...modes].reverse()) {
    let bytes = 0;
    const t0 = cpu();
    for (let l = 0; l < loops; l++)
      for (const r of recs) {
        bytes += m.keys.fromConnectData(r.topic, r.keySchema, r.key)?.length ?? 0;
        bytes += m.values.fromConnectData(r.topic, r.valueSchema, r.value)?.length ?? 0;
      }
    if (round >= 2) m.rounds.push((cpu() - t0) / (loops * CHANGES));
    m.bytes = bytes / (loops * CHANGES);
  }
}
const result = Object.fromEntries(
  modes.map((m) => {
    const sorted = [...m.rounds].sort((a, b) => a - b);
    return [
      `schemas_${m.mode}`,
      {
        cpuMicrosPerChangeMedian: Number(sorted[sorted.length >> 1].toFixed(3)),
        cpuMicrosPerChangeBest: Number(sorted[0].toFixed(3)),
        bytesPerChange: Math.round(m.bytes),
      },
    ];
  }),
);
process.stdout.write(JSON.stringify(result) + '\n');

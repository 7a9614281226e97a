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
import { JsonConverter } from '../runtime/converters/json-converter.ts';
import type { SourceRecord } from '../runtime/data/records.ts';
import { pgBenchChanges } from './fixtures/pg-bench-changes.ts';

const CHANGES = 2000;

function records(): SourceRecord[] {
  const build = pgBenchChanges();
  const out: SourceRecord[] = [];
  for (let i = 0; i < CHANGES; i++) out.push(...build(i));
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

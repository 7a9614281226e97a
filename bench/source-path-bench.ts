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
import { JsonConverter } from '../runtime/converters/json-converter.ts';
import type { SourceRecord } from '../runtime/data/records.ts';
import { pgBenchChanges } from './fixtures/pg-bench-changes.ts';

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
  const keys = new JsonConverter();
  keys.configure({}, true);
  const values = new JsonConverter();
  values.configure({}, false);
  const build = pgBenchChanges();
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

/**
 * `npm run bench`: runs every benchmark, each measuring Tributary next to a reference in the same
 * run, and writes one JSON file per benchmark plus bench/results/summary.json.
 * `npm run bench -- log mainframe` runs a subset; BENCH_QUICK=1 uses smaller inputs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTargetTable, targetTable } from './targets.ts';

type Bench = () => Promise<object>;

const quick = process.env.BENCH_QUICK === '1';

const BENCHES: Record<string, () => Promise<Bench>> = {
  log: async () => {
    const m = await import('./log-bench.ts');
    return () => m.runLogBench(quick ? { records: 50_000 } : {});
  },
  kafka: async () => {
    const m = await import('./kafka-bench.ts');
    return () => m.runKafkaBench(quick ? { records: 20_000 } : {});
  },
  'kafka-clients': async () => {
    const m = await import('./kafka-clients-bench.ts');
    return () => m.runKafkaClientsBench(quick ? { records: 20_000, transactions: 200 } : {});
  },
  'kafka-e2e': async () => {
    const m = await import('./kafka-e2e-bench.ts');
    return () => m.runKafkaE2eBench(quick ? { rows: 20_000, changes: 20_000 } : {});
  },
  peers: async () => {
    const m = await import('./kafka-e2e-bench.ts');
    return () =>
      m.runKafkaE2eBench({
        sink: 'null',
        ...(quick ? { rows: 20_000, changes: 20_000 } : { rows: 1_000_000, changes: 600_000 }),
      });
  },
  jdbc: async () => {
    const m = await import('./jdbc-bench.ts');
    return () => m.runJdbcBench(quick ? { rows: 100_000, peerRecords: 50_000 } : {});
  },
  mainframe: async () => {
    const m = await import('./mainframe.ts');
    return () => m.runMainframeBench(quick ? { bytes: 64 * 2 ** 20, structBytes: 16 * 2 ** 20 } : {});
  },
  mysql: async () => {
    const m = await import('./mysql-bench.ts');
    return () => m.runMysqlBench(quick ? { changes: 20_000 } : {});
  },
  postgres: async () => {
    const m = await import('./postgres-bench.ts');
    return () => m.runPostgresBench(quick ? { rows: 50_000 } : {});
  },
  'postgres-copy-formats': async () => {
    const m = await import('./postgres-copy-formats.ts');
    return () => m.runCopyFormatsBench(quick ? { rows: 50_000 } : {});
  },
  'source-path': async () => {
    const m = await import('./source-path-bench.ts');
    return () => Promise.resolve(m.runSourcePathBench(quick ? { changes: 50_000 } : {}));
  },
  registry: async () => {
    const m = await import('./registry-converter-bench.ts');
    return () => m.runRegistryConverterBench(quick ? { records: 20_000 } : {});
  },
  smt: async () => {
    const m = await import('./smt-bench.ts');
    return () => m.runSmtBench(quick ? { records: 20_000 } : {});
  },
  s3: async () => {
    const m = await import('./s3-bench.ts');
    return () => m.runS3Bench(quick ? { records: 50_000 } : {});
  },
  'parquet-writers': async () => {
    const m = await import('./parquet-writers.ts');
    return () => m.runParquetWritersBench(quick ? { records: 100_000 } : {});
  },
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const names = wanted.length ? wanted : Object.keys(BENCHES);
  const unknown = names.filter((n) => !BENCHES[n]);
  if (unknown.length)
    throw new Error(`Unknown benchmark(s) ${unknown.join(', ')}; available: ${Object.keys(BENCHES).join(', ')}`);
  const results: Record<string, object> = {};
  for (const name of names) {
    process.stderr.write(`== bench ${name}\n`);
    const run = await BENCHES[name]();
    results[name] = await run();
  }
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  fs.mkdirSync(dir, { recursive: true });
  const summary = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
    },
    quick,
    results,
    targets: targetTable(results),
  };
  fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  process.stdout.write(`\nIssue 18's targets, from this run:\n\n${formatTargetTable(summary.targets)}\n\n`);
  process.stderr.write(`Results written to ${path.join(dir, 'summary.json')}\n`);
}

await main();

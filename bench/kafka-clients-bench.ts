/**
 * The Kafka clients side by side in one run on the test broker: kafkajs, @platformatic/kafka,
 * @confluentinc/kafka-javascript (librdkafka; native and KafkaJS-compatible APIs) and Tributary's
 * Kafka transport as it stands. For 1 KB and 5 KB records (one partition, acks=all, idempotent):
 * produce and consume records/s and MB/s; commits/s of small transactions; consumer-group join and
 * rebalance time (cooperative-sticky where the client has it); create/describe topic latency. Each
 * client runs in its own process (bench/kafka-clients/runner.ts) for its own CPU and RSS figures.
 * Bench-only clients install on demand into bench/.clients (bench/kafka-clients/install.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ensureKafka } from '../test/setup/kafka.ts';
import { ensureConfluent, ensurePlatformatic } from './kafka-clients/install.ts';
import type { ClientId, Plan } from './kafka-clients/runner.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

function runClient(plan: Plan): Promise<Record<string, any>> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(HERE, 'kafka-clients', 'runner.ts'), JSON.stringify(plan)],
      { cwd: path.join(HERE, '..'), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += String(d);
    });
    child.stderr.on('data', (d) => {
      err += String(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30 * 60_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (err.trim()) process.stderr.write(`[${plan.client}] ${err.trim().split('\n').slice(-12).join('\n')}\n`);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as Record<string, any>);
      } catch {
        resolve({
          client: plan.client,
          error: `runner exited ${code ?? signal}: ${err.trim().split('\n').slice(-3).join(' | ')}`,
        });
      }
    });
  });
}

const cell = (x: any, key: string): string =>
  x && typeof x === 'object' && !('error' in x) ? String(x[key]) : x && typeof x === 'object' ? 'failed' : '–';

export async function runKafkaClientsBench(
  opts: { records?: number; transactions?: number; only?: ClientId[] } = {},
): Promise<object> {
  const n = opts.records ?? 200_000;
  const brokers = (process.env.TRIBUTARY_TEST_KAFKA_BROKERS ?? (await ensureKafka())).split(',');
  const installs: Record<string, string | { error: string }> = {};
  const tryInstall = async (name: string, fn: () => Promise<string> | string) => {
    try {
      installs[name] = await fn();
    } catch (err) {
      installs[name] = { error: (err as Error).message };
      process.stderr.write(`kafka-clients: ${name} not available: ${(err as Error).message}\n`);
    }
  };
  await tryInstall('platformatic', ensurePlatformatic);
  await tryInstall('confluent', ensureConfluent);

  const base = {
    brokers,
    sizes: [
      { bytes: 1024, records: n },
      { bytes: 5120, records: Math.round(n / 2.5) },
    ],
    transactions: opts.transactions ?? 200,
    perTransaction: 10,
    adminTopics: 20,
    groupPartitions: 6,
  };
  const clients: Array<{ id: ClientId; pkg?: string }> = [
    { id: 'kafkajs' },
    { id: 'platformatic', pkg: 'platformatic' },
    { id: 'confluent-native', pkg: 'confluent' },
    { id: 'confluent-kafkajs-api', pkg: 'confluent' },
    { id: 'tributary' },
    { id: 'tributary-1mb-batches' },
  ];
  const results: Array<Record<string, any>> = [];
  const loadBefore = os.loadavg()[0];
  for (const c of clients.filter((x) => !opts.only || opts.only.includes(x.id))) {
    const dir = c.pkg ? installs[c.pkg] : undefined;
    if (dir && typeof dir !== 'string') {
      results.push({ client: c.id, error: `not installed: ${dir.error.split('\n')[0]}` });
      continue;
    }
    process.stderr.write(`kafka-clients: ${c.id}\n`);
    results.push({
      load1AtStart: +os.loadavg()[0].toFixed(2),
      ...(await runClient({ ...base, client: c.id, packageDir: dir })),
    });
  }

  const header =
    '| client | 1 KB produce rec/s (MB/s, CPU %, peak RSS MiB) | 1 KB consume | 5 KB produce | 5 KB consume | tx commits/s | group join / rebalance ms | create / describe ms | one send of 1000 × 5 KB |';
  const rows = results.map((r) => {
    if (r.error) return `| ${r.client} | ${r.error} |`;
    const tp = (x: any) =>
      x && !x.error
        ? `${x.recordsPerSec.toLocaleString('en-US')} (${x.mbPerSec}, ${x.cpuPercentOfOneCore} %, ${x.peakRssMiB})`
        : x
          ? `failed: ${x.error}`
          : '–';
    return `| ${r.client} ${r.version} | ${tp(r.produce1024)} | ${tp(r.consume1024)} | ${tp(r.produce5120)} | ${tp(r.consume5120)} | ${cell(r.transactions, 'commitsPerSec')} | ${r.group && !r.group.error ? `${r.group.joinMs} / ${r.group.rebalanceMs}` : cell(r.group, 'joinMs')} | ${r.admin && !r.admin.error ? `${r.admin.createMsEach} / ${r.admin.describeMsEach}` : cell(r.admin, 'createMsEach')} | ${cell(r.oversizedSend, 'outcome')} |`;
  });
  process.stderr.write([header, ...rows].join('\n') + '\n');
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      load1Before: +loadBefore.toFixed(2),
      load1After: +os.loadavg()[0].toFixed(2),
      node: process.version,
    },
    plan: { ...base, brokers: undefined, partitions: 1, acks: 'all', idempotent: true, batchForAwaitingClients: 1000 },
    installs,
    results,
    table: [header, ...rows],
  };
  const out = path.join(HERE, 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'kafka-clients.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv.slice(3) as ClientId[];
  await runKafkaClientsBench({
    records: process.argv[2] ? Number(process.argv[2]) : undefined,
    only: only.length ? only : undefined,
  });
}

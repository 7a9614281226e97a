/**
 * One client's part of the client benchmark, in a process of its own so its CPU time and RSS are
 * its own: `node --import tsx bench/kafka-clients/runner.ts '<json plan>'` prints one JSON result.
 * CPU is process.cpuUsage() (every thread, librdkafka's included); RSS is sampled every 20 ms.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { ClientAdapter } from './types.ts';

export type ClientId =
  'kafkajs' | 'platformatic' | 'confluent-native' | 'confluent-kafkajs-api' | 'tributary' | 'tributary-1mb-batches';
export interface Plan {
  client: ClientId;
  brokers: string[];
  packageDir?: string;
  sizes: Array<{ bytes: number; records: number }>;
  transactions: number;
  perTransaction: number;
  adminTopics: number;
  groupPartitions: number;
}

export interface Phase {
  seconds: number;
  cpuSeconds: number;
  cpuPercentOfOneCore: number;
  peakRssMiB: number;
}
export interface Throughput extends Phase {
  records: number;
  bytes: number;
  recordsPerSec: number;
  mbPerSec: number;
  cpuMicrosPerRecord: number;
}

let peakRss = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 20).unref();

async function phase<T>(fn: () => Promise<T>): Promise<{ value: T; stats: Phase }> {
  peakRss = process.memoryUsage.rss();
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const value = await fn();
  const seconds = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  return {
    value,
    stats: {
      seconds,
      cpuSeconds: +cpuSeconds.toFixed(2),
      cpuPercentOfOneCore: Math.round((cpuSeconds / seconds) * 100),
      peakRssMiB: Math.round(peakRss / 2 ** 20),
    },
  };
}

function throughput(records: number, bytes: number, stats: Phase, measuredMs?: number | void): Throughput {
  const s = typeof measuredMs === 'number' && measuredMs > 0 ? measuredMs / 1000 : stats.seconds;
  return {
    ...stats,
    seconds: s,
    records,
    bytes,
    recordsPerSec: Math.round(records / s),
    mbPerSec: +((records * bytes) / s / 1e6).toFixed(1),
    cpuMicrosPerRecord: +((stats.cpuSeconds * 1e6) / records).toFixed(1),
  };
}

/** Only the measured client is loaded, so each process holds one client's code. */
async function adapterFor(plan: Plan): Promise<ClientAdapter> {
  switch (plan.client) {
    case 'kafkajs':
      return (await import('./kafkajs-client.ts')).kafkajsClient(plan.brokers);
    case 'platformatic':
      return (await import('./platformatic-client.ts')).platformaticClient(plan.packageDir!, plan.brokers);
    case 'confluent-native':
      return (await import('./confluent-client.ts')).confluentNativeClient(plan.packageDir!, plan.brokers);
    case 'confluent-kafkajs-api':
      return (await import('./confluent-client.ts')).confluentCompatClient(plan.packageDir!, plan.brokers);
    case 'tributary':
      return (await import('./tributary-client.ts')).tributaryClient(plan.brokers);
    // Diagnostic: the same transport with record batches of up to 1 MB (Kafka's default is 16 KB), to tell the batch size from the client.
    case 'tributary-1mb-batches':
      return (await import('./tributary-client.ts')).tributaryClient(plan.brokers, {
        'producer.batch.size': '1000000',
      });
  }
}

/** Runs one section, keeping its error (named) instead of losing the other sections' figures. */
async function section<T>(what: string, fn: () => Promise<T>, timeoutMs = 10 * 60_000): Promise<T | { error: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} took over ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (err) {
    process.stderr.write(`${what}: ${(err as Error).stack ?? err}\n`);
    return { error: (err as Error).message.split('\n')[0] };
  } finally {
    clearTimeout(timer);
  }
}

export async function runPlan(plan: Plan): Promise<object> {
  const kafka = new Kafka({ brokers: plan.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = async (partitions = 1): Promise<string> => {
    const name = `bench-clients-${plan.client}-${randomUUID()}`;
    await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions }], waitForLeaders: true });
    return name;
  };
  const rssAtStart = Math.round(process.memoryUsage.rss() / 2 ** 20);
  const client = await adapterFor(plan);
  const out: Record<string, unknown> = {
    client: client.name,
    version: client.version,
    rssAfterLoadMiB: Math.round(process.memoryUsage.rss() / 2 ** 20),
    rssAtStartMiB: rssAtStart,
  };
  const made: string[] = [];
  for (const { bytes, records } of plan.sizes) {
    const t = await topic();
    made.push(t);
    const payload = Buffer.alloc(bytes, 120);
    out[`produce${bytes}`] = await section(`produce ${bytes}`, async () => {
      const { value, stats } = await phase(() => client.produce(t, records, payload));
      return throughput(records, bytes, stats, value);
    });
    if ((out[`produce${bytes}`] as { error?: string }).error) {
      out[`consume${bytes}`] = { error: 'not run: producing the records failed' };
      continue;
    }
    out[`consume${bytes}`] = await section(`consume ${bytes}`, async () => {
      const { value, stats } = await phase(() => client.consume(t, records));
      return throughput(records, bytes, stats, value);
    });
  }
  if (client.oversizedSend) {
    const t = await topic();
    made.push(t);
    out.oversizedSend = await section('oversized send', async () => ({
      records: 1000,
      recordBytes: 5120,
      outcome: await client.oversizedSend!(t, 1000, Buffer.alloc(5120, 120)),
    }));
  }
  if (client.transactions) {
    const t = await topic();
    made.push(t);
    out.transactions = await section('transactions', async () => {
      const { stats } = await phase(() => client.transactions!(t, plan.transactions, plan.perTransaction));
      return {
        ...stats,
        transactions: plan.transactions,
        recordsPerTransaction: plan.perTransaction,
        commitsPerSec: Math.round(plan.transactions / stats.seconds),
      };
    });
  }
  if (client.group) {
    const t = await topic(plan.groupPartitions);
    made.push(t);
    out.group = await section('group', async () => ({
      partitions: plan.groupPartitions,
      ...(await client.group!(t, plan.groupPartitions)),
    }));
  }
  if (client.admin) {
    out.admin = await section('admin', async () => {
      const r = await client.admin!(`bench-clients-admin-${plan.client}-${randomUUID().slice(0, 8)}`, plan.adminTopics);
      return {
        topics: plan.adminTopics,
        createMsEach: +(r.createMs / plan.adminTopics).toFixed(1),
        describeMsEach: +(r.describeMs / plan.adminTopics).toFixed(1),
      };
    });
  }
  await client.close();
  await admin.deleteTopics({ topics: made }).catch(() => undefined);
  await admin.disconnect();
  return out;
}

if (process.argv[2]) {
  const result = await runPlan(JSON.parse(process.argv[2]) as Plan);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

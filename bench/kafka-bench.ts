/**
 * Records/s from a source task into Kafka and from Kafka into a sink task (1 KB records, acks=all),
 * next to kafkajs's own producer and consumer moving the same records in the same run, and
 * node-rdkafka's (librdkafka) when it is installed (bench/rdkafka-reference.ts). Uses the
 * test setup's Kafka broker (started if needed; TRIBUTARY_TEST_KAFKA_BROKERS points elsewhere).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { ensureKafka } from '../test/setup/kafka.ts';
import { startStandaloneWorker } from '../app/workers.ts';
import { silentLogger } from '../runtime/logging.ts';
import { ConfigDef } from '../runtime/config/config-def.ts';
import { SourceRecord } from '../runtime/data/records.ts';
import { Schemas } from '../runtime/data/schema.ts';
import type { PluginDescriptor } from '../runtime/plugins/types.ts';
import type { SourceConnector } from '../runtime/spi/connector.ts';
import type { SourceTask, SourceTaskContext } from '../runtime/spi/source.ts';
import { loadRdkafka, runRdkafkaReference } from './rdkafka-reference.ts';

const PAYLOAD = 'x'.repeat(1024);

/** Emits `records` string values of 1 KB as fast as the worker takes them. */
class GeneratorTask implements SourceTask {
  private ctx!: SourceTaskContext;
  private sent = 0;
  private total = 0;
  private topic = '';
  version() {
    return '1.0.0';
  }
  initialize(ctx: SourceTaskContext) {
    this.ctx = ctx;
  }
  start(props: Record<string, string>) {
    this.total = Number(props.records);
    this.topic = props.topic;
  }
  async poll(): Promise<SourceRecord[] | null> {
    if (this.sent >= this.total) {
      await new Promise((r) => setTimeout(r, 50));
      return null;
    }
    const n = Math.min(1000, this.total - this.sent);
    const out = new Array<SourceRecord>(n);
    for (let i = 0; i < n; i++)
      out[i] = new SourceRecord({
        topic: this.topic,
        sourcePartition: { gen: 1 },
        sourceOffset: { n: ++this.sent },
        valueSchema: Schemas.STRING,
        value: PAYLOAD,
        timestamp: Date.now(),
      });
    return this.ctx.signal.aborted ? null : out;
  }
  stop() {}
}

const generatorPlugin: PluginDescriptor = {
  type: 'source',
  className: 'bench.GeneratorSourceConnector',
  version: '1.0.0',
  create: (): SourceConnector => {
    let props: Record<string, string> = {};
    return {
      type: 'source',
      version: () => '1.0.0',
      config: () => new ConfigDef(),
      start: (p) => {
        props = p;
      },
      taskConfigs: () => [{ ...props }],
      createTask: () => new GeneratorTask(),
      stop: () => {},
    };
  },
};

async function endOffset(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function runKafkaBench(opts: { records?: number } = {}): Promise<object> {
  const n = opts.records ?? 100_000;
  const brokers = (process.env.TRIBUTARY_TEST_KAFKA_BROKERS ?? (await ensureKafka())).split(',');
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  const mbPerSec = (count: number, s: number) => +((count * 1024) / s / 1e6).toFixed(1);

  // Reference: kafkajs producer (acks=all, batches of 1000) and consumer.
  const refTopic = `bench-ref-${randomUUID()}`;
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let t0 = Date.now();
  for (let sent = 0; sent < n; sent += 1000) {
    await producer.send({
      topic: refTopic,
      acks: -1,
      messages: Array.from({ length: Math.min(1000, n - sent) }, () => ({ value: PAYLOAD })),
    });
  }
  const refProduce = (Date.now() - t0) / 1000;
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: refTopic, fromBeginning: true });
  let consumed = 0;
  t0 = Date.now();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      consumed += batch.messages.length;
    },
  });
  await until(async () => consumed >= n, 300_000);
  const refConsume = (Date.now() - t0) / 1000;
  await consumer.disconnect();

  // Reference: librdkafka through node-rdkafka, when installed.
  const rd = loadRdkafka();
  const rdkafka = 'lib' in rd ? await runRdkafkaReference(rd.lib, brokers, n, Buffer.from(PAYLOAD)) : null;

  // Tributary: generator source → Kafka → FileStreamSink, StringConverter, acks=all.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-kbench-'));
  const topic = `bench-${randomUUID()}`;
  const worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'bootstrap.servers': brokers.join(','),
      'tributary.data.dir': path.join(dir, 'data'),
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.flush.interval.ms': '1000',
      'consumer.max.poll.records': '1000',
      'file.allowed.paths': dir,
    },
    { plugins: [generatorPlugin], logger: silentLogger },
  );
  const post = (name: string, config: Record<string, string>) =>
    fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, config }),
    });
  t0 = Date.now();
  await post('gen', { 'connector.class': 'bench.GeneratorSourceConnector', topic, records: String(n) });
  await until(async () => (await endOffset(kafka, topic).catch(() => 0)) >= n, 300_000);
  const ourProduce = (Date.now() - t0) / 1000;
  t0 = Date.now();
  await post('sink', { 'connector.class': 'FileStreamSink', topics: topic, file: path.join(dir, 'out.txt') });
  const lineBytes = PAYLOAD.length + 1;
  await until(
    async () =>
      fs.existsSync(path.join(dir, 'out.txt')) && fs.statSync(path.join(dir, 'out.txt')).size >= n * lineBytes,
    300_000,
  );
  const ourConsume = (Date.now() - t0) / 1000;
  await worker.stop();
  fs.rmSync(dir, { recursive: true, force: true });

  const result = {
    records: n,
    recordBytes: 1024,
    acks: 'all',
    produce: {
      tributary: { recordsPerSec: Math.round(n / ourProduce), mbPerSec: mbPerSec(n, ourProduce) },
      kafkajs: { recordsPerSec: Math.round(n / refProduce), mbPerSec: mbPerSec(n, refProduce) },
      ratio: +(refProduce / ourProduce).toFixed(3),
    },
    consume: {
      tributary: { recordsPerSec: Math.round(n / ourConsume), mbPerSec: mbPerSec(n, ourConsume) },
      kafkajs: { recordsPerSec: Math.round(n / refConsume), mbPerSec: mbPerSec(n, refConsume) },
      ratio: +(refConsume / ourConsume).toFixed(3),
    },
    librdkafka: rdkafka
      ? {
          version: rdkafka.version,
          produce: {
            recordsPerSec: Math.round(n / rdkafka.produceSeconds),
            mbPerSec: mbPerSec(n, rdkafka.produceSeconds),
            tributaryRatio: +(rdkafka.produceSeconds / ourProduce).toFixed(3),
          },
          consume: {
            recordsPerSec: Math.round(n / rdkafka.consumeSeconds),
            mbPerSec: mbPerSec(n, rdkafka.consumeSeconds),
            tributaryRatio: +(rdkafka.consumeSeconds / ourConsume).toFixed(3),
          },
        }
      : { missing: (rd as { missing: string }).missing },
    notes: 'Tributary times include connector start-up and, for the sink, consumer-group join.',
  };
  process.stderr.write(
    `kafka produce: tributary ${result.produce.tributary.recordsPerSec.toLocaleString()} rec/s vs kafkajs ${result.produce.kafkajs.recordsPerSec.toLocaleString()} rec/s (ratio ${result.produce.ratio})\n`,
  );
  process.stderr.write(
    `kafka consume: tributary ${result.consume.tributary.recordsPerSec.toLocaleString()} rec/s vs kafkajs ${result.consume.kafkajs.recordsPerSec.toLocaleString()} rec/s (ratio ${result.consume.ratio})\n`,
  );
  if (rdkafka)
    process.stderr.write(
      `kafka librdkafka ${rdkafka.version}: produce ${Math.round(n / rdkafka.produceSeconds).toLocaleString()} rec/s, consume ${Math.round(n / rdkafka.consumeSeconds).toLocaleString()} rec/s\n`,
    );
  else process.stderr.write(`kafka librdkafka: ${(rd as { missing: string }).missing}\n`);
  const out = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'kafka.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) await runKafkaBench();

/**
 * Tributary's Kafka transport as it stands, in the client benchmark: a standalone worker with
 * bootstrap.servers set, a generator source task producing through it and a counting sink task
 * consuming through it (StringConverter, the worker's default producer settings). Transactions,
 * groups and admin go through the transport's client, so they are the row of that client.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { ConfigDef } from '../../runtime/config/config-def.ts';
import { SourceRecord } from '../../runtime/data/records.ts';
import { Schemas } from '../../runtime/data/schema.ts';
import type { PluginDescriptor } from '../../runtime/plugins/types.ts';
import type { SinkConnector, SourceConnector } from '../../runtime/spi/connector.ts';
import type { SourceTask, SourceTaskContext } from '../../runtime/spi/source.ts';
import type { SinkTask } from '../../runtime/spi/sink.ts';
import { until, type ClientAdapter } from './types.ts';

/** Emits `records` string values of `bytes` bytes as fast as the worker takes them. */
class GeneratorTask implements SourceTask {
  private ctx!: SourceTaskContext;
  private sent = 0;
  private total = 0;
  private topic = '';
  private value = '';
  version() {
    return '1.0.0';
  }
  initialize(ctx: SourceTaskContext) {
    this.ctx = ctx;
  }
  start(props: Record<string, string>) {
    this.total = Number(props.records);
    this.topic = props.topic;
    this.value = 'x'.repeat(Number(props.bytes));
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
        value: this.value,
        timestamp: Date.now(),
      });
    return this.ctx.signal.aborted ? null : out;
  }
  stop() {}
}

const sinkCounts = new Map<string, { count: number; first: number }>();

class CountingSinkTask implements SinkTask {
  private counter = { count: 0, first: 0 };
  version() {
    return '1.0.0';
  }
  initialize() {}
  start(props: Record<string, string>) {
    this.counter = sinkCounts.get(props['counter.name'])!;
  }
  async put(records: unknown[]) {
    if (records.length && !this.counter.first) this.counter.first = Date.now();
    this.counter.count += records.length;
  }
  stop() {}
}

const connector =
  <T extends 'source' | 'sink'>(type: T, task: () => T extends 'source' ? SourceTask : SinkTask) =>
  (): any => {
    let props: Record<string, string> = {};
    return {
      type,
      version: () => '1.0.0',
      config: () => new ConfigDef(),
      start: (p: Record<string, string>) => {
        props = p;
      },
      taskConfigs: () => [{ ...props }],
      createTask: task,
      stop: () => {},
    };
  };
const plugins: PluginDescriptor[] = [
  {
    type: 'source',
    className: 'bench.GeneratorSourceConnector',
    version: '1.0.0',
    create: connector('source', () => new GeneratorTask()) as () => SourceConnector,
  },
  {
    type: 'sink',
    className: 'bench.CountingSinkConnector',
    version: '1.0.0',
    create: connector('sink', () => new CountingSinkTask()) as () => SinkConnector,
  },
];

/** `workerProps` adds to the worker's settings (the diagnostic row raises producer.batch.size). */
export function tributaryClient(brokers: string[], workerProps: Record<string, string> = {}): ClientAdapter {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-clients-'));
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
  let worker: RunningWorker | null = null;
  let seq = 0;
  const start = async (): Promise<RunningWorker> => {
    worker ??= await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'bootstrap.servers': brokers.join(','),
        'tributary.data.dir': path.join(dir, 'data'),
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'offset.flush.interval.ms': '1000',
        'consumer.max.poll.records': '1000',
        ...workerProps,
      },
      { plugins, logger: silentLogger },
    );
    return worker;
  };
  const post = async (w: RunningWorker, name: string, config: Record<string, string>) => {
    const res = await fetch(`${w.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, config }),
    });
    if (res.status !== 201) throw new Error(`POST /connectors: ${res.status} ${await res.text()}`);
  };
  const failed = async (w: RunningWorker, name: string): Promise<string | null> => {
    const status = (await (await fetch(`${w.url}/connectors/${name}/status`)).json()) as {
      tasks?: { state: string; trace?: string }[];
    };
    const task = status.tasks?.find((t) => t.state === 'FAILED');
    return task ? (task.trace ?? 'FAILED').split('\n')[0] : null;
  };
  return {
    name: `Tributary (Kafka transport${
      Object.keys(workerProps).length
        ? `, ${Object.entries(workerProps)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`
        : ''
    })`,
    version: `kafkajs ${(JSON.parse(fs.readFileSync(path.join(path.dirname(new URL(import.meta.url).pathname), '../../node_modules/kafkajs/package.json'), 'utf8')) as { version: string }).version} underneath`,
    async produce(topic, n, payload) {
      const w = await start();
      const admin = kafka.admin();
      await admin.connect();
      const name = `gen-${++seq}`;
      await post(w, name, {
        'connector.class': 'bench.GeneratorSourceConnector',
        topic,
        records: String(n),
        bytes: String(payload.length),
      });
      let have = 0;
      let checked = 0;
      let first = 0;
      while (have < n) {
        have = (await admin.fetchTopicOffsets(topic).catch(() => [])).reduce((s, o) => s + Number(o.high), 0);
        if (have > 0 && !first) first = Date.now();
        if (Date.now() - checked > 1000) {
          checked = Date.now();
          const why = await failed(w, name);
          if (why) throw new Error(`the generator task failed with ${have}/${n} records in ${topic}: ${why}`);
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      const ms = Date.now() - first;
      await admin.disconnect();
      await fetch(`${w.url}/connectors/${name}`, { method: 'DELETE' });
      return ms;
    },
    async consume(topic, n) {
      const w = await start();
      const name = `count-${++seq}`;
      const counter = { count: 0, first: 0 };
      sinkCounts.set(name, counter);
      await post(w, name, { 'connector.class': 'bench.CountingSinkConnector', topics: topic, 'counter.name': name });
      await until(() => counter.count >= n, 600_000, `${n} records in the sink`);
      const ms = Date.now() - counter.first;
      await fetch(`${w.url}/connectors/${name}`, { method: 'DELETE' });
      return ms;
    },
    async close() {
      await worker?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

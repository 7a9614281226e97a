/**
 * While a poll batch is being sent, the worker holds its converted bytes, not the polled records:
 * those die young instead of being promoted to V8's old generation (which, at tens of thousands of
 * records a second, set the worker's peak RSS and GC time). On Kafka the batch waits for room in a
 * buffer.memory small enough that every batch waits; on the embedded log its write stays in flight
 * while the next poll runs (here a slow one). A probe that runs meanwhile collects garbage and
 * counts the batch's records still reachable.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { randomUUID } from 'node:crypto';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { SourceRecord } from '../../runtime/data/records.ts';
import { Schemas } from '../../runtime/data/schema.ts';
import type { SourceTask } from '../../runtime/spi/source.ts';
import { testKafkaBrokers } from '../setup/env.ts';
import { oneTaskSource } from '../helpers/test-plugins.ts';
import { readCommittedValues } from '../helpers/java-consumer.ts';
import { readWholePartition } from '../helpers/read-partition.ts';
import { waitFor } from '../helpers/wait.ts';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const BATCHES = 6;
const PER_BATCH = 400;

/** The records of the batch last returned by poll(), and whether the worker is sending it (between that poll and the next). */
const probe = { batch: [] as WeakRef<SourceRecord>[], sending: false, polls: 0, samples: [] as number[] };

class BulkTask implements SourceTask {
  private topic = '';
  version() {
    return '1.0.0';
  }
  initialize() {}
  start(props: Record<string, string>) {
    this.topic = props.topic;
  }
  async poll(): Promise<SourceRecord[] | null> {
    // The batch polled before is still being written to the embedded log meanwhile.
    await new Promise((r) => setTimeout(r, 30));
    probe.sending = false;
    if (probe.polls === BATCHES) {
      await new Promise((r) => setTimeout(r, 20));
      return null;
    }
    const n = probe.polls++;
    const records = Array.from(
      { length: PER_BATCH },
      (_, i) =>
        new SourceRecord({
          topic: this.topic,
          kafkaPartition: 0,
          sourcePartition: { p: 0 },
          sourceOffset: { n: n * PER_BATCH + i },
          valueSchema: Schemas.STRING,
          value: `b${n}-r${i}-`.padEnd(1024, 'x'),
        }),
    );
    probe.batch = records.map((r) => new WeakRef(r));
    probe.sending = true;
    return records;
  }
  stop() {}
}

const plugins = [oneTaskSource('test.BulkSourceConnector', () => new BulkTask())];

let worker: RunningWorker | undefined;
let timer: NodeJS.Timeout | undefined;

async function runBulkConnector(settings: Record<string, string>): Promise<string> {
  probe.batch = [];
  probe.sending = false;
  probe.polls = 0;
  probe.samples = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-released-'));
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': dir,
      'offset.flush.interval.ms': '200',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      ...settings,
    },
    { logger: silentLogger, plugins },
  );
  timer = setInterval(() => {
    if (!probe.sending) return;
    collectGarbage();
    probe.samples.push(probe.batch.filter((r) => r.deref() !== undefined).length);
  }, 2);
  const topic = `released-${randomUUID().slice(0, 8)}`;
  const res = await fetch(`${worker.url}/connectors`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      name: topic,
      config: {
        'connector.class': 'test.BulkSourceConnector',
        topic,
        'topic.creation.default.partitions': '1',
        'topic.creation.default.replication.factor': '1',
      },
    }),
  });
  expect(res.status).toBe(201);
  await waitFor(() => probe.polls === BATCHES && !probe.sending, { timeoutMs: 60_000, what: 'every batch sent' });
  clearInterval(timer);
  return topic;
}

function expectEveryRecordOnce(values: string[]): void {
  expect(values).toHaveLength(BATCHES * PER_BATCH);
  expect(new Set(values.map((v) => v.slice(0, v.indexOf('-x')))).size).toBe(BATCHES * PER_BATCH);
}

describe('records released while a batch is being sent', () => {
  afterEach(async () => {
    clearInterval(timer);
    await worker?.stop();
    worker = undefined;
  });

  it('Kafka: holds no polled record while the producer waits for room, and delivers every record', async () => {
    // Four 16 KiB batches at a time: a poll batch of 400 KiB waits for about 25 acknowledgements.
    const topic = await runBulkConnector({
      'bootstrap.servers': testKafkaBrokers().join(','),
      'producer.buffer.memory': '65536',
    });
    // The probe ran while batches were being sent, and found none of their records reachable.
    expect(probe.samples.length).toBeGreaterThanOrEqual(BATCHES);
    expect(Math.max(...probe.samples)).toBe(0);
    const values = await waitFor(
      () => {
        const v = readCommittedValues(testKafkaBrokers(), topic);
        return v.length >= BATCHES * PER_BATCH ? v : undefined;
      },
      { timeoutMs: 60_000, what: 'every record in the topic' },
    );
    expectEveryRecordOnce(values);
  }, 120_000);

  it('embedded log: holds no polled record while its write is in flight, and delivers every record', async () => {
    const topic = await runBulkConnector({});
    expect(probe.samples.length).toBeGreaterThanOrEqual(BATCHES);
    expect(Math.max(...probe.samples)).toBe(0);
    const log = worker!.embedded.log;
    const values = await waitFor(
      () => {
        const v = readWholePartition(log, { topic, partition: 0 }).map((r) => r.value!.toString('utf8'));
        return v.length >= BATCHES * PER_BATCH ? v : undefined;
      },
      { timeoutMs: 60_000, what: 'every record in the log' },
    );
    expectEveryRecordOnce(values);
  }, 120_000);
});

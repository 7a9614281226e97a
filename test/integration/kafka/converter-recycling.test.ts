/**
 * The JsonConverter's output buffers are reused once the Kafka producer has copied a poll batch
 * into its own batches (Converter.recycleOutput). Reuse too early would put one record's bytes
 * under another's key: here a standalone worker produces 30,000 JSON records of ~2 KB through a
 * producer with little buffer.memory (so the task waits for room with converted records in hand)
 * and Kafka's Java consumer must read exactly the bytes a fresh JsonConverter writes for each.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { startStandaloneWorker, type RunningWorker } from '../../../app/workers.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { SourceRecord } from '../../../runtime/data/records.ts';
import { SchemaBuilder, Schemas } from '../../../runtime/data/schema.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import { JsonConverter } from '../../../runtime/converters/json-converter.ts';
import type { SourceTask } from '../../../runtime/spi/source.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { oneTaskSource } from '../../helpers/test-plugins.ts';
import { readCommittedSummary, recordsDigest } from '../../helpers/java-consumer.ts';
import { waitForTopicEnd } from './volume-helpers.ts';

const RECORDS = 30_000;
const POLL = 2048;
const keySchema = SchemaBuilder.struct().name('k').field('id', Schemas.INT64).build();
const valueSchema = SchemaBuilder.struct()
  .name('v')
  .field('id', Schemas.INT64)
  .field('text', Schemas.STRING)
  .field('n', Schemas.OPTIONAL_INT32)
  .build();

function record(topic: string, i: number): SourceRecord {
  return new SourceRecord({
    topic,
    kafkaPartition: i % 3,
    sourcePartition: { gen: 1 },
    sourceOffset: { i },
    keySchema,
    key: new Struct(keySchema).put('id', i),
    valueSchema,
    // Lengths vary (1.5-2.5 KB) so records straddle the converter's slabs at changing places.
    value: new Struct(valueSchema)
      .put('id', i)
      .put('text', `row-${i}-`.repeat(150 + (i % 97) * 2))
      .put('n', i % 5 === 0 ? null : i),
  });
}

class GeneratorTask implements SourceTask {
  private topic = '';
  private next = 0;
  version() {
    return '1.0.0';
  }
  initialize() {}
  start(props: Record<string, string>) {
    this.topic = props.topic;
  }
  async poll(): Promise<SourceRecord[] | null> {
    if (this.next >= RECORDS) {
      await new Promise((r) => setTimeout(r, 20));
      return null;
    }
    const out: SourceRecord[] = [];
    for (; out.length < POLL && this.next < RECORDS; this.next++) out.push(record(this.topic, this.next));
    return out;
  }
  stop() {}
}

const plugins = [oneTaskSource('test.GeneratorSource', () => new GeneratorTask())];

let worker: RunningWorker | undefined;
afterAll(() => worker?.stop());

describe('converter buffers reused after the producer copied them', () => {
  it('every record reaches Kafka with its own bytes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-recycle-'));
    worker = await startStandaloneWorker(
      {
        listeners: 'http://127.0.0.1:0',
        'bootstrap.servers': testKafkaBrokers().join(','),
        'tributary.data.dir': dir,
        'offset.flush.interval.ms': '500',
        'producer.buffer.memory': String(256 * 1024),
      },
      { logger: process.env.DEBUG_RECYCLE ? undefined : silentLogger, plugins },
    );
    const topic = `recycle-${randomUUID().slice(0, 8)}`;
    const res = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: topic,
        config: {
          'connector.class': 'test.GeneratorSource',
          topic,
          'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
          'topic.creation.default.partitions': '3',
          'topic.creation.default.replication.factor': '1',
        },
      }),
    });
    expect(res.status).toBe(201);
    await waitForTopicEnd(testKafkaBrokers(), topic, RECORDS, 120_000).catch(async (err: Error) => {
      const status = await (await fetch(`${worker!.url}/connectors/${topic}/status`)).text();
      throw new Error(`${err.message}; connector status: ${status}`);
    });

    const keys = new JsonConverter();
    keys.configure({}, true);
    const values = new JsonConverter();
    values.configure({}, false);
    const expected: Array<{ key: Buffer; value: Buffer }> = [];
    for (let i = 0; i < RECORDS; i++) {
      const r = record(topic, i);
      expected.push({
        key: Buffer.from(keys.fromConnectData(topic, keySchema, r.key) as Buffer),
        value: Buffer.from(values.fromConnectData(topic, valueSchema, r.value) as Buffer),
      });
    }
    const summary = await readCommittedSummary(testKafkaBrokers(), topic);
    expect(summary.count).toBe(RECORDS);
    expect(summary.distinctKeys).toBe(RECORDS);
    expect(summary.digest).toBe(recordsDigest(expected));
  }, 240_000);
});

/**
 * The Kafka transport's plain producer as Kafka's Java producer: sends are accepted before they are
 * acknowledged, batches fill across sends, several requests are in flight per broker and each
 * partition stays in order; buffer.memory bounds what is held; a network cut while requests are
 * in flight loses and repeats nothing (idempotent sequence numbers on the retried batches), as
 * Kafka's Java consumer reads back. And the transport's admin keeps answering after a topic it
 * read is deleted behind its back.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaTransport } from '../../../runtime/transport/kafka-transport.ts';
import type { KafkaSender } from '../../../runtime/transport/kafka-sender.ts';
import type { DeliveredRecord, OutgoingRecord, SubmittedRecords } from '../../../runtime/transport/types.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { readCommittedSummary, readCommittedValues, recordsDigest, valuesDigest } from '../../helpers/java-consumer.ts';
import { PrivateKafkaCluster } from '../../helpers/private-kafka-cluster.ts';

const transports: KafkaTransport[] = [];
let cluster: PrivateKafkaCluster | null = null;
afterAll(async () => {
  await Promise.allSettled(transports.map((t) => t.close()));
  await cluster?.close();
}, 120_000);

function transport(brokers: string[], props: Record<string, string> = {}): KafkaTransport {
  const t = new KafkaTransport({
    props: { 'bootstrap.servers': brokers.join(','), ...props },
    logger: silentLogger,
    defaultPartitions: 1,
  });
  transports.push(t);
  return t;
}

const record = (topic: string, i: number, bytes: number): OutgoingRecord => ({
  topic,
  partition: 0,
  key: Buffer.from(`k${i}`),
  value: Buffer.from(`v${i}-`.padEnd(bytes, 'x')),
  timestamp: Date.now(),
  headers: [],
});

/** Submits `sends` sends of `each` records without waiting for acknowledgements; resolves with every delivery, in order. */
async function submitAll(
  sender: KafkaSender,
  topic: string,
  sends: number,
  each: number,
  bytes: number,
): Promise<{ records: OutgoingRecord[]; delivered: DeliveredRecord[] }> {
  const records: OutgoingRecord[] = [];
  const pending: SubmittedRecords[] = [];
  for (let s = 0; s < sends; s++) {
    const batch = Array.from({ length: each }, (_, j) => record(topic, s * each + j, bytes));
    records.push(...batch);
    pending.push(await sender.submit(batch));
  }
  const delivered = (await Promise.all(pending.map((p) => p.acked))).flat();
  return { records, delivered };
}

describe('the Kafka producer pipeline', () => {
  it('accepts sends before their acknowledgement, keeps up to 5 requests in flight and the partition in order', async () => {
    const brokers = testKafkaBrokers();
    const t = transport(brokers, { 'producer.batch.size': '4096' });
    const topic = `pipeline-order-${randomUUID().slice(0, 8)}`;
    await t.admin.createTopic(topic, 1);
    const sender = t.createSender('pipeline-order') as KafkaSender;
    const { records, delivered } = await submitAll(sender, topic, 100, 40, 300);
    expect(delivered.map((d) => d.offset)).toEqual(records.map((_, i) => i));
    const stats = sender.pipelineStats!;
    expect(stats.peakInFlight).toBe(5);
    // 4,000 records of ~320 bytes in batches of at most 4 KB: no fewer than 320 requests, no more than one per record.
    expect(stats.requests).toBeGreaterThanOrEqual(320);
    expect(stats.requests).toBeLessThan(4000);
    expect(readCommittedValues(brokers, topic)).toEqual(records.map((r) => r.value!.toString()));

    const single = transport(brokers, { 'producer.max.in.flight.requests.per.connection': '1' }).createSender(
      'pipeline-one',
    ) as KafkaSender;
    await submitAll(single, topic, 20, 40, 300);
    expect(single.pipelineStats!.peakInFlight).toBe(1);
    await Promise.all([sender.close(), single.close()]);
  }, 120_000);

  it('compressed batches (encoded asynchronously) still go out in sequence order with 5 in flight', async () => {
    const brokers = testKafkaBrokers();
    const t = transport(brokers, { 'producer.batch.size': '4096', 'producer.compression.type': 'gzip' });
    const topic = `pipeline-gzip-${randomUUID().slice(0, 8)}`;
    await t.admin.createTopic(topic, 1);
    const sender = t.createSender('pipeline-gzip') as KafkaSender;
    const { records, delivered } = await submitAll(sender, topic, 50, 40, 300);
    expect(delivered.map((d) => d.offset)).toEqual(records.map((_, i) => i));
    expect(sender.pipelineStats!.peakInFlight).toBe(5);
    expect(readCommittedValues(brokers, topic)).toEqual(records.map((r) => r.value!.toString()));
    await sender.close();
  }, 120_000);

  it('buffer.memory bounds the bytes held: a send waits for room', async () => {
    const brokers = testKafkaBrokers();
    const t = transport(brokers, { 'producer.buffer.memory': '50000' });
    const topic = `pipeline-buffer-${randomUUID().slice(0, 8)}`;
    await t.admin.createTopic(topic, 1);
    const sender = t.createSender('pipeline-buffer') as KafkaSender;
    const { records, delivered } = await submitAll(sender, topic, 200, 10, 1000);
    expect(delivered.map((d) => d.offset)).toEqual(records.map((_, i) => i));
    expect(sender.pipelineStats!.peakBuffered).toBeGreaterThan(10_000);
    expect(sender.pipelineStats!.peakBuffered).toBeLessThanOrEqual(50_000);
    await sender.close();
  }, 120_000);

  it('a network cut with requests in flight: every record once, in order (retried batches keep their sequence numbers)', async () => {
    cluster = await PrivateKafkaCluster.start({ nodes: 1, proxied: true });
    const t = transport(cluster.brokers, { 'producer.batch.size': '8192' });
    const topic = `pipeline-cut-${randomUUID().slice(0, 8)}`;
    await t.admin.createTopic(topic, 1);
    const sender = t.createSender('pipeline-cut') as KafkaSender;
    const records: OutgoingRecord[] = [];
    const pending: SubmittedRecords[] = [];
    let cut = false;
    for (let s = 0; s < 300; s++) {
      const batch = Array.from({ length: 50 }, (_, j) => record(topic, s * 50 + j, 200));
      records.push(...batch);
      pending.push(await sender.submit(batch));
      if (s === 100) {
        cut = true;
        cluster.cutNetwork();
        // The outage's length is the scenario: requests in flight are reset, new ones refused.
        setTimeout(() => cluster!.restoreNetwork(), 3000);
      }
    }
    expect(cut).toBe(true);
    const delivered = (await Promise.all(pending.map((p) => p.acked))).flat();
    expect(delivered).toHaveLength(records.length);
    // In submission order (an offset the broker did not repeat for a duplicate is -1) ...
    const offsets = delivered.map((d) => d.offset).filter((o) => o >= 0);
    expect(offsets.every((o, i) => i === 0 || o > offsets[i - 1])).toBe(true);
    // ... and each record exactly once (read asynchronously: the proxy runs in this process).
    expect(await readCommittedSummary(cluster.brokers, topic)).toEqual({
      count: records.length,
      distinctKeys: records.length,
      digest: recordsDigest(records),
      valueDigest: valuesDigest(records.map((r) => r.value!)),
    });
    await sender.close();
  }, 240_000);

  it('the admin keeps answering after a topic it read is deleted by someone else', async () => {
    const brokers = testKafkaBrokers();
    const t = transport(brokers);
    const [gone, kept] = [`admin-gone-${randomUUID().slice(0, 8)}`, `admin-kept-${randomUUID().slice(0, 8)}`];
    await t.admin.createTopic(gone, 1);
    await t.admin.createTopic(kept, 1);
    await t.createSender('admin-writer').send([record(kept, 0, 10)]);
    expect(await t.admin.endOffset({ topic: gone, partition: 0 })).toBe(0);
    expect(await t.admin.endOffset({ topic: kept, partition: 0 })).toBe(1);
    const other = new Kafka({ brokers, logLevel: logLevel.NOTHING }).admin();
    await other.connect();
    await other.deleteTopics({ topics: [gone] });
    await other.disconnect();
    expect(await t.admin.endOffset({ topic: kept, partition: 0 })).toBe(1);
    expect(await t.admin.describeTopic(kept)).toEqual({ name: kept, partitions: 1 });
    expect((await t.admin.listTopics()).map((x) => x.name)).toContain(kept);
    expect(await t.admin.describeTopic(gone)).toBeUndefined();
  }, 120_000);
});

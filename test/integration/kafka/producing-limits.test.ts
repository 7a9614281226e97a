/**
 * The Kafka transport's producer against the test broker with its default limits: sends far larger
 * than max.request.size go out in byte-bounded batches; a record too large fails naming topic,
 * partition, size and limit; each compression.type is written so Kafka's Java consumer reads it and
 * read when Kafka's Java producer wrote it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import kafkajs, { CompressionTypes, ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { KafkaTransport } from '../../../runtime/transport/kafka-transport.ts';
import { RecordTooLargeException } from '../../../runtime/transport/kafka-sender.ts';
import type { LogRecord, OutgoingRecord } from '../../../runtime/transport/types.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import {
  readCommittedSummary,
  readCommittedValues,
  recordsDigest,
  valuesDigest,
  writeWithJavaProducer,
} from '../../helpers/java-consumer.ts';
import { waitFor } from '../../helpers/wait.ts';

const brokers = testKafkaBrokers();

/** How many record batches each codec compressed: proof the codec was used, not just accepted. */
const compressions = new Map<string, number>();
function countCompressions(): void {
  const codecs = kafkajs.CompressionCodecs as Record<number, () => { compress(e: unknown): Promise<Buffer> }>;
  for (const [name, type] of [
    ['gzip', CompressionTypes.GZIP],
    ['snappy', CompressionTypes.Snappy],
    ['lz4', CompressionTypes.LZ4],
    ['zstd', CompressionTypes.ZSTD],
  ] as const) {
    const original = codecs[type];
    codecs[type] = () => {
      const codec = original();
      return {
        ...codec,
        compress: (e: unknown) => {
          compressions.set(name, (compressions.get(name) ?? 0) + 1);
          return codec.compress(e);
        },
      };
    };
  }
}
const transports: KafkaTransport[] = [];
afterAll(async () => {
  await Promise.allSettled(transports.map((t) => t.close()));
});

function transport(props: Record<string, string> = {}): KafkaTransport {
  const t = new KafkaTransport({
    props: { 'bootstrap.servers': brokers.join(','), ...props },
    logger: silentLogger,
    defaultPartitions: 1,
  });
  transports.push(t);
  return t;
}

const record = (topic: string, i: number, bytes: number, partition: number | null = null): OutgoingRecord => ({
  topic,
  partition,
  key: Buffer.from(`k${i}`),
  value: Buffer.from(`v${i}-`.padEnd(bytes, 'x')),
  timestamp: Date.now(),
  headers: [{ key: 'h', value: Buffer.from(String(i)) }],
});

async function readBack(t: KafkaTransport, topic: string, expected: number): Promise<LogRecord[]> {
  const receiver = t.createReceiver(`check-${randomUUID()}`, 'check');
  const out: LogRecord[] = [];
  await receiver.subscribe(
    { topics: [topic], regex: null },
    { revoked: async () => undefined, assigned: async () => undefined },
  );
  try {
    await waitFor(
      async () => {
        out.push(...(await receiver.poll(5000, 200)));
        return out.length >= expected;
      },
      { timeoutMs: 60_000, what: `${expected} records of ${topic}` },
    );
  } finally {
    await receiver.close();
  }
  return out;
}

describe("producing within Kafka's limits", () => {
  it('a send of 6 MB in 3,000 records goes out in batches within batch.size and max.request.size, offsets in order', async () => {
    const t = transport();
    const topic = `limits-${randomUUID().slice(0, 8)}`;
    await t.admin.createTopic(topic, 3);
    const records = Array.from({ length: 3000 }, (_, i) => record(topic, i, 2000));
    const sender = t.createSender('limits-producer');
    const delivered = await sender.send(records);
    expect(delivered).toHaveLength(3000);
    const byPartition = new Map<number, number[]>();
    for (const d of delivered) byPartition.set(d.partition, [...(byPartition.get(d.partition) ?? []), d.offset]);
    for (const offsets of byPartition.values()) expect(offsets).toEqual(offsets.map((_, j) => j));
    const summary = await readCommittedSummary(brokers, topic);
    expect(summary).toMatchObject({
      count: 3000,
      distinctKeys: 3000,
      digest: recordsDigest(records),
      valueDigest: valuesDigest(records.map((r) => r.value!)),
    });
    await sender.close();
  }, 120_000);

  it('a record larger than the limit fails naming topic, partition, size and limit; nothing of the send is written', async () => {
    const t = transport();
    const topic = `limits-big-${randomUUID().slice(0, 8)}`;
    await t.admin.createTopic(topic, 1);
    const sender = t.createSender('limits-big-producer');
    const err = await sender
      .send([record(topic, 0, 100, 0), record(topic, 1, 2 * 1024 * 1024, 0)])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RecordTooLargeException);
    expect((err as Error).message).toMatch(
      new RegExp(`topic ${topic} partition 0 is 2\\d{6} bytes when serialized, larger than max.request.size=1048576`),
    );
    expect((err as RecordTooLargeException).records.map((r) => r.index)).toEqual([1]);
    expect(await t.admin.endOffset({ topic, partition: 0 })).toBe(0);
    // Within max.request.size but over the topic's max.message.bytes (the broker's default 1048588).
    const raised = transport({ 'producer.max.request.size': '4194304' }).createSender('limits-big-raised');
    await expect(raised.send([record(topic, 2, 2 * 1024 * 1024, 0)])).rejects.toThrow(
      /larger than max.message.bytes=1048588: raise the topic's max.message.bytes/,
    );
    await sender.close();
    await raised.close();
  }, 60_000);

  it("2 MB records with a raised max.request.size and the topic's max.message.bytes raised", async () => {
    const t = transport({ 'producer.max.request.size': '5242880' });
    const topic = `limits-2mb-${randomUUID().slice(0, 8)}`;
    await t.admin.createTopic(topic, 1, { 'max.message.bytes': '5242880' });
    const records = Array.from({ length: 6 }, (_, i) => record(topic, i, 2 * 1024 * 1024));
    const sender = t.createSender('limits-2mb');
    expect((await sender.send(records)).map((d) => d.offset)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await readCommittedSummary(brokers, topic)).toMatchObject({
      count: 6,
      distinctKeys: 6,
      digest: recordsDigest(records),
    });
    await sender.close();
  }, 120_000);

  it('compressed topics: a record over max.message.bytes uncompressed goes out when it compresses below, fails when it does not', async () => {
    const t = transport({ 'producer.compression.type': 'gzip', 'producer.max.request.size': '4194304' });
    const topic = `limits-gzip-${randomUUID().slice(0, 8)}`;
    await t.admin.createTopic(topic, 1);
    const sender = t.createSender('limits-gzip');
    const compressible = record(topic, 0, 1_500_000, 0);
    expect((await sender.send([compressible])).map((d) => d.offset)).toEqual([0]);
    const random = { ...record(topic, 1, 10, 0), value: randomBytes(1_500_000) };
    await expect(sender.send([random])).rejects.toThrow(
      new RegExp(
        `a record for topic ${topic} partition 0 is 15\\d{5} bytes when serialized, larger than max.message.bytes=1048588`,
      ),
    );
    await sender.close();
  }, 60_000);

  it("a topic limit lowered after it was read: the broker's refusal is named, the next send knows the new limit", async () => {
    const t = transport();
    const topic = `limits-lowered-${randomUUID().slice(0, 8)}`;
    await t.admin.createTopic(topic, 2);
    const sender = t.createSender('limits-lowered');
    await sender.send([record(topic, 0, 100, 0)]);
    const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'max.message.bytes', value: '4000' }] },
      ],
    });
    await admin.disconnect();
    // The broker applies a topic config change to its log asynchronously after answering: probe
    // partition 1 with kafkajs until a 6,000-byte batch is refused (partition 0 is the test's).
    const probe = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
    await probe.connect();
    await waitFor(
      () =>
        probe
          .send({ topic, messages: [{ partition: 1, value: 'x'.repeat(6000) }] })
          .then(() => undefined)
          .catch((err: Error) => (/too large|larger than/i.test(err.message) ? true : undefined)),
      { what: 'the broker to apply max.message.bytes=4000 to the topic', timeoutMs: 60_000 },
    );
    await probe.disconnect();
    await expect(sender.send([record(topic, 1, 6000, 0)])).rejects.toThrow(
      new RegExp(
        `The broker refused a batch of 1 record\\(s\\) for topic ${topic} partition 0 as larger than the topic's max.message.bytes`,
      ),
    );
    await expect(sender.send([record(topic, 2, 6000, 0)])).rejects.toThrow(/larger than max.message.bytes=4000/);
    expect((await sender.send([record(topic, 3, 1000, 0)])).map((d) => d.offset)).toEqual([1]);
    await sender.close();
  }, 60_000);

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    if (codec === 'none') transport(); // registers Tributary's codecs before they are wrapped
    if (codec === 'gzip') countCompressions();
    it(`compression.type=${codec}: Kafka's Java consumer reads what we write, we read what Kafka's Java producer writes`, async () => {
      const t = transport({ 'producer.compression.type': codec, 'producer.batch.size': '65536' });
      const topic = `codec-${codec}-${randomUUID().slice(0, 8)}`;
      await t.admin.createTopic(topic, 1);
      const records = Array.from({ length: 2000 }, (_, i) => record(topic, i, 300 + (i % 700), 0));
      const sender = t.createSender(`codec-${codec}`);
      await sender.send(records);
      await sender.close();
      expect(readCommittedValues(brokers, topic)).toEqual(records.map((r) => r.value!.toString()));
      if (codec !== 'none') expect(compressions.get(codec) ?? 0).toBeGreaterThan(0);

      const fromJava = `codec-java-${codec}-${randomUUID().slice(0, 8)}`;
      await t.admin.createTopic(fromJava, 1);
      await writeWithJavaProducer(brokers, fromJava, codec, 1500);
      const read = await readBack(t, fromJava, 1500);
      expect(read.map((r) => r.value!.toString())).toEqual(
        Array.from({ length: 1500 }, (_, i) => `v${i}-${'x'.repeat(200)}`),
      );
    }, 120_000);
  }
});

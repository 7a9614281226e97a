/**
 * The group-less reader of the internal topics (KafkaLogFollower, as Kafka Connect's KafkaBasedLog)
 * against the real broker: what it hands over is what Kafka's Java consumer reads under
 * read_committed (committed transactions in, aborted ones and markers out, records written
 * compressed by Kafka's Java producer included), every partition is followed, its position reaches
 * the end of the log (transaction markers counted), it joins no consumer group, and 300,000 records
 * read the same as Kafka's Java consumer reads them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';
import { KafkaLogFollower, type FollowedRecords } from '../../../runtime/transport/kafka-log-follower.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import {
  readCommittedSummary,
  readCommittedValues,
  recordsDigest,
  writeWithJavaProducer,
} from '../../helpers/java-consumer.ts';
import { waitFor } from '../../helpers/wait.ts';

const brokers = testKafkaBrokers();
const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING, clientId: `follower-test-${randomUUID().slice(0, 8)}` });
const admin = kafka.admin();
const followers: KafkaLogFollower[] = [];
afterAll(async () => {
  await Promise.allSettled(followers.map((f) => f.stop()));
  await admin.disconnect();
});

/** Starts a follower of `topics`, collecting what it hands over per `topic/partition`. */
/** The client id of every follower's connections: no consumer group may have a member of it. */
const FOLLOWER_CLIENT_ID = `log-follower-${randomUUID().slice(0, 8)}`;

async function follow(topics: string[]) {
  const read = new Map<string, FollowedRecords[]>();
  const failures: Error[] = [];
  const follower = new KafkaLogFollower({
    kafka: new Kafka({ brokers, logLevel: logLevel.NOTHING, clientId: FOLLOWER_CLIENT_ID }),
    topics,
    logger: silentLogger,
    onRecords: (r) => {
      const k = `${r.topic}/${r.partition}`;
      read.set(k, [...(read.get(k) ?? []), r]);
    },
    onFailure: (err) => failures.push(err),
  });
  followers.push(follower);
  await follower.start();
  const values = (topic: string, partition = 0) =>
    (read.get(`${topic}/${partition}`) ?? []).flatMap((r) => r.records.map((x) => x.value?.toString() ?? '<null>'));
  const position = (topic: string, partition = 0) => read.get(`${topic}/${partition}`)?.at(-1)?.nextOffset ?? 0;
  return { follower, values, position, failures };
}

async function highWatermarks(topic: string): Promise<number[]> {
  return (await admin.fetchTopicOffsets(topic)).sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
}

describe('KafkaLogFollower', () => {
  it('hands over what a read_committed Java consumer reads, and ends at the end of the log', async () => {
    await admin.connect();
    const topic = `follower-txn-${randomUUID().slice(0, 8)}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const txProducer = kafka.producer({
      transactionalId: `follower-${randomUUID()}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    const plain = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await txProducer.connect();
    await plain.connect();
    const inTransaction = async (values: string[], end: 'commit' | 'abort', compression = CompressionTypes.None) => {
      const tx = await txProducer.transaction();
      await tx.send({ topic, compression, messages: values.map((v, i) => ({ key: `k${i}`, value: v })) });
      await (end === 'commit' ? tx.commit() : tx.abort());
    };
    const { values, position, failures } = await follow([topic]);
    await inTransaction(['a1', 'a2'], 'commit');
    await inTransaction(['b1', 'b2', 'b3'], 'abort');
    await plain.send({ topic, messages: [{ key: 'p', value: 'c1' }] });
    await inTransaction(['d1'], 'commit', CompressionTypes.GZIP);
    await inTransaction(['e1'], 'abort', CompressionTypes.GZIP);
    await writeWithJavaProducer(brokers, topic, 'zstd', 3);
    await inTransaction(['f1'], 'commit');
    const [end] = await highWatermarks(topic);
    await waitFor(() => position(topic) === end, { timeoutMs: 20_000, what: `the follower at offset ${end}` });
    expect(values(topic)).toEqual(readCommittedValues(brokers, topic));
    expect(values(topic).filter((v) => !v.startsWith('v'))).toEqual(['a1', 'a2', 'c1', 'd1', 'f1']);
    expect(failures).toEqual([]);
    await Promise.all([txProducer.disconnect(), plain.disconnect()]);
  }, 120_000);

  it('follows every partition and keeps following what is written later, without joining a consumer group', async () => {
    const topic = `follower-parts-${randomUUID().slice(0, 8)}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
    const producer = kafka.producer();
    await producer.connect();
    const write = (from: number, n: number) =>
      producer.send({
        topic,
        messages: Array.from({ length: n }, (_x, i) => ({ partition: (from + i) % 3, value: `m${from + i}` })),
      });
    await write(0, 30);
    const { values, position } = await follow([topic]);
    await write(30, 30);
    const ends = await highWatermarks(topic);
    await waitFor(() => ends.every((end, p) => position(topic, p) === end), {
      timeoutMs: 20_000,
      what: 'every partition read to its end',
    });
    for (let p = 0; p < 3; p++)
      expect(values(topic, p)).toEqual(Array.from({ length: 20 }, (_x, i) => `m${p + 3 * i}`));
    // Other test files use the broker meanwhile: look for members of the followers' client id only.
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
    const described = groups.length === 0 ? [] : (await admin.describeGroups(groups)).groups;
    expect(described.flatMap((g) => g.members.map((m) => m.clientId))).not.toContain(FOLLOWER_CLIENT_ID);
    expect(described.length).toBe(groups.length);
    await producer.disconnect();
  }, 60_000);
  it("reads 300,000 records written by Kafka's Java producer (zstd) as its consumer does: count, order and digest", async () => {
    const topic = `follower-volume-${randomUUID().slice(0, 8)}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    const count = 300_000;
    await writeWithJavaProducer(brokers, topic, 'zstd', count);
    const records: Array<{ key: Buffer | null; value: Buffer | null; offset: number }> = [];
    const follower = new KafkaLogFollower({
      kafka: new Kafka({ brokers, logLevel: logLevel.NOTHING, clientId: FOLLOWER_CLIENT_ID }),
      topics: [topic],
      logger: silentLogger,
      onRecords: (r) => {
        for (const x of r.records) records.push(x);
      },
      onFailure: (err) => failures.push(err),
    });
    const failures: Error[] = [];
    followers.push(follower);
    const t0 = Date.now();
    await follower.start();
    await waitFor(() => records.length >= count, { timeoutMs: 120_000, what: `${count} records followed` });
    const seconds = (Date.now() - t0) / 1000;
    process.stderr.write(`[follower] ${count} records in ${seconds.toFixed(1)} s\n`);
    expect(records.length).toBe(count);
    expect(records.every((r, i) => r.offset === i && r.key?.toString() === `k${i}`)).toBe(true);
    const java = await readCommittedSummary(brokers, topic);
    expect(java.count).toBe(count);
    expect(recordsDigest(records)).toBe(java.digest);
    expect(failures).toEqual([]);
  }, 240_000);
});

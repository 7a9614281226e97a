/** kafkajs (the transport's client today) in the client benchmark. */
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import {
  batchRecords,
  within,
  HEARTBEAT_MS,
  MAX_WAIT_MS,
  SESSION_TIMEOUT_MS,
  coversTopic,
  until,
  untilOk,
  type ClientAdapter,
  type GroupTiming,
} from './types.ts';

export function kafkajsClient(brokers: string[]): ClientAdapter {
  const kafka = new Kafka({ brokers, logLevel: logLevel.NOTHING, clientId: 'bench-kafkajs' });
  const version = (createRequire(import.meta.url)('kafkajs/package.json') as { version: string }).version;
  return {
    name: 'kafkajs',
    version,
    async produce(topic, n, payload) {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const batch = batchRecords(payload.length);
      for (let sent = 0; sent < n; sent += batch) {
        await producer.send({
          topic,
          acks: -1,
          messages: Array.from({ length: Math.min(batch, n - sent) }, () => ({ value: payload })),
        });
      }
      await producer.disconnect();
    },
    async oversizedSend(topic, n, payload) {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const outcome = await within(
        60_000,
        producer.send({ topic, acks: -1, messages: Array.from({ length: n }, () => ({ value: payload })) }),
      );
      await producer.disconnect().catch(() => undefined);
      return outcome;
    },
    async consume(topic, n) {
      const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: MAX_WAIT_MS });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let consumed = 0;
      let first = 0;
      await consumer.run({
        eachBatch: async ({ batch }) => {
          if (!first) first = Date.now();
          consumed += batch.messages.length;
        },
      });
      await until(() => consumed >= n, 600_000, `${n} records`);
      const ms = Date.now() - first;
      await consumer.disconnect();
      return ms;
    },
    async transactions(topic, count, perTransaction) {
      const producer = kafka.producer({
        transactionalId: `bench-${randomUUID()}`,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      const value = Buffer.alloc(1024, 120);
      for (let i = 0; i < count; i++) {
        const tx = await producer.transaction();
        await tx.send({ topic, acks: -1, messages: Array.from({ length: perTransaction }, () => ({ value })) });
        await tx.commit();
      }
      await producer.disconnect();
    },
    async group(topic, partitions): Promise<GroupTiming> {
      const groupId = `bench-${randomUUID()}`;
      const assigned: Array<Set<number>> = [];
      const member = async (): Promise<Consumer> => {
        const index = assigned.push(new Set()) - 1;
        const c = kafka.consumer({
          groupId,
          heartbeatInterval: HEARTBEAT_MS,
          sessionTimeout: SESSION_TIMEOUT_MS,
          maxWaitTimeInMs: MAX_WAIT_MS,
        });
        c.on(c.events.GROUP_JOIN, (e) => {
          assigned[index] = new Set((e.payload.memberAssignment[topic] ?? []) as number[]);
        });
        await c.connect();
        await c.subscribe({ topic, fromBeginning: true });
        await c.run({ eachBatch: async () => undefined });
        return c;
      };
      let t0 = Date.now();
      const a = await member();
      await until(() => assigned[0].size === partitions, 60_000, 'the first member to join');
      const joinMs = Date.now() - t0;
      t0 = Date.now();
      const b = await member();
      await until(() => coversTopic(assigned, partitions), 60_000, 'the rebalance');
      const rebalanceMs = Date.now() - t0;
      await Promise.all([a.disconnect(), b.disconnect()]);
      return { joinMs, rebalanceMs, protocol: 'classic, eager (kafkajs has no cooperative protocol)' };
    },
    async admin(prefix, count) {
      const admin = kafka.admin();
      await admin.connect();
      let createMs = 0;
      let describeMs = 0;
      const topics: string[] = [];
      for (let i = 0; i < count; i++) {
        const topic = `${prefix}-${i}`;
        topics.push(topic);
        let t = Date.now();
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
        createMs += Date.now() - t;
        t = Date.now();
        await untilOk(() => admin.fetchTopicMetadata({ topics: [topic] }));
        describeMs += Date.now() - t;
      }
      await admin.deleteTopics({ topics });
      await admin.disconnect();
      return { createMs, describeMs };
    },
    async close() {},
  };
}

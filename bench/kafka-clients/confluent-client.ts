/**
 * @confluentinc/kafka-javascript (librdkafka) in the client benchmark, loaded from its bench-local
 * build (bench/kafka-clients/install.ts). Two ways of using it: its native API (produce() with
 * delivery reports, librdkafka batching by itself; flowing consumer; cooperative-sticky group) and
 * its KafkaJS-compatible API (await send() per batch, as the transport sends today), which also
 * serves transactions and admin.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
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

interface TopicPartition {
  topic: string;
  partition: number;
}
interface NativeProducer {
  connect(): void;
  on(event: string, cb: (...args: any[]) => void): void;
  setPollInterval(ms: number): void;
  produce(topic: string, partition: number | null, value: Buffer): boolean;
  disconnect(cb: () => void): void;
}
interface NativeConsumer {
  connect(): void;
  on(event: string, cb: (...args: any[]) => void): void;
  subscribe(topics: string[]): void;
  consume(): void;
  disconnect(cb: () => void): void;
}
interface CompatProducer {
  connect(): Promise<void>;
  send(o: { topic: string; messages: { value: Buffer }[] }): Promise<unknown>;
  transaction(): Promise<{
    send(o: { topic: string; messages: { value: Buffer }[] }): Promise<unknown>;
    commit(): Promise<void>;
  }>;
  disconnect(): Promise<void>;
}
interface CompatConsumer {
  connect(): Promise<void>;
  subscribe(o: { topics: string[] }): Promise<void>;
  run(o: { eachBatch: (p: { batch: { messages: unknown[] } }) => Promise<void> }): Promise<void>;
  disconnect(): Promise<void>;
}
interface CompatAdmin {
  connect(): Promise<void>;
  createTopics(o: { topics: { topic: string; numPartitions: number }[] }): Promise<unknown>;
  fetchTopicMetadata(o: { topics: string[] }): Promise<unknown>;
  deleteTopics(o: { topics: string[] }): Promise<unknown>;
  disconnect(): Promise<void>;
}
interface ConfluentLib {
  Producer: new (conf: Record<string, unknown>) => NativeProducer;
  KafkaConsumer: new (conf: Record<string, unknown>, topicConf: Record<string, unknown>) => NativeConsumer;
  KafkaJS: {
    Kafka: new (conf: Record<string, unknown>) => {
      producer(c: Record<string, unknown>): CompatProducer;
      consumer(c: Record<string, unknown>): CompatConsumer;
      admin(): CompatAdmin;
    };
  };
  librdkafkaVersion: string;
  features: string[];
}

export function loadConfluent(packageDir: string): { lib: ConfluentLib; version: string } {
  const require = createRequire(path.join(packageDir, 'package.json'));
  const lib = require('@confluentinc/kafka-javascript') as ConfluentLib;
  const version = (require('@confluentinc/kafka-javascript/package.json') as { version: string }).version;
  return { lib, version: `${version} (librdkafka ${lib.librdkafkaVersion}; ${lib.features.join(',')})` };
}

const BATCH_UNBOUNDED = 1000;

const connected = (client: { connect(): void; on(event: string, cb: (...args: any[]) => void): void }): Promise<void> =>
  new Promise((resolve, reject) => {
    client.on('ready', () => resolve());
    client.on('event.error', reject);
    client.connect();
  });

/** The native API: librdkafka batches by itself (linger.ms 5, batch.size 1 MB, its defaults), delivery reports counted. */
export function confluentNativeClient(packageDir: string, brokers: string[]): ClientAdapter {
  const { lib, version } = loadConfluent(packageDir);
  const common = { 'metadata.broker.list': brokers.join(','), 'client.id': 'bench-confluent' };
  const compat = new lib.KafkaJS.Kafka({ kafkaJS: { brokers, logLevel: 0 } });
  return {
    name: '@confluentinc/kafka-javascript (native API)',
    version,
    async produce(topic, n, payload) {
      const producer = new lib.Producer({
        ...common,
        dr_cb: true,
        'enable.idempotence': true,
        acks: 'all',
        'queue.buffering.max.messages': 200_000,
      });
      let delivered = 0;
      let failure: Error | null = null;
      producer.on('delivery-report', (err: Error | null) => {
        if (err) failure = err;
        delivered++;
      });
      await connected(producer);
      producer.setPollInterval(5);
      for (let i = 0; i < n;) {
        try {
          producer.produce(topic, null, payload);
          i++;
        } catch {
          await new Promise((r) => setTimeout(r, 2)); // local queue full: delivery reports drain it
        }
      }
      await until(() => delivered >= n || failure !== null, 600_000, `${n} delivery reports`);
      if (failure) throw failure;
      await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
    },
    async consume(topic, n) {
      const consumer = new lib.KafkaConsumer(
        {
          ...common,
          'group.id': `bench-${randomUUID()}`,
          'enable.auto.commit': false,
          'fetch.wait.max.ms': MAX_WAIT_MS,
        },
        { 'auto.offset.reset': 'earliest' },
      );
      let consumed = 0;
      let first = 0;
      consumer.on('data', () => {
        if (!first) first = Date.now();
        consumed++;
      });
      await connected(consumer);
      consumer.subscribe([topic]);
      consumer.consume();
      await until(() => consumed >= n, 600_000, `${n} records`);
      const ms = Date.now() - first;
      await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
      return ms;
    },
    async transactions(topic, count, perTransaction) {
      const producer = compat.producer({
        kafkaJS: { transactionalId: `bench-${randomUUID()}`, idempotent: true, acks: -1 },
      });
      await producer.connect();
      const value = Buffer.alloc(1024, 120);
      for (let i = 0; i < count; i++) {
        const tx = await producer.transaction();
        await tx.send({ topic, messages: Array.from({ length: perTransaction }, () => ({ value })) });
        await tx.commit();
      }
      await producer.disconnect();
    },
    async group(topic, partitions): Promise<GroupTiming> {
      const groupId = `bench-${randomUUID()}`;
      const assigned: Array<Set<number>> = [];
      const members: NativeConsumer[] = [];
      const member = async (): Promise<void> => {
        const index = assigned.push(new Set()) - 1;
        const c = new lib.KafkaConsumer(
          {
            ...common,
            'group.id': groupId,
            'partition.assignment.strategy': 'cooperative-sticky',
            rebalance_cb: true,
            'heartbeat.interval.ms': HEARTBEAT_MS,
            'session.timeout.ms': SESSION_TIMEOUT_MS,
            'fetch.wait.max.ms': MAX_WAIT_MS,
            'enable.auto.commit': false,
          },
          { 'auto.offset.reset': 'earliest' },
        );
        c.on('rebalance', (err: { code: number }, assignment: TopicPartition[]) => {
          const mine = assigned[index];
          for (const tp of assignment) {
            if (tp.topic !== topic) continue;
            if (err.code === -175) mine.add(tp.partition);
            else mine.delete(tp.partition);
          }
        });
        c.on('data', () => undefined);
        await connected(c);
        c.subscribe([topic]);
        c.consume();
        members.push(c);
      };
      let t0 = Date.now();
      await member();
      await until(() => assigned[0].size === partitions, 60_000, 'the first member to join');
      const joinMs = Date.now() - t0;
      t0 = Date.now();
      await member();
      await until(() => coversTopic(assigned, partitions), 60_000, 'the rebalance');
      const rebalanceMs = Date.now() - t0;
      await Promise.all(members.map((c) => new Promise<void>((resolve) => c.disconnect(() => resolve()))));
      return { joinMs, rebalanceMs, protocol: 'classic, cooperative-sticky (incremental)' };
    },
    async admin(prefix, count) {
      const admin = compat.admin();
      await admin.connect();
      let createMs = 0;
      let describeMs = 0;
      const topics: string[] = [];
      for (let i = 0; i < count; i++) {
        const topic = `${prefix}-${i}`;
        topics.push(topic);
        let t = Date.now();
        await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
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

/** The KafkaJS-compatible API: await send() of 1,000 records at a time (librdkafka splits them into batches by bytes), eachBatch consumer. */
export function confluentCompatClient(packageDir: string, brokers: string[]): ClientAdapter {
  const { lib, version } = loadConfluent(packageDir);
  const kafka = new lib.KafkaJS.Kafka({ kafkaJS: { brokers, logLevel: 0 } });
  return {
    name: '@confluentinc/kafka-javascript (KafkaJS API)',
    version,
    async produce(topic, n, payload) {
      const producer = kafka.producer({ kafkaJS: { idempotent: true, acks: -1 } });
      await producer.connect();
      for (let sent = 0; sent < n; sent += BATCH_UNBOUNDED) {
        await producer.send({
          topic,
          messages: Array.from({ length: Math.min(BATCH_UNBOUNDED, n - sent) }, () => ({ value: payload })),
        });
      }
      await producer.disconnect();
    },
    async oversizedSend(topic, n, payload) {
      const producer = kafka.producer({ kafkaJS: { idempotent: true, acks: -1 } });
      await producer.connect();
      const outcome = await within(
        60_000,
        producer.send({ topic, messages: Array.from({ length: n }, () => ({ value: payload })) }),
      );
      await within(10_000, producer.disconnect());
      return outcome;
    },
    async consume(topic, n) {
      const consumer = kafka.consumer({
        kafkaJS: { groupId: `bench-${randomUUID()}`, fromBeginning: true, autoCommit: false },
        'fetch.wait.max.ms': MAX_WAIT_MS,
      });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
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
    async close() {},
  };
}

/**
 * @platformatic/kafka in the client benchmark, loaded from its bench-local install
 * (bench/kafka-clients/install.ts), so the project does not depend on it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
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

interface Assignment {
  topic: string;
  partitions: number[];
}
interface MessagesStream {
  on(event: 'data', cb: () => void): void;
  close(): Promise<void>;
}
interface PlatformaticConsumer {
  consume(options: Record<string, unknown>): Promise<MessagesStream>;
  on(event: 'consumer:group:join', cb: (p: { assignments?: Assignment[] }) => void): void;
  close(force?: boolean): Promise<void>;
}
interface Transaction {
  send(o: { messages: { topic: string; value: Buffer }[] }): Promise<unknown>;
  commit(): Promise<void>;
}
interface PlatformaticProducer {
  send(o: { messages: { topic: string; value: Buffer }[] }): Promise<unknown>;
  beginTransaction(): Promise<Transaction>;
  close(): Promise<void>;
}
interface PlatformaticAdmin {
  createTopics(o: { topics: string[]; partitions: number; replicas: number }): Promise<unknown>;
  metadata(o: { topics: string[] }): Promise<unknown>;
  deleteTopics(o: { topics: string[] }): Promise<unknown>;
  close(): Promise<void>;
}
interface PlatformaticLib {
  Producer: new (o: Record<string, unknown>) => PlatformaticProducer;
  Consumer: new (o: Record<string, unknown>) => PlatformaticConsumer;
  Admin: new (o: Record<string, unknown>) => PlatformaticAdmin;
}

export async function platformaticClient(packageDir: string, brokers: string[]): Promise<ClientAdapter> {
  const root = path.join(packageDir, 'node_modules', '@platformatic', 'kafka');
  const version = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const lib = (await import(pathToFileURL(path.join(root, 'dist', 'index.js')).href)) as PlatformaticLib;
  const base = { bootstrapBrokers: brokers, clientId: 'bench-platformatic' };
  return {
    name: '@platformatic/kafka',
    version,
    async produce(topic, n, payload) {
      const producer = new lib.Producer({ ...base, idempotent: true, acks: -1 });
      const batch = batchRecords(payload.length);
      for (let sent = 0; sent < n; sent += batch) {
        await producer.send({
          messages: Array.from({ length: Math.min(batch, n - sent) }, () => ({ topic, value: payload })),
        });
      }
      await producer.close();
    },
    async oversizedSend(topic, n, payload) {
      const producer = new lib.Producer({ ...base, idempotent: true, acks: -1 });
      const outcome = await within(
        60_000,
        producer.send({ messages: Array.from({ length: n }, () => ({ topic, value: payload })) }),
      );
      await within(10_000, producer.close());
      return outcome;
    },
    async consume(topic, n) {
      const consumer = new lib.Consumer({ ...base, groupId: `bench-${randomUUID()}`, maxWaitTime: MAX_WAIT_MS });
      const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
      let consumed = 0;
      let first = 0;
      stream.on('data', () => {
        if (!first) first = Date.now();
        consumed++;
      });
      await until(() => consumed >= n, 600_000, `${n} records`);
      const ms = Date.now() - first;
      await stream.close();
      await consumer.close(true);
      return ms;
    },
    async transactions(topic, count, perTransaction) {
      const producer = new lib.Producer({
        ...base,
        transactionalId: `bench-${randomUUID()}`,
        idempotent: true,
        acks: -1,
      });
      const value = Buffer.alloc(1024, 120);
      for (let i = 0; i < count; i++) {
        const tx = await producer.beginTransaction();
        await tx.send({ messages: Array.from({ length: perTransaction }, () => ({ topic, value })) });
        await tx.commit();
      }
      await producer.close();
    },
    async group(topic, partitions): Promise<GroupTiming> {
      const groupId = `bench-${randomUUID()}`;
      const assigned: Array<Set<number>> = [];
      const members: Array<{ consumer: PlatformaticConsumer; stream: MessagesStream }> = [];
      const member = async (): Promise<void> => {
        const index = assigned.push(new Set()) - 1;
        const consumer = new lib.Consumer({
          ...base,
          groupId,
          heartbeatInterval: HEARTBEAT_MS,
          sessionTimeout: SESSION_TIMEOUT_MS,
          maxWaitTime: MAX_WAIT_MS,
        });
        consumer.on('consumer:group:join', (p) => {
          assigned[index] = new Set(
            (p.assignments ?? []).filter((a) => a.topic === topic).flatMap((a) => a.partitions),
          );
        });
        const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
        stream.on('data', () => undefined);
        members.push({ consumer, stream });
      };
      let t0 = Date.now();
      await member();
      await until(() => assigned[0].size === partitions, 60_000, 'the first member to join');
      const joinMs = Date.now() - t0;
      t0 = Date.now();
      await member();
      await until(() => coversTopic(assigned, partitions), 60_000, 'the rebalance');
      const rebalanceMs = Date.now() - t0;
      for (const m of members) {
        await m.stream.close();
        await m.consumer.close(true);
      }
      return {
        joinMs,
        rebalanceMs,
        protocol: 'classic, eager (the KIP-848 consumer protocol needs a Kafka 4 broker; none cooperative)',
      };
    },
    async admin(prefix, count) {
      const admin = new lib.Admin(base);
      let createMs = 0;
      let describeMs = 0;
      const topics: string[] = [];
      for (let i = 0; i < count; i++) {
        const topic = `${prefix}-${i}`;
        topics.push(topic);
        let t = Date.now();
        await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
        createMs += Date.now() - t;
        t = Date.now();
        await untilOk(() => admin.metadata({ topics: [topic] }));
        describeMs += Date.now() - t;
      }
      await admin.deleteTopics({ topics });
      await admin.close();
      return { createMs, describeMs };
    },
    async close() {},
  };
}

/**
 * KafkaSchemaHistory against the real Kafka broker: the history topic is created as Debezium
 * creates it (one partition, cleanup.policy=delete, unlimited retention) and holds one
 * HistoryRecord JSON message per DDL with a null key; a restarted task reads it to the end and
 * decodes old binlog positions with the structure current then (a column default only the history
 * knows); a new snapshot clears the topic and starts a new history.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import type { SourceRecord } from '../../../runtime/data/records.ts';
import type { Struct } from '../../../runtime/data/struct.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import { KafkaSchemaHistory } from '../../../connectors/mysql/schema/kafka-schema-history.ts';
import { parseKafkaHistorySettings } from '../../../connectors/mysql/schema/kafka-history-config.ts';
import { testKafkaBrokers } from '../../setup/env.ts';
import { connectorConfig, createDatabase, pollUntil, startTask, uniqueName } from './helpers.ts';

const kafka = new Kafka({ clientId: 'history-test', brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
const admin = kafka.admin();
let conn: Connection | undefined;
afterAll(async () => {
  await conn?.end();
  await admin.disconnect();
});

interface RawMessage {
  offset: number;
  key: Buffer | null;
  value: {
    source: { server: string };
    position: { file: string; pos: number; snapshot?: unknown };
    ddl: string;
    databaseName: string;
    tableChanges: Array<{
      type: string;
      id: string;
      table: { columns: Array<{ name: string; defaultValueExpression?: string }> } | null;
    }>;
  };
}

/** Every message of the history topic from its low watermark (a private group that commits nothing). */
async function readHistoryTopic(topic: string): Promise<RawMessage[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  const high = Number(offsets[0].high);
  const out: RawMessage[] = [];
  if (high <= Number(offsets[0].low)) return out;
  const consumer = kafka.consumer({ groupId: uniqueName('history-reader'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`read ${out.length} messages of ${topic}, expected up to offset ${high}`)),
      30_000,
    );
    void consumer.run({
      eachMessage: async ({ message }) => {
        out.push({
          offset: Number(message.offset),
          key: message.key,
          value: JSON.parse(message.value!.toString('utf8')) as RawMessage['value'],
        });
        if (Number(message.offset) + 1 >= high) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return out;
}

const field = (r: SourceRecord, name: string) =>
  ((r.value as Struct).get('after') as Struct).schema.fields.find((f) => f.name === name);
const after = (r: SourceRecord) => {
  const a = (r.value as Struct).get('after') as Struct;
  return Object.fromEntries(a.schema.fields.map((f) => [f.name, a.get(f.name)]));
};

describe('MySQL source: Kafka schema history', () => {
  it('stores the history in a Debezium-style topic and replays it on restart', async () => {
    await admin.connect();
    const created = await createDatabase('khist');
    conn = created.conn;
    const db = created.db;
    await conn.query('CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(10))');
    const historyTopic = uniqueName('schemahistory');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-khist-'));
    const { 'schema.history.internal.file.filename': _file, ...base } = connectorConfig(db, dir);
    const config = {
      ...base,
      'schema.history.internal': 'io.debezium.storage.kafka.history.KafkaSchemaHistory',
      'schema.history.internal.kafka.topic': historyTopic,
      'schema.history.internal.kafka.bootstrap.servers': testKafkaBrokers().join(','),
      'schema.history.internal.producer.client.id': 'khist-producer',
    };
    const topic = `dbserver1.${db}.t`;

    const first = await startTask(config, null, 'khist');
    await pollUntil(first.task, (all) => all.some((r) => r.topic === 'dbserver1'));
    await conn.query("INSERT INTO t VALUES (1, 'a1')");
    await conn.query('ALTER TABLE t ADD COLUMN b INT DEFAULT 7');
    await conn.query("INSERT INTO t VALUES (2, 'a2', 20)");
    const part1 = (await pollUntil(first.task, (all) => all.filter((r) => r.topic === topic).length >= 2)).filter(
      (r) => r.topic === topic,
    );
    first.task.stop();
    first.abort.abort();
    expect(part1.map(after)).toEqual([
      { id: 1, a: 'a1' },
      { id: 2, a: 'a2', b: 20 },
    ]);
    const offset = part1[1].sourceOffset;

    // The topic as Debezium creates it.
    const meta = await admin.fetchTopicMetadata({ topics: [historyTopic] });
    expect(meta.topics[0].partitions.length).toBe(1);
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: historyTopic,
          configNames: ['cleanup.policy', 'retention.ms', 'retention.bytes'],
        },
      ],
    });
    const settings = Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
    expect(settings).toEqual({
      'cleanup.policy': 'delete',
      'retention.ms': '9223372036854775807',
      'retention.bytes': '-1',
    });
    const stored = await readHistoryTopic(historyTopic);
    expect(stored.every((m) => m.key === null)).toBe(true);
    // the snapshot writes DROP TABLE IF EXISTS before the table's CREATE, as Debezium's does
    const create = stored.find(
      (m) => m.value.tableChanges[0]?.id === `"${db}"."t"` && m.value.tableChanges[0].type === 'CREATE',
    )!;
    expect(create.value).toMatchObject({
      source: { server: 'dbserver1' },
      databaseName: db,
      position: { snapshot: true },
    });
    expect(create.value.ddl).toMatch(/^CREATE TABLE `t`/);
    const alter = stored.find((m) => m.value.ddl === 'ALTER TABLE t ADD COLUMN b INT DEFAULT 7')!;
    expect(alter.value.tableChanges[0]).toMatchObject({ type: 'ALTER', id: `"${db}"."t"` });
    expect(alter.value.tableChanges[0].table!.columns.find((c) => c.name === 'b')).toMatchObject({
      defaultValueExpression: '7',
    });

    // While the connector is down: a row under the old structure, then a metadata-only change.
    // Only the history knows the default of b at row 3: the binlog table map carries no defaults.
    await conn.query("INSERT INTO t VALUES (3, 'a3', 30)");
    await conn.query('ALTER TABLE t ALTER COLUMN b SET DEFAULT 9');
    await conn.query("INSERT INTO t VALUES (4, 'a4', 40)");

    const second = await startTask(config, offset, 'khist');
    const part2 = (await pollUntil(second.task, (all) => all.filter((r) => r.topic === topic).length >= 2)).filter(
      (r) => r.topic === topic,
    );
    second.task.stop();
    second.abort.abort();
    expect(part2.map(after)).toEqual([
      { id: 3, a: 'a3', b: 30 },
      { id: 4, a: 'a4', b: 40 },
    ]);
    expect(field(part2[0], 'b')!.schema.defaultValue).toBe(7);
    expect(field(part2[1], 'b')!.schema.defaultValue).toBe(9);
    const afterRestart = await readHistoryTopic(historyTopic);
    // The history keeps the DDL of every database (Debezium's default): other tests' statements are left out here.
    const ours = (list: RawMessage[]) => list.filter((m) => m.value.databaseName === db);
    expect(ours(afterRestart).length).toBe(ours(stored).length + 1);
    expect(ours(afterRestart).at(-1)!.value.ddl).toBe('ALTER TABLE t ALTER COLUMN b SET DEFAULT 9');

    // A new snapshot (no offsets) starts a new history: the old records are deleted from the topic.
    const third = await startTask(config, null, 'khist-2');
    await pollUntil(third.task, (all) => all.some((r) => r.topic === topic));
    third.task.stop();
    third.abort.abort();
    const fresh = await readHistoryTopic(historyTopic);
    expect(fresh[0].offset).toBeGreaterThanOrEqual(afterRestart.length);
    expect(ours(fresh).every((m) => m.value.position.snapshot === true)).toBe(true);
    expect(
      fresh
        .find((m) => m.value.tableChanges[0]?.id === `"${db}"."t"` && m.value.tableChanges[0].type === 'CREATE')!
        .value.tableChanges[0].table!.columns.find((c) => c.name === 'b'),
    ).toMatchObject({ defaultValueExpression: '9' });
  });

  it('refuses a history topic with more than one partition', async () => {
    await admin.connect();
    const topic = uniqueName('schemahistory-multi');
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 2 }] });
    const history = new KafkaSchemaHistory(
      parseKafkaHistorySettings({
        'schema.history.internal.kafka.topic': topic,
        'schema.history.internal.kafka.bootstrap.servers': testKafkaBrokers().join(','),
      }),
      'multi-test',
      silentLogger,
    );
    try {
      await expect(history.start()).rejects.toThrow(
        `The schema history topic ${topic} has 2 partitions; it must have exactly one`,
      );
    } finally {
      await history.stop();
    }
  });
});

/** The suite really talks to PostgreSQL, MariaDB and Kafka, configured as the connectors need them. */
import { describe, it, expect } from 'vitest';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { testKafkaBrokers, testMysqlUrl, testPgUrl } from '../setup/env.ts';

describe('test services', () => {
  it('PostgreSQL: wal_level=logical and replication connections work', async () => {
    const c = new pg.Client({ connectionString: testPgUrl() });
    await c.connect();
    try {
      expect((await c.query('SHOW wal_level')).rows[0].wal_level).toBe('logical');
      expect(Number((await c.query('SHOW server_version_num')).rows[0].server_version_num)).toBeGreaterThanOrEqual(
        150000,
      );
    } finally {
      await c.end();
    }
    const repl = new pg.Client({ connectionString: testPgUrl(), replication: 'database' } as pg.ClientConfig);
    await repl.connect();
    try {
      const r = await repl.query('IDENTIFY_SYSTEM');
      expect(r.rows[0].xlogpos).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
    } finally {
      await repl.end();
    }
  });

  it('MariaDB 10.11: binlog on, ROW format, full row images and metadata', async () => {
    const c = await mysql.createConnection({ uri: testMysqlUrl() });
    try {
      const [rows] = await c.query(
        'SELECT @@version AS v, @@log_bin AS log_bin, @@binlog_format AS f, @@binlog_row_image AS img, @@binlog_row_metadata AS meta',
      );
      const r = (rows as Array<Record<string, unknown>>)[0];
      expect(String(r.v)).toMatch(/^10\.11\./);
      expect(r).toMatchObject({ log_bin: 1, f: 'ROW', img: 'FULL', meta: 'FULL' });
    } finally {
      await c.end();
    }
  });

  it('Kafka: produce three records to a new topic and consume them back', async () => {
    const kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING, clientId: 'smoke' });
    const topic = `smoke-${randomUUID()}`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: ['a', 'b', 'c'].map((v) => ({ key: v, value: `value-${v}` })) });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `smoke-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only got ${got.length} records`)), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          got.push(message.value!.toString());
          if (got.length === 3) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect();
    expect(got).toEqual(['value-a', 'value-b', 'value-c']);
  });
});

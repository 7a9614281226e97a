/**
 * Acceptance (issue 16): Kafka's Java consumer with Jackson reads every topic Tributary writes.
 * A standalone Tributary worker with bootstrap.servers runs the PostgreSQL and MariaDB sources on
 * the workloads of the differentials (extremes: int64 at its limits, NaN/±Infinity, ±infinity
 * timestamps, binary, decimals in every handling mode and as BASE64 and NUMERIC JSON) with
 * JsonConverter schemas on and off, the transaction, message, schema-change and heartbeat topics,
 * and a sink whose converter fails so its records go to a dead letter queue with the
 * `__connect.errors.*` headers. Then test/compat/java/JacksonTopicReader.java reads every record of
 * every topic with kafka-clients' KafkaConsumer and parses keys and values with Kafka's
 * JsonDeserializer, a strict Jackson ObjectMapper and JsonConverter, headers as UTF-8 through
 * SimpleHeaderConverter (and Jackson when JSON). Any unreadable byte fails the test naming its topic,
 * partition and offset; int64 values beyond 2^53 must reach Jackson as the database holds them.
 * Tributary's embedded log has no Kafka-protocol listener, so only the Kafka path is read here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import mysql, { type Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { createPgTestDb, type PgTestDb } from '../integration/postgres/helpers.ts';
import { testKafkaBrokers, testMysqlUrl } from '../setup/env.ts';
import { jacksonReaderClasspath, readWithJackson, type JacksonReport } from './jackson-reader.ts';
import { END_PREFIX, END_SQL, setupSql, streamingSql } from './postgres-workload.ts';
import { changesScenario, typesScenario } from './mariadb-workloads.ts';

const JSON_CONVERTER = 'org.apache.kafka.connect.json.JsonConverter';
const converters = (schemas: boolean, extra: Record<string, string> = {}): Record<string, string> => ({
  'key.converter': JSON_CONVERTER,
  'key.converter.schemas.enable': String(schemas),
  'value.converter': JSON_CONVERTER,
  'value.converter.schemas.enable': String(schemas),
  ...extra,
});

/** PostgreSQL connectors: option sets of the differential, each with its own JsonConverter settings. */
const PG_SETS: Record<string, { schemas: boolean; options: Record<string, string> }> = {
  on: {
    schemas: true,
    options: { 'provide.transaction.metadata': 'true', 'heartbeat.interval.ms': '1000' },
  },
  off: {
    schemas: false,
    options: {
      'decimal.handling.mode': 'string',
      'time.precision.mode': 'adaptive_time_microseconds',
      'binary.handling.mode': 'base64',
      'provide.transaction.metadata': 'true',
    },
  },
  num: { schemas: false, options: { 'value.converter.decimal.format': 'NUMERIC', 'hstore.handling.mode': 'map' } },
  conn: {
    schemas: true,
    options: {
      'decimal.handling.mode': 'double',
      'time.precision.mode': 'connect',
      'binary.handling.mode': 'hex',
      'interval.handling.mode': 'string',
      'include.unknown.datatypes': 'true',
    },
  },
};

/** MariaDB connectors on one database holding the types and the change workloads' tables. */
const MARIADB_SETS: Record<string, { schemas: boolean; options: Record<string, string> }> = {
  on: {
    schemas: true,
    options: {
      'provide.transaction.metadata': 'true',
      'heartbeat.interval.ms': '1000',
      'schema.history.internal.store.only.captured.databases.ddl': 'true',
    },
  },
  off: {
    schemas: false,
    options: {
      'decimal.handling.mode': 'string',
      'time.precision.mode': 'connect',
      'bigint.unsigned.handling.mode': 'precise',
      'binary.handling.mode': 'base64',
      'schema.history.internal.store.only.captured.databases.ddl': 'true',
    },
  },
};

const SENTINEL = 'zz_sentinel';
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });

let worker: RunningWorker | undefined;
let pg: PgTestDb;
let mdb: Connection;
let mdbName: string;
let dir: string;
let report: JacksonReport;
/** Every topic read: name → the schemas.enable it was written with. */
const topics = new Map<string, boolean>();
/** What the databases hold, read back from them: exact int64 values Jackson must see. */
const dbValues = {
  pgInt8: [] as bigint[],
  pgTsMicros: [] as bigint[],
  mdbBigint: [] as bigint[],
  mdbDtm6Micros: [] as bigint[],
};

async function highWatermarks(topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    if (!(await admin.listTopics()).includes(topic)) return 0;
    return (await admin.fetchTopicOffsets(topic)).reduce((n, o) => n + Number(o.high), 0);
  } finally {
    await admin.disconnect();
  }
}

async function api(method: string, p: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(worker!.url + p, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function createConnector(name: string, config: Record<string, string>): Promise<void> {
  const r = await api('POST', '/connectors', { name, config });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

/** True when no task of the worker failed; throws with the failed tasks' traces otherwise (waits end at once). */
async function noTaskFailed(): Promise<boolean> {
  const names = (await api('GET', '/connectors')).body as string[];
  const failed: string[] = [];
  for (const n of names) {
    const status = (await api('GET', `/connectors/${n}/status`)).body as {
      connector?: { state: string; trace?: string };
      tasks?: Array<{ state: string; trace?: string }>;
    };
    if (status.connector?.state === 'FAILED') failed.push(`${n}: ${status.connector.trace}`);
    for (const t of status.tasks ?? []) if (t.state === 'FAILED') failed.push(`${n} task: ${t.trace}`);
  }
  if (failed.length > 0) throw new FailedTask(failed.join('\n'));
  return true;
}

class FailedTask extends Error {}

/** Polls `check` every 250 ms; a failed task ends the wait at once with its trace. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await noTaskFailed()) && (await check())) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function mariadbServer(): Record<string, string> {
  const u = new URL(testMysqlUrl());
  return {
    'database.hostname': u.hostname,
    'database.port': u.port || '3306',
    'database.user': decodeURIComponent(u.username),
    'database.password': decodeURIComponent(u.password),
  };
}

/** The workloads' {db} (the database) and {other} (a second one they create and drop). */
const placeholders = (sql: string): string => sql.replaceAll('{db}', mdbName).replaceAll('{other}', `${mdbName}_o`);
const pgPrefix = (set: string): string => `${pg.name}_${set}`;
const mdbPrefix = (set: string): string => `${mdbName}_${set}`;
const dlqTopic = (): string => `${pg.name}_dlq`;

beforeAll(async () => {
  // Resolving kafka-clients and connect-json on a fresh machine takes a while; done before anything runs.
  jacksonReaderClasspath();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-jackson-'));
  pg = await createPgTestDb('jackson');
  await pg.client.query(setupSql());
  for (const r of await pg.query(
    "SELECT c_int8::text AS i, (EXTRACT(EPOCH FROM c_ts - '1970-01-01') * 1000000)::numeric(30,0)::text AS ts FROM types_all WHERE id IN (3, 4)",
  )) {
    dbValues.pgInt8.push(BigInt(r.i as string));
    if (r.ts !== null) dbValues.pgTsMicros.push(BigInt(r.ts as string));
  }
  mdbName = `jackson_${Date.now().toString(36)}`;
  const admin = await mysql.createConnection({ uri: testMysqlUrl(), multipleStatements: true });
  await admin.query(`CREATE DATABASE \`${mdbName}\``);
  await admin.end();
  mdb = await mysql.createConnection({
    uri: testMysqlUrl(),
    database: mdbName,
    multipleStatements: true,
    charset: 'utf8mb4',
    timezone: 'Z',
  });
  const types = typesScenario('jackson', {});
  const changes = changesScenario('jackson', {});
  await mdb.query(`CREATE TABLE ${SENTINEL} (id INT PRIMARY KEY)`);
  for (const stmt of [...types.setup, ...changes.setup]) await mdb.query(placeholders(stmt));
  const [rows] = await mdb.query(
    "SELECT CAST(bi AS CHAR) AS bi, CAST(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', dtm6) AS CHAR) AS dtm6 FROM all_types WHERE id IN (1, 2)",
  );
  for (const r of rows as Array<{ bi: string; dtm6: string }>) {
    dbValues.mdbBigint.push(BigInt(r.bi));
    dbValues.mdbDtm6Micros.push(BigInt(r.dtm6));
  }

  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'bootstrap.servers': testKafkaBrokers().join(','),
      'tributary.data.dir': path.join(dir, 'data'),
      'file.allowed.paths': dir,
      'offset.flush.interval.ms': '500',
    },
    { logger: silentLogger },
  );
  for (const [set, { schemas, options }] of Object.entries(PG_SETS)) {
    const prefix = pgPrefix(set);
    await createConnector(prefix, {
      ...pg.connectorConfig({ 'topic.prefix': prefix, 'slot.name': prefix, 'publication.name': `${prefix}_pub` }),
      ...converters(schemas),
      ...options,
    });
  }
  let serverId = 30000 + Math.floor(Math.random() * 20000);
  for (const [set, { schemas, options }] of Object.entries(MARIADB_SETS)) {
    const prefix = mdbPrefix(set);
    await createConnector(prefix, {
      'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
      ...mariadbServer(),
      'database.server.id': String(serverId++),
      'database.include.list': mdbName,
      'topic.prefix': prefix,
      'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
      'schema.history.internal.file.filename': path.join(dir, `${prefix}-history.jsonl`),
      ...converters(schemas),
      ...options,
    });
  }
  // Wait for every snapshot to end: the streaming workload must reach the streams, not the snapshots.
  const snapshotTopics = [
    ...Object.keys(PG_SETS).map((s) => `${pgPrefix(s)}.public.types_all`),
    ...Object.keys(MARIADB_SETS).map((s) => `${mdbPrefix(s)}.${mdbName}.all_types`),
  ];
  for (const t of snapshotTopics)
    await until(`the snapshot rows on ${t}`, async () => (await highWatermarks(t)) >= 3, 300_000);
  for (const sql of [...streamingSql(), END_SQL]) await pg.client.query(sql);
  for (const stmt of [...types.streaming, ...changes.streaming]) await mdb.query(placeholders(stmt));
  await mdb.query(`INSERT INTO ${SENTINEL} VALUES (1)`);
  for (const set of Object.keys(PG_SETS))
    await until(
      `the ${END_PREFIX} message of ${pgPrefix(set)}`,
      // the end message is the fourth of the workload's logical decoding messages
      async () => (await highWatermarks(`${pgPrefix(set)}.message`)) >= 4,
      180_000,
    );
  for (const set of Object.keys(MARIADB_SETS))
    await until(
      `the sentinel row of ${mdbPrefix(set)}`,
      async () => (await highWatermarks(`${mdbPrefix(set)}.${mdbName}.${SENTINEL}`)) >= 1,
      180_000,
    );
  // The dead letter queue: a sink reading a schemaless topic with schemas.enable=true fails every
  // non-tombstone record in its converter.
  await createConnector(`${pg.name}_sink`, {
    'connector.class': 'FileStreamSink',
    file: path.join(dir, 'sink.txt'),
    topics: `${pgPrefix('off')}.public.keyed`,
    ...converters(true),
    'errors.tolerance': 'all',
    'errors.deadletterqueue.topic.name': dlqTopic(),
    'errors.deadletterqueue.topic.replication.factor': '1',
    'errors.deadletterqueue.context.headers.enable': 'true',
  });

  await until('records in the dead letter queue', async () => (await highWatermarks(dlqTopic())) >= 1, 120_000);
  // Stopping the worker flushes its producers: what the reader sees is everything written.
  await worker.stop();
  worker = undefined;

  const admin2 = kafka.admin();
  await admin2.connect();
  const all = await admin2.listTopics();
  await admin2.disconnect();
  for (const [set, { schemas }] of Object.entries(PG_SETS)) {
    for (const t of all)
      if (t.startsWith(`${pgPrefix(set)}.`) || t === `__debezium-heartbeat.${pgPrefix(set)}`) topics.set(t, schemas);
  }
  for (const [set, { schemas }] of Object.entries(MARIADB_SETS)) {
    for (const t of all)
      if (t === mdbPrefix(set) || t.startsWith(`${mdbPrefix(set)}.`) || t === `__debezium-heartbeat.${mdbPrefix(set)}`)
        topics.set(t, schemas);
  }
  topics.set(dlqTopic(), false);
  report = readWithJackson(testKafkaBrokers().join(','), topics);
}, 1_200_000);

afterAll(async () => {
  await worker?.stop();
  await pg?.drop();
  for (const db of [mdbName, `${mdbName}_o`])
    await mdb?.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => undefined);
  await mdb?.end();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

describe("Kafka's Java consumer with Jackson reads every topic Tributary writes", () => {
  it('the reader reports what Jackson cannot read, by topic, partition and offset', async () => {
    const topic = `jackson-selfcheck-${pg.name}`;
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: '{"id":1}', value: '{"x":1.5,"big":9223372036854775807}' },
        { key: '{"id":2}', value: '{"x":NaN}' },
        { key: '{"id":3}{"id":4}', value: null },
        { key: null, value: '{"a":1,"a":2}' },
        { key: null, value: '{"a":1}', headers: { h: Buffer.from([0x7b, 0xff]) } },
      ],
    });
    await producer.disconnect();
    const r = readWithJackson(testKafkaBrokers().join(','), new Map([[topic, false]]));
    expect(r.counts.get(topic)).toBe(5);
    expect(r.failures.map((f) => f.replace(/:.*/s, ''))).toEqual([
      `${topic} partition 0 offset 1 value`,
      `${topic} partition 0 offset 2 key`,
      `${topic} partition 0 offset 3 value`,
      `${topic} partition 0 offset 4 header h`,
    ]);
    expect(r.longs).toEqual([
      expect.objectContaining({
        offset: 0,
        part: 'value',
        pointer: '/big',
        numberType: 'LONG',
        value: 9223372036854775807n,
      }),
    ]);
  }, 300_000);

  it('covers data, transaction, message, schema-change, heartbeat and dead-letter topics', () => {
    const expected = [
      ...Object.keys(PG_SETS).flatMap((s) => [
        `${pgPrefix(s)}.public.types_all`,
        `${pgPrefix(s)}.public.ts_infinity`,
        `${pgPrefix(s)}.public.keyed`,
        `${pgPrefix(s)}.message`,
      ]),
      `${pgPrefix('on')}.transaction`,
      `${pgPrefix('off')}.transaction`,
      `__debezium-heartbeat.${pgPrefix('on')}`,
      ...Object.keys(MARIADB_SETS).flatMap((s) => [
        mdbPrefix(s),
        `${mdbPrefix(s)}.${mdbName}.all_types`,
        `${mdbPrefix(s)}.${mdbName}.more_types`,
        `${mdbPrefix(s)}.${mdbName}.zero_dates`,
        `${mdbPrefix(s)}.${mdbName}.late`,
      ]),
      `${mdbPrefix('on')}.transaction`,
      `__debezium-heartbeat.${mdbPrefix('on')}`,
      dlqTopic(),
    ];
    for (const t of expected) expect(report.counts.get(t) ?? 0, `records Jackson read on ${t}`).toBeGreaterThan(0);
    // The headers read include the context headers of data records and the dead letter queue's error context.
    expect([...(report.headerKeys.get(`${pgPrefix('on')}.public.keyed`) ?? [])]).toContain(
      '__debezium.context.connectorLogicalName',
    );
    expect([...(report.headerKeys.get(`${mdbPrefix('on')}.${mdbName}.orders`) ?? [])]).toContain(
      '__debezium.context.runId',
    );
    expect([...(report.headerKeys.get(dlqTopic()) ?? [])]).toEqual(
      expect.arrayContaining([
        '__connect.errors.topic',
        '__connect.errors.exception.class.name',
        '__connect.errors.exception.message',
        '__connect.errors.exception.stacktrace',
      ]),
    );
    expect([...report.counts.keys()].sort()).toEqual([...topics.keys()].sort());
  });

  it('every key, value and header parses (no invalid JSON or UTF-8 anywhere)', () => {
    expect(report.failures.slice(0, 40), `${report.failures.length} unreadable parts`).toEqual([]);
  });

  it('int64 values beyond 2^53 reach Jackson exactly as the databases hold them', () => {
    expect(dbValues.pgInt8).toEqual([9223372036854775807n, -9223372036854775808n]);
    const seen = (topic: string, pointer: string): bigint[] =>
      report.longs.filter((l) => l.topic === topic && l.part === 'value' && l.pointer === pointer).map((l) => l.value);
    const beyond53 = (values: bigint[]): bigint[] => values.filter((v) => v > SAFE || v < -SAFE);
    // Each database value beyond 2^53 is seen, and nothing else beyond 2^53 is (no rounded neighbour).
    const exact = (topic: string, pointer: string, values: bigint[]): void => {
      const got = seen(topic, pointer);
      const want = beyond53(values);
      expect(want.length, `database values beyond 2^53 for ${topic} ${pointer}`).toBeGreaterThan(0);
      for (const v of want) expect(got, `${topic} ${pointer}`).toContain(v);
      expect(
        got.filter((v) => !want.includes(v)),
        `${topic} ${pointer}: values no database row holds`,
      ).toEqual([]);
    };
    exact(`${pgPrefix('on')}.public.types_all`, '/payload/after/c_int8', dbValues.pgInt8);
    exact(`${pgPrefix('on')}.public.types_all`, '/payload/after/c_int8_arr/0', [dbValues.pgInt8[0]]);
    exact(`${pgPrefix('on')}.public.types_all`, '/payload/after/c_ts', dbValues.pgTsMicros);
    exact(`${pgPrefix('off')}.public.types_all`, '/after/c_int8', dbValues.pgInt8);
    exact(`${pgPrefix('off')}.public.types_all`, '/after/c_ts', dbValues.pgTsMicros);
    exact(`${pgPrefix('num')}.public.types_all`, '/after/c_int8', dbValues.pgInt8);
    // ±infinity under time.precision.mode=connect: pgjdbc's sentinel milliseconds, as Debezium writes them.
    exact(`${pgPrefix('conn')}.public.ts_infinity`, '/payload/after/ts', [9223372036825200n, -9223372036832400n]);
    exact(`${mdbPrefix('on')}.${mdbName}.all_types`, '/payload/after/bi', dbValues.mdbBigint);
    exact(`${mdbPrefix('on')}.${mdbName}.all_types`, '/payload/after/dtm6', dbValues.mdbDtm6Micros);
    exact(`${mdbPrefix('off')}.${mdbName}.all_types`, '/after/bi', dbValues.mdbBigint);
    // Within int64, Jackson holds them as longs (what a consumer's asLong()/Long field gets).
    expect(report.longs.filter((l) => l.pointer.includes('/after/') && l.numberType !== 'LONG')).toEqual([]);
  });
});

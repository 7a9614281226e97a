/**
 * Differential: Debezium's JDBC sink (3.6.0.Final in Apache Kafka's ConnectStandalone, Java)
 * against Tributary's, reading the same topics of Debezium PostgreSQL change events
 * (JsonConverter, schemas on) with the same options, each into its own PostgreSQL database. The
 * tables are compared as the catalog describes them (types, NOT NULL, DEFAULT, primary key,
 * column order) and row by row in PostgreSQL's text form. Every difference fails the test with
 * table, column, row and both values, unless docs/compatibility.md lists it as intentional
 * (test/compat/jdbc-sink-intentional.ts).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKafkaBrokers, testPgUrl } from '../setup/env.ts';
import { DEBEZIUM_JDBC_VERSION } from '../setup/debezium-jdbc-sink.ts';
import {
  compareTables,
  formatDifferences,
  pgTableImage,
  type Difference,
  type TableImage,
} from './jdbc-sink-compare.ts';
import { INTENTIONAL, intentionalReason } from './jdbc-sink-intentional.ts';
import { startDebeziumSinks, startTributarySinks, type SinkConnector, type SinkSide } from './jdbc-sink-runners.ts';
import { scenarios } from './jdbc-sink-workload.ts';

const RUN = randomBytes(3).toString('hex');
const SERVER = `jd${RUN}`;
const SCENARIOS = scenarios(SERVER);
const DONE_TIMEOUT_MS = 6 * 60_000;

interface Target {
  name: string;
  client: pg.Client;
  jdbcUrl: string;
}

async function createDatabase(name: string): Promise<Target> {
  const admin = new pg.Client({ connectionString: testPgUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(testPgUrl());
  u.pathname = `/${name}`;
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  await client.query("SET TIME ZONE 'UTC'");
  return { name, client, jdbcUrl: `jdbc:postgresql://${u.hostname}:${u.port}/${name}` };
}

async function dropDatabase(t: Target | undefined): Promise<void> {
  if (!t) return;
  await t.client.end().catch(() => undefined);
  const admin = new pg.Client({ connectionString: testPgUrl() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${t.name} WITH (FORCE)`);
  await admin.end();
}

function connectors(side: 'dbz' | 'trib', target: Target): SinkConnector[] {
  const u = new URL(testPgUrl());
  return SCENARIOS.map((s) => ({
    name: `${side}-${SERVER}-${s.id}`,
    topics: [s.events.table.topic],
    config: {
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      'connection.url': target.jdbcUrl,
      'connection.username': decodeURIComponent(u.username),
      'connection.password': decodeURIComponent(u.password),
      ...s.config,
    },
  }));
}

describe(`JDBC sink against Debezium's JDBC sink ${DEBEZIUM_JDBC_VERSION} (PostgreSQL target)`, () => {
  let dbz: Target | undefined;
  let trib: Target | undefined;
  const sides: SinkSide[] = [];
  /** Connector name → why its task failed. */
  const failures = new Map<string, string>();
  const images = new Map<string, { debezium: TableImage; tributary: TableImage }>();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jdbc-sink-diff-'));

  beforeAll(async () => {
    dbz = await createDatabase(`jdbcdiff_dbz_${RUN}`);
    trib = await createDatabase(`jdbcdiff_trib_${RUN}`);
    for (const s of SCENARIOS)
      for (const sql of s.seed?.(s.table) ?? []) {
        await dbz.client.query(sql);
        await trib.client.query(sql);
      }
    const kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: SCENARIOS.map((s) => ({ topic: s.events.table.topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    for (const s of SCENARIOS)
      await producer.send({ topic: s.events.table.topic, messages: s.events.messages, acks: -1 });
    await producer.disconnect();

    const dbzConnectors = connectors('dbz', dbz);
    const tribConnectors = connectors('trib', trib);
    sides.push(await startDebeziumSinks(path.join(dir, 'debezium'), dbzConnectors));
    sides.push(await startTributarySinks(path.join(dir, 'tributary'), tribConnectors, DONE_TIMEOUT_MS));
    for (const f of await Promise.all([
      sides[0].waitDone(dbzConnectors, DONE_TIMEOUT_MS),
      sides[1].waitDone(tribConnectors, DONE_TIMEOUT_MS),
    ]))
      for (const [name, why] of f) failures.set(name, why);
    for (const s of SCENARIOS)
      images.set(s.id, {
        debezium: await pgTableImage(dbz.client, s.table),
        tributary: await pgTableImage(trib.client, s.table),
      });
  }, DONE_TIMEOUT_MS + 180_000);

  afterAll(async () => {
    for (const s of sides) await s.stop().catch(() => undefined);
    await dropDatabase(dbz);
    await dropDatabase(trib);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  const used = new Set<number>();
  for (const scenario of SCENARIOS) {
    it(`${scenario.id}: ${JSON.stringify(scenario.config)}`, () => {
      const [dbzFailure, tribFailure] = ['dbz', 'trib'].map((side) => failures.get(`${side}-${SERVER}-${scenario.id}`));
      if (scenario.failsWith) {
        // Values the database refuses: both sinks bind the same text and fail on the same error.
        const reason = (f: string | undefined) => f?.match(scenario.failsWith!)?.[0].replace(/\.0+"$/, '"') ?? f;
        expect(dbzFailure, "Debezium's sink was expected to fail").toBeDefined();
        expect(reason(tribFailure), 'the database error of both sinks').toBe(reason(dbzFailure));
        return;
      }
      expect([dbzFailure, tribFailure].filter(Boolean).join('\n'), 'a sink task failed').toBe('');
      const image = images.get(scenario.id)!;
      expect(image.debezium.exists, `Debezium's sink made no table ${scenario.table}`).toBe(true);
      expect(image.debezium.rows.length + image.debezium.columns.size).toBeGreaterThan(0);
      const unexpected: Difference[] = [];
      for (const d of compareTables(scenario.table, image.debezium, image.tributary)) {
        const i = intentionalReason(scenario.id, d);
        if (i === null) unexpected.push(d);
        else used.add(i);
      }
      expect(formatDifferences(unexpected), 'differences with Debezium (table where aspect: both values)').toBe('');
    });
  }

  it('every intentional difference listed still occurs', () => {
    const stale = INTENTIONAL.filter((_x, i) => !used.has(i)).map((x) => `${x.scenarios.join(',')}: ${x.pattern}`);
    expect(stale).toEqual([]);
  });
});

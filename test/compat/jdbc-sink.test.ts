/**
 * Differential: Debezium's JDBC sink (3.6.0.Final in Apache Kafka's ConnectStandalone, Java)
 * against Tributary's, reading the same topics of Debezium PostgreSQL change events
 * (JsonConverter, schemas on) with the same options, each into its own database, on PostgreSQL and
 * on MariaDB. The
 * tables are compared as the catalog describes them (types, NOT NULL, DEFAULT, primary key,
 * column order) and row by row in PostgreSQL's text form. Every difference fails the test with
 * table, column, row and both values, unless docs/compatibility.md lists it as intentional
 * (test/compat/jdbc-sink-intentional.ts). Tributary's sink runs twice: as configured, and with
 * every batch through its bulk paths (COPY into a staging table on PostgreSQL, LOAD DATA LOCAL on
 * MariaDB), which must leave the same tables.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testKafkaBrokers } from '../setup/env.ts';
import { DEBEZIUM_JDBC_VERSION } from '../setup/debezium-jdbc-sink.ts';
import { compareTables, formatDifferences, type Difference, type TableImage } from './jdbc-sink-compare.ts';
import { INTENTIONAL, intentionalReason } from './jdbc-sink-intentional.ts';
import { startDebeziumSinks, startTributarySinks, type SinkConnector, type SinkSide } from './jdbc-sink-runners.ts';
import { createTarget, type Target, type TargetKind } from './jdbc-sink-targets.ts';
import { scenarios, type Scenario } from './jdbc-sink-workload.ts';

const RUN = randomBytes(3).toString('hex');
const KINDS: TargetKind[] = ['postgresql', 'mariadb'];
/** Per target kind its own topics (the types topic differs: no arrays for MariaDB). */
const SERVER: Record<TargetKind, string> = { postgresql: `jd${RUN}`, mariadb: `jm${RUN}` };
const SCENARIOS: Record<TargetKind, Scenario[]> = {
  postgresql: scenarios(SERVER.postgresql, 'postgresql'),
  mariadb: scenarios(SERVER.mariadb, 'mariadb'),
};
const DONE_TIMEOUT_MS = 6 * 60_000;

/** dbz: Debezium's sink; trib: Tributary's as configured; bulk: Tributary's with every batch through COPY / LOAD DATA. */
type SideName = 'dbz' | 'trib' | 'bulk';
const BULK_CONFIG = { 'tributary.postgres.copy.min.rows': '1', 'tributary.mysql.load.data.min.rows': '1' };

const connectorName = (side: SideName, kind: TargetKind, s: Scenario) => `${side}-${SERVER[kind]}-${s.id}`;

function connectors(side: SideName, kind: TargetKind, target: Target): SinkConnector[] {
  return SCENARIOS[kind].map((s) => ({
    name: connectorName(side, kind, s),
    topics: [s.events.table.topic],
    config: {
      'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
      'connection.url': target.jdbcUrl,
      'connection.username': target.user,
      'connection.password': target.password,
      ...s.config,
      ...(side === 'bulk' ? BULK_CONFIG : {}),
    },
  }));
}

type Images = { debezium: TableImage; tributary: TableImage; bulk: TableImage };

/** Everything both runs leave: per connector the failure, per target kind and scenario the two tables. */
const failures = new Map<string, string>();
const images = new Map<string, Images>();
const targets: Target[] = [];
const sides: SinkSide[] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jdbc-sink-diff-'));

beforeAll(
  async () => {
    const pairs = new Map<TargetKind, { dbz: Target; trib: Target; bulk: Target }>();
    for (const kind of KINDS) {
      const dbz = await createTarget(kind, `jdbcdiff_dbz_${kind.slice(0, 2)}_${RUN}`);
      targets.push(dbz);
      const trib = await createTarget(kind, `jdbcdiff_trib_${kind.slice(0, 2)}_${RUN}`);
      targets.push(trib);
      const bulk = await createTarget(kind, `jdbcdiff_bulk_${kind.slice(0, 2)}_${RUN}`);
      targets.push(bulk);
      pairs.set(kind, { dbz, trib, bulk });
      for (const s of SCENARIOS[kind])
        for (const sql of s.seed?.(s.table, kind) ?? []) {
          await dbz.exec(sql);
          await trib.exec(sql);
          await bulk.exec(sql);
        }
    }
    const all = KINDS.flatMap((k) => SCENARIOS[k]);
    const kafka = new Kafka({ brokers: testKafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: all.map((s) => ({ topic: s.events.table.topic, numPartitions: 1 })),
      waitForLeaders: true,
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    for (const s of all) await producer.send({ topic: s.events.table.topic, messages: s.events.messages, acks: -1 });
    await producer.disconnect();

    const dbzConnectors = KINDS.flatMap((k) => connectors('dbz', k, pairs.get(k)!.dbz));
    const tribConnectors = KINDS.flatMap((k) => connectors('trib', k, pairs.get(k)!.trib));
    // Debezium's first, to the end: on MariaDB its table lookup (DatabaseMetaData.getTables without a
    // catalog) also finds a table of the same name in another database of the server, e.g. the one
    // Tributary's sink made, and then it never creates its own. One JVM per target kind: connectors
    // of two dialects in one worker share Hibernate's type registry (PostgreSQL tables got `longtext`).
    const ofKind = (k: TargetKind) => dbzConnectors.filter((c) => c.name.startsWith(`dbz-${SERVER[k]}-`));
    const dbzSides = await Promise.all(
      KINDS.map((k) => startDebeziumSinks(path.join(dir, `debezium-${k}`), ofKind(k))),
    );
    sides.push(...dbzSides);
    const dbzDone = await Promise.all(KINDS.map((k, i) => dbzSides[i].waitDone(ofKind(k), DONE_TIMEOUT_MS)));
    for (const f of dbzDone) for (const [name, why] of f) failures.set(name, why);
    const tributary = await startTributarySinks(path.join(dir, 'tributary'), tribConnectors, DONE_TIMEOUT_MS);
    sides.push(tributary);
    for (const [name, why] of await tributary.waitDone(tribConnectors, DONE_TIMEOUT_MS)) failures.set(name, why);
    const bulkConnectors = KINDS.flatMap((k) => connectors('bulk', k, pairs.get(k)!.bulk));
    const bulk = await startTributarySinks(path.join(dir, 'tributary-bulk'), bulkConnectors, DONE_TIMEOUT_MS);
    sides.push(bulk);
    for (const [name, why] of await bulk.waitDone(bulkConnectors, DONE_TIMEOUT_MS)) failures.set(name, why);
    for (const kind of KINDS)
      for (const s of SCENARIOS[kind])
        images.set(`${kind}/${s.id}`, {
          debezium: await pairs.get(kind)!.dbz.image(s.table),
          tributary: await pairs.get(kind)!.trib.image(s.table),
          bulk: await pairs.get(kind)!.bulk.image(s.table),
        });
  },
  2 * DONE_TIMEOUT_MS + 240_000,
);

afterAll(async () => {
  for (const s of sides) await s.stop().catch(() => undefined);
  for (const t of targets) await t.drop().catch(() => undefined);
  // TRIBUTARY_KEEP_JDBC_DIFF=1 keeps the workers' logs (debezium-*/connect.log) for a failure's details
  if (!process.env.TRIBUTARY_KEEP_JDBC_DIFF) fs.rmSync(dir, { recursive: true, force: true });
}, 120_000);

const used = new Set<number>();

for (const kind of KINDS) {
  describe(`JDBC sink against Debezium's JDBC sink ${DEBEZIUM_JDBC_VERSION} (${kind} target)`, () => {
    for (const scenario of SCENARIOS[kind]) {
      it(`${scenario.id}: ${JSON.stringify(scenario.config)}`, () => {
        const [dbzFailure, tribFailure, bulkFailure] = (['dbz', 'trib', 'bulk'] as const).map((side) =>
          failures.get(connectorName(side, kind, scenario)),
        );
        if (scenario.failsWith) {
          // Values the database refuses: both sinks bind the same text and fail on the same error.
          const reason = (f: string | undefined) =>
            f?.match(scenario.failsWith!)?.[0].replace(/\.0+(["'])$/, '$1') ?? f;
          expect(dbzFailure, "Debezium's sink was expected to fail").toBeDefined();
          expect(reason(tribFailure), 'the database error of both sinks').toBe(reason(dbzFailure));
          expect(reason(bulkFailure), 'the database error with every batch through COPY / LOAD DATA').toBe(
            reason(dbzFailure),
          );
          return;
        }
        expect([dbzFailure, tribFailure, bulkFailure].filter(Boolean).join('\n'), 'a sink task failed').toBe('');
        const image = images.get(`${kind}/${scenario.id}`)!;
        expect(image.debezium.exists, `Debezium's sink made no table ${scenario.table}`).toBe(true);
        expect(image.debezium.rows.length + image.debezium.columns.size).toBeGreaterThan(0);
        for (const [side, label] of [
          ['tributary', 'differences with Debezium (table where aspect: both values)'],
          ['bulk', 'differences with Debezium, every batch through COPY / LOAD DATA (table where aspect: both values)'],
        ] as const) {
          const unexpected: Difference[] = [];
          for (const d of compareTables(scenario.table, image.debezium, image[side])) {
            const i = intentionalReason(kind, scenario.id, d);
            if (i === null) unexpected.push(d);
            else used.add(i);
          }
          expect(formatDifferences(unexpected), label).toBe('');
        }
      });
    }
  });
}

describe('JDBC sink differential', () => {
  it('every intentional difference listed still occurs', () => {
    const stale = INTENTIONAL.filter((_x, i) => !used.has(i)).map(
      (x) => `${x.targets.join(',')} ${x.scenarios.join(',')}: ${x.pattern}`,
    );
    expect(stale).toEqual([]);
  });
});

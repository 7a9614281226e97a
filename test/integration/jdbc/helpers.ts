/** Shared pieces of the JDBC sink integration tests: per-file databases, envelopes, a task context. */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { SchemaBuilder, type Schema } from '../../../runtime/data/schema.ts';
import { Struct } from '../../../runtime/data/struct.ts';
import { SinkRecord } from '../../../runtime/data/records.ts';
import { silentLogger } from '../../../runtime/logging.ts';
import type { ErrantRecordReporter, SinkTaskContext } from '../../../runtime/spi/sink.ts';
import { testMysqlUrl, testPgUrl } from '../../setup/env.ts';

export type Target = 'postgresql' | 'mariadb';

export interface TestDb {
  target: Target;
  name: string;
  jdbcUrl: string;
  user: string;
  password: string;
  query(sql: string, params?: unknown[]): Promise<Array<Record<string, unknown>>>;
  drop(): Promise<void>;
}

export async function createTestDb(target: Target, prefix: string): Promise<TestDb> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  if (target === 'postgresql') {
    const admin = new URL(testPgUrl());
    const a = new pg.Client({ connectionString: testPgUrl() });
    await a.connect();
    await a.query(`CREATE DATABASE ${name}`);
    await a.end();
    const u = new URL(testPgUrl());
    u.pathname = `/${name}`;
    const c = new pg.Client({ connectionString: u.toString() });
    await c.connect();
    await c.query("SET TIME ZONE 'UTC'");
    return {
      target,
      name,
      user: decodeURIComponent(admin.username),
      password: decodeURIComponent(admin.password),
      jdbcUrl: `jdbc:postgresql://${admin.hostname}:${admin.port}/${name}`,
      query: async (sql, params) => (await c.query(sql, params)).rows,
      drop: async () => {
        await c.end();
        const d = new pg.Client({ connectionString: testPgUrl() });
        await d.connect();
        await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await d.end();
      },
    };
  }
  const admin = new URL(testMysqlUrl());
  const c = await mysql.createConnection({
    host: admin.hostname,
    port: Number(admin.port),
    user: decodeURIComponent(admin.username),
    password: decodeURIComponent(admin.password),
    timezone: 'Z',
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  await c.query(`CREATE DATABASE ${name}`);
  await c.query(`USE ${name}`);
  await c.query("SET time_zone = '+00:00'");
  return {
    target,
    name,
    user: decodeURIComponent(admin.username),
    password: decodeURIComponent(admin.password),
    jdbcUrl: `jdbc:mariadb://${admin.hostname}:${admin.port}/${name}`,
    query: async (sql, params) => (await c.query(sql, params))[0] as Array<Record<string, unknown>>,
    drop: async () => {
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

export function sinkProps(db: TestDb, extra: Record<string, string> = {}): Record<string, string> {
  return { 'connection.url': db.jdbcUrl, 'connection.user': db.user, 'connection.password': db.password, ...extra };
}

export class TestContext implements SinkTaskContext {
  readonly connectorName = 'jdbc-test';
  readonly taskId = 0;
  readonly logger = silentLogger;
  readonly signal = new AbortController().signal;
  reported: Array<{ record: SinkRecord; error: Error }> = [];
  timeoutMs = -1;
  constructor(private readonly withReporter = false) {}
  configs() {
    return {};
  }
  assignment() {
    return [];
  }
  offset() {}
  timeout(ms: number) {
    this.timeoutMs = ms;
  }
  pause() {}
  resume() {}
  requestCommit() {}
  errantRecordReporter(): ErrantRecordReporter | null {
    if (!this.withReporter) return null;
    return {
      report: async (record, error) => {
        this.reported.push({ record, error });
      },
    };
  }
}

const SOURCE = SchemaBuilder.struct()
  .name('io.debezium.connector.postgresql.Source')
  .field('db', SchemaBuilder.string().build())
  .field('table', SchemaBuilder.string().build())
  .build();

export function envelopeSchema(row: Schema, name = 'dbserver1.public.t.Envelope'): Schema {
  return SchemaBuilder.struct()
    .name(name)
    .field('before', row)
    .field('after', row)
    .field('source', SOURCE)
    .field('op', SchemaBuilder.string().build())
    .field('ts_ms', SchemaBuilder.int64().optional().build())
    .build();
}

/** A Debezium change event for `op` on a row (`after` for c/r/u, `before` for d). */
export function envelope(schema: Schema, op: 'c' | 'r' | 'u' | 'd' | 't', row: Struct | null): Struct {
  const e = new Struct(schema)
    .put('source', new Struct(schema.field('source')!.schema).put('db', 'db').put('table', 't'))
    .put('op', op)
    .put('ts_ms', 1);
  if (op === 'd') e.put('before', row);
  else if (op !== 't') e.put('after', row);
  return e;
}

let offset = 0;
export function record(
  topic: string,
  keySchema: Schema | null,
  key: unknown,
  valueSchema: Schema | null,
  value: unknown,
): SinkRecord {
  return new SinkRecord({ topic, kafkaPartition: 0, kafkaOffset: offset++, keySchema, key, valueSchema, value });
}

/** A row struct with the given values, optional schema. */
export function row(schema: Schema, values: Record<string, unknown>): Struct {
  const s = new Struct(schema);
  for (const [k, v] of Object.entries(values)) s.put(k, v);
  return s;
}

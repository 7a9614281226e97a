/**
 * One MariaDB differential scenario: a fresh database with the scenario's tables and rows, Debezium
 * and Tributary started side by side on it (same options, same topic prefix), both snapshots
 * awaited, the streaming workload run once, and a sentinel row awaited on both. The outputs are
 * then compared topic by topic, record by record, byte for byte after normalizing only what
 * legitimately differs between two runs (see normalize()).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql, { type Connection } from 'mysql2/promise';
import { DEBEZIUM_MARIADB_LAYOUT_VERSIONS } from '../setup/debezium-mariadb.ts';
import { testMysqlUrl } from '../setup/env.ts';
import { type JNode, differences, mask, parseLossless, printLossless, scalarAt } from './mariadb-lossless-json.ts';
import { type Side, type WireRecord, startDebezium, startTributary } from './mariadb-runners.ts';

export interface Scenario {
  /** Suffix of the database name (kept short: database names are at most 64 characters). */
  name: string;
  /** Statements run before the connectors start (tables and the snapshot's rows). */
  setup: string[];
  /**
   * Statement groups run after both snapshots ended, each group in its own round trip. In statements
   * and option values, {db} is the scenario's database and {other} a second one it may create, not
   * captured (dropped at the end).
   */
  streaming: string[];
  /** Connector options set on both sides. */
  options?: Record<string, string>;
  /** The wire layout compared: Debezium of that release against Tributary's tributary.debezium.layout (default 3.5). */
  layout?: keyof typeof DEBEZIUM_MARIADB_LAYOUT_VERSIONS;
}

export interface ScenarioResult {
  db: string;
  debezium: WireRecord[];
  tributary: WireRecord[];
  differences: string[];
}

const PREFIX = 'mdbdiff';
const QUIET_MS = 1500;
const SENTINEL = 'zz_sentinel';
const RUN_ID_HEADER = '__debezium.context.runId';
const SNAPSHOT_MARKERS = new Set([
  'true',
  'first',
  'first_in_data_collection',
  'last_in_data_collection',
  'last',
  'incremental',
]);

function server() {
  const u = new URL(testMysqlUrl());
  return {
    host: u.hostname,
    port: u.port || '3306',
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}

async function connect(db?: string): Promise<Connection> {
  return mysql.createConnection({
    uri: testMysqlUrl(),
    database: db,
    multipleStatements: true,
    charset: 'utf8mb4',
    timezone: 'Z',
  });
}

function commonConfig(db: string, serverId: number, options: Record<string, string>): Record<string, string> {
  const s = server();
  return {
    'connector.class': 'io.debezium.connector.mariadb.MariaDbConnector',
    'database.hostname': s.host,
    'database.port': s.port,
    'database.user': s.user,
    'database.password': s.password,
    'database.server.id': String(serverId),
    'topic.prefix': PREFIX,
    'database.include.list': db,
    ...options,
  };
}

function parsed(buf: Buffer | null): JNode | null {
  return buf === null ? null : parseLossless(buf.toString('utf8'));
}

function isSnapshotRecord(value: JNode | null): boolean {
  const snap = scalarAt(value ?? undefined, 'payload', 'source', 'snapshot');
  return typeof snap === 'string' && SNAPSHOT_MARKERS.has(snap);
}

/**
 * What two correct runs may differ in, masked explicitly: the wall-clock times of every record
 * (payload.ts_*), and for snapshot-time records (read while each side's own snapshot ran, at its
 * own moment) the source block's time and binlog coordinates. Streaming records keep them: both
 * sides read the same binlog events.
 */
export function normalize(r: WireRecord): { topic: string; key: string | null; value: string | null; headers: string } {
  const value = parsed(r.value);
  if (value) {
    for (const f of ['ts_ms', 'ts_us', 'ts_ns']) mask(value, ['payload', f]);
    if (isSnapshotRecord(value)) {
      for (const f of ['ts_ms', 'ts_us', 'ts_ns', 'file', 'pos', 'gtid', 'thread'])
        mask(value, ['payload', 'source', f]);
    }
  }
  return {
    topic: r.topic,
    key: r.key === null ? null : r.key.toString('utf8'),
    value: value === null ? null : printLossless(value),
    // In order; Debezium 3.x's __debezium.context.runId is a fresh UUID per run.
    headers: JSON.stringify(
      r.headers.map(([k, v]) => [k, k === RUN_ID_HEADER ? '<runId>' : v === null ? null : v.toString('utf8')]),
    ),
  };
}

function byTopic(records: WireRecord[]): Map<string, WireRecord[]> {
  const m = new Map<string, WireRecord[]>();
  for (const r of records) m.set(r.topic, [...(m.get(r.topic) ?? []), r]);
  return m;
}

function describe(r: WireRecord | undefined): string {
  if (!r) return '(no record)';
  const v = r.value?.toString('utf8') ?? 'null';
  return `key ${r.key?.toString('utf8') ?? 'null'} value ${v.length > 300 ? `…${v.slice(v.indexOf('"payload"'), v.indexOf('"payload"') + 600)}` : v}`;
}

/** Every difference between the two outputs, per topic and record position, with field paths. */
export function compareOutputs(debezium: WireRecord[], tributary: WireRecord[], db?: string): string[] {
  const out: string[] = [];
  const d = byTopic(debezium);
  const t = byTopic(tributary);
  alignTransactionTopics(d, t);
  if (db !== undefined) for (const m of [d, t]) keepOwnSchemaChanges(m, db);
  for (const topic of new Set([...d.keys(), ...t.keys()])) {
    const dr = d.get(topic) ?? [];
    const tr = t.get(topic) ?? [];
    if (dr.length !== tr.length) out.push(`${topic}: Debezium wrote ${dr.length} records, Tributary ${tr.length}`);
    for (let i = 0; i < Math.max(dr.length, tr.length); i++) {
      if (!dr[i] || !tr[i]) {
        out.push(`${topic}[${i}]: only in ${dr[i] ? 'Debezium' : 'Tributary'}: ${describe(dr[i] ?? tr[i])}`);
        continue;
      }
      const a = normalize(dr[i]);
      const b = normalize(tr[i]);
      for (const part of ['key', 'value'] as const) {
        if (a[part] === b[part]) continue;
        if (a[part] === null || b[part] === null)
          out.push(`${topic}[${i}].${part}: Debezium ${a[part]} / Tributary ${b[part]}`);
        else {
          const paths = differences(parseLossless(a[part]!), parseLossless(b[part]!));
          if (paths.length === 0) paths.push(`bytes differ: Debezium ${a[part]} / Tributary ${b[part]}`);
          for (const p of paths) out.push(`${topic}[${i}].${part} ${p}`);
        }
      }
      if (a.headers !== b.headers) out.push(`${topic}[${i}].headers: Debezium ${a.headers} / Tributary ${b.headers}`);
    }
  }
  return out;
}

function gtidSequence(r: WireRecord): bigint {
  const id = scalarAt(parsed(r.value) ?? undefined, 'payload', 'id');
  const m = typeof id === 'string' ? /^\d+-\d+-(\d+)$/.exec(id) : null;
  if (!m) throw new Error(`transaction record without a MariaDB GTID id: ${r.value?.toString('utf8')}`);
  return BigInt(m[1]);
}

/**
 * Debezium's MariaDB connector writes BEGIN (and END) for every transaction of the server once it
 * streams, whatever the database. Each side starts streaming at its own snapshot's position, so the
 * server's other transactions (tests run concurrently) between the two starting points are seen by
 * one side only: the transaction topics are compared from the later side's first transaction on.
 */
function alignTransactionTopics(d: Map<string, WireRecord[]>, t: Map<string, WireRecord[]>): void {
  const topic = `${PREFIX}.transaction`;
  const dr = d.get(topic);
  const tr = t.get(topic);
  if (!dr?.length || !tr?.length) return;
  const from = [gtidSequence(dr[0]), gtidSequence(tr[0])].reduce((a, b) => (a > b ? a : b));
  d.set(
    topic,
    dr.filter((r) => gtidSequence(r) >= from),
  );
  t.set(
    topic,
    tr.filter((r) => gtidSequence(r) >= from),
  );
}

/**
 * Without store.only.captured.databases.ddl both sides write schema-change records for every
 * database of the server, read at each side's own snapshot moment; on the shared test server other
 * tests create and drop databases in between. Those records are compared for the scenario's own
 * database, its second database {other} (not captured; DDL the streaming workload runs on it) and
 * the server-level ones (databaseName "") only.
 */
function keepOwnSchemaChanges(m: Map<string, WireRecord[]>, db: string): void {
  const records = m.get(PREFIX);
  if (!records) return;
  m.set(
    PREFIX,
    records.filter((r) => {
      const name = scalarAt(parsed(r.value) ?? undefined, 'payload', 'databaseName');
      return name === db || name === otherDatabase(db) || name === '';
    }),
  );
}

/** The scenario's second database (not captured; the streaming workload may create it). */
const otherDatabase = (db: string) => `${db}_o`;

function substitute(text: string, db: string): string {
  return text.replaceAll('{db}', db).replaceAll('{other}', otherDatabase(db));
}

function snapshotDone(records: WireRecord[]): boolean {
  return records.some((r) => scalarAt(parsed(r.value) ?? undefined, 'payload', 'source', 'snapshot') === 'last');
}

/** The sentinel row arrived and nothing more for QUIET_MS (a transaction's END record follows its rows). */
function sentinelSeen(db: string, side: Side) {
  const topic = `${PREFIX}.${db}.${SENTINEL}`;
  return (records: WireRecord[]) =>
    records.some((r) => r.topic === topic) && Date.now() - side.lastArrival() > QUIET_MS;
}

export async function runScenario(s: Scenario): Promise<ScenarioResult> {
  const db = `mdbdiff_${s.name}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
  const admin = await connect();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trib-mdbdiff-${s.name}-`));
  const sides: Side[] = [];
  try {
    await admin.query(`CREATE DATABASE \`${db}\``);
    const conn = await connect(db);
    try {
      await conn.query(`CREATE TABLE ${SENTINEL} (id INT PRIMARY KEY)`);
      for (const stmt of s.setup) await conn.query(substitute(stmt, db));
      const options = Object.fromEntries(Object.entries(s.options ?? {}).map(([k, v]) => [k, substitute(v, db)]));
      const serverId = 20000 + Math.floor(Math.random() * 40000);
      const [debezium, tributary] = await Promise.all([
        Promise.resolve(
          startDebezium(
            {
              ...commonConfig(db, serverId, options),
              name: `mdbdiff-${s.name}`,
              'schema.history.internal': 'io.debezium.relational.history.MemorySchemaHistory',
              'offset.storage': 'org.apache.kafka.connect.storage.MemoryOffsetBackingStore',
              'offset.flush.interval.ms': '60000',
            },
            dir,
            DEBEZIUM_MARIADB_LAYOUT_VERSIONS[s.layout ?? '3.5'],
          ),
        ),
        startTributary({
          ...commonConfig(db, serverId + 1, options),
          name: `mdbdiff-${s.name}`,
          'schema.history.internal': 'io.debezium.storage.file.history.FileSchemaHistory',
          'schema.history.internal.file.filename': path.join(dir, 'tributary-history.jsonl'),
          'poll.interval.ms': '50',
          'tributary.debezium.layout': s.layout ?? '3.5',
        }),
      ]);
      sides.push(debezium, tributary);
      await Promise.all(sides.map((side) => side.waitFor(snapshotDone, 150_000, 'the end of the snapshot')));
      for (const stmt of s.streaming) await conn.query(substitute(stmt, db));
      await conn.query(`INSERT INTO ${SENTINEL} VALUES (1)`);
      await Promise.all(sides.map((side) => side.waitFor(sentinelSeen(db, side), 60_000, 'the sentinel row')));
    } finally {
      await conn.end();
    }
    await Promise.all(sides.map((side) => side.stop()));
    const [debezium, tributary] = sides;
    return {
      db,
      debezium: debezium.records,
      tributary: tributary.records,
      differences: compareOutputs(debezium.records, tributary.records, db),
    };
  } finally {
    await Promise.allSettled(sides.map((side) => side.stop()));
    await admin.query(`DROP DATABASE IF EXISTS \`${db}\``).catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS \`${otherDatabase(db)}\``).catch(() => undefined);
    await admin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The MySQL/MariaDB source connector's keys, with Debezium's names and defaults, resolved into one
 * settings object. Keys Debezium has but Tributary does not implement are refused with the fix.
 */
import {
  ConfigDef,
  ParsedConfig,
  Validators,
  type ConfigValue,
  type Validator,
} from '../../runtime/config/config-def.ts';
import { ConfigException } from '../../runtime/errors.ts';
import { ColumnMappers } from '../shared/column-mappers.ts';
import { MESSAGE_KEY_COLUMNS, MessageKeyColumns } from '../shared/message-key-columns.ts';
import {
  DEBEZIUM_MYSQL_TLS_KEYS,
  MYSQL_SSL_MODES,
  mysqlSslOption,
  mysqlStreamOption,
  type MysqlTlsSettings,
  parseMysqlTls,
} from './tls.ts';
import { addTlsValidationErrors } from '../../runtime/tls/key-stores.ts';
import type { MysqlLayout } from './wire-layout.ts';
import {
  KAFKA_HISTORY_CONFIG,
  KAFKA_SCHEMA_HISTORY_CLASS,
  kafkaHistoryConfigErrors,
  type KafkaHistorySettings,
  parseKafkaHistorySettings,
} from './schema/kafka-history-config.ts';

export const MYSQL_CONNECTOR_CLASS = 'io.debezium.connector.mysql.MySqlConnector';
export const MARIADB_CONNECTOR_CLASS = 'io.debezium.connector.mariadb.MariaDbConnector';

const lower = (v: string) => v.trim().toLowerCase();
const oneOf = (...allowed: string[]): Validator => ({
  description: `[${allowed.join(', ')}]`,
  ensureValid(name: string, value: unknown) {
    if (value === null || value === undefined) return;
    if (!allowed.includes(lower(String(value))))
      throw new ConfigException(
        `Invalid value ${String(value)} for configuration ${name}: must be one of ${allowed.join(', ')}`,
        { key: name },
      );
  },
});
const regexList: Validator = {
  description: 'comma-separated regular expressions',
  ensureValid(name, value) {
    for (const v of (value as string[] | null) ?? []) {
      try {
        new RegExp(v);
      } catch (err) {
        throw new ConfigException(
          `Invalid value ${v} for configuration ${name}: not a regular expression (${(err as Error).message})`,
          { key: name },
        );
      }
    }
  },
};

const signalCollection: Validator = {
  description: '<db>.<table>',
  ensureValid(name, value) {
    if (value === null || value === undefined) return;
    if (!/^[^.]+\.[^.]+$/.test(String(value)))
      throw new ConfigException(
        `Invalid value ${String(value)} for configuration ${name}: give the signal table as <database>.<table>`,
        { key: name },
      );
  },
};
const notTrue = (fix: string): Validator => ({
  description: 'false',
  ensureValid(name, value) {
    if (value === true || String(value).toLowerCase() === 'true')
      throw new ConfigException(`Invalid value ${String(value)} for configuration ${name}: ${fix}`, { key: name });
  },
});

const messageKeyColumns: Validator = {
  description: '<db>.<table>:<column>,<column>;…',
  ensureValid(_name, value) {
    MessageKeyColumns.parse(value as string | null);
  },
};

const G_CONN = 'Connection';
const G_FILTER = 'Filters';
const G_EVENTS = 'Events';
const G_SNAPSHOT = 'Snapshot';
const G_HISTORY = 'Schema history';

export const SNAPSHOT_MODES = [
  'initial',
  'initial_only',
  'no_data',
  'schema_only',
  'never',
  'when_needed',
  'always',
  'recovery',
  'schema_only_recovery',
] as const;
export type SnapshotMode = (typeof SNAPSHOT_MODES)[number];

export const MYSQL_SOURCE_CONFIG = new ConfigDef()
  .define({
    name: 'database.hostname',
    type: 'STRING',
    importance: 'HIGH',
    group: G_CONN,
    documentation: 'Host of the MySQL/MariaDB server.',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 'database.port',
    type: 'INT',
    defaultValue: 3306,
    importance: 'HIGH',
    group: G_CONN,
    documentation: 'Port of the server.',
  })
  .define({
    name: 'database.user',
    type: 'STRING',
    importance: 'HIGH',
    group: G_CONN,
    documentation: 'User with REPLICATION SLAVE, REPLICATION CLIENT, SELECT and RELOAD privileges.',
  })
  .define({
    name: 'database.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    group: G_CONN,
    documentation: 'Password of database.user.',
  })
  .define({
    name: 'database.server.id',
    type: 'LONG',
    defaultValue: null,
    importance: 'HIGH',
    group: G_CONN,
    documentation:
      'Replica server id, unique among all replicas and CDC clients of the server; default: a random id in 5400–6399 (Debezium).',
    validator: Validators.between(1, 4294967295),
  })
  .define({
    name: 'database.ssl.mode',
    type: 'STRING',
    defaultValue: 'preferred',
    importance: 'MEDIUM',
    group: G_CONN,
    documentation:
      "disabled (plain), preferred (TLS when the server offers it, else plain; certificate not checked), required (TLS, certificate not checked), verify_ca (TLS, certificate signed by a CA in database.ssl.truststore), verify_identity (verify_ca and the certificate names database.hostname). The MariaDB connector's names disable, trust, verify-ca and verify-full are accepted too.",
    validator: oneOf(...MYSQL_SSL_MODES),
  })
  .define({
    name: 'database.ssl.truststore',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_CONN,
    documentation:
      'Trust store with the CA certificates verify_ca / verify_identity check the server against: PEM, DER or PKCS12 (a Java JKS store is refused with the keytool command converting it). Unset: the system CA store.',
  })
  .define({
    name: 'database.ssl.truststore.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_CONN,
    documentation: 'Password of a PKCS12 database.ssl.truststore.',
  })
  .define({
    name: 'database.ssl.keystore',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_CONN,
    documentation:
      'Key store with the client certificate and private key, for servers that check client certificates: PKCS12, or PEM holding the chain and the key.',
  })
  .define({
    name: 'database.ssl.keystore.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_CONN,
    documentation: 'Password of database.ssl.keystore (PKCS12) or of its encrypted PEM key.',
  })
  .define({
    name: 'database.connectionTimeZone',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: G_CONN,
    documentation: 'Accepted for compatibility: TIMESTAMP values are always read in UTC.',
  })
  .define({
    name: 'connect.timeout.ms',
    type: 'INT',
    defaultValue: 30000,
    importance: 'LOW',
    group: G_CONN,
    documentation: 'Connection timeout.',
  })
  .define({
    name: 'connect.keep.alive.interval.ms',
    type: 'LONG',
    defaultValue: 60000,
    importance: 'LOW',
    group: G_CONN,
    documentation: 'Server heartbeat period requested on the binlog connection (0 = none).',
  })
  .define({
    name: 'connect.max.attempts',
    type: 'INT',
    defaultValue: 10,
    importance: 'LOW',
    group: G_CONN,
    documentation: 'Consecutive reconnect attempts of the binlog client (with backoff) before the task fails.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'topic.prefix',
    type: 'STRING',
    importance: 'HIGH',
    group: G_EVENTS,
    documentation: 'Namespace for topics, schema names and source.name.',
    validator: Validators.nonEmptyStringWithoutControlChars(),
  })
  .define({
    name: 'database.include.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'HIGH',
    group: G_FILTER,
    documentation: 'Anchored regexes of databases to capture.',
    validator: regexList,
  })
  .define({
    name: 'database.exclude.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'HIGH',
    group: G_FILTER,
    documentation: 'Anchored regexes of databases to skip.',
    validator: regexList,
  })
  .define({
    name: 'table.include.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'HIGH',
    group: G_FILTER,
    documentation: 'Anchored regexes of <db>.<table> to capture.',
    validator: regexList,
  })
  .define({
    name: 'table.exclude.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'HIGH',
    group: G_FILTER,
    documentation: 'Anchored regexes of <db>.<table> to skip.',
    validator: regexList,
  })
  .define({
    name: 'column.include.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_FILTER,
    documentation: 'Anchored regexes of <db>.<table>.<column> to include.',
    validator: regexList,
  })
  .define({
    name: 'column.exclude.list',
    type: 'LIST',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_FILTER,
    documentation: 'Anchored regexes of <db>.<table>.<column> to exclude.',
    validator: regexList,
  })
  .define({
    name: 'skipped.operations',
    type: 'LIST',
    defaultValue: 't',
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Operations not emitted: c, u, d, t or none.',
    validator: Validators.listOf('c', 'u', 'd', 't', 'none'),
  })
  .define({
    name: 'include.schema.changes',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation: 'Emit schema change events to the <topic.prefix> topic.',
  })
  .define({
    name: 'include.query',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_EVENTS,
    documentation:
      'Fill source.query with the statement (MySQL: binlog_rows_query_log_events=ON; MariaDB: binlog_annotate_row_events=ON).',
  })
  .define({
    name: 'tombstones.on.delete',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation: 'Emit a tombstone after each delete event.',
  })
  .define({
    name: 'provide.transaction.metadata',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Emit BEGIN/END records on <prefix>.transaction and fill the transaction block.',
  })
  .define({
    name: 'decimal.handling.mode',
    type: 'STRING',
    defaultValue: 'precise',
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation: 'precise (Decimal), double or string.',
    validator: oneOf('precise', 'double', 'string'),
  })
  .define({
    name: 'time.precision.mode',
    type: 'STRING',
    defaultValue: 'adaptive_time_microseconds',
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation: 'adaptive_time_microseconds or connect.',
    validator: oneOf('adaptive_time_microseconds', 'connect'),
  })
  .define({
    name: 'bigint.unsigned.handling.mode',
    type: 'STRING',
    defaultValue: 'long',
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation: 'long (int64, values above 2^63-1 wrap) or precise (Decimal, scale 0).',
    validator: oneOf('long', 'precise'),
  })
  .define({
    name: 'unavailable.value.placeholder',
    type: 'STRING',
    defaultValue: '__debezium_unavailable_value',
    importance: 'LOW',
    group: G_EVENTS,
    documentation:
      'Stands for BLOB/TEXT values a binlog_row_image=NOBLOB row image leaves out (bytes for binary columns, text otherwise).',
  })
  .define({
    name: 'binary.handling.mode',
    type: 'STRING',
    defaultValue: 'bytes',
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation: 'bytes, base64, base64-url-safe or hex.',
    validator: oneOf('bytes', 'base64', 'base64-url-safe', 'hex'),
  })
  .define({
    name: 'event.processing.failure.handling.mode',
    type: 'STRING',
    defaultValue: 'fail',
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Only fail is supported: a corrupt or undecodable event fails the task at its file and position.',
    validator: oneOf('fail'),
  })
  .define({
    name: 'heartbeat.interval.ms',
    type: 'INT',
    defaultValue: 0,
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Emit a heartbeat record carrying the current offset at this interval (0 = off).',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'topic.heartbeat.prefix',
    type: 'STRING',
    defaultValue: '__debezium-heartbeat',
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Heartbeat topic prefix.',
  })
  .define({
    name: 'topic.transaction',
    type: 'STRING',
    defaultValue: 'transaction',
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Transaction topic suffix.',
  })
  .define({
    name: 'topic.delimiter',
    type: 'STRING',
    defaultValue: '.',
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Delimiter of topic name parts.',
  })
  .define({
    name: 'tributary.debezium.layout',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation:
      'The Debezium wire layout of the records: 3.5 (Debezium 3.5.0, the default of the MariaDB connector class: source.version 3.5.0.Final, __debezium.context.* headers unless extended.headers.enabled=false), 3.6 (the default of the MySQL connector class: the same with 3.6.1.Final) or 3.2 (Debezium 3.2.0: source.version 3.2.0.Final, context headers without runId) for consumers written against the older layout.',
    validator: oneOf('3.6', '3.5', '3.2'),
  })
  .define({
    name: 'extended.headers.enabled',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: G_EVENTS,
    documentation:
      'Add the __debezium.context.* headers (connectorLogicalName, taskId, connectorName; runId from layout 3.5) to data-change, tombstone and schema-change records, as Debezium does.',
  })
  .define({
    name: 'max.batch.size',
    type: 'INT',
    defaultValue: 2048,
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Records per poll.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'max.queue.size',
    type: 'INT',
    defaultValue: 8192,
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Binlog events buffered before the socket is paused.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'poll.interval.ms',
    type: 'INT',
    defaultValue: 500,
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Longest wait of one poll for new events.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'snapshot.mode',
    type: 'STRING',
    defaultValue: 'initial',
    importance: 'HIGH',
    group: G_SNAPSHOT,
    documentation:
      'initial, initial_only, no_data (schema_only), never, when_needed, always or recovery (schema_only_recovery: rebuilds a lost or corrupt schema history from the current table structures, then streams from the stored offset).',
    validator: oneOf(...SNAPSHOT_MODES),
  })
  .define({
    name: 'snapshot.locking.mode',
    type: 'STRING',
    defaultValue: 'minimal',
    importance: 'MEDIUM',
    group: G_SNAPSHOT,
    documentation: 'minimal (global read lock while the schema and position are read) or none.',
    validator: oneOf('minimal', 'none'),
  })
  .define({
    name: 'snapshot.fetch.size',
    type: 'INT',
    defaultValue: null,
    importance: 'LOW',
    group: G_SNAPSHOT,
    documentation: 'Accepted for compatibility; rows are always streamed.',
  })
  .define({
    name: 'signal.data.collection',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: G_SNAPSHOT,
    documentation:
      'The signal table <db>.<table> (columns id, type, data) whose inserts, read from the binlog, drive incremental snapshots (execute-snapshot, stop-snapshot, pause-snapshot, resume-snapshot); the connector user needs INSERT on it.',
    validator: signalCollection,
  })
  .define({
    name: 'signal.enabled.channels',
    type: 'LIST',
    defaultValue: 'source',
    importance: 'LOW',
    group: G_SNAPSHOT,
    documentation: 'Only source (the signal table) is supported.',
    validator: Validators.listOf('source'),
  })
  .define({
    name: 'incremental.snapshot.chunk.size',
    type: 'INT',
    defaultValue: 1024,
    importance: 'LOW',
    group: G_SNAPSHOT,
    documentation: 'Rows read per incremental snapshot chunk (one watermark window).',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'incremental.snapshot.watermarking.strategy',
    type: 'STRING',
    defaultValue: 'insert_insert',
    importance: 'LOW',
    group: G_SNAPSHOT,
    documentation: 'Only insert_insert (open and close watermark rows inserted into the signal table) is supported.',
    validator: oneOf('insert_insert'),
  })
  .define({
    name: 'read.only',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_SNAPSHOT,
    documentation:
      'Only false: incremental snapshots write watermark rows into the signal table (GTID-based read-only snapshots are not implemented).',
    validator: notTrue(
      'read-only incremental snapshots are not implemented; set read.only=false and give the connector user INSERT on the signal table',
    ),
  })
  .define({
    name: 'schema.history.internal',
    type: 'CLASS',
    defaultValue: 'io.debezium.storage.file.history.FileSchemaHistory',
    importance: 'HIGH',
    group: G_HISTORY,
    documentation:
      'Schema history store: io.debezium.storage.file.history.FileSchemaHistory (file), io.debezium.storage.kafka.history.KafkaSchemaHistory (topic) or io.debezium.relational.history.MemorySchemaHistory (tests only).',
    validator: oneOf(
      'io.debezium.storage.file.history.fileschemahistory',
      'io.debezium.storage.kafka.history.kafkaschemahistory',
      'io.debezium.relational.history.memoryschemahistory',
    ),
  })
  .define({
    name: 'schema.history.internal.file.filename',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: G_HISTORY,
    documentation: 'File of the file schema history (required with FileSchemaHistory).',
  })
  .define({
    name: 'schema.history.internal.store.only.captured.tables.ddl',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_HISTORY,
    documentation: 'Store only the structure of captured tables.',
  })
  .define({
    name: 'schema.history.internal.store.only.captured.databases.ddl',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_HISTORY,
    documentation:
      'Store only the DDL of captured databases (default: DDL of every database the binlog shows; the snapshot reads the captured databases only).',
  })
  .define({
    name: 'schema.history.internal.skip.unparseable.ddl',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_HISTORY,
    documentation:
      'Skip DDL statements that cannot be parsed (logged with their binlog position) instead of failing the task; their tables may then be decoded with an outdated structure.',
  })
  .define({
    name: MESSAGE_KEY_COLUMNS,
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: G_EVENTS,
    documentation:
      'Custom keys: <db>.<table>:<column>,<column>;… (table and column parts are regexes); a listed table is keyed by those columns instead of its primary key.',
    validator: messageKeyColumns,
  })
  .merge(KAFKA_HISTORY_CONFIG)
  .define({
    name: 'tasks.max',
    type: 'INT',
    defaultValue: 1,
    importance: 'LOW',
    documentation: 'Always one task (one binlog reader).',
    validator: Validators.between(1, 1),
  });

/** Debezium keys that Tributary refuses, with the fix. */
const UNSUPPORTED: Record<string, string> = {
  'column.propagate.source.type': 'remove it',
  'datatype.propagate.source.type': 'remove it',
  converters: 'custom converters are not supported; remove converters',
  'snapshot.select.statement.overrides': 'remove it',
  'gtid.source.includes': 'remove it',
  'gtid.source.excludes': 'remove it',
};
const UNSUPPORTED_PREFIXES: Array<[RegExp, string]> = [];

export function unsupportedKeyErrors(props: Record<string, string>): ConfigException[] {
  const out: ConfigException[] = [];
  for (const key of Object.keys(props)) {
    const fix = UNSUPPORTED[key] ?? UNSUPPORTED_PREFIXES.find(([re]) => re.test(key))?.[1];
    if (fix)
      out.push(
        new ConfigException(
          `Configuration ${key}=${props[key]} is not supported by Tributary's MySQL connector: ${fix}`,
          { key },
        ),
      );
  }
  if (props['snapshot.mode'] === 'never') {
    // Debezium removed `never` in 3.6; Tributary keeps it (stream from the current position without a snapshot).
  }
  try {
    new ColumnMappers(props); // validates column.mask.* / column.truncate.* keys
  } catch (err) {
    out.push(err as ConfigException);
  }
  const history = lower(props['schema.history.internal'] ?? 'io.debezium.storage.file.history.FileSchemaHistory');
  out.push(...kafkaHistoryConfigErrors(props, history === KAFKA_SCHEMA_HISTORY_CLASS.toLowerCase()));
  if (
    history === 'io.debezium.storage.file.history.fileschemahistory' &&
    !props['schema.history.internal.file.filename']
  ) {
    out.push(
      new ConfigException(
        'Missing schema.history.internal.file.filename: FileSchemaHistory needs a file; set schema.history.internal.file.filename to a writable path',
        { key: 'schema.history.internal.file.filename' },
      ),
    );
  }
  return out;
}

export function validateMysqlConfig(props: Record<string, string>): ConfigValue[] {
  const values = MYSQL_SOURCE_CONFIG.validate(props);
  for (const err of unsupportedKeyErrors(props)) {
    const v = values.find((cv) => cv.name === err.key);
    if (v) v.errorMessages.push(err.message);
    else
      values.push({
        name: err.key!,
        value: props[err.key!] ?? null,
        recommendedValues: [],
        errorMessages: [err.message],
        visible: true,
      });
  }
  addTlsValidationErrors(values, Object.values(DEBEZIUM_MYSQL_TLS_KEYS), () =>
    parseMysqlTls(new ParsedConfig(MYSQL_SOURCE_CONFIG, props)),
  );
  return values;
}

export interface MysqlSourceSettings {
  unavailablePlaceholder: string;
  host: string;
  port: number;
  user: string;
  password: string | null;
  serverId: number;
  tls: MysqlTlsSettings;
  connectTimeoutMs: number;
  keepAliveMs: number;
  maxAttempts: number;
  topicPrefix: string;
  databaseInclude: RegExp[] | null;
  databaseExclude: RegExp[] | null;
  tableInclude: RegExp[] | null;
  tableExclude: RegExp[] | null;
  columnInclude: RegExp[] | null;
  columnExclude: RegExp[] | null;
  skippedOperations: Set<string>;
  includeSchemaChanges: boolean;
  includeQuery: boolean;
  tombstonesOnDelete: boolean;
  provideTransactionMetadata: boolean;
  /** tributary.debezium.layout; null: the connector class's default. */
  layout: MysqlLayout | null;
  extendedHeaders: boolean;
  decimalMode: 'precise' | 'double' | 'string';
  timePrecisionMode: 'adaptive_time_microseconds' | 'connect';
  bigintUnsignedMode: 'long' | 'precise';
  binaryMode: 'bytes' | 'base64' | 'base64-url-safe' | 'hex';
  heartbeatIntervalMs: number;
  heartbeatTopicPrefix: string;
  transactionTopicSuffix: string;
  topicDelimiter: string;
  maxBatchSize: number;
  maxQueueSize: number;
  pollIntervalMs: number;
  snapshotMode: SnapshotMode;
  snapshotLocking: 'minimal' | 'none';
  historyKind: 'file' | 'kafka' | 'memory';
  historyFile: string | null;
  /** Set when historyKind is kafka. */
  kafkaHistory: KafkaHistorySettings | null;
  /** column.mask.* / column.truncate.* rules. */
  columnMappers: ColumnMappers;
  /** message.key.columns, null when unset. */
  messageKeyColumns: MessageKeyColumns | null;
  storeOnlyCapturedTables: boolean;
  storeOnlyCapturedDatabases: boolean;
  skipUnparseableDdl: boolean;
  /** The signal table, when incremental snapshots are enabled. */
  signalTable: { database: string; table: string } | null;
  incrementalChunkSize: number;
}

const anchored = (list: string[]): RegExp[] | null =>
  list.length ? list.map((s) => new RegExp(`^(?:${s})$`, 'i')) : null;

export function parseMysqlSettings(props: Record<string, string>): MysqlSourceSettings {
  const errors = unsupportedKeyErrors(props);
  if (errors.length) throw errors[0];
  const c = new ParsedConfig(MYSQL_SOURCE_CONFIG, props);
  const serverIdRaw = c.values['database.server.id'] as number | null;
  let mode = lower(c.getString('snapshot.mode')) as SnapshotMode;
  if (mode === 'schema_only') mode = 'no_data';
  if (mode === 'schema_only_recovery') mode = 'recovery';
  const historyClass = lower(c.getString('schema.history.internal'));
  const historyKind: MysqlSourceSettings['historyKind'] = historyClass.endsWith('memoryschemahistory')
    ? 'memory'
    : historyClass.endsWith('kafkaschemahistory')
      ? 'kafka'
      : 'file';
  return {
    host: c.getString('database.hostname'),
    port: c.getInt('database.port'),
    user: c.getString('database.user'),
    password: c.getPassword('database.password')?.value ?? null,
    serverId: serverIdRaw ?? 5400 + Math.floor(Math.random() * 1000),
    tls: parseMysqlTls(c),
    connectTimeoutMs: c.getInt('connect.timeout.ms'),
    keepAliveMs: c.getLong('connect.keep.alive.interval.ms'),
    maxAttempts: c.getInt('connect.max.attempts'),
    topicPrefix: c.getString('topic.prefix'),
    databaseInclude: anchored(c.getList('database.include.list')),
    databaseExclude: anchored(c.getList('database.exclude.list')),
    tableInclude: anchored(c.getList('table.include.list')),
    tableExclude: anchored(c.getList('table.exclude.list')),
    columnInclude: anchored(c.getList('column.include.list')),
    columnExclude: anchored(c.getList('column.exclude.list')),
    skippedOperations: new Set(c.getList('skipped.operations').filter((s) => s !== 'none')),
    includeSchemaChanges: c.getBoolean('include.schema.changes'),
    includeQuery: c.getBoolean('include.query'),
    tombstonesOnDelete: c.getBoolean('tombstones.on.delete'),
    provideTransactionMetadata: c.getBoolean('provide.transaction.metadata'),
    layout: (c.getOptionalString('tributary.debezium.layout')?.trim() || null) as MysqlLayout | null,
    extendedHeaders: c.getBoolean('extended.headers.enabled'),
    decimalMode: lower(c.getString('decimal.handling.mode')) as MysqlSourceSettings['decimalMode'],
    timePrecisionMode: lower(c.getString('time.precision.mode')) as MysqlSourceSettings['timePrecisionMode'],
    bigintUnsignedMode: lower(
      c.getString('bigint.unsigned.handling.mode'),
    ) as MysqlSourceSettings['bigintUnsignedMode'],
    binaryMode: lower(c.getString('binary.handling.mode')) as MysqlSourceSettings['binaryMode'],
    unavailablePlaceholder: c.getString('unavailable.value.placeholder'),
    heartbeatIntervalMs: c.getInt('heartbeat.interval.ms'),
    heartbeatTopicPrefix: c.getString('topic.heartbeat.prefix'),
    transactionTopicSuffix: c.getString('topic.transaction'),
    topicDelimiter: c.getString('topic.delimiter'),
    maxBatchSize: c.getInt('max.batch.size'),
    maxQueueSize: c.getInt('max.queue.size'),
    pollIntervalMs: c.getInt('poll.interval.ms'),
    snapshotMode: mode,
    snapshotLocking: lower(c.getString('snapshot.locking.mode')) as 'minimal' | 'none',
    historyKind,
    historyFile: c.getOptionalString('schema.history.internal.file.filename'),
    kafkaHistory: historyKind === 'kafka' ? parseKafkaHistorySettings(props) : null,
    columnMappers: new ColumnMappers(props),
    messageKeyColumns: MessageKeyColumns.parse(c.getOptionalString(MESSAGE_KEY_COLUMNS)),
    storeOnlyCapturedTables: c.getBoolean('schema.history.internal.store.only.captured.tables.ddl'),
    storeOnlyCapturedDatabases: c.getBoolean('schema.history.internal.store.only.captured.databases.ddl'),
    skipUnparseableDdl: c.getBoolean('schema.history.internal.skip.unparseable.ddl'),
    signalTable: signalTableOf(c.getOptionalString('signal.data.collection')),
    incrementalChunkSize: c.getInt('incremental.snapshot.chunk.size'),
  };
}

function signalTableOf(v: string | null): { database: string; table: string } | null {
  if (!v) return null;
  const i = v.indexOf('.');
  return { database: v.slice(0, i), table: v.slice(i + 1) };
}

/** mysql2 connection options from the settings. */
export function connectionOptions(s: MysqlSourceSettings): import('mysql2').ConnectionOptions {
  const ssl = mysqlSslOption(s.tls);
  const stream = mysqlStreamOption(s.host, s.port, s.tls);
  return {
    ...(stream ? { stream } : {}),
    host: s.host,
    port: s.port,
    user: s.user,
    password: s.password ?? undefined,
    connectTimeout: s.connectTimeoutMs,
    ssl,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    timezone: 'Z',
  };
}

/**
 * The MySQL/MariaDB source connector's keys, with Debezium's names and defaults, resolved into one
 * settings object. Keys Debezium has but Tributary does not implement are refused with the fix.
 */
import { ParsedConfig, type ConfigValue } from '../../sdk/config.ts';
import { ConfigException } from '../../sdk/errors.ts';
import { ColumnMappers } from '../shared/column-mappers.ts';
import { MESSAGE_KEY_COLUMNS, MessageKeyColumns } from '../shared/message-key-columns.ts';
import { namePatterns, type NamePattern } from '../shared/name-patterns.ts';
import { exclusiveListErrors, RELATIONAL_LIST_PAIRS } from '../shared/config/relational-config.ts';
import {
  DEBEZIUM_MYSQL_TLS_KEYS,
  mysqlSslOption,
  mysqlStreamOption,
  type MysqlTlsSettings,
  parseMysqlTls,
} from '../shared/tls/mysql-tls.ts';
import { addTlsValidationErrors } from '../../sdk/internal/tls.ts';
import type { MysqlLayout } from './wire-layout.ts';
import {
  KAFKA_SCHEMA_HISTORY_CLASS,
  kafkaHistoryConfigErrors,
  type KafkaHistorySettings,
  parseKafkaHistorySettings,
} from './schema/kafka-history-config.ts';
import { MYSQL_SOURCE_CONFIG, type SnapshotMode } from './config-keys.ts';

const lower = (v: string) => v.trim().toLowerCase();

export { MARIADB_CONNECTOR_CLASS, MYSQL_CONNECTOR_CLASS, MYSQL_SOURCE_CONFIG, SNAPSHOT_MODES } from './config-keys.ts';
export type { SnapshotMode } from './config-keys.ts';

/** Debezium keys that Tributary refuses, with the fix. */
const UNSUPPORTED: Record<string, string> = {
  'column.propagate.source.type': 'remove it',
  'datatype.propagate.source.type': 'remove it',
  converters: 'custom converters are not supported; remove converters',
  'snapshot.select.statement.overrides': 'remove it',
  'gtid.source.includes': 'remove it',
  'gtid.source.excludes': 'remove it',
  'schema.history.internal.ddl.filter':
    "remove it: Debezium's default DDL filter (views, routines, users, grants, DROP TEMPORARY TABLE) is built in and cannot be replaced",
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
  out.push(
    ...exclusiveListErrors(
      (k) => (props[k] ?? '').split(',').filter((v) => v.trim() !== ''),
      [['database.include.list', 'database.exclude.list'], ...RELATIONAL_LIST_PAIRS],
    ),
  );
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
  databaseInclude: NamePattern[] | null;
  databaseExclude: NamePattern[] | null;
  tableInclude: NamePattern[] | null;
  tableExclude: NamePattern[] | null;
  columnInclude: NamePattern[] | null;
  columnExclude: NamePattern[] | null;
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
  /** max.queue.size.in.bytes; 0 = none set (the read-ahead's own 1 MiB bound applies). */
  maxQueueSizeInBytes: number;
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

/** A filter list as Debezium's (Java regexes, case-insensitive, whole name); null when empty. */
const patterns = (c: ParsedConfig, key: string): NamePattern[] | null => {
  const list = namePatterns(c.getList(key), key);
  return list.length ? list : null;
};

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
    databaseInclude: patterns(c, 'database.include.list'),
    databaseExclude: patterns(c, 'database.exclude.list'),
    tableInclude: patterns(c, 'table.include.list'),
    tableExclude: patterns(c, 'table.exclude.list'),
    columnInclude: patterns(c, 'column.include.list'),
    columnExclude: patterns(c, 'column.exclude.list'),
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
    maxQueueSizeInBytes: c.getLong('max.queue.size.in.bytes'),
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

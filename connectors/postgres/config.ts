/**
 * The PostgreSQL connector's settings, resolved from its configuration keys (config-keys.ts), and
 * the table, column and message-prefix filters they define.
 */
import { ParsedConfig } from '../../sdk/config.ts';
import { MessageKeyColumns } from '../shared/message-key-columns.ts';
import { ColumnMappers } from '../shared/column-mappers.ts';
import { namePatterns, passesLists, type NamePattern } from '../shared/name-patterns.ts';
import { exclusiveListErrors, RELATIONAL_LIST_PAIRS } from '../shared/config/relational-config.ts';
import { parsePgTls, type PgTlsSettings } from '../shared/tls/postgres-tls.ts';
import type { DebeziumLayout } from './source-info.ts';
import { contextHeaders, type ContextHeaders } from './context-headers.ts';
import { POSTGRES_CONFIG } from './config-keys.ts';
import { rejectUnsupportedKeys } from './unsupported-keys.ts';

export { POSTGRES_CONFIG } from './config-keys.ts';
export { rejectUnsupportedKeys } from './unsupported-keys.ts';

export type SnapshotMode = 'initial' | 'initial_only' | 'no_data' | 'when_needed' | 'always';

export interface PostgresConnectorSettings {
  host: string;
  port: number;
  user: string;
  password: string | null;
  dbname: string;
  tls: PgTlsSettings;
  connectTimeoutMs: number;
  topicPrefix: string;
  topicDelimiter: string;
  heartbeatTopicPrefix: string;
  transactionTopicSuffix: string;
  slotName: string;
  slotDropOnStop: boolean;
  publicationName: string;
  publicationAutocreateMode: 'all_tables' | 'filtered' | 'no_tables' | 'disabled';
  statusUpdateIntervalMs: number;
  flushLsn: boolean;
  slotMaxRetries: number;
  slotRetryDelayMs: number;
  snapshotMode: SnapshotMode;
  snapshotFetchSize: number;
  snapshotIsolation: 'serializable' | 'repeatable_read';
  schemaInclude: NamePattern[];
  schemaExclude: NamePattern[];
  tableInclude: NamePattern[];
  tableExclude: NamePattern[];
  columnInclude: NamePattern[];
  columnExclude: NamePattern[];
  messagePrefixInclude: NamePattern[];
  messagePrefixExclude: NamePattern[];
  decimalMode: 'precise' | 'double' | 'string';
  timePrecisionMode: 'adaptive' | 'adaptive_time_microseconds' | 'connect';
  binaryMode: 'bytes' | 'base64' | 'base64-url-safe' | 'hex';
  intervalMode: 'numeric' | 'string';
  hstoreMode: 'json' | 'map';
  moneyFractionDigits: number;
  includeUnknownDatatypes: boolean;
  unavailableValuePlaceholder: string;
  tombstonesOnDelete: boolean;
  skippedOperations: Set<string>;
  /**
   * The publication's `publish` option when skipped.operations is set explicitly: the operations
   * not skipped, as Debezium 3.6 creates it (PostgreSQL then leaves those changes out of the
   * stream, and transactions left empty are not sent at all); null: every operation.
   */
  publishOperations: string | null;
  provideTransactionMetadata: boolean;
  layout: DebeziumLayout;
  /** The __debezium.context.* headers of this run, null when not emitted. */
  contextHeaders: ContextHeaders | null;
  heartbeatIntervalMs: number;
  heartbeatActionQuery: string | null;
  maxBatchSize: number;
  /** max.queue.size: replication messages read ahead before the socket is paused. */
  maxQueueSize: number;
  pollIntervalMs: number;
  columnMappers: ColumnMappers;
  messageKeyColumns: MessageKeyColumns | null;
  signalDataCollection: string | null;
  incrementalChunkSize: number;
}

export function parseSettings(props: Record<string, string>): PostgresConnectorSettings {
  rejectUnsupportedKeys(props);
  const c = new ParsedConfig(POSTGRES_CONFIG, props);
  const [exclusive] = exclusiveListErrors(
    (k) => c.getList(k),
    [
      ['schema.include.list', 'schema.exclude.list'],
      ...RELATIONAL_LIST_PAIRS,
      ['message.prefix.include.list', 'message.prefix.exclude.list'],
    ],
  );
  if (exclusive) throw exclusive;
  const patterns = (key: string): NamePattern[] => namePatterns(c.getList(key), key);
  const mode = c.getString('snapshot.mode').toLowerCase();
  const skipped = new Set(c.getList('skipped.operations'));
  skipped.delete('none');
  return {
    host: c.getString('database.hostname'),
    port: c.getInt('database.port'),
    user: c.getString('database.user'),
    password: c.getPassword('database.password')?.value ?? null,
    dbname: c.getString('database.dbname'),
    tls: parsePgTls(c),
    connectTimeoutMs: c.getLong('database.connect.timeout.ms'),
    topicPrefix: c.getString('topic.prefix'),
    topicDelimiter: c.getString('topic.delimiter'),
    heartbeatTopicPrefix: c.getString('topic.heartbeat.prefix'),
    transactionTopicSuffix: c.getString('topic.transaction'),
    slotName: c.getString('slot.name'),
    slotDropOnStop: c.getBoolean('slot.drop.on.stop'),
    publicationName: c.getString('publication.name'),
    publicationAutocreateMode: c
      .getString('publication.autocreate.mode')
      .toLowerCase() as PostgresConnectorSettings['publicationAutocreateMode'],
    statusUpdateIntervalMs: c.getLong('status.update.interval.ms'),
    flushLsn: c.getString('lsn.flush.mode').toLowerCase() === 'connector',
    slotMaxRetries: c.getInt('slot.max.retries'),
    slotRetryDelayMs: c.getLong('slot.retry.delay.ms'),
    snapshotMode: (mode === 'never' ? 'no_data' : mode) as SnapshotMode,
    snapshotFetchSize: c.getInt('snapshot.fetch.size'),
    snapshotIsolation: c
      .getString('snapshot.isolation.mode')
      .toLowerCase() as PostgresConnectorSettings['snapshotIsolation'],
    schemaInclude: patterns('schema.include.list'),
    schemaExclude: patterns('schema.exclude.list'),
    tableInclude: patterns('table.include.list'),
    tableExclude: patterns('table.exclude.list'),
    columnInclude: patterns('column.include.list'),
    columnExclude: patterns('column.exclude.list'),
    messagePrefixInclude: patterns('message.prefix.include.list'),
    messagePrefixExclude: patterns('message.prefix.exclude.list'),
    decimalMode: c.getString('decimal.handling.mode').toLowerCase() as PostgresConnectorSettings['decimalMode'],
    timePrecisionMode: c
      .getString('time.precision.mode')
      .toLowerCase() as PostgresConnectorSettings['timePrecisionMode'],
    binaryMode: c.getString('binary.handling.mode').toLowerCase() as PostgresConnectorSettings['binaryMode'],
    intervalMode: c.getString('interval.handling.mode').toLowerCase() as PostgresConnectorSettings['intervalMode'],
    hstoreMode: c.getString('hstore.handling.mode').toLowerCase() as PostgresConnectorSettings['hstoreMode'],
    moneyFractionDigits: c.getInt('money.fraction.digits'),
    includeUnknownDatatypes: c.getBoolean('include.unknown.datatypes'),
    unavailableValuePlaceholder: c.getString('unavailable.value.placeholder'),
    tombstonesOnDelete: c.getBoolean('tombstones.on.delete'),
    skippedOperations: skipped,
    publishOperations:
      props['skipped.operations'] === undefined || skipped.size === 0
        ? null
        : [
            ['c', 'insert'],
            ['u', 'update'],
            ['d', 'delete'],
            ['t', 'truncate'],
          ]
            .filter(([op]) => !skipped.has(op))
            .map(([, name]) => name)
            .join(','),
    provideTransactionMetadata: c.getBoolean('provide.transaction.metadata'),
    layout: c.getString('tributary.debezium.layout') as DebeziumLayout,
    contextHeaders: c.getBoolean('extended.headers.enabled')
      ? contextHeaders(c.getString('topic.prefix'), 0, c.getString('tributary.debezium.layout') as DebeziumLayout)
      : null,
    heartbeatIntervalMs: c.getInt('heartbeat.interval.ms'),
    heartbeatActionQuery: c.getOptionalString('heartbeat.action.query'),
    maxBatchSize: c.getInt('max.batch.size'),
    maxQueueSize: c.getInt('max.queue.size'),
    pollIntervalMs: c.getLong('poll.interval.ms'),
    columnMappers: new ColumnMappers(props),
    messageKeyColumns: MessageKeyColumns.parse(props['message.key.columns']),
    signalDataCollection: c.getOptionalString('signal.data.collection'),
    incrementalChunkSize: c.getInt('incremental.snapshot.chunk.size'),
  };
}

/**
 * Whether <schema>.<table> is captured: it passes the schema/table include/exclude lists, or it is
 * the signal.data.collection table, which Debezium (RelationalTableFilters) always adds to the table
 * filter so its changes are streamed too.
 */
export function isTableCaptured(s: PostgresConnectorSettings, schema: string, table: string): boolean {
  return (
    (passesLists(s.schemaInclude, s.schemaExclude, schema) &&
      passesLists(s.tableInclude, s.tableExclude, `${schema}.${table}`)) ||
    isSignalTable(s, schema, table)
  );
}

/** signal.data.collection as [schema, table]; a bare name is in public. */
export function signalTableId(s: PostgresConnectorSettings): [string, string] | null {
  const name = s.signalDataCollection;
  if (!name) return null;
  const i = name.indexOf('.');
  return i < 0 ? ['public', name] : [name.slice(0, i), name.slice(i + 1)];
}

export function isSignalTable(s: PostgresConnectorSettings, schema: string, table: string): boolean {
  const id = signalTableId(s);
  return id !== null && id[0] === schema && id[1] === table;
}

export function isMessagePrefixCaptured(s: PostgresConnectorSettings, prefix: string): boolean {
  return passesLists(s.messagePrefixInclude, s.messagePrefixExclude, prefix);
}

export function isColumnCaptured(s: PostgresConnectorSettings, schema: string, table: string, column: string): boolean {
  return passesLists(s.columnInclude, s.columnExclude, `${schema}.${table}.${column}`);
}

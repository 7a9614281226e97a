/**
 * The configuration keys Debezium's relational connectors share (CommonConnectorConfig,
 * RelationalDatabaseConnectorConfig, AbstractTopicNamingStrategy, Heartbeat): one ConfigDef
 * fragment with Debezium's names, types, defaults, importance and descriptions, merged by the
 * PostgreSQL and MySQL/MariaDB connectors. What a connector does differently from Debezium is
 * appended to a description as a "Tributary:" note; defaults that Debezium sets per connector
 * (port, snapshot fetch size) are options.
 */
import { ConfigDef, Validators, type ConfigKeyInit, type Validator } from '../../../sdk/config.ts';
import { ConfigException } from '../../../sdk/errors.ts';
import { MESSAGE_KEY_COLUMNS, MessageKeyColumns } from '../message-key-columns.ts';
import { oneOf, regexList } from './validators.ts';

export const G_CONNECTION = 'Connection';
export const G_FILTERS = 'Filters';
export const G_EVENTS = 'Events';
export const G_SNAPSHOT = 'Snapshot';

export interface RelationalConfigOptions {
  /** database.port's default (Debezium's connector-specific PORT field). */
  defaultPort: number;
  /** snapshot.fetch.size's default (Debezium passes it to RelationalDatabaseConnectorConfig per connector). */
  snapshotFetchSize: number | null;
  /** time.precision.mode: Debezium's default for the connector, the modes implemented, and why others are refused. */
  timePrecision: { defaultValue: string; supported: readonly string[]; unsupported?: Readonly<Record<string, string>> };
  /** Validates signal.data.collection's form (connector-specific table naming). */
  signalCollection?: Validator;
  /** What the connector adds to Debezium's description of a key ("Tributary: …"). */
  notes?: Readonly<Record<string, string>>;
}

/** Debezium's description of each shared key. */
const DOCS: Record<string, string> = {
  'database.hostname': 'Resolvable hostname or IP address of the database server.',
  'database.port': 'Port of the database server.',
  'database.user': 'Name of the database user to be used when connecting to the database.',
  'database.password': 'Password of the database user to be used when connecting to the database.',
  'topic.prefix':
    'Topic prefix that identifies and provides a namespace for the particular database server/cluster is capturing changes. The topic prefix should be unique across all other connectors, since it is used as a prefix for all Kafka topic names that receive events emitted by this connector. Only alphanumeric characters, hyphens, dots and underscores must be accepted.',
  'topic.delimiter': 'Specify the delimiter for topic name.',
  'topic.heartbeat.prefix': 'Specify the heartbeat topic name. Defaults to __debezium-heartbeat.${topic.prefix}',
  'topic.transaction': 'Specify the transaction topic name. Defaults to ${topic.prefix}.transaction',
  'table.include.list': 'The tables for which changes are to be captured',
  'table.exclude.list':
    'A comma-separated list of regular expressions that match the fully-qualified names of tables to be excluded from monitoring',
  'column.include.list': 'Regular expressions matching columns to include in change events',
  'column.exclude.list': 'Regular expressions matching columns to exclude from change events',
  [MESSAGE_KEY_COLUMNS]:
    "A semicolon-separated list of expressions that match fully-qualified tables and column(s) to be used as message key. Each expression must match the pattern '<fully-qualified table name>:<key columns>', where the table names could be defined as (DB_NAME.TABLE_NAME) or (SCHEMA_NAME.TABLE_NAME), depending on the specific connector, and the key columns are a comma-separated list of columns representing the custom key. For any table without an explicit key configuration the table's primary key column(s) will be used as message key. Example: dbserver1.inventory.orderlines:orderId,orderLineId;dbserver1.inventory.orders:id",
  'decimal.handling.mode':
    "Specify how DECIMAL and NUMERIC columns should be represented in change events, including: 'precise' (the default) uses java.math.BigDecimal to represent values, which are encoded in the change events using a binary representation and Kafka Connect's 'org.apache.kafka.connect.data.Decimal' type; 'string' uses string to represent values; 'double' represents values using Java's 'double', which may not offer the precision but will be far easier to use in consumers.",
  'time.precision.mode':
    "Time, date, and timestamps can be represented with different kinds of precisions, including: 'adaptive' (the default) bases the precision of time, date, and timestamp values on the database column's precision; 'adaptive_time_microseconds' like 'adaptive' mode, but TIME fields always use microseconds precision; 'connect' always represents time, date, and timestamp values using Kafka Connect's built-in representations for Time, Date, and Timestamp, which uses millisecond precision regardless of the database columns' precision; 'isostring' represents time, date, and timestamp values as ISO-8601 formatted strings at the UTC time zone; 'structured' represents time, date, timestamp, and datetime values as Kafka Connect structs with separate calendar and clock components; 'microseconds' always represents time, date, and timestamp values using microsecond precision; 'nanoseconds' always represents time, date, and timestamp values using nanosecond precision.",
  'event.processing.failure.handling.mode':
    "Specify how failures during processing of events (i.e. when encountering a corrupted event) should be handled, including: 'fail' (the default) an exception indicating the problematic event and its position is raised, causing the connector to be stopped; 'warn' the problematic event and its position will be logged and the event will be skipped; 'ignore' the problematic event will be skipped.",
  'binary.handling.mode':
    "Specify how binary (blob, binary, etc.) columns should be represented in change events, including: 'bytes' represents binary data as byte array (default); 'base64' represents binary data as base64-encoded string; 'base64-url-safe' represents binary data as base64-url-safe-encoded string; 'hex' represents binary data as hex-encoded (base16) string",
  'unavailable.value.placeholder':
    'Specify the constant that will be provided by Debezium to indicate that the original value is unavailable and not provided by the database.',
  'tombstones.on.delete':
    'Whether delete operations should be represented by a delete event and a subsequent tombstone event (true) or only by a delete event (false). Emitting the tombstone event (the default behavior) allows Kafka to completely delete all events pertaining to the given key once the source record got deleted.',
  'skipped.operations':
    "The comma-separated list of operations to skip during streaming, defined as: 'c' for inserts/create; 'u' for updates; 'd' for deletes, 't' for truncates, and 'none' to indicate nothing skipped. By default, only truncate operations will be skipped.",
  'provide.transaction.metadata': 'Enables transaction metadata extraction together with event counting',
  'extended.headers.enabled':
    'Enable/Disable Debezium context headers that provides essential metadata for tracking and identifying the source of CDC events in downstream processing systems.',
  'heartbeat.interval.ms':
    'Length of an interval in milli-seconds in in which the connector periodically sends heartbeat messages to a heartbeat topic. Use 0 to disable heartbeat messages. Disabled by default.',
  'max.batch.size': 'Maximum size of each batch of source records. Defaults to 2048.',
  'poll.interval.ms':
    'Time to wait for new change events to appear after receiving no events, given in milliseconds. Defaults to 500 ms.',
  'snapshot.fetch.size': 'The maximum number of records that should be loaded into memory while performing a snapshot.',
  'signal.data.collection':
    'The name of the data collection that is used to send signals/commands to Debezium. Signaling is disabled when not set.',
  'signal.enabled.channels': 'List of channels names that are enabled. Source channel is enabled by default',
  'incremental.snapshot.chunk.size':
    'The maximum size of chunk (number of documents/rows) for incremental snapshotting',
  'incremental.snapshot.watermarking.strategy':
    "Specify the strategy used for watermarking during an incremental snapshot: 'insert_insert' both open and close signal is written into signal data collection (default); 'insert_delete' only open signal is written on signal data collection, the close will delete the relative open signal;",
};

const messageKeyColumns: Validator = {
  description: '<table>:<column>,<column>;…',
  ensureValid(name, value) {
    MessageKeyColumns.parse(value as string | null, name);
  },
};

/** The shared keys, as one ConfigDef to merge. */
export function relationalConfig(o: RelationalConfigOptions): ConfigDef {
  const doc = (key: string): string => (o.notes?.[key] ? `${DOCS[key]} Tributary: ${o.notes[key]}` : DOCS[key]);
  const d = (init: Omit<ConfigKeyInit, 'documentation'>): ConfigKeyInit => ({ ...init, documentation: doc(init.name) });
  const def = new ConfigDef();
  const conn = { group: G_CONNECTION, importance: 'HIGH' } as const;
  def
    .define(d({ ...conn, name: 'database.hostname', type: 'STRING', validator: Validators.nonEmptyString() }))
    .define(
      d({
        ...conn,
        name: 'database.port',
        type: 'INT',
        defaultValue: o.defaultPort,
        validator: Validators.between(1, 65535),
      }),
    )
    .define(d({ ...conn, name: 'database.user', type: 'STRING', validator: Validators.nonEmptyString() }))
    .define(d({ ...conn, name: 'database.password', type: 'PASSWORD', defaultValue: null }))
    .define(
      d({
        ...conn,
        name: 'topic.prefix',
        type: 'STRING',
        validator: Validators.nonEmptyStringWithoutControlChars(),
      }),
    );
  const topic = { group: G_EVENTS, type: 'STRING', importance: 'LOW' } as const;
  def
    .define(d({ ...topic, name: 'topic.delimiter', defaultValue: '.' }))
    .define(d({ ...topic, name: 'topic.heartbeat.prefix', defaultValue: '__debezium-heartbeat' }))
    .define(d({ ...topic, name: 'topic.transaction', defaultValue: 'transaction' }));
  const list = { group: G_FILTERS, type: 'LIST', defaultValue: null, validator: regexList } as const;
  def
    .define(d({ ...list, name: 'table.include.list', importance: 'HIGH' }))
    .define(d({ ...list, name: 'table.exclude.list', importance: 'MEDIUM' }))
    .define(d({ ...list, name: 'column.include.list', importance: 'MEDIUM' }))
    .define(d({ ...list, name: 'column.exclude.list', importance: 'MEDIUM' }))
    .define(
      d({
        name: MESSAGE_KEY_COLUMNS,
        type: 'STRING',
        defaultValue: null,
        importance: 'MEDIUM',
        group: G_EVENTS,
        validator: messageKeyColumns,
      }),
    );
  const events = { group: G_EVENTS } as const;
  def
    .define(
      d({
        ...events,
        name: 'decimal.handling.mode',
        type: 'STRING',
        defaultValue: 'precise',
        importance: 'MEDIUM',
        validator: oneOf(['precise', 'double', 'string']),
      }),
    )
    .define(
      d({
        ...events,
        name: 'time.precision.mode',
        type: 'STRING',
        defaultValue: o.timePrecision.defaultValue,
        importance: 'MEDIUM',
        validator: oneOf(o.timePrecision.supported, o.timePrecision.unsupported),
      }),
    )
    .define(
      d({
        ...events,
        name: 'event.processing.failure.handling.mode',
        type: 'STRING',
        defaultValue: 'fail',
        importance: 'MEDIUM',
        validator: oneOf(['fail'], {
          warn: 'not supported: a failure stops the task; use errors.tolerance for converter/transform failures',
          ignore: 'not supported: a failure stops the task; use errors.tolerance for converter/transform failures',
        }),
      }),
    )
    .define(
      d({
        ...events,
        name: 'binary.handling.mode',
        type: 'STRING',
        defaultValue: 'bytes',
        importance: 'LOW',
        validator: oneOf(['bytes', 'base64', 'base64-url-safe', 'hex']),
      }),
    )
    .define(
      d({
        ...events,
        name: 'unavailable.value.placeholder',
        type: 'STRING',
        defaultValue: '__debezium_unavailable_value',
        importance: 'MEDIUM',
      }),
    )
    .define(d({ ...events, name: 'tombstones.on.delete', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM' }))
    .define(
      d({
        ...events,
        name: 'skipped.operations',
        type: 'LIST',
        defaultValue: 't',
        importance: 'LOW',
        validator: Validators.listOf('c', 'u', 'd', 't', 'none'),
      }),
    )
    .define(
      d({
        ...events,
        name: 'provide.transaction.metadata',
        type: 'BOOLEAN',
        defaultValue: false,
        importance: 'LOW',
      }),
    )
    .define(d({ ...events, name: 'extended.headers.enabled', type: 'BOOLEAN', defaultValue: true, importance: 'LOW' }))
    .define(
      d({
        ...events,
        name: 'heartbeat.interval.ms',
        type: 'INT',
        defaultValue: 0,
        importance: 'MEDIUM',
        validator: Validators.atLeast(0),
      }),
    )
    .define(
      d({
        ...events,
        name: 'max.batch.size',
        type: 'INT',
        defaultValue: 2048,
        importance: 'MEDIUM',
        validator: Validators.atLeast(1),
      }),
    )
    .define(
      d({
        ...events,
        name: 'poll.interval.ms',
        type: 'LONG',
        defaultValue: 500,
        importance: 'MEDIUM',
        validator: Validators.atLeast(1),
      }),
    );
  const snap = { group: G_SNAPSHOT } as const;
  def
    .define(
      d({
        ...snap,
        name: 'snapshot.fetch.size',
        type: 'INT',
        defaultValue: o.snapshotFetchSize,
        importance: 'MEDIUM',
        validator: o.snapshotFetchSize === null ? undefined : Validators.atLeast(1),
      }),
    )
    .define(
      d({
        ...snap,
        name: 'signal.data.collection',
        type: 'STRING',
        defaultValue: null,
        importance: 'MEDIUM',
        validator: o.signalCollection,
      }),
    )
    .define(
      d({
        ...snap,
        name: 'signal.enabled.channels',
        type: 'LIST',
        defaultValue: 'source',
        importance: 'MEDIUM',
        validator: Validators.listOf('source'),
      }),
    )
    .define(
      d({
        ...snap,
        name: 'incremental.snapshot.chunk.size',
        type: 'INT',
        defaultValue: 1024,
        importance: 'MEDIUM',
        validator: Validators.atLeast(1),
      }),
    )
    .define(
      d({
        ...snap,
        name: 'incremental.snapshot.watermarking.strategy',
        type: 'STRING',
        defaultValue: 'insert_insert',
        importance: 'LOW',
        validator: oneOf(['insert_insert'], { insert_delete: 'not supported yet; use insert_insert' }),
      }),
    );
  return def;
}

/**
 * Debezium's validateExcludeField: an include list and its exclude list cannot both be set
 * (ConnectorConfigValidationHelper), for each pair given.
 */
export function exclusiveListErrors(
  lists: (key: string) => readonly string[] | null,
  pairs: ReadonlyArray<readonly [include: string, exclude: string]>,
): ConfigException[] {
  const out: ConfigException[] = [];
  for (const [include, exclude] of pairs) {
    if ((lists(include)?.length ?? 0) > 0 && (lists(exclude)?.length ?? 0) > 0)
      out.push(new ConfigException(`${include} and ${exclude} cannot both be set; keep one`, { key: exclude }));
  }
  return out;
}

/** The include/exclude pairs of Debezium's relational filters. */
export const RELATIONAL_LIST_PAIRS = [
  ['table.include.list', 'table.exclude.list'],
  ['column.include.list', 'column.exclude.list'],
] as const;

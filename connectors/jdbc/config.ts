/**
 * The JDBC sink's keys: Confluent's kafka-connect-jdbc names and Debezium's JDBC sink names are
 * both accepted (a Debezium key, when set, wins over its Confluent counterpart), then resolved
 * into one settings object the task works from.
 */
import { ConfigDef, ParsedConfig, Validators, type ConfigValue } from '../../sdk/config.ts';
import { ConfigException } from '../../sdk/errors.ts';
import { parseJdbcUrl, type JdbcUrl } from './jdbc-url.ts';

export const DEBEZIUM_CLASS = 'io.debezium.connector.jdbc.JdbcSinkConnector';
export const CONFLUENT_CLASS = 'io.confluent.connect.jdbc.JdbcSinkConnector';

const lower = (v: string) => v.trim().toLowerCase();
const inCI = (...allowed: string[]) => ({
  ensureValid(name: string, value: unknown) {
    if (value === null || value === undefined) return;
    if (!allowed.includes(lower(String(value))))
      throw new ConfigException(
        `Invalid value ${String(value)} for configuration ${name}: must be one of ${allowed.join(', ')}`,
        { key: name },
      );
  },
  toString: () => `[${allowed.join(', ')}]`,
});

const G_CONN = 'Connection';
const G_WRITES = 'Writes';
const G_DDL = 'DDL support';
const G_RETRY = 'Retries';
const G_DEBEZIUM = 'Debezium JDBC sink keys';

export const JDBC_SINK_CONFIG = new ConfigDef()
  .define({
    name: 'connection.url',
    type: 'STRING',
    importance: 'HIGH',
    group: G_CONN,
    documentation:
      'JDBC connection URL: jdbc:postgresql://host:port/db, jdbc:mysql://host:port/db or jdbc:mariadb://host:port/db (user/password URL properties are honoured).',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 'connection.user',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: G_CONN,
    documentation: 'JDBC connection user (Confluent key).',
  })
  .define({
    name: 'connection.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    group: G_CONN,
    documentation: 'JDBC connection password.',
  })
  .define({
    name: 'connection.attempts',
    type: 'INT',
    defaultValue: 3,
    importance: 'LOW',
    group: G_CONN,
    documentation: 'Attempts to open a connection before the attempt fails.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'connection.backoff.ms',
    type: 'LONG',
    defaultValue: 10000,
    importance: 'LOW',
    group: G_CONN,
    documentation: 'Backoff between connection attempts.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'dialect.name',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    group: G_CONN,
    documentation:
      'Database dialect; empty picks it from the URL. PostgreSqlDatabaseDialect and MySqlDatabaseDialect are accepted.',
    validator: inCI('', 'postgresqldatabasedialect', 'mysqldatabasedialect'),
  })
  .define({
    name: 'insert.mode',
    type: 'STRING',
    defaultValue: 'insert',
    importance: 'HIGH',
    group: G_WRITES,
    documentation: 'insert: plain INSERT; upsert: INSERT … ON CONFLICT/ON DUPLICATE KEY UPDATE; update: UPDATE by key.',
    validator: inCI('insert', 'upsert', 'update'),
  })
  .define({
    name: 'pk.mode',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'HIGH',
    group: G_WRITES,
    documentation: 'none, kafka (__connect_topic/__connect_partition/__connect_offset), record_key or record_value.',
    validator: inCI('none', 'kafka', 'record_key', 'record_value'),
  })
  .define({
    name: 'pk.fields',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_WRITES,
    documentation:
      'Primary key field names, read according to pk.mode; empty means all fields of the key (record_key) or value (record_value) struct.',
  })
  .define({
    name: 'fields.whitelist',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_WRITES,
    documentation: 'Value fields kept as non-key columns; empty keeps all.',
  })
  .define({
    name: 'delete.enabled',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: G_WRITES,
    documentation: 'Turn tombstones and Debezium delete events (op=d) into DELETE by key.',
  })
  .define({
    name: 'table.name.format',
    type: 'STRING',
    defaultValue: '${topic}',
    importance: 'MEDIUM',
    group: G_WRITES,
    documentation:
      'Destination table name; ${topic} is replaced by the record topic. A dotted name is schema.table (PostgreSQL) or database.table (MySQL).',
  })
  .define({
    name: 'batch.size',
    type: 'INT',
    defaultValue: 3000,
    importance: 'MEDIUM',
    group: G_WRITES,
    documentation: 'Rows per multi-row statement; every put() is written in one transaction.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'db.timezone',
    type: 'STRING',
    defaultValue: 'UTC',
    importance: 'MEDIUM',
    group: G_WRITES,
    documentation: 'Time zone (IANA name) in which zone-less timestamp columns are written.',
  })
  .define({
    name: 'quote.sql.identifiers',
    type: 'STRING',
    defaultValue: 'always',
    importance: 'MEDIUM',
    group: G_WRITES,
    documentation: 'always or never: quote table and column names.',
    validator: inCI('always', 'never'),
  })
  .define({
    name: 'auto.create',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: G_DDL,
    documentation: 'CREATE TABLE from the record schema when the table is missing.',
  })
  .define({
    name: 'auto.evolve',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: G_DDL,
    documentation: 'ALTER TABLE … ADD COLUMN for record fields the table lacks.',
  })
  .define({
    name: 'max.retries',
    type: 'INT',
    defaultValue: 10,
    importance: 'MEDIUM',
    group: G_RETRY,
    documentation: 'Retries of a failed batch before the task fails.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'retry.backoff.ms',
    type: 'INT',
    defaultValue: 3000,
    importance: 'MEDIUM',
    group: G_RETRY,
    documentation: 'Wait before a failed batch is redelivered.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'tributary.postgres.copy.min.rows',
    type: 'INT',
    defaultValue: 2000,
    importance: 'LOW',
    group: G_WRITES,
    documentation:
      'On PostgreSQL, upserts of at least this many rows into one table go through COPY into a temporary staging table and one INSERT … SELECT … ON CONFLICT; 0 disables COPY.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'tributary.mysql.load.data.min.rows',
    type: 'INT',
    defaultValue: 500,
    importance: 'LOW',
    group: G_WRITES,
    documentation:
      'On MySQL/MariaDB, upserts and inserts of at least this many rows into one table go through LOAD DATA LOCAL INFILE (streamed from memory, no file) into a temporary staging table and one INSERT … SELECT; 0 disables it. A server with local_infile off, or a load that reports any warning, falls back to multi-row INSERT statements.',
    validator: Validators.atLeast(0),
  })
  // Debezium JDBC sink keys (JdbcSinkConnectorConfig / SinkConnectorConfig).
  .define({
    name: 'connection.username',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: G_DEBEZIUM,
    documentation: 'JDBC connection user (Debezium key; wins over connection.user).',
  })
  .define({
    name: 'primary.key.mode',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: G_DEBEZIUM,
    documentation: 'Debezium name of pk.mode: none, kafka, record_key or record_value.',
    validator: inCI('none', 'kafka', 'record_key', 'record_value'),
  })
  .define({
    name: 'primary.key.fields',
    type: 'LIST',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_DEBEZIUM,
    documentation: 'Debezium name of pk.fields.',
  })
  .define({
    name: 'schema.evolution',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_DEBEZIUM,
    documentation: 'none or basic (basic = auto.create + auto.evolve).',
    validator: inCI('none', 'basic'),
  })
  .define({
    name: 'truncate.enabled',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    group: G_DEBEZIUM,
    documentation: 'Turn Debezium truncate events (op=t) into a truncate of the table.',
  })
  .define({
    name: 'use.time.zone',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_DEBEZIUM,
    documentation: 'Debezium name of db.timezone (deprecated alias database.time_zone).',
  })
  .define({
    name: 'database.time_zone',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: G_DEBEZIUM,
    documentation: 'Deprecated Debezium alias of use.time.zone.',
  })
  .define({
    name: 'collection.name.format',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_DEBEZIUM,
    documentation: 'Debezium name of table.name.format.',
  })
  .define({
    name: 'quote.identifiers',
    type: 'BOOLEAN',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_DEBEZIUM,
    documentation: 'Debezium name of quote.sql.identifiers (true = always, false = never).',
  })
  .define({
    name: 'flush.max.retries',
    type: 'INT',
    defaultValue: null,
    importance: 'LOW',
    group: G_DEBEZIUM,
    documentation: 'Debezium name of max.retries.',
  })
  .define({
    name: 'flush.retry.delay.ms',
    type: 'INT',
    defaultValue: null,
    importance: 'LOW',
    group: G_DEBEZIUM,
    documentation: 'Debezium name of retry.backoff.ms.',
  })
  .define({
    name: 'use.reduction.buffer',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: G_DEBEZIUM,
    documentation: 'Accepted for compatibility: Tributary always reduces a batch to the last change per key.',
  });

/** Keys of the Java connectors that Tributary does not implement; setting one is refused, never ignored. */
const UNSUPPORTED: Record<string, string> = {
  'field.include.list': 'filter fields with fields.whitelist or the ReplaceField SMT',
  'field.exclude.list': 'drop fields with the ReplaceField SMT',
  'collection.naming.strategy': 'use collection.name.format / table.name.format',
  'table.naming.strategy': 'use collection.name.format / table.name.format',
  'column.naming.strategy': 'rename fields with the ReplaceField SMT',
  'collection.table.format': 'use collection.name.format / table.name.format',
  'timestamp.fields.list': 'remove it (timestamps are written from their schema type)',
  'date.timezone': 'use db.timezone',
  'hibernate.c3p0.max_size': 'remove it (Tributary uses one connection per task)',
};

export type InsertMode = 'insert' | 'upsert' | 'update';
export type PkMode = 'none' | 'kafka' | 'record_key' | 'record_value';

export interface JdbcSinkSettings {
  url: JdbcUrl;
  user: string | undefined;
  password: string | undefined;
  connectionAttempts: number;
  connectionBackoffMs: number;
  insertMode: InsertMode;
  pkMode: PkMode;
  pkFields: string[];
  fieldsWhitelist: Set<string> | null;
  deleteEnabled: boolean;
  truncateEnabled: boolean;
  tableNameFormat: string;
  batchSize: number;
  timeZone: string;
  quoteIdentifiers: boolean;
  autoCreate: boolean;
  autoEvolve: boolean;
  maxRetries: number;
  retryBackoffMs: number;
  copyMinRows: number;
  loadDataMinRows: number;
  /** Debezium's sink replaces dots of a topic-derived table name; Confluent's reads them as schema.table. */
  debeziumNaming: boolean;
  /** Debezium's sink skips tombstones when deletes are off; Confluent's fails on them. */
  skipTombstones: boolean;
}

const set = (props: Record<string, string>, key: string) => props[key] !== undefined && props[key] !== '';

export function resolveSettings(props: Record<string, string>): JdbcSinkSettings {
  const c = new ParsedConfig(JDBC_SINK_CONFIG, props);
  for (const [key, fix] of Object.entries(UNSUPPORTED)) {
    if (set(props, key)) throw new ConfigException(`The JDBC sink does not support ${key}: ${fix}`, { key });
  }
  if (set(props, 'table.types') && lower(props['table.types']) !== 'table')
    throw new ConfigException('The JDBC sink writes to tables only: table.types must be TABLE', { key: 'table.types' });
  const url = parseJdbcUrl(c.getString('connection.url'));
  const dialectName = lower(c.getString('dialect.name'));
  if (
    (dialectName === 'postgresqldatabasedialect' && url.kind !== 'postgresql') ||
    (dialectName === 'mysqldatabasedialect' && url.kind === 'postgresql')
  ) {
    throw new ConfigException(
      `dialect.name ${c.getString('dialect.name')} does not match connection.url (${url.kind}); leave dialect.name empty`,
      { key: 'dialect.name' },
    );
  }
  const debezium =
    props['connector.class'] === DEBEZIUM_CLASS || props['connector.class']?.endsWith('debezium.JdbcSink') === true;
  const pkMode = lower(
    set(props, 'primary.key.mode') ? c.getString('primary.key.mode') : c.getString('pk.mode'),
  ) as PkMode;
  const pkFields = (set(props, 'primary.key.fields') ? c.getList('primary.key.fields') : c.getList('pk.fields'))
    .map((s) => s.trim())
    .filter(Boolean);
  const insertMode = lower(c.getString('insert.mode')) as InsertMode;
  const whitelist = c
    .getList('fields.whitelist')
    .map((s) => s.trim())
    .filter(Boolean);
  const evolution = set(props, 'schema.evolution') ? lower(c.getString('schema.evolution')) : null;
  const timeZone =
    c.getOptionalString('use.time.zone') || c.getOptionalString('database.time_zone') || c.getString('db.timezone');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new ConfigException(
      `Invalid time zone "${timeZone}" in db.timezone/use.time.zone: use an IANA name such as UTC or Europe/Berlin`,
      { key: 'db.timezone' },
    );
  }
  const quote = set(props, 'quote.identifiers')
    ? c.getBoolean('quote.identifiers')
    : lower(c.getString('quote.sql.identifiers')) === 'always';
  const settings: JdbcSinkSettings = {
    url,
    user: c.getOptionalString('connection.username') ?? c.getOptionalString('connection.user') ?? url.user,
    password: c.getPassword('connection.password')?.value ?? url.password,
    connectionAttempts: c.getInt('connection.attempts'),
    connectionBackoffMs: c.getLong('connection.backoff.ms'),
    insertMode,
    pkMode,
    pkFields,
    fieldsWhitelist: whitelist.length ? new Set(whitelist) : null,
    deleteEnabled: c.getBoolean('delete.enabled'),
    truncateEnabled: c.getBoolean('truncate.enabled'),
    tableNameFormat: c.getOptionalString('collection.name.format') || c.getString('table.name.format'),
    batchSize: c.getInt('batch.size'),
    timeZone,
    quoteIdentifiers: quote,
    autoCreate: evolution ? evolution === 'basic' : c.getBoolean('auto.create'),
    autoEvolve: evolution ? evolution === 'basic' : c.getBoolean('auto.evolve'),
    maxRetries: set(props, 'flush.max.retries') ? c.getInt('flush.max.retries') : c.getInt('max.retries'),
    retryBackoffMs: set(props, 'flush.retry.delay.ms')
      ? c.getInt('flush.retry.delay.ms')
      : c.getInt('retry.backoff.ms'),
    copyMinRows: c.getInt('tributary.postgres.copy.min.rows'),
    loadDataMinRows: c.getInt('tributary.mysql.load.data.min.rows'),
    debeziumNaming: debezium,
    skipTombstones: debezium,
  };
  if (settings.insertMode !== 'insert' && settings.pkMode === 'none') {
    throw new ConfigException(
      `insert.mode=${settings.insertMode} needs a primary key: set pk.mode (primary.key.mode) to record_key, record_value or kafka`,
      { key: 'insert.mode' },
    );
  }
  // Debezium's sink refuses this too ("When 'delete.enabled' is set to 'true', the 'primary.key.mode' option must be set to 'record_key'").
  if (settings.deleteEnabled && settings.pkMode !== 'record_key') {
    throw new ConfigException(
      `Deletes are only supported for ${debezium ? 'primary.key.mode' : 'pk.mode'} record_key (delete.enabled=true, ${debezium ? 'primary.key.mode' : 'pk.mode'}=${settings.pkMode}): set it to record_key or delete.enabled=false`,
      { key: 'delete.enabled' },
    );
  }
  if (settings.pkMode === 'kafka' && pkFields.length !== 0 && pkFields.length !== 3) {
    throw new ConfigException(
      `pk.mode=kafka needs exactly three pk.fields (topic, partition and offset columns) or none for the defaults; got ${pkFields.join(',')}`,
      { key: 'pk.fields' },
    );
  }
  if (!settings.tableNameFormat.trim())
    throw new ConfigException('table.name.format must not be empty: use ${topic} or a table name', {
      key: 'table.name.format',
    });
  return settings;
}

/** Validation for /config/validate: the ConfigDef checks plus the cross-key rules of resolveSettings. */
export function validateJdbcSink(props: Record<string, string>): ConfigValue[] {
  const values = JDBC_SINK_CONFIG.validate(props);
  if (values.some((v) => v.errorMessages.length)) return values;
  try {
    resolveSettings(props);
  } catch (err) {
    const key = err instanceof ConfigException && err.key ? err.key : 'connection.url';
    let cv = values.find((v) => v.name === key);
    if (!cv)
      values.push(
        (cv = { name: key, value: props[key] ?? null, recommendedValues: [], errorMessages: [], visible: true }),
      );
    cv.errorMessages.push((err as Error).message);
  }
  return values;
}

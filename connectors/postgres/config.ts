/**
 * The PostgreSQL connector's configuration keys, named and defaulted as Debezium's
 * PostgresConnectorConfig (the subset Tributary implements). Values outside what is implemented
 * are rejected by validators naming the key, the value and the fix.
 */
import { ConfigDef, ParsedConfig, Validators, type Validator } from '../../runtime/config/config-def.ts';
import { ConfigException } from '../../runtime/errors.ts';
import { MessageKeyColumns } from '../shared/message-key-columns.ts';
import { ColumnMappers } from '../shared/column-mappers.ts';
import { parsePgTls, type PgTlsSettings } from './tls.ts';
import { DEBEZIUM_LAYOUTS, type DebeziumLayout } from './source-info.ts';
import { contextHeaders, type ContextHeaders } from './context-headers.ts';

const G_CONN = 'Connection';
const G_REPL = 'Replication';
const G_SNAP = 'Snapshot';
const G_FILTER = 'Filters';
const G_TYPES = 'Data types';
const G_EVENTS = 'Events';

/** Accepts only the listed values; names the others as unsupported with a fix. */
function oneOf(supported: string[], unsupported: Record<string, string> = {}): Validator {
  return {
    description: `[${supported.join(', ')}]`,
    ensureValid(name, value) {
      const v = String(value).toLowerCase();
      if (supported.includes(v)) return;
      const why = unsupported[v];
      throw new ConfigException(
        why
          ? `Invalid value ${String(value)} for configuration ${name}: ${why}`
          : `Invalid value ${String(value)} for configuration ${name}: must be one of ${supported.join(', ')}`,
        { key: name },
      );
    },
  };
}

function mustBe(expected: unknown, why: string): Validator {
  return {
    description: String(expected),
    ensureValid(name, value) {
      if (value !== expected)
        throw new ConfigException(`Invalid value ${String(value)} for configuration ${name}: ${why}`, { key: name });
    },
  };
}

const regexList: Validator = {
  description: 'comma-separated regular expressions',
  ensureValid(name, value) {
    for (const p of value as string[]) {
      try {
        new RegExp(p);
      } catch (err) {
        throw new ConfigException(
          `Invalid value ${p} for configuration ${name}: not a valid regular expression (${(err as Error).message})`,
          { key: name },
        );
      }
    }
  },
};

export const POSTGRES_CONFIG = new ConfigDef()
  .define({
    name: 'database.hostname',
    type: 'STRING',
    importance: 'HIGH',
    group: G_CONN,
    documentation: 'Resolvable hostname or IP address of the PostgreSQL server.',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 'database.port',
    type: 'INT',
    defaultValue: 5432,
    importance: 'HIGH',
    group: G_CONN,
    documentation: 'Port of the PostgreSQL server.',
    validator: Validators.between(1, 65535),
  })
  .define({
    name: 'database.user',
    type: 'STRING',
    importance: 'HIGH',
    group: G_CONN,
    documentation: 'Name of the PostgreSQL user (needs REPLICATION and SELECT on captured tables).',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 'database.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'HIGH',
    group: G_CONN,
    documentation: 'Password of the PostgreSQL user.',
  })
  .define({
    name: 'database.dbname',
    type: 'STRING',
    importance: 'HIGH',
    group: G_CONN,
    documentation: 'The database to capture changes from.',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 'database.sslmode',
    type: 'STRING',
    defaultValue: 'prefer',
    importance: 'MEDIUM',
    group: G_CONN,
    documentation:
      'As Debezium (pgjdbc): disable (plain), allow (plain, TLS if the server refuses plain), prefer (TLS if the server offers it, else plain), require (TLS, certificate not checked), verify-ca (TLS, certificate signed by database.sslrootcert), verify-full (verify-ca and the certificate names database.hostname).',
    validator: oneOf(['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full']),
  })
  .define({
    name: 'database.sslrootcert',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_CONN,
    documentation:
      'File with the CA certificate(s) the server certificate is checked against (verify-ca, verify-full): PEM, DER or PKCS12. Unset: the system CA store.',
  })
  .define({
    name: 'database.sslcert',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_CONN,
    documentation:
      'File with the client certificate (PEM or DER) for servers that check client certificates; needs database.sslkey.',
  })
  .define({
    name: 'database.sslkey',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_CONN,
    documentation:
      "File with the client certificate's private key: PEM, PKCS-8 DER, or PKCS12 (.p12/.pfx, which may hold the certificate too).",
  })
  .define({
    name: 'database.sslpassword',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_CONN,
    documentation: 'Password of the encrypted key in database.sslkey.',
  })
  .define({
    name: 'database.connect.timeout.ms',
    type: 'LONG',
    defaultValue: 30000,
    importance: 'LOW',
    group: G_CONN,
    documentation: 'Connection timeout.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'topic.prefix',
    type: 'STRING',
    importance: 'HIGH',
    group: G_CONN,
    documentation:
      'Prefix of every topic name, schema name and source.name; the source partition is {"server": <topic.prefix>}.',
    validator: Validators.nonEmptyStringWithoutControlChars(),
  })
  .define({
    name: 'topic.delimiter',
    type: 'STRING',
    defaultValue: '.',
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Delimiter between topic name parts.',
  })
  .define({
    name: 'topic.heartbeat.prefix',
    type: 'STRING',
    defaultValue: '__debezium-heartbeat',
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Prefix of the heartbeat topic (<prefix>.<topic.prefix>).',
  })
  .define({
    name: 'topic.transaction',
    type: 'STRING',
    defaultValue: 'transaction',
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Suffix of the transaction metadata topic (<topic.prefix>.<topic.transaction>).',
  })
  .define({
    name: 'plugin.name',
    type: 'STRING',
    defaultValue: 'pgoutput',
    importance: 'MEDIUM',
    group: G_REPL,
    documentation: 'Logical decoding plugin. Only pgoutput (built into PostgreSQL 10+) is supported.',
    validator: oneOf(['pgoutput'], {
      decoderbufs: 'decoderbufs is not supported; set plugin.name=pgoutput',
      wal2json: 'wal2json is not supported; set plugin.name=pgoutput',
    }),
  })
  .define({
    name: 'slot.name',
    type: 'STRING',
    defaultValue: 'debezium',
    importance: 'MEDIUM',
    group: G_REPL,
    documentation: 'Name of the logical replication slot (lower-case letters, digits, underscore).',
    validator: {
      description: '[a-z0-9_]{1,63}',
      ensureValid(name, value) {
        if (!/^[a-z0-9_]{1,63}$/.test(String(value)))
          throw new ConfigException(
            `Invalid value ${String(value)} for configuration ${name}: slot names may contain only lower-case letters, digits and underscores (at most 63)`,
            { key: name },
          );
      },
    },
  })
  .define({
    name: 'slot.drop.on.stop',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_REPL,
    documentation: 'Drop the slot when the task stops (tests only: changes made while stopped are lost).',
  })
  .define({
    name: 'publication.name',
    type: 'STRING',
    defaultValue: 'dbz_publication',
    importance: 'MEDIUM',
    group: G_REPL,
    documentation: 'Name of the publication streamed through pgoutput.',
    validator: Validators.nonEmptyString(),
  })
  .define({
    name: 'publication.autocreate.mode',
    type: 'STRING',
    defaultValue: 'all_tables',
    importance: 'MEDIUM',
    group: G_REPL,
    documentation:
      'all_tables: CREATE PUBLICATION … FOR ALL TABLES; filtered: FOR TABLE <captured tables> (kept in sync); no_tables: an empty publication; disabled: the publication must exist.',
    validator: oneOf(['all_tables', 'filtered', 'no_tables', 'disabled']),
  })
  .define({
    name: 'status.update.interval.ms',
    type: 'LONG',
    defaultValue: 10000,
    importance: 'LOW',
    group: G_REPL,
    documentation: 'How often a standby status update is sent to the server while streaming.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'lsn.flush.mode',
    type: 'STRING',
    defaultValue: 'connector',
    importance: 'LOW',
    group: G_REPL,
    documentation:
      'connector: confirm the slot position after offsets are committed; manual: never confirm (an external process advances the slot).',
    validator: oneOf(['connector', 'manual'], { connector_and_driver: 'not supported; use connector' }),
  })
  .define({
    name: 'slot.max.retries',
    type: 'INT',
    defaultValue: 6,
    importance: 'LOW',
    group: G_REPL,
    documentation: 'Reconnection attempts after the replication connection fails.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'slot.retry.delay.ms',
    type: 'LONG',
    defaultValue: 10000,
    importance: 'LOW',
    group: G_REPL,
    documentation: 'Initial delay between reconnection attempts (doubles each time).',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'snapshot.mode',
    type: 'STRING',
    defaultValue: 'initial',
    importance: 'MEDIUM',
    group: G_SNAP,
    documentation:
      'initial: snapshot when no offset exists, then stream; initial_only: snapshot then stop; no_data (alias never): stream only; when_needed: snapshot when no offset exists or the slot is missing; always: snapshot at every start.',
    validator: oneOf(['initial', 'initial_only', 'no_data', 'never', 'when_needed', 'always'], {
      schema_only: 'renamed; use no_data',
      configuration_based: 'not supported',
      custom: 'not supported',
      recovery: 'not applicable to PostgreSQL',
    }),
  })
  .define({
    name: 'snapshot.fetch.size',
    type: 'INT',
    defaultValue: 10240,
    importance: 'LOW',
    group: G_SNAP,
    documentation: 'Rows fetched per round trip while snapshotting (bounds memory).',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'snapshot.isolation.mode',
    type: 'STRING',
    defaultValue: 'serializable',
    importance: 'LOW',
    group: G_SNAP,
    documentation:
      'Isolation of the snapshot transaction: serializable or repeatable_read (both see one consistent snapshot).',
    validator: oneOf(['serializable', 'repeatable_read'], {
      read_committed: 'not supported: it cannot give a consistent snapshot; use repeatable_read',
      read_uncommitted: 'not supported: it cannot give a consistent snapshot; use repeatable_read',
    }),
  })
  .define({
    name: 'schema.include.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_FILTER,
    documentation: 'Regular expressions matching schemas to capture.',
    validator: regexList,
  })
  .define({
    name: 'schema.exclude.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_FILTER,
    documentation: 'Regular expressions matching schemas not to capture.',
    validator: regexList,
  })
  .define({
    name: 'table.include.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_FILTER,
    documentation: 'Regular expressions matching <schema>.<table> to capture.',
    validator: regexList,
  })
  .define({
    name: 'table.exclude.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_FILTER,
    documentation: 'Regular expressions matching <schema>.<table> not to capture.',
    validator: regexList,
  })
  .define({
    name: 'column.include.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_FILTER,
    documentation: 'Regular expressions matching <schema>.<table>.<column> to include.',
    validator: regexList,
  })
  .define({
    name: 'column.exclude.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    group: G_FILTER,
    documentation: 'Regular expressions matching <schema>.<table>.<column> to exclude.',
    validator: regexList,
  })
  .define({
    name: 'message.prefix.include.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    group: G_FILTER,
    documentation:
      'Regular expressions matching prefixes of logical decoding messages (pg_logical_emit_message) to emit as op=m events.',
    validator: regexList,
  })
  .define({
    name: 'message.prefix.exclude.list',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    group: G_FILTER,
    documentation: 'Regular expressions matching prefixes of logical decoding messages not to emit.',
    validator: regexList,
  })
  .define({
    name: 'decimal.handling.mode',
    type: 'STRING',
    defaultValue: 'precise',
    importance: 'MEDIUM',
    group: G_TYPES,
    documentation: 'precise (Connect Decimal / VariableScaleDecimal), double or string.',
    validator: oneOf(['precise', 'double', 'string']),
  })
  .define({
    name: 'time.precision.mode',
    type: 'STRING',
    defaultValue: 'adaptive',
    importance: 'MEDIUM',
    group: G_TYPES,
    documentation: 'adaptive, adaptive_time_microseconds or connect.',
    validator: oneOf(['adaptive', 'adaptive_time_microseconds', 'connect'], {
      isostring: 'not supported yet',
      microseconds: 'not supported yet',
      nanoseconds: 'not supported yet',
      structured: 'not supported',
    }),
  })
  .define({
    name: 'binary.handling.mode',
    type: 'STRING',
    defaultValue: 'bytes',
    importance: 'LOW',
    group: G_TYPES,
    documentation: 'bytes, base64, base64-url-safe or hex.',
    validator: oneOf(['bytes', 'base64', 'base64-url-safe', 'hex']),
  })
  .define({
    name: 'interval.handling.mode',
    type: 'STRING',
    defaultValue: 'numeric',
    importance: 'LOW',
    group: G_TYPES,
    documentation: 'numeric (io.debezium.time.MicroDuration) or string (io.debezium.time.Interval).',
    validator: oneOf(['numeric', 'string']),
  })
  .define({
    name: 'hstore.handling.mode',
    type: 'STRING',
    defaultValue: 'json',
    importance: 'LOW',
    group: G_TYPES,
    documentation: 'json (io.debezium.data.Json) or map.',
    validator: oneOf(['json', 'map']),
  })
  .define({
    name: 'money.fraction.digits',
    type: 'SHORT',
    defaultValue: 2,
    importance: 'LOW',
    group: G_TYPES,
    documentation: 'Scale of the Decimal used for MONEY.',
    validator: Validators.between(0, 100),
  })
  .define({
    name: 'include.unknown.datatypes',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_TYPES,
    documentation: 'Emit columns of unknown types as bytes of their text form instead of leaving them out.',
  })
  .define({
    name: 'unavailable.value.placeholder',
    type: 'STRING',
    defaultValue: '__debezium_unavailable_value',
    importance: 'LOW',
    group: G_TYPES,
    documentation: 'Value emitted for unchanged TOASTed columns that pgoutput does not send.',
  })
  .define({
    name: 'tombstones.on.delete',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation: 'Emit a tombstone (null value) after each delete event.',
  })
  .define({
    name: 'skipped.operations',
    type: 'LIST',
    defaultValue: 't',
    importance: 'LOW',
    group: G_EVENTS,
    documentation:
      'Operations not emitted: c, u, d, t, or none. When set explicitly, an auto-created publication publishes only the other operations (WITH (publish = …)), as Debezium does.',
    validator: Validators.listOf('c', 'u', 'd', 't', 'none'),
  })
  .define({
    name: 'provide.transaction.metadata',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Emit BEGIN/END records to <topic.prefix>.transaction and a transaction block in each event.',
  })
  .define({
    name: 'tributary.debezium.layout',
    type: 'STRING',
    defaultValue: '3.6',
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation:
      'The Debezium wire layout of the records: 3.6 (Debezium 3.6.1: source.origin and source.origin_lsn, source.version 3.6.1.Final, __debezium.context.* headers unless extended.headers.enabled=false) or 3.2 (Debezium 3.1/3.2: no origin fields, source.version 3.2.0.Final, no context headers) for consumers written against the older layout.',
    validator: oneOf([...DEBEZIUM_LAYOUTS]),
  })
  .define({
    name: 'extended.headers.enabled',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    group: G_EVENTS,
    documentation:
      'Add the __debezium.context.* headers (connectorLogicalName, taskId, connectorName, runId) to data-change records, as Debezium 3.3+ (layout 3.6 only).',
  })
  .define({
    name: 'heartbeat.interval.ms',
    type: 'INT',
    defaultValue: 0,
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation:
      'Emit a heartbeat record carrying the current offset every N ms (0 = off); keeps the slot advancing on idle databases.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'heartbeat.action.query',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'SQL run on the source at each heartbeat (e.g. an upsert into a heartbeat table) to generate WAL.',
  })
  .define({
    name: 'max.batch.size',
    type: 'INT',
    defaultValue: 2048,
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Maximum records returned by one poll.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'poll.interval.ms',
    type: 'LONG',
    defaultValue: 500,
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'How long a poll waits for changes before returning an empty batch.',
    validator: Validators.atLeast(1),
  })
  // Keys Debezium users may carry over whose other values are not implemented: accepted only at their defaults.
  .define({
    name: 'xmin.fetch.interval.ms',
    type: 'LONG',
    defaultValue: 0,
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Only 0 is supported (source.xmin stays null).',
    validator: mustBe(0, 'xmin tracking is not supported; remove the key or set 0'),
  })
  .define({
    name: 'publish.via.partition.root',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    group: G_REPL,
    documentation: 'Only false is supported.',
    validator: mustBe(false, 'not supported; remove the key or set false'),
  })
  .define({
    name: 'schema.name.adjustment.mode',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Only none is supported.',
    validator: oneOf(['none'], { avro: 'not supported; use none', avro_unicode: 'not supported; use none' }),
  })
  .define({
    name: 'topic.naming.strategy',
    type: 'STRING',
    defaultValue: 'io.debezium.schema.SchemaTopicNamingStrategy',
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Only io.debezium.schema.SchemaTopicNamingStrategy is supported.',
    validator: oneOf(['io.debezium.schema.schematopicnamingstrategy'], {}),
  })
  .define({
    name: 'signal.data.collection',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: G_SNAP,
    documentation:
      'The signal table (<schema>.<table> with columns id, type, data) whose inserts drive incremental snapshots (execute-snapshot, stop-snapshot).',
  })
  .define({
    name: 'incremental.snapshot.chunk.size',
    type: 'INT',
    defaultValue: 1024,
    importance: 'LOW',
    group: G_SNAP,
    documentation: 'Rows read per incremental snapshot chunk.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'incremental.snapshot.watermarking.strategy',
    type: 'STRING',
    defaultValue: 'insert_insert',
    importance: 'LOW',
    group: G_SNAP,
    documentation: 'Only insert_insert (open and close watermark rows) is supported.',
    validator: oneOf(['insert_insert'], { insert_delete: 'not supported yet; use insert_insert' }),
  })
  .define({
    name: 'replica.identity.autoset.values',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: G_REPL,
    documentation: 'Not supported yet: set REPLICA IDENTITY with ALTER TABLE.',
    validator: {
      ensureValid(name, value) {
        throw new ConfigException(
          `Invalid value ${String(value)} for configuration ${name}: not supported yet; run ALTER TABLE … REPLICA IDENTITY yourself and remove the key`,
          { key: name },
        );
      },
    },
  })
  .define({
    name: 'message.key.columns',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    group: G_EVENTS,
    documentation:
      'Custom message keys: `<schema>.<table>:<column>[,<column>…]` entries separated by `;` (regular expressions, as Debezium). Listed tables are keyed by those columns instead of the primary key; with REPLICA IDENTITY DEFAULT delete events carry only the primary key, so use REPLICA IDENTITY FULL for non-key columns.',
    validator: {
      ensureValid(name, value) {
        MessageKeyColumns.parse(value as string | null, name);
      },
    },
  });

/** Pattern keys (column.mask.*, column.truncate.*, …) that Debezium accepts and Tributary does not implement yet. */
const UNSUPPORTED_KEY_PATTERNS: Array<[RegExp, string]> = [
  [/^column\.propagate\.source\.type$/, 'source type propagation is not supported yet'],
  [/^datatype\.propagate\.source\.type$/, 'source type propagation is not supported yet'],
  [/^converters$/, 'custom converters are not supported'],
  [/^snapshot\.select\.statement\.overrides/, 'snapshot select overrides are not supported yet'],
];

/** Debezium keys accepted only at the values that mean "feature off" (anything else is not implemented). */
const ONLY_VALUES: Array<[string, string[], string]> = [
  ['database.initial.statements', [''], 'initial statements are not supported'],
  [
    'database.sslfactory',
    [''],
    'custom SSL socket factories are not supported; database.sslmode=require skips certificate checks, verify-ca/verify-full check against database.sslrootcert',
  ],
  [
    'snapshot.include.collection.list',
    [''],
    'use table.include.list; a separate snapshot collection list is not supported',
  ],
  ['snapshot.max.threads', ['1'], 'snapshots run on one thread'],
  ['snapshot.delay.ms', ['0'], 'snapshot delays are not supported'],
  ['slot.stream.params', [''], 'extra pgoutput parameters are not supported'],
  ['slot.failover', ['false'], 'failover slots are not supported'],
  ['include.schema.comments', ['false'], 'column comments in schemas are not supported'],
  [
    'event.processing.failure.handling.mode',
    ['fail'],
    'only fail is supported; use errors.tolerance for converter/transform failures',
  ],
  ['signal.enabled.channels', ['', 'source'], 'signals are not supported yet'],
  ['notification.enabled.channels', [''], 'notifications are not supported'],
  ['offset.mismatch.strategy', ['no_validation'], 'only no_validation is supported'],
  [
    'schema.refresh.mode',
    ['columns_diff', 'columns_diff_exclude_unchanged_toast'],
    'must be columns_diff or columns_diff_exclude_unchanged_toast (both behave the same here: schemas follow Relation messages)',
  ],
];

export function rejectUnsupportedKeys(props: Record<string, string>): void {
  new ColumnMappers(props); // validates column.mask.* / column.truncate.* keys
  for (const [key, allowed, why] of ONLY_VALUES) {
    const v = props[key];
    if (v !== undefined && !allowed.includes(v.trim().toLowerCase()))
      throw new ConfigException(`Configuration ${key}=${v} is not supported: ${why}.`, { key });
  }
  for (const key of Object.keys(props)) {
    for (const [re, why] of UNSUPPORTED_KEY_PATTERNS) {
      if (re.test(key) && props[key] !== '')
        throw new ConfigException(`Configuration ${key}=${props[key]} is not supported: ${why}. Remove the key.`, {
          key,
        });
    }
  }
}

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
  schemaInclude: RegExp[];
  schemaExclude: RegExp[];
  tableInclude: RegExp[];
  tableExclude: RegExp[];
  columnInclude: RegExp[];
  columnExclude: RegExp[];
  messagePrefixInclude: RegExp[];
  messagePrefixExclude: RegExp[];
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
  pollIntervalMs: number;
  columnMappers: ColumnMappers;
  messageKeyColumns: MessageKeyColumns | null;
  signalDataCollection: string | null;
  incrementalChunkSize: number;
}

/** Anchored, as Debezium matches filter expressions against the whole identifier. */
const anchored = (patterns: string[]): RegExp[] =>
  patterns.filter((p) => p !== '').map((p) => new RegExp(`^(?:${p})$`, 'i'));

export function parseSettings(props: Record<string, string>): PostgresConnectorSettings {
  rejectUnsupportedKeys(props);
  const c = new ParsedConfig(POSTGRES_CONFIG, props);
  if (c.getList('schema.include.list').length > 0 && c.getList('schema.exclude.list').length > 0) {
    throw new ConfigException('schema.include.list and schema.exclude.list cannot both be set; keep one', {
      key: 'schema.exclude.list',
    });
  }
  if (c.getList('table.include.list').length > 0 && c.getList('table.exclude.list').length > 0) {
    throw new ConfigException('table.include.list and table.exclude.list cannot both be set; keep one', {
      key: 'table.exclude.list',
    });
  }
  if (c.getList('message.prefix.include.list').length > 0 && c.getList('message.prefix.exclude.list').length > 0) {
    throw new ConfigException(
      'message.prefix.include.list and message.prefix.exclude.list cannot both be set; keep one',
      { key: 'message.prefix.exclude.list' },
    );
  }
  if (c.getList('column.include.list').length > 0 && c.getList('column.exclude.list').length > 0) {
    throw new ConfigException('column.include.list and column.exclude.list cannot both be set; keep one', {
      key: 'column.exclude.list',
    });
  }
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
    schemaInclude: anchored(c.getList('schema.include.list')),
    schemaExclude: anchored(c.getList('schema.exclude.list')),
    tableInclude: anchored(c.getList('table.include.list')),
    tableExclude: anchored(c.getList('table.exclude.list')),
    columnInclude: anchored(c.getList('column.include.list')),
    columnExclude: anchored(c.getList('column.exclude.list')),
    messagePrefixInclude: anchored(c.getList('message.prefix.include.list')),
    messagePrefixExclude: anchored(c.getList('message.prefix.exclude.list')),
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
    contextHeaders:
      c.getString('tributary.debezium.layout') === '3.6' && c.getBoolean('extended.headers.enabled')
        ? contextHeaders(c.getString('topic.prefix'), 0)
        : null,
    heartbeatIntervalMs: c.getInt('heartbeat.interval.ms'),
    heartbeatActionQuery: c.getOptionalString('heartbeat.action.query'),
    maxBatchSize: c.getInt('max.batch.size'),
    pollIntervalMs: c.getLong('poll.interval.ms'),
    columnMappers: new ColumnMappers(props),
    messageKeyColumns: MessageKeyColumns.parse(props['message.key.columns']),
    signalDataCollection: c.getOptionalString('signal.data.collection'),
    incrementalChunkSize: c.getInt('incremental.snapshot.chunk.size'),
  };
}

/** Whether <schema>.<table> passes the schema/table include/exclude lists. */
export function isTableCaptured(s: PostgresConnectorSettings, schema: string, table: string): boolean {
  if (s.schemaInclude.length > 0 && !s.schemaInclude.some((r) => r.test(schema))) return false;
  if (s.schemaExclude.some((r) => r.test(schema))) return false;
  const id = `${schema}.${table}`;
  if (s.tableInclude.length > 0 && !s.tableInclude.some((r) => r.test(id))) return false;
  if (s.tableExclude.some((r) => r.test(id))) return false;
  return true;
}

export function isMessagePrefixCaptured(s: PostgresConnectorSettings, prefix: string): boolean {
  if (s.messagePrefixInclude.length > 0 && !s.messagePrefixInclude.some((r) => r.test(prefix))) return false;
  return !s.messagePrefixExclude.some((r) => r.test(prefix));
}

export function isColumnCaptured(s: PostgresConnectorSettings, schema: string, table: string, column: string): boolean {
  const id = `${schema}.${table}.${column}`;
  if (s.columnInclude.length > 0 && !s.columnInclude.some((r) => r.test(id))) return false;
  if (s.columnExclude.some((r) => r.test(id))) return false;
  return true;
}

/**
 * The PostgreSQL connector's configuration keys, named and defaulted as Debezium's
 * PostgresConnectorConfig (the subset Tributary implements): the relational keys every Debezium
 * database connector shares (connectors/shared/config), then PostgreSQL's own. Values outside what
 * is implemented are rejected by validators naming the key, the value and the fix.
 */
import { ConfigDef, Validators } from '../../sdk/config.ts';
import { ConfigException } from '../../sdk/errors.ts';
import { relationalConfig } from '../shared/config/relational-config.ts';
import { mustBe, oneOf, regexList } from '../shared/config/validators.ts';
import { DEBEZIUM_LAYOUTS } from './source-info.ts';

const G_CONN = 'Connection';
const G_REPL = 'Replication';
const G_SNAP = 'Snapshot';
const G_FILTER = 'Filters';
const G_TYPES = 'Data types';
const G_EVENTS = 'Events';

/** What Tributary's PostgreSQL connector adds to Debezium's descriptions of the shared keys. */
const PG_NOTES: Record<string, string> = {
  'unavailable.value.placeholder': 'emitted for unchanged TOASTed columns that pgoutput does not send.',
  'skipped.operations':
    'when set explicitly, an auto-created publication publishes only the other operations (WITH (publish = …)), as Debezium does.',
  'heartbeat.interval.ms':
    'the heartbeat record carries the current offset, which keeps the slot advancing on idle databases.',
  'message.key.columns':
    'with REPLICA IDENTITY DEFAULT delete events carry only the primary key, so use REPLICA IDENTITY FULL for non-key columns.',
  'extended.headers.enabled':
    'the headers are connectorLogicalName, taskId, connectorName and runId (runId not in layout 3.2).',
  'signal.data.collection':
    'one table, <schema>.<table> (a bare name is in public), with columns id, type, data; its inserts drive incremental snapshots (execute-snapshot, stop-snapshot).',
  'incremental.snapshot.watermarking.strategy': 'only insert_insert is supported.',
  'signal.enabled.channels': 'only source (the signal table) is supported.',
};

export const POSTGRES_CONFIG = new ConfigDef()
  .merge(
    relationalConfig({
      defaultPort: 5432,
      snapshotFetchSize: 10240,
      timePrecision: {
        defaultValue: 'adaptive',
        supported: ['adaptive', 'adaptive_time_microseconds', 'connect'],
        unsupported: {
          isostring: 'not supported yet',
          microseconds: 'not supported yet',
          nanoseconds: 'not supported yet',
          structured: 'not supported',
        },
      },
      notes: PG_NOTES,
    }),
  )
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
    name: 'tributary.debezium.layout',
    type: 'STRING',
    defaultValue: '3.6',
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation:
      'The Debezium wire layout of the records: 3.6 (Debezium 3.6.1: source.origin and source.origin_lsn, source.version 3.6.1.Final, __debezium.context.* headers unless extended.headers.enabled=false) or 3.2 (Debezium 3.1/3.2: no origin fields, source.version 3.2.0.Final, context headers without runId) for consumers written against the older layout.',
    validator: oneOf([...DEBEZIUM_LAYOUTS]),
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
    name: 'max.queue.size',
    type: 'INT',
    defaultValue: 8192,
    importance: 'LOW',
    group: G_EVENTS,
    documentation:
      'Replication messages (changes, BEGIN and COMMIT) read ahead of the task before the socket is paused; QueueTotalCapacity reports it, as Debezium its queue.',
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
    name: 'max.queue.size.in.bytes',
    type: 'LONG',
    defaultValue: 0,
    importance: 'LOW',
    group: G_EVENTS,
    documentation: 'Only 0 is supported: the read-ahead is bounded by max.queue.size messages.',
    validator: mustBe(
      0,
      'a bound in bytes is not supported by the PostgreSQL connector yet (the read-ahead is bounded by max.queue.size messages); remove the key or set 0',
    ),
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
  });

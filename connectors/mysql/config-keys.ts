/**
 * The MySQL/MariaDB source connector's configuration keys, with Debezium's names and defaults: the
 * relational keys every Debezium database connector shares (connectors/shared/config), then the
 * binlog connectors' own (BinlogConnectorConfig / MySqlConnectorConfig).
 */
import { ConfigDef, Validators } from '../../sdk/config.ts';
import { relationalConfig } from '../shared/config/relational-config.ts';
import { notTrue, oneOf, regexList, twoPartName } from '../shared/config/validators.ts';
import { MYSQL_SSL_MODES } from '../shared/tls/mysql-tls.ts';
import { KAFKA_HISTORY_CONFIG } from './schema/kafka-history-config.ts';

export const MYSQL_CONNECTOR_CLASS = 'io.debezium.connector.mysql.MySqlConnector';
export const MARIADB_CONNECTOR_CLASS = 'io.debezium.connector.mariadb.MariaDbConnector';

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

/** What Tributary's MySQL/MariaDB connector adds to Debezium's descriptions of the shared keys. */
const MYSQL_NOTES: Record<string, string> = {
  'unavailable.value.placeholder':
    'stands for BLOB/TEXT values a binlog_row_image=NOBLOB row image leaves out (bytes for binary columns, text otherwise).',
  'snapshot.fetch.size': 'accepted for compatibility; rows are always streamed.',
  'signal.enabled.channels': 'only source (the signal table) is supported.',
  'event.processing.failure.handling.mode':
    'only fail is supported: a corrupt or undecodable event fails the task at its file and position.',
  'extended.headers.enabled':
    'the headers are connectorLogicalName, taskId, connectorName (runId from layout 3.5), on data-change, tombstone and schema-change records.',
  'signal.data.collection':
    'one table, <database>.<table> (columns id, type, data), read from the binlog; its inserts drive incremental snapshots (execute-snapshot, stop-snapshot, pause-snapshot, resume-snapshot); the connector user needs INSERT on it.',
  'incremental.snapshot.watermarking.strategy':
    'only insert_insert (open and close watermark rows inserted into the signal table) is supported.',
};

export const MYSQL_SOURCE_CONFIG = new ConfigDef()
  .merge(
    relationalConfig({
      defaultPort: 3306,
      snapshotFetchSize: null,
      timePrecision: {
        defaultValue: 'adaptive_time_microseconds',
        supported: ['adaptive_time_microseconds', 'connect'],
        unsupported: { adaptive: "not supported by Debezium's binlog connectors; use adaptive_time_microseconds" },
      },
      signalCollection: twoPartName('<database>.<table>'),
      notes: MYSQL_NOTES,
    }),
  )
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
    validator: oneOf([...MYSQL_SSL_MODES]),
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
    name: 'bigint.unsigned.handling.mode',
    type: 'STRING',
    defaultValue: 'long',
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation: 'long (int64, values above 2^63-1 wrap) or precise (Decimal, scale 0).',
    validator: oneOf(['long', 'precise']),
  })
  .define({
    name: 'tributary.debezium.layout',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    group: G_EVENTS,
    documentation:
      'The Debezium wire layout of the records: 3.5 (Debezium 3.5.0, the default of the MariaDB connector class: source.version 3.5.0.Final, __debezium.context.* headers unless extended.headers.enabled=false), 3.6 (the default of the MySQL connector class: the same with 3.6.1.Final) or 3.2 (Debezium 3.2.0: source.version 3.2.0.Final, context headers without runId) for consumers written against the older layout.',
    validator: oneOf(['3.6', '3.5', '3.2']),
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
    name: 'max.queue.size.in.bytes',
    type: 'LONG',
    defaultValue: 0,
    importance: 'LOW',
    group: G_EVENTS,
    documentation:
      "Bytes of binlog events buffered before the socket is paused (Debezium's bound on its queue in bytes; MaxQueueSizeInBytes and CurrentQueueSizeInBytes report it). 0, the default, sets no bound of the user's, as in Debezium: the read-ahead is then still paused at 1 MiB, so that rows of megabytes cannot fill the memory.",
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'snapshot.mode',
    type: 'STRING',
    defaultValue: 'initial',
    importance: 'LOW',
    group: G_SNAPSHOT,
    documentation:
      'initial, initial_only, no_data (schema_only), never, when_needed, always or recovery (schema_only_recovery: rebuilds a lost or corrupt schema history from the current table structures, then streams from the stored offset).',
    validator: oneOf([...SNAPSHOT_MODES]),
  })
  .define({
    name: 'snapshot.locking.mode',
    type: 'STRING',
    defaultValue: 'minimal',
    importance: 'MEDIUM',
    group: G_SNAPSHOT,
    documentation: 'minimal (global read lock while the schema and position are read) or none.',
    validator: oneOf(['minimal', 'none']),
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
    validator: oneOf([
      'io.debezium.storage.file.history.fileschemahistory',
      'io.debezium.storage.kafka.history.kafkaschemahistory',
      'io.debezium.relational.history.memoryschemahistory',
    ]),
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
  .merge(KAFKA_HISTORY_CONFIG)
  .define({
    name: 'tasks.max',
    type: 'INT',
    defaultValue: 1,
    importance: 'LOW',
    documentation: 'Always one task (one binlog reader).',
    validator: Validators.between(1, 1),
  });

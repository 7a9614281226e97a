/** Worker configuration (Kafka Connect's WorkerConfig / StandaloneConfig keys plus Tributary's own). */
import path from 'node:path';
import { ConfigDef, ParsedConfig, Validators } from '../config/config-def.ts';
import { ConfigException } from '../errors.ts';
import { parseListeners } from '../config/listener-uris.ts';

export const WORKER_CONFIG_DEF = new ConfigDef()
  .define({
    name: 'bootstrap.servers',
    type: 'LIST',
    defaultValue: '',
    importance: 'HIGH',
    documentation:
      'Kafka brokers. Empty (the default): records go to the embedded log in tributary.data.dir, no Kafka needed. Kafka client settings (security.protocol, sasl.*, ssl.*) apply to every client of the worker; producer.*, consumer.* and admin.* keys to one kind of client (see docs/kafka-producing.md and the Connections section of docs/security.md).',
  })
  .define({
    name: 'key.converter',
    type: 'CLASS',
    defaultValue: 'org.apache.kafka.connect.json.JsonConverter',
    importance: 'HIGH',
    documentation: 'Converter class for record keys.',
  })
  .define({
    name: 'value.converter',
    type: 'CLASS',
    defaultValue: 'org.apache.kafka.connect.json.JsonConverter',
    importance: 'HIGH',
    documentation: 'Converter class for record values.',
  })
  .define({
    name: 'header.converter',
    type: 'CLASS',
    defaultValue: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    importance: 'LOW',
    documentation: 'HeaderConverter class for record headers.',
  })
  .define({
    name: 'offset.flush.interval.ms',
    type: 'LONG',
    defaultValue: 60000,
    importance: 'LOW',
    documentation: 'Interval at which to try committing offsets for tasks.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'offset.flush.timeout.ms',
    type: 'LONG',
    defaultValue: 5000,
    importance: 'LOW',
    documentation:
      'Maximum number of milliseconds to wait for records to flush and partition offset data to be committed.',
  })
  .define({
    name: 'task.shutdown.graceful.timeout.ms',
    type: 'LONG',
    defaultValue: 5000,
    importance: 'LOW',
    documentation: 'Amount of time to wait for tasks to shutdown gracefully.',
  })
  .define({
    name: 'offset.storage.file.filename',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation:
      'Accepted for connect-standalone compatibility; Tributary keeps source offsets in tributary.data.dir (defaults to the directory of this file when tributary.data.dir is unset).',
  })
  .define({
    name: 'plugin.path',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'Directories of npm plugin packages (connectors, transforms, converters).',
  })
  .define({
    name: 'listeners',
    type: 'LIST',
    defaultValue: 'http://127.0.0.1:8083',
    importance: 'HIGH',
    documentation:
      "REST listener URIs, http://host:port or https://host:port. The default binds loopback only; an empty host (http://:8083, Kafka Connect's default) binds every interface. Port 0 picks a free port. See docs/security.md.",
  })
  .define({
    name: 'admin.listeners',
    type: 'LIST',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'Listeners for the /admin endpoints (loggers). Unset: /admin is served on listeners; an empty value disables /admin; otherwise /admin is served only here (as Kafka Connect).',
  })
  .define({
    name: 'rest.advertised.host.name',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'Host name other workers and status use for this worker.',
  })
  .define({
    name: 'rest.advertised.port',
    type: 'INT',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'Port advertised in worker ids.',
  })
  .define({
    name: 'rest.advertised.listener',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'Protocol other workers use to reach this one (http or https); default: the protocol of the first listener.',
  })
  .define({
    name: 'listeners.https.ssl.keystore.type',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      "Keystore format for https listeners: PKCS12 (default) or PEM (a file with the private key and certificate chain). Without any listeners.https.* key the worker's ssl.* keys apply (as Kafka Connect).",
  })
  .define({
    name: 'listeners.https.ssl.keystore.location',
    type: 'STRING',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: "Keystore file (PKCS12 or PEM) with the https listener's private key and certificate chain.",
  })
  .define({
    name: 'listeners.https.ssl.keystore.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation: 'Password of the PKCS12 keystore.',
  })
  .define({
    name: 'listeners.https.ssl.key.password',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'MEDIUM',
    documentation:
      'Password of an encrypted PEM private key (or of the key in the PKCS12 keystore when it differs from the keystore password).',
  })
  .define({
    name: 'listeners.https.ssl.keystore.key',
    type: 'PASSWORD',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'PEM private key given inline (with ssl.keystore.type=PEM and ssl.keystore.certificate.chain).',
  })
  .define({
    name: 'listeners.https.ssl.keystore.certificate.chain',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'PEM certificate chain given inline.',
  })
  .define({
    name: 'listeners.https.ssl.truststore.type',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'PEM: the CA certificates that sign client certificates (for ssl.client.auth).',
  })
  .define({
    name: 'listeners.https.ssl.truststore.location',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation: 'PEM file of CA certificates that sign client certificates.',
  })
  .define({
    name: 'listeners.https.ssl.client.auth',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'LOW',
    documentation: 'TLS client certificates on https listeners: none, requested or required.',
    validator: Validators.in('none', 'requested', 'required'),
  })
  .define({
    name: 'rest.auth.credentials.file',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation:
      "HTTP basic authentication: a file of `user: password[, role]` lines (the format of Kafka Connect's BasicAuthSecurityRestExtension credentials file plus a role: read, operate or admin; none means read). Unset together with rest.auth.tokens.file: no authentication.",
  })
  .define({
    name: 'rest.auth.tokens.file',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Bearer tokens (Authorization: Bearer <token>): a file of `name: token[, role]` lines.',
  })
  .define({
    name: 'access.control.allow.origin',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation:
      'CORS: origins allowed to call the REST API from a browser (* or a comma-separated list). Empty (the default): no CORS headers, preflights are not answered.',
  })
  .define({
    name: 'access.control.allow.methods',
    type: 'STRING',
    defaultValue: '',
    importance: 'LOW',
    documentation: 'CORS: methods allowed for cross-origin calls (comma-separated); empty means GET,POST,HEAD.',
  })
  .define({
    name: 'rest.request.max.bytes',
    type: 'INT',
    defaultValue: 4 * 1024 * 1024,
    importance: 'LOW',
    documentation: 'Largest REST request body accepted; larger ones get 413.',
    validator: Validators.atLeast(1024),
  })
  .define({
    name: 'rest.rate.limit.requests.per.second',
    type: 'DOUBLE',
    defaultValue: 100,
    importance: 'LOW',
    documentation:
      'REST requests per second each client address may make (sustained); more get 429 with Retry-After. 0 disables the limit.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'rest.rate.limit.burst',
    type: 'INT',
    defaultValue: 500,
    importance: 'LOW',
    documentation:
      'REST requests a client address may make at once before rest.rate.limit.requests.per.second applies.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'metrics.prometheus.families',
    type: 'LIST',
    defaultValue: 'strimzi,confluent',
    importance: 'LOW',
    documentation:
      "Which Kafka Connect metric name families /metrics writes: strimzi (Strimzi's jmx_exporter rules: kafka_connect_worker_*, kafka_connect_source_task_*, kafka_connect_connector_status), confluent (Confluent's jmx-monitoring-stacks rules: kafka_connect_connect_worker_metrics_*, kafka_connect_source_task_metrics_*, kafka_connect_connector_metrics, kafka_connect_app), or both (the default). Debezium metrics and process metrics are always written. See docs/metrics.md.",
    validator: Validators.listOf('strimzi', 'confluent'),
  })
  .define({
    name: 'topic.creation.enable',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation: 'Whether source connectors may create their topics by their topic.creation.* settings.',
  })
  .define({
    name: 'topic.tracking.enable',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation: 'Track the topics used by connectors.',
  })
  .define({
    name: 'topic.tracking.allow.reset',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'LOW',
    documentation: 'Allow resets of tracked topics.',
  })
  .define({
    name: 'consumer.max.poll.records',
    type: 'INT',
    defaultValue: 500,
    importance: 'LOW',
    documentation: 'Maximum records a sink task receives in one put().',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'connector.client.config.override.policy',
    type: 'STRING',
    defaultValue: 'All',
    importance: 'MEDIUM',
    documentation:
      'Which producer.override.*, consumer.override.* and admin.override.* keys connectors may set: All (any key the Kafka transport honours), None, or Principal (only sasl.jaas.config, sasl.mechanism, security.protocol). Class names (org.apache.kafka.connect.connector.policy.AllConnectorClientConfigOverridePolicy, …) are accepted too.',
  })
  .define({
    name: 'config.providers',
    type: 'LIST',
    defaultValue: '',
    importance: 'LOW',
    documentation:
      'Names of config providers that resolve ${name:[path:]key} placeholders in worker and connector configs; none by default. Each needs config.providers.<name>.class (org.apache.kafka.common.config.provider.FileConfigProvider, DirectoryConfigProvider or EnvVarConfigProvider) and takes config.providers.<name>.param.* (allowed.paths for the file and directory providers, allowlist.pattern for the environment provider).',
  })
  .define({
    name: 'file.allowed.paths',
    type: 'LIST',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation:
      'Directories the FileStream connectors may read (FileStreamSource) and write (FileStreamSink), relative ones against the working directory; symlinks and .. are resolved before the check. Empty (the default): FileStream connectors with a file are refused.',
  })
  .define({
    name: 'tributary.data.dir',
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    documentation:
      'Directory of the embedded log, source offsets and persisted connector configs (default ./.tributary/data).',
  })
  .define({
    name: 'tributary.log.sync',
    type: 'STRING',
    defaultValue: 'durable',
    importance: 'MEDIUM',
    documentation:
      'durable: fsync every commit (nothing acknowledged is lost on power failure); os: leave flushing to the OS (survives process crashes only).',
    validator: Validators.in('durable', 'os'),
  })
  .define({
    name: 'tributary.log.default.partitions',
    type: 'INT',
    defaultValue: 1,
    importance: 'LOW',
    documentation: 'Partitions of topics the embedded log creates on first write.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'tributary.data.allow.reinit',
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'LOW',
    documentation:
      'Start a new, empty embedded log when the store marker (tributary-store.json) says data should be in tributary.data.dir but data.mdb is missing, empty or another store. Off (the default): the worker refuses to start, naming the file, so a lost store is never silently replaced by an empty one.',
  })
  .define({
    name: 'log.retention.ms',
    type: 'LONG',
    defaultValue: 7 * 24 * 60 * 60 * 1000,
    importance: 'MEDIUM',
    documentation:
      "Embedded log: how long records are kept in topics that do not set retention.ms themselves (Kafka's broker default of the same name); -1 keeps them forever. Deletion is by whole record batch, oldest first.",
    validator: Validators.atLeast(-1),
  })
  .define({
    name: 'log.retention.bytes',
    type: 'LONG',
    defaultValue: -1,
    importance: 'MEDIUM',
    documentation:
      "Embedded log: the most bytes a partition of a topic that does not set retention.bytes itself keeps (Kafka's broker default of the same name); -1 (the default): no size bound. Set it to bound the data directory.",
    validator: Validators.atLeast(-1),
  })
  .define({
    name: 'log.retention.check.interval.ms',
    type: 'LONG',
    defaultValue: 5 * 60 * 1000,
    importance: 'LOW',
    documentation:
      "Embedded log: how often retention runs in the background (Kafka's broker setting of the same name).",
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'tributary.log.level',
    type: 'STRING',
    defaultValue: 'info',
    importance: 'LOW',
    documentation: 'Log level: trace, debug, info, warn, error, silent.',
  })
  .define({
    name: 'log.format',
    type: 'STRING',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      "Worker log lines: json (one JSON object a line, for log shippers) or text (Kafka Connect's log4j layout: `[time] LEVEL [connector|task-N] message (logger)`). Unset: text when stderr is a terminal, json otherwise.",
    validator: Validators.in('json', 'text'),
  });

export class WorkerConfig extends ParsedConfig {
  constructor(props: Record<string, string>, def: ConfigDef = WORKER_CONFIG_DEF) {
    super(def, props);
    // A malformed listener fails here, before the worker opens anything it would have to close.
    parseListeners('listeners', this.getList('listeners'));
    parseListeners('admin.listeners', this.getList('admin.listeners'));
  }

  get dataDir(): string {
    const explicit = this.getString('tributary.data.dir');
    if (explicit) return path.resolve(explicit);
    const offsetFile = this.getString('offset.storage.file.filename');
    if (offsetFile) return path.resolve(path.dirname(offsetFile), 'tributary-data');
    return path.resolve('.tributary', 'data');
  }

  /** The first listener (the one worker ids and advertised URLs name). */
  get listener(): { host: string; port: number } {
    const [first] = parseListeners('listeners', this.getList('listeners'));
    if (!first)
      throw new ConfigException('listeners is empty: give at least one listener, e.g. http://127.0.0.1:8083', {
        key: 'listeners',
      });
    return { host: first.host || '0.0.0.0', port: first.port };
  }
}

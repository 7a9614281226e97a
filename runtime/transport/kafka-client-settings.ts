/**
 * The Kafka client settings Tributary's transport honours, as Kafka Connect users write them: the
 * worker's `producer.*` / `consumer.*` / `admin.*` keys, overridden per connector by
 * `producer.override.*` / `consumer.override.*` (Worker.java's producerConfigs/consumerConfigs:
 * Connect's defaults, then the worker's prefixed keys, then the connector's overrides). A Java
 * client key the transport cannot honour is refused with an error naming it, never ignored.
 */
import { ConfigDef, Validators } from '../config/config-def.ts';
import { ConfigException } from '../errors.ts';
import { KAFKA_CLIENT_SECURITY_KEYS } from './kafka-client-config.ts';
import { compressionTypeOf, type CompressionName } from './kafka-compression.ts';

export type ClientKind = 'producer' | 'consumer' | 'admin';

/** Kafka Connect's defaults for its producers: retry practically forever, acks=all, one request in flight. */
const INT_MAX = 2147483647;

/** The secret ones among the security keys (typed PASSWORD so they are masked). */
const PASSWORD_KEYS = new Set([
  'sasl.jaas.config',
  'ssl.truststore.password',
  'ssl.keystore.password',
  'ssl.key.password',
  'ssl.keystore.key',
]);

/** Login and TLS keys a client may set for itself (read by kafka-client-config.ts over the worker's plain ones). */
const SECURITY_KEYS = (def: ConfigDef): ConfigDef => {
  for (const name of KAFKA_CLIENT_SECURITY_KEYS)
    def.define({
      name,
      type: PASSWORD_KEYS.has(name) ? 'PASSWORD' : 'STRING',
      defaultValue: null,
      importance: 'MEDIUM',
      documentation: `This client's ${name}; default the worker's.`,
    });
  return def
    .define({
      name: 'client.id',
      type: 'STRING',
      defaultValue: null,
      importance: 'LOW',
      documentation:
        "Client id sent to the brokers; default Kafka Connect's (connector-producer-<connector>-<task>, connector-consumer-…).",
    })
    .define({
      name: 'request.timeout.ms',
      type: 'INT',
      defaultValue: 30000,
      importance: 'MEDIUM',
      documentation: "How long to wait for a broker's response to one request.",
      validator: Validators.atLeast(0),
    })
    .define({
      name: 'retry.backoff.ms',
      type: 'LONG',
      defaultValue: 100,
      importance: 'LOW',
      documentation: 'Wait before the first retry of a failed request (doubling after each failed attempt).',
      validator: Validators.atLeast(0),
    });
};

export const KAFKA_PRODUCER_CONFIG_DEF = SECURITY_KEYS(new ConfigDef())
  .define({
    name: 'acks',
    type: 'STRING',
    defaultValue: 'all',
    importance: 'HIGH',
    documentation:
      'Acknowledgements a write waits for: all (-1) = every in-sync replica, 1 = the leader, 0 = none (offsets then unknown). The idempotent and transactional producers need all.',
    validator: Validators.in('all', '-1', '0', '1'),
  })
  .define({
    name: 'enable.idempotence',
    type: 'BOOLEAN',
    defaultValue: true,
    importance: 'MEDIUM',
    documentation:
      "Producer ids and sequence numbers so a retried batch is written once. Forced on for exactly-once source tasks. (Kafka Connect turns it off by default for brokers older than 2.8; Tributary keeps the Java producer's default.)",
  })
  .define({
    name: 'batch.size',
    type: 'INT',
    defaultValue: 16384,
    importance: 'MEDIUM',
    documentation:
      "Upper bound in bytes of one record batch per partition (Kafka's record-batch v2 encoding, before compression); a larger record goes in a batch of its own; 0 = one record per batch.",
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'linger.ms',
    type: 'LONG',
    defaultValue: 0,
    importance: 'MEDIUM',
    documentation:
      "How long a batch that is not full waits for more records before it is sent (Kafka 3.x's default 0: as soon as a request slot is free; records still accumulate into batches while requests are in flight).",
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'buffer.memory',
    type: 'LONG',
    defaultValue: 33554432,
    importance: 'HIGH',
    documentation:
      'Bytes of records the producer holds while they wait for their acknowledgement; when full, the source task waits before handing over more (as KafkaProducer.send blocks).',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'max.request.size',
    type: 'INT',
    defaultValue: 1048576,
    importance: 'MEDIUM',
    documentation:
      "Upper bound in bytes of one produce request; a record whose batch alone would exceed it fails (RecordTooLargeException) naming topic, partition, size and limit. The topic's max.message.bytes (from the broker, cached per topic) bounds every batch too.",
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'compression.type',
    type: 'STRING',
    defaultValue: 'none',
    importance: 'HIGH',
    documentation: 'Record-batch compression: none, gzip, snappy, lz4 or zstd (all five are read as well).',
    validator: Validators.in('none', 'gzip', 'snappy', 'lz4', 'zstd'),
  })
  .define({
    name: 'delivery.timeout.ms',
    type: 'INT',
    defaultValue: 120000,
    importance: 'MEDIUM',
    documentation:
      "How long a batch is retried after transient errors (a broker down, leadership moving) before the send fails. Kafka Connect sets it to 2147483647 (retry forever); Tributary keeps the Java producer's 120000 so a lost cluster fails the task visibly.",
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'retries',
    type: 'INT',
    defaultValue: INT_MAX,
    importance: 'LOW',
    documentation:
      'How many times a failed batch is sent again (within delivery.timeout.ms); the idempotent producer needs at least 1.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'max.in.flight.requests.per.connection',
    type: 'INT',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      "Unacknowledged produce requests per broker connection; at most 5 with idempotence, whose sequence numbers keep each partition in order across retries. Default 5 with idempotence (the Java producer's), 1 without (Kafka Connect's worker default, which turns idempotence off). Exactly-once (transactional) tasks send one request at a time.",
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'transaction.timeout.ms',
    type: 'INT',
    defaultValue: null,
    importance: 'LOW',
    documentation:
      'Exactly-once source tasks: how long the broker lets a transaction stay open; default from transaction.boundary (60000, or longer for long intervals).',
    validator: Validators.atLeast(1),
  });

export const KAFKA_CONSUMER_CONFIG_DEF = SECURITY_KEYS(new ConfigDef())
  .define({
    name: 'session.timeout.ms',
    type: 'INT',
    defaultValue: 10000,
    importance: 'MEDIUM',
    documentation: "How long the group coordinator waits for a heartbeat before it moves the consumer's partitions.",
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'heartbeat.interval.ms',
    type: 'INT',
    defaultValue: 3000,
    importance: 'LOW',
    documentation: 'Heartbeat period to the group coordinator.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'max.poll.records',
    type: 'INT',
    defaultValue: 500,
    importance: 'LOW',
    documentation: 'Maximum records a sink task receives in one put().',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'fetch.max.wait.ms',
    type: 'INT',
    defaultValue: 500,
    importance: 'LOW',
    documentation: 'How long a fetch waits on the broker for fetch.min.bytes.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'fetch.min.bytes',
    type: 'INT',
    defaultValue: 1,
    importance: 'LOW',
    documentation: 'Bytes a fetch waits for (up to fetch.max.wait.ms).',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'fetch.max.bytes',
    type: 'INT',
    defaultValue: 52428800,
    importance: 'LOW',
    documentation: 'Upper bound of one fetch response.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'max.partition.fetch.bytes',
    type: 'INT',
    defaultValue: 1048576,
    importance: 'LOW',
    documentation: "Upper bound of one partition's data in a fetch (a larger first batch is still returned, as Kafka).",
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'isolation.level',
    type: 'STRING',
    defaultValue: 'read_committed',
    importance: 'MEDIUM',
    documentation:
      "read_committed (Tributary's default; Kafka's is read_uncommitted): records of open or aborted transactions are not delivered to sinks.",
    validator: Validators.in('read_uncommitted', 'read_committed'),
  })
  .define({
    name: 'auto.offset.reset',
    type: 'STRING',
    defaultValue: 'earliest',
    importance: 'MEDIUM',
    documentation:
      "Where a partition without a committed offset starts: earliest, Kafka Connect's default for its sink consumers and the only value accepted here (start elsewhere with the connector's tributary.start.timestamp, e.g. latest or an ISO time).",
    validator: Validators.in('earliest'),
  })
  .define({
    name: 'rebalance.timeout.ms',
    type: 'INT',
    defaultValue: 60000,
    importance: 'LOW',
    documentation:
      "How long the coordinator waits for members to rejoin during a rebalance (Kafka's max.poll.interval.ms plays this part for Java consumers).",
    validator: Validators.atLeast(1),
  });

export const KAFKA_ADMIN_CONFIG_DEF = SECURITY_KEYS(new ConfigDef()).define({
  name: 'retries',
  type: 'INT',
  defaultValue: 8,
  importance: 'LOW',
  documentation: 'Retries of a failed admin request.',
  validator: Validators.atLeast(0),
});

const DEFS: Record<ClientKind, ConfigDef> = {
  producer: KAFKA_PRODUCER_CONFIG_DEF,
  consumer: KAFKA_CONSUMER_CONFIG_DEF,
  admin: KAFKA_ADMIN_CONFIG_DEF,
};

/** The unknown-key message: what is not honoured and what is. */
function unsupported(kind: ClientKind, fullKey: string): string {
  return `${fullKey} is not supported by the Kafka transport; supported ${kind} keys: ${[...DEFS[kind].keys.keys()].join(', ')}`;
}

/** Problems with the client keys (unprefixed) of one kind, each with the full key as the user wrote it. */
export function clientSettingErrors(
  kind: ClientKind,
  settings: Record<string, string>,
  prefix: string,
): Array<{ key: string; message: string }> {
  const errors: Array<{ key: string; message: string }> = [];
  const def = DEFS[kind];
  for (const [name, value] of Object.entries(settings)) {
    const key = def.keys.get(name);
    if (!key) {
      errors.push({ key: prefix + name, message: unsupported(kind, prefix + name) });
      continue;
    }
    const single = new ConfigDef().define({
      ...key,
      name: prefix + name,
      validator: key.validator,
      defaultValue: key.defaultValue,
    });
    try {
      single.parse({ [prefix + name]: value });
    } catch (err) {
      errors.push({ key: prefix + name, message: (err as Error).message });
    }
  }
  return errors;
}

/** The unprefixed keys under `prefix` (e.g. `producer.` or `producer.override.`). */
export function withPrefix(props: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props))
    if (k.startsWith(prefix) && v !== undefined) out[k.slice(prefix.length)] = v;
  return out;
}

export interface ProducerSettings {
  acks: -1 | 0 | 1;
  idempotent: boolean;
  batchSize: number;
  maxRequestSize: number;
  compression: CompressionName;
  deliveryTimeoutMs: number;
  requestTimeoutMs: number;
  retries: number;
  retryBackoffMs: number;
  maxInFlightRequests: number;
  lingerMs: number;
  bufferMemory: number;
  transactionTimeoutMs: number | null;
  clientId: string | null;
  /** Per-client security settings (merged over the worker's). */
  security: Record<string, string>;
}

/** Worker keys that carry a client prefix but configure the worker itself (admin.listeners). */
const isWorkerOwn = (kind: ClientKind, name: string) =>
  kind === 'admin' && (name === 'listeners' || name.startsWith('listeners.'));

/** The worker's `producer.*` / `consumer.*` / `admin.*` keys, prefix stripped. */
export function workerClientSettings(kind: ClientKind, workerProps: Record<string, string>): Record<string, string> {
  const out = withPrefix(workerProps, `${kind}.`);
  for (const k of Object.keys(out)) if (isWorkerOwn(kind, k)) delete out[k];
  return out;
}

function parsed(
  kind: ClientKind,
  workerProps: Record<string, string>,
  overrides: Record<string, string>,
): { values: Record<string, unknown>; security: Record<string, string> } {
  const worker = workerClientSettings(kind, workerProps);
  for (const [settings, prefix] of [
    [worker, `${kind}.`],
    [overrides, `${kind}.override.`],
  ] as const) {
    const errors = clientSettingErrors(kind, settings, prefix);
    if (errors.length > 0) throw new ConfigException(errors.map((e) => e.message).join('\n'), { key: errors[0].key });
  }
  const merged = { ...worker, ...overrides };
  const values = DEFS[kind].parse(merged);
  const security: Record<string, string> = {};
  for (const k of KAFKA_CLIENT_SECURITY_KEYS) if (merged[k] !== undefined) security[k] = merged[k];
  return { values, security };
}

/**
 * The settings of one producer: Tributary's defaults, the worker's `producer.*`, the connector's
 * `producer.override.*` (prefix stripped); `transactional` for exactly-once source tasks, which
 * need idempotence and acks=all whatever is configured (as Kafka Connect's ensureProperty).
 */
export function producerSettings(
  workerProps: Record<string, string>,
  overrides: Record<string, string> = {},
  transactional = false,
): ProducerSettings {
  const { values: v, security } = parsed('producer', workerProps, overrides);
  const acks = String(v.acks) === 'all' ? -1 : (Number(v.acks) as -1 | 0 | 1);
  const idempotent = transactional || (v['enable.idempotence'] as boolean);
  const from = (key: string) => (overrides[key] !== undefined ? `producer.override.${key}` : `producer.${key}`);
  if (idempotent && acks !== -1)
    throw new ConfigException(
      `Invalid value ${String(v.acks)} for configuration ${from('acks')}: the idempotent${transactional ? ' (exactly-once)' : ''} producer needs acks=all; set acks=all${transactional ? '' : ' or enable.idempotence=false'}`,
      { key: from('acks') },
    );
  if (idempotent && (v.retries as number) < 1)
    throw new ConfigException(
      `Invalid value 0 for configuration ${from('retries')}: the idempotent producer needs retries of at least 1; raise it${transactional ? '' : ' or set enable.idempotence=false'}`,
      { key: from('retries') },
    );
  if (idempotent && (v['max.in.flight.requests.per.connection'] as number) > 5)
    throw new ConfigException(
      `Invalid value ${String(v['max.in.flight.requests.per.connection'])} for configuration ${from('max.in.flight.requests.per.connection')}: the idempotent producer allows at most 5`,
      { key: from('max.in.flight.requests.per.connection') },
    );
  return {
    acks,
    idempotent,
    batchSize: v['batch.size'] as number,
    maxRequestSize: v['max.request.size'] as number,
    compression: compressionTypeOf(v['compression.type'] as string, from('compression.type')),
    deliveryTimeoutMs: v['delivery.timeout.ms'] as number,
    requestTimeoutMs: v['request.timeout.ms'] as number,
    retries: v.retries as number,
    retryBackoffMs: v['retry.backoff.ms'] as number,
    maxInFlightRequests: (v['max.in.flight.requests.per.connection'] as number | null) ?? (idempotent ? 5 : 1),
    lingerMs: v['linger.ms'] as number,
    bufferMemory: v['buffer.memory'] as number,
    transactionTimeoutMs: (v['transaction.timeout.ms'] as number | null) ?? null,
    clientId: (v['client.id'] as string | null) ?? null,
    security,
  };
}

export interface ConsumerSettings {
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  maxWaitTimeMs: number;
  minBytes: number;
  maxBytes: number;
  maxBytesPerPartition: number;
  readUncommitted: boolean;
  requestTimeoutMs: number;
  retryBackoffMs: number;
  clientId: string | null;
  security: Record<string, string>;
}

export function consumerSettings(
  workerProps: Record<string, string>,
  overrides: Record<string, string> = {},
): ConsumerSettings {
  const { values: v, security } = parsed('consumer', workerProps, overrides);
  return {
    sessionTimeoutMs: v['session.timeout.ms'] as number,
    heartbeatIntervalMs: v['heartbeat.interval.ms'] as number,
    rebalanceTimeoutMs: v['rebalance.timeout.ms'] as number,
    maxWaitTimeMs: v['fetch.max.wait.ms'] as number,
    minBytes: v['fetch.min.bytes'] as number,
    maxBytes: v['fetch.max.bytes'] as number,
    maxBytesPerPartition: v['max.partition.fetch.bytes'] as number,
    readUncommitted: v['isolation.level'] === 'read_uncommitted',
    requestTimeoutMs: v['request.timeout.ms'] as number,
    retryBackoffMs: v['retry.backoff.ms'] as number,
    clientId: (v['client.id'] as string | null) ?? null,
    security,
  };
}

export interface AdminSettings {
  retries: number;
  requestTimeoutMs: number;
  retryBackoffMs: number;
  clientId: string | null;
  security: Record<string, string>;
}

export function adminSettings(workerProps: Record<string, string>): AdminSettings {
  const { values: v, security } = parsed('admin', workerProps, {});
  return {
    retries: v.retries as number,
    requestTimeoutMs: v['request.timeout.ms'] as number,
    retryBackoffMs: v['retry.backoff.ms'] as number,
    clientId: (v['client.id'] as string | null) ?? null,
    security,
  };
}

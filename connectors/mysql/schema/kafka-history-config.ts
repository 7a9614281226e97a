/**
 * Keys of Debezium's KafkaSchemaHistory (`schema.history.internal.kafka.*` and the
 * `schema.history.internal.producer.*` / `.consumer.*` pass-through), resolved into the settings
 * of the Kafka history store. Pass-through keys kafkajs has no counterpart for are refused.
 */
import { ConfigDef, ParsedConfig, Validators } from '../../../sdk/config.ts';
import { ConfigException } from '../../../sdk/errors.ts';
import { KAFKA_CLIENT_SECURITY_KEYS, kafkaClientConfig } from '../../../sdk/internal/kafka-client.ts';

export const KAFKA_SCHEMA_HISTORY_CLASS = 'io.debezium.storage.kafka.history.KafkaSchemaHistory';
export const HISTORY_TOPIC = 'schema.history.internal.kafka.topic';
export const HISTORY_BOOTSTRAP = 'schema.history.internal.kafka.bootstrap.servers';
const PRODUCER_PREFIX = 'schema.history.internal.producer.';
const CONSUMER_PREFIX = 'schema.history.internal.consumer.';
/** Client settings the history's kafkajs clients take from the pass-through keys. */
const PASS_THROUGH = new Set<string>(['bootstrap.servers', 'client.id', ...KAFKA_CLIENT_SECURITY_KEYS]);

const G_HISTORY = 'Schema history';

export const KAFKA_HISTORY_CONFIG = new ConfigDef()
  .define({
    name: HISTORY_TOPIC,
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: G_HISTORY,
    documentation:
      'Topic of the Kafka schema history (required with KafkaSchemaHistory); created with one partition, cleanup.policy=delete and unlimited retention when missing.',
  })
  .define({
    name: HISTORY_BOOTSTRAP,
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    group: G_HISTORY,
    documentation: 'Kafka brokers of the schema history topic (required with KafkaSchemaHistory).',
  })
  .define({
    name: 'schema.history.internal.kafka.recovery.poll.interval.ms',
    type: 'INT',
    defaultValue: 100,
    importance: 'LOW',
    group: G_HISTORY,
    documentation: 'Longest wait of one poll of the history topic during recovery.',
    validator: Validators.atLeast(0),
  })
  .define({
    name: 'schema.history.internal.kafka.recovery.attempts',
    type: 'INT',
    defaultValue: 100,
    importance: 'LOW',
    group: G_HISTORY,
    documentation:
      'Polls in a row that may return nothing before recovery fails (recovery.attempts x recovery.poll.interval.ms without progress).',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'schema.history.internal.kafka.query.timeout.ms',
    type: 'LONG',
    defaultValue: 3000,
    importance: 'LOW',
    group: G_HISTORY,
    documentation: 'Timeout of the admin queries on the history topic.',
    validator: Validators.atLeast(1),
  })
  .define({
    name: 'schema.history.internal.kafka.create.timeout.ms',
    type: 'LONG',
    defaultValue: 30000,
    importance: 'LOW',
    group: G_HISTORY,
    documentation: 'Timeout of the history topic creation.',
    validator: Validators.atLeast(1),
  });

export interface KafkaHistorySettings {
  topic: string;
  /** kafkajs client settings (Kafka property names) of the producer (also used by the admin client) and of the consumer. */
  producerProps: Record<string, string>;
  consumerProps: Record<string, string>;
  recoveryPollIntervalMs: number;
  recoveryAttempts: number;
  queryTimeoutMs: number;
  createTimeoutMs: number;
}

function passThrough(props: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/** Problems of the Kafka history keys when KafkaSchemaHistory is selected (missing topic or brokers, unusable pass-through keys). */
export function kafkaHistoryConfigErrors(props: Record<string, string>, kafkaSelected: boolean): ConfigException[] {
  const out: ConfigException[] = [];
  for (const prefix of [PRODUCER_PREFIX, CONSUMER_PREFIX]) {
    for (const k of Object.keys(passThrough(props, prefix))) {
      if (!PASS_THROUGH.has(k)) {
        out.push(
          new ConfigException(
            `Configuration ${prefix}${k} is not supported by the Kafka schema history: its clients take only ${[...PASS_THROUGH].map((p) => prefix + p).join(', ')}; remove it`,
            { key: prefix + k },
          ),
        );
      }
    }
  }
  if (!kafkaSelected) return out;
  const missingTopic = !props[HISTORY_TOPIC]?.trim();
  const missingBrokers = !props[HISTORY_BOOTSTRAP]?.trim();
  if (missingTopic)
    out.push(
      new ConfigException(
        `Missing ${HISTORY_TOPIC}: KafkaSchemaHistory needs a topic; set ${HISTORY_TOPIC} (e.g. schemahistory.<topic.prefix>)`,
        { key: HISTORY_TOPIC },
      ),
    );
  if (missingBrokers)
    out.push(
      new ConfigException(
        `Missing ${HISTORY_BOOTSTRAP}: KafkaSchemaHistory needs the Kafka brokers; set ${HISTORY_BOOTSTRAP}=host:port[,host:port]`,
        { key: HISTORY_BOOTSTRAP },
      ),
    );
  if (missingTopic || missingBrokers) return out;
  const s = parseKafkaHistorySettings(props);
  for (const [prefix, clientProps] of [
    [PRODUCER_PREFIX, s.producerProps],
    [CONSUMER_PREFIX, s.consumerProps],
  ] as const) {
    try {
      kafkaClientConfig(clientProps, 'check');
    } catch (err) {
      const e = err as ConfigException;
      const key =
        e.key === 'bootstrap.servers' && !props[`${prefix}bootstrap.servers`]
          ? HISTORY_BOOTSTRAP
          : e.key
            ? prefix + e.key
            : HISTORY_BOOTSTRAP;
      out.push(new ConfigException(`Kafka schema history (${key}): ${e.message}`, { key }));
    }
  }
  return out;
}

export function parseKafkaHistorySettings(props: Record<string, string>): KafkaHistorySettings {
  const c = new ParsedConfig(KAFKA_HISTORY_CONFIG, props);
  const bootstrap = c.getString(HISTORY_BOOTSTRAP);
  return {
    topic: c.getString(HISTORY_TOPIC),
    producerProps: { 'bootstrap.servers': bootstrap, ...passThrough(props, PRODUCER_PREFIX) },
    consumerProps: { 'bootstrap.servers': bootstrap, ...passThrough(props, CONSUMER_PREFIX) },
    recoveryPollIntervalMs: c.getInt('schema.history.internal.kafka.recovery.poll.interval.ms'),
    recoveryAttempts: c.getInt('schema.history.internal.kafka.recovery.attempts'),
    queryTimeoutMs: c.getLong('schema.history.internal.kafka.query.timeout.ms'),
    createTimeoutMs: c.getLong('schema.history.internal.kafka.create.timeout.ms'),
  };
}

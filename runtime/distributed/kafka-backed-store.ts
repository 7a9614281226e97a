/**
 * The worker's durable key/value namespaces kept in Kafka's compacted internal topics, as Kafka
 * Connect's KafkaBasedLog does: connector configs and target states in `config.storage.topic`,
 * source offsets in `offset.storage.topic`, statuses in `status.storage.topic`. Every worker reads
 * all three topics from the beginning into memory and keeps following them, so reads are local;
 * a write returns once the worker has read it back (read-your-writes across the cluster order).
 */
import { awaitTopicMetadata } from '../transport/kafka-topic-metadata.ts';
import { retryTransient } from '../transport/kafka-retry.ts';
import { isKafkaError, isOnlyKafkaError } from '../transport/kafka-errors.ts';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { SerialQueue } from '../util/serial-queue.ts';
import { KafkaLogFollower, type FollowedRecords } from '../transport/kafka-log-follower.ts';
import { MeteredKafka } from '../metrics/kafka-client-metrics.ts';
import { ConnectException } from '../errors.ts';
import type { Logger } from '../logging.ts';
import type { KeyValueStore, StoreWrite } from '../transport/types.ts';
import { kafkaClientConfig } from '../transport/kafka-client-config.ts';

export const CONFIG_NAMESPACE = 'connect-configs';
export const OFFSET_NAMESPACE = 'connect-offsets';
export const STATUS_NAMESPACE = 'connect-status';

export interface InternalTopic {
  namespace: string;
  topic: string;
  partitions: number;
  replicationFactor: number;
}

export interface KafkaBackedStoreOptions {
  props: Record<string, string>;
  clientId: string;
  topics: InternalTopic[];
  logger: Logger;
}

export type StoreListener = (namespace: string, key: string, value: string | null) => void;

/**
 * Kafka Connect writes a connector config as `{"properties":{…}}` and a task config likewise; the
 * herder works with the bare map. Wrapping here keeps the topic readable by Kafka Connect tooling.
 */
function encodeValue(namespace: string, key: string, value: string | null): string | null {
  if (value === null || namespace !== CONFIG_NAMESPACE) return value;
  if (key.startsWith('connector-') || key.startsWith('task-')) return `{"properties":${value}}`;
  return value;
}

function decodeValue(namespace: string, key: string, value: string | null): string | null {
  if (value === null || namespace !== CONFIG_NAMESPACE) return value;
  if (key.startsWith('connector-') || key.startsWith('task-')) {
    const parsed = JSON.parse(value) as { properties?: unknown };
    return JSON.stringify(parsed.properties ?? {});
  }
  return value;
}

export class KafkaBackedStore implements KeyValueStore {
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly producer: Producer;
  private readonly reader: KafkaLogFollower;
  private readonly sends = new SerialQueue();
  private readonly byNamespace = new Map<string, InternalTopic>();
  private readonly byTopic = new Map<string, InternalTopic>();
  private readonly data = new Map<string, Map<string, string>>();
  /** Next offset to read per `topic\0partition`. */
  private readonly positions = new Map<string, number>();
  private readonly listeners: StoreListener[] = [];
  private readonly waiters = new Set<() => void>();
  private failure: Error | null = null;

  constructor(private readonly opts: KafkaBackedStoreOptions) {
    this.kafka = new MeteredKafka({
      ...kafkaClientConfig(opts.props, opts.clientId),
      logLevel: logLevel.NOTHING,
      // Backoff capped as the Java clients' retry.backoff.max.ms (1 s): a partition whose leader was lost is
      // written again soon after the new leader is elected, not after kafkajs's doubling reached 10 s and more.
      retry: { retries: 8, maxRetryTime: 1000 },
    });
    this.admin = this.kafka.admin();
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    this.reader = new KafkaLogFollower({
      kafka: this.kafka,
      topics: opts.topics.map((t) => t.topic),
      logger: opts.logger,
      onRecords: (read) => this.applyRead(read),
      onFailure: (err) => {
        this.failure = new ConnectException(`Reading the internal topics failed: ${err.message}`, { cause: err });
        this.notifyWaiters();
      },
    });
    for (const t of opts.topics) {
      this.byNamespace.set(t.namespace, t);
      this.byTopic.set(t.topic, t);
      this.data.set(t.namespace, new Map());
    }
  }

  onChange(listener: StoreListener): void {
    this.listeners.push(listener);
  }

  /** Creates missing internal topics (compacted), then reads all of them to the end. */
  async start(): Promise<void> {
    await this.admin.connect();
    await this.ensureTopics();
    await this.producer.connect();
    // Another broker may not know the just-created topics yet (UNKNOWN_TOPIC_OR_PARTITION, retriable).
    await retryTransient(() => this.reader.start(), { timeoutMs: 30_000 });
    await this.readToEnd();
  }

  private async ensureTopics(): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = this.opts.topics.filter((t) => !existing.has(t.topic));
    if (missing.length) {
      await this.admin
        .createTopics({
          topics: missing.map((t) => ({
            topic: t.topic,
            numPartitions: t.partitions,
            replicationFactor: t.replicationFactor,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          })),
        })
        .catch((err: Error) => {
          // kafkajs reads metadata right after CreateTopics; a broker that does not know the new
          // topics yet answers UNKNOWN_TOPIC_OR_PARTITION: they were created, awaitTopicMetadata waits for them.
          if (isKafkaError(err, 'UNKNOWN_TOPIC_OR_PARTITION')) return;
          // Another worker created them first.
          if (!isOnlyKafkaError(err, 'TOPIC_ALREADY_EXISTS'))
            throw new ConnectException(
              `Could not create the internal topics ${missing.map((t) => t.topic).join(', ')}: ${err.message} (check *.storage.replication.factor against the number of brokers)`,
              { cause: err },
            );
        });
      this.opts.logger.info({ topics: missing.map((t) => t.topic) }, 'Created internal topics');
    }
    // Right after creation not every broker knows the topics yet: wait until they have leaders.
    const meta = await awaitTopicMetadata(
      this.admin,
      this.opts.topics.map((t) => t.topic),
    );
    const config = this.opts.topics.find((t) => t.namespace === CONFIG_NAMESPACE);
    const configMeta = config && meta.find((t) => t.name === config.topic);
    if (configMeta && configMeta.partitions.length !== 1) {
      throw new ConnectException(
        `Topic '${config!.topic}' supplied via the 'config.storage.topic' property is required to have a single partition in order to guarantee consistency of connector configurations, but found ${configMeta.partitions.length} partitions.`,
      );
    }
  }

  private applyRead(read: FollowedRecords): void {
    const topic = this.byTopic.get(read.topic)!;
    for (const r of read.records) {
      const key = r.key?.toString('utf8');
      if (key !== undefined)
        this.apply(
          topic.namespace,
          key,
          decodeValue(topic.namespace, key, r.value === null ? null : r.value.toString('utf8')),
        );
    }
    this.positions.set(`${read.topic}\u0000${read.partition}`, read.nextOffset);
    this.notifyWaiters();
  }

  private apply(namespace: string, key: string, value: string | null): void {
    const map = this.data.get(namespace)!;
    if (value === null) map.delete(key);
    else map.set(key, value);
    if (namespace === CONFIG_NAMESPACE && value === null && key.startsWith('connector-')) {
      // As Kafka Connect's config store: a deleted connector's task configs are forgotten, so a
      // connector created again under the name starts without its predecessor's tasks.
      const name = key.slice('connector-'.length);
      const taskKey = new RegExp(`^task-${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`);
      for (const k of [...map.keys()]) if (k === `commit-${name}` || taskKey.test(k)) map.delete(k);
    }
    for (const l of this.listeners) {
      try {
        l(namespace, key, value);
      } catch (err) {
        this.opts.logger.error({ err: (err as Error).message }, 'Internal topic listener failed');
      }
    }
  }

  private notifyWaiters(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Resolves once every record written to the internal topics before the call has been read. */
  async readToEnd(topics = this.opts.topics.map((t) => t.topic), timeoutMs = 60_000): Promise<void> {
    const ends: Array<[string, number]> = [];
    for (const topic of topics) {
      // Just after the topics were created a broker may still answer NOT_LEADER_FOR_PARTITION.
      for (const p of await retryTransient(() => this.admin.fetchTopicOffsets(topic), { timeoutMs: 30_000 }))
        ends.push([`${topic}\u0000${p.partition}`, Number(p.high)]);
    }
    const caughtUp = () => ends.every(([tp, high]) => (this.positions.get(tp) ?? 0) >= high);
    if (caughtUp()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new ConnectException(
            `Timed out after ${timeoutMs} ms reading the internal topics ${topics.join(', ')} to their end`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (this.failure) {
          clearTimeout(timer);
          this.waiters.delete(check);
          reject(this.failure);
        } else if (caughtUp()) {
          clearTimeout(timer);
          this.waiters.delete(check);
          resolve();
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  sync(): Promise<void> {
    return this.readToEnd();
  }

  get(namespace: string, key: string): string | undefined {
    return this.data.get(namespace)?.get(key);
  }

  entries(namespace: string, keyPrefix = ''): Array<{ key: string; value: string }> {
    const map = this.data.get(namespace);
    if (!map) return [];
    const out: Array<{ key: string; value: string }> = [];
    for (const [key, value] of map) if (key.startsWith(keyPrefix)) out.push({ key, value });
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async put(writes: StoreWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const byTopic = new Map<string, Array<{ key: string; value: string | null }>>();
    for (const w of writes) {
      const t = this.byNamespace.get(w.namespace);
      if (!t) throw new ConnectException(`No internal topic holds the ${w.namespace} namespace`);
      const list = byTopic.get(t.topic) ?? [];
      list.push({ key: w.key, value: encodeValue(w.namespace, w.key, w.value) });
      byTopic.set(t.topic, list);
    }
    // One send at a time, in call order: kafkajs retries each sendBatch on its own, so a write
    // retried after a broker failure could otherwise land after a later one (a task's UNASSIGNED
    // after its RUNNING, an older offset after a newer one). kafkajs gives up before a killed
    // leader's partitions have a new one: the write is repeated until then, as Kafka's producer
    // retries within delivery.timeout.ms (a repeated write of a key and value changes nothing).
    await this.sends.run(() =>
      retryTransient(() =>
        this.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        }),
      ),
    );
    await this.readToEnd([...byTopic.keys()]);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.reader.stop(), this.producer.disconnect(), this.admin.disconnect()]);
  }
}

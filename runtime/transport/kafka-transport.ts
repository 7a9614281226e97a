/**
 * The Kafka transport (kafkajs): source tasks produce through KafkaSender (byte-bounded batches,
 * idempotent, acks=all by default); sink tasks consume in the `connect-<name>` consumer group,
 * whose membership spreads partitions over the connector's tasks; offsets are committed only when
 * the worker says so. Client settings come from the worker's producer.* / consumer.* / admin.* keys
 * and the connectors' overrides (kafka-client-settings.ts).
 */
import kafkajs, { Kafka, logLevel, type Admin, type Consumer, type KafkaConfig } from 'kafkajs';
import { MeteredKafka } from '../metrics/kafka-client-metrics.ts';

// kafkajs is CommonJS: Node's ESM loader sees only the names its lexer finds, and not this one.
const { ConfigResourceTypes } = kafkajs;
import { ConnectException, GroupNotEmptyError } from '../errors.ts';
import { isKafkaError } from './kafka-errors.ts';
import type { Logger } from '../logging.ts';
import { kafkaClientConfig } from './kafka-client-config.ts';
import { awaitTopicMetadata } from './kafka-topic-metadata.ts';
import { retryTransient } from './kafka-retry.ts';
import { COMPRESSION_TYPES, registerKafkaCodecs } from './kafka-compression.ts';
import { ProducePipeline } from './produce-pipeline.ts';
import { adminSettings, consumerSettings, producerSettings } from './kafka-client-settings.ts';
import { KafkaSender } from './kafka-sender.ts';
import { sleep } from '../util/sleep.ts';
import type {
  LogRecord,
  RebalanceListener,
  ReceiverOptions,
  RecordReceiver,
  RecordSender,
  SenderOptions,
  Subscription,
  TopicCreationSpec,
  TopicInfo,
  TopicPartition,
  Transport,
  TransportAdmin,
} from './types.ts';

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/** kafkajs's producer retries (within one send attempt): with Tributary's own retry around them they ride out a broker failure. */
const PRODUCER_MAX_RETRY_TIME_MS = 5000;
const PRODUCER_INNER_RETRIES = 20;

/** Kafka's default message.max.bytes, for a topic whose configuration cannot be read. */
const BROKER_DEFAULT_MAX_MESSAGE_BYTES = 1048588;

export interface KafkaTransportOptions {
  /** Worker properties: bootstrap.servers, security.*, sasl.*, producer.* / consumer.* overrides. */
  props: Record<string, string>;
  logger: Logger;
  defaultPartitions: number;
  /** Distributed mode: the internal topic of each store namespace, for transactional senders' store writes. */
  storeTopics?: Record<string, string>;
}

export class KafkaTransport implements Transport {
  readonly kind = 'kafka' as const;
  readonly admin: KafkaAdmin;
  private readonly kafka: Kafka;
  private readonly closables: Array<{ close(): Promise<void> }> = [];

  constructor(private readonly opts: KafkaTransportOptions) {
    registerKafkaCodecs();
    const admin = adminSettings(opts.props);
    this.kafka = new MeteredKafka({
      ...this.clientConfig(admin.clientId ?? 'tributary-worker', admin.security),
      requestTimeout: admin.requestTimeoutMs,
      retry: { retries: admin.retries, initialRetryTime: Math.max(1, admin.retryBackoffMs) },
    });
    // Fails the worker start on a producer.* / consumer.* key the transport cannot honour.
    producerSettings(opts.props);
    consumerSettings(opts.props);
    this.admin = new KafkaAdmin(() => this.kafka.admin(), opts.defaultPartitions);
  }

  private clientConfig(clientId: string, security: Record<string, string>): KafkaConfig {
    return { ...kafkaClientConfig({ ...this.opts.props, ...security }, clientId), logLevel: logLevel.NOTHING };
  }

  async connect(): Promise<void> {
    await this.admin.connect();
  }

  createSender(clientId: string, opts: SenderOptions = {}): RecordSender {
    const transactional = opts.transactionalId !== undefined;
    if (transactional && !this.opts.storeTopics)
      throw new ConnectException(
        'Transactional senders need the internal topics (distributed mode with exactly.once.source.support=enabled)',
      );
    const settings = producerSettings(this.opts.props, opts.overrides ?? {}, transactional);
    // kafkajs's connection-level retries (5, some 8 s by default) give up before a dead broker's
    // partitions have a new leader; ~90 s lets the producer ride out a broker failure as Kafka's
    // Java producer does (delivery.timeout.ms). Not for transactional producers: kafkajs nests
    // these retries inside its transaction steps, where they multiply into a task that hangs
    // instead of failing (a failed exactly-once task restarts from its committed offsets).
    const retry = transactional
      ? undefined
      : {
          initialRetryTime: Math.max(1, settings.retryBackoffMs),
          maxRetryTime: PRODUCER_MAX_RETRY_TIME_MS,
          retries: Math.min(settings.retries, PRODUCER_INNER_RETRIES),
        };
    const kafka = new MeteredKafka({
      ...this.clientConfig(settings.clientId ?? clientId, settings.security),
      requestTimeout: settings.requestTimeoutMs,
      ...(retry ? { retry } : {}),
    });
    const senderOpts = {
      ...opts,
      clientId: settings.clientId ?? clientId,
      settings,
      storeTopics: transactional ? this.opts.storeTopics! : null,
    };
    const sender = transactional
      ? new KafkaSender(
          kafka.producer({
            idempotent: true,
            maxInFlightRequests: 1,
            allowAutoTopicCreation: true,
            transactionalId: opts.transactionalId,
            transactionTimeout: settings.transactionTimeoutMs ?? opts.transactionTimeoutMs,
          }),
          this.admin,
          senderOpts,
        )
      : new KafkaSender(
          null,
          this.admin,
          senderOpts,
          new ProducePipeline(kafka, {
            acks: settings.acks,
            idempotent: settings.idempotent,
            compression: COMPRESSION_TYPES[settings.compression],
            maxInFlight: settings.maxInFlightRequests,
            lingerMs: settings.lingerMs,
            requestTimeoutMs: settings.requestTimeoutMs,
            deliveryTimeoutMs: settings.deliveryTimeoutMs,
            retries: settings.retries,
            retryBackoffMs: settings.retryBackoffMs,
            bufferMemory: settings.bufferMemory,
          }),
        );
    this.closables.push(sender);
    return sender;
  }

  createReceiver(groupId: string, clientId: string, opts: ReceiverOptions = {}): RecordReceiver {
    const settings = consumerSettings(this.opts.props, opts.overrides ?? {});
    const kafka = new MeteredKafka({
      ...this.clientConfig(settings.clientId ?? clientId, settings.security),
      requestTimeout: settings.requestTimeoutMs,
      retry: { initialRetryTime: Math.max(1, settings.retryBackoffMs) },
    });
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: true,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      rebalanceTimeout: settings.rebalanceTimeoutMs,
      maxWaitTimeInMs: settings.maxWaitTimeMs,
      minBytes: settings.minBytes,
      maxBytes: settings.maxBytes,
      maxBytesPerPartition: settings.maxBytesPerPartition,
      readUncommitted: settings.readUncommitted,
    });
    const receiver = new KafkaReceiver(consumer, this.admin, groupId, opts, this.opts.logger);
    this.closables.push(receiver);
    return receiver;
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.closables.map((c) => c.close()));
    await this.admin.close();
  }
}

interface PendingBatch {
  records: LogRecord[];
  done: () => void;
}

class KafkaReceiver implements RecordReceiver {
  private assigned: TopicPartition[] = [];
  private readonly positions = new Map<string, number>();
  private readonly queue: PendingBatch[] = [];
  private readonly rebalances: Array<Set<string>> = [];
  private listener: RebalanceListener | null = null;
  private wake: (() => void) | null = null;
  private running = false;
  /** Set when kafkajs gave up on the consumer (it restarts itself after retriable errors only). */
  private crashed: Error | null = null;

  constructor(
    private readonly consumer: Consumer,
    private readonly admin: KafkaAdmin,
    private readonly groupId: string,
    private readonly opts: ReceiverOptions,
    private readonly logger: Logger,
  ) {}

  async subscribe(subscription: Subscription, listener: RebalanceListener): Promise<void> {
    this.listener = listener;
    await this.consumer.connect();
    this.consumer.on(this.consumer.events.GROUP_JOIN, (e) => {
      const next = new Set<string>();
      for (const [topic, partitions] of Object.entries(e.payload.memberAssignment))
        for (const p of partitions) next.add(tpKey({ topic, partition: p }));
      this.rebalances.push(next);
      this.wake?.();
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      if (e.payload.restart) return;
      this.crashed = new ConnectException(
        `The Kafka consumer of group ${this.groupId} stopped: ${e.payload.error?.message ?? 'unknown error'}`,
        { cause: e.payload.error },
      );
      this.wake?.();
    });
    const topics: Array<string | RegExp> = [...subscription.topics];
    if (subscription.regex) topics.push(subscription.regex);
    for (const t of subscription.topics) await this.admin.ensureTopic(t);
    await this.consumer.subscribe({ topics, fromBeginning: (this.opts.autoOffsetReset ?? 'earliest') === 'earliest' });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        if (batch.messages.length === 0) return;
        const records: LogRecord[] = batch.messages.map((m) => ({
          topic: batch.topic,
          partition: batch.partition,
          offset: Number(m.offset),
          timestamp: Number(m.timestamp),
          key: m.key,
          value: m.value,
          headers: Object.entries(m.headers ?? {}).flatMap(([key, v]) =>
            (Array.isArray(v) ? v : [v]).map((x) => ({
              key,
              value: x === undefined ? null : Buffer.from(x as Buffer),
            })),
          ),
        }));
        let consumed = false;
        let markConsumed!: () => void;
        const taken = new Promise<void>((resolve) => {
          markConsumed = resolve;
        });
        this.queue.push({
          records,
          done: () => {
            consumed = true;
            markConsumed();
          },
        });
        this.wake?.();
        // Backpressure: hold the fetch until the task has taken these records, heartbeating meanwhile.
        while (!consumed && isRunning() && !isStale() && this.running) {
          await Promise.race([taken, sleep(1000)]);
          if (!consumed) await heartbeat().catch(() => undefined);
        }
        if (consumed) resolveOffset(batch.lastOffset());
      },
    });
  }

  assignment(): TopicPartition[] {
    return this.assigned.map((tp) => ({ ...tp }));
  }

  private async applyRebalances(): Promise<void> {
    while (this.rebalances.length > 0) {
      const next = this.rebalances.shift()!;
      const current = new Set(this.assigned.map(tpKey));
      const revoked = this.assigned.filter((tp) => !next.has(tpKey(tp)));
      const added = [...next]
        .filter((k) => !current.has(k))
        .map((k) => {
          const [topic, p] = k.split('\u0000');
          return { topic, partition: Number(p) };
        });
      if (revoked.length) {
        const gone = new Set(revoked.map(tpKey));
        for (const b of this.queue) b.records = b.records.filter((r) => !gone.has(tpKey(r)));
        await this.listener!.revoked(revoked);
        for (const tp of revoked) this.positions.delete(tpKey(tp));
      }
      this.assigned = [...next].map((k) => {
        const [topic, p] = k.split('\u0000');
        return { topic, partition: Number(p) };
      });
      if (added.length) {
        const committed = await this.admin.committedFor(
          this.groupId,
          added.map((tp) => tp.topic),
        );
        for (const tp of added) {
          const c = committed.get(tpKey(tp));
          if (c !== undefined) this.positions.set(tpKey(tp), c);
          else if (this.opts.startTimestampMs !== undefined) {
            const at =
              (await this.admin.offsetForTimestamp(tp, this.opts.startTimestampMs)) ?? (await this.admin.endOffset(tp));
            this.seek(tp, at);
          } else {
            this.positions.set(
              tpKey(tp),
              (this.opts.autoOffsetReset ?? 'earliest') === 'earliest'
                ? await this.admin.startOffset(tp)
                : await this.admin.endOffset(tp),
            );
          }
        }
        await this.listener!.assigned(added);
      }
    }
  }

  async poll(maxRecords: number, timeoutMs: number, signal?: AbortSignal): Promise<LogRecord[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.crashed) throw this.crashed;
      await this.applyRebalances();
      const out: LogRecord[] = [];
      while (this.queue.length > 0 && out.length < maxRecords) {
        const b = this.queue[0];
        const take = b.records.splice(0, maxRecords - out.length);
        out.push(...take);
        if (b.records.length === 0) {
          this.queue.shift();
          b.done();
        }
      }
      for (const r of out) this.positions.set(tpKey(r), r.offset + 1);
      if (out.length > 0 || signal?.aborted || Date.now() >= deadline) return out;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          signal?.removeEventListener('abort', done);
          this.wake = null;
          resolve();
        };
        const t = setTimeout(done, Math.max(0, deadline - Date.now()));
        this.wake = done;
        signal?.addEventListener('abort', done, { once: true });
      });
    }
  }

  seek(tp: TopicPartition, offset: number): void {
    for (const b of this.queue) b.records = b.records.filter((r) => tpKey(r) !== tpKey(tp));
    this.positions.set(tpKey(tp), offset);
    this.consumer.seek({ topic: tp.topic, partition: tp.partition, offset: String(offset) });
  }

  position(tp: TopicPartition): number {
    return this.positions.get(tpKey(tp)) ?? -1;
  }

  pause(tps: TopicPartition[]): void {
    this.consumer.pause(tps.map((tp) => ({ topic: tp.topic, partitions: [tp.partition] })));
  }

  resume(tps: TopicPartition[]): void {
    this.consumer.resume(tps.map((tp) => ({ topic: tp.topic, partitions: [tp.partition] })));
  }

  async commit(offsets: Array<TopicPartition & { offset: number }>): Promise<void> {
    try {
      await this.consumer.commitOffsets(
        offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })),
      );
    } catch (err) {
      // After a rebalance the commit is refused; the records are re-delivered to the new owner (at-least-once).
      this.logger.warn({ err: (err as Error).message, group: this.groupId }, 'Offset commit failed');
      throw err;
    }
  }

  async close(): Promise<void> {
    this.running = false;
    for (const b of this.queue.splice(0)) b.done();
    await this.consumer.disconnect().catch(() => undefined);
  }
}

export class KafkaAdmin implements TransportAdmin {
  private connected: Promise<void> | null = null;
  private readonly partitionCounts = new Map<string, number>();
  private readonly maxMessageBytesByTopic = new Map<string, Promise<number>>();

  private admin: Admin;

  /** `newAdmin` makes the kafkajs admin client, again when the one in use is stuck on a deleted topic. */
  constructor(
    private readonly newAdmin: () => Admin,
    private readonly defaultPartitions: number,
  ) {
    this.admin = newAdmin();
  }

  /**
   * Runs an admin request. kafkajs's admin refreshes the metadata of every topic it has read so
   * far; once one of them is deleted, every later request fails with "This server does not host
   * this topic-partition" whatever it asks. Then the client is replaced by a new one (which knows
   * no topics yet) and the request runs once more.
   */
  private async call<T>(request: (admin: Admin) => Promise<T>): Promise<T> {
    await this.connect();
    const used = this.admin;
    try {
      return await request(used);
    } catch (err) {
      if (!isUnknownTopic(err)) throw err;
      if (this.admin === used) {
        this.admin = this.newAdmin();
        this.connected = null;
        void used.disconnect().catch(() => undefined);
      }
      await this.connect();
      return request(this.admin);
    }
  }

  /** The topic's max.message.bytes (its own or the broker's message.max.bytes), read once per topic. */
  maxMessageBytes(topic: string): Promise<number> {
    let cached = this.maxMessageBytesByTopic.get(topic);
    if (!cached) {
      cached = this.readMaxMessageBytes(topic);
      this.maxMessageBytesByTopic.set(topic, cached);
      cached.catch(() => this.maxMessageBytesByTopic.delete(topic));
    }
    return cached;
  }

  /** After the broker refused a batch as too large: read the topic's limit again next time. */
  forgetLimits(topic: string): void {
    this.maxMessageBytesByTopic.delete(topic);
  }

  private async readMaxMessageBytes(topic: string): Promise<number> {
    let res: Awaited<ReturnType<Admin['describeConfigs']>>;
    try {
      res = await retryTransient(() =>
        this.call((a) =>
          a.describeConfigs({
            includeSynonyms: false,
            resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['max.message.bytes'] }],
          }),
        ),
      );
    } catch (err) {
      // A principal without DescribeConfigs on the topic (Kafka's producer needs none): assume the
      // broker default; a batch the broker still refuses fails naming the topic's limit.
      if (/AUTHORIZATION_FAILED/.test(String((err as { type?: string }).type))) return BROKER_DEFAULT_MAX_MESSAGE_BYTES;
      throw err;
    }
    const entry = res.resources[0]?.configEntries.find((e) => e.configName === 'max.message.bytes');
    const value = Number(entry?.configValue);
    return Number.isSafeInteger(value) && value > 0 ? value : BROKER_DEFAULT_MAX_MESSAGE_BYTES;
  }

  connect(): Promise<void> {
    this.connected ??= this.admin.connect();
    return this.connected;
  }

  async close(): Promise<void> {
    if (this.connected) await this.admin.disconnect().catch(() => undefined);
  }

  async partitionCount(topic: string, spec?: TopicCreationSpec): Promise<number> {
    const cached = this.partitionCounts.get(topic);
    if (cached) return cached;
    await this.ensureTopic(topic, spec);
    const [meta] = await this.call((a) => awaitTopicMetadata(a, [topic]));
    this.partitionCounts.set(topic, meta.partitions.length);
    return meta.partitions.length;
  }

  async ensureTopic(topic: string, spec?: TopicCreationSpec): Promise<void> {
    if (await this.describeTopic(topic)) return;
    await this.call((a) =>
      a.createTopics({
        waitForLeaders: false,
        topics: [
          {
            topic,
            numPartitions: spec ? spec.partitions : this.defaultPartitions,
            replicationFactor: spec ? spec.replicationFactor : -1,
            configEntries: Object.entries(spec?.configs ?? {}).map(([name, value]) => ({ name, value })),
          },
        ],
      }),
    );
    await this.call((a) => awaitTopicMetadata(a, [topic]));
  }

  async createTopic(name: string, partitions: number, configs: Record<string, string> = {}): Promise<boolean> {
    const created = await this.call((a) =>
      a.createTopics({
        waitForLeaders: false,
        topics: [
          {
            topic: name,
            numPartitions: partitions > 0 ? partitions : this.defaultPartitions,
            configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
          },
        ],
      }),
    );
    await this.call((a) => awaitTopicMetadata(a, [name]));
    return created;
  }

  async listTopics(): Promise<TopicInfo[]> {
    const meta = await this.call((a) => a.fetchTopicMetadata());
    return meta.topics
      .filter((t) => !t.name.startsWith('__'))
      .map((t) => ({ name: t.name, partitions: t.partitions.length }));
  }

  async describeTopic(name: string): Promise<TopicInfo | undefined> {
    const names = await retryTransient(() => this.call((a) => a.listTopics()));
    if (!names.includes(name)) return undefined;
    // Another broker than the one that listed it may not know a topic created a moment ago.
    const [meta] = await this.call((a) => awaitTopicMetadata(a, [name]));
    return { name, partitions: meta.partitions.length };
  }

  private async watermarks(tp: TopicPartition): Promise<{ low: number; high: number }> {
    const offsets = await retryTransient(() => this.call((a) => a.fetchTopicOffsets(tp.topic)));
    const p = offsets.find((o) => o.partition === tp.partition);
    if (!p) throw new ConnectException(`Partition ${tp.topic}-${tp.partition} does not exist`);
    return { low: Number(p.low), high: Number(p.high) };
  }

  async endOffset(tp: TopicPartition): Promise<number> {
    return (await this.watermarks(tp)).high;
  }

  async startOffset(tp: TopicPartition): Promise<number> {
    return (await this.watermarks(tp)).low;
  }

  async offsetForTimestamp(tp: TopicPartition, timestampMs: number): Promise<number | null> {
    const found = (
      await retryTransient(() => this.call((a) => a.fetchTopicOffsetsByTimestamp(tp.topic, timestampMs)))
    ).find((o) => o.partition === tp.partition);
    if (!found || Number(found.offset) < 0) return null;
    // Kafka answers the log end offset when no record is that recent.
    return Number(found.offset) >= (await this.endOffset(tp)) ? null : Number(found.offset);
  }

  async committedFor(groupId: string, topics: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const t of await retryTransient(() =>
      this.call((a) => a.fetchOffsets({ groupId, topics: [...new Set(topics)] })),
    )) {
      for (const p of t.partitions)
        if (Number(p.offset) >= 0) out.set(tpKey({ topic: t.topic, partition: p.partition }), Number(p.offset));
    }
    return out;
  }

  async groupOffsets(groupId: string): Promise<Array<TopicPartition & { offset: number }>> {
    const out: Array<TopicPartition & { offset: number }> = [];
    for (const t of await retryTransient(() => this.call((a) => a.fetchOffsets({ groupId })))) {
      for (const p of t.partitions)
        if (Number(p.offset) >= 0) out.push({ topic: t.topic, partition: p.partition, offset: Number(p.offset) });
    }
    return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  }

  async alterGroupOffsets(groupId: string, offsets: Array<TopicPartition & { offset: number | null }>): Promise<void> {
    await this.connect();
    const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
    for (const o of offsets) {
      // Kafka cannot delete one partition's committed offset here; "reset" moves it to the log start.
      const offset = o.offset === null ? await this.startOffset(o) : o.offset;
      byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partition: o.partition, offset: String(offset) }]);
    }
    // kafkajs refuses a group with members by message only: ask the group's state first, so the refusal has a code.
    const [group] = (await this.call((a) => a.describeGroups([groupId]))).groups;
    if (group && group.state !== 'Empty' && group.state !== 'Dead')
      throw new GroupNotEmptyError(
        `The consumer group ${groupId} must have no running instances to change its offsets, current state: ${group.state}`,
      );
    for (const [topic, partitions] of byTopic) await this.call((a) => a.setOffsets({ groupId, topic, partitions }));
  }

  async deleteGroup(groupId: string): Promise<void> {
    try {
      await this.call((a) => a.deleteGroups([groupId]));
    } catch (err) {
      if (isKafkaError(err, 'GROUP_ID_NOT_FOUND')) return;
      if (isKafkaError(err, 'NON_EMPTY_GROUP'))
        throw new GroupNotEmptyError(`The consumer group ${groupId} still has members, so it cannot be deleted yet`, {
          cause: err,
        });
      throw err;
    }
  }
}

/** kafkajs's error for a topic the broker does not know (deleted, or never made). */
function isUnknownTopic(err: unknown): boolean {
  return isKafkaError(err, 'UNKNOWN_TOPIC_OR_PARTITION');
}

/**
 * The Kafka transport (kafkajs): source tasks produce with an idempotent producer and acks=all;
 * sink tasks consume in the `connect-<name>` consumer group, whose membership spreads partitions
 * over the connector's tasks; offsets are committed only when the worker says so.
 */
import { CompressionTypes, Kafka, logLevel, type Admin, type Consumer, type Producer, type Message, type RecordMetadata, type Transaction } from 'kafkajs';
import { ConnectException } from '../errors.ts';
import type { Logger } from '../logging.ts';
import { partitionForKey } from './murmur2.ts';
import { kafkaClientConfig } from './kafka-client-config.ts';
import { awaitTopicMetadata } from './kafka-topic-metadata.ts';
import { retryTransient } from './kafka-retry.ts';
import { sleep } from '../util/sleep.ts';
import type {
  DeliveredRecord, LogHeader, LogRecord, OutgoingRecord, RebalanceListener, ReceiverOptions, RecordReceiver, RecordSender, SenderOptions, SenderTransactions, StoreWrite, Subscription, TopicCreationSpec, TopicInfo, TopicPartition, Transport, TransportAdmin,
} from './types.ts';

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

const COMPRESSION: Record<string, CompressionTypes> = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy, lz4: CompressionTypes.LZ4, zstd: CompressionTypes.ZSTD };

const PRODUCER_RETRY = { initialRetryTime: 300, maxRetryTime: 5000, retries: 20 };

/** Client settings the Kafka transport honours in producer.* / consumer.* and their per-connector overrides. */
export const SUPPORTED_CLIENT_OVERRIDES = { producer: ['compression.type'], consumer: ['session.timeout.ms'] } as const;

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
    this.kafka = new Kafka({ ...kafkaClientConfig(opts.props, 'tributary-worker'), logLevel: logLevel.NOTHING, retry: { retries: 8 } });
    this.admin = new KafkaAdmin(this.kafka.admin(), opts.defaultPartitions);
  }

  async connect(): Promise<void> {
    await this.admin.connect();
  }

  createSender(clientId: string, opts: SenderOptions = {}): RecordSender {
    const compression = (opts.overrides?.['compression.type'] ?? this.opts.props['producer.compression.type'] ?? 'none').toLowerCase();
    if (!(compression in COMPRESSION)) throw new ConnectException(`producer.compression.type=${compression} is not supported; use none, gzip, snappy, lz4 or zstd`);
    // kafkajs's connection-level retries (5, some 8 s by default) give up before a dead broker's
    // partitions have a new leader; ~90 s lets the producer ride out a broker failure as Kafka's
    // Java producer does (delivery.timeout.ms). Not for transactional producers: kafkajs nests
    // these retries inside its transaction steps, where they multiply into a task that hangs
    // instead of failing (a failed exactly-once task restarts from its committed offsets).
    const kafka = new Kafka({ ...kafkaClientConfig(this.opts.props, clientId), logLevel: logLevel.NOTHING, ...(opts.transactionalId ? {} : { retry: PRODUCER_RETRY }) });
    if (opts.transactionalId && !this.opts.storeTopics) throw new ConnectException('Transactional senders need the internal topics (distributed mode with exactly.once.source.support=enabled)');
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true, transactionalId: opts.transactionalId, transactionTimeout: opts.transactionTimeoutMs });
    const sender = new KafkaSender(producer, this.admin, COMPRESSION[compression], opts, opts.transactionalId ? this.opts.storeTopics! : null);
    this.closables.push(sender);
    return sender;
  }

  createReceiver(groupId: string, clientId: string, opts: ReceiverOptions = {}): RecordReceiver {
    const consumer = new Kafka({ ...kafkaClientConfig(this.opts.props, clientId), logLevel: logLevel.NOTHING }).consumer({
      groupId,
      allowAutoTopicCreation: true,
      sessionTimeout: Number(opts.overrides?.['session.timeout.ms'] ?? this.opts.props['consumer.session.timeout.ms'] ?? 10_000),
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 500,
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

function toKafkaHeaders(headers: LogHeader[]): Message['headers'] {
  const out: Record<string, Buffer[]> = {};
  for (const h of headers) (out[h.key] ??= []).push(h.value ?? Buffer.alloc(0));
  return out;
}

/**
 * Produces a source task's records. Plain: idempotent producer, acks=all. Transactional (exactly-
 * once sources): each send() is one Kafka transaction holding the records and the task's offset
 * writes, so consumers reading committed data see both or neither; or, through `transactions`,
 * one transaction spans several sends until the worker commits it with the offsets (or aborts it).
 */
class KafkaSender implements RecordSender {
  readonly atomicStoreWrites: boolean;
  readonly transactions?: SenderTransactions;
  private connected: Promise<void> | null = null;
  private roundRobin = 0;
  private openTx: Transaction | null = null;

  constructor(
    private readonly producer: Producer,
    private readonly admin: KafkaAdmin,
    private readonly compression: CompressionTypes,
    private readonly opts: SenderOptions,
    private readonly storeTopics: Record<string, string> | null,
  ) {
    this.atomicStoreWrites = storeTopics !== null;
    if (storeTopics) this.transactions = this.multiSendTransactions();
  }

  async init(): Promise<void> {
    this.connected ??= this.producer.connect();
    await this.connected;
    if (this.storeTopics) {
      // kafkajs registers the transactional id (InitProducerId, which fences older producers with
      // it and completes their pending transaction) only when the first transaction begins, not
      // on connect: begin and abort an empty one so the fence is up before offsets are read.
      const tx = await this.producer.transaction();
      await tx.abort();
    }
  }

  async send(records: OutgoingRecord[], storeWrites: StoreWrite[] = []): Promise<DeliveredRecord[]> {
    if (records.length === 0 && (!this.storeTopics || storeWrites.length === 0)) return [];
    if (this.openTx) throw new ConnectException('A transaction is open on this producer: end it (commit or abort) before a one-send transaction');
    this.connected ??= this.producer.connect();
    await this.connected;
    const batch = await this.partitioned(records);
    let result: Awaited<ReturnType<Producer['sendBatch']>>;
    if (this.storeTopics) {
      // Never repeated here: after an error the transaction's outcome is unknown (its commit may
      // have been written), so a second attempt could commit the records twice. kafkajs retries
      // inside the transaction (sequence numbers make that safe); past that the task fails and a
      // new instance fences this one and resumes from the committed offsets.
      const tx = await this.producer.transaction();
      try {
        result = await this.sendOnePartitionAtATime(tx, batch.byPartition, false);
        await this.sendStoreWrites(tx, storeWrites);
        await tx.commit();
      } catch (err) {
        await tx.abort().catch(() => undefined);
        throw err;
      }
    } else {
      // At-least-once: a batch whose acknowledgement was lost may be written twice.
      result = await retryTransient(() => this.sendOnePartitionAtATime(this.producer, batch.byPartition, true));
    }
    return delivered(records, batch.byPartition, result);
  }

  /** Partitions are chosen here (murmur2 of the key, as Kafka's default partitioner) so each record's offset can be derived from its partition batch's base offset. */
  private async partitioned(records: OutgoingRecord[]): Promise<{ byPartition: Map<string, PartitionBatch> }> {
    const byPartition = new Map<string, PartitionBatch>();
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      let partition = r.partition;
      // Also creates a missing topic by the connector's topic.creation rules before the first write.
      const n = await this.admin.partitionCount(r.topic, this.opts.topicCreation?.(r.topic));
      if (partition === null) {
        partition = r.key ? partitionForKey(r.key, n) : this.roundRobin++ % n;
      }
      const k = tpKey({ topic: r.topic, partition });
      let b = byPartition.get(k);
      if (!b) byPartition.set(k, (b = { topic: r.topic, partition, indexes: [], messages: [] }));
      b.indexes.push(i);
      b.messages.push({ key: r.key, value: r.value, partition, timestamp: String(r.timestamp), headers: toKafkaHeaders(r.headers) });
    }
    return { byPartition };
  }

  /**
   * kafkajs, retrying a sendBatch, skips every broker that already answered — also when a
   * partition whose leader failed moved to such a broker, whose messages are then silently
   * dropped (a transaction committed its offsets without its records). A request of one
   * partition only goes to one broker, so each partition gets a sendBatch of its own: in parallel
   * for plain sends, one after the other inside a transaction.
   */
  private async sendOnePartitionAtATime(target: Pick<Producer, 'sendBatch'>, byPartition: Map<string, PartitionBatch>, parallel: boolean): Promise<RecordMetadata[]> {
    const send = (b: PartitionBatch) => target.sendBatch({ acks: -1, compression: this.compression, topicMessages: [{ topic: b.topic, messages: b.messages }] });
    if (parallel) return (await Promise.all([...byPartition.values()].map(send))).flat();
    const out: RecordMetadata[] = [];
    for (const b of byPartition.values()) out.push(...(await send(b)));
    return out;
  }

  /** Offset (store) writes into the open transaction, one message per request for the same reason. */
  private async sendStoreWrites(tx: Transaction, storeWrites: StoreWrite[]): Promise<void> {
    for (const [topic, messages] of this.storeMessages(storeWrites)) {
      for (const m of messages) await tx.sendBatch({ acks: -1, compression: this.compression, topicMessages: [{ topic, messages: [m] }] });
    }
  }

  private storeMessages(storeWrites: StoreWrite[]): Map<string, Message[]> {
    const stores = new Map<string, Message[]>();
    for (const w of storeWrites) {
      const topic = this.storeTopics![w.namespace];
      if (!topic) throw new ConnectException(`No internal topic holds the ${w.namespace} namespace`);
      stores.set(topic, [...(stores.get(topic) ?? []), { key: w.key, value: w.value }]);
    }
    return stores;
  }

  /** Transactions left open across sends (transaction.boundary interval / connector); only for transactional senders. */
  private multiSendTransactions(): SenderTransactions {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const sender = this;
    const begin = async (): Promise<Transaction> => {
      sender.connected ??= sender.producer.connect();
      await sender.connected;
      sender.openTx ??= await sender.producer.transaction();
      return sender.openTx;
    };
    const failed = async (err: unknown): Promise<never> => {
      const tx = sender.openTx;
      sender.openTx = null;
      await tx?.abort().catch(() => undefined);
      throw err;
    };
    return {
      get open() {
        return sender.openTx !== null;
      },
      async send(records) {
        if (records.length === 0) return [];
        const tx = await begin();
        try {
          const batch = await sender.partitioned(records);
          const result = await sender.sendOnePartitionAtATime(tx, batch.byPartition, false);
          return delivered(records, batch.byPartition, result);
        } catch (err) {
          return failed(err);
        }
      },
      async commit(storeWrites) {
        if (!sender.openTx && storeWrites.length === 0) return;
        const tx = await begin();
        try {
          await sender.sendStoreWrites(tx, storeWrites);
          await tx.commit();
          sender.openTx = null;
        } catch (err) {
          await failed(err);
        }
      },
      async abort() {
        const tx = sender.openTx;
        if (!tx) return;
        sender.openTx = null;
        await tx.abort();
      },
    };
  }

  async close(): Promise<void> {
    if (this.connected) await this.producer.disconnect();
  }
}

interface PartitionBatch {
  topic: string;
  partition: number;
  /** Where each message came from in the records handed to send(). */
  indexes: number[];
  messages: Message[];
}

function delivered(records: OutgoingRecord[], byPartition: Map<string, PartitionBatch>, result: Awaited<ReturnType<Producer['sendBatch']>>): DeliveredRecord[] {
  const base = new Map(result.map((m) => [tpKey({ topic: m.topicName, partition: m.partition }), Number(m.baseOffset ?? m.offset ?? -1)]));
  const out: DeliveredRecord[] = new Array(records.length);
  for (const b of byPartition.values()) {
    const first = base.get(tpKey(b));
    b.indexes.forEach((recordIndex, j) => {
      out[recordIndex] = { topic: b.topic, partition: b.partition, offset: first === undefined || first < 0 ? -1 : first + j, timestamp: records[recordIndex].timestamp };
    });
  }
  return out;
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
      for (const [topic, partitions] of Object.entries(e.payload.memberAssignment)) for (const p of partitions) next.add(tpKey({ topic, partition: p }));
      this.rebalances.push(next);
      this.wake?.();
    });
    this.consumer.on(this.consumer.events.CRASH, (e) => {
      if (e.payload.restart) return;
      this.crashed = new ConnectException(`The Kafka consumer of group ${this.groupId} stopped: ${e.payload.error?.message ?? 'unknown error'}`, { cause: e.payload.error });
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
          headers: Object.entries(m.headers ?? {}).flatMap(([key, v]) => (Array.isArray(v) ? v : [v]).map((x) => ({ key, value: x === undefined ? null : Buffer.from(x as Buffer) }))),
        }));
        let consumed = false;
        let markConsumed!: () => void;
        const taken = new Promise<void>((resolve) => { markConsumed = resolve; });
        this.queue.push({ records, done: () => { consumed = true; markConsumed(); } });
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
      const added = [...next].filter((k) => !current.has(k)).map((k) => {
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
        const committed = await this.admin.committedFor(this.groupId, added.map((tp) => tp.topic));
        for (const tp of added) {
          const c = committed.get(tpKey(tp));
          if (c !== undefined) this.positions.set(tpKey(tp), c);
          else if (this.opts.startTimestampMs !== undefined) {
            const at = (await this.admin.offsetForTimestamp(tp, this.opts.startTimestampMs)) ?? (await this.admin.endOffset(tp));
            this.seek(tp, at);
          } else {
            this.positions.set(tpKey(tp), (this.opts.autoOffsetReset ?? 'earliest') === 'earliest' ? await this.admin.startOffset(tp) : await this.admin.endOffset(tp));
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
      await this.consumer.commitOffsets(offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })));
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

  constructor(private readonly admin: Admin, private readonly defaultPartitions: number) {}

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
    const [meta] = await awaitTopicMetadata(this.admin, [topic]);
    this.partitionCounts.set(topic, meta.partitions.length);
    return meta.partitions.length;
  }

  async ensureTopic(topic: string, spec?: TopicCreationSpec): Promise<void> {
    if (await this.describeTopic(topic)) return;
    await this.connect();
    await this.admin.createTopics({
      waitForLeaders: false,
      topics: [{
        topic,
        numPartitions: spec ? spec.partitions : this.defaultPartitions,
        replicationFactor: spec ? spec.replicationFactor : -1,
        configEntries: Object.entries(spec?.configs ?? {}).map(([name, value]) => ({ name, value })),
      }],
    });
    await awaitTopicMetadata(this.admin, [topic]);
  }

  async createTopic(name: string, partitions: number, configs: Record<string, string> = {}): Promise<boolean> {
    await this.connect();
    const created = await this.admin.createTopics({
      waitForLeaders: false,
      topics: [{ topic: name, numPartitions: partitions > 0 ? partitions : this.defaultPartitions, configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })) }],
    });
    await awaitTopicMetadata(this.admin, [name]);
    return created;
  }

  async listTopics(): Promise<TopicInfo[]> {
    await this.connect();
    const meta = await this.admin.fetchTopicMetadata();
    return meta.topics.filter((t) => !t.name.startsWith('__')).map((t) => ({ name: t.name, partitions: t.partitions.length }));
  }

  async describeTopic(name: string): Promise<TopicInfo | undefined> {
    await this.connect();
    const names = await retryTransient(() => this.admin.listTopics());
    if (!names.includes(name)) return undefined;
    // Another broker than the one that listed it may not know a topic created a moment ago.
    const [meta] = await awaitTopicMetadata(this.admin, [name]);
    return { name, partitions: meta.partitions.length };
  }

  private async watermarks(tp: TopicPartition): Promise<{ low: number; high: number }> {
    await this.connect();
    const offsets = await retryTransient(() => this.admin.fetchTopicOffsets(tp.topic));
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
    await this.connect();
    const found = (await retryTransient(() => this.admin.fetchTopicOffsetsByTimestamp(tp.topic, timestampMs))).find((o) => o.partition === tp.partition);
    if (!found || Number(found.offset) < 0) return null;
    // Kafka answers the log end offset when no record is that recent.
    return Number(found.offset) >= (await this.endOffset(tp)) ? null : Number(found.offset);
  }

  async committedFor(groupId: string, topics: string[]): Promise<Map<string, number>> {
    await this.connect();
    const out = new Map<string, number>();
    for (const t of await retryTransient(() => this.admin.fetchOffsets({ groupId, topics: [...new Set(topics)] }))) {
      for (const p of t.partitions) if (Number(p.offset) >= 0) out.set(tpKey({ topic: t.topic, partition: p.partition }), Number(p.offset));
    }
    return out;
  }

  async groupOffsets(groupId: string): Promise<Array<TopicPartition & { offset: number }>> {
    await this.connect();
    const out: Array<TopicPartition & { offset: number }> = [];
    for (const t of await retryTransient(() => this.admin.fetchOffsets({ groupId }))) {
      for (const p of t.partitions) if (Number(p.offset) >= 0) out.push({ topic: t.topic, partition: p.partition, offset: Number(p.offset) });
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
    for (const [topic, partitions] of byTopic) await this.admin.setOffsets({ groupId, topic, partitions });
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.connect();
    try {
      await this.admin.deleteGroups([groupId]);
    } catch (err) {
      if (!/GROUP_ID_NOT_FOUND|does not exist|not found/i.test(JSON.stringify((err as { groups?: unknown }).groups ?? (err as Error).message))) throw err;
    }
  }
}

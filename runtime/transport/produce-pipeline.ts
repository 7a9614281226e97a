/**
 * The accumulator and sender of Kafka's Java producer, on kafkajs's broker connections: records
 * join the last open batch of their partition while it stays within the batch's byte bound
 * (batch.size, max.request.size, the topic's max.message.bytes), so batches fill up across sends
 * while requests are in flight (linger.ms 0: a batch goes as soon as a request slot is free); up
 * to max.in.flight.requests.per.connection requests are in flight per broker, each carrying one
 * batch. With idempotence every batch gets its sequence number once, so a retried batch is written
 * once and in order: after a failure a partition sends nothing new until its in-flight batches have
 * settled, then resends the failed ones one at a time, in sequence order. Records are serialised
 * into their batch's buffer as they are appended (record-batch-builder.ts), buffers of batch.size
 * pooled within buffer.memory (batch-buffer-pool.ts: append() waits for one, as KafkaProducer.send
 * blocks), and requests are written to kafkajs's connections without its framing copies.
 *
 * kafkajs's own producer keeps one produce request per broker in flight when idempotent (a lock
 * per broker), which bounds a partition to one batch per round trip; its Cluster and Broker are
 * used here directly (kafkajs 2.2.4 is the last release, so these internals do not move).
 */
import kafkajs, { type Kafka } from 'kafkajs';
import { ConnectException, KafkaBrokerError } from '../errors.ts';
import { retryTransient } from './kafka-retry.ts';
import { encodeProduceRequest, produceRequestPrefix } from './record-batch-encoder.ts';
import { RecordBatchBuilder } from './record-batch-builder.ts';
import { BatchBufferPool } from './batch-buffer-pool.ts';
import {
  clusterOf,
  PRODUCE_API_KEY,
  PRODUCE_DEFINITION,
  sendEncoded,
  type KafkajsCluster,
} from './kafkajs-internals.ts';
import {
  newBatch,
  newPartitionState,
  type AppendedRun,
  type Batch,
  type PartitionAppend,
  type PartitionState,
} from './produce-batch.ts';

export type { AppendedRun, PartitionAppend } from './produce-batch.ts';

const codecs = kafkajs.CompressionCodecs as Record<
  number,
  () => { compress(encoder: { buffer: Buffer }): Promise<Buffer> }
>;

export interface PipelineSettings {
  acks: -1 | 0 | 1;
  idempotent: boolean;
  /** kafkajs's codec number for compression.type. */
  compression: number;
  maxInFlight: number;
  lingerMs: number;
  requestTimeoutMs: number;
  deliveryTimeoutMs: number;
  retries: number;
  retryBackoffMs: number;
  bufferMemory: number;
  /** batch.size: the size of the pooled batch buffers. */
  batchSize: number;
}

const INT32_MAX = 2147483647;
const isRetriable = (err: unknown) => (err as { retriable?: boolean }).retriable === true;
const errorType = (err: unknown) => (err as { type?: string }).type;
const PRODUCER_STATE_LOST = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
  'PRODUCER_FENCED',
]);
const STALE_METADATA = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
]);

export class ProducePipeline {
  private readonly cluster: KafkajsCluster;
  private readonly partitions = new Map<string, PartitionState>();
  private readonly targetTopics = new Set<string>();
  private readonly inFlightPerNode = new Map<number, number>();
  private producerId = -1n;
  private producerEpoch = 0;
  private connected: Promise<void> | null = null;
  private readonly pool: BatchBufferPool;
  private timer: NodeJS.Timeout | null = null;
  private timerDue = Infinity;
  private metadataStale = false;
  /** Bumped after each metadata refresh this pipeline makes: partitions' cached leaders from before are looked up again. */
  private metadataEpoch = 0;
  /** A batch that can never be written (e.g. its sequence was lost): every later append fails with it. */
  private fatal: unknown = null;
  private closed = false;
  /** Most produce requests in flight at once and most bytes of batch buffers in use, since the start. */
  readonly stats = { requests: 0, peakInFlight: 0, peakBuffered: 0 };

  constructor(
    kafka: Kafka,
    private readonly settings: PipelineSettings,
  ) {
    this.cluster = clusterOf(kafka);
    this.pool = new BatchBufferPool(settings.batchSize, settings.bufferMemory);
  }

  connect(): Promise<void> {
    this.connected ??= (async () => {
      await this.cluster.connect();
      if (this.settings.idempotent) {
        const id = await retryTransient(
          async () => {
            await this.refreshMetadata();
            const broker = await this.cluster.findControllerBroker();
            return broker.initProducerId({ transactionTimeout: 60_000 });
          },
          { timeoutMs: this.settings.deliveryTimeoutMs },
        );
        this.producerId = BigInt(id.producerId);
        this.producerEpoch = id.producerEpoch;
      }
    })();
    this.connected.catch(() => {
      this.connected = null;
    });
    return this.connected;
  }

  /**
   * Appends records to their partitions' open batches, serialising each into its batch's buffer;
   * waits for a buffer when buffer.memory is in use. Returns where each partition's records went, in the order given.
   */
  async append(parts: PartitionAppend[]): Promise<AppendedRun[][]> {
    if (this.closed) throw new ConnectException('The producer is closed');
    if (this.fatal) throw this.fatal;
    await this.connect();
    for (const p of parts) {
      if (this.targetTopics.has(p.topic)) continue;
      try {
        await this.cluster.addTargetTopic(p.topic);
      } finally {
        this.metadataEpoch++;
      }
      this.targetTopics.add(p.topic);
    }
    const out: AppendedRun[][] = [];
    for (const p of parts) out.push(await this.appendPartition(p));
    this.pump();
    return out;
  }

  private async appendPartition(p: PartitionAppend): Promise<AppendedRun[]> {
    const key = `${p.topic}\u0000${p.partition}`;
    let state = this.partitions.get(key);
    if (!state) this.partitions.set(key, (state = newPartitionState(p.topic, p.partition)));
    const out: AppendedRun[] = [];
    let tail = state.queue.at(-1);
    let run: AppendedRun | null = null;
    for (let i = 0; i < p.records.length; i++) {
      const r = p.records[i];
      if (!tail || !tail.open || !tail.builder.tryAppend(r)) {
        if (tail) tail.open = false;
        const buffer = await this.allocate(RecordBatchBuilder.sizeFor(r));
        tail = newBatch(p.topic, p.partition, buffer, p.cap);
        state.queue.push(tail);
        tail.builder.tryAppend(r);
      }
      if (run === null || run.batch !== tail) {
        run = { batch: tail, position: tail.builder.count - 1, count: 0 };
        out.push(run);
      }
      run.count++;
    }
    return out;
  }

  /** A batch buffer from the pool, waiting (and sending meanwhile) while buffer.memory is in use. */
  private async allocate(size: number): Promise<Buffer> {
    for (;;) {
      if (this.fatal) throw this.fatal;
      if (this.closed) throw new ConnectException('The producer is closed');
      const buffer = this.pool.tryAllocate(size);
      if (buffer) {
        if (this.pool.used > this.stats.peakBuffered) this.stats.peakBuffered = this.pool.used;
        return buffer;
      }
      this.pump();
      await this.pool.waitForRoom();
    }
  }

  /** Resolves once every batch appended so far is acknowledged or failed. */
  async flush(): Promise<void> {
    const pending: Array<Promise<number>> = [];
    for (const s of this.partitions.values())
      for (const b of [...s.inFlight, ...s.retry, ...s.queue]) pending.push(b.done);
    await Promise.allSettled(pending);
  }

  /** Sends what can be sent: failed batches first (one at a time), then new ones while request slots are free. */
  private pump(): void {
    if (this.closed) return;
    for (const s of this.partitions.values()) {
      if (s.rewindTo !== null) {
        if (s.inFlight.length > 0) continue;
        s.nextSequence = s.rewindTo;
        s.rewindTo = null;
      }
      if (s.recovering) {
        if (s.inFlight.length > 0) continue;
        const next = s.retry[0];
        if (!next) {
          s.recovering = false;
        } else {
          const wait = s.retryAt - Date.now();
          if (wait > 0) {
            this.pumpIn(wait);
            continue;
          }
          s.retry.shift();
          void this.dispatch(s, next);
          continue;
        }
      }
      while (s.queue.length > 0 && s.inFlight.length < this.settings.maxInFlight) {
        const node = this.leaderOf(s);
        if (node !== null && (this.inFlightPerNode.get(node) ?? 0) >= this.settings.maxInFlight) break;
        const head = s.queue[0];
        const lingering =
          this.settings.lingerMs > 0 && head.open && !head.builder.full
            ? head.createdAt + this.settings.lingerMs - Date.now()
            : 0;
        if (lingering > 0) {
          this.pumpIn(lingering);
          break;
        }
        const b = s.queue.shift()!;
        b.open = false;
        if (this.settings.idempotent) {
          b.sequence = s.nextSequence;
          s.nextSequence = (s.nextSequence + b.builder.count) % (INT32_MAX + 1);
        }
        void this.dispatch(s, b);
      }
    }
  }

  private pumpIn(ms: number): void {
    const due = Date.now() + ms;
    if (this.timer && this.timerDue <= due) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerDue = Infinity;
      this.pump();
    }, ms);
  }

  private async refreshMetadata(): Promise<void> {
    try {
      await this.cluster.refreshMetadata();
    } finally {
      this.metadataEpoch++;
    }
  }

  /**
   * The partition's leader by the metadata last refreshed here, looked up once per refresh (a
   * leader that moved since answers NOT_LEADER_OR_FOLLOWER, which marks the metadata stale).
   */
  private leaderOf(s: PartitionState): number | null {
    if (s.leaderEpoch === this.metadataEpoch) return s.leader;
    let leader: number | null = null;
    try {
      const node = Object.keys(this.cluster.findLeaderForPartitions(s.topic, [s.partition]))[0];
      leader = node === undefined ? null : Number(node);
    } catch {
      leader = null;
    }
    if (leader !== null) {
      s.leader = leader;
      s.leaderEpoch = this.metadataEpoch;
    }
    return leader;
  }

  private async dispatch(s: PartitionState, b: Batch): Promise<void> {
    s.inFlight.push(b);
    b.attempts++;
    const node = this.leaderOf(s);
    const previousWrite = s.lastWrite;
    let written!: () => void;
    s.lastWrite = new Promise<void>((resolve) => {
      written = resolve;
    });
    if (node !== null) this.inFlightPerNode.set(node, (this.inFlightPerNode.get(node) ?? 0) + 1);
    this.stats.requests++;
    this.stats.peakInFlight = Math.max(this.stats.peakInFlight, this.inFlightPerNode.get(node ?? -1) ?? 1);
    try {
      if (this.metadataStale || node === null) {
        this.metadataStale = false;
        await this.refreshMetadata();
      }
      const leader = node ?? this.leaderOf(s);
      if (leader === null)
        throw new KafkaBrokerError('LEADER_NOT_AVAILABLE', `No leader known for ${s.topic}-${s.partition}`, {
          retriable: true,
        });
      const broker = await this.cluster.findBroker({ nodeId: leader });
      b.encoded ??= await this.encode(b);
      const { request, response } = broker.lookupRequest(
        PRODUCE_API_KEY,
        PRODUCE_DEFINITION,
      )({ acks: this.settings.acks, timeout: this.settings.requestTimeoutMs, topicData: [] });
      await previousWrite;
      // `written` runs once the request is queued on the connection: a later request of the
      // partition is queued (and written) after it.
      const res = await sendEncoded(broker, request, b.encoded, this.settings.acks !== 0, response, written);
      const base = this.settings.acks === 0 ? -1 : Number(res?.topics[0]?.partitions[0]?.baseOffset ?? -1);
      this.settle(s, b, true);
      b.resolve(base);
    } catch (err) {
      this.failed(s, b, err);
    } finally {
      written();
      if (node !== null) this.inFlightPerNode.set(node, (this.inFlightPerNode.get(node) ?? 1) - 1);
      this.pump();
    }
  }

  /** The request's body: its prefix and the batch, in place in the batch's buffer, or one buffer with the compressed batch. */
  private async encode(b: Batch): Promise<Buffer[]> {
    const codec = this.settings.compression;
    const header = {
      producerId: this.producerId,
      producerEpoch: this.producerEpoch,
      baseSequence: this.settings.idempotent ? b.sequence : -1,
      codec,
    };
    const request = {
      acks: this.settings.acks,
      timeoutMs: this.settings.requestTimeoutMs,
      topic: b.topic,
      partition: b.partition,
    };
    const builder = b.builder;
    if (codec === 0) {
      const batch = builder.close(header);
      return [produceRequestPrefix(request, batch.length), batch];
    }
    const records = await codecs[codec]().compress({ buffer: builder.records() });
    return [
      encodeProduceRequest({
        ...request,
        count: builder.count,
        baseTimestamp: builder.baseTimestamp,
        maxTimestamp: builder.maxTimestamp,
        header,
        recordsSection: records,
      }),
    ];
  }

  /**
   * The batch is done (acknowledged or failed): its buffer goes back to the pool, for reuse only
   * when `answered` (a request that failed may still sit in a socket's write queue).
   */
  private settle(s: PartitionState, b: Batch, answered: boolean): void {
    const i = s.inFlight.indexOf(b);
    if (i >= 0) s.inFlight.splice(i, 1);
    b.encoded = null;
    if (!b.holdsBuffer) return;
    b.holdsBuffer = false;
    this.pool.release(b.builder.buffer, answered);
  }

  private failed(s: PartitionState, b: Batch, err: unknown): void {
    const type = errorType(err);
    if (type === 'DUPLICATE_SEQUENCE_NUMBER') {
      // The broker wrote this batch before (an earlier attempt's answer was lost); its offset is not returned.
      this.settle(s, b, true);
      b.resolve(-1);
      return;
    }
    const i = s.inFlight.indexOf(b);
    if (i >= 0) s.inFlight.splice(i, 1);
    // Refused because an earlier batch of the partition failed first: it goes again after that one.
    const afterEarlierFailure =
      type === 'OUT_OF_ORDER_SEQUENCE_NUMBER' && s.recovering && s.retry.some((r) => r.sequence < b.sequence);
    const expired = Date.now() - b.createdAt >= this.settings.deliveryTimeoutMs;
    if (!this.closed && (isRetriable(err) || afterEarlierFailure) && b.attempts <= this.settings.retries && !expired) {
      if (STALE_METADATA.has(type ?? '') || (err as Error).name?.startsWith('KafkaJSConnection'))
        this.metadataStale = true;
      s.recovering = true;
      // retry.backoff.ms doubling per attempt up to 1 s (the Java producer's retry.backoff.max.ms).
      s.retryAt =
        Date.now() +
        Math.min(this.settings.retryBackoffMs * 2 ** (b.attempts - 1), Math.max(1000, this.settings.retryBackoffMs));
      s.retry.push(b);
      s.retry.sort((x, y) => x.sequence - y.sequence);
      return;
    }
    const why = expired
      ? `delivery.timeout.ms (${this.settings.deliveryTimeoutMs}) passed`
      : b.attempts > this.settings.retries
        ? `retries (${this.settings.retries}) exhausted`
        : 'not retriable';
    const failure = new ConnectException(
      `Producing ${b.builder.count} record(s) to ${s.topic}-${s.partition} failed (${why}): ${(err as Error)?.message ?? String(err)}`,
      { cause: err },
    );
    (failure as { type?: string }).type = type;
    this.settle(s, b, false);
    b.reject(failure);
    // Later batches of the partition would be written out of order (or refused): they fail with it.
    for (const later of [...s.retry.splice(0), ...s.queue.splice(0)]) {
      this.settle(s, later, false);
      later.reject(failure);
    }
    s.recovering = false;
    if (!this.settings.idempotent) return;
    // A batch refused by the broker left no trace: the partition's sequence goes back to it. Past
    // the delivery timeout or with the producer's state lost on the broker, whether it was
    // written is unknown: the producer stops (the task restarts from its committed offsets).
    const afterRefusal = s.rewindTo !== null && b.sequence > s.rewindTo;
    if (expired || (PRODUCER_STATE_LOST.has(type ?? '') && !afterRefusal)) {
      this.fatal ??= failure;
      this.pool.wakeAll();
    } else s.rewindTo = Math.min(s.rewindTo ?? b.sequence, b.sequence);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const closing = new ConnectException('The producer was closed before these records were acknowledged');
    for (const s of this.partitions.values()) {
      for (const b of [...s.retry.splice(0), ...s.queue.splice(0)]) {
        this.settle(s, b, false);
        b.reject(closing);
      }
    }
    await Promise.allSettled([...this.partitions.values()].flatMap((s) => s.inFlight.map((b) => b.done)));
    this.pool.wakeAll();
    if (this.connected) await this.cluster.disconnect().catch(() => undefined);
  }
}

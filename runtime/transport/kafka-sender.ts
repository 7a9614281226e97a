/**
 * Produces a source task's records through kafkajs, bounded as Kafka's Java producer bounds them:
 * each partition's records go out in record batches of at most batch.size bytes (a larger record
 * alone), each batch in a request within max.request.size and the topic's max.message.bytes. A
 * record that cannot fit fails the send before anything is written (RecordTooLargeException,
 * naming topic, partition, size and limit). Plain: idempotent, acks=all by default, through the
 * produce pipeline (produce-pipeline.ts: batches fill across sends, several requests in flight),
 * and submit() returns once the records are accepted, their acknowledgement later.
 * Transactional (exactly-once sources): each send() is one Kafka transaction holding the records
 * and the task's offset writes; or, through `transactions`, one transaction spans several sends.
 */
import zlib from 'node:zlib';
import type { Message, Producer, RecordMetadata, Transaction } from 'kafkajs';
import { ConnectException } from '../errors.ts';
import { isKafkaError } from './kafka-errors.ts';
import { partitionForKey } from './murmur2.ts';
import { COMPRESSION_TYPES, compressAs } from './kafka-compression.ts';
import type { ProducerSettings } from './kafka-client-settings.ts';
import { batchCap, planBatches, type OversizedRecord } from './record-batch-plan.ts';
import type { AppendedRun, ProducePipeline } from './produce-pipeline.ts';
import { produceRequestOverhead, RECORD_BATCH_OVERHEAD } from './record-batch-size.ts';
import type { KafkaAdmin } from './kafka-admin.ts';
import type {
  DeliveredRecord,
  LogHeader,
  OutgoingRecord,
  RecordSender,
  SenderOptions,
  SenderTransactions,
  StoreWrite,
  SubmitOptions,
  SubmittedRecords,
  TopicPartition,
} from './types.ts';

const tpKey = (tp: TopicPartition) => `${tp.topic}\u0000${tp.partition}`;

/** A record that cannot be produced within the limits; `records` lists each with its position in the send. */
export class RecordTooLargeException extends ConnectException {
  constructor(readonly records: Array<OversizedRecord & TopicPartition>) {
    super(records.map(describeOversized).join('\n'), { code: 'TRIB_ERR_RECORD_TOO_LARGE' });
  }
}

export function describeOversized(r: OversizedRecord & TopicPartition): string {
  const fix =
    r.config === 'max.request.size'
      ? "raise producer.max.request.size (worker) or producer.override.max.request.size (connector), and the topic's max.message.bytes with it"
      : "raise the topic's max.message.bytes (e.g. topic.creation.default.max.message.bytes for topics the connector creates) or make the record smaller";
  return `RecordTooLargeException: a record for topic ${r.topic} partition ${r.partition} is ${r.size} bytes when serialized, larger than ${r.config}=${r.limit}: ${fix}`;
}

interface PartitionRecords {
  topic: string;
  partition: number;
  /** Where each record came from in the records handed to send(). */
  indexes: number[];
  records: OutgoingRecord[];
}

interface PlannedBatch {
  topic: string;
  partition: number;
  indexes: number[];
  messages: Message[];
}

/** One partition's records of a send, checked against the limits. */
interface PlannedPartition extends PartitionRecords {
  /** The byte bound of one batch of this partition. */
  cap: number;
  messages: Message[];
  batches: PlannedBatch[];
}

function toKafkaHeaders(headers: LogHeader[]): Message['headers'] {
  const out: Record<string, Buffer[]> = {};
  for (const h of headers) (out[h.key] ??= []).push(h.value ?? Buffer.alloc(0));
  return out;
}

/** The compressed bytes of one record's key, value and headers, to decide whether its batch fits max.message.bytes. */
async function compressedRecordBytes(r: OutgoingRecord, compression: ProducerSettings['compression']): Promise<number> {
  const raw = Buffer.concat([
    r.key ?? Buffer.alloc(0),
    r.value ?? Buffer.alloc(0),
    ...r.headers.flatMap((h) => [Buffer.from(h.key), h.value ?? Buffer.alloc(0)]),
  ]);
  switch (compression) {
    case 'gzip':
      return zlib.gzipSync(raw).length;
    case 'snappy':
    case 'lz4':
    case 'zstd':
      return (await compressAs(compression, raw)).length;
    default:
      return raw.length;
  }
}

export interface KafkaSenderOptions extends SenderOptions {
  clientId: string;
  settings: ProducerSettings;
  /** Transactional senders: the internal topic of each store namespace. */
  storeTopics: Record<string, string> | null;
}

export class KafkaSender implements RecordSender {
  readonly atomicStoreWrites: boolean;
  readonly transactions?: SenderTransactions;
  private connected: Promise<void> | null = null;
  private roundRobin = 0;
  private openTx: Transaction | null = null;

  constructor(
    /** Transactional senders: kafkajs's producer (transactions, sendOffsets, fencing). */
    private readonly producer: Producer | null,
    private readonly admin: KafkaAdmin,
    private readonly opts: KafkaSenderOptions,
    /** Plain senders. */
    private readonly pipeline: ProducePipeline | null = null,
  ) {
    this.atomicStoreWrites = opts.storeTopics !== null;
    if (opts.storeTopics) this.transactions = this.multiSendTransactions();
  }

  private get settings(): ProducerSettings {
    return this.opts.settings;
  }

  async init(): Promise<void> {
    if (this.pipeline) return this.pipeline.connect();
    this.connected ??= this.producer!.connect();
    await this.connected;
    if (this.opts.storeTopics) {
      // kafkajs registers the transactional id (InitProducerId, which fences older producers with
      // it and completes their pending transaction) only when the first transaction begins, not
      // on connect: begin and abort an empty one so the fence is up before offsets are read.
      const tx = await this.producer!.transaction();
      await tx.abort();
    }
  }

  async send(records: OutgoingRecord[], storeWrites: StoreWrite[] = []): Promise<DeliveredRecord[]> {
    if (records.length === 0 && (!this.opts.storeTopics || storeWrites.length === 0)) return [];
    if (this.pipeline) return (await this.submit(records)).acked;
    if (this.openTx)
      throw new ConnectException(
        'A transaction is open on this producer: end it (commit or abort) before a one-send transaction',
      );
    const producer = this.producer!;
    this.connected ??= producer.connect();
    await this.connected;
    const batches = (await this.plan(records)).map((p) => p.batches);
    // Never repeated here: after an error the transaction's outcome is unknown (its commit may
    // have been written), so a second attempt could commit the records twice. kafkajs retries
    // inside the transaction (sequence numbers make that safe); past that the task fails and a
    // new instance fences this one and resumes from the committed offsets.
    const tx = await producer.transaction();
    let result: Map<PlannedBatch, number>;
    try {
      result = await this.sendBatches(tx, batches);
      await this.sendStoreWrites(tx, storeWrites);
      await tx.commit();
    } catch (err) {
      await tx.abort().catch(() => undefined);
      throw err;
    }
    return delivered(records, batches, result);
  }

  /**
   * Plain senders: checks the records against the limits (RecordTooLargeException before anything
   * is buffered), appends them to their partitions' batches (waiting for room in buffer.memory) and
   * resolves; `acked` resolves once every one is acknowledged, in the order given. Nothing of the
   * records is kept once they are appended (their bytes are in the batches): only where each went.
   */
  async submit(records: OutgoingRecord[], options: SubmitOptions = {}): Promise<SubmittedRecords> {
    const pipeline = this.pipeline;
    if (!pipeline) throw new ConnectException('Transactional senders send with send() or transactions');
    if (records.length === 0) return { acked: Promise.resolve([]) };
    await pipeline.connect();
    const parts = await this.plan(records);
    const placed = await pipeline.append(parts.map(appendOf));
    // No closure here may capture `records`: one waiting for the acknowledgement would keep every
    // record (and the converter buffers its key and value are views of) alive until then.
    const out = options.metadata === false ? null : pendingDeliveries(records, parts);
    const acked = this.acknowledged(out, parts.map(targetOf), placed);
    acked.catch(ignore);
    return { acked };
  }

  /** Fills in each record's offset in `out` (when wanted) once its batch is acknowledged. */
  private async acknowledged(
    out: DeliveredRecord[] | null,
    parts: Array<{ topic: string; partition: number; indexes: number[] }>,
    placed: AppendedRun[][],
  ): Promise<DeliveredRecord[]> {
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      let j = 0;
      for (const run of placed[i]) {
        let base: number;
        try {
          base = await run.batch.done;
        } catch (err) {
          throw this.explained(err, p.topic, p.partition, p.indexes.length);
        }
        if (out !== null && base >= 0)
          for (let k = 0; k < run.count; k++) out[p.indexes[j + k]].offset = base + run.position + k;
        j += run.count;
      }
    }
    return out ?? [];
  }

  /** Partitions are chosen here (murmur2 of the key, as Kafka's default partitioner) so each record's offset can be derived from its batch's base offset. */
  private async partitioned(records: OutgoingRecord[]): Promise<Map<string, PartitionRecords>> {
    const byPartition = new Map<string, PartitionRecords>();
    const counts = new Map<string, number>();
    for (let i = 0; i < records.length; i++) {
      const r = records[i];
      let partition = r.partition;
      let n = counts.get(r.topic);
      if (n === undefined) {
        // Also creates a missing topic by the connector's topic.creation rules before the first write.
        n = await this.admin.partitionCount(r.topic, this.opts.topicCreation?.(r.topic));
        counts.set(r.topic, n);
      }
      if (partition === null) partition = r.key ? partitionForKey(r.key, n) : this.roundRobin++ % n;
      const k = tpKey({ topic: r.topic, partition });
      let p = byPartition.get(k);
      if (!p) byPartition.set(k, (p = { topic: r.topic, partition, indexes: [], records: [] }));
      p.indexes.push(i);
      p.records.push(r);
    }
    return byPartition;
  }

  /** Every partition's records in byte-bounded batches, in order; throws before anything is sent when a record cannot fit. */
  private async plan(records: OutgoingRecord[]): Promise<PlannedPartition[]> {
    const out: PlannedPartition[] = [];
    const oversized: Array<OversizedRecord & TopicPartition> = [];
    const transactionalId = this.opts.transactionalId ?? null;
    for (const p of (await this.partitioned(records)).values()) {
      const maxMessageBytes = await this.admin.maxMessageBytes(p.topic);
      const limits = {
        batchSize: this.settings.batchSize,
        maxRequestSize: this.settings.maxRequestSize,
        requestOverhead: produceRequestOverhead(this.settings.clientId ?? this.opts.clientId, transactionalId, p.topic),
        maxMessageBytes,
        compressed: this.settings.compression !== 'none',
      };
      const plan = planBatches(p.records, limits);
      const dropped = new Set<number>();
      for (const c of plan.compressionDecides) {
        const size =
          RECORD_BATCH_OVERHEAD + 32 + (await compressedRecordBytes(p.records[c.index], this.settings.compression));
        if (size > maxMessageBytes) {
          dropped.add(c.index);
          plan.oversized.push({ ...c, size });
        }
      }
      for (const o of plan.oversized)
        oversized.push({ ...o, index: p.indexes[o.index], topic: p.topic, partition: p.partition });
      // kafkajs messages only for transactional sends; the pipeline encodes the records itself.
      const messages = this.pipeline
        ? []
        : p.records.map((r): Message => ({
            key: r.key,
            value: r.value,
            partition: p.partition,
            timestamp: String(r.timestamp),
            headers: toKafkaHeaders(r.headers),
          }));
      const batches = this.pipeline
        ? []
        : plan.batches
            .filter((b) => !(b.length === 1 && dropped.has(b[0])))
            .map((b) => ({
              topic: p.topic,
              partition: p.partition,
              indexes: b.map((j) => p.indexes[j]),
              messages: b.map((j) => messages[j]),
            }));
      out.push({ ...p, cap: batchCap(limits), messages, batches });
    }
    if (oversized.length > 0) throw new RecordTooLargeException(oversized.sort((a, b) => a.index - b.index));
    return out;
  }

  /**
   * Inside a transaction. kafkajs, retrying a sendBatch, skips every broker that already answered
   * — also when a partition whose leader failed moved to such a broker, whose messages are then
   * silently dropped (a transaction committed its offsets without its records). A request of one
   * partition only goes to one broker, so each batch gets a sendBatch of its own, one after the
   * other. Resolves each batch's base offset.
   */
  private async sendBatches(
    target: Pick<Producer, 'sendBatch'>,
    partitions: PlannedBatch[][],
  ): Promise<Map<PlannedBatch, number>> {
    const base = new Map<PlannedBatch, number>();
    const s = this.settings;
    for (const batches of partitions) {
      for (const b of batches) {
        const meta = await target
          .sendBatch({
            acks: s.acks,
            timeout: s.requestTimeoutMs,
            compression: COMPRESSION_TYPES[s.compression],
            topicMessages: [{ topic: b.topic, messages: b.messages }],
          })
          .catch((err) => {
            throw this.explained(err, b.topic, b.partition, b.messages.length);
          });
        base.set(b, firstOffset(meta));
      }
    }
    return base;
  }

  /** The broker refused a batch as too large (its max.message.bytes changed since it was read): say which and forget the cached limit. */
  private explained(err: unknown, topic: string, partition: number, count: number): unknown {
    if (!isKafkaError(err, 'MESSAGE_TOO_LARGE')) return err;
    this.admin.forgetLimits(topic);
    return new ConnectException(
      `The broker refused a batch of ${count} record(s) for topic ${topic} partition ${partition} as larger than the topic's max.message.bytes (read again on the next attempt): ${(err as Error).message}`,
      { cause: err },
    );
  }

  /** Offset (store) writes into the open transaction, one message per request for the same reason. */
  private async sendStoreWrites(tx: Transaction, storeWrites: StoreWrite[]): Promise<void> {
    for (const [topic, messages] of this.storeMessages(storeWrites)) {
      for (const m of messages)
        await tx.sendBatch({
          acks: -1,
          compression: COMPRESSION_TYPES[this.settings.compression],
          topicMessages: [{ topic, messages: [m] }],
        });
    }
  }

  private storeMessages(storeWrites: StoreWrite[]): Map<string, Message[]> {
    const stores = new Map<string, Message[]>();
    for (const w of storeWrites) {
      const topic = this.opts.storeTopics![w.namespace];
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
      sender.connected ??= sender.producer!.connect();
      await sender.connected;
      sender.openTx ??= await sender.producer!.transaction();
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
          const batches = (await sender.plan(records)).map((p) => p.batches);
          const result = await sender.sendBatches(tx, batches);
          return delivered(records, batches, result);
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

  /** Plain senders: produce requests sent, most in flight at once, most bytes buffered. */
  get pipelineStats(): ProducePipeline['stats'] | null {
    return this.pipeline?.stats ?? null;
  }

  /** Plain senders: resolves once everything submitted so far is acknowledged or failed. */
  async flush(): Promise<void> {
    await this.pipeline?.flush();
  }

  async close(): Promise<void> {
    if (this.pipeline) await this.pipeline.close();
    if (this.connected) await this.producer!.disconnect();
  }
}

const ignore = () => undefined;

const appendOf = (p: PlannedPartition) => ({ topic: p.topic, partition: p.partition, cap: p.cap, records: p.records });

const targetOf = (p: PlannedPartition) => ({ topic: p.topic, partition: p.partition, indexes: p.indexes });

/** Each record's delivery, its offset filled in once acknowledged. */
function pendingDeliveries(records: OutgoingRecord[], parts: PlannedPartition[]): DeliveredRecord[] {
  const out: DeliveredRecord[] = new Array(records.length);
  for (const p of parts)
    for (const index of p.indexes)
      out[index] = { topic: p.topic, partition: p.partition, offset: -1, timestamp: records[index].timestamp };
  return out;
}

function firstOffset(meta: RecordMetadata[]): number {
  const m = meta[0];
  const offset = Number(m?.baseOffset ?? m?.offset ?? -1);
  return Number.isFinite(offset) ? offset : -1;
}

function delivered(
  records: OutgoingRecord[],
  partitions: PlannedBatch[][],
  base: Map<PlannedBatch, number>,
): DeliveredRecord[] {
  const out: DeliveredRecord[] = new Array(records.length);
  for (const batches of partitions) {
    for (const b of batches) {
      const first = base.get(b) ?? -1;
      b.indexes.forEach((recordIndex, j) => {
        out[recordIndex] = {
          topic: b.topic,
          partition: b.partition,
          offset: first < 0 ? -1 : first + j,
          timestamp: records[recordIndex].timestamp,
        };
      });
    }
  }
  return out;
}

/**
 * The sink side of the Kafka transport: a kafkajs consumer in the connector's group whose fetched
 * batches wait until the task polls them (backpressure), with Kafka's rebalances turned into the
 * worker's assigned/revoked callbacks and offsets committed only when the worker says so.
 */
import type { Consumer, KafkaMessage } from 'kafkajs';
import { ConnectException } from '../errors.ts';
import type { Logger } from '../logging.ts';
import { sleep } from '../util/sleep.ts';
import type { KafkaAdmin } from './kafka-admin.ts';
import { tpKey } from './kafka-topic-partition.ts';
import type {
  LogRecord,
  RebalanceListener,
  ReceiverOptions,
  RecordReceiver,
  Subscription,
  TopicPartition,
} from './types.ts';

interface PendingBatch {
  records: LogRecord[];
  done: () => void;
}

export class KafkaReceiver implements RecordReceiver {
  private assigned: TopicPartition[] = [];
  private readonly positions = new Map<string, number>();
  private readonly queue: PendingBatch[] = [];
  /** Records and key+value bytes waiting in the queue. */
  private queuedRecords = 0;
  private queuedBytes = 0;
  /** The largest maxRecords a poll asked for: prefetching stops at twice that. */
  private pollSize = 500;
  /** The high watermark of each partition's last fetch, for the consumer lag. */
  private readonly highWatermarks = new Map<string, number>();
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
      // kafkajs restarts every partition of a new generation from the group's committed offset:
      // the records fetched ahead are dropped and a partition the task keeps goes on from where the
      // task is (its position), before kafkajs's first fetch of the generation.
      this.dropQueued(() => true);
      for (const [key, offset] of this.positions) {
        if (!next.has(key)) continue;
        const [topic, p] = key.split('\u0000');
        this.consumer.seek({ topic, partition: Number(p), offset: String(offset) });
      }
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
        const records = toLogRecords(batch.topic, batch.partition, batch.messages);
        this.highWatermarks.set(tpKey(batch), Number(batch.highWatermark));
        let consumed = false;
        let markConsumed!: () => void;
        const taken = new Promise<void>((resolve) => {
          markConsumed = resolve;
        });
        const bytes = recordBytes(records);
        this.queuedRecords += records.length;
        this.queuedBytes += bytes;
        this.queue.push({
          records,
          done: () => {
            consumed = true;
            markConsumed();
          },
        });
        this.wake?.();
        // Fetch ahead while less than two polls' worth is waiting (as Kafka's consumer fetches while
        // the application works): the next put() gets a full max.poll.records and the fetch's round
        // trip overlaps the task's work. The offset is resolved now: kafkajs's fetch position only;
        // a seek or a revocation drops queued records of its partitions.
        if (this.queuedRecords < 2 * this.pollSize && this.queuedBytes < PREFETCH_MAX_BYTES) {
          resolveOffset(batch.lastOffset());
          return;
        }
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
        this.dropQueued((r) => gone.has(tpKey(r)));
        for (const tp of revoked) this.highWatermarks.delete(tpKey(tp));
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
      if (maxRecords > this.pollSize) this.pollSize = maxRecords;
      const out = this.take(maxRecords);
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

  takeQueued(maxRecords: number): LogRecord[] {
    if (this.rebalances.length > 0 || this.crashed) return [];
    if (maxRecords > this.pollSize) this.pollSize = maxRecords;
    return this.take(maxRecords);
  }

  /** Up to maxRecords queued records, in fetch order; positions advance past them. */
  private take(maxRecords: number): LogRecord[] {
    let out: LogRecord[] = [];
    while (this.queue.length > 0 && out.length < maxRecords) {
      const b = this.queue[0];
      let take: LogRecord[];
      if (b.records.length <= maxRecords - out.length) {
        take = b.records;
        this.queue.shift();
        b.done();
      } else take = b.records.splice(0, maxRecords - out.length);
      out = out.length === 0 ? take : out.concat(take);
    }
    this.queuedRecords -= out.length;
    this.queuedBytes -= recordBytes(out);
    if (this.queue.length === 0) {
      this.queuedRecords = 0;
      this.queuedBytes = 0;
    }
    let last: LogRecord | null = null;
    for (const r of out) {
      if (last !== null && (r.partition !== last.partition || r.topic !== last.topic))
        this.positions.set(tpKey(last), last.offset + 1);
      last = r;
    }
    if (last !== null) this.positions.set(tpKey(last), last.offset + 1);
    return out;
  }

  /** Drops queued records matching `gone`, keeping the queue's counters right. */
  private dropQueued(gone: (r: LogRecord) => boolean): void {
    for (const b of this.queue) {
      const kept = b.records.filter((r) => !gone(r));
      if (kept.length === b.records.length) continue;
      this.queuedRecords -= b.records.length - kept.length;
      this.queuedBytes -= recordBytes(b.records) - recordBytes(kept);
      b.records = kept;
    }
  }

  /** The partition's high watermark as of its last fetch (undefined before one). */
  endOffsetHint(tp: TopicPartition): number | undefined {
    return this.highWatermarks.get(tpKey(tp));
  }

  seek(tp: TopicPartition, offset: number): void {
    const key = tpKey(tp);
    this.dropQueued((r) => tpKey(r) === key);
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
    this.queuedRecords = 0;
    this.queuedBytes = 0;
    await this.consumer.disconnect().catch(() => undefined);
  }
}

/** Fetched records beyond this many key+value bytes wait for the task (the fetch is held). */
const PREFETCH_MAX_BYTES = 16 * 1024 * 1024;

const NO_HEADERS: Readonly<Record<string, unknown>> = {};

function toLogRecords(topic: string, partition: number, messages: KafkaMessage[]): LogRecord[] {
  const out = new Array<LogRecord>(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    out[i] = {
      topic,
      partition,
      offset: Number(m.offset),
      timestamp: Number(m.timestamp),
      key: m.key,
      value: m.value,
      headers: toHeaders(m.headers ?? NO_HEADERS),
    };
  }
  return out;
}

function toHeaders(h: Readonly<Record<string, unknown>>): LogRecord['headers'] {
  const out: LogRecord['headers'] = [];
  for (const key in h) {
    const v = h[key];
    for (const x of Array.isArray(v) ? v : [v])
      out.push({ key, value: x === undefined ? null : Buffer.from(x as Buffer) });
  }
  return out;
}

function recordBytes(records: LogRecord[]): number {
  let n = 0;
  for (const r of records) n += (r.key?.length ?? 0) + (r.value?.length ?? 0);
  return n;
}

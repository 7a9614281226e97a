/**
 * The sink side of the Kafka transport: a kafkajs consumer in the connector's group whose fetched
 * batches wait until the task polls them (backpressure), with Kafka's rebalances turned into the
 * worker's assigned/revoked callbacks and offsets committed only when the worker says so.
 */
import type { Consumer } from 'kafkajs';
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

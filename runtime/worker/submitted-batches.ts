/**
 * Poll batches handed to a pipelining sender and not yet acknowledged, oldest first (Kafka
 * Connect's SubmittedRecords): a batch's offsets become committable, and its records are committed
 * to the task, only once it and every batch before it are acknowledged.
 */
import type { SourceRecord } from '../data/records.ts';
import type { SourceTask } from '../spi/source.ts';
import type { DeliveredRecord } from '../transport/types.ts';
import type { SourceOffsetTracker, TrackedOffsets } from './source-offset-tracker.ts';

interface SubmittedBatch {
  settled: boolean;
  error: unknown;
  delivered: DeliveredRecord[];
  sent: SourceRecord[];
  filtered: SourceRecord[];
  offsets: TrackedOffsets;
}

export class SubmittedBatches {
  private readonly queue: SubmittedBatch[] = [];
  private changed: (() => void) | null = null;

  constructor(
    private readonly task: SourceTask,
    private readonly offsets: SourceOffsetTracker,
  ) {}

  /**
   * Queues a submitted batch; it settles when `acked` does. Its records are held until then only
   * for a task that wants them back (commitRecord): up to buffer.memory of records.
   */
  add(
    acked: Promise<DeliveredRecord[]>,
    sent: SourceRecord[],
    filtered: SourceRecord[],
    offsets: TrackedOffsets,
  ): void {
    const keep = this.task.commitRecord !== undefined;
    const entry: SubmittedBatch = {
      settled: false,
      error: null,
      delivered: [],
      sent: keep ? sent : [],
      filtered: keep ? filtered : [],
      offsets,
    };
    this.queue.push(entry);
    const settle = () => {
      entry.settled = true;
      this.changed?.();
    };
    acked.then(
      (d) => {
        if (keep) entry.delivered = d;
        settle();
      },
      (err) => {
        entry.error = err;
        settle();
      },
    );
  }

  /**
   * The acknowledged batches at the head of the queue hand their offsets over for the next flush
   * and their records to the task's commitRecord, in order; a failed one fails the task (its
   * offsets and every later batch's are never committed).
   */
  async completeAcknowledged(): Promise<void> {
    while (this.queue.length > 0 && this.queue[0].settled) {
      const head = this.queue.shift()!;
      if (head.error) {
        this.queue.length = 0;
        throw head.error;
      }
      for (const [key, o] of head.offsets) this.offsets.pending.set(key, o);
      if (this.task.commitRecord) {
        for (let i = 0; i < head.sent.length; i++) await this.task.commitRecord(head.sent[i], head.delivered[i]);
        for (const r of head.filtered) await this.task.commitRecord(r, null);
      }
    }
  }

  /** Waits until every submitted batch is acknowledged (or one failed), then completes them. */
  async awaitAcknowledged(): Promise<void> {
    while (this.queue.some((b) => !b.settled)) {
      if (this.queue[0].settled) await this.completeAcknowledged();
      else
        await new Promise<void>((resolve) => {
          this.changed = resolve;
        });
      this.changed = null;
    }
    await this.completeAcknowledged();
  }
}

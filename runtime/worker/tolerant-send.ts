/**
 * A source batch's send, retried while the failure is retriable (a full disk, a lost broker: nothing
 * was written), and under errors.tolerance=all without the records the producer refuses as too
 * large, as Kafka Connect's WorkerSourceTask skips producer send failures (reported in stage
 * KAFKA_PRODUCE, committed to the task with null metadata); the rest of the batch goes out.
 * Exactly-once tasks fail instead, as Kafka Connect's (the transaction cannot commit).
 */
import type { SourceRecord } from '../data/records.ts';
import type { Logger } from '../logging.ts';
import { ConnectException } from '../errors.ts';
import { RecordTooLargeException, describeOversized } from '../transport/kafka-sender.ts';
import type { OutgoingRecord, RecordSender } from '../transport/types.ts';
import type { ToleranceOperator } from './error-handling.ts';
import { describeSourceRecord } from './source-record-processor.ts';

export interface TolerantSendContext {
  sender: RecordSender;
  tolerance: ToleranceOperator;
  logger: Logger;
  signal: AbortSignal;
}

/**
 * Sends `outgoing` with `send` (or waits for `first`, an attempt already under way). `sent` holds
 * the records behind `outgoing`, index for index, when errors.tolerance=all may skip some: a
 * skipped one moves to `filtered`.
 */
export async function sendTolerating<T>(
  ctx: TolerantSendContext,
  outgoing: OutgoingRecord[],
  sent: SourceRecord[],
  filtered: SourceRecord[],
  send: (records: OutgoingRecord[]) => Promise<T>,
  first?: Promise<T>,
): Promise<T> {
  const { sender, tolerance } = ctx;
  const retry = tolerance.retrier(ctx.logger, ctx.signal);
  let attempt = first;
  for (;;) {
    try {
      return await (attempt ?? send(outgoing));
    } catch (err) {
      attempt = undefined;
      if (!sender.transactions && (await retry.again(err))) continue;
      if (!(err instanceof RecordTooLargeException) || !tolerance.tolerant || sender.transactions) throw err;
      const skipped = new Set(err.records.map((r) => r.index));
      for (const index of [...skipped].sort((a, b) => b - a)) {
        const failure = new ConnectException(describeOversized(err.records.find((r) => r.index === index)!));
        await tolerance.execute(
          'KAFKA_PRODUCE',
          'WorkerSourceTask',
          () => {
            throw failure;
          },
          () => describeSourceRecord(sent[index]),
        );
        filtered.push(...sent.splice(index, 1));
        outgoing.splice(index, 1);
      }
    }
  }
}

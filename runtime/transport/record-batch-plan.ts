/**
 * Splits one partition's records, in order, into record batches as Kafka's RecordAccumulator
 * does: a batch grows while it stays within batch.size, a record that does not fit starts the next
 * one, and a record larger than batch.size gets a batch of its own. Every batch also stays within
 * the request (max.request.size less the request's own bytes) and the topic's max.message.bytes;
 * a record that cannot fit alone is reported, never sent.
 */
import {
  RecordBatchSizer,
  recordBodyWithoutDeltas,
  singleRecordBatchSize,
  type SizedRecord,
} from './record-batch-size.ts';

export interface BatchLimits {
  batchSize: number;
  maxRequestSize: number;
  /** Bytes of the produce request around the batch. */
  requestOverhead: number;
  /** The topic's max.message.bytes: the broker's bound for one (compressed) batch. */
  maxMessageBytes: number;
  compressed: boolean;
}

export interface OversizedRecord {
  /** Position in the records handed to planBatches. */
  index: number;
  size: number;
  limit: number;
  config: 'max.request.size' | 'max.message.bytes';
}

export interface BatchPlan {
  /** Positions of the records of each batch, in order (oversized ones left out). */
  batches: number[][];
  oversized: OversizedRecord[];
  /** Records above max.message.bytes uncompressed whose compressed size decides (compressed topics only). */
  compressionDecides: OversizedRecord[];
}

/**
 * A compressed batch can be a little larger than its records when they do not compress; batches
 * of several records keep this share of max.message.bytes free for that.
 */
const COMPRESSION_HEADROOM = 0.9;

/** The byte bound of a batch of several records. */
export function batchCap(limits: BatchLimits): number {
  const requestRoom = limits.maxRequestSize - limits.requestOverhead;
  const messageRoom = limits.compressed
    ? Math.floor(limits.maxMessageBytes * COMPRESSION_HEADROOM)
    : limits.maxMessageBytes;
  return Math.min(limits.batchSize, requestRoom, messageRoom);
}

export function planBatches(records: SizedRecord[], limits: BatchLimits): BatchPlan {
  const requestRoom = limits.maxRequestSize - limits.requestOverhead;
  const cap = batchCap(limits);
  const plan: BatchPlan = { batches: [], oversized: [], compressionDecides: [] };
  let sizer = new RecordBatchSizer();
  let current: number[] = [];
  const close = () => {
    if (current.length > 0) plan.batches.push(current);
    sizer = new RecordBatchSizer();
    current = [];
  };
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    const body = recordBodyWithoutDeltas(r);
    if (current.length > 0 && sizer.sizeWith(r, body) > cap) close();
    if (current.length === 0) {
      const alone = singleRecordBatchSize(r);
      if (alone > requestRoom) {
        plan.oversized.push({
          index: i,
          size: alone + limits.requestOverhead,
          limit: limits.maxRequestSize,
          config: 'max.request.size',
        });
        continue;
      }
      if (alone > limits.maxMessageBytes) {
        const over: OversizedRecord = {
          index: i,
          size: alone,
          limit: limits.maxMessageBytes,
          config: 'max.message.bytes',
        };
        if (!limits.compressed) {
          plan.oversized.push(over);
          continue;
        }
        plan.compressionDecides.push(over);
      }
    }
    sizer.add(r, body);
    current.push(i);
    if (sizer.bytes >= cap) close();
  }
  close();
  return plan;
}

/**
 * The source offsets a task has handed over and not yet written: the latest offset per source
 * partition, keyed by the partition's canonical JSON (computed once per partition object).
 */
import type { SourceOffset, SourcePartition, SourceRecord } from '../data/records.ts';
import type { StoreWrite } from '../transport/types.ts';
import { canonicalJson, offsetWrite } from './offset-store.ts';

export type TrackedOffsets = Map<string, { partition: SourcePartition; offset: SourceOffset }>;

export class SourceOffsetTracker {
  /** Offsets committable with the next write (records acknowledged, or written atomically with them). */
  readonly pending: TrackedOffsets = new Map();
  /** Connectors usually hand out the same partition object for every record: its key is computed once. */
  private readonly partitionKeys = new WeakMap<SourcePartition, string>();

  constructor(private readonly connector: string) {}

  /** Remembers the record's offset (records without a partition or offset have none). */
  track(record: SourceRecord, into: TrackedOffsets = this.pending): void {
    if (!record.sourcePartition || !record.sourceOffset || Object.keys(record.sourceOffset).length === 0) return;
    let key = this.partitionKeys.get(record.sourcePartition);
    if (key === undefined) {
      key = canonicalJson(record.sourcePartition);
      this.partitionKeys.set(record.sourcePartition, key);
    }
    into.set(key, { partition: record.sourcePartition, offset: record.sourceOffset });
  }

  /** The pending offsets as offset-store writes; pending is empty afterwards. */
  drainWrites(): StoreWrite[] {
    const writes = [...this.pending.values()].map((o) => offsetWrite(this.connector, o.partition, o.offset));
    this.pending.clear();
    return writes;
  }
}

/**
 * The source offsets a task has handed over and not yet written: the latest offset per source
 * partition, keyed by the partition's canonical JSON (computed once per partition object).
 */
import type { SourceOffset, SourcePartition, SourceRecord } from '../data/records.ts';
import type { StoreWrite } from '../transport/types.ts';
import { OFFSETS_NAMESPACE, canonicalJson, offsetKey } from './offset-store.ts';

export type TrackedOffsets = Map<string, { partition: SourcePartition; offset: SourceOffset }>;

interface PartitionKeys {
  /** The partition's canonical JSON: the key of TrackedOffsets. */
  tracked: string;
  /** Its key in the offset store (connector and partition). */
  store: string;
}

export class SourceOffsetTracker {
  /** Offsets committable with the next write (records acknowledged, or written atomically with them). */
  readonly pending: TrackedOffsets = new Map();
  /** Connectors usually hand out the same partition object for every record: its keys are computed once. */
  private readonly partitionKeys = new WeakMap<SourcePartition, PartitionKeys>();
  private lastPartition: SourcePartition | null = null;
  private lastKeys: PartitionKeys | null = null;

  constructor(private readonly connector: string) {}

  /** Remembers the record's offset (records without a partition or offset have none). Called per record: no allocation once its partition is tracked. */
  track(record: SourceRecord, into: TrackedOffsets = this.pending): void {
    const partition = record.sourcePartition;
    const offset = record.sourceOffset;
    if (!partition || !offset || isEmpty(offset)) return;
    const key = this.keysOf(partition).tracked;
    const entry = into.get(key);
    // Entries are owned by their map until drained or handed over: updating one in place is safe.
    if (entry !== undefined && entry.partition === partition) entry.offset = offset;
    else into.set(key, { partition, offset });
  }

  /** The pending offsets as offset-store writes; pending is empty afterwards. */
  drainWrites(): StoreWrite[] {
    const writes: StoreWrite[] = [];
    for (const o of this.pending.values())
      writes.push({
        namespace: OFFSETS_NAMESPACE,
        key: this.keysOf(o.partition).store,
        value: canonicalJson(o.offset),
      });
    this.pending.clear();
    return writes;
  }

  private keysOf(partition: SourcePartition): PartitionKeys {
    if (partition === this.lastPartition) return this.lastKeys!;
    let keys = this.partitionKeys.get(partition);
    if (keys === undefined) {
      keys = { tracked: canonicalJson(partition), store: offsetKey(this.connector, partition) };
      this.partitionKeys.set(partition, keys);
    }
    this.lastPartition = partition;
    this.lastKeys = keys;
    return keys;
  }
}

function isEmpty(o: object): boolean {
  for (const _k in o) return false;
  return true;
}

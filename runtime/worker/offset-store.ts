/**
 * Source offsets, keyed exactly like Kafka Connect's offset topic: key `["<connector>",{partition}]`,
 * value `{offset}` as compact JSON. Partition maps are written with sorted keys so that the same
 * partition always has the same key, whatever order a connector or REST client listed its fields.
 */
import type { SourceOffset, SourcePartition } from '../data/records.ts';
import type { OffsetStorageReader } from '../spi/source.ts';
import type { KeyValueStore, StoreWrite } from '../transport/types.ts';

export const OFFSETS_NAMESPACE = 'connect-offsets';

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return Number(v);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, (v as Record<string, unknown>)[k]]),
      );
    }
    return v;
  });
}

export function offsetKey(connector: string, partition: SourcePartition): string {
  return canonicalJson([connector, partition]);
}

export function offsetWrite(connector: string, partition: SourcePartition, offset: SourceOffset | null): StoreWrite {
  return {
    namespace: OFFSETS_NAMESPACE,
    key: offsetKey(connector, partition),
    value: offset === null ? null : canonicalJson(offset),
  };
}

export class SourceOffsetStore {
  constructor(private readonly store: KeyValueStore) {}

  reader(connector: string): OffsetStorageReader {
    return {
      offset: (partition) => this.get(connector, partition),
      offsets: (partitions) => new Map(partitions.map((p) => [p, this.get(connector, p)])),
    };
  }

  get(connector: string, partition: SourcePartition): SourceOffset | null {
    const v = this.store.get(OFFSETS_NAMESPACE, offsetKey(connector, partition));
    return v === undefined ? null : (JSON.parse(v) as SourceOffset);
  }

  all(connector: string): Array<{ partition: SourcePartition; offset: SourceOffset }> {
    const prefix = `[${JSON.stringify(connector)},`;
    return this.store.entries(OFFSETS_NAMESPACE, prefix).map((e) => ({
      partition: (JSON.parse(e.key) as [string, SourcePartition])[1],
      offset: JSON.parse(e.value) as SourceOffset,
    }));
  }

  write(writes: StoreWrite[]): Promise<void> {
    return this.store.put(writes);
  }

  /** Catches up with offsets other processes committed (distributed mode); a no-op for local stores. */
  async sync(): Promise<void> {
    await this.store.sync?.();
  }
}

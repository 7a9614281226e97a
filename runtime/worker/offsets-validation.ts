/**
 * Offsets PATCH checks before anything is stored (Kafka Connect's KIP-875: the connector's
 * alterOffsets hook vets source and sink offsets; a refusal leaves the stored offsets untouched).
 * Tributary answers a refusal with 400 and the connector's message, which names the field, the
 * value and what is expected. Sink partitions must also exist: an offset for partition 99 of a
 * one-partition topic could never be consumed.
 */
import type { SourceOffset, SourcePartition } from '../data/records.ts';
import { BadRequestError, InvalidOffsetError } from '../errors.ts';
import type { SinkConnector, SourceConnector } from '../spi/connector.ts';

export interface SourceOffsetChange {
  partition: SourcePartition;
  offset: SourceOffset | null;
}

export interface SinkOffsetChange {
  topic: string;
  partition: number;
  offset: number | null;
}

async function vetted(name: string, hook: () => unknown): Promise<void> {
  try {
    await hook();
  } catch (err) {
    throw new BadRequestError(`The offsets for connector ${name} were not changed: ${(err as Error).message}`);
  }
}

/** Runs the source connector's alterOffsets hook; a refusal becomes 400 with its message. */
export async function vetSourceOffsets(
  name: string,
  connector: SourceConnector | undefined,
  config: Record<string, string>,
  changes: SourceOffsetChange[],
): Promise<void> {
  if (!connector?.alterOffsets) return;
  const offsets = new Map(changes.map((c) => [c.partition, c.offset] as const));
  await vetted(name, () => connector.alterOffsets!(config, offsets));
}

/** Sink offsets: the topic partitions must exist, then the connector's alterOffsets hook runs. */
export async function vetSinkOffsets(
  name: string,
  connector: SinkConnector | undefined,
  config: Record<string, string>,
  changes: SinkOffsetChange[],
  topics: Array<{ name: string; partitions: number }>,
): Promise<void> {
  const partitions = new Map(topics.map((t) => [t.name, t.partitions]));
  await vetted(name, async () => {
    for (const c of changes) {
      if (c.partition < 0)
        throw new InvalidOffsetError(
          `Invalid kafka_partition ${c.partition} for topic '${c.topic}': partitions are numbered from 0`,
        );
      const count = partitions.get(c.topic);
      // A reset (null offset) of a partition that no longer exists is allowed, so stale entries can be cleaned up.
      if (c.offset === null) continue;
      if (count === undefined)
        throw new InvalidOffsetError(
          `Invalid kafka_topic '${c.topic}': the topic does not exist, so no offset can be committed for it`,
        );
      if (c.partition >= count)
        throw new InvalidOffsetError(
          `Invalid kafka_partition ${c.partition} for topic '${c.topic}': the topic has ${count} partition(s), numbered 0 to ${count - 1}`,
        );
    }
    await connector?.alterOffsets?.(config, changes);
  });
}

/** What connectors' alterOffsets hooks share: the field checks and their messages. */
export const OffsetFields = {
  /** A non-negative integer (a JSON number, or digits in a string when `digitStrings`), else an error naming the key and value. */
  nonNegativeInteger(
    offset: SourceOffset,
    key: string,
    what: string,
    opts: { required?: boolean; digitStrings?: boolean } = {},
  ): void {
    const v = offset[key];
    if (v === undefined || v === null) {
      if (opts.required)
        throw new InvalidOffsetError(`The offset ${JSON.stringify(offset)} lacks the key '${key}' (${what})`);
      return;
    }
    const ok =
      (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) ||
      (opts.digitStrings === true && typeof v === 'string' && /^\d+$/.test(v));
    if (!ok)
      throw new InvalidOffsetError(
        `The value for the '${key}' key in the offset is expected to be a non-negative integer (${what}), but was ${JSON.stringify(v)}`,
      );
  },
  /** The partition must be exactly `expected` (an offset for any other partition would never be read). */
  knownPartition(partition: SourcePartition, expected: SourcePartition, hint: string): void {
    const keys = Object.keys(partition);
    const same = keys.length === Object.keys(expected).length && keys.every((k) => partition[k] === expected[k]);
    if (!same)
      throw new InvalidOffsetError(
        `Unknown source partition ${JSON.stringify(partition)}: this connector reads only the partition ${JSON.stringify(expected)} (${hint})`,
      );
  },
};

/**
 * Confluent's storage partitioners (io.confluent.connect.storage.partitioner.*): each record gets
 * an encoded partition (e.g. `partition=3`, `country=FR/city=Lyon`, `year=2026/month=12`) that
 * becomes the key path between `<topics.dir>/<topic>/` and the object name. Custom partitioners
 * are registered under their class name with registerS3Partitioner() (e.g. from a plugin package
 * found on plugin.path).
 */
import { ConfigException } from '../../../sdk/errors.ts';
import type { SinkRecord } from '../../../sdk/data.ts';
import type { ParsedConfig } from '../../../sdk/config.ts';
import { DefaultPartitioner, FieldPartitioner } from './field-partitioner.ts';
import { TimeBasedPartitioner } from './time-based-partitioner.ts';
import type { TimestampExtractor } from './timestamp-extractors.ts';

export interface S3Partitioner {
  /** The encoded partition of a record; `nowMs` is the processing time (for Wallclock). Throws PartitionException. */
  encodePartition(record: SinkRecord, nowMs: number): string;
  /** The key prefix of a partition's objects, without the trailing delimiter: `<topics.dir>/<topic>/<encoded>`. */
  partitionedPath(topicsDir: string, topic: string, encodedPartition: string): string;
  /** Time-based partitioners expose their extractor: rotate.interval.ms uses it. */
  readonly timestampExtractor?: TimestampExtractor;
}

/** What a partitioner factory gets: the connector's parsed config. */
export type PartitionerFactory = (config: ParsedConfig) => S3Partitioner;

const PKG = 'io.confluent.connect.storage.partitioner.';

// Kept on globalThis: a plugin package may load its own copy of Tributary's SDK, and its
// registrations must reach the worker's copy of this module.
const REGISTRY = Symbol.for('tributary.s3.partitioners');
const holder = globalThis as unknown as Record<symbol, Map<string, PartitionerFactory> | undefined>;
const factories = (holder[REGISTRY] ??= new Map<string, PartitionerFactory>());
for (const [name, factory] of new Map<string, PartitionerFactory>([
  [`${PKG}DefaultPartitioner`, (c) => new DefaultPartitioner(c.getString('directory.delim'))],
  [`${PKG}FieldPartitioner`, (c) => new FieldPartitioner(c)],
  [`${PKG}TimeBasedPartitioner`, (c) => new TimeBasedPartitioner(c, null)],
  [
    `${PKG}DailyPartitioner`,
    (c) => new TimeBasedPartitioner(c, { pathFormat: "'year'=YYYY/'month'=MM/'day'=dd", durationMs: 86_400_000 }),
  ],
  [
    `${PKG}HourlyPartitioner`,
    (c) =>
      new TimeBasedPartitioner(c, { pathFormat: "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH", durationMs: 3_600_000 }),
  ],
]))
  factories.set(name, factory);

/** Registers a custom partitioner under a class name usable as `partitioner.class`. */
export function registerS3Partitioner(className: string, factory: PartitionerFactory): void {
  factories.set(className, factory);
}

export function partitionerClassNames(): string[] {
  return [...factories.keys()];
}

export function createPartitioner(className: string, config: ParsedConfig): S3Partitioner {
  const factory = factories.get(className) ?? factories.get(`${PKG}${className}`);
  if (!factory) {
    throw new ConfigException(
      `Invalid value ${className} for configuration partitioner.class: unknown partitioner; use one of ${[...factories.keys()].join(', ')}, or register a custom one with registerS3Partitioner()`,
      { key: 'partitioner.class' },
    );
  }
  return factory(config);
}

/**
 * Confluent's TimeBasedPartitioner (and Daily/Hourly, which fix path.format and
 * partition.duration.ms): the record's time, floored to partition.duration.ms in local time of
 * `timezone`, formatted with the Joda pattern `path.format` in `locale`.
 */
import type { ParsedConfig } from '../../../sdk/config.ts';
import { ConfigException } from '../../../sdk/errors.ts';
import type { SinkRecord } from '../../../sdk/data.ts';
import { DefaultPartitioner, PartitionException } from './field-partitioner.ts';
import { JodaFormatter, localToUtc, zoneOffsetMs } from './joda-format.ts';
import { createTimestampExtractor, type TimestampExtractor } from './timestamp-extractors.ts';

export class TimeBasedPartitioner extends DefaultPartitioner {
  readonly timestampExtractor: TimestampExtractor;
  private readonly durationMs: number;
  private readonly formatter: JodaFormatter;
  private readonly timeZone: string;

  constructor(config: ParsedConfig, fixed: { pathFormat: string; durationMs: number } | null) {
    const delim = config.getString('directory.delim');
    super(delim);
    this.durationMs = fixed?.durationMs ?? config.getLong('partition.duration.ms');
    if (this.durationMs <= 0)
      throw new ConfigException(
        `Invalid value ${this.durationMs} for configuration partition.duration.ms: the partition duration must be positive (e.g. 3600000 for hourly partitions)`,
        { key: 'partition.duration.ms' },
      );
    let pathFormat = fixed?.pathFormat ?? config.getString('path.format');
    if (pathFormat.trim() === '' || pathFormat === delim)
      throw new ConfigException(
        `Invalid value ${pathFormat} for configuration path.format: path format cannot be empty (e.g. 'year'=YYYY/'month'=MM/'day'=dd)`,
        { key: 'path.format' },
      );
    if (delim !== '' && pathFormat.endsWith(delim)) pathFormat = pathFormat.slice(0, -delim.length);
    const locale = config.getString('locale');
    if (locale.trim() === '')
      throw new ConfigException(
        "locale is empty: time-based partitioners need a locale (e.g. en, or en-US as Confluent's examples write it)",
        { key: 'locale' },
      );
    this.timeZone = config.getString('timezone');
    if (this.timeZone.trim() === '')
      throw new ConfigException('timezone is empty: time-based partitioners need a time zone (e.g. UTC)', {
        key: 'timezone',
      });
    this.formatter = new JodaFormatter(pathFormat, this.timeZone, locale);
    this.timestampExtractor = createTimestampExtractor(
      config.getString('timestamp.extractor'),
      config.getString('timestamp.field'),
    );
  }

  /** TimeBasedPartitioner.getPartition: floor in local time, back to UTC. */
  partitionStart(timestampMs: number): number {
    const local = timestampMs + zoneOffsetMs(timestampMs, this.timeZone);
    const floored = Math.floor(local / this.durationMs) * this.durationMs;
    return localToUtc(floored, this.timeZone);
  }

  override encodePartition(record: SinkRecord, nowMs: number): string {
    const ts = this.timestampExtractor.extract(record, nowMs);
    if (ts === null)
      throw new PartitionException(
        `Unable to determine timestamp using timestamp.extractor ${this.timestampExtractor.name} for record topic=${record.topic} partition=${record.kafkaPartition} offset=${record.kafkaOffset}`,
      );
    return this.formatter.format(this.partitionStart(ts));
  }
}

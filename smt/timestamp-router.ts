/**
 * TimestampRouter (org.apache.kafka.connect.transforms.TimestampRouter): the topic becomes
 * `topic.format` with `${topic}` and `${timestamp}` substituted, the record timestamp formatted
 * with the SimpleDateFormat pattern `timestamp.format` in UTC. A record without a timestamp fails.
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { ConfigException, DataException } from '../sdk/errors.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { IllegalPatternError, SimpleDateFormat } from '../sdk/internal/java-format.ts';
import { describeRecord } from './util/operating.ts';

export const TIMESTAMP_ROUTER_CONFIG = new ConfigDef()
  .define({
    name: 'topic.format',
    type: 'STRING',
    defaultValue: '${topic}-${timestamp}',
    importance: 'HIGH',
    documentation:
      'Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.',
  })
  .define({
    name: 'timestamp.format',
    type: 'STRING',
    defaultValue: 'yyyyMMdd',
    importance: 'HIGH',
    documentation: 'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.',
  });

export class TimestampRouter implements Transformation {
  private topicFormat = '';
  private format!: SimpleDateFormat;

  config(): ConfigDef {
    return TIMESTAMP_ROUTER_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(TIMESTAMP_ROUTER_CONFIG, props);
    this.topicFormat = c.getString('topic.format');
    try {
      this.format = new SimpleDateFormat(c.getString('timestamp.format'));
    } catch (err) {
      if (!(err instanceof IllegalPatternError)) throw err;
      throw new ConfigException(
        `Invalid value ${c.getString('timestamp.format')} for configuration timestamp.format: ${err.message}`,
        { key: 'timestamp.format', cause: err },
      );
    }
  }

  apply<R extends AnyRecord>(record: R): R {
    if (record.timestamp === null || record.timestamp === undefined)
      throw new DataException(`Timestamp missing on record: ${describeRecord(record)}`);
    const ts = this.format.format(new Date(record.timestamp));
    const topic = this.topicFormat.split('${topic}').join(record.topic).split('${timestamp}').join(ts);
    return record.newRecord({ topic }) as R;
  }
}

/** RegexRouter and TimestampRouter: rewrite the topic name. */
import { ConfigDef, ParsedConfig, Validators } from '../runtime/config/config-def.ts';
import { DataException } from '../runtime/errors.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import { formatJavaDate } from './util/java-date-format.ts';
import { javaReplacement } from './util/java-regex.ts';

export const REGEX_ROUTER_CONFIG = new ConfigDef()
  .define({ name: 'regex', type: 'STRING', importance: 'HIGH', documentation: 'Regular expression to use for matching.', validator: Validators.regex() })
  .define({ name: 'replacement', type: 'STRING', importance: 'HIGH', documentation: 'Replacement string.' });


export class RegexRouter implements Transformation {
  private regex!: RegExp;
  private replacement = '';

  config(): ConfigDef { return REGEX_ROUTER_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(REGEX_ROUTER_CONFIG, props);
    this.regex = new RegExp(`^(?:${c.getString('regex')})$`);
    this.replacement = javaReplacement(c.getString('replacement'));
  }

  apply<R extends AnyRecord>(record: R): R {
    if (!this.regex.test(record.topic)) return record;
    return record.newRecord({ topic: record.topic.replace(this.regex, this.replacement) }) as R;
  }
}

export const TIMESTAMP_ROUTER_CONFIG = new ConfigDef()
  .define({ name: 'topic.format', type: 'STRING', defaultValue: '${topic}-${timestamp}', importance: 'HIGH', documentation: 'Format string which can contain ${topic} and ${timestamp} as placeholders for the topic and timestamp, respectively.' })
  .define({ name: 'timestamp.format', type: 'STRING', defaultValue: 'yyyyMMdd', importance: 'HIGH', documentation: 'Format string for the timestamp that is compatible with java.text.SimpleDateFormat (UTC).' });

export class TimestampRouter implements Transformation {
  private topicFormat = '';
  private timestampFormat = '';

  config(): ConfigDef { return TIMESTAMP_ROUTER_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(TIMESTAMP_ROUTER_CONFIG, props);
    this.topicFormat = c.getString('topic.format');
    this.timestampFormat = c.getString('timestamp.format');
    formatJavaDate(new Date(0), this.timestampFormat);
  }

  apply<R extends AnyRecord>(record: R): R {
    if (record.timestamp === null) throw new DataException(`Timestamp missing on record: ${record.constructor.name}{topic=${record.topic}}`);
    const ts = formatJavaDate(new Date(record.timestamp), this.timestampFormat);
    return record.newRecord({ topic: this.topicFormat.replace(/\$\{topic\}/g, record.topic).replace(/\$\{timestamp\}/g, ts) }) as R;
  }
}

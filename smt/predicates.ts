/** Kafka Connect's predicates: TopicNameMatches, HasHeaderKey, RecordIsTombstone. */
import { ConfigDef, ParsedConfig, Validators } from '../runtime/config/config-def.ts';
import type { AnyRecord, Predicate } from '../runtime/spi/transformation.ts';

export const TOPIC_NAME_MATCHES_CONFIG = new ConfigDef()
  .define({ name: 'pattern', type: 'STRING', importance: 'MEDIUM', documentation: 'A Java regular expression for matching against the name of a record\'s topic.', validator: Validators.compose(Validators.nonEmptyString(), Validators.regex()) });

export class TopicNameMatches implements Predicate {
  private pattern!: RegExp;
  config(): ConfigDef { return TOPIC_NAME_MATCHES_CONFIG; }
  version(): string { return '1.0.0'; }
  configure(props: Record<string, string>): void {
    this.pattern = new RegExp(`^(?:${new ParsedConfig(TOPIC_NAME_MATCHES_CONFIG, props).getString('pattern')})$`);
  }
  test(record: AnyRecord): boolean {
    return record.topic !== null && this.pattern.test(record.topic);
  }
}

export const HAS_HEADER_KEY_CONFIG = new ConfigDef()
  .define({ name: 'name', type: 'STRING', importance: 'MEDIUM', documentation: 'The header name.', validator: Validators.nonEmptyString() });

export class HasHeaderKey implements Predicate {
  private name = '';
  config(): ConfigDef { return HAS_HEADER_KEY_CONFIG; }
  version(): string { return '1.0.0'; }
  configure(props: Record<string, string>): void {
    this.name = new ParsedConfig(HAS_HEADER_KEY_CONFIG, props).getString('name');
  }
  test(record: AnyRecord): boolean {
    return record.headers.allWithName(this.name).length > 0;
  }
}

const EMPTY = new ConfigDef();

export class RecordIsTombstone implements Predicate {
  config(): ConfigDef { return EMPTY; }
  version(): string { return '1.0.0'; }
  configure(): void {}
  test(record: AnyRecord): boolean {
    return record.value === null || record.value === undefined;
  }
}

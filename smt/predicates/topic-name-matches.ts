/** TopicNameMatches (org.apache.kafka.connect.transforms.predicates.TopicNameMatches): true when the whole topic matches the Java regex `pattern`. */
import { ConfigDef, ParsedConfig } from '../../sdk/config.ts';
import type { AnyRecord, Predicate } from '../../sdk/spi.ts';
import { SmtValidators } from '../util/config.ts';
import { compileJavaRegex, type JavaPattern } from '../../sdk/java-regex.ts';

export const TOPIC_NAME_MATCHES_CONFIG = new ConfigDef().define({
  name: 'pattern',
  type: 'STRING',
  importance: 'MEDIUM',
  validator: {
    description: 'non-empty string, valid regex',
    ensureValid: (n, v) => {
      SmtValidators.nonEmptyString().ensureValid(n, v);
      SmtValidators.javaRegex().ensureValid(n, v);
    },
  },
  documentation: "A Java regular expression for matching against the name of a record's topic.",
});

export class TopicNameMatches implements Predicate {
  private pattern!: JavaPattern;

  config(): ConfigDef {
    return TOPIC_NAME_MATCHES_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    this.pattern = compileJavaRegex(new ParsedConfig(TOPIC_NAME_MATCHES_CONFIG, props).getString('pattern'), 'pattern');
  }

  test(record: AnyRecord): boolean {
    return record.topic !== null && record.topic !== undefined && this.pattern.matches(record.topic);
  }

  toString(): string {
    return `TopicNameMatches{pattern=${this.pattern?.source}}`;
  }
}

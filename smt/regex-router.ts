/**
 * RegexRouter (org.apache.kafka.connect.transforms.RegexRouter): when the whole topic matches the
 * Java regex `regex`, the topic becomes `Matcher#replaceFirst(replacement)` (`$1`, `${name}`, `\$`).
 * Topics that do not match are left unchanged.
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { SmtValidators } from './util/config.ts';
import { compileJavaRegex, compileJavaReplacement, type JavaPattern, type JavaReplacement } from '../sdk/java-regex.ts';

export const REGEX_ROUTER_CONFIG = new ConfigDef()
  .define({
    name: 'regex',
    type: 'STRING',
    importance: 'HIGH',
    validator: SmtValidators.javaRegex(),
    documentation: 'Regular expression to use for matching.',
  })
  .define({ name: 'replacement', type: 'STRING', importance: 'HIGH', documentation: 'Replacement string.' });

export class RegexRouter implements Transformation {
  private regex!: JavaPattern;
  private replacement!: JavaReplacement;
  private readonly routed = new Map<string, string | null>();

  config(): ConfigDef {
    return REGEX_ROUTER_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(REGEX_ROUTER_CONFIG, props);
    this.regex = compileJavaRegex(c.getString('regex'), 'regex');
    this.replacement = compileJavaReplacement(c.getString('replacement'), this.regex, 'replacement');
    this.routed.clear();
  }

  /** The new topic, or null when the topic does not match (memoised: topics repeat). */
  route(topic: string): string | null {
    let out = this.routed.get(topic);
    if (out === undefined) {
      out = this.regex.matches(topic) ? this.regex.replaceFirst(topic, this.replacement) : null;
      if (this.routed.size > 10_000) this.routed.clear();
      this.routed.set(topic, out);
    }
    return out;
  }

  apply<R extends AnyRecord>(record: R): R {
    const topic = this.route(record.topic);
    return topic === null ? record : (record.newRecord({ topic }) as R);
  }
}

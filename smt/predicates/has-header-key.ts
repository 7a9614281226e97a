/** HasHeaderKey (org.apache.kafka.connect.transforms.predicates.HasHeaderKey): true when the record has at least one header named `name`. */
import { ConfigDef, ParsedConfig } from '../../sdk/config.ts';
import type { AnyRecord, Predicate } from '../../sdk/spi.ts';
import { SmtValidators } from '../util/config.ts';

export const HAS_HEADER_KEY_CONFIG = new ConfigDef().define({
  name: 'name',
  type: 'STRING',
  importance: 'MEDIUM',
  validator: SmtValidators.nonEmptyString(),
  documentation: 'The header name.',
});

export class HasHeaderKey implements Predicate {
  private name = '';

  config(): ConfigDef {
    return HAS_HEADER_KEY_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    this.name = new ParsedConfig(HAS_HEADER_KEY_CONFIG, props).getString('name');
  }

  test(record: AnyRecord): boolean {
    return record.headers.lastWithName(this.name) !== undefined;
  }

  toString(): string {
    return `HasHeaderKey{name='${this.name}'}`;
  }
}

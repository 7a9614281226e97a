/** DropHeaders (org.apache.kafka.connect.transforms.DropHeaders): removes every header with one of the listed names. */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { Headers } from '../sdk/data.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { SmtValidators } from './util/config.ts';

export const DROP_HEADERS_CONFIG = new ConfigDef().define({
  name: 'headers',
  type: 'LIST',
  importance: 'HIGH',
  validator: SmtValidators.nonEmptyList(),
  documentation: 'The name of the headers to be removed.',
});

export class DropHeaders implements Transformation {
  private names = new Set<string>();

  config(): ConfigDef {
    return DROP_HEADERS_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    this.names = new Set(new ParsedConfig(DROP_HEADERS_CONFIG, props).getList('headers'));
  }

  apply<R extends AnyRecord>(record: R): R {
    const kept = new Headers();
    for (const h of record.headers) if (!this.names.has(h.key)) kept.add(h.key, h.value, h.schema);
    return record.newRecord({ headers: kept }) as R;
  }
}

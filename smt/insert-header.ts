/**
 * InsertHeader (org.apache.kafka.connect.transforms.InsertHeader): adds a header with a literal value,
 * typed as Kafka Connect's `Values.parseString` types it (boolean, narrowest integer, float, ISO
 * date/time/timestamp, array/map of those, otherwise string).
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { parseString, type SchemaAndValue } from '../sdk/internal/java-format.ts';

export const INSERT_HEADER_CONFIG = new ConfigDef()
  .define({ name: 'header', type: 'STRING', importance: 'HIGH', documentation: 'The name of the header.' })
  .define({
    name: 'value.literal',
    type: 'STRING',
    importance: 'HIGH',
    documentation: 'The literal value that is to be set as the header value on all records.',
  });

export class InsertHeader implements Transformation {
  private header = '';
  private literal!: SchemaAndValue;

  config(): ConfigDef {
    return INSERT_HEADER_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(INSERT_HEADER_CONFIG, props);
    this.header = c.getString('header');
    this.literal = parseString(c.getString('value.literal'));
  }

  apply<R extends AnyRecord>(record: R): R {
    return record.newRecord({
      headers: record.headers.duplicate().add(this.header, this.literal.value, this.literal.schema),
    }) as R;
  }
}

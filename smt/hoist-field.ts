/**
 * HoistField$Key / $Value (org.apache.kafka.connect.transforms.HoistField): wraps the key or value
 * in a struct (with a schema) or a map (schemaless) under one field.
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { SchemaBuilder, Struct } from '../sdk/data.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { SchemaCache } from './util/schema-util.ts';

export const HOIST_FIELD_CONFIG = new ConfigDef().define({
  name: 'field',
  type: 'STRING',
  importance: 'MEDIUM',
  documentation: 'Field name for the single field that will be created in the resulting Struct or Map.',
});

export class HoistField implements Transformation {
  private field = '';
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  config(): ConfigDef {
    return HOIST_FIELD_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    this.field = new ParsedConfig(HOIST_FIELD_CONFIG, props).getString('field');
  }

  apply<R extends AnyRecord>(record: R): R {
    const schema = operatingSchema(this.side, record);
    const value = operatingValue(this.side, record) ?? null;
    if (schema === null) return withOperating(this.side, record, null, { [this.field]: value });
    const updatedSchema = this.cache.get(schema, (s) => SchemaBuilder.struct().field(this.field, s).build());
    return withOperating(this.side, record, updatedSchema, new Struct(updatedSchema).put(this.field, value));
  }
}

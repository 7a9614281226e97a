/**
 * SetSchemaMetadata$Key / $Value (org.apache.kafka.connect.transforms.SetSchemaMetadata): sets the
 * key or value schema's name and/or version; a struct value is rebound to the renamed schema.
 * Kafka's rebuilds the schema with `schema.fields()`, which throws for every non-struct schema, so
 * (as in Kafka 3.9 and 4.x) only struct schemas can be renamed (test/compat/transforms-cases-convert.ts).
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { ConfigException, DataException } from '../sdk/errors.ts';
import { ConnectSchema, Struct } from '../sdk/data.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireSchema } from './util/requirements.ts';
import { rebindStruct, SchemaCache } from './util/schema-util.ts';
import { REPLACE_NULL_WITH_DEFAULT, replaceNullWithDefaultKey } from './util/config.ts';

export const SET_SCHEMA_METADATA_CONFIG = new ConfigDef()
  .define({
    name: 'schema.name',
    type: 'STRING',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Schema name to set.',
  })
  .define({
    name: 'schema.version',
    type: 'INT',
    defaultValue: null,
    importance: 'HIGH',
    documentation: 'Schema version to set.',
  })
  .define(replaceNullWithDefaultKey());

export class SetSchemaMetadata implements Transformation {
  private schemaName: string | null = null;
  private schemaVersion: number | null = null;
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  config(): ConfigDef {
    return SET_SCHEMA_METADATA_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(SET_SCHEMA_METADATA_CONFIG, props);
    this.schemaName = c.getOptionalString('schema.name');
    this.schemaVersion = (c.values['schema.version'] as number | null) ?? null;
    this.replaceNullWithDefault = c.getBoolean(REPLACE_NULL_WITH_DEFAULT);
    if (this.schemaName === null && this.schemaVersion === null)
      throw new ConfigException('Neither schema name nor version configured: set schema.name and/or schema.version');
  }

  apply<R extends AnyRecord>(record: R): R {
    const schema = requireSchema(operatingSchema(this.side, record), 'updating schema metadata');
    if (schema.type !== 'struct') throw new DataException('Cannot list fields on non-struct type');
    const updated = this.cache.get(
      schema,
      (s) =>
        new ConnectSchema({
          type: s.type,
          optional: s.optional,
          defaultValue: s.defaultValue,
          name: this.schemaName ?? s.name,
          version: this.schemaVersion ?? s.version,
          doc: s.doc,
          parameters: s.parameters ? { ...s.parameters } : undefined,
          keySchema: s.type === 'map' ? s.keySchema : undefined,
          valueSchema: s.type === 'map' || s.type === 'array' ? s.valueSchema : undefined,
          fields: s.fields.map((f) => ({ name: f.name, schema: f.schema })),
        }),
    );
    const value = operatingValue(this.side, record);
    return withOperating(
      this.side,
      record,
      updated,
      value instanceof Struct ? rebindStruct(value, updated, this.replaceNullWithDefault) : value,
    );
  }
}

/** SetSchemaMetadata$Key / $Value: set the schema name and/or version, rebinding struct values. */
import { ConfigDef, ParsedConfig } from '../runtime/config/config-def.ts';
import { ConfigException } from '../runtime/errors.ts';
import { ConnectSchema, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireSchema } from './util/requirements.ts';
import { rebindStruct, SchemaCache } from './util/schema-util.ts';

export const SET_SCHEMA_METADATA_CONFIG = new ConfigDef()
  .define({ name: 'schema.name', type: 'STRING', defaultValue: null, importance: 'HIGH', documentation: 'Schema name to set.' })
  .define({ name: 'schema.version', type: 'INT', defaultValue: null, importance: 'HIGH', documentation: 'Schema version to set.' })
  .define({ name: 'replace.null.with.default', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether to replace fields that have a default value and that are null to the default value.' });

export class SetSchemaMetadata implements Transformation {
  private name: string | null = null;
  private schemaVersion: number | null = null;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  config(): ConfigDef { return SET_SCHEMA_METADATA_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(SET_SCHEMA_METADATA_CONFIG, props);
    this.name = c.getOptionalString('schema.name');
    this.schemaVersion = (c.values['schema.version'] as number | null) ?? null;
    if (this.name === null && this.schemaVersion === null) throw new ConfigException('Neither schema name nor version configured: set schema.name and/or schema.version');
  }

  apply<R extends AnyRecord>(record: R): R {
    const schema = requireSchema(operatingSchema(this.side, record), 'updating schema metadata');
    const updated = this.cache.get(schema, (s) => new ConnectSchema({
      type: s.type, optional: s.optional, defaultValue: s.defaultValue, name: this.name ?? s.name, version: this.schemaVersion ?? s.version,
      doc: s.doc, parameters: s.parameters ? { ...s.parameters } : undefined, keySchema: s.keySchema, valueSchema: s.valueSchema,
      fields: s.fields.map((f) => ({ name: f.name, schema: f.schema })),
    }));
    return withOperating(this.side, record, updated, rebindIfStruct(operatingValue(this.side, record), updated));
  }
}


function rebindIfStruct(value: unknown, schema: Schema): unknown {
  return value instanceof Struct ? rebindStruct(value, schema) : value;
}

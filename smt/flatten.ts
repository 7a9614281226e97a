/** Flatten$Key / $Value: nested structs (or maps, schemaless) become `parent<delimiter>child` fields. */
import { ConfigDef, ParsedConfig } from '../runtime/config/config-def.ts';
import { SchemaBuilder, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { copySchemaBasics, SchemaCache } from './util/schema-util.ts';

export const FLATTEN_CONFIG = new ConfigDef()
  .define({ name: 'delimiter', type: 'STRING', defaultValue: '.', importance: 'MEDIUM', documentation: 'Delimiter to insert between field names from the input record when generating field names for the output record' });

export class Flatten implements Transformation {
  private delimiter = '.';
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  config(): ConfigDef { return FLATTEN_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    this.delimiter = new ParsedConfig(FLATTEN_CONFIG, props).getString('delimiter');
  }

  private name(prefix: string, field: string): string {
    return prefix === '' ? field : prefix + this.delimiter + field;
  }

  apply<R extends AnyRecord>(record: R): R {
    const schema = operatingSchema(this.side, record);
    const value = operatingValue(this.side, record);
    if (schema === null) {
      if (value === null || value === undefined) return record;
      const out: Record<string, unknown> = {};
      this.flattenMap(requireMap(value, 'flattening'), '', out);
      return withOperating(this.side, record, null, out);
    }
    const flatSchema = this.cache.get(schema, (s) => {
      const b = copySchemaBasics(s, SchemaBuilder.struct());
      this.buildSchema(s, '', b, s.optional);
      return b.build();
    });
    if (value === null || value === undefined) return withOperating(this.side, record, flatSchema, null);
    const out = new Struct(flatSchema);
    this.flattenStruct(requireStruct(value, 'flattening'), '', out);
    return withOperating(this.side, record, flatSchema, out);
  }

  private flattenMap(map: Record<string, unknown>, prefix: string, out: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(map)) {
      const name = this.name(prefix, k);
      if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Struct) && !(v instanceof Date)) {
        this.flattenMap(v instanceof Map ? Object.fromEntries(v) : (v as Record<string, unknown>), name, out);
      } else out[name] = v;
    }
  }

  private buildSchema(schema: Schema, prefix: string, b: SchemaBuilder, optionalParent: boolean): void {
    for (const f of schema.fields) {
      const name = this.name(prefix, f.name);
      const optional = optionalParent || f.schema.optional;
      if (f.schema.type === 'struct') this.buildSchema(f.schema, name, b, optional);
      else {
        const fb = copySchemaBasics(f.schema, f.schema.type === 'array' ? SchemaBuilder.array(f.schema.valueSchema!) : f.schema.type === 'map' ? SchemaBuilder.map(f.schema.keySchema!, f.schema.valueSchema!) : new SchemaBuilder(f.schema.type));
        if (optional) fb.optional();
        if (f.schema.defaultValue !== undefined) fb.defaultValue(f.schema.defaultValue);
        b.field(name, fb.build());
      }
    }
  }

  private flattenStruct(struct: Struct, prefix: string, out: Struct): void {
    for (const f of struct.schema.fields) {
      const name = this.name(prefix, f.name);
      const v = struct.getWithoutDefault(f.name);
      if (f.schema.type === 'struct') {
        if (v !== null) this.flattenStruct(v as Struct, name, out);
      } else out.put(name, v);
    }
  }
}

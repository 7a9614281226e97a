import { SchemaBuilder, type Schema } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';

/** A struct builder carrying over name, version, doc, parameters and optionality (SchemaUtil.copySchemaBasics). */
export function copySchemaBasics(source: Schema, builder: SchemaBuilder = new SchemaBuilder(source.type)): SchemaBuilder {
  if (source.name !== undefined) builder.name(source.name);
  if (source.version !== undefined) builder.version(source.version);
  if (source.doc !== undefined) builder.doc(source.doc);
  if (source.parameters) builder.parameters({ ...source.parameters });
  if (source.optional) builder.optional();
  return builder;
}

/** Caches derived schemas per input schema, as Kafka Connect's SynchronizedCache(LRUCache) does. */
export class SchemaCache {
  private readonly map = new WeakMap<Schema, Schema>();
  get(schema: Schema, build: (s: Schema) => Schema): Schema {
    let out = this.map.get(schema);
    if (!out) {
      out = build(schema);
      this.map.set(schema, out);
    }
    return out;
  }
}

/** A struct value is bound to its schema: copy it field by field onto an equivalent schema (same field names). */
export function rebindStruct(value: Struct, schema: Schema): Struct {
  const out = new Struct(schema);
  for (const f of schema.fields) out.put(f, value.getWithoutDefault(f.name));
  return out;
}

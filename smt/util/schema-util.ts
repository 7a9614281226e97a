/** Kafka Connect's SchemaUtil plus the per-input-schema cache every schema-rebuilding transform uses. */
import { SchemaBuilder, type Schema, Struct } from '../../sdk/data.ts';

/**
 * SchemaUtil.copySchemaBasics: name, version, doc and parameters (NOT optionality or default).
 * Without a builder, a builder of the source's type (arrays and maps keep their element schemas).
 */
export function copySchemaBasics(source: Schema, builder: SchemaBuilder = builderOfType(source)): SchemaBuilder {
  if (source.name !== undefined) builder.name(source.name);
  if (source.version !== undefined) builder.version(source.version);
  if (source.doc !== undefined) builder.doc(source.doc);
  if (source.parameters) builder.parameters({ ...source.parameters });
  return builder;
}

/** An empty builder of the same type (array/map element schemas carried over; struct fields not). */
export function builderOfType(source: Schema): SchemaBuilder {
  if (source.type === 'array') return SchemaBuilder.array(source.valueSchema!);
  if (source.type === 'map') return SchemaBuilder.map(source.keySchema!, source.valueSchema!);
  return new SchemaBuilder(source.type);
}

/** A full copy of a schema (fields included) with optionality forced on or off; returns the input when nothing changes. */
export function withOptional(schema: Schema, optional: boolean): Schema {
  if (schema.optional === optional) return schema;
  const b = copySchemaBasics(schema);
  for (const f of schema.fields) b.field(f.name, f.schema);
  if (optional) b.optional();
  if (schema.defaultValue !== undefined) b.defaultValue(schema.defaultValue);
  return b.build();
}

/**
 * Derived schemas cached per input schema, as Kafka Connect's SynchronizedCache(LRUCache) does. A
 * WeakMap keyed by the schema object: converters and connectors reuse schema instances, so the
 * rebuild runs once per input schema and the entry goes away with it.
 */
export class SchemaCache<V = Schema> {
  private readonly map = new WeakMap<Schema, V>();

  get(schema: Schema, build: (s: Schema) => V): V {
    let out = this.map.get(schema);
    if (out === undefined) {
      out = build(schema);
      this.map.set(schema, out);
    }
    return out;
  }
}

/** The field values of a struct as stored (no defaults applied), by position. */
export function rawValues(struct: Struct): unknown[] {
  const n = struct.schema.fields.length;
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = struct.valueAt(i);
  return out;
}

/** Struct#get or Struct#getWithoutDefault, by the `replace.null.with.default` setting. */
export function fieldValue(struct: Struct, index: number, replaceNullWithDefault: boolean): unknown {
  const v = struct.valueAt(index);
  if (v !== null || !replaceNullWithDefault) return v;
  const d = struct.schema.fields[index].schema.defaultValue;
  return d === undefined ? null : d;
}

/** Copies a struct field by field onto an equivalent schema (same field names, e.g. renamed or re-versioned). */
export function rebindStruct(value: Struct, schema: Schema, replaceNullWithDefault = false): Struct {
  const out = new Struct(schema);
  const fields = schema.fields;
  const same =
    value.schema.fields.length === fields.length && fields.every((f, i) => value.schema.fields[i].name === f.name);
  for (let i = 0; i < fields.length; i++) {
    const idx = same ? i : value.schema.field(fields[i].name)!.index;
    out.put(fields[i], fieldValue(value, idx, replaceNullWithDefault));
  }
  return out;
}

/**
 * Flatten$Key / $Value (org.apache.kafka.connect.transforms.Flatten): nested structs (with a schema)
 * or maps (schemaless) become top-level fields named `parent<delimiter>child`. A flattened field is
 * optional when any ancestor is optional, and takes its default from the nearest ancestor default.
 * Arrays are kept as they are (not flattened); map-typed fields of a struct and values outside
 * Connect's data API are refused, as in Kafka Connect. Null keys/values pass through.
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { DataException } from '../sdk/errors.ts';
import { SchemaBuilder, type Schema, Struct } from '../sdk/data.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { copySchemaBasics, SchemaCache } from './util/schema-util.ts';
import { inferSchemaType, javaClassString } from './util/java.ts';

const PURPOSE = 'flattening';
const PRIMITIVE = new Set(['int8', 'int16', 'int32', 'int64', 'float32', 'float64', 'boolean', 'string', 'bytes']);

export const FLATTEN_CONFIG = new ConfigDef().define({
  name: 'delimiter',
  type: 'STRING',
  defaultValue: '.',
  importance: 'MEDIUM',
  documentation:
    'Delimiter to insert between field names from the input record when generating field names for the output record',
});

/** A leaf of the flattened struct: where its value lives in the nested input. */
interface Leaf {
  path: number[];
}

export class Flatten implements Transformation {
  private delimiter = '.';
  private readonly cache = new SchemaCache<{ schema: Schema; leaves: Leaf[] }>();

  constructor(private readonly side: Side) {}

  config(): ConfigDef {
    return FLATTEN_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    this.delimiter = new ParsedConfig(FLATTEN_CONFIG, props).getString('delimiter');
  }

  private name(prefix: string, field: string): string {
    return prefix === '' ? field : prefix + this.delimiter + field;
  }

  apply<R extends AnyRecord>(record: R): R {
    const value = operatingValue(this.side, record);
    if (value === null || value === undefined) return record;
    if (operatingSchema(this.side, record) === null) {
      const out: Record<string, unknown> = {};
      this.flattenMap(requireMap(value, PURPOSE), '', out);
      return withOperating(this.side, record, null, out);
    }
    const struct = requireStruct(value, PURPOSE);
    const { schema, leaves } = this.cache.get(struct.schema, (s) => {
      const b = copySchemaBasics(s, SchemaBuilder.struct());
      const leaves: Leaf[] = [];
      this.buildSchema(s, '', b, s.optional, (s.defaultValue as Struct | null | undefined) ?? null, [], leaves);
      return { schema: b.build(), leaves };
    });
    const out = new Struct(schema);
    for (let i = 0; i < leaves.length; i++) out.put(schema.fields[i], valueAt(struct, leaves[i].path));
    return withOperating(this.side, record, schema, out);
  }

  private flattenMap(map: Record<string, unknown>, prefix: string, out: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(map)) {
      const name = this.name(prefix, k);
      if (v === null || v === undefined) {
        out[name] = null;
        continue;
      }
      const type = inferSchemaType(v);
      if (type === null)
        throw new DataException(
          `Flatten transformation was passed a value of type ${javaClassString(v)} which is not supported by Connect's data API`,
        );
      if (PRIMITIVE.has(type) || type === 'array') out[name] = v;
      else if (type === 'map') this.flattenMap(requireMap(v, PURPOSE), name, out);
      else
        throw new DataException(
          `Flatten transformation does not support ${javaClassString(v)} for record without schemas (for field ${name}).`,
        );
    }
  }

  private buildSchema(
    schema: Schema,
    prefix: string,
    b: SchemaBuilder,
    optional: boolean,
    parentDefault: Struct | null,
    path: number[],
    leaves: Leaf[],
  ): void {
    for (const f of schema.fields) {
      const name = this.name(prefix, f.name);
      const fieldOptional = optional || f.schema.optional;
      let fieldDefault: unknown = null;
      if (f.schema.defaultValue !== undefined && f.schema.defaultValue !== null) fieldDefault = f.schema.defaultValue;
      else if (parentDefault !== null) fieldDefault = parentDefault.get(f.name);
      const fieldPath = [...path, f.index];
      if (PRIMITIVE.has(f.schema.type) || f.schema.type === 'array') {
        b.field(name, convertFieldSchema(f.schema, fieldOptional, fieldDefault));
        leaves.push({ path: fieldPath });
      } else if (f.schema.type === 'struct') {
        this.buildSchema(f.schema, name, b, fieldOptional, (fieldDefault as Struct | null) ?? null, fieldPath, leaves);
      } else {
        throw new DataException(
          `Flatten transformation does not support ${f.schema.type.toUpperCase()} for record with schemas (for field ${name}).`,
        );
      }
    }
  }
}

/** The field schema for a flattened leaf: same basics, optional if any ancestor is, default from the nearest default. */
function convertFieldSchema(orig: Schema, optional: boolean, defaultFromParent: unknown): Schema {
  if (orig.optional === optional && (defaultFromParent ?? null) === (orig.defaultValue ?? null)) return orig;
  const b = copySchemaBasics(orig);
  if (optional) b.optional();
  if (defaultFromParent !== null && defaultFromParent !== undefined) b.defaultValue(defaultFromParent);
  return b.build();
}

/** The (defaults-applied) value at a field path; null when an intermediate struct is null. */
function valueAt(struct: Struct, path: number[]): unknown {
  let current: Struct = struct;
  for (let i = 0; i < path.length - 1; i++) {
    const next = current.get(current.schema.fields[path[i]]);
    if (next === null || next === undefined) return null;
    current = next as Struct;
  }
  return current.get(current.schema.fields[path[path.length - 1]]);
}

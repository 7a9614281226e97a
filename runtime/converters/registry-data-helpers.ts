/**
 * Helpers the schema-registry formats' Connect conversions (Avro, Protobuf) share: full names split
 * into namespace and name, the required form of an optional schema, the type-mismatch error.
 */
import { DataException } from '../errors.ts';
import { type Schema, SchemaBuilder } from '../data/schema.ts';

/** Splits `a.b.C` into namespace `a.b` and name `C`. */
export function splitName(fullName: string): [string | undefined, string] {
  const i = fullName.lastIndexOf('.');
  return i >= 0 ? [fullName.slice(0, i), fullName.slice(i + 1)] : [undefined, fullName];
}

/** The last segment of `a.b.C`: `C`. */
export function shortName(fullName: string): string {
  const i = fullName.lastIndexOf('.');
  return i >= 0 ? fullName.slice(i + 1) : fullName;
}

/** The same schema, required (AvroData.nonOptional). */
export function nonOptional(schema: Schema): Schema {
  if (!schema.optional) return schema;
  const b = SchemaBuilder.from(schema).required();
  for (const f of schema.fields) b.field(f.name, f.schema);
  return b.build();
}

export function typeError(schema: Schema, value: unknown, path: string): DataException {
  const got =
    value === null ? 'null' : Array.isArray(value) ? 'array' : value instanceof Uint8Array ? 'bytes' : typeof value;
  return new DataException(`Invalid type for ${schema.type.toUpperCase()} at "${path}": ${got}`);
}

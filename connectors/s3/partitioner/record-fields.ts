/** Dotted paths into a record value (Confluent's DataUtils.getNestedField / getNestedFieldValue). */
import { Struct, type Schema } from '../../../sdk/data.ts';
import { DataException } from '../../../sdk/errors.ts';

/** The schema at a dotted path of a struct schema, or undefined when a step is missing. */
export function nestedFieldSchema(schema: Schema | null, path: string): Schema | undefined {
  let s: Schema | undefined = schema ?? undefined;
  for (const step of path.split('.')) {
    if (!s || s.type !== 'struct') return undefined;
    s = s.field(step)?.schema;
  }
  return s;
}

/** The value at a dotted path of a Struct or a (schemaless) map; null when a step is null. */
export function nestedFieldValue(value: unknown, path: string): unknown {
  let v: unknown = value;
  for (const step of path.split('.')) {
    if (v === null || v === undefined) return null;
    if (v instanceof Struct) {
      if (!v.schema.field(step)) throw new DataException(`Field '${path}' is not present in the schema (no '${step}')`);
      v = v.get(step);
    } else if (v instanceof Map) v = v.get(step);
    else if (typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array))
      v = (v as Record<string, unknown>)[step];
    else throw new DataException(`Field '${path}': '${step}' is not inside a struct or map`);
  }
  return v ?? null;
}

/**
 * Struct fields looked up once per schema: a builder that runs per change (envelope, `source`)
 * puts by Field instead of by name.
 */
import type { Field, Schema } from '../../../sdk/data.ts';
import { DataException } from '../../../sdk/errors.ts';

/** Per names object (a module constant of the caller), the Fields of each schema seen. */
const CACHE = new WeakMap<object, WeakMap<Schema, object>>();

/**
 * The Fields of `schema` under `names` (property → field name), looked up on first use and cached
 * for that schema; a missing field throws Kafka's Struct message (`<name> is not a valid field name`).
 * `names` must be a long-lived object: it keys the cache.
 */
export function fieldsOf<K extends string>(schema: Schema, names: Readonly<Record<K, string>>): Record<K, Field> {
  let bySchema = CACHE.get(names);
  if (bySchema === undefined) CACHE.set(names, (bySchema = new WeakMap()));
  let fields = bySchema.get(schema) as Record<K, Field> | undefined;
  if (fields === undefined) {
    fields = {} as Record<K, Field>;
    for (const key of Object.keys(names) as K[]) {
      const field = schema.field(names[key]);
      if (!field) throw new DataException(`${names[key]} is not a valid field name`);
      fields[key] = field;
    }
    bySchema.set(schema, fields);
  }
  return fields;
}

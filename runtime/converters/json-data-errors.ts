/** The DataException Kafka's JsonConverter raises when a value does not have its schema's type. */
import { DataException } from '../errors.ts';
import type { Schema } from '../data/schema.ts';

export function typeError(schema: Schema, value: unknown, path: string): DataException {
  return new DataException(
    `Invalid type for ${schema.type.toUpperCase()} at "${path}": ${Array.isArray(value) ? 'array' : typeof value}`,
  );
}

/**
 * Kafka Connect's `Values.convertToString` (connect-api): the text SimpleHeaderConverter writes for
 * a header, and the form Values prints nested data in — structs and maps as `{"k":v}`, lists as
 * `[a,b]`, embedded strings quoted (only `\` and `"` escaped), bytes as base64, dates in the ISO
 * form Values.dateFormatFor picks, numbers as Java's toString of their schema's type.
 */
import type { Schema } from '../schema.ts';
import { Struct } from '../struct.ts';
import { BigDecimal, EpochMillis } from '../logical.ts';
import { DataException } from '../../errors.ts';
import { javaDoubleToString, javaFloatToString } from '../../converters/java-number-format.ts';
import { dateFormatFor } from './simple-date-format.ts';
import { bigDecimalToString } from './values.ts';

function numberToString(value: number, schema: Schema | null | undefined): string {
  switch (schema?.type) {
    case 'float32':
      return javaFloatToString(Math.fround(value));
    case 'float64':
      return javaDoubleToString(value);
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      return String(value);
  }
  // Schemaless: a JavaScript number holds no int/double distinction; integers print as Java's Long.
  return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : javaDoubleToString(value);
}

function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

function append(value: unknown, schema: Schema | null | undefined, embedded: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return numberToString(value, schema);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof BigDecimal) return bigDecimalToString(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return embedded ? `"${escape(value)}"` : value;
  if (value instanceof Uint8Array) {
    const b64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return embedded ? `"${b64}"` : b64;
  }
  if (value instanceof Date) return dateFormatFor(value).format(value);
  if (value instanceof EpochMillis)
    throw new DataException(
      `Cannot format ${value.millis} epoch milliseconds as a date: beyond the ±8.64e15 ms a JavaScript Date holds`,
    );
  if (Array.isArray(value)) return `[${value.map((e) => append(e, schema?.valueSchema, true)).join(',')}]`;
  if (value instanceof Struct)
    return `{${value.schema.fields.map((f) => `${append(f.name, null, true)}:${append(value.get(f.name), f.schema, true)}`).join(',')}}`;
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value as object);
  return `{${entries.map(([k, v]) => `${append(k, schema?.keySchema, true)}:${append(v, schema?.valueSchema, true)}`).join(',')}}`;
}

/** Values.convertToString(schema, value): null for a null value. */
export function convertToString(schema: Schema | null, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return append(value, schema, false);
}

/**
 * Parts of Kafka Connect's `Values` utility the transforms need: `parseString` (InsertHeader's
 * `value.literal`) and Java's `toString` of a Connect value (Cast to string).
 */
import type { Schema } from '../schema.ts';
import { BigDecimal } from '../logical.ts';
import { Struct } from '../struct.ts';
import { javaDoubleToString, javaFloatToString } from '../../converters/java-number-format.ts';
import { dateFormatFor } from './simple-date-format.ts';
import { parseValueString } from './value-parser.ts';

export interface SchemaAndValue {
  schema: Schema | null;
  value: unknown;
}

/** Values.parseString (see value-parser.ts). */
export function parseString(text: string): SchemaAndValue {
  return parseValueString(text);
}

/** Java's `Object#toString` of a Connect value, as Cast (to string) and error messages print it. */
export function javaToString(value: unknown, schema?: Schema | null): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    const type = schema?.type;
    if (type === 'float32') return javaFloatToString(value);
    if (type === 'float64' || !Number.isInteger(value)) return javaDoubleToString(value);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof BigDecimal) return bigDecimalToString(value);
  if (value instanceof Date) return dateFormatFor(value).format(value);
  if (value instanceof Uint8Array) return `[B@${Buffer.from(value).toString('hex').slice(0, 8)}`;
  if (value instanceof Struct) return value.toString();
  if (Array.isArray(value)) return `[${value.map((v) => javaToString(v)).join(', ')}]`;
  if (value instanceof Map)
    return `{${[...value.entries()].map(([k, v]) => `${javaToString(k)}=${javaToString(v)}`).join(', ')}}`;
  if (typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}=${javaToString(v)}`)
      .join(', ')}}`;
  return String(value);
}

/** BigDecimal#toString: plain digits, or scientific notation when the exponent is small (Java's rule). */
export function bigDecimalToString(d: BigDecimal): string {
  const neg = d.unscaled < 0n;
  const digits = (neg ? -d.unscaled : d.unscaled).toString();
  const adjusted = -d.scale + (digits.length - 1);
  if (d.scale >= 0 && adjusted >= -6) return d.toString();
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${neg ? '-' : ''}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/**
 * Java-flavoured helpers for error messages and conversions: the class names Kafka Connect prints
 * (`java.lang.String`, `class [B` …) for a Connect value, and Java's integer narrowing rules.
 */
import { Struct, BigDecimal, type Schema } from '../../sdk/data.ts';

const BY_TYPE: Record<string, string> = {
  int8: 'java.lang.Byte',
  int16: 'java.lang.Short',
  int32: 'java.lang.Integer',
  int64: 'java.lang.Long',
  float32: 'java.lang.Float',
  float64: 'java.lang.Double',
  boolean: 'java.lang.Boolean',
  string: 'java.lang.String',
  bytes: 'byte[]',
  array: 'java.util.ArrayList',
  map: 'java.util.HashMap',
  struct: 'org.apache.kafka.connect.data.Struct',
};

/** The canonical Java class name of the object Kafka Connect would hold for this value (Class#getCanonicalName). */
export function javaCanonicalName(value: unknown, schema?: Schema | null): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Struct) return 'org.apache.kafka.connect.data.Struct';
  if (value instanceof BigDecimal) return 'java.math.BigDecimal';
  if (value instanceof Date) return 'java.util.Date';
  if (value instanceof Uint8Array) return 'byte[]';
  if (schema && BY_TYPE[schema.type]) return BY_TYPE[schema.type];
  if (typeof value === 'string') return 'java.lang.String';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  if (typeof value === 'bigint') return 'java.lang.Long';
  if (typeof value === 'number')
    return Number.isInteger(value)
      ? value >= -2147483648 && value <= 2147483647
        ? 'java.lang.Integer'
        : 'java.lang.Long'
      : 'java.lang.Double';
  if (Array.isArray(value)) return 'java.util.ArrayList';
  if (value instanceof Map || isPlainObject(value)) return 'java.util.HashMap';
  return (value as object).constructor?.name ?? 'java.lang.Object';
}

/** `value.getClass().toString()`: `class java.lang.String`, `class [B` for bytes. */
export function javaClassString(value: unknown, schema?: Schema | null): string {
  const name = javaCanonicalName(value, schema);
  return name === 'byte[]' ? 'class [B' : `class ${name}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A schemaless Map value: a JS Map or a plain object. */
export function isMapValue(value: unknown): value is Record<string, unknown> | Map<unknown, unknown> {
  return value instanceof Map || isPlainObject(value);
}

/**
 * The Connect type Kafka infers for a schemaless value (ConnectSchema.schemaType(value.getClass())),
 * or null when the class is not part of Connect's data API (Date, BigDecimal …).
 */
export function inferSchemaType(value: unknown): Schema['type'] | null {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'bigint') return 'int64';
  if (typeof value === 'number')
    return Number.isInteger(value) ? (value >= -2147483648 && value <= 2147483647 ? 'int32' : 'int64') : 'float64';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof Struct) return 'struct';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map || isPlainObject(value)) return 'map';
  return null;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Java's narrowing of a number to an integral type of `bits` width, as Number#byteValue/shortValue/
 * intValue/longValue do: floating values are truncated and saturated to int (or long for 64 bits)
 * first, integral values simply keep their low-order bits.
 */
export function javaNarrow(value: number | bigint, bits: 8 | 16 | 32 | 64, floating: boolean): number | bigint {
  let v: bigint;
  if (typeof value === 'bigint') v = value;
  else if (Number.isNaN(value)) v = 0n;
  else if (floating || !Number.isInteger(value)) {
    const t = Math.trunc(value);
    const [min, max] = bits === 64 ? [INT64_MIN, INT64_MAX] : [-(2n ** 31n), 2n ** 31n - 1n];
    v = !Number.isFinite(t) ? (t > 0 ? max : min) : BigInt(t);
    if (v < min) v = min;
    if (v > max) v = max;
  } else v = BigInt(value);
  const out = BigInt.asIntN(bits, v);
  return bits === 64 ? toLongValue(out) : Number(out);
}

/** An int64 as a JS number when it is exactly representable, otherwise a bigint. */
export function toLongValue(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Integer.parseInt-style parsing: optional sign, decimal digits only, within the type's range. */
export function parseJavaInteger(text: string, bits: 8 | 16 | 32 | 64): number | bigint | null {
  if (!/^[+-]?\d+$/.test(text)) return null;
  const v = BigInt(text);
  const limit = 1n << BigInt(bits - 1);
  if (v < -limit || v >= limit) return null;
  return bits === 64 ? toLongValue(v) : Number(v);
}

/** Double.parseDouble / Float.parseFloat: Java's floating literal grammar (with optional f/d suffix, NaN, Infinity). */
export function parseJavaFloating(text: string): number | null {
  const t = text.trim();
  if (/^[+-]?NaN$/.test(t)) return NaN;
  if (/^[+-]?Infinity$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(t)) return null;
  return Number(t.replace(/[fFdD]$/, ''));
}

/**
 * Connect and Debezium schema types → a dialect-neutral column type, and Connect values → the
 * values bound for that column. Exact types stay exact: decimals travel as decimal text,
 * int64 as bigint text, and temporal values as text built from their integer encodings.
 */
import { BigDecimal, twosComplementToBigint } from '../../runtime/data/logical.ts';
import type { Schema } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { dateOfDays, parseZonedTimeToUtc, parseZonedTimestamp, timeOfMicros, wallTime } from './time-format.ts';

export type ColumnType =
  | {
      kind:
        | 'int8'
        | 'int16'
        | 'int32'
        | 'int64'
        | 'float32'
        | 'float64'
        | 'boolean'
        | 'string'
        | 'bytes'
        | 'json'
        | 'uuid'
        | 'date';
    }
  /** scale undefined: a variable-scale decimal (Debezium VariableScaleDecimal). */
  | { kind: 'decimal'; precision: number | undefined; scale: number | undefined }
  | { kind: 'time'; fraction: 3 | 6 }
  | { kind: 'timetz' }
  | { kind: 'timestamp'; fraction: 3 | 6 }
  | { kind: 'timestamptz' }
  | { kind: 'array'; element: ColumnType };

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  optional: boolean;
}

/** A field that no column type fits; the message names the field and the fix. */
export class UnmappableTypeError extends Error {}

const DBZ = 'io.debezium.';
const CONNECT_DECIMAL = 'org.apache.kafka.connect.data.Decimal';

export function columnTypeOf(schema: Schema, field: string): ColumnType {
  switch (schema.name) {
    case CONNECT_DECIMAL: {
      const p = schema.parameters?.['connect.decimal.precision'];
      return { kind: 'decimal', precision: p ? Number(p) : undefined, scale: Number(schema.parameters?.scale ?? 0) };
    }
    case 'io.debezium.data.VariableScaleDecimal':
      return { kind: 'decimal', precision: undefined, scale: undefined };
    case 'org.apache.kafka.connect.data.Date':
    case 'io.debezium.time.Date':
      return { kind: 'date' };
    case 'org.apache.kafka.connect.data.Time':
    case 'io.debezium.time.Time':
      return { kind: 'time', fraction: 3 };
    case 'io.debezium.time.MicroTime':
    case 'io.debezium.time.NanoTime':
      return { kind: 'time', fraction: 6 };
    case 'io.debezium.time.ZonedTime':
      return { kind: 'timetz' };
    case 'org.apache.kafka.connect.data.Timestamp':
    case 'io.debezium.time.Timestamp':
      return { kind: 'timestamp', fraction: 3 };
    case 'io.debezium.time.MicroTimestamp':
    case 'io.debezium.time.NanoTimestamp':
      return { kind: 'timestamp', fraction: 6 };
    case 'io.debezium.time.ZonedTimestamp':
      return { kind: 'timestamptz' };
    case 'io.debezium.data.Json':
      return { kind: 'json' };
    case 'io.debezium.data.Uuid':
      return { kind: 'uuid' };
    default:
      break;
  }
  if (schema.name?.startsWith(`${DBZ}data.geometry.`)) {
    throw new UnmappableTypeError(
      `field "${field}" has the spatial type ${schema.name}, which the JDBC sink cannot write yet; drop the field with the ReplaceField SMT`,
    );
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
    case 'float32':
    case 'float64':
    case 'boolean':
    case 'string':
    case 'bytes':
      return { kind: schema.type };
    case 'array': {
      const el = schema.valueSchema!;
      if (el.type === 'array' || el.type === 'map' || el.type === 'struct') {
        throw new UnmappableTypeError(
          `field "${field}" is an array of ${el.type.toUpperCase()}, which has no column type; flatten it or drop it with the ReplaceField SMT`,
        );
      }
      return { kind: 'array', element: columnTypeOf(el, `${field}[]`) };
    }
    default:
      throw new UnmappableTypeError(
        `field "${field}" has type ${schema.type.toUpperCase()}${schema.name ? ` (${schema.name})` : ''}, which has no column type; flatten it with the Flatten SMT or drop it with the ReplaceField SMT`,
      );
  }
}

export function sameColumnType(a: ColumnType, b: ColumnType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const toBigInt = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));

/**
 * The value to bind for a column: string, number, boolean, Buffer, array or null.
 * `timeZone` is the zone of zone-less timestamp columns (db.timezone).
 */
export function bindValue(type: ColumnType, value: unknown, timeZone: string, field: string): unknown {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'float32':
    case 'float64':
      return typeof value === 'bigint' ? Number(value) : value;
    case 'int64':
      return typeof value === 'bigint' ? value.toString() : Number.isSafeInteger(value) ? value : String(value);
    case 'boolean':
      return Boolean(value);
    case 'string':
    case 'json':
    case 'uuid':
      return typeof value === 'string' ? value : String(value);
    case 'bytes':
      if (value instanceof Uint8Array)
        return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      break;
    case 'decimal':
      if (value instanceof BigDecimal) return value.toString();
      if (value instanceof Struct) {
        const raw = value.get('value');
        if (!(raw instanceof Uint8Array)) break;
        return new BigDecimal(twosComplementToBigint(raw), Number(value.get('scale'))).toString();
      }
      if (value instanceof Uint8Array) break;
      return String(value);
    case 'date':
      if (value instanceof Date) return dateOfDays(Math.floor(value.getTime() / 86_400_000));
      return dateOfDays(Number(value));
    case 'time': {
      if (value instanceof Date) return timeOfMicros(BigInt(value.getTime()) * 1000n);
      // int32 millis (Time), int64 micros (MicroTime) or int64 nanos (NanoTime): told apart by the range
      return timeOfMicros(timeMicros(value));
    }
    case 'timetz': {
      const t = parseZonedTimeToUtc(String(value));
      if (t === null) break;
      return `${t}+00`;
    }
    case 'timestamp':
      return wallTime(timestampMicros(value), timeZone);
    case 'timestamptz': {
      const micros =
        typeof value === 'string'
          ? parseZonedTimestamp(value)
          : value instanceof Date
            ? BigInt(value.getTime()) * 1000n
            : null;
      if (micros === null) break;
      return wallTime(micros, 'UTC');
    }
    case 'array':
      if (!Array.isArray(value)) break;
      return value.map((v, i) => bindValue(type.element, v, timeZone, `${field}[${i}]`));
  }
  throw new UnmappableTypeError(
    `field "${field}" holds ${describe(value)}, which does not fit its ${type.kind} column`,
  );
}

// Which integer encoding a value uses is fixed by the schema name, so the caller passes a tagged value.
export interface ScaledTemporal {
  readonly unitsPerSecond: 1000 | 1_000_000 | 1_000_000_000;
  readonly value: unknown;
}

function timeMicros(value: unknown): bigint {
  if (isScaled(value)) return scaleToMicros(toBigInt(value.value), value.unitsPerSecond);
  return toBigInt(value) * 1000n;
}

function timestampMicros(value: unknown): bigint {
  if (value instanceof Date) return BigInt(value.getTime()) * 1000n;
  if (isScaled(value)) return scaleToMicros(toBigInt(value.value), value.unitsPerSecond);
  return toBigInt(value) * 1000n;
}

function scaleToMicros(v: bigint, unitsPerSecond: number): bigint {
  if (unitsPerSecond === 1_000_000) return v;
  if (unitsPerSecond === 1000) return v * 1000n;
  return v >= 0n ? v / 1000n : -((-v + 999n) / 1000n);
}

function isScaled(v: unknown): v is ScaledTemporal {
  return typeof v === 'object' && v !== null && 'unitsPerSecond' in v;
}

/** Wraps the raw integer of a Debezium time type so bindValue knows its unit. */
export function tagTemporal(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  switch (schema.name) {
    case 'io.debezium.time.MicroTime':
    case 'io.debezium.time.MicroTimestamp':
      return { unitsPerSecond: 1_000_000, value } satisfies ScaledTemporal;
    case 'io.debezium.time.NanoTime':
    case 'io.debezium.time.NanoTimestamp':
      return { unitsPerSecond: 1_000_000_000, value } satisfies ScaledTemporal;
    default:
      return value;
  }
}

function describe(v: unknown): string {
  if (v instanceof Uint8Array) return `${v.length} bytes`;
  if (v instanceof Struct) return 'a struct';
  const s = typeof v === 'bigint' ? v.toString() : JSON.stringify(v);
  return `${typeof v} ${s && s.length > 60 ? s.slice(0, 60) + '…' : s}`;
}

/**
 * Connect and Debezium schema types → a dialect-neutral column type, and Connect values → the
 * values bound for that column. Exact types stay exact: decimals travel as decimal text,
 * int64 as bigint text, and temporal values as text built from their integer encodings.
 */
import { BigDecimal, EpochMillis, twosComplementToBigint, type Schema, Struct } from '../../sdk/data.ts';
import {
  dateOfDays,
  isUtcZone,
  parseZonedTimeToUtc,
  parseZonedTimestamp,
  timeOfMicros,
  utcWallOfMicros,
  utcWallOfMillis,
  wallTime,
} from './time-format.ts';

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
        | 'xml'
        | 'date'
        /** io.debezium.time.MicroDuration: an int64 of microseconds. */
        | 'interval';
    }
  /** io.debezium.data.Enum with its `allowed` values. */
  | { kind: 'enum'; allowed: string[] }
  /** io.debezium.data.Bits: BitSet bytes (little-endian) of a bit string `length` long. */
  | { kind: 'bits'; length: number | undefined }
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
  /** The field schema's default (a Connect value), written as the column's DEFAULT where the type has a literal. */
  defaultValue?: unknown;
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
    case 'io.debezium.data.Xml':
      return { kind: 'xml' };
    case 'io.debezium.data.Enum': {
      const allowed = schema.parameters?.allowed;
      return allowed ? { kind: 'enum', allowed: allowed.split(',') } : { kind: 'string' };
    }
    case 'io.debezium.time.MicroDuration':
      return { kind: 'interval' };
    case 'io.debezium.data.Bits': {
      const length = Number(schema.parameters?.length);
      return { kind: 'bits', length: Number.isInteger(length) && length > 0 ? length : undefined };
    }
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

/** The DEFAULT literal of a column's schema default, or null for none (types without a plain literal). */
export function defaultLiteral(c: ColumnSpec): string | null {
  const v = c.defaultValue;
  if (v === null || v === undefined) return null;
  switch (c.type.kind) {
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      return typeof v === 'bigint' || Number.isInteger(v) ? String(v) : null;
    case 'float32':
    case 'float64':
      return typeof v === 'number' && Number.isFinite(v) ? String(v) : null;
    case 'boolean':
      return typeof v === 'boolean' ? String(v) : null;
    case 'decimal':
      return v instanceof BigDecimal ? v.toString() : null;
    case 'string':
    case 'json':
    case 'uuid':
    case 'xml':
      return typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : null;
    default:
      return null;
  }
}

export function sameColumnType(a: ColumnType, b: ColumnType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));
const toBigInt = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v))));

/**
 * The value to bind for a column: string, number, boolean, Buffer, array or null.
 * `timeZone` is the zone of zone-less timestamp columns (db.timezone); `postgres` selects
 * PostgreSQL's forms of the types only it has a column type for (interval, bit strings).
 */
export function bindValue(
  type: ColumnType,
  value: unknown,
  timeZone: string,
  field: string,
  postgres = false,
): unknown {
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
    case 'interval': {
      const micros = typeof value === 'bigint' ? value.toString() : String(Math.trunc(Number(value)));
      // Debezium's sink binds a java.time.Duration; PostgreSQL keeps microseconds in the interval's time part.
      return postgres ? `${micros} microseconds` : micros;
    }
    case 'bits':
      if (!(value instanceof Uint8Array)) break;
      // MySQL/MariaDB BIT(n) takes the value as a big-endian binary string
      return postgres ? bitString(value, type.length) : Buffer.from(value).reverse();
    case 'boolean':
      return Boolean(value);
    case 'string':
    case 'json':
    case 'uuid':
    case 'xml':
    case 'enum':
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
      if (!postgres) return isoYears(bindValue(type, value, timeZone, field, true) as string);
      if (value instanceof Date) return dateOfDays(Math.floor(value.getTime() / 86_400_000));
      // beyond a JS Date (PostgreSQL ±infinity read under time.precision.mode=connect): the calendar
      // date Debezium's sink binds, which the database then refuses as out of range, as it does Debezium's
      if (value instanceof EpochMillis) return dateOfDays(floorDiv(value.millis, 86_400_000n));
      return dateOfDays(Number(value));
    case 'time': {
      if (value instanceof Date) return timeOfMicros(BigInt(value.getTime()) * 1000n);
      // int32 millis (Time), int64 micros (MicroTime) or int64 nanos (NanoTime): told apart by the range
      return timeOfMicros(timeMicros(value, postgres));
    }
    case 'timetz': {
      const t = parseZonedTimeToUtc(String(value));
      if (t === null) break;
      return `${t}+00`;
    }
    case 'timestamp': {
      const fast = isUtcZone(timeZone) ? fastUtcTimestamp(value) : null;
      if (fast !== null) return fast;
      return postgres
        ? wallTime(timestampMicros(value, postgres), timeZone)
        : isoYears(wallTime(timestampMicros(value, postgres), timeZone));
    }
    case 'timestamptz': {
      if (value instanceof Date) {
        const fast = utcWallOfMillis(value.getTime(), 0);
        if (fast !== null) return fast;
      }
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
      return value.map((v, i) => bindValue(type.element, v, timeZone, `${field}[${i}]`, postgres));
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

function timeMicros(value: unknown, roundNanos: boolean): bigint {
  if (isScaled(value)) return scaleToMicros(toBigInt(value.value), value.unitsPerSecond, roundNanos);
  return toBigInt(value) * 1000n;
}

/**
 * The UTC wall text of a Connect Timestamp (Date), a MicroTimestamp or millis given as a number,
 * in years 1..9999, without bigints; null for anything else (the general path handles it).
 */
function fastUtcTimestamp(value: unknown): string | null {
  if (value instanceof Date) return utcWallOfMillis(value.getTime(), 0);
  if (typeof value === 'number') return utcWallOfMillis(value, 0);
  if (isScaled(value) && typeof value.value === 'number') {
    if (value.unitsPerSecond === 1_000_000) return utcWallOfMicros(value.value);
    if (value.unitsPerSecond === 1000) return utcWallOfMillis(value.value, 0);
  }
  return null;
}

function timestampMicros(value: unknown, roundNanos: boolean): bigint {
  if (value instanceof Date) return BigInt(value.getTime()) * 1000n;
  if (value instanceof EpochMillis) return value.millis * 1000n;
  if (isScaled(value)) return scaleToMicros(toBigInt(value.value), value.unitsPerSecond, roundNanos);
  return toBigInt(value) * 1000n;
}

function scaleToMicros(v: bigint, unitsPerSecond: number, roundNanos: boolean): bigint {
  if (unitsPerSecond === 1_000_000) return v;
  if (unitsPerSecond === 1000) return v * 1000n;
  // On PostgreSQL nanoseconds go to the nearest microsecond, halves up: pgjdbc rounds the
  // nano-of-second of the LocalDateTime/LocalTime Debezium's sink binds ((nanos + 500) / 1000).
  // Elsewhere they are floored (no oracle run against MySQL/MariaDB yet).
  const n = roundNanos ? v + 500n : v;
  return n >= 0n ? n / 1000n : -((-n + 999n) / 1000n);
}

/**
 * Years outside 1..9999 as Java's LocalDate/LocalDateTime.toString writes them (what Debezium's
 * sink binds on MySQL/MariaDB, which refuse such dates): `+292278994-…`, `-5877641-…` (year 0 = 1 BC).
 */
function isoYears(pgText: string): string {
  // 4-digit years (0001..9999) are written alike: only BC and 5+ digit years change
  if (pgText.charCodeAt(4) === 45 && !pgText.endsWith(' BC')) return pgText;
  const m = /^(\d+)(-.*?)( BC)?$/.exec(pgText);
  if (!m) return pgText;
  const year = m[3] ? 1n - BigInt(m[1]) : BigInt(m[1]);
  if (year < 0n) return `-${String(-year).padStart(4, '0')}${m[2]}`;
  return year > 9999n ? `+${year}${m[2]}` : `${String(year).padStart(4, '0')}${m[2]}`;
}

/** A bit string, most significant bit first, of java.util.BitSet bytes (bit i in byte i/8, bit i%8). */
function bitString(bytes: Uint8Array, length: number | undefined): string {
  const n = length ?? bytes.length * 8;
  let s = '';
  for (let i = n - 1; i >= 0; i--) s += (bytes[i >> 3] ?? 0) & (1 << (i & 7)) ? '1' : '0';
  return s;
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

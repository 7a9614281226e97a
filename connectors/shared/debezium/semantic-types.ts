/**
 * Debezium's semantic (named) types over Connect primitives, with the exact names, versions,
 * docs and parameters Debezium gives them (io.debezium.time.*, io.debezium.data.*). Each factory
 * returns a SchemaBuilder so callers can add optional/default/doc per column.
 */
import { SchemaBuilder, Schemas, Decimal, ConnectDate, ConnectTime, ConnectTimestamp } from '../../../sdk/data.ts';

const named = (b: SchemaBuilder, name: string): SchemaBuilder => b.name(name).version(1);

export const SemanticTypes = {
  // io.debezium.time
  date: (): SchemaBuilder => named(SchemaBuilder.int32(), 'io.debezium.time.Date'),
  time: (): SchemaBuilder => named(SchemaBuilder.int32(), 'io.debezium.time.Time'),
  microTime: (): SchemaBuilder => named(SchemaBuilder.int64(), 'io.debezium.time.MicroTime'),
  nanoTime: (): SchemaBuilder => named(SchemaBuilder.int64(), 'io.debezium.time.NanoTime'),
  timestamp: (): SchemaBuilder => named(SchemaBuilder.int64(), 'io.debezium.time.Timestamp'),
  microTimestamp: (): SchemaBuilder => named(SchemaBuilder.int64(), 'io.debezium.time.MicroTimestamp'),
  nanoTimestamp: (): SchemaBuilder => named(SchemaBuilder.int64(), 'io.debezium.time.NanoTimestamp'),
  zonedTimestamp: (): SchemaBuilder => named(SchemaBuilder.string(), 'io.debezium.time.ZonedTimestamp'),
  zonedTime: (): SchemaBuilder => named(SchemaBuilder.string(), 'io.debezium.time.ZonedTime'),
  year: (): SchemaBuilder => named(SchemaBuilder.int32(), 'io.debezium.time.Year'),
  microDuration: (): SchemaBuilder => named(SchemaBuilder.int64(), 'io.debezium.time.MicroDuration'),
  interval: (): SchemaBuilder => named(SchemaBuilder.string(), 'io.debezium.time.Interval'),
  isoDate: (): SchemaBuilder => named(SchemaBuilder.string(), 'io.debezium.time.IsoDate'),
  isoTime: (): SchemaBuilder => named(SchemaBuilder.string(), 'io.debezium.time.IsoTime'),
  isoTimestamp: (): SchemaBuilder => named(SchemaBuilder.string(), 'io.debezium.time.IsoTimestamp'),
  // Kafka Connect logical types (time.precision.mode=connect)
  connectDate: (): SchemaBuilder => ConnectDate.builder(),
  connectTime: (): SchemaBuilder => ConnectTime.builder(),
  connectTimestamp: (): SchemaBuilder => ConnectTimestamp.builder(),
  /** org.apache.kafka.connect.data.Decimal with Debezium's `connect.decimal.precision` parameter (scale first). */
  decimal(scale: number, precision?: number): SchemaBuilder {
    const b = Decimal.builder(scale);
    if (precision !== undefined && precision > 0) b.parameter('connect.decimal.precision', String(precision));
    return b;
  },
  // io.debezium.data
  json: (): SchemaBuilder => named(SchemaBuilder.string(), 'io.debezium.data.Json'),
  uuid: (): SchemaBuilder => named(SchemaBuilder.string(), 'io.debezium.data.Uuid'),
  xml: (): SchemaBuilder => named(SchemaBuilder.string(), 'io.debezium.data.Xml'),
  ltree: (): SchemaBuilder => named(SchemaBuilder.string(), 'io.debezium.data.Ltree'),
  tsvector: (): SchemaBuilder => named(SchemaBuilder.string(), 'io.debezium.data.Tsvector'),
  enumeration: (allowed: readonly string[]): SchemaBuilder =>
    named(SchemaBuilder.string(), 'io.debezium.data.Enum').parameter('allowed', allowed.join(',')),
  enumSet: (allowed: readonly string[]): SchemaBuilder =>
    named(SchemaBuilder.string(), 'io.debezium.data.EnumSet').parameter('allowed', allowed.join(',')),
  /** BIT(n>1): little-endian bytes, `length` = number of bits. */
  bits: (length: number): SchemaBuilder =>
    named(SchemaBuilder.bytes(), 'io.debezium.data.Bits').parameter('length', String(length)),
  variableScaleDecimal: (): SchemaBuilder =>
    named(SchemaBuilder.struct(), 'io.debezium.data.VariableScaleDecimal')
      .doc('Variable scaled decimal')
      .field('scale', Schemas.INT32)
      .field('value', Schemas.BYTES),
  point: (): SchemaBuilder =>
    named(SchemaBuilder.struct(), 'io.debezium.data.geometry.Point')
      .doc('Geometry (POINT)')
      .field('x', Schemas.FLOAT64)
      .field('y', Schemas.FLOAT64)
      .field('wkb', Schemas.OPTIONAL_BYTES)
      .field('srid', Schemas.OPTIONAL_INT32),
  geometry: (): SchemaBuilder =>
    named(SchemaBuilder.struct(), 'io.debezium.data.geometry.Geometry')
      .doc('Geometry')
      .field('wkb', Schemas.BYTES)
      .field('srid', Schemas.OPTIONAL_INT32),
  geography: (): SchemaBuilder =>
    named(SchemaBuilder.struct(), 'io.debezium.data.geometry.Geography')
      .doc('Geography')
      .field('wkb', Schemas.BYTES)
      .field('srid', Schemas.OPTIONAL_INT32),
  doubleVector: (): SchemaBuilder => named(SchemaBuilder.array(Schemas.FLOAT64), 'io.debezium.data.DoubleVector'),
  floatVector: (): SchemaBuilder => named(SchemaBuilder.array(Schemas.FLOAT32), 'io.debezium.data.FloatVector'),
} as const;

/** Schema names, for code that recognises semantic types (sinks, SMTs). */
export const SemanticTypeNames = {
  DATE: 'io.debezium.time.Date',
  TIME: 'io.debezium.time.Time',
  MICRO_TIME: 'io.debezium.time.MicroTime',
  NANO_TIME: 'io.debezium.time.NanoTime',
  TIMESTAMP: 'io.debezium.time.Timestamp',
  MICRO_TIMESTAMP: 'io.debezium.time.MicroTimestamp',
  NANO_TIMESTAMP: 'io.debezium.time.NanoTimestamp',
  ZONED_TIMESTAMP: 'io.debezium.time.ZonedTimestamp',
  ZONED_TIME: 'io.debezium.time.ZonedTime',
  YEAR: 'io.debezium.time.Year',
  MICRO_DURATION: 'io.debezium.time.MicroDuration',
  INTERVAL: 'io.debezium.time.Interval',
  JSON: 'io.debezium.data.Json',
  UUID: 'io.debezium.data.Uuid',
  XML: 'io.debezium.data.Xml',
  ENUM: 'io.debezium.data.Enum',
  ENUM_SET: 'io.debezium.data.EnumSet',
  BITS: 'io.debezium.data.Bits',
  VARIABLE_SCALE_DECIMAL: 'io.debezium.data.VariableScaleDecimal',
  POINT: 'io.debezium.data.geometry.Point',
  GEOMETRY: 'io.debezium.data.geometry.Geometry',
  GEOGRAPHY: 'io.debezium.data.geometry.Geography',
} as const;

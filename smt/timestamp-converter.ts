/**
 * TimestampConverter$Key / $Value (org.apache.kafka.connect.transforms.TimestampConverter): converts
 * a field (or the whole key/value, `field=""`) between `string` (java.text.SimpleDateFormat
 * patterns, UTC), `unix` (epoch number in `unix.precision`), and Connect's `Date`, `Time` and
 * `Timestamp`. The input type comes from the schema (logical name, else string → string, int64 →
 * unix), or from the runtime value when schemaless (Date → Timestamp, integer → unix, string).
 */
import { ConfigDef, ParsedConfig } from '../sdk/config.ts';
import { ConfigException, ConnectException, DataException } from '../sdk/errors.ts';
import {
  SchemaBuilder,
  Schemas,
  type Schema,
  Struct,
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  EpochMillis,
  epochValue,
} from '../sdk/data.ts';
import type { AnyRecord, Transformation } from '../sdk/spi.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStructOrNull } from './util/requirements.ts';
import { copySchemaBasics, fieldValue, SchemaCache } from './util/schema-util.ts';
import { REPLACE_NULL_WITH_DEFAULT, replaceNullWithDefaultKey, SmtValidators } from './util/config.ts';
import { IllegalPatternError, ParseError, SimpleDateFormat } from '../sdk/internal/java-format.ts';
import { javaClassString, toLongValue } from './util/java.ts';

type TimestampType = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp';
type Precision = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

const PURPOSE = 'converting timestamp formats';
const DAY = 86_400_000;
/** The largest |epoch millis| a JS Date holds. */
const DATE_RANGE = 8_640_000_000_000_000;
const TYPES: TimestampType[] = ['string', 'unix', 'Date', 'Time', 'Timestamp'];

export const TIMESTAMP_CONVERTER_CONFIG = new ConfigDef()
  .define({
    name: 'field',
    type: 'STRING',
    defaultValue: '',
    importance: 'HIGH',
    documentation: 'The field containing the timestamp, or empty if the entire value is a timestamp',
  })
  .define({
    name: 'target.type',
    type: 'STRING',
    importance: 'HIGH',
    validator: SmtValidators.validString(...TYPES),
    documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp',
  })
  .define({
    name: 'format',
    type: 'STRING',
    defaultValue: '',
    importance: 'MEDIUM',
    documentation:
      'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.',
  })
  .define({
    name: 'unix.precision',
    type: 'STRING',
    defaultValue: 'milliseconds',
    importance: 'LOW',
    validator: SmtValidators.validString('nanoseconds', 'microseconds', 'milliseconds', 'seconds'),
    documentation:
      'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long.Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.',
  })
  .define(replaceNullWithDefaultKey());

const OPTIONAL = {
  Date: ConnectDate.builder().optional().build(),
  Time: ConnectTime.builder().optional().build(),
  Timestamp: ConnectTimestamp.builder().optional().build(),
};
const REQUIRED = { Date: ConnectDate.schema(), Time: ConnectTime.schema(), Timestamp: ConnectTimestamp.schema() };
const UNIT: Record<Precision, bigint> = {
  seconds: 1000n,
  milliseconds: 1n,
  microseconds: 1000n,
  nanoseconds: 1_000_000n,
};

function typeSchema(type: TimestampType, optional: boolean): Schema {
  switch (type) {
    case 'string':
      return optional ? Schemas.OPTIONAL_STRING : Schemas.STRING;
    case 'unix':
      return optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64;
    default:
      return (optional ? OPTIONAL : REQUIRED)[type];
  }
}

export class TimestampConverter implements Transformation {
  private field = '';
  private type: TimestampType = 'Timestamp';
  private format: SimpleDateFormat | null = null;
  private precision: Precision = 'milliseconds';
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  config(): ConfigDef {
    return TIMESTAMP_CONVERTER_CONFIG;
  }
  version(): string {
    return '1.0.0';
  }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(TIMESTAMP_CONVERTER_CONFIG, props);
    this.field = c.getString('field');
    this.type = c.getString('target.type') as TimestampType;
    const pattern = c.getString('format');
    this.precision = c.getString('unix.precision') as Precision;
    this.replaceNullWithDefault = c.getBoolean(REPLACE_NULL_WITH_DEFAULT);
    if (this.type === 'string' && pattern.trim() === '') {
      throw new ConfigException(
        'TimestampConverter requires format option to be specified when using string timestamps',
        { key: 'format' },
      );
    }
    this.format = null;
    if (pattern.trim() !== '') {
      try {
        this.format = new SimpleDateFormat(pattern);
      } catch (err) {
        if (!(err instanceof IllegalPatternError)) throw err;
        throw new ConfigException(
          `TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern} (${err.message})`,
          { key: 'format', cause: err },
        );
      }
    }
  }

  apply<R extends AnyRecord>(record: R): R {
    const schema = operatingSchema(this.side, record);
    const value = operatingValue(this.side, record) ?? null;
    if (schema === null) {
      if (value === null || this.field === '') return withOperating(this.side, record, null, this.convert(value, null));
      const out: Record<string, unknown> = { ...requireMap(value, PURPOSE) };
      out[this.field] = this.convert(out[this.field] ?? null, null);
      return withOperating(this.side, record, null, out);
    }
    if (this.field === '') {
      return withOperating(
        this.side,
        record,
        typeSchema(this.type, schema.optional),
        this.convert(value, timestampTypeFromSchema(schema)),
      );
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.cache.get(schema, (s) => {
      const b = copySchemaBasics(s, SchemaBuilder.struct());
      for (const f of s.fields)
        b.field(f.name, f.name === this.field ? typeSchema(this.type, f.schema.optional) : f.schema);
      if (s.optional) b.optional();
      return b.build();
    });
    return withOperating(
      this.side,
      record,
      updatedSchema,
      struct === null ? null : this.convertStruct(struct, updatedSchema),
    );
  }

  private convertStruct(struct: Struct, updatedSchema: Schema): Struct {
    const out = new Struct(updatedSchema);
    const fields = struct.schema.fields;
    for (let i = 0; i < fields.length; i++) {
      const v = fieldValue(struct, i, this.replaceNullWithDefault);
      out.put(
        updatedSchema.fields[i],
        fields[i].name === this.field ? this.convert(v, timestampTypeFromSchema(fields[i].schema)) : v,
      );
    }
    return out;
  }

  private convert(timestamp: unknown, sourceType: TimestampType | null): unknown {
    if (timestamp === null || timestamp === undefined) return null;
    return this.toType(this.toRaw(timestamp, sourceType ?? inferTimestampType(timestamp)));
  }

  /** From the source representation to epoch milliseconds (a bigint beyond a JS Date's range, as Java's long). */
  private toRaw(orig: unknown, type: TimestampType): number | bigint {
    switch (type) {
      case 'string': {
        if (typeof orig !== 'string')
          throw new DataException(`Expected string timestamp to be a String, but found ${javaClassString(orig)}`);
        if (!this.format)
          throw new DataException(
            'TimestampConverter requires format option to be specified when using string timestamps',
          );
        try {
          return this.format.parse(orig).getTime();
        } catch (err) {
          if (!(err instanceof ParseError)) throw err;
          throw new DataException(
            `Could not parse timestamp: value (${orig}) does not match pattern (${this.format.toPattern()})`,
            { cause: err },
          );
        }
      }
      case 'unix': {
        if (!(typeof orig === 'bigint' || (typeof orig === 'number' && Number.isInteger(orig))))
          throw new DataException(`Expected Unix timestamp to be a Long, but found ${javaClassString(orig)}`);
        const v = BigInt(orig);
        const unit = UNIT[this.precision];
        // TimeUnit conversions: multiply for seconds, truncating division for finer units.
        return toLongValue(this.precision === 'seconds' ? saturateLong(v * unit) : v / unit);
      }
      default:
        if (orig instanceof EpochMillis && type !== 'Time') return orig.millis;
        if (!(orig instanceof Date))
          throw new DataException(`Expected ${type} to be a java.util.Date, but found ${javaClassString(orig)}`);
        return orig.getTime();
    }
  }

  private toType(ms: number | bigint): unknown {
    if (typeof ms === 'bigint' || Math.abs(ms) > DATE_RANGE) return this.toTypeWide(BigInt(ms));
    switch (this.type) {
      case 'string':
        return this.format!.format(new Date(ms));
      case 'unix': {
        const v = BigInt(ms);
        const unit = UNIT[this.precision];
        return toLongValue(this.precision === 'seconds' ? v / unit : v * unit);
      }
      case 'Date':
        return new Date(Math.floor(ms / DAY) * DAY);
      case 'Time':
        return new Date(((ms % DAY) + DAY) % DAY);
      case 'Timestamp':
        return new Date(ms);
    }
  }

  /** toType for epoch millis beyond a JS Date's range (PostgreSQL's ±infinity), in exact int64 arithmetic. */
  private toTypeWide(ms: bigint): unknown {
    const day = BigInt(DAY);
    const timeOfDay = ((ms % day) + day) % day;
    switch (this.type) {
      case 'string':
        throw new DataException(
          `TimestampConverter cannot format ${ms} ms as a string: beyond the ±8.64e15 ms a JavaScript Date holds (use target.type unix, Timestamp or Date)`,
        );
      case 'unix': {
        const unit = UNIT[this.precision];
        return toLongValue(this.precision === 'seconds' ? ms / unit : saturateLong(ms * unit));
      }
      case 'Date':
        return epochValue(ms - timeOfDay);
      case 'Time':
        return new Date(Number(timeOfDay));
      case 'Timestamp':
        return epochValue(ms);
    }
  }
}

/** TimeUnit's conversions saturate at the int64 range instead of overflowing. */
function saturateLong(v: bigint): bigint {
  return v > 9223372036854775807n ? 9223372036854775807n : v < -9223372036854775808n ? -9223372036854775808n : v;
}

function timestampTypeFromSchema(schema: Schema): TimestampType {
  if (schema.name === ConnectTimestamp.LOGICAL_NAME) return 'Timestamp';
  if (schema.name === ConnectDate.LOGICAL_NAME) return 'Date';
  if (schema.name === ConnectTime.LOGICAL_NAME) return 'Time';
  if (schema.type === 'string') return 'string';
  if (schema.type === 'int64') return 'unix';
  throw new ConnectException(`Schema ${String(schema)} does not correspond to a known timestamp type format`);
}

function inferTimestampType(timestamp: unknown): TimestampType {
  if (timestamp instanceof Date || timestamp instanceof EpochMillis) return 'Timestamp';
  if (typeof timestamp === 'bigint' || (typeof timestamp === 'number' && Number.isInteger(timestamp))) return 'unix';
  if (typeof timestamp === 'string') return 'string';
  throw new DataException(`TimestampConverter does not support ${javaClassString(timestamp)} objects as timestamps`);
}

/**
 * TimestampConverter$Key / $Value: convert a timestamp field (or the whole key/value) between
 * string (SimpleDateFormat, UTC), unix epoch numbers (unix.precision) and Connect's Date, Time and
 * Timestamp logical types.
 */
import { ConfigDef, ParsedConfig, Validators } from '../runtime/config/config-def.ts';
import { ConfigException, DataException } from '../runtime/errors.ts';
import { SchemaBuilder, type Schema } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import { ConnectDate, ConnectTime, ConnectTimestamp } from '../runtime/data/logical.ts';
import type { AnyRecord, Transformation } from '../runtime/spi/transformation.ts';
import { operatingSchema, operatingValue, withOperating, type Side } from './util/operating.ts';
import { requireMap, requireStruct } from './util/requirements.ts';
import { copySchemaBasics, SchemaCache } from './util/schema-util.ts';
import { formatJavaDate, parseJavaDate } from './util/java-date-format.ts';

type Target = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp';
type Precision = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

export const TIMESTAMP_CONVERTER_CONFIG = new ConfigDef()
  .define({ name: 'field', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'The field containing the timestamp, or empty if the entire value is a timestamp' })
  .define({ name: 'target.type', type: 'STRING', importance: 'HIGH', documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp', validator: Validators.in('string', 'unix', 'Date', 'Time', 'Timestamp') })
  .define({ name: 'format', type: 'STRING', defaultValue: '', importance: 'MEDIUM', documentation: 'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.' })
  .define({ name: 'unix.precision', type: 'STRING', defaultValue: 'milliseconds', importance: 'LOW', documentation: 'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds.', validator: Validators.in('seconds', 'milliseconds', 'microseconds', 'nanoseconds') })
  .define({ name: 'replace.null.with.default', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether to replace fields that have a default value and that are null to the default value.' });

const DAY = 86_400_000;
const PER_MS: Record<Precision, number> = { seconds: 1 / 1000, milliseconds: 1, microseconds: 1000, nanoseconds: 1_000_000 };

export class TimestampConverter implements Transformation {
  private field = '';
  private target: Target = 'Timestamp';
  private format = '';
  private precision: Precision = 'milliseconds';
  private replaceNullWithDefault = true;
  private readonly cache = new SchemaCache();

  constructor(private readonly side: Side) {}

  config(): ConfigDef { return TIMESTAMP_CONVERTER_CONFIG; }
  version(): string { return '1.0.0'; }

  configure(props: Record<string, string>): void {
    const c = new ParsedConfig(TIMESTAMP_CONVERTER_CONFIG, props);
    this.field = c.getString('field');
    this.target = c.getString('target.type') as Target;
    this.format = c.getString('format');
    this.precision = c.getString('unix.precision') as Precision;
    this.replaceNullWithDefault = c.getBoolean('replace.null.with.default');
    if (this.target === 'string' && this.format.trim() === '') {
      throw new ConfigException('TimestampConverter requires format option to be specified when using string timestamps', { key: 'format' });
    }
    if (this.format) formatJavaDate(new Date(0), this.format);
  }

  private targetSchema(optional: boolean): Schema {
    const b = this.target === 'string' ? SchemaBuilder.string() : this.target === 'unix' ? SchemaBuilder.int64()
      : this.target === 'Date' ? ConnectDate.builder() : this.target === 'Time' ? ConnectTime.builder() : ConnectTimestamp.builder();
    if (optional) b.optional();
    return b.build();
  }

  /** Any supported input (by schema, or by JS type when schemaless) to epoch milliseconds. */
  private toMillis(value: unknown, schema: Schema | null): number {
    if (value instanceof Date) return value.getTime();
    if (typeof value === 'number' || typeof value === 'bigint') return Number(value) / PER_MS[this.precision];
    if (typeof value === 'string') {
      if (!this.format) throw new DataException('TimestampConverter requires format option to be specified when using string timestamps');
      return parseJavaDate(value, this.format).getTime();
    }
    throw new DataException(`Schema ${schema?.name ?? schema?.type ?? 'none'} does not correspond to a known timestamp type format`);
  }

  private fromMillis(ms: number): unknown {
    switch (this.target) {
      case 'string': return formatJavaDate(new Date(ms), this.format);
      case 'unix': return this.precision === 'seconds' ? Math.floor(ms / 1000) : Math.round(ms * PER_MS[this.precision]);
      case 'Date': return new Date(Math.floor(ms / DAY) * DAY);
      case 'Time': return new Date(((ms % DAY) + DAY) % DAY);
      case 'Timestamp': return new Date(ms);
    }
  }

  private convert(value: unknown, schema: Schema | null): unknown {
    if (value === null || value === undefined) return null;
    return this.fromMillis(this.toMillis(value, schema));
  }

  apply<R extends AnyRecord>(record: R): R {
    const schema = operatingSchema(this.side, record);
    const value = operatingValue(this.side, record);
    if (this.field === '') {
      return withOperating(this.side, record, schema ? this.targetSchema(schema.optional) : null, this.convert(value, schema));
    }
    if (value === null || value === undefined) return record;
    if (schema === null) {
      const out = { ...requireMap(value, 'converting timestamp formats') };
      out[this.field] = this.convert(out[this.field], null);
      return withOperating(this.side, record, null, out);
    }
    const struct = requireStruct(value, 'converting timestamp formats');
    const updatedSchema = this.cache.get(schema, (s) => {
      const b = copySchemaBasics(s, SchemaBuilder.struct());
      for (const f of s.fields) b.field(f.name, f.name === this.field ? this.targetSchema(f.schema.optional) : f.schema);
      return b.build();
    });
    const out = new Struct(updatedSchema);
    for (const f of schema.fields) {
      const v = this.replaceNullWithDefault ? struct.get(f) : struct.getWithoutDefault(f.name);
      out.put(f.name, f.name === this.field ? this.convert(v, f.schema) : v);
    }
    return withOperating(this.side, record, updatedSchema, out);
  }
}

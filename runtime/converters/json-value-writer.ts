/**
 * Connect values to JSON as Kafka's JsonConverter writes them: per-schema payload writers compiled
 * once into the byte sink (the hot path of every source pipeline), and the general text path for
 * logical types, bytes, arrays, maps and schemaless values.
 */
import { DataException } from '../errors.ts';
import { type Schema, mapEntries } from '../data/schema.ts';
import { Struct } from '../data/struct.ts';
import { BigDecimal, Decimal, ConnectDate, ConnectTime, ConnectTimestamp, EpochMillis } from '../data/logical.ts';
import { javaBigDecimalToString, javaDoubleToString, javaFloatToString } from './java-number-format.ts';
import { jacksonQuote } from './json-bytes.ts';
import { typeError } from './json-data-errors.ts';
import { FieldKind, compileStructWriter, type JsonPayloadWriter } from './json-struct-compiler.ts';
import { SMALL_DECIMAL_ROOM, writeSmallDecimal } from './json-small-decimal.ts';

export type { JsonPayloadWriter };
type Writer = JsonPayloadWriter;

const LOGICAL_NAMES = new Set([
  Decimal.LOGICAL_NAME,
  ConnectDate.LOGICAL_NAME,
  ConnectTime.LOGICAL_NAME,
  ConnectTimestamp.LOGICAL_NAME,
]);

export class JsonValueWriter {
  /** Per-schema payload writers, compiled once. */
  private readonly writers = new WeakMap<Schema, Writer>();
  /** Per struct schema: the writer of its non-null values (a nested struct field's writer). */
  private readonly structWriters = new WeakMap<Schema, Writer>();

  /**
   * @param generateAfter values a struct schema writes through the field loop before it gets its
   *   generated function (0: at once)
   */
  constructor(
    private readonly decimalNumeric: boolean,
    readonly replaceNullWithDefault: boolean,
    private readonly generateAfter = GENERATE_AFTER,
  ) {}

  /** The compiled payload writer of a schema (compiled on first use). */
  writerFor(schema: Schema): Writer {
    let w = this.writers.get(schema);
    if (!w) {
      w = this.compile(schema);
      this.writers.set(schema, w);
    }
    return w;
  }

  /** A writer for one schema: null/default handling, then the type's encoding; structs inline their fields. */
  private compile(schema: Schema): Writer {
    const nonNull = this.compileNonNull(schema);
    const hasDefault = schema.defaultValue !== undefined && schema.defaultValue !== null;
    return (v, path, out) => {
      if (v === null || v === undefined) {
        if (hasDefault && this.replaceNullWithDefault) return nonNull(schema.defaultValue, path, out);
        if (!schema.optional)
          throw new DataException(
            `Conversion error: null value for field that is required and has no default value: "${path}"`,
          );
        out.ascii('null');
        return;
      }
      nonNull(v, path, out);
    };
  }

  private compileNonNull(schema: Schema): Writer {
    if (schema.name !== undefined && LOGICAL_NAMES.has(schema.name))
      return (v, path, out) => out.utf8(this.valueToJson(schema, v, path));
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        return (v, path, out) => {
          if (typeof v !== 'number') throw typeError(schema, v, path);
          out.integer(v);
        };
      case 'int64':
        return (v, path, out) => {
          if (typeof v === 'number') out.integer(v);
          else if (typeof v === 'bigint') out.ascii(String(v));
          else throw typeError(schema, v, path);
        };
      case 'float32':
        return (v, path, out) => {
          if (typeof v !== 'number') throw typeError(schema, v, path);
          out.ascii(jsonNumber(javaFloatToString(v)));
        };
      case 'float64':
        return (v, path, out) => {
          if (typeof v !== 'number') throw typeError(schema, v, path);
          out.ascii(jsonNumber(javaDoubleToString(v)));
        };
      case 'boolean':
        return (v, path, out) => {
          if (typeof v !== 'boolean') throw typeError(schema, v, path);
          out.ascii(v ? 'true' : 'false');
        };
      case 'string':
        return (v, path, out) => {
          if (typeof v !== 'string') throw typeError(schema, v, path);
          out.string(v);
        };
      case 'struct':
        return this.structWriterFor(schema);
      default:
        return (v, path, out) => out.utf8(this.valueToJson(schema, v, path));
    }
  }

  /** The writer of a struct schema's non-null values (see tieredStructWriter). */
  structWriterFor(schema: Schema): Writer {
    let w = this.structWriters.get(schema);
    if (!w) {
      w = this.tieredStructWriter(schema);
      this.structWriters.set(schema, w);
    }
    return w;
  }

  /**
   * The field loop (one code for every schema, compiled by V8 once) until the schema has written
   * `generateAfter` values, then the schema's generated function (json-struct-compiler.ts), which
   * writes a value in about two thirds of the time but costs its own optimizing compilation (several
   * ms of CPU per schema: with hundreds of tables of a few thousand changes each, generating at
   * once doubled the CPU). A struct too wide for a generated function keeps the loop.
   */
  private tieredStructWriter(schema: Schema): Writer {
    const loop = this.structWriter(schema);
    if (this.generateAfter === 0) return compileStructWriter(schema, this) ?? loop;
    let generated: Writer | null = null;
    let calls = 0;
    return (v, path, out) => {
      if (generated !== null) return generated(v, path, out);
      if (++calls >= this.generateAfter) generated = compileStructWriter(schema, this) ?? loop;
      loop(v, path, out);
    };
  }

  /**
   * A struct's writer as a loop over its fields (for structs too wide for a generated writer): the
   * fields' prefixes encoded once, nulls and defaults resolved per field, and the common field types
   * (integers, floats, booleans, strings, Decimals) written inline instead of through a writer closure
   * per field; other types go to their own compiled writer.
   */
  structWriter(schema: Schema): Writer {
    const fields: FieldWriter[] = schema.fields.map((f, i) => {
      const fs = f.schema;
      const hasDefault = fs.defaultValue !== undefined && fs.defaultValue !== null;
      return {
        index: f.index,
        name: f.name,
        schema: fs,
        prefix: Buffer.from(`${i === 0 ? '{' : ','}${jacksonQuote(f.name)}:`, 'utf8'),
        kind: this.kindOf(fs),
        optional: fs.optional,
        nullDefault: hasDefault && this.replaceNullWithDefault ? fs.defaultValue : undefined,
        decimalScale: fs.parameters?.[Decimal.SCALE_FIELD] === undefined ? 0 : Number(fs.parameters.scale),
        write: this.writerFor(fs),
        lastBigint: undefined,
        lastBigintText: '',
      };
    });
    return (v, path, out) => {
      if (!(v instanceof Struct)) throw typeError(schema, v, path);
      if (fields.length === 0) out.byte(0x7b); // {
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i];
        out.bytes(f.prefix);
        let x = v.valueAt(f.index);
        if (x === null) {
          if (f.nullDefault === undefined) {
            if (!f.optional)
              throw new DataException(
                `Conversion error: null value for field that is required and has no default value: "${f.name}"`,
              );
            out.ascii('null');
            continue;
          }
          x = f.nullDefault;
        }
        switch (f.kind) {
          case FieldKind.Int32:
            if (typeof x !== 'number') throw typeError(f.schema, x, f.name);
            out.integer(x);
            break;
          case FieldKind.Int64:
            if (typeof x === 'number') out.integer(x);
            else if (typeof x === 'bigint') {
              // Events of one transaction share their source timestamps (ts_ns is a bigint): a bigint's text costs ~0.3 µs.
              if (x !== f.lastBigint) {
                f.lastBigint = x;
                f.lastBigintText = String(x);
              }
              out.ascii(f.lastBigintText);
            } else throw typeError(f.schema, x, f.name);
            break;
          case FieldKind.Float32:
            if (typeof x !== 'number') throw typeError(f.schema, x, f.name);
            out.ascii(jsonNumber(javaFloatToString(x)));
            break;
          case FieldKind.Float64:
            if (typeof x !== 'number') throw typeError(f.schema, x, f.name);
            out.ascii(jsonNumber(javaDoubleToString(x)));
            break;
          case FieldKind.Boolean:
            if (typeof x !== 'boolean') throw typeError(f.schema, x, f.name);
            out.ascii(x ? 'true' : 'false');
            break;
          case FieldKind.String:
            if (typeof x !== 'string') throw typeError(f.schema, x, f.name);
            out.string(x);
            break;
          case FieldKind.DecimalBase64: {
            out.ensure(SMALL_DECIMAL_ROOM);
            const end = writeSmallDecimal(out.slab, out.pos, x, f.decimalScale);
            if (end >= 0) out.pos = end;
            else f.write(x, f.name, out);
            break;
          }
          default:
            f.write(x, f.name, out);
        }
      }
      out.byte(0x7d); // }
    };
  }

  /** How a struct writes a field of this schema: inline for the common types, else through its writer. */
  kindOf(schema: Schema): FieldKind {
    if (schema.name !== undefined && LOGICAL_NAMES.has(schema.name)) {
      return schema.name === Decimal.LOGICAL_NAME && !this.decimalNumeric && schema.parameters?.scale !== undefined
        ? FieldKind.DecimalBase64
        : FieldKind.Other;
    }
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        return FieldKind.Int32;
      case 'int64':
        return FieldKind.Int64;
      case 'float32':
        return FieldKind.Float32;
      case 'float64':
        return FieldKind.Float64;
      case 'boolean':
        return FieldKind.Boolean;
      case 'string':
        return FieldKind.String;
      case 'struct':
        return FieldKind.Struct;
      default:
        return FieldKind.Other;
    }
  }

  /** One value as JSON text: the slow, general path (logical types, bytes, arrays, maps, schemaless). */
  valueToJson(schema: Schema | null, value: unknown, path: string): string {
    if (value === null || value === undefined) {
      if (schema && schema.defaultValue !== undefined && schema.defaultValue !== null && this.replaceNullWithDefault)
        return this.valueToJson(schema, schema.defaultValue, path);
      if (schema && !schema.optional)
        throw new DataException(
          `Conversion error: null value for field that is required and has no default value: "${path}"`,
        );
      return 'null';
    }
    if (schema === null) return this.schemalessToJson(value, path);
    switch (schema.name) {
      case Decimal.LOGICAL_NAME: {
        if (!(value instanceof BigDecimal))
          throw new DataException(`Invalid type for Decimal at "${path}": expected BigDecimal`);
        if (this.decimalNumeric) return javaBigDecimalToString(value.unscaled, value.scale);
        return `"${Decimal.fromLogical(schema, value).toString('base64')}"`;
      }
      case ConnectDate.LOGICAL_NAME:
        return String(value instanceof Date || value instanceof EpochMillis ? ConnectDate.fromLogical(value) : value);
      case ConnectTime.LOGICAL_NAME:
        return String(value instanceof Date ? ConnectTime.fromLogical(value) : value);
      case ConnectTimestamp.LOGICAL_NAME:
        return String(
          value instanceof Date || value instanceof EpochMillis ? ConnectTimestamp.fromLogical(value) : value,
        );
    }
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        if (typeof value !== 'number') throw typeError(schema, value, path);
        return String(value);
      case 'int64':
        if (typeof value !== 'number' && typeof value !== 'bigint') throw typeError(schema, value, path);
        return String(value);
      case 'float32':
        if (typeof value !== 'number') throw typeError(schema, value, path);
        return jsonNumber(javaFloatToString(value));
      case 'float64':
        if (typeof value !== 'number') throw typeError(schema, value, path);
        return jsonNumber(javaDoubleToString(value));
      case 'boolean':
        if (typeof value !== 'boolean') throw typeError(schema, value, path);
        return String(value);
      case 'string':
        if (typeof value !== 'string') throw typeError(schema, value, path);
        return jacksonQuote(value);
      case 'bytes':
        if (!(value instanceof Uint8Array)) throw typeError(schema, value, path);
        return `"${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')}"`;
      case 'array':
        if (!Array.isArray(value)) throw typeError(schema, value, path);
        return `[${value.map((v, i) => this.valueToJson(schema.valueSchema ?? null, v, `${path}[${i}]`)).join(',')}]`;
      case 'map': {
        const entries = mapEntries(value);
        if (!entries) throw typeError(schema, value, path);
        if (schema.keySchema!.type === 'string') {
          return `{${entries.map(([k, v]) => `${jacksonQuote(String(k))}:${this.valueToJson(schema.valueSchema ?? null, v, `${path}.${String(k)}`)}`).join(',')}}`;
        }
        return `[${entries.map(([k, v]) => `[${this.valueToJson(schema.keySchema!, k, `${path}.<key>`)},${this.valueToJson(schema.valueSchema!, v, `${path}[]`)}]`).join(',')}]`;
      }
      case 'struct': {
        if (!(value instanceof Struct)) throw typeError(schema, value, path);
        return `{${schema.fields.map((f) => `${jacksonQuote(f.name)}:${this.valueToJson(f.schema, value.getWithoutDefault(f.name), f.name)}`).join(',')}}`;
      }
    }
  }

  private schemalessToJson(value: unknown, path: string): string {
    if (value === null || value === undefined) return 'null';
    // A JavaScript number carries no int/double distinction: safe integers are written as Java's Long, the rest as Double.
    if (typeof value === 'number')
      return Number.isSafeInteger(value) && !Object.is(value, -0)
        ? String(value)
        : jsonNumber(javaDoubleToString(value));
    if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
    if (typeof value === 'string') return jacksonQuote(value);
    if (value instanceof Uint8Array) return `"${Buffer.from(value).toString('base64')}"`;
    if (value instanceof BigDecimal)
      throw new DataException(`Couldn't convert a BigDecimal to JSON without a Decimal schema at "${path}".`);
    // As Kafka's: a java.util.Date has no schemaless JSON form ("does not have corresponding schema type").
    if (value instanceof Date)
      throw new DataException(`Couldn't convert a Date to JSON without a Date/Time/Timestamp schema at "${path}".`);
    if (Array.isArray(value)) return `[${value.map((v, i) => this.schemalessToJson(v, `${path}[${i}]`)).join(',')}]`;
    if (value instanceof Struct) return this.valueToJson(value.schema, value, path);
    if (value instanceof Map) {
      const entries = [...value.entries()];
      if (entries.every(([k]) => typeof k === 'string'))
        return `{${entries.map(([k, v]) => `${jacksonQuote(k)}:${this.schemalessToJson(v, path)}`).join(',')}}`;
      return `[${entries.map(([k, v]) => `[${this.schemalessToJson(k, path)},${this.schemalessToJson(v, path)}]`).join(',')}]`;
    }
    if (typeof value === 'object')
      return `{${Object.entries(value)
        .map(([k, v]) => `${jacksonQuote(k)}:${this.schemalessToJson(v, `${path}.${k}`)}`)
        .join(',')}}`;
    throw new DataException(`Couldn't convert ${String(value)} to JSON at "${path}".`);
  }
}

/** Values a struct schema writes through the field loop before its generated function pays off. */
const GENERATE_AFTER = 50_000;

interface FieldWriter {
  readonly index: number;
  readonly name: string;
  readonly schema: Schema;
  /** `{"name":` for the first field, `,"name":` after. */
  readonly prefix: Buffer;
  readonly kind: FieldKind;
  readonly optional: boolean;
  /** The value written for a null when replace.null.with.default applies; undefined otherwise. */
  readonly nullDefault: unknown;
  /** The scale parameter of a Decimal field (FieldKind.DecimalBase64). */
  readonly decimalScale: number;
  /** The field schema's own writer (any kind). */
  readonly write: Writer;
  /** The last bigint written for the field (FieldKind.Int64) and its text. */
  lastBigint: bigint | undefined;
  lastBigintText: string;
}

/** Jackson's QUOTE_NON_NUMERIC_NUMBERS (on by default): NaN and ±Infinity are written as strings. */
function jsonNumber(javaText: string): string {
  const c = javaText.charCodeAt(javaText.length - 1);
  return c === 0x4e /* N */ || c === 0x79 /* y */ ? `"${javaText}"` : javaText;
}

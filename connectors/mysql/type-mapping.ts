/**
 * Debezium's MySQL type mapping (BinlogValueConverters): the Connect schema of each column under
 * decimal.handling.mode, time.precision.mode, bigint.unsigned.handling.mode and
 * binary.handling.mode, and the converter from a decoded value (binlog or snapshot) to it.
 */
import { BigDecimal, type Schema, SchemaBuilder, Struct } from '../../sdk/data.ts';
import { DataException } from '../../sdk/errors.ts';
import { SemanticTypes, zonedTimestampUtc } from '../shared/debezium/index.ts';
import {
  Bits,
  DateTimeValue,
  DateValue,
  EnumIndex,
  Geometry,
  Json,
  SetBits,
  TimestampValue,
  TimeValue,
  YearValue,
  type RowValue,
} from './binlog/row-values.ts';
import type { ColumnDefinition } from './schema/table-definition.ts';
import type { Flavor } from './source-info.ts';

export interface TypeModes {
  decimalMode: 'precise' | 'double' | 'string';
  timePrecisionMode: 'adaptive_time_microseconds' | 'connect';
  bigintUnsignedMode: 'long' | 'precise';
  binaryMode: 'bytes' | 'base64' | 'base64-url-safe' | 'hex';
}

export type ValueConverter = (v: RowValue) => unknown;

export interface ColumnMapping {
  schema: Schema;
  convert: ValueConverter;
}

const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob']);
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext']);
const GEOMETRY_TYPES = new Set([
  'geometry',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
]);
const DAY_MS = 86_400_000;
/** java.sql.Types.BOOLEAN */
const JDBC_BOOLEAN = 16;

/** Epoch millis of a UTC wall time; unlike Date.UTC, years 0–99 are taken literally. */
export function utcMillis(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const dt = new Date(0);
  dt.setUTCFullYear(y, mo - 1, d);
  dt.setUTCHours(h, mi, s, 0);
  return dt.getTime();
}

function epochDay(y: number, m: number, d: number): number {
  return Math.floor(utcMillis(y, m, d) / DAY_MS);
}

function isZeroDate(d: { year: number; month: number; day: number }): boolean {
  return d.year === 0 || d.month === 0 || d.day === 0;
}

function bytesValue(mode: TypeModes['binaryMode'], b: Buffer): unknown {
  switch (mode) {
    case 'bytes':
      return b;
    case 'base64':
      return b.toString('base64');
    case 'base64-url-safe':
      return b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'hex':
      return b.toString('hex');
  }
}

function toBuffer(v: RowValue): Buffer {
  if (Buffer.isBuffer(v)) return v;
  if (typeof v === 'string') return Buffer.from(v, 'latin1');
  throw new DataException(`expected bytes, got ${typeof v}`);
}

function toBigInt(v: RowValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (typeof v === 'string') return BigInt(v);
  throw new DataException(`expected an integer, got ${typeof v}`);
}

function toNumber(v: RowValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint' || typeof v === 'string') return Number(v);
  if (v instanceof YearValue) return v.year;
  throw new DataException(`expected a number, got ${typeof v}`);
}

/** Default value of a column as Connect value (literal defaults only; others are not propagated). */
function defaultOf(
  c: ColumnDefinition,
  convert: ValueConverter,
  parse: (text: string) => RowValue | undefined,
  flavor: Flavor,
): unknown {
  if (c.defaultValue === null) return undefined;
  let text = c.defaultValue;
  if (/^current_timestamp/i.test(text))
    return c.nullable ? undefined : convert(new TimestampValue({ seconds: 0, micros: 0 }));
  // Debezium's MariaDB connector takes a string default as its DDL literal is written: doubled
  // quotes and backslash escapes kept (the DDL model keeps that text as debezium.defaultValueExpression).
  if (/^'.*'$/s.test(text)) {
    const asWritten = c.debezium?.defaultValueExpression;
    text =
      flavor !== 'mariadb'
        ? text.slice(1, -1).replace(/''/g, "'")
        : typeof asWritten === 'string'
          ? asWritten
          : text.slice(1, -1);
  } else if (/[()]/.test(text)) return undefined; // an expression: not evaluated
  try {
    const raw = parse(text);
    return raw === undefined ? undefined : convert(raw);
  } catch {
    return undefined;
  }
}

/** `flavor`: the connector class in force (Debezium's MariaDB connector types some columns differently). */
export function mapColumn(c: ColumnDefinition, modes: TypeModes, flavor: Flavor = 'mysql'): ColumnMapping {
  const zero: ZeroFallback = { defaultValue: undefined };
  const { schema, convert, parse, convertDefault } = baseMapping(c, modes, flavor, zero);
  if (c.nullable) schema.optional();
  const def = defaultOf(c, convertDefault ?? convert, parse, flavor);
  zero.defaultValue = def ?? undefined;
  if (def !== undefined && def !== null) schema.defaultValue(def);
  const built = schema.build();
  if (built.type !== 'struct') return { schema: built, convert };
  // Struct values (geometry) must carry the column's own (optional) schema.
  return {
    schema: built,
    convert: (v) => {
      const s = convert(v) as Struct;
      const out = new Struct(built);
      for (const f of built.fields) out.put(f.name, s.getWithoutDefault(f.name));
      return out;
    },
  };
}

/** `convertDefault`: how a parsed default becomes the schema default, when not as a row value. */
interface Base {
  schema: SchemaBuilder;
  convert: ValueConverter;
  parse: (text: string) => RowValue | undefined;
  convertDefault?: ValueConverter;
}

/**
 * A zero date has no value: Debezium's converter yields null, which becomes null for a nullable
 * column, the column's default for a NOT NULL one with a default, else the epoch fallback.
 */
interface ZeroFallback {
  defaultValue: unknown;
}

function zeroValue(c: ColumnDefinition, zero: ZeroFallback, epoch: unknown): unknown {
  return c.nullable ? null : zero.defaultValue !== undefined ? zero.defaultValue : epoch;
}

/** An int64 value exactly: a number while it is a safe integer, a bigint beyond (JavaScript numbers round past 2^53). */
function int64(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function baseMapping(c: ColumnDefinition, modes: TypeModes, flavor: Flavor, zero: ZeroFallback): Base {
  const t = c.dataType;
  const intParse = (s: string) => (/^-?\d+$/.test(s) ? Number(s) : undefined);
  if (t === 'bit' && (c.length ?? 1) === 1) {
    return {
      schema: SchemaBuilder.bool(),
      convert: (v) => (v instanceof Bits ? v.bytes.some((b) => b !== 0) : Boolean(toNumber(v))),
      parse: (s) => (/^b'[01]+'$/i.test(s) ? Number(s.slice(2, -1)) : intParse(s)),
    };
  }
  if (t === 'bit') {
    const n = c.length ?? 1;
    const width = Math.ceil(n / 8);
    return {
      schema: SemanticTypes.bits(n),
      convert: (v) => {
        const be = v instanceof Bits ? v.bytes : toBuffer(v);
        const out = Buffer.alloc(width);
        for (let i = 0; i < width && i < be.length; i++) out[i] = be[be.length - 1 - i];
        return out;
      },
      parse: (s) => {
        const m = /^b'([01]+)'$/i.exec(s);
        if (!m) return undefined;
        const be = Buffer.alloc(width);
        let bits = BigInt(`0b${m[1]}`);
        for (let i = width - 1; i >= 0; i--, bits >>= 8n) be[i] = Number(bits & 0xffn);
        return new Bits(be, n);
      },
    };
  }
  // Debezium's DDL parsers (MySQL's and MariaDB's) resolve every TINYINT, TINYINT(1) included, to
  // Types.SMALLINT: INT16 (BOOLEAN only stays boolean where a streamed DDL text names it).
  // A column declared BOOLEAN/BOOL in DDL the connector parsed (not a snapshot's tinyint(1)) is Types.BOOLEAN to Debezium.
  if (t === 'tinyint' && c.debezium?.jdbcType === JDBC_BOOLEAN) {
    return {
      schema: SchemaBuilder.bool(),
      convert: (v) => toNumber(v) !== 0,
      parse: (s) => (/^(true|1)$/i.test(s) ? 1 : /^(false|0)$/i.test(s) ? 0 : undefined),
    };
  }
  if (t === 'tinyint') return intMapping(SchemaBuilder.int16(), intParse);
  if (t === 'smallint') return intMapping(c.unsigned ? SchemaBuilder.int32() : SchemaBuilder.int16(), intParse);
  if (t === 'mediumint') return intMapping(SchemaBuilder.int32(), intParse);
  if (t === 'int' || t === 'integer') {
    return c.unsigned
      ? { schema: SchemaBuilder.int64(), convert: (v) => toNumber(v), parse: intParse }
      : intMapping(SchemaBuilder.int32(), intParse);
  }
  if (t === 'bigint') {
    const bigParse = (s: string) => (/^-?\d+$/.test(s) ? BigInt(s) : undefined);
    if (c.unsigned && modes.bigintUnsignedMode === 'precise') {
      return {
        schema: SemanticTypes.decimal(0, 20),
        convert: (v) => new BigDecimal(BigInt.asUintN(64, toBigInt(v)), 0),
        parse: bigParse,
      };
    }
    // Debezium reads a BIGINT UNSIGNED default in long mode through a double: (long) saturates at 2^63-1.
    const unsignedLongParse = (s: string) => {
      if (!/^\d+$/.test(s)) return undefined;
      const viaDouble = BigInt(Math.trunc(Number(s)));
      return viaDouble > 9223372036854775807n ? 9223372036854775807n : viaDouble;
    };
    return {
      schema: SchemaBuilder.int64(),
      convert: (v) => int64(BigInt.asIntN(64, toBigInt(v))),
      parse: c.unsigned ? unsignedLongParse : bigParse,
    };
  }
  if (t === 'float' || t === 'double' || t === 'real' || t === 'double precision') {
    const single =
      t === 'float' &&
      !/\(\s*\d+\s*,/.test(c.columnType) &&
      !(c.length !== null && c.length > 24 && /\(\s*\d+\s*\)/.test(c.columnType));
    const numParse = (s: string) => (Number.isFinite(Number(s)) ? Number(s) : undefined);
    // FLOAT(M,D) is stored as a 4-byte float but typed float64: the snapshot's decimal text is
    // rounded to the stored float as the binlog carries it (Debezium gives the widened float both ways).
    const stored4 = t === 'float' && !single && /\(\s*\d+\s*,/.test(c.columnType);
    return {
      schema: single ? SchemaBuilder.float32() : SchemaBuilder.float64(),
      convert: stored4 ? (v) => Math.fround(toNumber(v)) : (v) => toNumber(v),
      parse: numParse,
    };
  }
  if (t === 'decimal' || t === 'numeric') {
    const scale = c.scale ?? 0;
    const toDec = (v: RowValue): BigDecimal =>
      (v instanceof BigDecimal ? v : BigDecimal.parse(String(v))).setScale(scale);
    const parse = (s: string) => BigDecimal.parse(s);
    if (modes.decimalMode === 'double')
      return { schema: SchemaBuilder.float64(), convert: (v) => toDec(v).toNumber(), parse };
    if (modes.decimalMode === 'string')
      return { schema: SchemaBuilder.string(), convert: (v) => toDec(v).toString(), parse };
    return { schema: SemanticTypes.decimal(scale, c.length ?? undefined), convert: toDec, parse };
  }
  if (t === 'enum') {
    const values = c.enumValues;
    return {
      schema: SemanticTypes.enumeration(values),
      convert: (v) => (v instanceof EnumIndex ? (v.index === 0 ? '' : (values[v.index - 1] ?? '')) : String(v)),
      parse: (s) => s,
    };
  }
  if (t === 'set') {
    const values = c.enumValues;
    return {
      schema: SemanticTypes.enumSet(values),
      convert: (v) =>
        v instanceof SetBits ? values.filter((_, i) => (v.bits >> BigInt(i)) & 1n).join(',') : String(v),
      parse: (s) => s,
    };
  }
  // MariaDB's JSON is LONGTEXT with a json_valid check: Debezium's MariaDB connector types it as a
  // plain string, unless the DDL it parsed named the type JSON (a streamed CREATE/ALTER, not SHOW CREATE TABLE).
  if ((c.json || t === 'json') && flavor === 'mariadb' && c.debezium?.typeName.toUpperCase() !== 'JSON') {
    return {
      schema: SchemaBuilder.string(),
      convert: (v) => (v instanceof Json ? v.text : Buffer.isBuffer(v) ? v.toString('utf8') : String(v)),
      parse: (s) => s,
    };
  }
  if (c.json || t === 'json') {
    return {
      schema: SemanticTypes.json(),
      convert: (v) => (v instanceof Json ? v.text : Buffer.isBuffer(v) ? v.toString('utf8') : String(v)),
      parse: (s) => s,
    };
  }
  if (t === 'uuid') {
    // MariaDB's UUID: 16 bytes in the binlog, its text in a snapshot. Debezium gives no schema default.
    return {
      schema: SemanticTypes.uuid(),
      convert: (v) =>
        Buffer.isBuffer(v) && v.length === 16 ? uuidText(v) : Buffer.isBuffer(v) ? v.toString('latin1') : String(v),
      parse: () => undefined,
    };
  }
  if (TEXT_TYPES.has(t)) {
    return {
      schema: SchemaBuilder.string(),
      convert: (v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)),
      parse: (s) => s,
    };
  }
  if (BINARY_TYPES.has(t)) {
    const schema = modes.binaryMode === 'bytes' ? SchemaBuilder.bytes() : SchemaBuilder.string();
    // The binlog drops a BINARY(n) value's trailing zero bytes; the column's value is n bytes long.
    const width = t === 'binary' ? (c.length ?? 1) : 0;
    const padded = (b: Buffer) => (b.length < width ? Buffer.concat([b, Buffer.alloc(width - b.length)]) : b);
    // A default is its literal's bytes, unpadded (as Debezium converts the DDL's default text).
    return {
      schema,
      convert: (v) => bytesValue(modes.binaryMode, padded(toBuffer(v))),
      parse: (s) => Buffer.from(s, 'latin1'),
      convertDefault: (v) => bytesValue(modes.binaryMode, toBuffer(v)),
    };
  }
  // A binlog YEAR byte is an offset from 1900 (0 included), as Debezium's binlog client decodes it.
  if (t === 'year')
    return {
      schema: SemanticTypes.year(),
      convert: (v) => (v instanceof YearValue && v.year === 0 ? 1900 : toNumber(v)),
      parse: intParse,
    };
  if (t === 'date') {
    return {
      schema: modes.timePrecisionMode === 'connect' ? SemanticTypes.connectDate() : SemanticTypes.date(),
      convert: (v) => {
        const d = (v as DateValue).date;
        if (isZeroDate(d)) return zeroValue(c, zero, modes.timePrecisionMode === 'connect' ? new Date(0) : 0);
        const days = epochDay(d.year, d.month, d.day);
        return modes.timePrecisionMode === 'connect' ? new Date(days * DAY_MS) : days;
      },
      parse: (s) => parseDate(s),
    };
  }
  if (t === 'time') {
    if (modes.timePrecisionMode === 'connect') {
      // Kafka's Time holds a time of day only: Debezium gives no value for a TIME outside [00:00, 24:00).
      const inDay = (micros: number) => micros >= 0 && micros < DAY_MS * 1000;
      return {
        schema: SemanticTypes.connectTime(),
        convert: (v) =>
          inDay((v as TimeValue).micros)
            ? new Date(Math.floor((v as TimeValue).micros / 1000))
            : zeroValue(c, zero, new Date(0)),
        parse: (s) => parseTime(s),
      };
    }
    return { schema: SemanticTypes.microTime(), convert: (v) => (v as TimeValue).micros, parse: (s) => parseTime(s) };
  }
  if (t === 'datetime') {
    const micro = modes.timePrecisionMode !== 'connect' && c.fsp > 3;
    const schema =
      modes.timePrecisionMode === 'connect'
        ? SemanticTypes.connectTimestamp()
        : micro
          ? SemanticTypes.microTimestamp()
          : SemanticTypes.timestamp();
    return {
      schema,
      convert: (v) => {
        const d = (v as DateTimeValue).dt;
        const connect = modes.timePrecisionMode === 'connect';
        if (isZeroDate(d)) return zeroValue(c, zero, connect ? new Date(0) : 0);
        const ms = utcMillis(d.year, d.month, d.day, d.hour, d.minute, d.second);
        if (connect) return new Date(ms + Math.floor(d.micros / 1000));
        return micro ? int64(BigInt(ms) * 1000n + BigInt(d.micros)) : ms + Math.floor(d.micros / 1000);
      },
      parse: (s) => parseDateTime(s),
    };
  }
  if (t === 'timestamp') {
    return {
      schema: SemanticTypes.zonedTimestamp(),
      convert: (v) => {
        const { ts, fromSnapshot } = v as TimestampValue;
        // A zero TIMESTAMP is the epoch in the binlog but no value in a snapshot's result set;
        // the MariaDB connector's snapshot values print their fraction in ISO form (trailing zeros dropped), binlog ones at the column's width.
        if (ts.seconds === 0 && ts.micros === 0)
          return fromSnapshot ? zeroValue(c, zero, zonedTimestampUtc(0n, c.fsp)) : zonedTimestampUtc(0n, c.fsp);
        return zonedTimestampUtc(
          (BigInt(ts.seconds) * 1_000_000n + BigInt(ts.micros)) * 1000n,
          fromSnapshot && flavor === 'mariadb' ? undefined : c.fsp,
        );
      },
      parse: (s) => {
        const d = parseDateTime(s);
        if (!d) return undefined;
        const x = d.dt;
        return new TimestampValue({
          seconds: Math.floor(utcMillis(x.year, x.month, x.day, x.hour, x.minute, x.second) / 1000),
          micros: x.micros,
        });
      },
    };
  }
  if (t === 'point') {
    return { schema: SemanticTypes.point(), convert: (v) => pointStruct(v as Geometry), parse: () => undefined };
  }
  if (GEOMETRY_TYPES.has(t)) {
    return { schema: SemanticTypes.geometry(), convert: (v) => geometryStruct(v as Geometry), parse: () => undefined };
  }
  throw new DataException(`Column ${c.name} has the type ${c.columnType}, which the MySQL connector does not support`);
}

function intMapping(schema: SchemaBuilder, parse: (s: string) => number | undefined): Base {
  return { schema, convert: (v) => toNumber(v), parse };
}

const GEOMETRY_SCHEMA = SemanticTypes.geometry().build();
const POINT_SCHEMA = SemanticTypes.point().build();

function geometryStruct(g: Geometry): Struct {
  return new Struct(GEOMETRY_SCHEMA).put('wkb', g.wkb).put('srid', sridOf(g));
}

function pointStruct(g: Geometry): Struct {
  const le = g.wkb[0] === 1;
  const x = le ? g.wkb.readDoubleLE(5) : g.wkb.readDoubleBE(5);
  const y = le ? g.wkb.readDoubleLE(13) : g.wkb.readDoubleBE(13);
  return new Struct(POINT_SCHEMA).put('x', x).put('y', y).put('wkb', g.wkb).put('srid', sridOf(g));
}

function uuidText(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** SRID 0 is "none": Debezium's MySqlGeometry leaves srid null then. */
function sridOf(g: Geometry): number | null {
  return g.srid === 0 ? null : g.srid;
}

export function parseDate(s: string): DateValue | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? new DateValue({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }) : undefined;
}

export function parseDateTime(s: string): DateTimeValue | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) return undefined;
  return new DateTimeValue({
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6]),
    micros: m[7] ? Number(m[7].padEnd(6, '0')) : 0,
  });
}

export function parseTime(s: string): TimeValue | undefined {
  const m = /^(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) return undefined;
  const micros =
    ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1_000_000 + (m[5] ? Number(m[5].padEnd(6, '0')) : 0);
  return new TimeValue(m[1] ? -micros : micros);
}

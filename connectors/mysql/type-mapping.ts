/**
 * Debezium's MySQL type mapping (BinlogValueConverters): the Connect schema of each column under
 * decimal.handling.mode, time.precision.mode, bigint.unsigned.handling.mode and
 * binary.handling.mode, and the converter from a decoded value (binlog or snapshot) to it.
 */
import { BigDecimal } from '../../runtime/data/logical.ts';
import { type Schema, SchemaBuilder } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { DataException } from '../../runtime/errors.ts';
import { SemanticTypes, zonedTimestampUtc } from '../shared/debezium/index.ts';
import {
  Bits, DateTimeValue, DateValue, EnumIndex, Geometry, Json, SetBits, TimestampValue, TimeValue, YearValue, type RowValue,
} from './binlog/row-values.ts';
import type { ColumnDefinition } from './schema/table-definition.ts';

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
const GEOMETRY_TYPES = new Set(['geometry', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection', 'geomcollection']);
const DAY_MS = 86_400_000;

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
    case 'bytes': return b;
    case 'base64': return b.toString('base64');
    case 'base64-url-safe': return b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    case 'hex': return b.toString('hex');
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
function defaultOf(c: ColumnDefinition, convert: ValueConverter, parse: (text: string) => RowValue | undefined): unknown {
  if (c.defaultValue === null) return undefined;
  let text = c.defaultValue;
  if (/^current_timestamp/i.test(text)) return c.nullable ? undefined : convert(new TimestampValue({ seconds: 0, micros: 0 }));
  if (/^'.*'$/s.test(text)) text = text.slice(1, -1).replace(/''/g, "'");
  else if (/[()]/.test(text)) return undefined; // an expression: not evaluated
  try {
    const raw = parse(text);
    return raw === undefined ? undefined : convert(raw);
  } catch {
    return undefined;
  }
}

export function mapColumn(c: ColumnDefinition, modes: TypeModes): ColumnMapping {
  const { schema, convert, parse } = baseMapping(c, modes);
  if (c.nullable) schema.optional();
  const def = defaultOf(c, convert, parse);
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

interface Base { schema: SchemaBuilder; convert: ValueConverter; parse: (text: string) => RowValue | undefined }

function baseMapping(c: ColumnDefinition, modes: TypeModes): Base {
  const t = c.dataType;
  const intParse = (s: string) => (/^-?\d+$/.test(s) ? Number(s) : undefined);
  if (t === 'bit' && (c.length ?? 1) === 1) {
    return { schema: SchemaBuilder.bool(), convert: (v) => (v instanceof Bits ? v.bytes.some((b) => b !== 0) : Boolean(toNumber(v))), parse: (s) => (/^b'[01]+'$/i.test(s) ? Number(s.slice(2, -1)) : intParse(s)) };
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
      parse: () => undefined,
    };
  }
  if (t === 'tinyint') return intMapping(c.unsigned ? SchemaBuilder.int16() : SchemaBuilder.int8(), intParse);
  if (t === 'smallint') return intMapping(c.unsigned ? SchemaBuilder.int32() : SchemaBuilder.int16(), intParse);
  if (t === 'mediumint') return intMapping(SchemaBuilder.int32(), intParse);
  if (t === 'int' || t === 'integer') {
    return c.unsigned ? { schema: SchemaBuilder.int64(), convert: (v) => toNumber(v), parse: intParse } : intMapping(SchemaBuilder.int32(), intParse);
  }
  if (t === 'bigint') {
    const bigParse = (s: string) => (/^-?\d+$/.test(s) ? BigInt(s) : undefined);
    if (c.unsigned && modes.bigintUnsignedMode === 'precise') {
      return { schema: SemanticTypes.decimal(0, 20), convert: (v) => new BigDecimal(BigInt.asUintN(64, toBigInt(v)), 0), parse: bigParse };
    }
    return {
      schema: SchemaBuilder.int64(),
      convert: (v) => {
        const b = BigInt.asIntN(64, toBigInt(v));
        return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
      },
      parse: bigParse,
    };
  }
  if (t === 'float' || t === 'double' || t === 'real' || t === 'double precision') {
    const single = t === 'float' && !/\(\s*\d+\s*,/.test(c.columnType) && !(c.length !== null && c.length > 24 && /\(\s*\d+\s*\)/.test(c.columnType));
    const numParse = (s: string) => (Number.isFinite(Number(s)) ? Number(s) : undefined);
    return { schema: single ? SchemaBuilder.float32() : SchemaBuilder.float64(), convert: (v) => toNumber(v), parse: numParse };
  }
  if (t === 'decimal' || t === 'numeric') {
    const scale = c.scale ?? 0;
    const toDec = (v: RowValue): BigDecimal => (v instanceof BigDecimal ? v : BigDecimal.parse(String(v))).setScale(scale);
    const parse = (s: string) => BigDecimal.parse(s);
    if (modes.decimalMode === 'double') return { schema: SchemaBuilder.float64(), convert: (v) => toDec(v).toNumber(), parse };
    if (modes.decimalMode === 'string') return { schema: SchemaBuilder.string(), convert: (v) => toDec(v).toString(), parse };
    return { schema: SemanticTypes.decimal(scale, c.length ?? undefined), convert: toDec, parse };
  }
  if (t === 'enum') {
    const values = c.enumValues;
    return {
      schema: SemanticTypes.enumeration(values),
      convert: (v) => (v instanceof EnumIndex ? (v.index === 0 ? '' : values[v.index - 1] ?? '') : String(v)),
      parse: (s) => s,
    };
  }
  if (t === 'set') {
    const values = c.enumValues;
    return {
      schema: SemanticTypes.enumSet(values),
      convert: (v) => (v instanceof SetBits ? values.filter((_, i) => (v.bits >> BigInt(i)) & 1n).join(',') : String(v)),
      parse: (s) => s,
    };
  }
  if (c.json || t === 'json') {
    return { schema: SemanticTypes.json(), convert: (v) => (v instanceof Json ? v.text : Buffer.isBuffer(v) ? v.toString('utf8') : String(v)), parse: (s) => s };
  }
  if (TEXT_TYPES.has(t)) {
    return { schema: SchemaBuilder.string(), convert: (v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v)), parse: (s) => s };
  }
  if (BINARY_TYPES.has(t)) {
    const schema = modes.binaryMode === 'bytes' ? SchemaBuilder.bytes() : SchemaBuilder.string();
    return { schema, convert: (v) => bytesValue(modes.binaryMode, toBuffer(v)), parse: (s) => Buffer.from(s, 'latin1') };
  }
  if (t === 'year') return { schema: SemanticTypes.year(), convert: (v) => toNumber(v), parse: intParse };
  if (t === 'date') {
    return {
      schema: modes.timePrecisionMode === 'connect' ? SemanticTypes.connectDate() : SemanticTypes.date(),
      convert: (v) => {
        const d = (v as DateValue).date;
        const days = isZeroDate(d) ? (c.nullable ? null : 0) : epochDay(d.year, d.month, d.day);
        return days !== null && modes.timePrecisionMode === 'connect' ? new Date(days * DAY_MS) : days;
      },
      parse: (s) => parseDate(s),
    };
  }
  if (t === 'time') {
    if (modes.timePrecisionMode === 'connect') {
      return { schema: SemanticTypes.connectTime(), convert: (v) => new Date(Math.floor((v as TimeValue).micros / 1000)), parse: (s) => parseTime(s) };
    }
    return { schema: SemanticTypes.microTime(), convert: (v) => (v as TimeValue).micros, parse: (s) => parseTime(s) };
  }
  if (t === 'datetime') {
    const micro = modes.timePrecisionMode !== 'connect' && c.fsp > 3;
    const schema = modes.timePrecisionMode === 'connect' ? SemanticTypes.connectTimestamp() : micro ? SemanticTypes.microTimestamp() : SemanticTypes.timestamp();
    return {
      schema,
      convert: (v) => {
        const d = (v as DateTimeValue).dt;
        const connect = modes.timePrecisionMode === 'connect';
        if (isZeroDate(d)) return c.nullable ? null : connect ? new Date(0) : 0;
        const ms = utcMillis(d.year, d.month, d.day, d.hour, d.minute, d.second);
        if (connect) return new Date(ms + Math.floor(d.micros / 1000));
        return micro ? ms * 1000 + d.micros : ms + Math.floor(d.micros / 1000);
      },
      parse: (s) => parseDateTime(s),
    };
  }
  if (t === 'timestamp') {
    return {
      schema: SemanticTypes.zonedTimestamp(),
      convert: (v) => {
        const ts = (v as TimestampValue).ts;
        if (ts.seconds === 0 && ts.micros === 0) return c.nullable ? null : zonedTimestampUtc(0n, c.fsp);
        return zonedTimestampUtc((BigInt(ts.seconds) * 1_000_000n + BigInt(ts.micros)) * 1000n, c.fsp);
      },
      parse: (s) => {
        const d = parseDateTime(s);
        if (!d) return undefined;
        const x = d.dt;
        return new TimestampValue({ seconds: Math.floor(utcMillis(x.year, x.month, x.day, x.hour, x.minute, x.second) / 1000), micros: x.micros });
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
  return new Struct(GEOMETRY_SCHEMA).put('wkb', g.wkb).put('srid', g.srid);
}

function pointStruct(g: Geometry): Struct {
  const le = g.wkb[0] === 1;
  const x = le ? g.wkb.readDoubleLE(5) : g.wkb.readDoubleBE(5);
  const y = le ? g.wkb.readDoubleLE(13) : g.wkb.readDoubleBE(13);
  return new Struct(POINT_SCHEMA).put('x', x).put('y', y).put('wkb', g.wkb).put('srid', g.srid);
}

export function parseDate(s: string): DateValue | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  return m ? new DateValue({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }) : undefined;
}

export function parseDateTime(s: string): DateTimeValue | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) return undefined;
  return new DateTimeValue({
    year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]),
    micros: m[7] ? Number(m[7].padEnd(6, '0')) : 0,
  });
}

export function parseTime(s: string): TimeValue | undefined {
  const m = /^(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) return undefined;
  const micros = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1_000_000 + (m[5] ? Number(m[5].padEnd(6, '0')) : 0);
  return new TimeValue(m[1] ? -micros : micros);
}

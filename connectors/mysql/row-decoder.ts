/**
 * Row images of a captured table decoded straight into Connect values by readers chosen once per
 * TABLE_MAP (the table's decode specs and its captured schemas): no type switch per value, no
 * intermediate image of wrapper objects, two reused arrays (before, after) per table. A column
 * neither in the key nor in the value is only skipped over. Rows events this does not take
 * (partial JSON updates) go through `decodeRows` and `CapturedTable.key/value` as before; so does
 * any event whose fast decoding fails, so the error is the one that path gives.
 */
import { BinlogFormatError } from './binlog/byte-reader.ts';
import { type ColumnReader, columnReader, type Cursor } from './binlog/column-readers.ts';
import { ColumnType } from './binlog/column-types.ts';
import type { RowsEvent } from './binlog/events/rows.ts';
import { DateTimeValue, DateValue, type ColumnDecodeSpec } from './binlog/row-values.ts';
import { readFraction } from './binlog/temporal.ts';
import { type CapturedTable, SQL_NULL } from './captured-table.ts';
import type { ColumnDefinition } from './schema/table-definition.ts';
import type { TypeModes, ValueConverter } from './type-mapping.ts';

/** A column's reader to its Connect value (`ValueConverter` of the decoded value, or fused). */
type ValueReader = (buf: Buffer, cur: Cursor) => unknown;

export class RowDecoder {
  /** Connect values by column index of the last row's images; `undefined`: not in the image, SQL_NULL: NULL. */
  readonly before: unknown[];
  readonly after: unknown[];
  private readonly readers: ValueReader[];
  private readonly cur: Cursor = { pos: 0 };
  private ev: RowsEvent | null = null;
  private present1: number = 0;
  private present2: number = 0;

  constructor(
    readonly table: CapturedTable,
    readonly specs: readonly ColumnDecodeSpec[],
    modes: TypeModes,
  ) {
    const used = table.usedColumns;
    this.readers = specs.map((s, i) => {
      const raw = columnReader(s);
      if (!used[i]) return raw;
      const convert = table.baseConverters[i];
      return fusedReader(s, table.definition.columns[i], modes, raw, convert) ?? convertedReader(raw, convert);
    });
    this.before = new Array<unknown>(specs.length).fill(undefined);
    this.after = new Array<unknown>(specs.length).fill(undefined);
  }

  /** Whether this decoder takes the event's rows (not a partial JSON update, column count of the specs). */
  accepts(ev: RowsEvent): boolean {
    return !ev.partial && ev.columnCount === this.specs.length;
  }

  begin(ev: RowsEvent): void {
    this.ev = ev;
    this.cur.pos = 0;
    this.present1 = count(ev.present1);
    this.present2 = ev.present2 ? count(ev.present2) : 0;
  }

  /** Decodes the next row into `before`/`after`; false after the last. */
  next(): boolean {
    const ev = this.ev!;
    const buf = ev.data;
    const start = this.cur.pos;
    if (start >= buf.length) return false;
    if (ev.operation === 'insert') this.image(buf, ev.present1, this.present1, this.after);
    else {
      this.image(buf, ev.present1, this.present1, this.before);
      if (ev.operation === 'update') this.image(buf, ev.present2!, this.present2, this.after);
    }
    if (this.cur.pos === start) throw new BinlogFormatError('row image of no columns');
    return true;
  }

  private image(buf: Buffer, present: boolean[], presentCount: number, out: unknown[]): void {
    const cur = this.cur;
    const nullStart = cur.pos;
    cur.pos = nullStart + ((presentCount + 7) >> 3);
    if (cur.pos > buf.length) throw new BinlogFormatError('row image truncated in its null bitmap');
    const readers = this.readers;
    let k = 0;
    for (let i = 0; i < readers.length; i++) {
      if (!present[i]) {
        out[i] = undefined;
        continue;
      }
      const isNull = (buf[nullStart + (k >> 3)] & (1 << (k & 7))) !== 0;
      k++;
      if (isNull) {
        out[i] = SQL_NULL;
        continue;
      }
      out[i] = readers[i](buf, cur);
      if (cur.pos > buf.length) throw new BinlogFormatError('row image truncated');
    }
  }
}

function count(bits: boolean[]): number {
  let n = 0;
  for (let i = 0; i < bits.length; i++) if (bits[i]) n++;
  return n;
}

function convertedReader(raw: ColumnReader, convert: ValueConverter): ValueReader {
  return (buf, cur) => convert(raw(buf, cur));
}

const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext']);
const DAY_MS = 86_400_000;
/** java.sql.Types.BOOLEAN (a TINYINT declared BOOLEAN converts to a boolean). */
const JDBC_BOOLEAN = 16;

/**
 * Readers that yield the Connect value without the converter, for the (type, column, mode)
 * combinations where the converter is the identity on the decoded value or is computed here the
 * same way (type-mapping.ts's mapping); anything unusual (zero dates, out-of-range fields, values
 * beyond a safe integer) goes through the converter. null: no fused reader for this column.
 */
export function fusedReader(
  s: ColumnDecodeSpec,
  c: ColumnDefinition,
  modes: TypeModes,
  raw: ColumnReader,
  convert: ValueConverter,
): ValueReader | null {
  const t = c.dataType;
  switch (s.realType) {
    case ColumnType.TINY:
    case ColumnType.SHORT:
    case ColumnType.INT24:
    case ColumnType.LONG:
      // toNumber of a number
      if (t === 'tinyint' && c.debezium?.jdbcType === JDBC_BOOLEAN) return null;
      return t === 'tinyint' || t === 'smallint' || t === 'mediumint' || t === 'int' || t === 'integer' ? raw : null;
    case ColumnType.LONGLONG:
      // int64(BigInt.asIntN(64, v)): the signed 64-bit value, a number while it is a safe integer
      if (t !== 'bigint' || (c.unsigned && modes.bigintUnsignedMode === 'precise')) return null;
      return (buf, cur) => {
        const p = cur.pos;
        const hi = buf.readInt32LE(p + 4);
        if (hi >= -0x1fffff && hi <= 0x1fffff) {
          cur.pos = p + 8;
          return hi * 4294967296 + buf.readUInt32LE(p);
        }
        return convert(raw(buf, cur));
      };
    case ColumnType.DOUBLE:
      return t === 'double' || t === 'real' || t === 'double precision' ? raw : null;
    case ColumnType.FLOAT:
      // toNumber, or Math.fround of a value read as a float32: the same number
      return t === 'float' ? raw : null;
    case ColumnType.STRING:
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
    case ColumnType.BLOB:
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
      // String(v) of the text (bytes of a binary charset take the converter's toString)
      return TEXT_TYPES.has(t) && !c.json && s.encoding !== 'binary' ? raw : null;
    case ColumnType.DATE:
    case ColumnType.NEWDATE:
      if (t !== 'date' || modes.timePrecisionMode === 'connect') return null;
      return (buf, cur) => {
        const v = buf.readUIntLE(cur.pos, 3);
        cur.pos += 3;
        const year = v >>> 9;
        const month = (v >>> 5) & 15;
        const day = v & 31;
        if (year === 0 || month === 0 || day === 0 || month > 12) return convert(new DateValue({ year, month, day }));
        return daysFromCivil(year, month, day);
      };
    case ColumnType.DATETIME2: {
      if (t !== 'datetime' || modes.timePrecisionMode === 'connect') return null;
      const micro = c.fsp > 3;
      const size = 5 + ((s.fsp + 1) >> 1);
      return (buf, cur) => {
        const p = cur.pos;
        const ymdhms = Math.abs(buf.readUIntBE(p, 5) - 0x8000000000);
        const micros = readFraction(buf, p + 5, s.fsp);
        cur.pos = p + size;
        const ymd = Math.floor(ymdhms / 2 ** 17);
        const ym = Math.floor(ymd / 32);
        const hms = ymdhms % 2 ** 17;
        const year = Math.floor(ym / 13);
        const month = ym % 13;
        const day = ymd % 32;
        const hour = hms >>> 12;
        const minute = (hms >>> 6) & 63;
        const second = hms & 63;
        if (year === 0 || month === 0 || day === 0 || hour > 23 || minute > 59 || second > 59)
          return convert(new DateTimeValue({ year, month, day, hour, minute, second, micros }));
        const ms = daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000;
        if (!micro) return ms + Math.floor(micros / 1000);
        if (ms > 9e12 || ms < -9e12)
          return convert(new DateTimeValue({ year, month, day, hour, minute, second, micros }));
        return ms * 1000 + micros;
      };
    }
    default:
      return null;
  }
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1–12; a day past the month's end rolls over, as Date does). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

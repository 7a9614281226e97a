/**
 * Row-image value decoding for every column type. One call decodes one value at `pos` and returns
 * the value and the bytes consumed. Integers come back as numbers (LONGLONG as bigint), DECIMAL as
 * BigDecimal, temporal values as calendar fields, ENUM as its 1-based index, SET as a bit mask,
 * BIT/GEOMETRY/binary strings as Buffers, text by its charset, JSON as text (or a tree on request).
 */
import { BigDecimal } from '../../../sdk/data.ts';
import { BinlogFormatError } from './byte-reader.ts';
import { decodeString } from './charsets.ts';
import { type BinlogColumn, ColumnType, COLUMN_TYPE_NAMES } from './column-types.ts';
import { decimalBinarySize, decodeDecimal } from './decimal.ts';
import { type JsonNode, jsonToText, parseJsonBinary } from './json-binary.ts';
import {
  decodeDate,
  decodeDatetime2,
  decodeDatetimeOld,
  decodeTime2,
  decodeTimeOld,
  decodeTimestamp2,
  fractionBytes,
  type MysqlDate,
  type MysqlDateTime,
  type MysqlTimestamp,
} from './temporal.ts';

/** A column plus what the row decoder needs beyond the TABLE_MAP: signedness and charset. */
export interface ColumnDecodeSpec extends BinlogColumn {
  unsigned: boolean;
  /** Charset encoding for text columns; 'binary' for bytes. */
  encoding: string;
}

export class EnumIndex {
  constructor(readonly index: number) {}
}
export class SetBits {
  constructor(readonly bits: bigint) {}
}
export class Json {
  constructor(readonly text: string) {}
}
export class Geometry {
  constructor(
    readonly srid: number,
    readonly wkb: Buffer,
  ) {}
}
export class Bits {
  constructor(
    readonly bytes: Buffer,
    readonly length: number,
  ) {}
}
/** A TIME value in signed microseconds. */
export class TimeValue {
  constructor(readonly micros: number) {}
}
export class DateValue {
  constructor(readonly date: MysqlDate) {}
}
export class DateTimeValue {
  constructor(readonly dt: MysqlDateTime) {}
}
/** `fromSnapshot`: read as text by a snapshot SELECT (Debezium formats and nulls those differently from binlog values). */
export class TimestampValue {
  constructor(
    readonly ts: MysqlTimestamp,
    readonly fromSnapshot = false,
  ) {}
}
export class YearValue {
  constructor(readonly year: number) {}
}

export type RowValue =
  | null
  | number
  | bigint
  | string
  | Buffer
  | BigDecimal
  | number[]
  | EnumIndex
  | SetBits
  | Json
  | Geometry
  | Bits
  | TimeValue
  | DateValue
  | DateTimeValue
  | TimestampValue
  | YearValue
  | JsonNode;

export interface Decoded {
  value: RowValue;
  size: number;
}

export function decodeValue(buf: Buffer, pos: number, c: ColumnDecodeSpec, jsonAsTree = false): Decoded {
  switch (c.realType) {
    case ColumnType.TINY:
      return { value: c.unsigned ? buf[pos] : buf.readInt8(pos), size: 1 };
    case ColumnType.SHORT:
      return { value: c.unsigned ? buf.readUInt16LE(pos) : buf.readInt16LE(pos), size: 2 };
    case ColumnType.INT24:
      return { value: c.unsigned ? buf.readUIntLE(pos, 3) : buf.readIntLE(pos, 3), size: 3 };
    case ColumnType.LONG:
      return { value: c.unsigned ? buf.readUInt32LE(pos) : buf.readInt32LE(pos), size: 4 };
    case ColumnType.LONGLONG:
      return { value: c.unsigned ? buf.readBigUInt64LE(pos) : buf.readBigInt64LE(pos), size: 8 };
    case ColumnType.FLOAT:
      return { value: buf.readFloatLE(pos), size: 4 };
    case ColumnType.DOUBLE:
      return { value: buf.readDoubleLE(pos), size: 8 };
    case ColumnType.NEWDECIMAL:
      if (c.scale > c.precision || pos + decimalBinarySize(c.precision, c.scale) > buf.length) {
        throw new BinlogFormatError(
          `DECIMAL(${c.precision},${c.scale}) at byte ${pos} does not fit the row data (${buf.length} bytes)`,
        );
      }
      return { value: decodeDecimal(buf, pos, c.precision, c.scale), size: decimalBinarySize(c.precision, c.scale) };
    case ColumnType.YEAR:
      return { value: new YearValue(buf[pos] === 0 ? 0 : 1900 + buf[pos]), size: 1 };
    case ColumnType.DATE:
    case ColumnType.NEWDATE:
      return { value: new DateValue(decodeDate(buf, pos)), size: 3 };
    case ColumnType.TIME:
      return { value: new TimeValue(decodeTimeOld(buf, pos)), size: 3 };
    case ColumnType.TIME2:
      return { value: new TimeValue(decodeTime2(buf, pos, c.fsp)), size: 3 + fractionBytes(c.fsp) };
    case ColumnType.DATETIME:
      return { value: new DateTimeValue(decodeDatetimeOld(buf, pos)), size: 8 };
    case ColumnType.DATETIME2:
      return { value: new DateTimeValue(decodeDatetime2(buf, pos, c.fsp)), size: 5 + fractionBytes(c.fsp) };
    case ColumnType.TIMESTAMP:
      return { value: new TimestampValue({ seconds: buf.readUInt32LE(pos), micros: 0 }), size: 4 };
    case ColumnType.TIMESTAMP2:
      return { value: new TimestampValue(decodeTimestamp2(buf, pos, c.fsp)), size: 4 + fractionBytes(c.fsp) };
    case ColumnType.ENUM:
      return { value: new EnumIndex(c.packLength === 1 ? buf[pos] : buf.readUInt16LE(pos)), size: c.packLength };
    case ColumnType.SET: {
      if (pos + c.packLength > buf.length)
        throw new BinlogFormatError(
          `SET value of ${c.packLength} bytes at byte ${pos} runs past the row data (${buf.length} bytes)`,
        );
      let bits = 0n;
      for (let i = c.packLength - 1; i >= 0; i--) bits = (bits << 8n) | BigInt(buf[pos + i]);
      return { value: new SetBits(bits), size: c.packLength };
    }
    case ColumnType.BIT: {
      const n = (c.bits + 7) >> 3;
      return { value: new Bits(Buffer.from(buf.subarray(pos, pos + n)), c.bits), size: n };
    }
    case ColumnType.STRING:
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING: {
      const prefix = c.maxLength > 255 ? 2 : 1;
      const len = prefix === 1 ? buf[pos] : buf.readUInt16LE(pos);
      return { value: text(buf.subarray(pos + prefix, pos + prefix + len), c.encoding), size: prefix + len };
    }
    case ColumnType.BLOB:
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB: {
      const len = buf.readUIntLE(pos, c.packLength);
      return {
        value: text(buf.subarray(pos + c.packLength, pos + c.packLength + len), c.encoding),
        size: c.packLength + len,
      };
    }
    case ColumnType.JSON: {
      const len = buf.readUIntLE(pos, c.packLength);
      const data = buf.subarray(pos + c.packLength, pos + c.packLength + len);
      const tree = parseJsonBinary(data);
      return { value: jsonAsTree ? tree : new Json(jsonToText(tree)), size: c.packLength + len };
    }
    case ColumnType.GEOMETRY: {
      const len = buf.readUIntLE(pos, c.packLength);
      const data = buf.subarray(pos + c.packLength, pos + c.packLength + len);
      return { value: new Geometry(data.readUInt32LE(0), Buffer.from(data.subarray(4))), size: c.packLength + len };
    }
    case ColumnType.VECTOR: {
      const len = buf.readUIntLE(pos, c.packLength);
      const out: number[] = [];
      for (let i = 0; i < len; i += 4) out.push(buf.readFloatLE(pos + c.packLength + i));
      return { value: out, size: c.packLength + len };
    }
    case ColumnType.NULL:
      return { value: null, size: 0 };
    default:
      throw new BinlogFormatError(`cannot decode column type ${COLUMN_TYPE_NAMES[c.realType] ?? c.realType}`);
  }
}

function text(b: Buffer, encoding: string): string | Buffer {
  return encoding === 'binary' ? Buffer.from(b) : decodeString(b, encoding);
}

/**
 * Row-image readers chosen once per column (per TABLE_MAP) instead of a type switch per value:
 * each reads one value at `cur.pos`, advances `cur.pos` past it and returns what `decodeValue`
 * returns for the same bytes (JSON as text). Bounds are the caller's to check (`cur.pos` past the
 * row data means the image was truncated); the error messages of a bad image come from
 * `decodeRows`, which the caller re-runs when a read fails.
 */
import { BinlogFormatError } from './byte-reader.ts';
import { decodeString } from './charsets.ts';
import { ColumnType } from './column-types.ts';
import { decimalBinarySize } from './decimal.ts';
import { decodeValue, type ColumnDecodeSpec, type RowValue } from './row-values.ts';
import { BigDecimal } from '../../../sdk/data.ts';

export interface Cursor {
  pos: number;
}

export type ColumnReader = (buf: Buffer, cur: Cursor) => RowValue;

/** The reader of one column: a specialised closure for the common types, `decodeValue` for the rest. */
export function columnReader(c: ColumnDecodeSpec): ColumnReader {
  switch (c.realType) {
    case ColumnType.TINY:
      return c.unsigned ? (b, cur) => b[cur.pos++] : (b, cur) => b.readInt8(cur.pos++);
    case ColumnType.SHORT:
      return c.unsigned ? fixed(2, (b, p) => b.readUInt16LE(p)) : fixed(2, (b, p) => b.readInt16LE(p));
    case ColumnType.INT24:
      return c.unsigned ? fixed(3, (b, p) => b.readUIntLE(p, 3)) : fixed(3, (b, p) => b.readIntLE(p, 3));
    case ColumnType.LONG:
      return c.unsigned ? fixed(4, (b, p) => b.readUInt32LE(p)) : fixed(4, (b, p) => b.readInt32LE(p));
    case ColumnType.LONGLONG:
      return c.unsigned ? fixed(8, (b, p) => b.readBigUInt64LE(p)) : fixed(8, (b, p) => b.readBigInt64LE(p));
    case ColumnType.FLOAT:
      return fixed(4, (b, p) => b.readFloatLE(p));
    case ColumnType.DOUBLE:
      return fixed(8, (b, p) => b.readDoubleLE(p));
    case ColumnType.NEWDECIMAL:
      return c.scale > c.precision ? genericReader(c) : decimalReader(c, c.precision, c.scale);
    case ColumnType.STRING:
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
      return textReader(c.maxLength > 255 ? 2 : 1, c.encoding);
    case ColumnType.BLOB:
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
      return textReader(c.packLength, c.encoding);
    default:
      return genericReader(c);
  }
}

function genericReader(c: ColumnDecodeSpec): ColumnReader {
  return (b, cur) => {
    const d = decodeValue(b, cur.pos, c);
    cur.pos += d.size;
    return d.value;
  };
}

function fixed(size: number, read: (b: Buffer, pos: number) => RowValue): ColumnReader {
  return (b, cur) => {
    const v = read(b, cur.pos);
    cur.pos += size;
    return v;
  };
}

/** A length-prefixed string or blob: text in its charset, or a copy of the bytes for binary ones. */
function textReader(prefix: number, encoding: string): ColumnReader {
  const lengthAt = (b: Buffer, p: number): number =>
    prefix === 1 ? b[p] : prefix === 2 ? b.readUInt16LE(p) : b.readUIntLE(p, prefix);
  if (encoding === 'utf8' || encoding === 'cesu8' || encoding === 'ascii')
    return (b, cur) => {
      const start = cur.pos + prefix;
      const end = start + lengthAt(b, cur.pos);
      if (end > b.length) throw new BinlogFormatError('string runs past the row data');
      cur.pos = end;
      return b.toString('utf8', start, end);
    };
  return (b, cur) => {
    const start = cur.pos + prefix;
    const end = start + lengthAt(b, cur.pos);
    if (end > b.length) throw new BinlogFormatError('string runs past the row data');
    cur.pos = end;
    const bytes = b.subarray(start, end);
    return encoding === 'binary' ? Buffer.from(bytes) : decodeString(bytes, encoding);
  };
}

const DIG2BYTES = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4];
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

/**
 * NEWDECIMAL without copying the bytes or building digit text: groups of nine digits are read big
 * endian with the sign bit flipped (and every byte inverted for a negative value); up to 15 digits
 * accumulate in a double exactly, wider values in a bigint.
 */
function decimalReader(c: ColumnDecodeSpec, precision: number, scale: number): ColumnReader {
  const generic = genericReader(c);
  const size = decimalBinarySize(precision, scale);
  const intDigits = precision - scale;
  // [bytes, digits] of each group in order
  const groups: number[] = [];
  const push = (bytes: number, digits: number): void => {
    if (bytes > 0) groups.push(bytes, digits);
  };
  push(DIG2BYTES[intDigits % 9], intDigits % 9);
  for (let i = 0; i < Math.floor(intDigits / 9); i++) push(4, 9);
  for (let i = 0; i < Math.floor(scale / 9); i++) push(4, 9);
  push(DIG2BYTES[scale % 9], scale % 9);
  const small = precision <= 15;
  return (b, cur) => {
    const start = cur.pos;
    if (start + size > b.length) throw new BinlogFormatError('DECIMAL runs past the row data');
    const negative = (b[start] & 0x80) === 0;
    const flip = negative ? 0xff : 0;
    let p = start;
    let n = 0;
    let big = 0n;
    for (let g = 0; g < groups.length; g += 2) {
      const bytes = groups[g];
      let v = 0;
      for (let k = 0; k < bytes; k++, p++) v = v * 256 + ((p === start ? b[p] ^ 0x80 : b[p]) ^ flip);
      // more digits than the group holds (corrupt data): decodeDecimal's digit text is the reference
      if (v >= POW10[groups[g + 1]]) return generic(b, cur);
      if (small) n = n * POW10[groups[g + 1]] + v;
      else big = big * BigInt(POW10[groups[g + 1]]) + BigInt(v);
    }
    cur.pos = start + size;
    const unscaled = small ? BigInt(n) : big;
    return new BigDecimal(negative ? -unscaled : unscaled, scale);
  };
}

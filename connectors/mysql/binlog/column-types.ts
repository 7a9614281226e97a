/** Column type codes (`enum_field_types`) and the per-column metadata a TABLE_MAP carries. */
import { BinlogFormatError, type ByteReader } from './byte-reader.ts';

export const ColumnType = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  NULL: 6,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  TIME: 11,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  VARCHAR: 15,
  BIT: 16,
  TIMESTAMP2: 17,
  DATETIME2: 18,
  TIME2: 19,
  TYPED_ARRAY: 20,
  VECTOR: 242,
  INVALID: 243,
  BOOL: 244,
  JSON: 245,
  NEWDECIMAL: 246,
  ENUM: 247,
  SET: 248,
  TINY_BLOB: 249,
  MEDIUM_BLOB: 250,
  LONG_BLOB: 251,
  BLOB: 252,
  VAR_STRING: 253,
  STRING: 254,
  GEOMETRY: 255,
} as const;

export const COLUMN_TYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(ColumnType).map(([k, v]) => [v, k]),
);

/** A column as the binlog describes it: wire type, the real type behind STRING, and its metadata. */
export interface BinlogColumn {
  /** Type code written in the TABLE_MAP. */
  type: number;
  /** Real type: ENUM/SET/STRING behind STRING(254), else equal to `type`. */
  realType: number;
  /** FLOAT/DOUBLE pack length; BLOB/JSON/GEOMETRY/VECTOR length-prefix bytes; ENUM/SET storage bytes. */
  packLength: number;
  /** VARCHAR/STRING maximum length in bytes. */
  maxLength: number;
  precision: number;
  scale: number;
  /** Fractional seconds precision of TIME2/DATETIME2/TIMESTAMP2. */
  fsp: number;
  /** BIT(n) length in bits. */
  bits: number;
  nullable: boolean;
}

const NUMERIC = new Set<number>([
  ColumnType.TINY,
  ColumnType.SHORT,
  ColumnType.INT24,
  ColumnType.LONG,
  ColumnType.LONGLONG,
  ColumnType.NEWDECIMAL,
  ColumnType.DECIMAL,
  ColumnType.FLOAT,
  ColumnType.DOUBLE,
  ColumnType.YEAR,
]);

/** Columns counted by the SIGNEDNESS optional metadata. */
export function isNumericColumn(c: BinlogColumn): boolean {
  return NUMERIC.has(c.type);
}

/** Columns counted by the (DEFAULT_|COLUMN_)CHARSET optional metadata. MariaDB also counts GEOMETRY. */
export function isCharacterColumn(c: BinlogColumn, mariadb: boolean): boolean {
  if (c.type === ColumnType.STRING) return c.realType === ColumnType.STRING;
  if (c.type === ColumnType.VAR_STRING || c.type === ColumnType.VARCHAR || c.type === ColumnType.BLOB) return true;
  return mariadb && c.type === ColumnType.GEOMETRY;
}

export function isEnumOrSetColumn(c: BinlogColumn): boolean {
  return c.realType === ColumnType.ENUM || c.realType === ColumnType.SET;
}

/** Reads one column's metadata bytes (in the TABLE_MAP metadata block) for a column of `type`. */
export function readColumnMetadata(r: ByteReader, type: number, nullable: boolean): BinlogColumn {
  const c: BinlogColumn = {
    type,
    realType: type,
    packLength: 0,
    maxLength: 0,
    precision: 0,
    scale: 0,
    fsp: 0,
    bits: 0,
    nullable,
  };
  switch (type) {
    case ColumnType.FLOAT:
    case ColumnType.DOUBLE:
    case ColumnType.BLOB:
    case ColumnType.GEOMETRY:
    case ColumnType.JSON:
    case ColumnType.VECTOR:
    case ColumnType.TINY_BLOB:
    case ColumnType.MEDIUM_BLOB:
    case ColumnType.LONG_BLOB:
      c.packLength = r.u8();
      break;
    case ColumnType.TIMESTAMP2:
    case ColumnType.DATETIME2:
    case ColumnType.TIME2:
      c.fsp = r.u8();
      break;
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
      c.maxLength = r.u16();
      break;
    case ColumnType.BIT: {
      const bitsInLastByte = r.u8();
      const bytes = r.u8();
      c.bits = bytes * 8 + bitsInLastByte;
      break;
    }
    case ColumnType.NEWDECIMAL:
      c.precision = r.u8();
      c.scale = r.u8();
      break;
    case ColumnType.STRING:
    case ColumnType.ENUM:
    case ColumnType.SET: {
      const b0 = r.u8();
      const b1 = r.u8();
      if ((b0 & 0x30) !== 0x30) {
        c.realType = b0 | 0x30;
        c.maxLength = b1 | (((b0 & 0x30) ^ 0x30) << 4);
      } else {
        c.realType = b0;
        c.maxLength = b1;
      }
      if (c.realType === ColumnType.ENUM || c.realType === ColumnType.SET) c.packLength = b1;
      break;
    }
    case ColumnType.TYPED_ARRAY:
      throw new BinlogFormatError('TYPED_ARRAY columns (multi-valued index replication) are not supported');
    case ColumnType.DECIMAL:
      throw new BinlogFormatError('old-style DECIMAL columns (pre-MySQL-5.0 tables) are not supported');
    default:
      break;
  }
  return c;
}

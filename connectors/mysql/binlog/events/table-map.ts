/** TABLE_MAP_EVENT: table id → database, table, column types, metadata and optional metadata (names, signedness, charsets, enum/set values, primary key). */
import { ByteReader } from '../byte-reader.ts';
import {
  type BinlogColumn,
  ColumnType,
  isCharacterColumn,
  isEnumOrSetColumn,
  isNumericColumn,
  readColumnMetadata,
} from '../column-types.ts';

export interface TableMapColumn extends BinlogColumn {
  name: string | null;
  unsigned: boolean | null;
  collation: number | null;
  enumValues: string[] | null;
  setValues: string[] | null;
  geometryType: number | null;
  visible: boolean;
}

export interface TableMapEvent {
  kind: 'tableMap';
  tableId: number;
  database: string;
  table: string;
  columns: TableMapColumn[];
  /** True when COLUMN_NAME optional metadata was present (binlog_row_metadata=FULL). */
  hasFullMetadata: boolean;
  /** Primary key column indexes from SIMPLE_PRIMARY_KEY / PRIMARY_KEY_WITH_PREFIX, or null when absent. */
  primaryKey: number[] | null;
}

export const OptionalMetadata = {
  SIGNEDNESS: 1,
  DEFAULT_CHARSET: 2,
  COLUMN_CHARSET: 3,
  COLUMN_NAME: 4,
  SET_STR_VALUE: 5,
  ENUM_STR_VALUE: 6,
  GEOMETRY_TYPE: 7,
  SIMPLE_PRIMARY_KEY: 8,
  PRIMARY_KEY_WITH_PREFIX: 9,
  ENUM_AND_SET_DEFAULT_CHARSET: 10,
  ENUM_AND_SET_COLUMN_CHARSET: 11,
  COLUMN_VISIBILITY: 12,
  VECTOR_DIMENSIONALITY: 13,
} as const;

export function parseTableMap(r: ByteReader, tableIdSize: number, mariadb: boolean): TableMapEvent {
  const tableId = r.uintLE(tableIdSize);
  r.skip(2);
  const database = r.string(r.packed());
  r.skip(1);
  const table = r.string(r.packed());
  r.skip(1);
  const count = r.packed();
  const types = r.bytes(count);
  const metaLen = r.packed();
  const metaEnd = r.pos + metaLen;
  const nullBitsAt = metaEnd;
  const nulls = new ByteReader(r.buf, nullBitsAt, r.end).bitmap(count);
  const meta = new ByteReader(r.buf, r.pos, metaEnd);
  const columns: TableMapColumn[] = [];
  for (let i = 0; i < count; i++) {
    const c = readColumnMetadata(meta, types[i], nulls[i]);
    columns.push({
      ...c,
      name: null,
      unsigned: null,
      collation: null,
      enumValues: null,
      setValues: null,
      geometryType: null,
      visible: true,
    });
  }
  r.pos = nullBitsAt + ((count + 7) >> 3);
  const ev: TableMapEvent = {
    kind: 'tableMap',
    tableId,
    database,
    table,
    columns,
    hasFullMetadata: false,
    primaryKey: null,
  };
  while (r.remaining > 0) {
    const type = r.u8();
    const len = r.packed();
    readOptionalMetadata(new ByteReader(r.buf, r.pos, r.pos + len), type, ev, mariadb);
    r.skip(len);
  }
  return ev;
}

function readOptionalMetadata(r: ByteReader, type: number, ev: TableMapEvent, mariadb: boolean): void {
  const cols = ev.columns;
  switch (type) {
    case OptionalMetadata.SIGNEDNESS: {
      const numeric = cols.filter(isNumericColumn);
      const bits = r.rest();
      numeric.forEach((c, i) => {
        c.unsigned = (bits[i >> 3] & (0x80 >> (i & 7))) !== 0;
      });
      return;
    }
    case OptionalMetadata.DEFAULT_CHARSET:
      assignDefaultCharset(
        r,
        cols.filter((c) => isCharacterColumn(c, mariadb)),
      );
      return;
    case OptionalMetadata.COLUMN_CHARSET:
      for (const c of cols.filter((c) => isCharacterColumn(c, mariadb))) c.collation = r.packed();
      return;
    case OptionalMetadata.ENUM_AND_SET_DEFAULT_CHARSET:
      assignDefaultCharset(r, cols.filter(isEnumOrSetColumn));
      return;
    case OptionalMetadata.ENUM_AND_SET_COLUMN_CHARSET:
      for (const c of cols.filter(isEnumOrSetColumn)) c.collation = r.packed();
      return;
    case OptionalMetadata.COLUMN_NAME:
      for (const c of cols) c.name = r.packedString();
      ev.hasFullMetadata = true;
      return;
    case OptionalMetadata.SET_STR_VALUE:
      for (const c of cols.filter((c) => c.realType === ColumnType.SET)) c.setValues = readStrings(r);
      return;
    case OptionalMetadata.ENUM_STR_VALUE:
      for (const c of cols.filter((c) => c.realType === ColumnType.ENUM)) c.enumValues = readStrings(r);
      return;
    case OptionalMetadata.GEOMETRY_TYPE:
      for (const c of cols.filter((c) => c.type === ColumnType.GEOMETRY)) c.geometryType = r.packed();
      return;
    case OptionalMetadata.SIMPLE_PRIMARY_KEY: {
      const pk: number[] = [];
      while (r.remaining > 0) pk.push(r.packed());
      ev.primaryKey = pk;
      return;
    }
    case OptionalMetadata.PRIMARY_KEY_WITH_PREFIX: {
      const pk: number[] = [];
      while (r.remaining > 0) {
        pk.push(r.packed());
        r.packed();
      }
      ev.primaryKey = pk;
      return;
    }
    case OptionalMetadata.COLUMN_VISIBILITY: {
      const bits = r.rest();
      cols.forEach((c, i) => {
        c.visible = (bits[i >> 3] & (0x80 >> (i & 7))) !== 0;
      });
      return;
    }
    default:
      return; // unknown TLVs are skipped by length
  }
}

function assignDefaultCharset(r: ByteReader, cols: TableMapColumn[]): void {
  const def = r.packed();
  for (const c of cols) c.collation = def;
  while (r.remaining > 0) {
    const index = r.packed();
    const collation = r.packed();
    if (cols[index]) cols[index].collation = collation;
  }
}

function readStrings(r: ByteReader): string[] {
  const n = r.packed();
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(r.packedString());
  return out;
}

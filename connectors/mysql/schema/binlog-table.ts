/**
 * Bridges TABLE_MAP events and tracked table structures: checks that a stored structure matches
 * what the binlog says, derives a structure from the optional metadata when they differ (or none
 * is stored), and builds the decode specs (signedness, charset) for the row decoder.
 */
import { BINARY_COLLATION, encodingOfCharsetName, encodingOfCollation } from '../binlog/charsets.ts';
import { ColumnType } from '../binlog/column-types.ts';
import type { TableMapColumn, TableMapEvent } from '../binlog/events/table-map.ts';
import type { ColumnDecodeSpec } from '../binlog/row-values.ts';
import type { ColumnDefinition, TableDefinition } from './table-definition.ts';

const BINARY_TYPES = new Set([
  'binary',
  'varbinary',
  'tinyblob',
  'blob',
  'mediumblob',
  'longblob',
  'bit',
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
]);

const EXPECTED: Record<string, number[]> = {
  tinyint: [ColumnType.TINY],
  smallint: [ColumnType.SHORT],
  mediumint: [ColumnType.INT24],
  int: [ColumnType.LONG],
  integer: [ColumnType.LONG],
  bigint: [ColumnType.LONGLONG],
  float: [ColumnType.FLOAT],
  double: [ColumnType.DOUBLE],
  real: [ColumnType.DOUBLE],
  decimal: [ColumnType.NEWDECIMAL],
  numeric: [ColumnType.NEWDECIMAL],
  date: [ColumnType.DATE],
  time: [ColumnType.TIME2, ColumnType.TIME],
  datetime: [ColumnType.DATETIME2, ColumnType.DATETIME],
  timestamp: [ColumnType.TIMESTAMP2, ColumnType.TIMESTAMP],
  year: [ColumnType.YEAR],
  char: [ColumnType.STRING],
  binary: [ColumnType.STRING],
  enum: [ColumnType.ENUM],
  set: [ColumnType.SET],
  varchar: [ColumnType.VARCHAR, ColumnType.VAR_STRING],
  varbinary: [ColumnType.VARCHAR, ColumnType.VAR_STRING],
  tinytext: [ColumnType.BLOB],
  text: [ColumnType.BLOB],
  mediumtext: [ColumnType.BLOB],
  longtext: [ColumnType.BLOB],
  tinyblob: [ColumnType.BLOB],
  blob: [ColumnType.BLOB],
  mediumblob: [ColumnType.BLOB],
  longblob: [ColumnType.BLOB],
  json: [ColumnType.JSON, ColumnType.BLOB],
  bit: [ColumnType.BIT],
};

/** Why a stored structure does not fit a TABLE_MAP, or null when it fits. */
export function mismatch(def: TableDefinition, map: TableMapEvent): string | null {
  if (def.columns.length !== map.columns.length)
    return `${def.columns.length} columns in the tracked schema, ${map.columns.length} in the binlog`;
  for (let i = 0; i < map.columns.length; i++) {
    const m = map.columns[i];
    const c = def.columns[i];
    if (m.name !== null && m.name !== c.name)
      return `column ${i + 1} is ${c.name} in the tracked schema, ${m.name} in the binlog`;
    const exp = EXPECTED[c.dataType];
    if (exp && !exp.includes(m.realType))
      return `column ${c.name} is ${c.columnType} in the tracked schema, type code ${m.realType} in the binlog`;
    if (m.realType === ColumnType.NEWDECIMAL && (m.precision !== c.length || m.scale !== (c.scale ?? 0)))
      return `column ${c.name} is ${c.columnType} in the tracked schema, decimal(${m.precision},${m.scale}) in the binlog`;
    // The server flags YEAR unsigned in SIGNEDNESS metadata; a YEAR column has no signedness of its own.
    if (m.unsigned !== null && m.unsigned !== c.unsigned && c.dataType !== 'year')
      return `column ${c.name} signedness differs`;
    if ((m.realType === ColumnType.ENUM || m.realType === ColumnType.SET) && (m.enumValues ?? m.setValues)) {
      const vals = m.enumValues ?? m.setValues ?? [];
      if (vals.join('\u0000') !== c.enumValues.join('\u0000')) return `column ${c.name} values differ`;
    }
  }
  return null;
}

export function decodeSpecs(def: TableDefinition | null, map: TableMapEvent): ColumnDecodeSpec[] {
  return map.columns.map((m, i) => {
    const c = def?.columns[i];
    const unsigned = m.unsigned ?? c?.unsigned ?? false;
    let encoding: string;
    if (m.collation !== null) encoding = encodingOfCollation(m.collation);
    else if (c)
      encoding = BINARY_TYPES.has(c.dataType) || c.charset === 'binary' ? 'binary' : encodingOfCharsetName(c.charset);
    else encoding = 'utf8';
    return { ...m, unsigned, encoding };
  });
}

const BLOB_NAMES: Record<number, [string, string]> = {
  1: ['tinyblob', 'tinytext'],
  2: ['blob', 'text'],
  3: ['mediumblob', 'mediumtext'],
  4: ['longblob', 'longtext'],
};
const GEOMETRY_NAMES = [
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
];

/** A structure derived from TABLE_MAP optional metadata (binlog_row_metadata=FULL). */
export function definitionFromTableMap(map: TableMapEvent, previous: TableDefinition | null): TableDefinition {
  const columns = map.columns.map((m, i) => {
    const prev = previous?.columns.find((c) => c.name === m.name);
    return columnFromMap(m, i + 1, prev ?? null);
  });
  const pk = map.primaryKey
    ? map.primaryKey.map((i) => columns[i].name)
    : (previous?.primaryKey.filter((k) => columns.some((c) => c.name === k)) ?? []);
  return {
    database: map.database,
    name: map.table,
    columns,
    primaryKey: pk,
    defaultCharset: previous?.defaultCharset ?? null,
    comment: previous?.comment ?? null,
  };
}

function columnFromMap(m: TableMapColumn, position: number, prev: ColumnDefinition | null): ColumnDefinition {
  const binary = m.collation === BINARY_COLLATION;
  const unsigned = m.unsigned ?? false;
  let dataType: string;
  let columnType: string;
  let length: number | null = null;
  let scale: number | null = null;
  let enumValues: string[] = [];
  const u = unsigned ? ' unsigned' : '';
  switch (m.realType) {
    case ColumnType.TINY:
      dataType = 'tinyint';
      columnType = `tinyint${u}`;
      break;
    case ColumnType.SHORT:
      dataType = 'smallint';
      columnType = `smallint${u}`;
      break;
    case ColumnType.INT24:
      dataType = 'mediumint';
      columnType = `mediumint${u}`;
      break;
    case ColumnType.LONG:
      dataType = 'int';
      columnType = `int${u}`;
      break;
    case ColumnType.LONGLONG:
      dataType = 'bigint';
      columnType = `bigint${u}`;
      break;
    case ColumnType.FLOAT:
      dataType = 'float';
      columnType = 'float';
      break;
    case ColumnType.DOUBLE:
      dataType = 'double';
      columnType = 'double';
      break;
    case ColumnType.NEWDECIMAL:
      dataType = 'decimal';
      length = m.precision;
      scale = m.scale;
      columnType = `decimal(${m.precision},${m.scale})${u}`;
      break;
    case ColumnType.DATE:
      dataType = 'date';
      columnType = 'date';
      break;
    case ColumnType.TIME:
    case ColumnType.TIME2:
      dataType = 'time';
      columnType = m.fsp ? `time(${m.fsp})` : 'time';
      break;
    case ColumnType.DATETIME:
    case ColumnType.DATETIME2:
      dataType = 'datetime';
      columnType = m.fsp ? `datetime(${m.fsp})` : 'datetime';
      break;
    case ColumnType.TIMESTAMP:
    case ColumnType.TIMESTAMP2:
      dataType = 'timestamp';
      columnType = m.fsp ? `timestamp(${m.fsp})` : 'timestamp';
      break;
    case ColumnType.YEAR:
      dataType = 'year';
      columnType = 'year(4)';
      break;
    case ColumnType.ENUM:
      dataType = 'enum';
      enumValues = m.enumValues ?? [];
      columnType = `enum(${enumValues.map(quote).join(',')})`;
      break;
    case ColumnType.SET:
      dataType = 'set';
      enumValues = m.setValues ?? [];
      columnType = `set(${enumValues.map(quote).join(',')})`;
      break;
    case ColumnType.STRING:
      dataType = binary ? 'binary' : 'char';
      columnType = dataType;
      break;
    case ColumnType.VARCHAR:
    case ColumnType.VAR_STRING:
      dataType = binary ? 'varbinary' : 'varchar';
      columnType = dataType;
      break;
    case ColumnType.BLOB:
      dataType = BLOB_NAMES[m.packLength]?.[binary ? 0 : 1] ?? 'blob';
      columnType = dataType;
      break;
    case ColumnType.JSON:
      dataType = 'json';
      columnType = 'json';
      break;
    case ColumnType.BIT:
      dataType = 'bit';
      length = m.bits;
      columnType = `bit(${m.bits})`;
      break;
    case ColumnType.GEOMETRY:
      dataType = GEOMETRY_NAMES[m.geometryType ?? 0] ?? 'geometry';
      columnType = dataType;
      break;
    default:
      dataType = 'unknown';
      columnType = `type${m.realType}`;
  }
  const sameType = prev && prev.dataType === dataType;
  return {
    name: m.name ?? `col${position}`,
    position,
    dataType,
    columnType: sameType ? prev.columnType : columnType,
    unsigned,
    nullable: m.nullable,
    charset: binary ? 'binary' : (prev?.charset ?? null),
    length: sameType ? prev.length : length,
    scale,
    fsp: m.fsp,
    enumValues,
    autoIncrement: sameType ? prev.autoIncrement : false,
    generated: false,
    defaultValue: sameType ? prev.defaultValue : null,
    comment: prev?.comment ?? null,
    json: sameType ? prev.json : dataType === 'json',
  };
}

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Turns a parsed column definition into the tracked ColumnDefinition the way MariaDB stores it
 * (aliases resolved, TEXT(n)/BLOB(n)/FLOAT(p) sized, JSON as LONGTEXT, CHARACTER SET binary
 * strings as binary types) with Debezium's lengths (explicit dimension, DECIMAL 10,0, BIT 1, ENUM
 * 1, SET 2n-1) and charsets (string columns: their own, else the table's).
 */
import type { ColumnDefinition, DebeziumColumnView } from '../table-definition.ts';
import type { ColumnSpec, DataTypeSpec, DefaultSpec } from './ast.ts';

const ALIASES: Record<string, string> = {
  integer: 'int',
  int1: 'tinyint',
  int2: 'smallint',
  int3: 'mediumint',
  middleint: 'mediumint',
  int4: 'int',
  int8: 'bigint',
  bool: 'tinyint',
  boolean: 'tinyint',
  dec: 'decimal',
  fixed: 'decimal',
  numeric: 'decimal',
  real: 'double',
  'double precision': 'double',
  float8: 'double',
  float4: 'float',
  character: 'char',
  'char varying': 'varchar',
  'character varying': 'varchar',
  varcharacter: 'varchar',
  nchar: 'char',
  'national char': 'char',
  'national character': 'char',
  nvarchar: 'varchar',
  'national varchar': 'varchar',
  'national char varying': 'varchar',
  'nchar varchar': 'varchar',
  'nchar varying': 'varchar',
  long: 'mediumtext',
  'long varchar': 'mediumtext',
  'long char': 'mediumtext',
  'long varbinary': 'mediumblob',
  serial: 'bigint',
  'char byte': 'binary',
  geometrycollection: 'geometrycollection',
};
const NATIONAL = new Set([
  'nchar',
  'national char',
  'national character',
  'nvarchar',
  'national varchar',
  'national char varying',
  'nchar varchar',
  'nchar varying',
]);
const INT_WIDTH: Record<string, [number, number]> = {
  tinyint: [4, 3],
  smallint: [6, 5],
  mediumint: [9, 8],
  int: [11, 10],
  bigint: [20, 20],
};
export const STRING_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set']);
const NUMERIC_TYPES = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'bigint',
  'decimal',
  'float',
  'double',
  'year',
  'bit',
]);
const TEMPORAL = new Set(['time', 'datetime', 'timestamp']);
const MAX_BYTES: Record<string, number> = {
  utf8mb4: 4,
  utf8mb3: 3,
  utf8: 3,
  utf16: 4,
  utf16le: 4,
  utf32: 4,
  ucs2: 2,
  big5: 2,
  gbk: 2,
  gb2312: 2,
  sjis: 2,
  cp932: 2,
  ujis: 3,
  eucjpms: 3,
  euckr: 2,
};

/** MariaDB names utf8 utf8mb3. */
export const normalizeCharset = (cs: string): string => (cs.toLowerCase() === 'utf8' ? 'utf8mb3' : cs.toLowerCase());

/** The character set of a collation name (`utf8mb4_general_ci` → utf8mb4). */
export function charsetOfCollation(collation: string): string {
  const c = collation.toLowerCase();
  if (c === 'binary') return 'binary';
  return normalizeCharset(c.split('_')[0]);
}

function sizedByLength(base: 'text' | 'blob', n: number, charset: string | null): string {
  const bytes = n * (base === 'text' ? (MAX_BYTES[charset ?? ''] ?? 1) : 1);
  const prefix = bytes < 256 ? 'tiny' : bytes < 65536 ? '' : bytes < 16777216 ? 'medium' : 'long';
  return prefix + base;
}

export function columnFromSpec(spec: ColumnSpec, position: number, tableCharset: string | null): ColumnDefinition {
  const t: DataTypeSpec = spec.type;
  let dataType = ALIASES[t.name] ?? t.name;
  let args = t.args.map(Number);
  if (t.name === 'bool' || t.name === 'boolean') args = [1];
  const unsigned = t.unsigned || t.name === 'serial';
  let charset: string | null = null;
  let json = false;
  if (dataType === 'json') {
    dataType = 'longtext';
    json = true;
    charset = 'utf8mb4';
  }
  if (spec.jsonCheck) json = true;
  const explicitCharset = t.charset
    ? normalizeCharset(t.charset)
    : t.collation
      ? charsetOfCollation(t.collation)
      : NATIONAL.has(t.name)
        ? 'utf8mb3'
        : null;
  if (
    explicitCharset === 'binary' &&
    ['char', 'varchar', 'text', 'tinytext', 'mediumtext', 'longtext'].includes(dataType)
  ) {
    dataType = dataType === 'char' ? 'binary' : dataType === 'varchar' ? 'varbinary' : dataType.replace('text', 'blob');
  }
  if (STRING_TYPES.has(dataType) && charset === null)
    charset = explicitCharset ?? (tableCharset ? normalizeCharset(tableCharset) : null);
  if ((dataType === 'text' || dataType === 'blob') && args.length) {
    dataType = sizedByLength(dataType, args[0], charset);
    args = [];
  }
  if (dataType === 'float' && args.length === 1) {
    if (args[0] > 24) dataType = 'double';
    args = [];
  }
  if (dataType === 'year') args = [];

  let length: number | null = null;
  let scale: number | null = null;
  let fsp = 0;
  let columnType: string;
  const sign = (unsigned ? ' unsigned' : '') + (t.zerofill ? ' zerofill' : '');
  const enumValues = dataType === 'enum' || dataType === 'set' ? [...t.values] : [];
  if (INT_WIDTH[dataType]) {
    length = args[0] ?? null;
    columnType = `${dataType}(${args[0] ?? INT_WIDTH[dataType][unsigned ? 1 : 0]})${sign}`;
  } else if (dataType === 'decimal') {
    length = args[0] ?? 10;
    scale = args[1] ?? 0;
    columnType = `decimal(${length},${scale})${sign}`;
  } else if (dataType === 'float' || dataType === 'double') {
    if (args.length) {
      length = args[0];
      scale = args[1] ?? null;
    }
    columnType = dataType + (args.length === 2 ? `(${args[0]},${args[1]})` : '') + sign;
  } else if (TEMPORAL.has(dataType)) {
    fsp = args[0] ?? 0;
    columnType = fsp ? `${dataType}(${fsp})` : dataType;
  } else if (dataType === 'bit') {
    length = args[0] ?? 1;
    columnType = `bit(${length})`;
  } else if (dataType === 'enum' || dataType === 'set') {
    length = dataType === 'enum' ? 1 : Math.max(0, enumValues.length * 2 - 1);
    columnType = `${dataType}(${enumValues.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(',')})`;
  } else if (['char', 'varchar', 'binary', 'varbinary'].includes(dataType)) {
    length = args[0] ?? (dataType === 'char' || dataType === 'binary' ? 1 : null);
    columnType = length !== null ? `${dataType}(${length})` : dataType;
  } else if (dataType === 'year') {
    columnType = 'year(4)';
  } else {
    columnType = dataType;
  }
  const autoIncrement = spec.autoIncrement || spec.serial;
  const column: ColumnDefinition = {
    name: spec.name,
    position,
    dataType,
    columnType,
    unsigned,
    nullable: spec.nullable ?? !(spec.primaryKey || spec.serial),
    charset,
    length,
    scale,
    fsp,
    enumValues,
    autoIncrement,
    // Debezium marks AUTO_INCREMENT columns generated; computed (AS …) columns are not.
    generated: autoIncrement,
    defaultValue: defaultText(spec.default, dataType),
    comment: spec.comment,
    json,
    ...(spec.onUpdateNow ? { onUpdateNow: true } : {}),
  };
  column.debezium = debeziumView(spec, column, tableCharset);
  return column;
}

/** The default as information_schema.COLUMNS.COLUMN_DEFAULT shows it on MariaDB (null when none or NULL). */
export function defaultText(d: DefaultSpec | null | undefined, dataType: string): string | null {
  if (!d || d.kind === 'null') return null;
  const quote = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  const numeric = NUMERIC_TYPES.has(dataType);
  switch (d.kind) {
    case 'string':
      return numeric && dataType !== 'bit' ? d.text : quote(d.text);
    case 'number':
      return numeric ? d.text : quote(d.text);
    case 'bits':
      return `b'${d.text}'`;
    case 'hex':
      return `0x${d.text.toUpperCase()}`;
    default: {
      const m = /^(current_timestamp|now|localtime|localtimestamp)\s*(?:\(\s*(\d*)\s*\))?$/i.exec(d.text);
      if (m) return `current_timestamp(${m[2] ?? ''})`;
      return d.text;
    }
  }
}

const TEXT_BYTES: Array<[string, number]> = [
  ['tinytext', 255],
  ['text', 65535],
  ['mediumtext', 16777215],
  ['longtext', 4294967295],
];

/** The TEXT type CONVERT TO CHARACTER SET picks so that the column keeps its capacity in characters. */
export function convertedTextType(dataType: string, from: string | null, to: string): string {
  const at = TEXT_BYTES.findIndex(([n]) => n === dataType);
  if (at < 0) return dataType;
  const chars = Math.floor(TEXT_BYTES[at][1] / (MAX_BYTES[from ?? ''] ?? 1));
  const need = chars * (MAX_BYTES[to] ?? 1);
  return TEXT_BYTES.find(([, max]) => max >= need)?.[0] ?? 'longtext';
}

/** information_schema's COLUMN_TYPE of a column given by its parts (for history documents, which lack it). */
export function columnTypeText(c: {
  dataType: string;
  unsigned: boolean;
  zerofill: boolean;
  length: number | null;
  scale: number | null;
  fsp: number;
  enumValues: string[];
}): string {
  const sign = (c.unsigned ? ' unsigned' : '') + (c.zerofill ? ' zerofill' : '');
  if (INT_WIDTH[c.dataType]) return `${c.dataType}(${c.length ?? INT_WIDTH[c.dataType][c.unsigned ? 1 : 0]})${sign}`;
  if (c.dataType === 'decimal') return `decimal(${c.length ?? 10},${c.scale ?? 0})${sign}`;
  if (c.dataType === 'float' || c.dataType === 'double')
    return c.dataType + (c.length !== null && c.scale !== null ? `(${c.length},${c.scale})` : '') + sign;
  if (TEMPORAL.has(c.dataType)) return c.fsp ? `${c.dataType}(${c.fsp})` : c.dataType;
  if (c.dataType === 'enum' || c.dataType === 'set')
    return `${c.dataType}(${c.enumValues.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(',')})`;
  if (c.dataType === 'year') return 'year(4)';
  if (['char', 'varchar', 'binary', 'varbinary', 'bit'].includes(c.dataType) && c.length !== null)
    return `${c.dataType}(${c.length})`;
  return c.dataType;
}

const DEBEZIUM_JDBC: Record<string, number> = {
  tinyint: 5,
  smallint: 5,
  int1: 5,
  int2: 5,
  mediumint: 4,
  int: 4,
  integer: 4,
  int3: 4,
  int4: 4,
  middleint: 4,
  year: 4,
  bigint: -5,
  int8: -5,
  serial: -5,
  bool: 16,
  boolean: 16,
  decimal: 3,
  dec: 3,
  fixed: 3,
  numeric: 2,
  float: 6,
  float4: 6,
  real: 7,
  double: 8,
  'double precision': 8,
  float8: 8,
  bit: -7,
  char: 1,
  character: 1,
  enum: 1,
  set: 1,
  varchar: 12,
  'char varying': 12,
  'character varying': 12,
  varcharacter: 12,
  tinytext: 12,
  text: 12,
  mediumtext: 12,
  longtext: 12,
  long: 12,
  'long varchar': 12,
  'long char': 12,
  binary: -2,
  'char byte': -2,
  varbinary: -3,
  tinyblob: 2004,
  blob: 2004,
  mediumblob: 2004,
  longblob: 2004,
  'long varbinary': 2004,
  nchar: -15,
  'national char': -15,
  'national character': -15,
  nvarchar: -9,
  'national varchar': -9,
  'national char varying': -9,
  'nchar varchar': -9,
  'nchar varying': -9,
  date: 91,
  time: 92,
  datetime: 93,
  timestamp: 2014,
};
const DEBEZIUM_DECIMALS = new Set(['decimal', 'dec', 'fixed', 'numeric']);
const NOW_FUNCTIONS = /^(current_timestamp|now)\s*(\(\s*\d*\s*\))?$/i;

/** Debezium's description of a column (MySqlAntlrDdlParser's DataTypeResolver and DefaultValueParserListener), checked against Debezium 3.5's MariaDB parser. */
export function debeziumView(
  spec: ColumnSpec,
  column: ColumnDefinition,
  tableCharset: string | null,
): DebeziumColumnView {
  const t = spec.type;
  // ZEROFILL implies UNSIGNED, which Debezium's type name then shows.
  const suffixes =
    t.suffixes.includes('ZEROFILL') && !t.suffixes.includes('UNSIGNED')
      ? t.suffixes.flatMap((x) => (x === 'ZEROFILL' ? ['UNSIGNED', x] : [x]))
      : t.suffixes;
  const typeName = t.name === 'serial' ? 'BIGINT UNSIGNED' : [t.name.toUpperCase(), ...suffixes].join(' ');
  const args = t.args.map(Number);
  let length: number | null = args[0] ?? null;
  let scale: number | null = args[1] ?? null;
  if (DEBEZIUM_DECIMALS.has(t.name)) {
    length ??= 10;
    scale ??= 0;
  }
  if (t.name === 'bit') length ??= 1;
  if (t.name === 'enum') length = 1;
  if (t.name === 'set') length = Math.max(0, t.values.length * 2 - 1);
  const stringType = STRING_TYPES.has(column.dataType) && !(t.name === 'json');
  const charsetName = NATIONAL.has(t.name)
    ? 'utf8'
    : stringType
      ? (t.charset ?? (t.collation ? charsetOfCollation(t.collation) : tableCharset))
      : null;
  return {
    typeName,
    jdbcType: DEBEZIUM_JDBC[t.name] ?? 1111,
    length,
    scale,
    charsetName,
    enumValues: [...t.rawValues],
    ...debeziumDefault(spec.default, column),
  };
}

/** Debezium's hasDefaultValue / defaultValueExpression of a DEFAULT clause (none: only nullable columns have one, NULL). */
export function debeziumDefault(
  d: DefaultSpec | null | undefined,
  column: ColumnDefinition,
): Pick<DebeziumColumnView, 'hasDefaultValue' | 'defaultValueExpression'> {
  let defaultValueExpression: string | null = null;
  let hasDefaultValue = column.nullable;
  if (d) {
    if (d.kind === 'null') hasDefaultValue = true;
    else if (d.kind === 'string') {
      hasDefaultValue = true;
      defaultValueExpression = d.raw ?? d.text;
    } else if (d.kind === 'number') {
      hasDefaultValue = true;
      defaultValueExpression = d.raw ?? d.text;
    } else if (d.kind === 'bits') {
      hasDefaultValue = true;
      defaultValueExpression = d.text;
    } else if (d.kind === 'hex') {
      hasDefaultValue = true;
      defaultValueExpression = d.text;
    } else if (NOW_FUNCTIONS.test(d.text) && (column.dataType === 'timestamp' || column.dataType === 'datetime')) {
      hasDefaultValue = true;
      defaultValueExpression = '1970-01-01 00:00:00';
    } else if (d.raw?.startsWith('(') || /^(localtime|localtimestamp)/i.test(d.text)) {
      hasDefaultValue = true;
      if (/^(localtime|localtimestamp)/i.test(d.text)) defaultValueExpression = d.text;
    }
  }
  return { hasDefaultValue, defaultValueExpression };
}

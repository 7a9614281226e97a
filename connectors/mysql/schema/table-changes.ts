/**
 * Debezium's table-change documents: the JSON form stored in the schema history
 * (JsonTableChangeSerializer) and back. MySQL specifics Debezium keeps in `typeName` /
 * `typeExpression` / `length` round-trip our ColumnDefinition.
 */
import type { ColumnDefinition, TableDefinition } from './table-definition.ts';
import type { TableChangeType } from './ddl.ts';
import type { DataTypeSpec } from './ddl/ast.ts';
import { columnFromSpec } from './ddl/column-type.ts';

export interface JsonColumn {
  name: string;
  jdbcType: number;
  nativeType?: number;
  typeName: string;
  typeExpression: string;
  charsetName: string | null;
  length?: number;
  scale?: number;
  position: number;
  optional: boolean;
  autoIncremented: boolean;
  generated: boolean;
  comment: string | null;
  hasDefaultValue: boolean;
  defaultValueExpression?: string;
  enumValues?: string[];
}

export interface JsonTable {
  defaultCharsetName: string | null;
  primaryKeyColumnNames: string[];
  columns: JsonColumn[];
  attributes: Array<{ name: string; value: string }>;
  /** Older documents kept the table comment here; Debezium writes it next to `table`. */
  comment?: string | null;
}

export interface JsonTableChange {
  type: TableChangeType;
  id: string;
  previousId?: string;
  table: JsonTable | null;
  comment?: string | null;
}

/** A table change document in Debezium's key order: type, id, (previousId), table, comment. */
export function tableChangeJson(
  type: TableChangeType,
  id: string,
  t: TableDefinition,
  previousId?: string,
): JsonTableChange {
  return { type, id, ...(previousId ? { previousId } : {}), table: tableToJson(t), comment: t.comment };
}

/** Debezium's table id text: `"db"."table"`. */
export const tableIdText = (database: string, table: string): string => `"${database}"."${table}"`;

export function parseTableIdText(id: string): { database: string; table: string } {
  const m = /^"((?:[^"]|"")*)"\."((?:[^"]|"")*)"$/.exec(id) ?? /^([^.]*)\.(.*)$/.exec(id);
  if (!m) throw new Error(`invalid table id ${id}`);
  return { database: m[1], table: m[2] };
}

/** java.sql.Types of a MySQL data type. */
export function jdbcTypeOf(c: Pick<ColumnDefinition, 'dataType' | 'length' | 'json'>): number {
  switch (c.dataType) {
    case 'bit':
      return c.length === 1 ? 16 : -7;
    case 'bool':
    case 'boolean':
      return 16;
    case 'tinyint':
      return -6;
    case 'smallint':
      return 5;
    case 'mediumint':
    case 'int':
    case 'integer':
      return 4;
    case 'bigint':
      return -5;
    case 'float':
      return 7;
    case 'double':
    case 'real':
      return 8;
    case 'decimal':
    case 'numeric':
      return 3;
    case 'char':
      return 1;
    case 'varchar':
      return 12;
    case 'tinytext':
    case 'text':
    case 'mediumtext':
    case 'longtext':
      return c.json ? 1111 : -1;
    case 'json':
      return 1111;
    case 'enum':
    case 'set':
      return 1;
    case 'binary':
      return -2;
    case 'varbinary':
      return -3;
    case 'tinyblob':
    case 'blob':
    case 'mediumblob':
    case 'longblob':
      return 2004;
    case 'date':
      return 91;
    case 'time':
      return 92;
    case 'datetime':
      return 93;
    case 'timestamp':
      return 2014;
    case 'year':
      return 4;
    default:
      return 1111;
  }
}

const TEMPORAL = new Set(['time', 'datetime', 'timestamp']);

export function tableToJson(t: TableDefinition): JsonTable {
  return {
    defaultCharsetName: t.defaultCharset,
    primaryKeyColumnNames: [...t.primaryKey],
    columns: t.columns.map((c) => columnToJson(c)),
    attributes: [],
  };
}

export function columnToJson(c: ColumnDefinition): JsonColumn {
  const v = c.debezium;
  if (v) {
    return {
      name: c.name,
      jdbcType: v.jdbcType,
      typeName: v.typeName,
      typeExpression: v.typeName,
      charsetName: v.charsetName,
      ...(v.length !== null ? { length: Math.min(v.length, 2147483647) } : {}),
      ...(v.scale !== null ? { scale: v.scale } : {}),
      position: c.position,
      optional: c.nullable,
      autoIncremented: c.autoIncrement || c.onUpdateNow === true,
      generated: c.generated || c.onUpdateNow === true,
      comment: c.comment,
      hasDefaultValue: v.hasDefaultValue,
      ...(v.defaultValueExpression !== null ? { defaultValueExpression: v.defaultValueExpression } : {}),
      enumValues: [...v.enumValues],
    };
  }
  // A structure derived from a binlog table map: described from its server-side type.
  const zerofill = /\bzerofill\b/i.test(c.columnType);
  // Debezium's typeName and typeExpression are both the type keyword with its UNSIGNED/ZEROFILL suffixes.
  const typeName =
    (c.json ? 'JSON' : c.dataType.toUpperCase()) + (c.unsigned ? ' UNSIGNED' : '') + (zerofill ? ' ZEROFILL' : '');
  const rawLength = TEMPORAL.has(c.dataType) ? (c.fsp > 0 ? c.fsp : null) : c.length;
  // LONGTEXT/LONGBLOB report 4294967295, beyond the int32 `length` field; Debezium leaves it unset.
  const length = rawLength !== null && rawLength > 2147483647 ? null : rawLength;
  const defaultExpression = c.defaultValue === null ? null : unquoteDefault(c.defaultValue);
  const out: JsonColumn = {
    name: c.name,
    jdbcType: jdbcTypeOf(c),
    typeName,
    typeExpression: typeName,
    charsetName: c.charset,
    ...(length !== null && length !== undefined ? { length } : {}),
    ...(c.scale !== null && c.scale !== undefined ? { scale: c.scale } : {}),
    position: c.position,
    optional: c.nullable,
    autoIncremented: c.autoIncrement,
    generated: c.generated,
    comment: c.comment,
    hasDefaultValue: defaultExpression !== null || c.nullable,
    ...(defaultExpression !== null ? { defaultValueExpression: defaultExpression } : {}),
    enumValues: c.enumValues.map((e) => `'${e.replace(/'/g, "''")}'`),
  };
  return out;
}

/** Debezium keeps string defaults unquoted (`abc`, not `'abc'`). */
function unquoteDefault(d: string): string {
  const m = /^'(.*)'$/s.exec(d);
  return m ? m[1].replace(/''/g, "'").replace(/\\\\/g, '\\') : d;
}

const NUMERIC_DEFAULT_TYPES = new Set([
  'tinyint',
  'smallint',
  'mediumint',
  'int',
  'integer',
  'bigint',
  'decimal',
  'numeric',
  'float',
  'double',
  'real',
  'year',
  'bit',
]);

/** The model's (information_schema) form of a default read from a history document. */
function modelDefault(expr: string | undefined, dataType: string): string | null {
  if (expr === undefined || expr === null) return null;
  if (/^'.*'$/s.test(expr) || NUMERIC_DEFAULT_TYPES.has(dataType)) return expr; // older documents kept the quotes
  if (/^[a-z_]+\(.*\)$/i.test(expr) || /^(current_timestamp|now|localtime|localtimestamp)$/i.test(expr)) return expr;
  return `'${expr.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export function tableFromJson(database: string, name: string, t: JsonTable, comment?: string | null): TableDefinition {
  const defaultCharset = t.defaultCharsetName;
  return {
    database,
    name,
    defaultCharset,
    primaryKey: [...t.primaryKeyColumnNames],
    comment: comment !== undefined ? comment : (t.comment ?? null),
    columns: t.columns.map((c) => columnFromJson(c, defaultCharset)),
  };
}

const unquoteMember = (v: string): string =>
  /^'.*'$/s.test(v) ? v.slice(1, -1).replace(/''/g, "'").replace(/\\\\/g, '\\') : v;

/** The model column of a history document: its type resolved as the DDL parser resolves it, Debezium's description kept as stored. */
function columnFromJson(c: JsonColumn, tableCharset: string | null): ColumnDefinition {
  const words = c.typeName.toUpperCase().split(/\s+/);
  const suffixes = words.filter((w) => ['UNSIGNED', 'SIGNED', 'ZEROFILL', 'BINARY'].includes(w) && words[0] !== w);
  const base = words
    .filter((w, i) => i === 0 || !suffixes.includes(w))
    .join(' ')
    .toLowerCase();
  const enumValues = (c.enumValues ?? []).map(unquoteMember);
  const collection = base === 'enum' || base === 'set';
  const args =
    collection || c.length === undefined || c.length === null
      ? []
      : [
          String(c.length),
          ...(c.scale !== undefined && c.scale !== null && !/int|bit|char|text|blob|binary|time|year/.test(base)
            ? [String(c.scale)]
            : []),
        ];
  const type: DataTypeSpec = {
    name: base,
    args,
    values: enumValues,
    unsigned: suffixes.includes('UNSIGNED') || suffixes.includes('ZEROFILL'),
    zerofill: suffixes.includes('ZEROFILL'),
    charset: c.charsetName,
    collation: null,
    binaryCollation: suffixes.includes('BINARY'),
    rawValues: c.enumValues ?? [],
    suffixes,
  };
  const column = columnFromSpec(
    {
      name: c.name,
      type,
      nullable: c.optional,
      autoIncrement: c.autoIncremented,
      generated: false,
      primaryKey: false,
      unique: false,
      comment: c.comment ?? null,
      serial: false,
      jsonCheck: false,
    },
    c.position,
    tableCharset,
  );
  column.generated = c.generated;
  // Debezium writes CURRENT_TIMESTAMP defaults as the epoch; the model keeps the function (a literal epoch default is not valid for TIMESTAMP).
  column.defaultValue =
    (column.dataType === 'timestamp' || column.dataType === 'datetime') &&
    c.defaultValueExpression === '1970-01-01 00:00:00'
      ? `current_timestamp(${column.fsp || ''})`
      : modelDefault(c.defaultValueExpression, column.dataType);
  column.debezium = {
    typeName: c.typeName,
    jdbcType: c.jdbcType,
    length: c.length ?? null,
    scale: c.scale ?? null,
    charsetName: c.charsetName,
    enumValues: [...(c.enumValues ?? [])],
    hasDefaultValue: c.hasDefaultValue,
    defaultValueExpression: c.defaultValueExpression ?? null,
  };
  return column;
}

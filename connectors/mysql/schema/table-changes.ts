/**
 * Debezium's table-change documents: the JSON form stored in the schema history
 * (JsonTableChangeSerializer) and back. MySQL specifics Debezium keeps in `typeName` /
 * `typeExpression` / `length` round-trip our ColumnDefinition.
 */
import type { ColumnDefinition, TableDefinition } from './table-definition.ts';
import type { TableChangeType } from './ddl.ts';
import { columnTypeText } from './ddl/column-type.ts';

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
  comment: string | null;
}

export interface JsonTableChange {
  type: TableChangeType;
  id: string;
  previousId?: string;
  table: JsonTable | null;
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
    case 'bit': return c.length === 1 ? 16 : -7;
    case 'bool': case 'boolean': return 16;
    case 'tinyint': return -6;
    case 'smallint': return 5;
    case 'mediumint': case 'int': case 'integer': return 4;
    case 'bigint': return -5;
    case 'float': return 7;
    case 'double': case 'real': return 8;
    case 'decimal': case 'numeric': return 3;
    case 'char': return 1;
    case 'varchar': return 12;
    case 'tinytext': case 'text': case 'mediumtext': case 'longtext': return c.json ? 1111 : -1;
    case 'json': return 1111;
    case 'enum': case 'set': return 1;
    case 'binary': return -2;
    case 'varbinary': return -3;
    case 'tinyblob': case 'blob': case 'mediumblob': case 'longblob': return 2004;
    case 'date': return 91;
    case 'time': return 92;
    case 'datetime': return 93;
    case 'timestamp': return 2014;
    case 'year': return 4;
    default: return 1111;
  }
}

const TEMPORAL = new Set(['time', 'datetime', 'timestamp']);

export function tableToJson(t: TableDefinition): JsonTable {
  return {
    defaultCharsetName: t.defaultCharset,
    primaryKeyColumnNames: [...t.primaryKey],
    columns: t.columns.map((c) => columnToJson(c)),
    attributes: [],
    comment: t.comment,
  };
}

export function columnToJson(c: ColumnDefinition): JsonColumn {
  const zerofill = /\bzerofill\b/i.test(c.columnType);
  // Debezium's typeName and typeExpression are both the type keyword with its UNSIGNED/ZEROFILL suffixes.
  const typeName = (c.json ? 'JSON' : c.dataType.toUpperCase()) + (c.unsigned ? ' UNSIGNED' : '') + (zerofill ? ' ZEROFILL' : '');
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
    hasDefaultValue: defaultExpression !== null,
    ...(defaultExpression !== null ? { defaultValueExpression: defaultExpression } : {}),
    ...(c.enumValues.length ? { enumValues: c.enumValues } : {}),
  };
  return out;
}

/** Debezium keeps string defaults unquoted (`abc`, not `'abc'`). */
function unquoteDefault(d: string): string {
  const m = /^'(.*)'$/s.exec(d);
  return m ? m[1].replace(/''/g, "'").replace(/\\\\/g, '\\') : d;
}

const NUMERIC_DEFAULT_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric', 'float', 'double', 'real', 'year', 'bit']);

/** The model's (information_schema) form of a default read from a history document. */
function modelDefault(expr: string | undefined, dataType: string): string | null {
  if (expr === undefined || expr === null) return null;
  if (/^'.*'$/s.test(expr) || NUMERIC_DEFAULT_TYPES.has(dataType)) return expr; // older documents kept the quotes
  if (/^[a-z_]+\(.*\)$/i.test(expr) || /^(current_timestamp|now|localtime|localtimestamp)$/i.test(expr)) return expr;
  return `'${expr.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

export function tableFromJson(database: string, name: string, t: JsonTable): TableDefinition {
  return {
    database, name,
    defaultCharset: t.defaultCharsetName,
    primaryKey: [...t.primaryKeyColumnNames],
    comment: t.comment ?? null,
    columns: t.columns.map((c) => {
      const typeName = c.typeName.toUpperCase();
      const unsigned = /\bUNSIGNED\b/.test(typeName);
      const zerofill = /\bZEROFILL\b/.test(typeName);
      const base = typeName.replace(/\s*UNSIGNED\b/, '').replace(/\s*ZEROFILL\b/, '').trim().toLowerCase();
      const json = base === 'json';
      const dataType = json ? 'longtext' : base;
      const temporal = TEMPORAL.has(dataType);
      const length = temporal ? null : (c.length ?? null);
      const scale = c.scale ?? null;
      const fsp = temporal ? (c.length ?? 0) : 0;
      const enumValues = c.enumValues ?? [];
      // Documents written before typeExpression followed Debezium carry information_schema's COLUMN_TYPE.
      const columnType = c.typeExpression && /[(a-z]/.test(c.typeExpression) && c.typeExpression.toUpperCase() !== typeName
        ? c.typeExpression
        : columnTypeText({ dataType, unsigned, zerofill, length, scale, fsp, enumValues });
      return {
        name: c.name, position: c.position, dataType, columnType, unsigned, nullable: c.optional,
        charset: c.charsetName, length, scale, fsp, enumValues, autoIncrement: c.autoIncremented,
        generated: c.generated, defaultValue: modelDefault(c.defaultValueExpression, dataType), comment: c.comment ?? null, json,
      };
    }),
  };
}

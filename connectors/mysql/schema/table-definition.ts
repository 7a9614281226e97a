/** The structure of a table as the connector tracks it (from information_schema, or TABLE_MAP metadata). */
export interface ColumnDefinition {
  name: string;
  /** 1-based ordinal position. */
  position: number;
  /** information_schema DATA_TYPE, lower case (int, varchar, datetime, enum, …). */
  dataType: string;
  /** information_schema COLUMN_TYPE, e.g. `int(10) unsigned`, `enum('a','b')`, `decimal(10,2)`. */
  columnType: string;
  unsigned: boolean;
  nullable: boolean;
  charset: string | null;
  /** Character length or numeric precision. */
  length: number | null;
  scale: number | null;
  /** Fractional seconds precision of TIME/DATETIME/TIMESTAMP. */
  fsp: number;
  enumValues: string[];
  autoIncrement: boolean;
  /** ON UPDATE CURRENT_TIMESTAMP: Debezium reports such a column autoIncremented and generated. */
  onUpdateNow?: boolean;
  generated: boolean;
  /** Default expression as information_schema shows it, null when none. */
  defaultValue: string | null;
  comment: string | null;
  /** MariaDB JSON (a LONGTEXT with a json_valid check). */
  json: boolean;
  /** How Debezium's DDL parser describes the column (as written in the DDL), for tableChanges; absent for structures from table maps. */
  debezium?: DebeziumColumnView;
}

export interface DebeziumColumnView {
  typeName: string;
  jdbcType: number;
  length: number | null;
  scale: number | null;
  charsetName: string | null;
  /** ENUM/SET members with their quotes, as written. */
  enumValues: string[];
  hasDefaultValue: boolean;
  defaultValueExpression: string | null;
}

export interface TableDefinition {
  database: string;
  name: string;
  columns: ColumnDefinition[];
  primaryKey: string[];
  defaultCharset: string | null;
  comment: string | null;
}

export const tableKey = (database: string, table: string): string => `${database}.${table}`;

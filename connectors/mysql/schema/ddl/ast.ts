/** The statements the DDL parser understands, reduced to what changes a table's structure. */

export interface QualifiedName {
  database: string | null;
  name: string;
}

export interface DataTypeSpec {
  /** Lower-case type keyword(s) as written, aliases not yet resolved (`int`, `integer`, `double precision`, `national char`). */
  name: string;
  /** Numbers in the parentheses after the name (length, precision, scale, fsp). */
  args: string[];
  /** ENUM/SET members, unquoted. */
  values: string[];
  unsigned: boolean;
  zerofill: boolean;
  charset: string | null;
  collation: string | null;
  /** CHAR(n) BINARY / ASCII / UNICODE attributes. */
  binaryCollation: boolean;
  /** ENUM/SET members as written, quotes included (Debezium's enumValues). */
  rawValues: string[];
  /** SIGNED / UNSIGNED / ZEROFILL / BINARY after the type, upper case, in written order (part of Debezium's typeName). */
  suffixes: string[];
}

export interface DefaultSpec {
  kind: 'null' | 'string' | 'number' | 'bits' | 'hex' | 'expression';
  /** Unquoted string contents, the number text, bit/hex digits or the expression text. */
  text: string;
  /** The literal as written: string contents between the quotes (escapes kept), TRUE/FALSE. */
  raw?: string;
}

export interface ColumnSpec {
  name: string;
  type: DataTypeSpec;
  /** null when neither NULL nor NOT NULL was written. */
  nullable: boolean | null;
  /** undefined: no DEFAULT clause. */
  default?: DefaultSpec;
  autoIncrement: boolean;
  /** AS (expr) VIRTUAL/STORED/PERSISTENT. */
  generated: boolean;
  primaryKey: boolean;
  unique: boolean;
  comment: string | null;
  serial: boolean;
  /** CHECK (json_valid(col)): MariaDB's JSON alias. */
  jsonCheck: boolean;
  /** ON UPDATE CURRENT_TIMESTAMP (or NOW(), LOCALTIME…): Debezium's grammar reads it as an auto-increment constraint. */
  onUpdateNow?: boolean;
}

export type ColumnPosition = { first: true } | { after: string } | null;

export type TableElement =
  | { kind: 'column'; column: ColumnSpec }
  | { kind: 'primary'; columns: string[] }
  | { kind: 'unique'; columns: string[] }
  | { kind: 'jsonCheck'; column: string }
  | { kind: 'other' };

export interface TableOptions {
  charset?: string;
  collation?: string;
  comment?: string;
}

export type AlterAction =
  | { op: 'addColumns'; columns: ColumnSpec[]; ifNotExists: boolean; position: ColumnPosition }
  | { op: 'dropColumn'; name: string; ifExists: boolean }
  | { op: 'modifyColumn'; column: ColumnSpec; position: ColumnPosition; ifExists: boolean }
  | { op: 'changeColumn'; oldName: string; column: ColumnSpec; position: ColumnPosition; ifExists: boolean }
  | { op: 'renameColumn'; from: string; to: string }
  | { op: 'setDefault'; name: string; default: DefaultSpec | null }
  | { op: 'addPrimaryKey'; columns: string[] }
  | { op: 'dropPrimaryKey' }
  | { op: 'addUnique'; columns: string[] }
  | { op: 'renameTable'; to: QualifiedName }
  | { op: 'convertCharset'; charset: string | null; collation: string | null }
  | { op: 'options'; options: TableOptions }
  | { op: 'other' };

export type DdlAst =
  | {
      kind: 'createTable';
      table: QualifiedName;
      temporary: boolean;
      ifNotExists: boolean;
      orReplace: boolean;
      elements: TableElement[];
      options: TableOptions;
      like: QualifiedName | null;
      asSelect: boolean;
    }
  | { kind: 'alterTable'; table: QualifiedName; ifExists: boolean; actions: AlterAction[] }
  | { kind: 'dropTable'; tables: QualifiedName[]; temporary: boolean; ifExists: boolean }
  | { kind: 'renameTable'; pairs: Array<{ from: QualifiedName; to: QualifiedName }> }
  | { kind: 'truncateTable'; table: QualifiedName }
  | { kind: 'createIndex'; table: QualifiedName; unique: boolean; columns: string[] }
  | { kind: 'dropIndex'; table: QualifiedName }
  | {
      kind: 'createDatabase';
      name: string;
      ifNotExists: boolean;
      orReplace: boolean;
      charset: string | null;
      collation: string | null;
    }
  | { kind: 'alterDatabase'; name: string | null; charset: string | null; collation: string | null }
  | { kind: 'dropDatabase'; name: string; ifExists: boolean }
  | { kind: 'use'; database: string }
  | { kind: 'setCharset'; variable: string; value: string }
  | { kind: 'sequence'; action: 'create' | 'alter' | 'drop'; names: QualifiedName[] }
  /** A statement that changes no table structure (GRANT, CREATE VIEW, FLUSH, …). */
  | { kind: 'ignored'; what: string };

/** One statement of a DDL text with its offset in that text. */
export interface ParsedStatement {
  ast: DdlAst;
  text: string;
  pos: number;
}

/**
 * What a DDL statement from a QUERY event did to the tracked tables (parsed by ddl/parser.ts and
 * applied to the model by ddl/schema-model.ts), in the form the binlog reader acts on.
 */
export type TableChangeType = 'CREATE' | 'ALTER' | 'DROP';

export interface DdlTableChange {
  type: TableChangeType;
  database: string;
  table: string;
  /** For renames: the old name. */
  previous?: { database: string; table: string };
}

export interface DdlStatement {
  kind: 'tables' | 'truncate' | 'database' | 'none';
  changes: DdlTableChange[];
  /** For CREATE/ALTER/DROP DATABASE. */
  database?: string;
}

/** True when a QUERY event is transaction control rather than DDL. */
export function isTransactionControl(sql: string): boolean {
  return /^\s*(BEGIN|COMMIT|ROLLBACK|XA\s|SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO)/i.test(sql);
}

/**
 * MariaDB system-versioned tables (WITH SYSTEM VERSIONING). Their binlog rows carry the hidden
 * row_start/row_end columns that SHOW CREATE TABLE and the DDL do not declare: Debezium 3.5's
 * MariaDB connector snapshots them (SHOW FULL TABLES shows them as BASE TABLE) and then fails at
 * their first streamed change ("Error processing row in t, internal schema size 2, but row size 4").
 * Tributary refuses to capture one up front, at the snapshot or at the DDL that makes a captured
 * table versioned, naming the table and the fix; tables it does not capture are kept as Debezium does.
 */
import { ConnectException } from '../../../sdk/errors.ts';

/** True when a CREATE/ALTER TABLE statement's text makes its table (or a column) system-versioned. */
export function addsSystemVersioning(statementText: string): boolean {
  return /\b(?:WITH|ADD)\s+SYSTEM\s+VERSIONING\b/i.test(stripLiterals(statementText));
}

function stripLiterals(sql: string): string {
  return sql.replace(
    /'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`|\/\*[\s\S]*?\*\/|--[^\n]*|#[^\n]*/g,
    ' ',
  );
}

export function systemVersionedTableError(database: string, table: string, where: string): ConnectException {
  const id = `${database}.${table}`;
  return new ConnectException(
    `Table ${id} is a MariaDB system-versioned table (WITH SYSTEM VERSIONING, ${where}), which the connector cannot capture: ` +
      "their binlog rows carry hidden row_start/row_end columns (Debezium's MariaDB connector fails at their first streamed change). " +
      `Exclude it (table.exclude.list=${database.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.${table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}) or remove its versioning (ALTER TABLE ${id} DROP SYSTEM VERSIONING)`,
  );
}

/** Reads table structures from information_schema (one query per kind for all tables of interest). */
import type { Connection } from 'mysql2/promise';
import type { ColumnDefinition, TableDefinition } from './table-definition.ts';
import { tableKey } from './table-definition.ts';

type Row = Record<string, unknown>;

const str = (v: unknown): string | null =>
  v === null || v === undefined ? null : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Values of `enum('a','b''c')` / `set(...)`. */
export function parseEnumValues(columnType: string): string[] {
  const m = /^(?:enum|set)\((.*)\)$/is.exec(columnType.trim());
  if (!m) return [];
  const out: string[] = [];
  const re = /'((?:[^']|'')*)'/g;
  let x: RegExpExecArray | null;
  while ((x = re.exec(m[1]))) out.push(x[1].replace(/''/g, "'").replace(/\\\\/g, '\\'));
  return out;
}

/** Loads the given tables (all tables of the given databases when `tables` is null). */
export async function loadTables(
  conn: Connection,
  databases: string[],
  tables: Array<[string, string]> | null,
): Promise<TableDefinition[]> {
  if (databases.length === 0 && (!tables || tables.length === 0)) return [];
  const where = tables
    ? `(${tables.map(() => '(TABLE_SCHEMA = ? AND TABLE_NAME = ?)').join(' OR ')})`
    : `TABLE_SCHEMA IN (${databases.map(() => '?').join(',')})`;
  const params = tables ? tables.flat() : databases;
  const [tRows] = (await conn.query(
    `SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_COLLATION, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND ${where}`,
    params,
  )) as unknown as [Row[]];
  const [cRows] = (await conn.query(
    `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME,
            CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, EXTRA, COLUMN_DEFAULT, COLUMN_COMMENT, COLUMN_KEY
       FROM information_schema.COLUMNS WHERE ${where} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
    params,
  )) as unknown as [Row[]];
  const [kRows] = (await conn.query(
    `SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
      WHERE CONSTRAINT_NAME = 'PRIMARY' AND ${where} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`,
    params,
  )) as unknown as [Row[]];
  const jsonColumns = await loadMariadbJsonColumns(conn, where, params);
  const byTable = new Map<string, TableDefinition>();
  for (const t of tRows) {
    const collation = str(t.TABLE_COLLATION);
    byTable.set(tableKey(str(t.TABLE_SCHEMA)!, str(t.TABLE_NAME)!), {
      database: str(t.TABLE_SCHEMA)!,
      name: str(t.TABLE_NAME)!,
      columns: [],
      primaryKey: [],
      defaultCharset: collation ? collation.split('_')[0] : null,
      comment: str(t.TABLE_COMMENT) || null,
    });
  }
  for (const c of cRows) {
    const t = byTable.get(tableKey(str(c.TABLE_SCHEMA)!, str(c.TABLE_NAME)!));
    if (!t) continue;
    const dataType = str(c.DATA_TYPE)!.toLowerCase();
    const columnType = str(c.COLUMN_TYPE)!;
    const extra = (str(c.EXTRA) ?? '').toLowerCase();
    const col: ColumnDefinition = {
      name: str(c.COLUMN_NAME)!,
      position: num(c.ORDINAL_POSITION)!,
      dataType,
      columnType,
      unsigned: /unsigned/i.test(columnType),
      nullable: str(c.IS_NULLABLE) === 'YES',
      charset: str(c.CHARACTER_SET_NAME),
      length: num(c.CHARACTER_MAXIMUM_LENGTH) ?? num(c.NUMERIC_PRECISION) ?? lengthFromType(columnType),
      scale: num(c.NUMERIC_SCALE),
      fsp: num(c.DATETIME_PRECISION) ?? 0,
      enumValues: dataType === 'enum' || dataType === 'set' ? parseEnumValues(columnType) : [],
      autoIncrement: extra.includes('auto_increment'),
      generated: /virtual|stored|generated/.test(extra),
      defaultValue: normalizeDefault(str(c.COLUMN_DEFAULT)),
      comment: str(c.COLUMN_COMMENT) || null,
      json: dataType === 'json' || jsonColumns.has(`${str(c.TABLE_SCHEMA)}.${str(c.TABLE_NAME)}.${str(c.COLUMN_NAME)}`),
    };
    t.columns.push(col);
  }
  for (const k of kRows)
    byTable.get(tableKey(str(k.TABLE_SCHEMA)!, str(k.TABLE_NAME)!))?.primaryKey.push(str(k.COLUMN_NAME)!);
  return [...byTable.values()];
}

function lengthFromType(columnType: string): number | null {
  const m = /\((\d+)/.exec(columnType);
  return m ? Number(m[1]) : null;
}

/** MariaDB reports literal defaults quoted (`'abc'`) and a missing default as the text NULL. */
function normalizeDefault(v: string | null): string | null {
  if (v === null || v === 'NULL') return null;
  return v;
}

async function loadMariadbJsonColumns(conn: Connection, where: string, params: unknown[]): Promise<Set<string>> {
  try {
    const [rows] = (await conn.query(
      `SELECT CONSTRAINT_SCHEMA AS TABLE_SCHEMA, TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CHECK_CLAUSE LIKE 'json_valid(%' AND ${where.replace(/TABLE_SCHEMA/g, 'CONSTRAINT_SCHEMA')}`,
      params,
    )) as unknown as [Row[]];
    const out = new Set<string>();
    for (const r of rows) {
      const m = /^json_valid\(`([^`]+)`\)$/i.exec(str(r.CHECK_CLAUSE) ?? '');
      if (m) out.add(`${str(r.TABLE_SCHEMA)}.${str(r.TABLE_NAME)}.${m[1]}`);
    }
    return out;
  } catch {
    return new Set(); // MySQL < 8.0.16 has no CHECK_CONSTRAINTS; MySQL JSON columns have DATA_TYPE json anyway
  }
}

/**
 * What the JDBC sink differential compares between the table Debezium's sink made and the one
 * Tributary's made: the columns as the catalog describes them (type, length, precision, scale,
 * fraction digits, NOT NULL, DEFAULT, position), the primary key, and the rows, every value in the
 * database's own text form. Each difference names table, column (and row key) and both values.
 */
import type mysql from 'mysql2/promise';
import pg from 'pg';

export interface Difference {
  table: string;
  /** `column <name>`, `primary key`, `row <key>` or `row <key> column <name>`. */
  where: string;
  aspect: string;
  debezium: string;
  tributary: string;
}

export interface TableImage {
  exists: boolean;
  columns: Map<string, Record<string, string>>;
  primaryKey: string[];
  rows: Array<Record<string, string | null>>;
}

const COLUMN_ASPECTS = [
  'ordinal_position',
  'data_type',
  'udt_name',
  'character_maximum_length',
  'numeric_precision',
  'numeric_scale',
  'datetime_precision',
  'interval_type',
  'is_nullable',
  'column_default',
] as const;

export async function pgTableImage(client: pg.Client, table: string): Promise<TableImage> {
  const cols = await client.query<Record<string, unknown>>(
    `SELECT column_name, ${COLUMN_ASPECTS.join(', ')} FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  if (cols.rows.length === 0) return { exists: false, columns: new Map(), primaryKey: [], rows: [] };
  const columns = new Map(
    cols.rows.map((r) => [
      String(r.column_name),
      Object.fromEntries(COLUMN_ASPECTS.map((a) => [a, r[a] === null ? 'NULL' : String(r[a])])),
    ]),
  );
  const pk = await client.query<{ attname: string }>(
    `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = format('%I', $1::text)::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
    [table],
  );
  const names = [...columns.keys()];
  const select = names.map((n) => `"${n.replaceAll('"', '""')}"::text AS "${n.replaceAll('"', '""')}"`).join(', ');
  const rows = await client.query<Record<string, string | null>>(`SELECT ${select} FROM "${table}"`);
  return { exists: true, columns, primaryKey: pk.rows.map((r) => r.attname), rows: rows.rows };
}

const MARIADB_ASPECTS = [
  'ORDINAL_POSITION',
  'COLUMN_TYPE',
  'CHARACTER_MAXIMUM_LENGTH',
  'NUMERIC_PRECISION',
  'NUMERIC_SCALE',
  'DATETIME_PRECISION',
  'IS_NULLABLE',
  'COLUMN_DEFAULT',
] as const;

/** The same image on MariaDB: `COLUMN_TYPE` carries type, length, precision and sign; binary values in hex. */
export async function mariadbTableImage(conn: mysql.Connection, database: string, table: string): Promise<TableImage> {
  const [cols] = await conn.query(
    `SELECT COLUMN_NAME, DATA_TYPE, ${MARIADB_ASPECTS.join(', ')} FROM information_schema.COLUMNS
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    [database, table],
  );
  const list = cols as Array<Record<string, unknown>>;
  if (list.length === 0) return { exists: false, columns: new Map(), primaryKey: [], rows: [] };
  const columns = new Map(
    list.map((r) => [
      String(r.COLUMN_NAME),
      Object.fromEntries(MARIADB_ASPECTS.map((a) => [a.toLowerCase(), r[a] === null ? 'NULL' : String(r[a])])),
    ]),
  );
  const [pk] = await conn.query(
    `SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
     WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION`,
    [database, table],
  );
  const binary = new Set(
    list.filter((r) => /binary|blob|^bit$/i.test(String(r.DATA_TYPE))).map((r) => String(r.COLUMN_NAME)),
  );
  const select = list
    .map((r) => String(r.COLUMN_NAME))
    .map((n) => `${binary.has(n) ? `HEX(\`${n}\`)` : `CAST(\`${n}\` AS CHAR)`} AS \`${n}\``)
    .join(', ');
  const [rows] = await conn.query(`SELECT ${select} FROM \`${database}\`.\`${table}\``);
  return {
    exists: true,
    columns,
    primaryKey: (pk as Array<{ COLUMN_NAME: string }>).map((r) => r.COLUMN_NAME),
    rows: rows as Array<Record<string, string | null>>,
  };
}

const show = (v: string | null | undefined) => (v === undefined ? '(absent)' : v === null ? 'NULL' : v);

export function compareTables(table: string, dbz: TableImage, trib: TableImage): Difference[] {
  const diffs: Difference[] = [];
  const add = (where: string, aspect: string, d: string | null | undefined, t: string | null | undefined) =>
    diffs.push({ table, where, aspect, debezium: show(d), tributary: show(t) });
  if (!dbz.exists || !trib.exists) {
    if (dbz.exists !== trib.exists) add('table', 'exists', String(dbz.exists), String(trib.exists));
    return diffs;
  }
  for (const name of new Set([...dbz.columns.keys(), ...trib.columns.keys()])) {
    const d = dbz.columns.get(name);
    const t = trib.columns.get(name);
    if (!d || !t) {
      add(`column ${name}`, 'exists', d ? 'yes' : undefined, t ? 'yes' : undefined);
      continue;
    }
    for (const a of Object.keys(d)) if (d[a] !== t[a]) add(`column ${name}`, a, d[a], t[a]);
  }
  if (dbz.primaryKey.join(',') !== trib.primaryKey.join(','))
    add('primary key', 'columns', dbz.primaryKey.join(',') || '(none)', trib.primaryKey.join(',') || '(none)');

  const keyCols = dbz.primaryKey.length ? dbz.primaryKey : [...dbz.columns.keys()];
  const keyOf = (r: Record<string, string | null>) => keyCols.map((c) => `${c}=${show(r[c])}`).join(',');
  const group = (rows: TableImage['rows']) => {
    const m = new Map<string, Array<Record<string, string | null>>>();
    for (const r of rows) {
      const k = keyOf(r);
      m.set(k, [...(m.get(k) ?? []), r]);
    }
    return m;
  };
  const dRows = group(dbz.rows);
  const tRows = group(trib.rows);
  const shared = [...dbz.columns.keys()].filter((c) => trib.columns.has(c));
  for (const k of [...new Set([...dRows.keys(), ...tRows.keys()])].sort()) {
    const ds = dRows.get(k) ?? [];
    const ts = tRows.get(k) ?? [];
    if (ds.length !== ts.length) {
      add(`row ${k}`, 'count', String(ds.length), String(ts.length));
      continue;
    }
    for (let i = 0; i < ds.length; i++)
      for (const c of shared) if (ds[i][c] !== ts[i][c]) add(`row ${k} column ${c}`, 'value', ds[i][c], ts[i][c]);
  }
  return diffs;
}

export function formatDifferences(diffs: Difference[]): string {
  return diffs
    .map((d) => `${d.table} ${d.where} ${d.aspect}: Debezium ${d.debezium} | Tributary ${d.tributary}`)
    .join('\n');
}

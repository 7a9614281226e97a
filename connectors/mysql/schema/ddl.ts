/**
 * Classifies DDL statements from QUERY events: which tables they create, alter, drop, rename or
 * truncate. The new structure itself is read from the server (information_schema) and checked
 * against the binlog's table maps, so only the statement's target names are parsed here.
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
  /** For CREATE/DROP DATABASE. */
  database?: string;
}

const NAME = '(`(?:[^`]|``)+`|[A-Za-z0-9_$\\u0080-\\uffff]+)';
const QUALIFIED = `${NAME}(?:\\s*\\.\\s*${NAME})?`;

function unquote(s: string): string {
  return s.startsWith('`') ? s.slice(1, -1).replace(/``/g, '`') : s;
}

function qualified(m: RegExpExecArray, i: number, defaultDb: string): { database: string; table: string } {
  return m[i + 1] !== undefined ? { database: unquote(m[i]), table: unquote(m[i + 1]) } : { database: defaultDb, table: unquote(m[i]) };
}

/** Removes comments (except /*! version comments, whose body is kept) and leading whitespace. */
export function stripSqlComments(sql: string): string {
  return sql
    .replace(/\/\*!\d*\s?([\s\S]*?)\*\//g, '$1')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/(^|\n)\s*(--|#)[^\n]*/g, '$1')
    .trim();
}

export function classifyDdl(sqlText: string, defaultDb: string): DdlStatement {
  const sql = stripSqlComments(sqlText);
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^CREATE\\s+(?:OR\\s+REPLACE\\s+)?(TEMPORARY\\s+)?TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?${QUALIFIED}`, 'i').exec(sql))) {
    if (m[1]) return { kind: 'none', changes: [] };
    return { kind: 'tables', changes: [{ type: 'CREATE', ...qualified(m, 2, defaultDb) }] };
  }
  if ((m = new RegExp(`^ALTER\\s+(?:ONLINE\\s+)?(?:IGNORE\\s+)?TABLE\\s+(?:IF\\s+EXISTS\\s+)?${QUALIFIED}`, 'i').exec(sql))) {
    const from = qualified(m, 1, defaultDb);
    const r = new RegExp(`\\bRENAME\\s+(?:TO\\s+|AS\\s+)?${QUALIFIED}\\s*(?:,|;|$)`, 'i').exec(sql.slice(m[0].length));
    if (r && !/\bRENAME\s+(COLUMN|INDEX|KEY)\b/i.test(sql)) {
      const to = qualified(r, 1, from.database);
      return { kind: 'tables', changes: [{ type: 'DROP', ...from }, { type: 'CREATE', ...to, previous: from }] };
    }
    return { kind: 'tables', changes: [{ type: 'ALTER', ...from }] };
  }
  if ((m = /^DROP\s+(TEMPORARY\s+)?TABLES?\s+(?:IF\s+EXISTS\s+)?([\s\S]*)$/i.exec(sql))) {
    if (m[1]) return { kind: 'none', changes: [] };
    const names = m[2].replace(/\s+(RESTRICT|CASCADE)\s*$/i, '');
    return { kind: 'tables', changes: splitNames(names, defaultDb).map((n) => ({ type: 'DROP' as const, ...n })) };
  }
  if ((m = /^RENAME\s+TABLES?\s+([\s\S]*)$/i.exec(sql))) {
    const changes: DdlTableChange[] = [];
    const re = new RegExp(`${QUALIFIED}\\s+TO\\s+${QUALIFIED}`, 'gi');
    let x: RegExpExecArray | null;
    while ((x = re.exec(m[1]))) {
      const from = qualified(x, 1, defaultDb);
      const to = x[4] !== undefined ? { database: unquote(x[3]), table: unquote(x[4]) } : { database: defaultDb, table: unquote(x[3]) };
      changes.push({ type: 'DROP', ...from }, { type: 'CREATE', ...to, previous: from });
    }
    return { kind: 'tables', changes };
  }
  if ((m = new RegExp(`^TRUNCATE\\s+(?:TABLE\\s+)?${QUALIFIED}`, 'i').exec(sql))) {
    return { kind: 'truncate', changes: [{ type: 'ALTER', ...qualified(m, 1, defaultDb) }] };
  }
  if ((m = new RegExp(`^(?:CREATE|DROP)\\s+(?:ONLINE\\s+|OFFLINE\\s+)?(?:UNIQUE\\s+|FULLTEXT\\s+|SPATIAL\\s+)?INDEX\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?${NAME}\\s+ON\\s+${QUALIFIED}`, 'i').exec(sql))) {
    return { kind: 'tables', changes: [{ type: 'ALTER', ...qualified(m, 2, defaultDb) }] };
  }
  if ((m = new RegExp(`^(CREATE|DROP|ALTER)\\s+(?:DATABASE|SCHEMA)\\s+(?:IF\\s+(?:NOT\\s+)?EXISTS\\s+)?${NAME}`, 'i').exec(sql))) {
    return { kind: 'database', changes: [], database: unquote(m[2]) };
  }
  return { kind: 'none', changes: [] };
}

function splitNames(list: string, defaultDb: string): Array<{ database: string; table: string }> {
  const out: Array<{ database: string; table: string }> = [];
  const re = new RegExp(QUALIFIED, 'g');
  let x: RegExpExecArray | null;
  while ((x = re.exec(list))) out.push(qualified(x, 1, defaultDb));
  return out;
}

/** True when a QUERY event is transaction control rather than DDL. */
export function isTransactionControl(sql: string): boolean {
  return /^\s*(BEGIN|COMMIT|ROLLBACK|XA\s|SAVEPOINT|RELEASE\s+SAVEPOINT|ROLLBACK\s+TO)/i.test(sql);
}

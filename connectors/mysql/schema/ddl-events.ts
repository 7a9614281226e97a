/**
 * The schema change events Debezium's binlog connectors derive from one QUERY event's DDL
 * (BinlogDatabaseSchema.parseDdl over the listeners' DdlParserListener events), and which of them go
 * to the schema history and to the schema change topic under the `store.only.captured.*` keys
 * (parseDdl, skipSchemaChangeEvent, EventDispatcher.dispatchSchemaChangeEvent, applySchemaChange).
 */
import type { Filters } from '../filters.ts';
import type { DdlTableChange } from './ddl.ts';
import type { ParsedStatement } from './ddl/ast.ts';
import type { ApplyOutcome } from './ddl/schema-model.ts';

/** One Debezium schema change event of a statement. */
export interface DdlEvent {
  kind: 'table' | 'database' | 'truncate';
  /** The table's database, the database named, or the statement's default database. */
  database: string;
  /** The event's statement text (Debezium rewrites DROP TABLE per table, and a RENAME per clause). */
  ddl: string;
  /** Table and truncate events. */
  change?: DdlTableChange;
  /** A SET statement (Debezium's SetVariableEvent). */
  setVariable?: boolean;
  /** The whole query as one database event: Debezium's parser signalled nothing for it. */
  fallback?: boolean;
  /** `source.table` of the event (see sourceTableOf); null for database events of their own. */
  sourceTable?: string | null;
}

export interface HistoryScopeFlags {
  storeOnlyCapturedTables: boolean;
  storeOnlyCapturedDatabases: boolean;
}

const quoteId = (s: string) => `\`${s.replace(/`/g, '``')}\``;

/**
 * Debezium's events of a query: one per table a statement creates, alters, drops, renames or
 * truncates, one per database statement (CREATE/ALTER/DROP DATABASE, USE, SET); a query whose
 * statements produce none (CREATE INDEX, DROP INDEX, views, routines, sequences, grants …) is one
 * database event of the query's default database with the whole query.
 */
export function ddlEvents(
  query: string,
  defaultDb: string,
  parsed: Array<{ statement: ParsedStatement; outcome: ApplyOutcome; currentDb: string }>,
): DdlEvent[] {
  const single = parsed.length === 1;
  const events: DdlEvent[] = [];
  for (const { statement, outcome, currentDb } of parsed) {
    const ast = statement.ast;
    const text = single ? query : statement.text;
    switch (ast.kind) {
      case 'createDatabase':
      case 'dropDatabase':
        events.push({ kind: 'database', database: ast.name, ddl: text });
        break;
      case 'alterDatabase':
        events.push({ kind: 'database', database: ast.name ?? currentDb, ddl: text });
        break;
      case 'use':
        events.push({ kind: 'database', database: ast.database, ddl: text });
        break;
      case 'setCharset':
        events.push({ kind: 'database', database: currentDb, ddl: text, setVariable: true });
        break;
      case 'ignored':
        if (ast.what === 'SET' && !/^\s*SET\s+@(?!@)/i.test(statement.text))
          events.push({ kind: 'database', database: currentDb, ddl: text, setVariable: true });
        break;
      case 'truncateTable': {
        const t = outcome.truncated!;
        events.push({ kind: 'truncate', database: t.database, ddl: text, change: { type: 'ALTER', ...t } });
        break;
      }
      case 'dropTable': {
        if (ast.temporary) break;
        // Debezium's DropTableParserListener: the statement up to the table list, then each table qualified.
        const head =
          /^\s*DROP\s+(?:TEMPORARY\s+)?TABLES?\s+(?:IF\s+EXISTS\s+)?/i.exec(statement.text)?.[0] ?? 'DROP TABLE ';
        const tail = /\s(RESTRICT|CASCADE)\s*;?\s*$/i.exec(statement.text)?.[1];
        for (const n of ast.tables) {
          const database = n.database ?? currentDb;
          events.push({
            kind: 'table',
            database,
            ddl: `${head.trimStart()}${quoteId(database)}.${quoteId(n.name)}${tail ? ` ${tail}` : ''}`,
            change: { type: 'DROP', database, table: n.name },
          });
        }
        break;
      }
      case 'renameTable': {
        // One ALTER per clause: the statement's start and the clause ("RENAME TABLE c TO d"), as MariaDbAntlrDdlParser.
        const head = /^\s*RENAME\s+TABLES?\s+/i.exec(statement.text)?.[0].trimStart() ?? 'RENAME TABLE ';
        const clauses = renameClauses(statement.text).map((c) => head + c);
        for (const c of outcome.changes) {
          if (!c.previous) continue;
          const i = ast.pairs.findIndex(
            (p) =>
              (p.to.database ?? currentDb) === c.database &&
              p.to.name === c.table &&
              (p.from.database ?? currentDb) === c.previous!.database &&
              p.from.name === c.previous!.table,
          );
          events.push({
            kind: 'table',
            database: c.database,
            ddl: clauses[i] ?? text,
            change: { type: 'ALTER', database: c.database, table: c.table, previous: c.previous },
          });
        }
        break;
      }
      default:
        for (const c of outcome.changes) {
          // The DROP half of a rename (ALTER TABLE … RENAME TO) is folded into the ALTER that follows it.
          if (
            c.type === 'DROP' &&
            outcome.changes.some((x) => x.previous?.database === c.database && x.previous.table === c.table)
          )
            continue;
          const change: DdlTableChange = c.previous
            ? { type: 'ALTER', database: c.database, table: c.table, previous: c.previous }
            : { type: c.type, database: c.database, table: c.table };
          events.push({ kind: 'table', database: c.database, ddl: text, change });
        }
    }
  }
  // Debezium's handleDatabaseEvent sets the source's tables to {null}, which joins to "".
  if (events.length === 0)
    return [{ kind: 'database', database: defaultDb, ddl: query, fallback: true, sourceTable: '' }];
  // Debezium sets the source's tables once per run of events of one database (DdlChanges.getEventsByDatabase).
  for (let start = 0; start < events.length;) {
    let end = start;
    while (end < events.length && events[end].database === events[start].database) end++;
    const group = events.slice(start, end);
    const table = sourceTableOf(group.flatMap((e) => (e.change ? [e.change] : [])));
    for (const e of group) e.sourceTable = table;
    start = end;
  }
  return events;
}

/** The clauses of RENAME TABLE a TO b, c TO d (commas outside quotes), as written. */
function renameClauses(text: string): string[] {
  const body = text.replace(/^\s*RENAME\s+TABLES?\s+/i, '').replace(/\s*;?\s*$/, '');
  const out: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '`' || ch === '"' || ch === "'") quote = ch;
    else if (ch === ',') {
      out.push(body.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(body.slice(start).trim());
  return out;
}

/** What Debezium does with each event: written to the history, and/or sent to the schema change topic. */
export interface ScopedEvent {
  event: DdlEvent;
  /** Recorded in the schema history. */
  store: boolean;
}

/**
 * Debezium's scope rules for streamed DDL. With neither key set, every event is stored and sent.
 * `store.only.captured.databases.ddl` drops the events of other databases (skipSchemaChangeEvent).
 * `store.only.captured.tables.ddl` drops a query touching nothing captured, the events of other
 * databases and of tables not captured, and stores only global SETs and captured tables' events
 * (database events are still sent). TRUNCATE events pass the same gates; the reader turns them into
 * data events.
 */
export function scopeEvents(
  query: string,
  defaultDb: string,
  events: DdlEvent[],
  filters: Filters,
  scope: HistoryScopeFlags,
): ScopedEvent[] {
  const globalSet = defaultDb === '' && query.toUpperCase().startsWith('SET ');
  const tableIncluded = (c: DdlTableChange) => filters.tableIncluded(c.database, c.table);
  if (scope.storeOnlyCapturedTables && !globalSet) {
    const anyMatch = events.some((e) =>
      e.fallback
        ? false
        : e.kind !== 'database'
          ? tableIncluded(e.change!)
          : e.setVariable
            ? e.database === '' || filters.databaseIncluded(e.database)
            : filters.databaseIncluded(e.database),
    );
    if (!anyMatch) return [];
  }
  const out: ScopedEvent[] = [];
  for (const e of events) {
    if (scope.storeOnlyCapturedTables && e.database !== '' && !filters.databaseIncluded(e.database)) continue;
    if (scope.storeOnlyCapturedDatabases && e.database !== '' && !filters.databaseIncluded(e.database)) continue;
    if (e.change && scope.storeOnlyCapturedTables && !tableIncluded(e.change)) continue;
    const store =
      !scope.storeOnlyCapturedTables ||
      (e.database === '' && e.ddl.toUpperCase().startsWith('SET ')) ||
      (e.kind === 'table' && tableIncluded(e.change!));
    out.push({ event: e, store });
  }
  return out;
}

/**
 * The `source.table` of a group of events: Debezium joins the ids of the group's tables, held in a
 * java.util.HashSet, in that set's iteration order (bucket of String.hashCode of "db.table", then
 * insertion order).
 */
export function sourceTableOf(ids: Array<{ database: string; table: string }>): string | null {
  const unique: Array<{ database: string; table: string; key: string }> = [];
  for (const id of ids) {
    const key = id.database ? `${id.database}.${id.table}` : id.table;
    if (!unique.some((u) => u.key === key)) unique.push({ ...id, key });
  }
  if (unique.length === 0) return null;
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  const bucket = (s: string) => {
    const h = javaStringHash(s);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return unique
    .map((u, i) => ({ u, i, b: bucket(u.key) }))
    .sort((a, b) => a.b - b.b || a.i - b.i)
    .map((x) => x.u.table)
    .join(',');
}

function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

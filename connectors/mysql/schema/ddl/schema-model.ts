/**
 * The in-memory structure of every tracked table, changed only by applying parsed DDL (as
 * Debezium's MySqlAntlrDdlParser listeners edit its Tables): column order and positions, types,
 * NOT NULL, defaults, primary key (else the first unique key of NOT NULL columns), charsets
 * (column → table → database → server), comments.
 */
import type { ColumnDefinition, TableDefinition } from '../table-definition.ts';
import { tableKey } from '../table-definition.ts';
import type { AlterAction, ColumnPosition, ColumnSpec, DdlAst, QualifiedName, TableElement } from './ast.ts';
import {
  charsetOfCollation,
  columnFromSpec,
  convertedTextType,
  debeziumDefault,
  defaultText,
  normalizeCharset,
  STRING_TYPES,
} from './column-type.ts';

export type TableChangeKind = 'CREATE' | 'ALTER' | 'DROP';

export interface ModelChange {
  type: TableChangeKind;
  database: string;
  table: string;
  previous?: { database: string; table: string };
}

export interface ApplyOutcome {
  /** Table changes, in statement order (a rename is DROP old + CREATE new with `previous`). */
  changes: ModelChange[];
  /** Set for CREATE/ALTER/DROP DATABASE. */
  database?: { action: 'create' | 'alter' | 'drop'; name: string };
  /** Set for TRUNCATE TABLE. */
  truncated?: { database: string; table: string };
}

export class SchemaModel {
  readonly databaseCharsets = new Map<string, string>();
  serverCharset: string | null = null;
  currentDatabase = '';

  constructor(readonly tables: Map<string, TableDefinition> = new Map()) {}

  private qualify(n: QualifiedName): { database: string; table: string } {
    return { database: n.database ?? this.currentDatabase, table: n.name };
  }

  private databaseCharset(db: string): string | null {
    return this.databaseCharsets.get(db) ?? this.serverCharset;
  }

  apply(ast: DdlAst): ApplyOutcome {
    switch (ast.kind) {
      case 'createTable':
        return this.createTable(ast);
      case 'alterTable':
        return this.alterTable(ast.table, ast.actions);
      case 'dropTable': {
        if (ast.temporary) return { changes: [] };
        const changes: ModelChange[] = [];
        for (const n of ast.tables) {
          const id = this.qualify(n);
          if (this.tables.delete(tableKey(id.database, id.table))) changes.push({ type: 'DROP', ...id });
        }
        return { changes };
      }
      case 'renameTable': {
        const changes: ModelChange[] = [];
        for (const p of ast.pairs) changes.push(...this.rename(this.qualify(p.from), this.qualify(p.to)));
        return { changes };
      }
      case 'truncateTable':
        return { changes: [], truncated: this.qualify(ast.table) };
      case 'createIndex': {
        const id = this.qualify(ast.table);
        const t = this.tables.get(tableKey(id.database, id.table));
        if (!t || !ast.unique) return { changes: [] };
        const copy = structuredClone(t);
        if (!this.uniqueAsKey(copy, ast.columns)) return { changes: [] };
        this.tables.set(tableKey(id.database, id.table), copy);
        return { changes: [{ type: 'ALTER', ...id }] };
      }
      case 'dropIndex':
        return { changes: [] };
      case 'createDatabase': {
        const cs = ast.charset
          ? normalizeCharset(ast.charset)
          : ast.collation
            ? charsetOfCollation(ast.collation)
            : this.serverCharset;
        if (cs && (!this.databaseCharsets.has(ast.name) || !ast.ifNotExists)) this.databaseCharsets.set(ast.name, cs);
        return { changes: [], database: { action: 'create', name: ast.name } };
      }
      case 'alterDatabase': {
        const name = ast.name ?? this.currentDatabase;
        const cs = ast.charset
          ? normalizeCharset(ast.charset)
          : ast.collation
            ? charsetOfCollation(ast.collation)
            : null;
        if (cs) this.databaseCharsets.set(name, cs);
        return { changes: [], database: { action: 'alter', name } };
      }
      case 'dropDatabase': {
        const changes: ModelChange[] = [];
        for (const [k, t] of [...this.tables])
          if (t.database === ast.name) {
            this.tables.delete(k);
            changes.push({ type: 'DROP', database: t.database, table: t.name });
          }
        this.databaseCharsets.delete(ast.name);
        return { changes, database: { action: 'drop', name: ast.name } };
      }
      case 'use':
        this.currentDatabase = ast.database;
        return { changes: [] };
      case 'setCharset':
        if (ast.variable === 'character_set_server' && ast.value !== 'default')
          this.serverCharset = normalizeCharset(ast.value);
        if (ast.variable === 'collation_server' && ast.value !== 'default')
          this.serverCharset = charsetOfCollation(ast.value);
        if (ast.variable === 'character_set_database' && ast.value !== 'default' && this.currentDatabase)
          this.databaseCharsets.set(this.currentDatabase, normalizeCharset(ast.value));
        return { changes: [] };
      case 'sequence':
      case 'ignored':
        return { changes: [] };
    }
  }

  private createTable(ast: Extract<DdlAst, { kind: 'createTable' }>): ApplyOutcome {
    if (ast.temporary) return { changes: [] };
    const id = this.qualify(ast.table);
    const key = tableKey(id.database, id.table);
    if (ast.ifNotExists && this.tables.has(key)) return { changes: [] };
    if (ast.like) {
      const src = this.tables.get(tableKey(this.qualify(ast.like).database, ast.like.name));
      if (!src) return { changes: [] };
      this.tables.set(key, { ...structuredClone(src), database: id.database, name: id.table });
      return { changes: [{ type: 'CREATE', ...id }] };
    }
    const defaultCharset = ast.options.charset
      ? normalizeCharset(ast.options.charset)
      : ast.options.collation
        ? charsetOfCollation(ast.options.collation)
        : this.databaseCharset(id.database);
    const t: TableDefinition = {
      database: id.database,
      name: id.table,
      columns: [],
      primaryKey: [],
      defaultCharset,
      comment: ast.options.comment ?? null,
    };
    const uniques: string[][] = [];
    for (const el of ast.elements) this.addElement(t, el, uniques);
    if (t.primaryKey.length === 0) for (const u of uniques) if (this.uniqueAsKey(t, u)) break;
    // CREATE … SELECT adds the selected columns, which only the server knows: the columns declared here are kept.
    this.tables.set(key, t);
    return { changes: [{ type: 'CREATE', ...id }] };
  }

  private addElement(t: TableDefinition, el: TableElement, uniques: string[][]): void {
    if (el.kind === 'column') {
      t.columns.push(columnFromSpec(el.column, t.columns.length + 1, t.defaultCharset));
      if (el.column.primaryKey) this.setPrimaryKey(t, [el.column.name]);
      if (el.column.unique || el.column.serial) uniques.push([el.column.name]);
    } else if (el.kind === 'primary') this.setPrimaryKey(t, el.columns);
    else if (el.kind === 'unique') uniques.push(el.columns);
    else if (el.kind === 'jsonCheck') {
      const c = t.columns.find((x) => x.name.toLowerCase() === el.column.toLowerCase());
      if (c) c.json = true;
    }
  }

  private setPrimaryKey(t: TableDefinition, names: string[]): void {
    t.primaryKey = names.map((n) => t.columns.find((c) => c.name.toLowerCase() === n.toLowerCase())?.name ?? n);
    for (const c of t.columns) {
      if (!t.primaryKey.includes(c.name)) continue;
      c.nullable = false;
      // Debezium drops the implicit NULL default of a column that becomes part of the key.
      if (c.debezium && c.debezium.defaultValueExpression === null) c.debezium.hasDefaultValue = false;
    }
  }

  /** Debezium keys a table without primary key by its first unique key whose columns are all NOT NULL. */
  private uniqueAsKey(t: TableDefinition, names: string[]): boolean {
    if (t.primaryKey.length > 0) return false;
    const cols = names.map((n) => t.columns.find((c) => c.name.toLowerCase() === n.toLowerCase()));
    if (cols.length === 0 || cols.some((c) => !c || c.nullable)) return false;
    t.primaryKey = cols.map((c) => c!.name);
    return true;
  }

  private rename(from: { database: string; table: string }, to: { database: string; table: string }): ModelChange[] {
    const t = this.tables.get(tableKey(from.database, from.table));
    if (!t) return [];
    this.tables.delete(tableKey(from.database, from.table));
    this.tables.set(tableKey(to.database, to.table), { ...t, database: to.database, name: to.table });
    return [
      { type: 'DROP', ...from },
      { type: 'CREATE', ...to, previous: from },
    ];
  }

  private alterTable(name: QualifiedName, actions: AlterAction[]): ApplyOutcome {
    const id = this.qualify(name);
    const key = tableKey(id.database, id.table);
    const current = this.tables.get(key);
    if (!current) return { changes: [] };
    // A changed table is a new object: holders of the old one (snapshot chunks, caches) see the change.
    const t = structuredClone(current);
    this.tables.set(key, t);
    const uniques: string[][] = [];
    let renameTo: { database: string; table: string } | null = null;
    for (const a of actions) {
      switch (a.op) {
        case 'addColumns':
          for (const spec of a.columns) {
            if (a.ifNotExists && this.column(t, spec.name)) continue;
            this.place(t, columnFromSpec(spec, 0, t.defaultCharset), a.position);
            if (spec.primaryKey) this.setPrimaryKey(t, [spec.name]);
            if (spec.unique) uniques.push([spec.name]);
          }
          break;
        case 'dropColumn': {
          const c = this.column(t, a.name);
          if (!c) break;
          t.columns = t.columns.filter((x) => x !== c);
          t.primaryKey = t.primaryKey.filter((k) => k !== c.name);
          break;
        }
        case 'modifyColumn':
        case 'changeColumn': {
          const old = this.column(t, a.op === 'changeColumn' ? a.oldName : a.column.name);
          if (!old) break;
          const next = columnFromSpec(a.column, 0, t.defaultCharset);
          if (t.primaryKey.includes(old.name)) next.nullable = false;
          t.primaryKey = t.primaryKey.map((k) => (k === old.name ? next.name : k));
          const at = t.columns.indexOf(old);
          t.columns[at] = next;
          if (a.position) {
            t.columns.splice(at, 1);
            this.place(t, next, a.position);
          }
          if (a.column.primaryKey) this.setPrimaryKey(t, [next.name]);
          if (a.column.unique) uniques.push([next.name]);
          break;
        }
        case 'renameColumn': {
          const c = this.column(t, a.from);
          if (!c) break;
          t.primaryKey = t.primaryKey.map((k) => (k === c.name ? a.to : k));
          c.name = a.to;
          break;
        }
        case 'setDefault': {
          const c = this.column(t, a.name);
          if (c) {
            c.defaultValue = defaultText(a.default, c.dataType);
            if (c.debezium)
              Object.assign(
                c.debezium,
                a.default
                  ? debeziumDefault(a.default, c)
                  : { hasDefaultValue: c.nullable, defaultValueExpression: null },
              );
          }
          break;
        }
        case 'addPrimaryKey':
          this.setPrimaryKey(t, a.columns);
          break;
        case 'dropPrimaryKey':
          t.primaryKey = [];
          break;
        case 'addUnique':
          uniques.push(a.columns);
          break;
        case 'renameTable':
          renameTo = this.qualify(a.to);
          break;
        case 'convertCharset': {
          const cs =
            a.charset && a.charset !== 'default'
              ? normalizeCharset(a.charset)
              : a.collation
                ? charsetOfCollation(a.collation)
                : this.databaseCharset(t.database);
          t.defaultCharset = cs;
          for (const c of t.columns) {
            if (!STRING_TYPES.has(c.dataType) || c.json) continue;
            if (cs) {
              c.dataType = convertedTextType(c.dataType, c.charset, cs);
              if (/text$/.test(c.columnType)) c.columnType = c.dataType;
            }
            c.charset = cs;
            if (c.debezium) c.debezium.charsetName = cs;
          }
          break;
        }
        case 'options':
          if (a.options.charset)
            t.defaultCharset =
              a.options.charset === 'default' ? this.databaseCharset(t.database) : normalizeCharset(a.options.charset);
          else if (a.options.collation) t.defaultCharset = charsetOfCollation(a.options.collation);
          if (a.options.comment !== undefined) t.comment = a.options.comment;
          break;
        case 'other':
          break;
      }
    }
    for (const u of uniques) if (this.uniqueAsKey(t, u)) break;
    t.columns.forEach((c, i) => {
      c.position = i + 1;
    });
    if (renameTo && (renameTo.database !== id.database || renameTo.table !== id.table))
      return { changes: this.rename(id, renameTo) };
    return { changes: [{ type: 'ALTER', ...id }] };
  }

  private column(t: TableDefinition, name: string): ColumnDefinition | undefined {
    return t.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
  }

  private place(t: TableDefinition, c: ColumnDefinition, position: ColumnPosition): void {
    if (position && 'first' in position) t.columns.unshift(c);
    else if (position && 'after' in position) {
      const at = t.columns.findIndex((x) => x.name.toLowerCase() === position.after.toLowerCase());
      t.columns.splice(at < 0 ? t.columns.length : at + 1, 0, c);
    } else t.columns.push(c);
    t.columns.forEach((x, i) => {
      x.position = i + 1;
    });
  }
}

export type { ColumnSpec };

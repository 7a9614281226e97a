/**
 * Recursive-descent parser for the MySQL/MariaDB statements that change table structure (CREATE/
 * ALTER/DROP/RENAME/TRUNCATE TABLE, CREATE/DROP INDEX, databases, USE, SET character sets,
 * sequences). Statements that cannot change a structure (GRANT, views, routines, …) are recognised
 * by their first words and returned as `ignored`; anything else is a DdlSyntaxError with the offset.
 * Index, foreign-key, check, partition and most table options are parsed only as far as needed to
 * skip them safely.
 */
import type { DdlAst, QualifiedName, ParsedStatement } from './ast.ts';
import { AlterParser } from './alter-parser.ts';
import { type Token, tokenize } from './tokenizer.ts';

/** First words of statements that never change a table's structure. */
const IGNORED_STARTS = [
  'GRANT',
  'REVOKE',
  'FLUSH',
  'ANALYZE',
  'OPTIMIZE',
  'REPAIR',
  'CHECK',
  'CHECKSUM',
  'INSTALL',
  'UNINSTALL',
  'SAVEPOINT',
  'RELEASE',
  'XA',
  'BEGIN',
  'START',
  'COMMIT',
  'ROLLBACK',
  'INSERT',
  'UPDATE',
  'DELETE',
  'REPLACE',
  'CALL',
  'DO',
  'LOCK',
  'UNLOCK',
  'RESET',
  'PURGE',
  'KILL',
  'LOAD',
  'SELECT',
  'HANDLER',
  'PREPARE',
  'EXECUTE',
  'DEALLOCATE',
  'SHOW',
  'DESCRIBE',
  'DESC',
  'EXPLAIN',
  'HELP',
  'SHUTDOWN',
  'BINLOG',
  'CACHE',
  'WITH',
  'VALUES',
  'TABLE',
];
/** Objects after CREATE/ALTER/DROP that are not tables or databases. */
const IGNORED_OBJECTS = [
  'USER',
  'ROLE',
  'VIEW',
  'PROCEDURE',
  'FUNCTION',
  'TRIGGER',
  'EVENT',
  'SERVER',
  'LOGFILE',
  'TABLESPACE',
  'PACKAGE',
  'AGGREGATE',
  'RESOURCE',
  'SPATIAL',
];

/** Parses a DDL text (one or more statements separated by `;`). */
export function parseDdl(sql: string): ParsedStatement[] {
  const tokens = tokenize(sql);
  const out: ParsedStatement[] = [];
  let start = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (
      i === tokens.length ||
      (tokens[i].kind === 'punct' && tokens[i].text === ';' && !insideCompound(tokens, start, i))
    ) {
      if (i > start) {
        const slice = tokens.slice(start, i);
        const p = new Parser(slice, sql);
        out.push({ ast: p.statement(), text: sql.slice(slice[0].pos, slice[slice.length - 1].end), pos: slice[0].pos });
      }
      start = i + 1;
    }
  }
  return out;
}

/** Routines and triggers have `;` inside BEGIN … END: they are never split. */
function insideCompound(tokens: Token[], start: number, i: number): boolean {
  const first = tokens[start];
  if (!first || !/^(CREATE|ALTER)$/i.test(first.text)) return false;
  for (let j = start + 1; j < Math.min(i, start + 8); j++)
    if (/^(PROCEDURE|FUNCTION|TRIGGER|EVENT|PACKAGE)$/i.test(tokens[j].text) && tokens[j].kind === 'word') return true;
  return false;
}

class Parser extends AlterParser {
  statement(): DdlAst {
    const first = this.peek()!;
    const w = first.kind === 'word' ? first.text.toUpperCase() : '';
    if (w === 'CREATE') return this.create();
    if (w === 'ALTER') return this.alter();
    if (w === 'DROP') return this.drop();
    if (w === 'RENAME') return this.rename();
    if (w === 'TRUNCATE') {
      this.i++;
      this.accept('TABLE');
      const table = this.qualifiedName();
      return { kind: 'truncateTable', table };
    }
    if (w === 'USE') {
      this.i++;
      return { kind: 'use', database: this.identifier() };
    }
    if (w === 'SET') return this.set();
    if (IGNORED_STARTS.includes(w)) return { kind: 'ignored', what: w };
    this.fail('a DDL statement');
  }

  private set(): DdlAst {
    this.i++;
    this.acceptOneOf('SESSION', 'GLOBAL', 'LOCAL');
    if (this.accept('NAMES')) return { kind: 'setCharset', variable: 'names', value: this.identifierOrDefault() };
    if (this.accept('CHARACTER', 'SET') || this.accept('CHARSET'))
      return { kind: 'setCharset', variable: 'character_set_client', value: this.identifierOrDefault() };
    // SET var = value [, …]: only the character_set_* / collation_* variables matter.
    let last: DdlAst = { kind: 'ignored', what: 'SET' };
    while (!this.atEnd()) {
      const tok = this.peek()!;
      let name = tok.text.toLowerCase();
      this.i++;
      if (tok.kind === 'variable') name = name.replace(/^@@(session\.|global\.|local\.)?/, '');
      if (this.acceptPunct('.')) name = this.identifier().toLowerCase();
      if (!this.acceptPunct('=') && !this.acceptPunct(':=')) {
        this.skipToSeparator();
        this.acceptPunct(',');
        continue;
      }
      const valueTok = this.peek();
      if (/^(character_set_|collation_)/.test(name) && valueTok && valueTok.kind !== 'punct') {
        this.i++;
        if (this.atEnd() || this.isPunct(',')) last = { kind: 'setCharset', variable: name, value: valueTok.text };
      }
      this.skipToSeparator();
      if (!this.acceptPunct(',')) break;
    }
    return last;
  }

  private create(): DdlAst {
    this.i++;
    const orReplace = this.accept('OR', 'REPLACE');
    if (this.accept('DEFINER')) this.skipDefiner();
    this.acceptOneOf('ONLINE', 'OFFLINE');
    const temporary = this.accept('TEMPORARY');
    if (this.accept('TABLE')) return this.createTable(temporary, orReplace);
    if (this.accept('DATABASE') || this.accept('SCHEMA')) {
      const ifNotExists = this.accept('IF', 'NOT', 'EXISTS');
      const name = this.identifier();
      const { charset, collation } = this.databaseOptions();
      return { kind: 'createDatabase', name, ifNotExists, orReplace, charset, collation };
    }
    if (this.accept('SEQUENCE')) {
      this.accept('IF', 'NOT', 'EXISTS');
      return { kind: 'sequence', action: 'create', names: [this.qualifiedName()] };
    }
    const unique = this.accept('UNIQUE');
    this.acceptOneOf('FULLTEXT', 'SPATIAL');
    if (this.accept('INDEX') || this.accept('KEY')) {
      this.accept('IF', 'NOT', 'EXISTS');
      this.identifier();
      if (this.accept('USING')) this.identifier();
      this.expect('ON');
      const table = this.qualifiedName();
      const columns = this.indexColumns();
      return { kind: 'createIndex', table, unique, columns };
    }
    return this.ignoredObject();
  }

  protected skipDefiner(): boolean {
    this.acceptPunct('=');
    if (this.accept('CURRENT_USER')) {
      if (this.isPunct('(')) this.skipGroup();
      return true;
    }
    this.identifier();
    if (this.peek()?.kind === 'variable') this.i++; // user@host tokenizes the host as a variable
    return true;
  }

  protected ignoredObject(): DdlAst {
    while (!this.atEnd() && this.peek()!.kind === 'word') {
      const w = this.peek()!.text.toUpperCase();
      if (IGNORED_OBJECTS.includes(w)) return { kind: 'ignored', what: w };
      if (
        [
          'ALGORITHM',
          'SQL',
          'SECURITY',
          'DEFINER',
          'UNDEFINED',
          'MERGE',
          'TEMPTABLE',
          'INVOKER',
          'NONSEMANTIC',
          'DEFINITION',
        ].includes(w) ||
        this.isPunct('=', 1)
      ) {
        this.i++;
        if (this.acceptPunct('=')) {
          this.i++;
          if (this.peek()?.kind === 'variable') this.i++;
        }
        continue;
      }
      break;
    }
    this.fail('TABLE, DATABASE, INDEX or another object type');
  }

  protected databaseOptions(): { charset: string | null; collation: string | null } {
    let charset: string | null = null;
    let collation: string | null = null;
    while (!this.atEnd()) {
      this.accept('DEFAULT');
      if (this.accept('CHARACTER', 'SET') || this.accept('CHARSET')) {
        this.acceptPunct('=');
        charset = this.identifierOrDefault();
      } else if (this.accept('COLLATE')) {
        this.acceptPunct('=');
        collation = this.identifierOrDefault();
      } else if (this.accept('COMMENT')) {
        this.acceptPunct('=');
        this.i++;
      } else if (this.accept('ENCRYPTION') || this.accept('READ', 'ONLY')) {
        this.acceptPunct('=');
        this.i++;
      } else this.fail('a database option');
    }
    return { charset, collation };
  }

  private drop(): DdlAst {
    this.i++;
    const temporary = this.accept('TEMPORARY');
    if (this.accept('TABLE') || this.accept('TABLES')) {
      const ifExists = this.accept('IF', 'EXISTS');
      const tables: QualifiedName[] = [];
      do tables.push(this.qualifiedName());
      while (this.acceptPunct(','));
      if (this.accept('WAIT')) this.i++;
      else this.accept('NOWAIT');
      this.acceptOneOf('RESTRICT', 'CASCADE');
      return { kind: 'dropTable', tables, temporary, ifExists };
    }
    if (this.accept('DATABASE') || this.accept('SCHEMA')) {
      const ifExists = this.accept('IF', 'EXISTS');
      return { kind: 'dropDatabase', name: this.identifier(), ifExists };
    }
    if (this.accept('SEQUENCE')) {
      this.accept('IF', 'EXISTS');
      const names: QualifiedName[] = [];
      do names.push(this.qualifiedName());
      while (this.acceptPunct(','));
      return { kind: 'sequence', action: 'drop', names };
    }
    this.acceptOneOf('ONLINE', 'OFFLINE');
    if (this.accept('INDEX') || this.accept('KEY')) {
      this.accept('IF', 'EXISTS');
      this.identifier();
      this.expect('ON');
      return { kind: 'dropIndex', table: this.qualifiedName() };
    }
    return this.ignoredObject();
  }

  private rename(): DdlAst {
    this.i++;
    if (this.accept('USER')) return { kind: 'ignored', what: 'RENAME USER' };
    if (!this.accept('TABLE') && !this.accept('TABLES')) this.fail('TABLE');
    const pairs: Array<{ from: QualifiedName; to: QualifiedName }> = [];
    do {
      this.accept('IF', 'EXISTS');
      const from = this.qualifiedName();
      if (this.accept('WAIT')) this.i++;
      else this.accept('NOWAIT');
      this.expect('TO');
      pairs.push({ from, to: this.qualifiedName() });
    } while (this.acceptPunct(','));
    return { kind: 'renameTable', pairs };
  }
}

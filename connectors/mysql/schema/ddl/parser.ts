/**
 * Recursive-descent parser for the MySQL/MariaDB statements that change table structure (CREATE/
 * ALTER/DROP/RENAME/TRUNCATE TABLE, CREATE/DROP INDEX, databases, USE, SET character sets,
 * sequences). Statements that cannot change a structure (GRANT, views, routines, …) are recognised
 * by their first words and returned as `ignored`; anything else is a DdlSyntaxError with the offset.
 * Index, foreign-key, check, partition and most table options are parsed only as far as needed to
 * skip them safely.
 */
import type {
  AlterAction,
  ColumnPosition,
  ColumnSpec,
  DdlAst,
  ParsedStatement,
  QualifiedName,
  TableElement,
  TableOptions,
} from './ast.ts';
import { ColumnParser, jsonValidOf } from './column-parser.ts';
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

class Parser extends ColumnParser {
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

  private skipDefiner(): boolean {
    this.acceptPunct('=');
    if (this.accept('CURRENT_USER')) {
      if (this.isPunct('(')) this.skipGroup();
      return true;
    }
    this.identifier();
    if (this.peek()?.kind === 'variable') this.i++; // user@host tokenizes the host as a variable
    return true;
  }

  private ignoredObject(): DdlAst {
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

  private databaseOptions(): { charset: string | null; collation: string | null } {
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

  private createTable(temporary: boolean, orReplace: boolean): DdlAst {
    const ifNotExists = this.accept('IF', 'NOT', 'EXISTS');
    const table = this.qualifiedName();
    if (this.accept('LIKE'))
      return {
        kind: 'createTable',
        table,
        temporary,
        ifNotExists,
        orReplace,
        elements: [],
        options: {},
        like: this.qualifiedName(),
        asSelect: false,
      };
    if (this.isPunct('(') && this.isWord('LIKE', 1)) {
      this.i += 2;
      const like = this.qualifiedName();
      this.expectPunct(')');
      return {
        kind: 'createTable',
        table,
        temporary,
        ifNotExists,
        orReplace,
        elements: [],
        options: {},
        like,
        asSelect: false,
      };
    }
    const elements: TableElement[] = [];
    if (this.isPunct('(') && !this.isWord('SELECT', 1) && !this.isWord('WITH', 1)) {
      this.i++;
      do elements.push(this.tableElement());
      while (this.acceptPunct(','));
      this.expectPunct(')');
    }
    const options = this.tableOptions(true);
    let asSelect = false;
    if (!this.atEnd()) {
      this.acceptOneOf('IGNORE', 'REPLACE');
      this.accept('AS');
      if (
        this.isWord('SELECT') ||
        this.isWord('WITH') ||
        this.isWord('TABLE') ||
        this.isWord('VALUES') ||
        this.isPunct('(')
      ) {
        asSelect = true;
        this.i = this.t.length;
      } else this.fail('a table option, PARTITION or SELECT');
    }
    return { kind: 'createTable', table, temporary, ifNotExists, orReplace, elements, options, like: null, asSelect };
  }

  private tableElement(): TableElement {
    if (this.accept('CONSTRAINT')) {
      if (!this.isWord('PRIMARY') && !this.isWord('UNIQUE') && !this.isWord('FOREIGN') && !this.isWord('CHECK'))
        this.identifier();
    }
    if (this.accept('PRIMARY', 'KEY')) {
      this.indexNameAndType();
      const columns = this.indexColumns();
      this.skipToSeparator();
      return { kind: 'primary', columns };
    }
    if (this.accept('UNIQUE')) {
      this.acceptOneOf('KEY', 'INDEX');
      this.indexNameAndType();
      const columns = this.indexColumns();
      this.skipToSeparator();
      return { kind: 'unique', columns };
    }
    if (this.accept('CHECK')) {
      const column = jsonValidOf(this.skipGroup());
      this.skipToSeparator();
      return column ? { kind: 'jsonCheck', column } : { kind: 'other' };
    }
    if (
      this.isWord('KEY') ||
      this.isWord('INDEX') ||
      this.isWord('FULLTEXT') ||
      this.isWord('SPATIAL') ||
      this.isWord('FOREIGN') ||
      this.isWord('CHECK') ||
      this.isWord('PERIOD')
    ) {
      // A column may be named like these keywords only when quoted; unquoted they start a constraint.
      this.skipToSeparator();
      return { kind: 'other' };
    }
    return { kind: 'column', column: this.columnDefinition() };
  }

  private indexNameAndType(): void {
    if (!this.isPunct('(') && !this.isWord('USING')) this.identifier();
    if (this.accept('USING')) this.identifier();
  }

  private indexColumns(): string[] {
    this.expectPunct('(');
    const cols: string[] = [];
    do {
      if (this.isPunct('(')) {
        this.skipGroup();
        cols.push('');
      } else {
        cols.push(this.identifier());
        if (this.isPunct('(')) this.skipGroup();
      }
      this.acceptOneOf('ASC', 'DESC');
    } while (this.acceptPunct(','));
    this.expectPunct(')');
    return cols.filter((c) => c !== '');
  }

  private tableOptions(stopAtSelect: boolean, single = false): TableOptions {
    const o: TableOptions = {};
    for (let n = 0; ; n++) {
      if (single && n > 0) return o;
      if (!single) this.acceptPunct(',');
      if (single && (this.atEnd() || this.isPunct(','))) return o;
      if (
        this.atEnd() ||
        (stopAtSelect &&
          (this.isWord('AS') ||
            this.isWord('SELECT') ||
            this.isWord('IGNORE') ||
            this.isWord('REPLACE') ||
            this.isWord('WITH') ||
            this.isPunct('(')))
      )
        return o;
      this.accept('DEFAULT');
      if (this.accept('CHARACTER', 'SET') || this.accept('CHARSET')) {
        this.acceptPunct('=');
        o.charset = this.identifierOrDefault();
        continue;
      }
      if (this.accept('COLLATE')) {
        this.acceptPunct('=');
        o.collation = this.identifierOrDefault();
        continue;
      }
      if (this.accept('COMMENT')) {
        this.acceptPunct('=');
        o.comment = this.stringLiteral();
        continue;
      }
      if (this.accept('PARTITION', 'BY') || this.accept('REMOVE', 'PARTITIONING')) {
        this.skipPartitioning();
        continue;
      }
      if (this.accept('UNION')) {
        this.acceptPunct('=');
        this.skipGroup();
        continue;
      }
      if (this.accept('WITH', 'SYSTEM', 'VERSIONING')) continue;
      if (this.accept('DATA', 'DIRECTORY') || this.accept('INDEX', 'DIRECTORY')) {
        this.acceptPunct('=');
        this.stringLiteral();
        continue;
      }
      if (
        this.accept('STATS_AUTO_RECALC') ||
        this.accept('STATS_PERSISTENT') ||
        this.accept('STATS_SAMPLE_PAGES') ||
        this.accept('PACK_KEYS')
      ) {
        this.acceptPunct('=');
        this.i++;
        continue;
      }
      const tok = this.peek()!;
      if (tok.kind === 'word' && isTableOptionWord(tok.text)) {
        this.i++;
        if (this.acceptPunct('=')) {
          if (this.isPunct('(')) this.skipGroup();
          else this.i++;
          continue;
        }
        // Options written without '=' take exactly one value (ENGINE InnoDB, ROW_FORMAT DYNAMIC, TABLESPACE ts STORAGE DISK).
        const v = this.peek();
        if (
          v &&
          (v.kind === 'word' || v.kind === 'number' || v.kind === 'string' || v.kind === 'quoted') &&
          !isTableOptionWord(v.text)
        )
          this.i++;
        continue;
      }
      this.fail('a table option');
    }
  }

  private skipPartitioning(): void {
    // PARTITION BY … [PARTITIONS n] [SUBPARTITION BY …] [(partition definitions)]: skipped to the end or a following option.
    while (!this.atEnd()) {
      if (this.isPunct('(')) {
        this.skipGroup();
        continue;
      }
      if (this.isPunct(',')) return;
      this.i++;
    }
  }

  private alter(): DdlAst {
    this.i++;
    this.acceptOneOf('ONLINE', 'OFFLINE');
    this.accept('IGNORE');
    if (this.accept('TABLE')) {
      const ifExists = this.accept('IF', 'EXISTS');
      const table = this.qualifiedName();
      const actions: AlterAction[] = [];
      if (!this.atEnd()) {
        do actions.push(this.alterAction());
        while (this.acceptPunct(','));
      }
      if (!this.atEnd()) this.fail("',' or the end of the statement");
      return { kind: 'alterTable', table, ifExists, actions };
    }
    if (this.accept('DATABASE') || this.accept('SCHEMA')) {
      let name: string | null = null;
      if (
        !this.isWord('DEFAULT') &&
        !this.isWord('CHARACTER') &&
        !this.isWord('CHARSET') &&
        !this.isWord('COLLATE') &&
        !this.isWord('UPGRADE') &&
        !this.isWord('COMMENT')
      )
        name = this.identifier();
      if (this.accept('UPGRADE')) return { kind: 'ignored', what: 'ALTER DATABASE UPGRADE' };
      const { charset, collation } = this.databaseOptions();
      return { kind: 'alterDatabase', name, charset, collation };
    }
    if (this.accept('SEQUENCE')) {
      this.accept('IF', 'EXISTS');
      return { kind: 'sequence', action: 'alter', names: [this.qualifiedName()] };
    }
    if (this.accept('DEFINER')) this.skipDefiner();
    return this.ignoredObject();
  }

  private position(): ColumnPosition {
    if (this.accept('FIRST')) return { first: true };
    if (this.accept('AFTER')) return { after: this.identifier() };
    return null;
  }

  private alterAction(): AlterAction {
    if (this.accept('ADD')) {
      if (this.accept('COLUMN')) return this.addColumns();
      if (this.accept('CONSTRAINT')) {
        this.accept('IF', 'NOT', 'EXISTS');
        if (!CONSTRAINT_WORDS.some((w) => this.isWord(w))) this.identifier();
      }
      if (this.accept('PRIMARY', 'KEY')) {
        this.accept('IF', 'NOT', 'EXISTS');
        this.indexNameAndType();
        const columns = this.indexColumns();
        this.skipToSeparator();
        return { op: 'addPrimaryKey', columns };
      }
      if (this.accept('UNIQUE')) {
        this.acceptOneOf('KEY', 'INDEX');
        this.accept('IF', 'NOT', 'EXISTS');
        this.indexNameAndType();
        const columns = this.indexColumns();
        this.skipToSeparator();
        return { op: 'addUnique', columns };
      }
      if (CONSTRAINT_WORDS.some((w) => this.isWord(w))) {
        this.skipToSeparator();
        return { op: 'other' };
      }
      if (this.accept('PARTITION')) {
        this.skipToSeparator();
        return { op: 'other' };
      }
      return this.addColumns();
    }
    if (this.accept('DROP')) {
      if (this.accept('PRIMARY', 'KEY')) return { op: 'dropPrimaryKey' };
      if (
        this.accept('INDEX') ||
        this.accept('KEY') ||
        this.accept('FOREIGN', 'KEY') ||
        this.accept('CHECK') ||
        this.accept('CONSTRAINT') ||
        this.accept('PARTITION') ||
        this.accept('SYSTEM', 'VERSIONING') ||
        this.accept('PERIOD')
      ) {
        this.skipToSeparator();
        return { op: 'other' };
      }
      this.accept('COLUMN');
      const ifExists = this.accept('IF', 'EXISTS');
      const name = this.identifier();
      this.acceptOneOf('RESTRICT', 'CASCADE');
      return { op: 'dropColumn', name, ifExists };
    }
    if (this.accept('MODIFY')) {
      this.accept('COLUMN');
      const ifExists = this.accept('IF', 'EXISTS');
      const column = this.columnDefinition();
      return { op: 'modifyColumn', column, position: this.position(), ifExists };
    }
    if (this.accept('CHANGE')) {
      this.accept('COLUMN');
      const ifExists = this.accept('IF', 'EXISTS');
      const oldName = this.identifier();
      const column = this.columnDefinition();
      return { op: 'changeColumn', oldName, column, position: this.position(), ifExists };
    }
    if (this.accept('ALTER')) {
      if (this.accept('INDEX') || this.accept('KEY') || this.accept('CHECK') || this.accept('CONSTRAINT')) {
        this.skipToSeparator();
        return { op: 'other' };
      }
      this.accept('COLUMN');
      this.accept('IF', 'EXISTS');
      const name = this.identifier();
      if (this.accept('SET', 'DEFAULT')) return { op: 'setDefault', name, default: this.defaultValue() };
      if (this.accept('DROP', 'DEFAULT')) return { op: 'setDefault', name, default: null };
      if (this.accept('SET', 'VISIBLE') || this.accept('SET', 'INVISIBLE')) return { op: 'other' };
      this.fail('SET DEFAULT or DROP DEFAULT');
    }
    if (this.accept('RENAME')) {
      if (this.accept('COLUMN')) {
        this.accept('IF', 'EXISTS');
        const from = this.identifier();
        this.expect('TO');
        return { op: 'renameColumn', from, to: this.identifier() };
      }
      if (this.accept('INDEX') || this.accept('KEY')) {
        this.identifier();
        this.expect('TO');
        this.identifier();
        return { op: 'other' };
      }
      this.acceptOneOf('TO', 'AS');
      return { op: 'renameTable', to: this.qualifiedName() };
    }
    if (this.accept('CONVERT', 'TO')) {
      if (!this.accept('CHARACTER', 'SET') && !this.accept('CHARSET')) this.fail('CHARACTER SET');
      const charset = this.identifierOrDefault();
      const collation = this.accept('COLLATE') ? this.identifier() : null;
      return { op: 'convertCharset', charset, collation };
    }
    if (this.accept('ALGORITHM') || this.accept('LOCK')) {
      this.acceptPunct('=');
      this.i++;
      return { op: 'other' };
    }
    if (
      this.accept('FORCE') ||
      this.accept('ENABLE', 'KEYS') ||
      this.accept('DISABLE', 'KEYS') ||
      this.accept('DISCARD', 'TABLESPACE') ||
      this.accept('IMPORT', 'TABLESPACE') ||
      this.accept('WITH', 'VALIDATION') ||
      this.accept('WITHOUT', 'VALIDATION') ||
      this.accept('ADD', 'SYSTEM', 'VERSIONING')
    )
      return { op: 'other' };
    if (this.accept('ORDER', 'BY')) {
      this.skipToSeparator();
      return { op: 'other' };
    }
    if (this.isWord('PARTITION') && this.isWord('BY', 1)) {
      this.i += 2;
      this.skipPartitioning();
      return { op: 'other' };
    }
    if (
      this.accept('REMOVE', 'PARTITIONING') ||
      this.isWord('COALESCE') ||
      this.isWord('REORGANIZE') ||
      this.isWord('EXCHANGE') ||
      this.isWord('TRUNCATE') ||
      this.isWord('ANALYZE') ||
      this.isWord('CHECK') ||
      this.isWord('OPTIMIZE') ||
      this.isWord('REBUILD') ||
      this.isWord('REPAIR') ||
      this.isWord('CONVERT')
    ) {
      while (!this.atEnd() && !this.isPunct(',')) {
        if (this.isPunct('(')) this.skipGroup();
        else this.i++;
      }
      return { op: 'other' };
    }
    const before = this.i;
    const options = this.tableOptions(false, true);
    if (this.i === before) this.fail('an ALTER TABLE clause');
    return { op: 'options', options };
  }

  private addColumns(): AlterAction {
    const ifNotExists = this.accept('IF', 'NOT', 'EXISTS');
    if (this.isPunct('(')) {
      this.i++;
      const columns: ColumnSpec[] = [];
      do {
        const el = this.tableElement();
        if (el.kind === 'column') columns.push(el.column);
      } while (this.acceptPunct(','));
      this.expectPunct(')');
      return { op: 'addColumns', columns, ifNotExists, position: null };
    }
    const column = this.columnDefinition();
    return { op: 'addColumns', columns: [column], ifNotExists, position: this.position() };
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

const CONSTRAINT_WORDS = ['PRIMARY', 'UNIQUE', 'KEY', 'INDEX', 'FULLTEXT', 'SPATIAL', 'FOREIGN', 'CHECK', 'PERIOD'];

function isTableOptionWord(w: string): boolean {
  return /^(ENGINE|AUTO_INCREMENT|AVG_ROW_LENGTH|DEFAULT|CHARACTER|CHARSET|CHECKSUM|COLLATE|COMMENT|COMPRESSION|CONNECTION|DATA|DELAY_KEY_WRITE|ENCRYPTED|ENCRYPTION|ENCRYPTION_KEY_ID|IETF_QUOTES|INDEX|INSERT_METHOD|KEY_BLOCK_SIZE|MAX_ROWS|MIN_ROWS|PACK_KEYS|PAGE_CHECKSUM|PAGE_COMPRESSED|PAGE_COMPRESSION_LEVEL|PASSWORD|ROW_FORMAT|SEQUENCE|STATS_AUTO_RECALC|STATS_PERSISTENT|STATS_SAMPLE_PAGES|TABLESPACE|TRANSACTIONAL|UNION|PARTITION|WITH|STORAGE|SECONDARY_ENGINE|ENGINE_ATTRIBUTE|SECONDARY_ENGINE_ATTRIBUTE|AUTOEXTEND_SIZE|TYPE)$/i.test(
    w,
  );
}

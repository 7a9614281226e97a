/**
 * The CREATE TABLE part of the DDL parser: table elements (columns, keys, checks), index column
 * lists, table options and partitioning (skipped safely).
 */
import type { DdlAst, TableElement, TableOptions } from './ast.ts';
import { ColumnParser, jsonValidOf } from './column-parser.ts';

export class TableParser extends ColumnParser {
  protected createTable(temporary: boolean, orReplace: boolean): DdlAst {
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

  protected tableElement(): TableElement {
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

  protected indexNameAndType(): void {
    if (!this.isPunct('(') && !this.isWord('USING')) this.identifier();
    if (this.accept('USING')) this.identifier();
  }

  protected indexColumns(): string[] {
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

  protected tableOptions(stopAtSelect: boolean, single = false): TableOptions {
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

  protected skipPartitioning(): void {
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
}

export const CONSTRAINT_WORDS = [
  'PRIMARY',
  'UNIQUE',
  'KEY',
  'INDEX',
  'FULLTEXT',
  'SPATIAL',
  'FOREIGN',
  'CHECK',
  'PERIOD',
];

export function isTableOptionWord(w: string): boolean {
  return /^(ENGINE|AUTO_INCREMENT|AVG_ROW_LENGTH|DEFAULT|CHARACTER|CHARSET|CHECKSUM|COLLATE|COMMENT|COMPRESSION|CONNECTION|DATA|DELAY_KEY_WRITE|ENCRYPTED|ENCRYPTION|ENCRYPTION_KEY_ID|IETF_QUOTES|INDEX|INSERT_METHOD|KEY_BLOCK_SIZE|MAX_ROWS|MIN_ROWS|PACK_KEYS|PAGE_CHECKSUM|PAGE_COMPRESSED|PAGE_COMPRESSION_LEVEL|PASSWORD|ROW_FORMAT|SEQUENCE|STATS_AUTO_RECALC|STATS_PERSISTENT|STATS_SAMPLE_PAGES|TABLESPACE|TRANSACTIONAL|UNION|PARTITION|WITH|STORAGE|SECONDARY_ENGINE|ENGINE_ATTRIBUTE|SECONDARY_ENGINE_ATTRIBUTE|AUTOEXTEND_SIZE|TYPE)$/i.test(
    w,
  );
}

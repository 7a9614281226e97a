/**
 * The ALTER statements of the DDL parser: ALTER TABLE with every clause (columns and their
 * positions, keys, renames, options, partitions), and the ALTER forms of other objects.
 */
import type { AlterAction, ColumnPosition, ColumnSpec, DdlAst } from './ast.ts';
import { CONSTRAINT_WORDS, TableParser } from './table-parser.ts';

export abstract class AlterParser extends TableParser {
  protected abstract skipDefiner(): boolean;
  protected abstract ignoredObject(): DdlAst;
  protected abstract databaseOptions(): { charset: string | null; collation: string | null };

  protected alter(): DdlAst {
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

  protected position(): ColumnPosition {
    if (this.accept('FIRST')) return { first: true };
    if (this.accept('AFTER')) return { after: this.identifier() };
    return null;
  }

  protected alterAction(): AlterAction {
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

  protected addColumns(): AlterAction {
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
}

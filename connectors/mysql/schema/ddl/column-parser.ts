/** Column definitions of CREATE/ALTER TABLE: data type, attributes, defaults, inline constraints. */
import type { ColumnSpec, DataTypeSpec, DefaultSpec } from './ast.ts';
import { TokenCursor } from './cursor.ts';

/** Debezium's currentTimestamp rule: CURRENT_TIMESTAMP / NOW / LOCALTIME / LOCALTIMESTAMP, with or without precision. */
const CURRENT_TIMESTAMP = /^(?:current_timestamp|now|localtime|localtimestamp)\s*(?:\(\s*\d*\s*\))?$/i;

export class ColumnParser extends TokenCursor {
  columnDefinition(): ColumnSpec {
    const name = this.identifier();
    const type = this.dataType();
    const col: ColumnSpec = {
      name,
      type,
      nullable: null,
      autoIncrement: false,
      generated: false,
      primaryKey: false,
      unique: false,
      comment: null,
      serial: type.name === 'serial',
      jsonCheck: false,
    };
    for (;;) {
      if (this.accept('NOT', 'NULL')) col.nullable = false;
      else if (this.accept('NULL')) col.nullable = true;
      else if (this.accept('DEFAULT')) col.default = this.defaultValue();
      else if (this.accept('AUTO_INCREMENT')) col.autoIncrement = true;
      else if (this.accept('SERIAL', 'DEFAULT', 'VALUE')) {
        col.autoIncrement = true;
        col.unique = true;
        if (col.nullable === null) col.nullable = false;
      } else if (this.accept('PRIMARY', 'KEY') || this.accept('KEY')) col.primaryKey = true;
      else if (this.accept('UNIQUE')) {
        this.accept('KEY');
        col.unique = true;
      } else if (this.accept('COMMENT')) col.comment = this.stringLiteral();
      else if (this.accept('COLLATE')) type.collation = this.identifier();
      else if (this.accept('CHARACTER', 'SET') || this.accept('CHARSET')) type.charset = this.identifier();
      else if (this.accept('ON', 'UPDATE')) {
        const d = this.defaultValue();
        if (d.kind === 'expression' && CURRENT_TIMESTAMP.test(d.text)) col.onUpdateNow = true;
      } else if (this.accept('GENERATED', 'ALWAYS') || this.isWord('AS')) {
        this.expect('AS');
        this.skipGroup();
        col.generated = true;
      } else if (this.accept('VIRTUAL') || this.accept('STORED') || this.accept('PERSISTENT')) {
        /* generated column storage */
      } else if (this.accept('INVISIBLE') || this.accept('VISIBLE')) {
        /* visibility */
      } else if (this.accept('COLUMN_FORMAT') || this.accept('STORAGE')) this.i++;
      else if (this.accept('CHECK')) {
        if (jsonValidOf(this.skipGroup())?.toLowerCase() === name.toLowerCase()) col.jsonCheck = true;
      } else if (this.accept('CONSTRAINT')) {
        if (!this.isWord('CHECK')) this.identifier();
      } else if (this.accept('REFERENCES')) {
        this.qualifiedName();
        if (this.isPunct('(')) this.skipGroup();
        while (this.accept('ON', 'DELETE') || this.accept('ON', 'UPDATE') || this.accept('MATCH'))
          this.referenceAction();
      } else if (this.accept('WITH', 'SYSTEM', 'VERSIONING') || this.accept('WITHOUT', 'SYSTEM', 'VERSIONING')) {
        /* MariaDB system versioning */
      } else if (this.accept('COMPRESSED')) {
        if (this.acceptPunct('=')) this.i++;
      } else if (this.accept('ENGINE_ATTRIBUTE') || this.accept('SECONDARY_ENGINE_ATTRIBUTE') || this.accept('SRID')) {
        this.acceptPunct('=');
        this.i++;
      } else if (this.accept('REF_SYSTEM_ID')) {
        this.acceptPunct('=');
        this.i++;
      } else break;
    }
    return col;
  }

  protected referenceAction(): void {
    if (
      this.accept('SET', 'NULL') ||
      this.accept('SET', 'DEFAULT') ||
      this.accept('NO', 'ACTION') ||
      this.accept('CASCADE') ||
      this.accept('RESTRICT') ||
      this.accept('FULL') ||
      this.accept('PARTIAL') ||
      this.accept('SIMPLE')
    )
      return;
    this.fail('a reference action');
  }

  protected dataType(): DataTypeSpec {
    const tok = this.peek();
    if (!tok || tok.kind !== 'word') this.fail('a data type');
    let name = tok.text.toLowerCase();
    this.i++;
    const two: Record<string, string[]> = {
      double: ['precision'],
      long: ['varchar', 'varbinary', 'char'],
      national: ['char', 'varchar', 'character'],
      char: ['varying', 'byte'],
      character: ['varying'],
      nchar: ['varchar', 'varying'],
    };
    while (
      two[name.split(' ').pop()!] &&
      this.peek()?.kind === 'word' &&
      two[name.split(' ').pop()!].includes(this.peek()!.text.toLowerCase())
    )
      name += ' ' + this.t[this.i++].text.toLowerCase();
    if (name === 'national char' && this.accept('VARYING')) name += ' varying';
    const type: DataTypeSpec = {
      name,
      args: [],
      values: [],
      unsigned: false,
      zerofill: false,
      charset: null,
      collation: null,
      binaryCollation: false,
      rawValues: [],
      suffixes: [],
    };
    if (this.isPunct('(')) {
      this.i++;
      if (name === 'enum' || name === 'set') {
        do {
          const first = this.peek();
          type.values.push(this.stringLiteral());
          if (first) type.rawValues.push(this.sql.slice(first.pos, this.t[this.i - 1].end));
        } while (this.acceptPunct(','));
      } else {
        do {
          const n = this.peek();
          if (!n || n.kind !== 'number') this.fail('a number');
          type.args.push(n.text);
          this.i++;
        } while (this.acceptPunct(','));
      }
      this.expectPunct(')');
    }
    for (;;) {
      if (this.accept('UNSIGNED')) {
        type.unsigned = true;
        type.suffixes.push('UNSIGNED');
      } else if (this.accept('SIGNED')) type.suffixes.push('SIGNED');
      else if (this.accept('ZEROFILL')) {
        type.zerofill = true;
        type.unsigned = true;
        type.suffixes.push('ZEROFILL');
      } else if (this.accept('BINARY')) {
        type.binaryCollation = true;
        type.suffixes.push('BINARY');
      } else if (this.accept('ASCII')) type.charset = 'latin1';
      else if (this.accept('UNICODE')) type.charset = 'ucs2';
      else if (this.accept('BYTE')) type.charset = 'binary';
      else if (this.accept('CHARACTER', 'SET') || this.accept('CHARSET')) type.charset = this.identifier();
      else if (this.accept('COLLATE')) type.collation = this.identifier();
      else break;
    }
    return type;
  }

  protected defaultValue(): DefaultSpec {
    if (this.isPunct('(')) {
      const text = this.skipGroup();
      return { kind: 'expression', text, raw: `(${text})` };
    }
    let sign = '';
    if (this.isPunct('-') || this.isPunct('+')) sign = this.t[this.i++].text === '-' ? '-' : '';
    const tok = this.peek();
    if (!tok) this.fail('a default value');
    if (tok.kind === 'number') {
      this.i++;
      return { kind: 'number', text: sign + tok.text };
    }
    if (tok.kind === 'string' || (tok.kind === 'word' && tok.text.startsWith('_') && this.peek(1)?.kind === 'string')) {
      const first = this.peek(tok.kind === 'string' ? 0 : 1)!;
      const text = this.stringLiteral();
      const raw = this.sql.slice(first.pos + 1, first.end - 1);
      if (this.accept('COLLATE')) this.identifier();
      return { kind: 'string', text, raw };
    }
    if (tok.kind === 'bits' || tok.kind === 'hex') {
      this.i++;
      return { kind: tok.kind, text: tok.text };
    }
    if (tok.kind === 'word') {
      const w = tok.text.toUpperCase();
      this.i++;
      if (w === 'NULL') return { kind: 'null', text: 'NULL' };
      if (w === 'TRUE' || w === 'FALSE') return { kind: 'number', text: w === 'TRUE' ? '1' : '0', raw: w };
      let text = tok.text;
      if (this.isPunct('(')) text += `(${this.skipGroup()})`;
      return { kind: 'expression', text };
    }
    this.fail('a default value');
  }

  /** Table options and PARTITION clauses; returns charset, collation and comment. */
}

/** The column of a `json_valid(col)` check, else null. */
export function jsonValidOf(expr: string): string | null {
  const m = /^\s*json_valid\s*\(\s*(?:`((?:[^`]|``)+)`|([A-Za-z0-9_$]+))\s*\)\s*$/i.exec(expr);
  return m ? (m[1]?.replace(/``/g, '`') ?? m[2]) : null;
}

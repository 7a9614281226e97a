import { describe, expect, it } from 'vitest';
import { loadCorpus } from './corpus/corpus.ts';
import { parseDdl } from './parser.ts';
import { SchemaModel } from './schema-model.ts';
import { DdlSyntaxError } from './tokenizer.ts';

function model(...ddl: string[]): SchemaModel {
  const m = new SchemaModel();
  m.serverCharset = 'utf8mb4';
  m.currentDatabase = 'db';
  for (const d of ddl) for (const s of parseDdl(d)) m.apply(s.ast);
  return m;
}

describe('DDL parser', () => {
  it('parses every statement of the corpus (at least 300)', () => {
    const all = loadCorpus().flatMap((g) => g.statements);
    expect(all.length).toBeGreaterThanOrEqual(300);
    const failures = all.flatMap((s) => {
      try {
        parseDdl(s);
        return [];
      } catch (err) {
        return [`${s}: ${(err as Error).message}`];
      }
    });
    expect(failures).toEqual([]);
  });

  it('reports unparseable statements with their offset', () => {
    expect(() => parseDdl('CREATE TABLE t (a INT,, b INT)')).toThrow(DdlSyntaxError);
    try {
      parseDdl('ALTER TABLE t ADD COLUMN c INT, FROBNICATE');
    } catch (err) {
      expect((err as DdlSyntaxError).position).toBe(32);
    }
    expect(() => parseDdl('FROBNICATE t')).toThrow(/offset 0/);
  });

  it('applies column positions, renames and drops as the server does', () => {
    const m = model(
      'CREATE TABLE t (a INT, b INT, c INT)',
      'ALTER TABLE t ADD d INT FIRST, ADD e INT AFTER a',
      'ALTER TABLE t MODIFY c INT FIRST',
      'ALTER TABLE t CHANGE b b2 BIGINT NOT NULL DEFAULT 3 AFTER e',
      'ALTER TABLE t DROP COLUMN d',
    );
    const t = m.tables.get('db.t')!;
    expect(t.columns.map((c) => `${c.position}:${c.name}:${c.columnType}`)).toEqual([
      '1:c:int(11)',
      '2:a:int(11)',
      '3:e:int(11)',
      '4:b2:bigint(20)',
    ]);
    expect(t.columns[3]).toMatchObject({ nullable: false, defaultValue: '3' });
  });

  it('resolves charsets column → table → database → server and keys by the first NOT NULL unique key', () => {
    const m = model(
      'CREATE DATABASE other CHARACTER SET latin1',
      'CREATE TABLE other.t (a VARCHAR(3), b INT NOT NULL, c TEXT CHARACTER SET utf8, UNIQUE KEY (b))',
      'CREATE TABLE u (a VARCHAR(3) COLLATE latin1_bin, b INT, UNIQUE (b))',
    );
    const t = m.tables.get('other.t')!;
    expect([t.defaultCharset, t.columns[0].charset, t.columns[1].charset, t.columns[2].charset]).toEqual([
      'latin1',
      'latin1',
      null,
      'utf8mb3',
    ]);
    expect(t.primaryKey).toEqual(['b']);
    const u = m.tables.get('db.u')!;
    expect([u.defaultCharset, u.columns[0].charset, u.primaryKey]).toEqual(['utf8mb4', 'latin1', []]);
  });

  it('reports renames as DROP + CREATE and ignores statements without structure', () => {
    const m = model('CREATE TABLE a (x INT)');
    const [rename] = parseDdl('RENAME TABLE a TO b');
    expect(m.apply(rename.ast).changes).toEqual([
      { type: 'DROP', database: 'db', table: 'a' },
      { type: 'CREATE', database: 'db', table: 'b', previous: { database: 'db', table: 'a' } },
    ]);
    expect(parseDdl("GRANT ALL ON *.* TO 'u'@'%'")[0].ast.kind).toBe('ignored');
    expect(parseDdl('/*!40101 SET character_set_server=latin1 */')[0].ast).toEqual({
      kind: 'setCharset',
      variable: 'character_set_server',
      value: 'latin1',
    });
  });
});

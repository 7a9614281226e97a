import { describe, expect, it } from 'vitest';
import type { ColumnDefinition, TableDefinition } from '../schema/table-definition.ts';
import { chunkQuery, keyColumns, keyLiteral, keyText, maxKeyQuery } from './chunk-query.ts';

const col = (name: string, dataType: string, extra: Partial<ColumnDefinition> = {}): ColumnDefinition => ({
  name,
  position: 1,
  dataType,
  columnType: dataType,
  unsigned: false,
  nullable: false,
  charset: null,
  length: null,
  scale: null,
  fsp: 0,
  enumValues: [],
  autoIncrement: false,
  generated: false,
  defaultValue: null,
  comment: null,
  json: false,
  ...extra,
});
const table = (columns: ColumnDefinition[], primaryKey: string[]): TableDefinition => ({
  database: 'inv',
  name: 'orders',
  columns,
  primaryKey,
  defaultCharset: null,
  comment: null,
});

describe('incremental snapshot chunk SQL', () => {
  it('reads a single-key table after the last key, up to the maximum key, in key order', () => {
    const t = table([col('id', 'bigint'), col('note', 'varchar')], ['id']);
    expect(chunkQuery(t, { after: null, upTo: ['9000'], condition: null, limit: 1024 })).toBe(
      'SELECT `id`, `note` FROM `inv`.`orders` WHERE NOT (`id` > 9000) ORDER BY `id` LIMIT 1024',
    );
    expect(chunkQuery(t, { after: ['1024'], upTo: ['9000'], condition: "note <> 'x'", limit: 10 })).toBe(
      "SELECT `id`, `note` FROM `inv`.`orders` WHERE (`id` > 1024) AND NOT (`id` > 9000) AND (note <> 'x') ORDER BY `id` LIMIT 10",
    );
    expect(maxKeyQuery(t, 'note IS NOT NULL')).toBe(
      'SELECT `id` FROM `inv`.`orders` WHERE (note IS NOT NULL) ORDER BY `id` DESC LIMIT 1',
    );
  });

  it('reads in the order of the surrogate-key column instead of the primary key', () => {
    const t = table([col('id', 'bigint'), col('Seq', 'int')], ['id']);
    expect(chunkQuery(t, { after: ['5'], upTo: ['90'], condition: null, surrogateKey: 'seq', limit: 10 })).toBe(
      'SELECT `id`, `Seq` FROM `inv`.`orders` WHERE (`Seq` > 5) AND NOT (`Seq` > 90) ORDER BY `Seq` LIMIT 10',
    );
    expect(maxKeyQuery(t, null, 'seq')).toBe('SELECT `Seq` FROM `inv`.`orders` ORDER BY `Seq` DESC LIMIT 1');
    expect(keyColumns(t, 'nope')).toEqual([]);
  });

  it('compares composite keys lexicographically, strings as escaped literals in the column collation', () => {
    const t = table(
      [col('region', 'varchar', { charset: 'utf8mb4' }), col('n', 'int'), col('v', 'text')],
      ['region', 'n'],
    );
    expect(chunkQuery(t, { after: ["O'Hara", '7'], upTo: ['zz', '1'], condition: null, limit: 5 })).toBe(
      "SELECT `region`, `n`, `v` FROM `inv`.`orders` WHERE ((`region` > 'O\\'Hara') OR (`region` = 'O\\'Hara' AND `n` > 7))" +
        " AND NOT ((`region` > 'zz') OR (`region` = 'zz' AND `n` > 1)) ORDER BY `region`, `n` LIMIT 5",
    );
  });

  it('types literals like the column sorts: hex for binary, numeric value for ENUM and SET', () => {
    expect(keyLiteral(col('b', 'varbinary', { charset: 'binary' }), '00ff')).toBe("X'00ff'");
    expect(keyText(col('b', 'varbinary', { charset: 'binary' }), Buffer.from([0, 255]))).toBe('00ff');
    expect(keyText(col('s', 'varchar'), Buffer.from('é'))).toBe('é');
    expect(keyLiteral(col('e', 'enum', { enumValues: ['small', 'large'] }), 'large')).toBe('2');
    expect(keyLiteral(col('s', 'set', { enumValues: ['a', 'b', 'c'] }), 'a,c')).toBe('5');
    expect(keyLiteral(col('d', 'datetime'), '2024-01-02 03:04:05.123456')).toBe("'2024-01-02 03:04:05.123456'");
    expect(keyLiteral(col('x', 'decimal'), '-12.50')).toBe('-12.50');
    expect(() => keyLiteral(col('x', 'int'), '1 OR 1=1')).toThrow(/not a number/);
    const e = table([col('e', 'enum', { enumValues: ['a', 'b'] })], ['e']);
    expect(chunkQuery(e, { after: ['a'], upTo: ['b'], condition: null, limit: 2 })).toBe(
      'SELECT `e` FROM `inv`.`orders` WHERE ((`e` + 0) > 1) AND NOT ((`e` + 0) > 2) ORDER BY (`e` + 0) LIMIT 2',
    );
  });
});

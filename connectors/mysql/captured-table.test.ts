import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Struct } from '../../sdk/data.ts';
import { DataException } from '../../sdk/errors.ts';
import { ColumnMappers } from '../shared/column-mappers.ts';
import { MessageKeyColumns } from '../shared/message-key-columns.ts';
import { EnumIndex } from './binlog/row-values.ts';
import { CapturedTable } from './captured-table.ts';
import { Filters } from './filters.ts';
import type { ColumnDefinition, TableDefinition } from './schema/table-definition.ts';

function col(
  position: number,
  name: string,
  dataType: string,
  columnType: string,
  extra: Partial<ColumnDefinition> = {},
): ColumnDefinition {
  return {
    name,
    position,
    dataType,
    columnType,
    unsigned: false,
    nullable: true,
    charset: 'utf8mb4',
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
  };
}

const table: TableDefinition = {
  database: 'inv',
  name: 'customers',
  defaultCharset: 'utf8mb4',
  comment: null,
  primaryKey: ['id'],
  columns: [
    col(1, 'id', 'int', 'int(11)', { nullable: false }),
    col(2, 'ssn', 'varchar', 'varchar(11)', { length: 11 }),
    col(3, 'email', 'varchar', 'varchar(12)', { length: 12 }),
    col(4, 'bio', 'text', 'text', { length: 65535 }),
    col(5, 'code', 'char', 'char(3)', { length: 3 }),
    col(6, 'photo', 'blob', 'blob', { length: 65535, charset: null }),
    col(7, 'tier', 'enum', "enum('gold','silver')", { enumValues: ['gold', 'silver'] }),
    col(8, 'age', 'int', 'int(11)'),
  ],
};

const filters = new Filters({
  databaseInclude: null,
  databaseExclude: null,
  tableInclude: null,
  tableExclude: null,
  columnInclude: null,
  columnExclude: null,
});
const modes = {
  decimalMode: 'precise',
  timePrecisionMode: 'adaptive_time_microseconds',
  bigintUnsignedMode: 'long',
  binaryMode: 'bytes',
} as const;
const base = { prefix: 'srv', delimiter: '.', flavor: 'mysql' as const, modes, filters };
const row = [
  1,
  '123-45-6789',
  'ann@example.com',
  'a long biography',
  'abc',
  Buffer.from('0123456789'),
  new EnumIndex(1),
  42,
];

describe('CapturedTable: column mappers', () => {
  const mappers = new ColumnMappers({
    'column.mask.with.4.chars': 'inv\\.customers\\.(ssn|tier|age)',
    'column.mask.hash.v2.SHA-256.with.salt.NaCl': 'inv\\.customers\\.email',
    'column.truncate.to.5.chars': 'inv\\.customers\\.(bio|code|photo)',
  });
  const t = new CapturedTable(table, { ...base, columnMappers: mappers });

  it('changes values of the value struct only; the key keeps the real value', () => {
    const v = t.value(row);
    expect(v.get('ssn')).toBe('****');
    expect(v.get('tier')).toBe('****');
    expect(v.get('email')).toBe(createHash('sha256').update('NaClann@example.com').digest('hex').slice(0, 12));
    expect(v.get('bio')).toBe('a lon');
    expect(v.get('code')).toBe('abc');
    expect((v.get('photo') as Buffer).toString()).toBe('01234');
    expect(v.get('age')).toBe(42); // masks change character columns only
    expect((t.key(row) as Struct).get('id')).toBe(1);
  });

  it('marks the field schemas as Debezium does and keeps their types', () => {
    const field = (n: string) => t.valueSchema.fields.find((f) => f.name === n)!.schema;
    expect(field('ssn')).toMatchObject({ type: 'string', parameters: { masked: 'true' } });
    expect(field('email')).toMatchObject({ type: 'string', parameters: { masked: 'true' } });
    expect(field('age')).toMatchObject({ type: 'int32', parameters: { masked: 'true' } });
    expect(field('tier')).toMatchObject({
      type: 'string',
      name: 'io.debezium.data.Enum',
      parameters: { allowed: 'gold,silver', masked: 'true' },
    });
    expect(field('bio')).toMatchObject({ type: 'string', parameters: { truncateLength: '5' } });
    expect(field('photo')).toMatchObject({ type: 'bytes', parameters: { truncateLength: '5' } });
    // char(3) cannot exceed 5 characters: no truncation, no parameter.
    expect(field('code').parameters).toBeUndefined();
  });

  it('replaces NULL with the fixed mask (MaskingValueConverter) but leaves hashed and truncated NULLs null', () => {
    const v = t.value([1, null, null, null, null, null, null, null]);
    expect(v.get('ssn')).toBe('****');
    expect(v.get('email')).toBeNull();
    expect(v.get('bio')).toBeNull();
  });
});

describe('CapturedTable: message.key.columns', () => {
  it('keys by the listed columns instead of the primary key; nullable key columns stay optional', () => {
    const t = new CapturedTable(table, { ...base, keyColumns: MessageKeyColumns.parse('inv\\.customers:email,code') });
    expect(t.keySchema!.fields.map((f) => [f.name, f.schema.optional])).toEqual([
      ['email', true],
      ['code', true],
    ]);
    const k = t.key(row)!;
    expect([k.get('email'), k.get('code')]).toEqual(['ann@example.com', 'abc']);
  });

  it('gives a table without a primary key a key, and fails on an unknown column', () => {
    const noPk = { ...table, primaryKey: [] };
    expect(new CapturedTable(noPk, base).keySchema).toBeNull();
    expect(
      new CapturedTable(noPk, {
        ...base,
        keyColumns: MessageKeyColumns.parse('inv.customers:id'),
      }).keySchema!.fields.map((f) => f.name),
    ).toEqual(['id']);
    expect(
      () => new CapturedTable(noPk, { ...base, keyColumns: MessageKeyColumns.parse('inv.customers:id,missing') }),
    ).toThrow(DataException);
  });
});

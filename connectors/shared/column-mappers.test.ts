import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigException } from '../../sdk/errors.ts';
import { ColumnMappers } from './column-mappers.ts';

describe('column mappers (Debezium column.mask.* / column.truncate.*)', () => {
  it('masks with N stars, truncates to N characters and hashes salt + value as lowercase hex cut to the column length', () => {
    const m = new ColumnMappers({
      'column.mask.with.3.chars': 'inv\\.customers\\.ssn',
      'column.truncate.to.4.chars': 'inv\\.customers\\.(note|bio)',
      'column.mask.hash.v2.SHA-256.with.salt.pepper': 'inv\\.customers\\.email',
      'column.mask.with.0.chars': 'inv\\.customers\\.empty',
    });
    expect(m.ruleFor('inv', 'customers', 'ssn')!.stringMapper(-1)('123-45')).toBe('***');
    expect(m.ruleFor('inv', 'customers', 'empty')!.stringMapper(-1)('x')).toBe('');
    const t = m.ruleFor('inv', 'customers', 'note')!;
    expect(t).toMatchObject({ kind: 'truncate', maxLength: 4 });
    expect(t.stringMapper(-1)('abcdef')).toBe('abcd');
    expect(t.stringMapper(-1)('ab')).toBe('ab');
    const h = m.ruleFor('inv', 'customers', 'email')!;
    const full = createHash('sha256').update('pepperann@example.com').digest('hex');
    expect(h.stringMapper(-1)('ann@example.com')).toBe(full);
    expect(h.stringMapper(10)('ann@example.com')).toBe(full.slice(0, 10));
    expect(m.ruleFor('inv', 'customers', 'name')).toBeNull();
    // Patterns are anchored and case-insensitive.
    expect(m.ruleFor('INV', 'Customers', 'SSN')?.kind).toBe('mask');
    expect(m.ruleFor('inv', 'customers', 'ssn2')).toBeNull();
  });

  it('picks the first matching rule as Debezium: truncation before masks before hashes', () => {
    const m = new ColumnMappers({
      'column.mask.hash.v2.MD5.with.salt.s': 'db\\.t\\.c',
      'column.mask.with.2.chars': 'db\\.t\\.c',
      'column.truncate.to.1.chars': 'db\\.t\\..*',
    });
    expect(m.ruleFor('db', 't', 'c')!.kind).toBe('truncate');
    expect(m.ruleFor('db', 't', 'c')!.stringMapper(-1)('hello')).toBe('h'); // only the first rule applies
  });

  it('rejects the v1 hash form, unknown algorithms, bad regexes and a zero truncation length', () => {
    expect(() => new ColumnMappers({ 'column.mask.hash.SHA-256.with.salt.x': 'a.b.c' })).toThrow(/v1 hash form/);
    expect(() => new ColumnMappers({ 'column.mask.hash.v2.NOPE.with.salt.x': 'a.b.c' })).toThrow(
      /unknown hash algorithm NOPE/,
    );
    expect(() => new ColumnMappers({ 'column.mask.with.2.chars': 'a.b.(' })).toThrow(ConfigException);
    expect(() => new ColumnMappers({ 'column.truncate.to.0.chars': 'a.b.c' })).toThrow(/must be positive/);
  });
});

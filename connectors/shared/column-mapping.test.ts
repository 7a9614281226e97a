/** Debezium's column mappers applied to a column (TruncateColumn, MaskStrings), once for both database connectors. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Schemas } from '../../sdk/data.ts';
import { ColumnMappers } from './column-mappers.ts';
import { mapColumnWith, type MappableColumn } from './column-mapping.ts';

const text = (length = -1): MappableColumn => ({ schema: Schemas.OPTIONAL_STRING, length, character: true });
const mappers = new ColumnMappers({
  'column.mask.hash.v2.SHA-256.with.salt.s': 'db\\.t\\.(c|h)',
  'column.mask.with.3.chars': 'db\\.t\\.(c|m|n)',
  'column.truncate.to.2.chars': 'db\\.t\\.(c|tr|b)',
});
const rule = (column: string) => mappers.ruleFor('db', 't', column)!;

describe('column mappers on a column', () => {
  it('only the first matching rule applies: truncation, then masks, then hashes (ColumnMappers.mapperFor)', () => {
    // c matches all three rules; PostgreSQL used to apply every one of them in configuration order.
    const c = mapColumnWith(rule('c'), text());
    expect(c.map!('hello')).toBe('he');
    expect(c.schema.parameters).toEqual({ truncateLength: '2' });
  });

  it('a fixed mask marks the column masked=true and replaces every value, NULL included', () => {
    const m = mapColumnWith(rule('m'), text(10));
    expect(m.schema.parameters).toEqual({ masked: 'true' });
    expect(m.schema.type).toBe('string');
    expect(m.map!('secret')).toBe('***');
    expect(m.nullValue).toBe('***');
  });

  it('a hash is salt + value, hex, cut to the declared length; NULL stays NULL', () => {
    const h = mapColumnWith(rule('h'), text(8));
    const full = createHash('sha256').update('s').update('v').digest('hex');
    expect(h.map!('v')).toBe(full.slice(0, 8));
    expect(h.nullValue).toBeUndefined();
    expect(mapColumnWith(rule('h'), text()).map!('v')).toBe(full);
  });

  it('a mask marks a non-character column but leaves its values (MaskStrings passthrough)', () => {
    const n = mapColumnWith(rule('n'), { schema: Schemas.OPTIONAL_STRING, length: -1, character: false });
    expect(n.schema.parameters).toEqual({ masked: 'true' });
    expect(n.map).toBeNull();
    const i = mapColumnWith(rule('n'), { schema: Schemas.OPTIONAL_INT32, length: -1, character: false });
    expect(i.schema.parameters).toEqual({ masked: 'true' });
    expect(i.map).toBeNull();
  });

  it('truncation applies only when the column may be longer than N; it cuts strings and bytes', () => {
    expect(mapColumnWith(rule('tr'), text(2)).schema.parameters ?? {}).toEqual({});
    expect(mapColumnWith(rule('tr'), text(2)).map).toBeNull();
    const b = mapColumnWith(rule('b'), { schema: Schemas.OPTIONAL_BYTES, length: 10, character: false });
    expect(b.schema.parameters).toEqual({ truncateLength: '2' });
    expect(b.map!(Buffer.from([1, 2, 3]))).toEqual(Buffer.from([1, 2]));
    const i = mapColumnWith(rule('tr'), { schema: Schemas.OPTIONAL_INT32, length: -1, character: false });
    expect(i.map).toBeNull();
  });

  it('patterns are Java regexes: \\Q…\\E and (?i)', () => {
    const m = new ColumnMappers({ 'column.mask.with.1.chars': '\\Qdb.t.a+b\\E,(?i)DB\\.T\\.UP' });
    expect(m.ruleFor('db', 't', 'a+b')?.kind).toBe('mask');
    expect(m.ruleFor('db', 't', 'aab')).toBeNull();
    expect(m.ruleFor('db', 't', 'up')?.kind).toBe('mask');
  });
});

/** Include/exclude lists as Debezium's Predicates: Java regexes, case-insensitive, whole-name match. */
import { describe, expect, it } from 'vitest';
import { namePattern, namePatterns, passesLists, splitRegexList } from './name-patterns.ts';
import { parseSettings, isTableCaptured, isColumnCaptured } from '../postgres/config.ts';
import { parseMysqlSettings } from '../mysql/config.ts';
import { Filters } from '../mysql/filters.ts';

describe('namePattern', () => {
  it('matches the whole name, case-insensitively (Pattern.CASE_INSENSITIVE, Matcher#matches)', () => {
    const p = namePattern('inv\\.cust.*', 'k');
    expect(p.test('inv.customers')).toBe(true);
    expect(p.test('INV.Customers')).toBe(true);
    expect(p.test('xinv.customers')).toBe(false);
    expect(namePattern('inv\\.c', 'k').test('inv.customers')).toBe(false);
    expect(namePattern('a|b', 'k').test('ab')).toBe(false); // the alternation is anchored as a whole
  });

  it('reads Java syntax: (?i) and \\Q…\\E quoting', () => {
    expect(namePattern('(?i)public\\.Orders', 'k').test('public.orders')).toBe(true);
    const quoted = namePattern('\\Qpublic.a+b\\E', 'k');
    expect(quoted.test('public.a+b')).toBe(true);
    expect(quoted.test('publicXaab')).toBe(false);
    expect(namePattern('inv\\.\\p{Alpha}+', 'k').test('inv.abc')).toBe(true);
  });

  it('refuses what Java regex cannot be run, naming the key', () => {
    expect(() => namePattern('a++', 'table.include.list')).toThrow(/table.include.list.*possessive/i);
    expect(() => namePattern('(', 'table.include.list')).toThrow(/table.include.list/);
  });

  it('splits lists as Debezium’s RegExSplitter: a backslash-escaped comma stays in the regex', () => {
    expect(splitRegexList(' a\\.b , c\\,d,,e{1\\,2}')).toEqual(['a\\.b', 'c,d', 'e{1,2}']);
    const [p] = namePatterns(['inv\\.a\\', 'b'], 'k'); // the config layer split 'inv\\.a\\,b' at the comma
    expect(p.test('inv.a,b')).toBe(true);
  });

  it('lists: blank entries dropped; include wins over exclude', () => {
    const inc = namePatterns(['a', ' ', ''], 'k');
    expect(inc.map((p) => p.source)).toEqual(['a']);
    expect(passesLists(inc, null, 'A')).toBe(true);
    expect(passesLists(inc, null, 'b')).toBe(false);
    expect(passesLists(null, namePatterns(['b'], 'k'), 'b')).toBe(false);
    expect(passesLists([], [], 'x')).toBe(true);
  });
});

describe('connector filters use Java regexes (JavaScript RegExp refused (?i) and misread \\Q…\\E)', () => {
  const pg = { 'database.hostname': 'h', 'database.user': 'u', 'database.dbname': 'd', 'topic.prefix': 'p' };
  const my = { ...pg, 'schema.history.internal.file.filename': '/tmp/h.dat' };

  it('PostgreSQL', () => {
    const s = parseSettings({
      ...pg,
      'table.include.list': '(?i)PUBLIC\\.ORDERS,\\Qinv.a+b\\E',
      'column.exclude.list': '\\Qpublic.orders.x$y\\E',
    });
    expect(isTableCaptured(s, 'public', 'orders')).toBe(true);
    expect(isTableCaptured(s, 'inv', 'a+b')).toBe(true);
    expect(isTableCaptured(s, 'inv', 'aab')).toBe(false);
    expect(isColumnCaptured(s, 'public', 'orders', 'x$y')).toBe(false);
    expect(isColumnCaptured(s, 'public', 'orders', 'x')).toBe(true);
    const comma = parseSettings({ ...pg, 'table.include.list': 'public\\.a\\,b,public\\.c' });
    expect(isTableCaptured(comma, 'public', 'a,b')).toBe(true);
    expect(isTableCaptured(comma, 'public', 'c')).toBe(true);
  });

  it('MySQL/MariaDB', () => {
    const f = new Filters(
      parseMysqlSettings({ ...my, 'database.include.list': '(?i)INV', 'table.include.list': '\\Qinv.a+b\\E' }),
    );
    expect(f.databaseIncluded('inv')).toBe(true);
    expect(f.tableIncluded('inv', 'a+b')).toBe(true);
    expect(f.tableIncluded('inv', 'aab')).toBe(false);
    expect(() => parseMysqlSettings({ ...my, 'table.include.list': 'a++' })).toThrow(/table.include.list/);
  });
});

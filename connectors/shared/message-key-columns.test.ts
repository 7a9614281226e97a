import { describe, expect, it } from 'vitest';
import { ConfigException, DataException } from '../../sdk/errors.ts';
import { MessageKeyColumns } from './message-key-columns.ts';

describe('message.key.columns', () => {
  it('keys a listed table by the named columns, in table order; other tables keep their primary key', () => {
    const k = MessageKeyColumns.parse('inventory.customers:email,id; (.*).purchaseorders:pk3,pk4')!;
    expect(k.keyColumnsFor('inventory.customers', ['id', 'name', 'email'])).toEqual(['id', 'email']);
    expect(k.keyColumnsFor('shop.purchaseorders', ['pk4', 'x', 'pk3'])).toEqual(['pk4', 'pk3']);
    expect(k.keyColumnsFor('inventory.orders', ['id'])).toBeNull();
    // Anchored, case-insensitive table and column patterns.
    expect(k.keyColumnsFor('INVENTORY.Customers', ['ID', 'EMAIL'])).toEqual(['ID', 'EMAIL']);
    expect(k.keyColumnsFor('inventory.customers2', ['id'])).toBeNull();
    expect(MessageKeyColumns.parse('db.t:c[0-9]')!.keyColumnsFor('db.t', ['c1', 'c2', 'd'])).toEqual(['c1', 'c2']);
  });

  it('is null when unset and rejects malformed entries and unknown columns', () => {
    expect(MessageKeyColumns.parse(null)).toBeNull();
    expect(MessageKeyColumns.parse('  ')).toBeNull();
    expect(() => MessageKeyColumns.parse('db.t')).toThrow(ConfigException);
    expect(() => MessageKeyColumns.parse('db.t:')).toThrow(/is not <fully-qualified table>:<column>/);
    expect(() => MessageKeyColumns.parse(':a')).toThrow(ConfigException);
    expect(() => MessageKeyColumns.parse('db.(:a')).toThrow(/Invalid regex/);
    const k = MessageKeyColumns.parse('db.t:id,nope')!;
    expect(() => k.keyColumnsFor('db.t', ['id', 'v'])).toThrow(DataException);
    expect(() => k.keyColumnsFor('db.t', ['id', 'v'])).toThrow(/names column nope, which table db.t does not have/);
  });
});

describe('message.key.columns patterns', () => {
  it('are Java regexes: (?i) and \\Q…\\E, matched whole', () => {
    const k = MessageKeyColumns.parse('\\Qinv.a+b\\E:(?i)ID;inv\\.c:\\Qx$y\\E')!;
    expect(k.keyColumnsFor('inv.a+b', ['id', 'v'])).toEqual(['id']);
    expect(k.keyColumnsFor('inv.aab', ['id'])).toBeNull();
    expect(k.keyColumnsFor('inv.c', ['x$y', 'x'])).toEqual(['x$y']);
  });
});

import { describe, expect, it } from 'vitest';
import { snapshotOrder } from './snapshot-order.ts';

const t = (schema: string, table: string) => ({ schema, table });
const names = (ts: Array<{ schema: string; table: string }>) => ts.map((x) => `${x.schema}.${x.table}`);

describe("Debezium's snapshot table order", () => {
  const tables = [t('public', 'composite'), t('public', 'keyed'), t('public', 'keyed_2'), t('sales', 'orders')];

  it('name order without a table.include.list', () => {
    expect(names(snapshotOrder(tables, []))).toEqual(names(tables));
  });

  it('pattern by pattern as listed, name order within a pattern, each table once under the first pattern found in it', () => {
    const include = ['SALES\\..*', 'public.keyed', 'public\\.comp.*'].map((source) => ({ source }));
    // 'public.keyed' is found in public.keyed_2 too (a find, as Pattern.asPredicate), before composite.
    expect(names(snapshotOrder(tables, include))).toEqual([
      'sales.orders',
      'public.keyed',
      'public.keyed_2',
      'public.composite',
    ]);
  });
});

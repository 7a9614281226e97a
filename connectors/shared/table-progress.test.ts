import { describe, expect, it } from 'vitest';
import { TableProgress } from './table-progress.ts';

describe('snapshot table progress', () => {
  it('sums rows and estimates over tables and counts the tables done', () => {
    const p = new TableProgress();
    expect(p.started).toBe(false);
    p.start(['db.a', 'db.b']);
    expect(p.withoutEstimate()).toEqual(['db.a', 'db.b']);
    p.estimate('db.a', 100);
    p.estimate('db.b', null);
    expect(p.withoutEstimate()).toEqual([]);
    p.scanned('db.a', 60);
    p.scanned('db.a', 40);
    p.done('db.a');
    p.add(['db.c']);
    expect(p.snapshot('initial', 'db.b')).toEqual({
      phase: 'initial',
      tablesTotal: 3,
      tablesDone: 1,
      rowsScanned: 100,
      rowsEstimated: 100,
      currentTable: 'db.b',
      tables: [
        { table: 'db.a', rowsScanned: 100, rowsEstimated: 100, done: true },
        { table: 'db.b', rowsScanned: 0, rowsEstimated: null, done: false },
        { table: 'db.c', rowsScanned: 0, rowsEstimated: null, done: false },
      ],
    });
    p.remove(['db.a', 'db.c']);
    expect(p.snapshot('incremental').tables.map((t) => t.table)).toEqual(['db.a', 'db.b']);
    p.finish();
    expect(p.snapshot('done')).toMatchObject({ tablesTotal: 2, tablesDone: 2, rowsEstimated: 100 });
    p.start([]);
    expect(p.snapshot('done')).toMatchObject({ tablesTotal: 0, rowsScanned: 0, rowsEstimated: null });
  });
});

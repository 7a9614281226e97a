import { describe, expect, it } from 'vitest';
import { isTransactionControl } from './ddl.ts';

describe('isTransactionControl', () => {
  it('tells transaction control from DDL', () => {
    expect(['BEGIN', 'COMMIT', ' rollback', 'XA START 1', 'SAVEPOINT a'].every(isTransactionControl)).toBe(true);
    expect(['ALTER TABLE t ADD c INT', 'CREATE TABLE beginning (a INT)'].some(isTransactionControl)).toBe(false);
  });
});

import { describe, it, expect } from 'vitest';
import { SourceRecord } from '../data/records.ts';
import { Schemas } from '../data/schema.ts';
import { WorkerTransactionContext, transactionBoundaryManager } from './transaction-boundary.ts';
import {
  transactionBoundaryErrors,
  transactionBoundaryOf,
  transactionTimeoutMs,
} from './transaction-boundary-config.ts';
import type { SourceConnector } from '../spi/connector.ts';

const record = (n: number) =>
  new SourceRecord({
    topic: 't',
    sourcePartition: { p: 1 },
    sourceOffset: { n },
    valueSchema: Schemas.INT32,
    value: n,
  });

describe('transaction boundaries', () => {
  it('poll: every batch commits, and the final one too', () => {
    const m = transactionBoundaryManager('poll', 1000, null, 0);
    expect(m.afterRecord(record(1))).toBe('continue');
    expect(m.afterBatch(1)).toBe('commit');
    expect(m.final()).toBe('commit');
  });

  it('interval: commits after a batch once the interval since the last commit elapsed', () => {
    const m = transactionBoundaryManager('interval', 1000, null, 10_000);
    expect(m.afterRecord(record(1))).toBe('continue');
    expect(m.afterBatch(10_999)).toBe('continue');
    expect(m.afterBatch(11_000)).toBe('commit');
    m.ended(11_000);
    expect(m.afterBatch(11_500)).toBe('continue');
    expect(m.afterBatch(12_001)).toBe('commit');
    expect(m.final()).toBe('commit');
  });

  it('connector: ends transactions where the task asked, per record or per batch, once each', () => {
    const ctx = new WorkerTransactionContext();
    const m = transactionBoundaryManager('connector', 1000, ctx, 0);
    const [a, b, c] = [record(1), record(2), record(3)];
    ctx.commitTransaction(b);
    ctx.abortTransaction(c);
    expect(m.afterRecord(a)).toBe('continue');
    expect(m.afterRecord(b)).toBe('commit');
    expect(m.afterRecord(b)).toBe('continue');
    expect(m.afterRecord(c)).toBe('abort');
    // Equal content is not the same record: boundaries follow the objects the task returned.
    ctx.commitTransaction(record(4));
    expect(m.afterRecord(record(4))).toBe('continue');
    expect(m.afterBatch(0)).toBe('continue');
    ctx.commitTransaction();
    expect(m.afterBatch(0)).toBe('commit');
    expect(m.afterBatch(0)).toBe('continue');
    ctx.abortTransaction();
    expect(m.afterBatch(0)).toBe('abort');
  });

  it('connector: on shutdown the open transaction ends only as requested, else it is discarded', () => {
    const ctx = new WorkerTransactionContext();
    const m = transactionBoundaryManager('connector', 1000, ctx, 0);
    expect(m.final()).toBe('discard');
    ctx.commitTransaction();
    expect(m.final()).toBe('commit');
    ctx.abortTransaction();
    expect(m.final()).toBe('abort');
  });

  it('connector: asking to commit and abort the same record or batch fails the task', () => {
    const ctx = new WorkerTransactionContext();
    const m = transactionBoundaryManager('connector', 1000, ctx, 0);
    const r = record(1);
    ctx.commitTransaction(r);
    ctx.abortTransaction(r);
    expect(() => m.afterRecord(r)).toThrow('Connector requested both commit and abort of same record');
    ctx.commitTransaction();
    ctx.abortTransaction();
    expect(() => m.afterBatch(0)).toThrow('Connector requested both commit and abort of same transaction');
    expect(() => ctx.commitTransaction(null as unknown as SourceRecord)).toThrow(/may not be null/);
    expect(() => transactionBoundaryManager('connector', 1000, null)).toThrow(/transaction context/);
  });
});

describe('transaction boundary config', () => {
  const connector = (boundaries?: 'SUPPORTED' | 'UNSUPPORTED') =>
    ({ canDefineTransactionBoundaries: boundaries && (() => boundaries) }) as unknown as SourceConnector;

  it('refuses connector boundaries for connectors that do not declare them', () => {
    const msg =
      'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.';
    expect(transactionBoundaryErrors({ 'transaction.boundary': 'connector' }, connector())).toEqual([
      ['transaction.boundary', msg],
    ]);
    expect(transactionBoundaryErrors({ 'transaction.boundary': 'connector' }, connector('UNSUPPORTED'))).toEqual([
      ['transaction.boundary', msg],
    ]);
    expect(transactionBoundaryErrors({ 'transaction.boundary': 'connector' }, connector('SUPPORTED'))).toEqual([]);
    expect(transactionBoundaryErrors({ 'transaction.boundary': 'poll' }, connector())).toEqual([]);
  });

  it('refuses transaction.boundary.interval.ms without transaction.boundary=interval', () => {
    expect(transactionBoundaryErrors({ 'transaction.boundary.interval.ms': '500' }, connector())).toEqual([
      [
        'transaction.boundary.interval.ms',
        'transaction.boundary.interval.ms=500 has no effect with transaction.boundary=poll: remove it, or set transaction.boundary=interval',
      ],
    ]);
    expect(
      transactionBoundaryErrors(
        { 'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '500' },
        connector(),
      ),
    ).toEqual([]);
  });

  it('refuses intervals longer than a broker lets a transaction stay open', () => {
    expect(
      transactionBoundaryErrors(
        { 'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '840001' },
        connector(),
      )[0][1],
    ).toMatch(/is too long: .* use at most 840000/);
    expect(
      transactionBoundaryErrors(
        { 'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '840000' },
        connector(),
      ),
    ).toEqual([]);
  });

  it('gives interval transactions a timeout longer than the interval', () => {
    expect(transactionTimeoutMs({ boundary: 'poll', intervalMs: 600_000 })).toBe(60_000);
    expect(transactionTimeoutMs({ boundary: 'interval', intervalMs: 60_000 })).toBe(120_000);
    expect(transactionTimeoutMs({ boundary: 'interval', intervalMs: 1000 })).toBe(61_000);
    expect(transactionTimeoutMs({ boundary: 'interval', intervalMs: 840_000 })).toBe(900_000);
  });

  it('defaults the interval to offset.flush.interval.ms', () => {
    expect(transactionBoundaryOf({ 'transaction.boundary': 'interval' }, 60_000)).toEqual({
      boundary: 'interval',
      intervalMs: 60_000,
    });
    expect(
      transactionBoundaryOf({ 'transaction.boundary': 'interval', 'transaction.boundary.interval.ms': '250' }, 60_000),
    ).toEqual({ boundary: 'interval', intervalMs: 250 });
    expect(transactionBoundaryOf({}, 60_000)).toEqual({ boundary: 'poll', intervalMs: 60_000 });
  });
});

import { describe, expect, it } from 'vitest';
import {
  checkAdditionalCondition,
  parseSignal,
  SignalRejected,
  windowCloseData,
  windowOpenData,
  type SignalAction,
} from './signals.ts';

describe('signal rows', () => {
  it('parses execute-snapshot with data-collections and additional-conditions', () => {
    const a = parseSignal(
      'ad-hoc-1',
      'execute-snapshot',
      JSON.stringify({
        'data-collections': ['inv\\.orders', 'inv.customers'],
        type: 'INCREMENTAL',
        'additional-conditions': [{ 'data-collection': 'inv.orders', filter: 'id > 10' }],
      }),
    );
    expect(a).toMatchObject({ kind: 'execute-snapshot', collections: ['inv\\.orders', 'inv.customers'] });
    const conditions = (a as Extract<SignalAction, { kind: 'execute-snapshot' }>).conditions;
    expect(conditions).toHaveLength(1);
    expect(conditions[0].collection.test('inv.orders')).toBe(true);
    expect(conditions[0].collection.test('inv.orders2')).toBe(false);
    expect(conditions[0].filter).toBe('id > 10');
    // The pre-2.3 single additional-condition applies to every collection.
    const legacy = parseSignal(
      'x',
      'execute-snapshot',
      '{"data-collections":["a.b"],"additional-condition":"v = 1"}',
    ) as Extract<SignalAction, { kind: 'execute-snapshot' }>;
    expect(legacy.conditions[0].collection.test('any.table')).toBe(true);
  });

  it('rejects what it cannot carry out, saying why', () => {
    const rejects = (type: string, data: string | null, why: RegExp) =>
      expect(() => parseSignal('id', type, data)).toThrow(why);
    rejects('execute-snapshot', '{"data-collections":["a.b"],"type":"blocking"}', /only "type":"incremental"/);
    rejects(
      'execute-snapshot',
      '{"data-collections":["a.b"],"surrogate-key":7}',
      /surrogate-key" must be a column name/,
    );
    rejects('execute-snapshot', '{"type":"incremental"}', /data-collections/);
    rejects('execute-snapshot', '{"data-collections":[]}', /empty/);
    rejects('execute-snapshot', '{"data-collections":["("]}', /not a regular expression/);
    rejects('execute-snapshot', 'not json', /not JSON/);
    expect(() => parseSignal('id', 'execute-snapshot', '[]')).toThrow(SignalRejected);
  });

  it('parses stop, pause, resume, log and the watermarks; unknown types give null', () => {
    expect(parseSignal('s', 'stop-snapshot', '{"type":"INCREMENTAL"}')).toEqual({
      kind: 'stop-snapshot',
      collections: null,
    });
    expect(parseSignal('s', 'stop-snapshot', '{"data-collections":["a.b"],"type":"incremental"}')).toEqual({
      kind: 'stop-snapshot',
      collections: ['a.b'],
    });
    expect(parseSignal('p', 'pause-snapshot', null)).toEqual({ kind: 'pause-snapshot' });
    expect(parseSignal('r', 'resume-snapshot', '{}')).toEqual({ kind: 'resume-snapshot' });
    expect(parseSignal('l', 'log', '{"message":"hello"}')).toEqual({ kind: 'log', message: 'hello' });
    expect(parseSignal('c1-open', 'snapshot-window-open', '{}')).toEqual({ kind: 'window-open', id: 'c1-open' });
    expect(parseSignal('c1-close', 'snapshot-window-close', null)).toEqual({ kind: 'window-close', id: 'c1-close' });
    expect(parseSignal('x', 'schema-changes', '{}')).toBeNull();
  });

  it('writes watermark data as Debezium does', () => {
    const open = new Date('2024-05-01T10:00:00.123Z');
    expect(windowOpenData(open)).toBe('{"openWindowTimestamp": "2024-05-01T10:00:00.123Z"}');
    expect(windowCloseData(open, new Date('2024-05-01T10:00:01Z'))).toBe(
      '{"openWindowTimestamp": "2024-05-01T10:00:00.123Z", "closeWindowTimestamp": "2024-05-01T10:00:01.000Z"}',
    );
  });

  it('takes the surrogate-key column of execute-snapshot (none when absent or empty)', () => {
    const surrogate = (data: object) =>
      (
        parseSignal('s', 'execute-snapshot', JSON.stringify(data)) as Extract<
          SignalAction,
          { kind: 'execute-snapshot' }
        >
      ).surrogateKey;
    expect(surrogate({ 'data-collections': ['a.b'], 'surrogate-key': 'seq' })).toBe('seq');
    expect(surrogate({ 'data-collections': ['a.b'], 'surrogate-key': '' })).toBeNull();
    expect(surrogate({ 'data-collections': ['a.b'] })).toBeNull();
  });

  it('refuses an additional condition with a statement separator outside string literals', () => {
    expect(() => checkAdditionalCondition("name = 'a;b'")).not.toThrow();
    expect(() => checkAdditionalCondition("name = 'it''s;'")).not.toThrow();
    expect(() => checkAdditionalCondition('1=1; DROP TABLE t')).toThrow(/single SQL expression/);
  });
});

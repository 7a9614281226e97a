/** The incremental snapshot bookkeeping both database connectors share (signals, queued tables, offsets). */
import { describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../sdk/logging.ts';
import { stateFromOffset } from './incremental-state.ts';
import { parseSignal, type SignalAction } from './signals.ts';
import { dispatchSignal, SnapshotPlan } from './snapshot-plan.ts';

const logger = (): Logger & { error: ReturnType<typeof vi.fn>; warn: ReturnType<typeof vi.fn> } =>
  ({ info: vi.fn(), warn: vi.fn(), error: vi.fn(), debug: vi.fn() }) as never;
const execute = (data: object) =>
  parseSignal('sig-1', 'execute-snapshot', JSON.stringify(data)) as Extract<SignalAction, { kind: 'execute-snapshot' }>;
const CAPTURED = ['inv.a+b', 'inv.customers', 'inv.orders', 'Inv.Upper'];

describe('SnapshotPlan', () => {
  it('queues the captured tables the signal names, as Java regexes matched whole and case-sensitively', () => {
    const plan = new SnapshotPlan(logger(), null);
    const a = execute({ 'data-collections': ['inv\\.o.*', '\\Qinv.a+b\\E', 'inv.upper', 'inv.cust'] });
    const added = plan.execute(a.kind, CAPTURED, a.collections, a.conditions);
    expect(added.map((x) => x.id)).toEqual(['inv.a+b', 'inv.orders']);
    expect(plan.state).toMatchObject({ lastKey: null, maxKey: null, correlationId: 'execute-snapshot' });
    // A second signal adds only tables not queued yet.
    const again = execute({ 'data-collections': ['inv\\..*'] });
    expect(plan.execute('sig-2', CAPTURED, again.collections, again.conditions).map((x) => x.id)).toEqual([
      'inv.customers',
    ]);
  });

  it('gives each table the first additional condition naming it; a condition refused skips that table', () => {
    const l = logger();
    const plan = new SnapshotPlan(l, null);
    const a = execute({
      'data-collections': ['inv\\..*'],
      'additional-conditions': [
        { 'data-collection': 'inv\\.orders', filter: 'id > 5' },
        { 'data-collection': 'inv\\.customers', filter: 'bad;' },
      ],
    });
    const added = plan.execute('s', CAPTURED, a.collections, a.conditions, (c) => {
      if (c.includes(';')) throw new Error('one expression only');
    });
    expect(added).toEqual([
      { id: 'inv.a+b', condition: null },
      { id: 'inv.orders', condition: 'id > 5' },
    ]);
    expect(l.error).toHaveBeenCalledOnce();
  });

  it('stop-snapshot removes the named tables (all when none named); stopping the current one resets its keys', () => {
    const plan = new SnapshotPlan(logger(), null);
    plan.execute('s', CAPTURED, ['inv\\..*'], []);
    plan.state!.lastKey = ['4'];
    expect(plan.stop(['inv\\.orders'])).toEqual({ stopped: ['inv.orders'], current: false });
    expect(plan.state!.lastKey).toEqual(['4']);
    expect(plan.stop(['inv\\.a\\+b'])).toEqual({ stopped: ['inv.a+b'], current: true });
    expect(plan.state!.lastKey).toBeNull();
    expect(plan.stop(null)).toEqual({ stopped: ['inv.customers'], current: true });
    expect(plan.active).toBe(false);
  });

  it('moves table by table and keeps the progress in Debezium offset keys, rebuilt only on change', () => {
    const plan = new SnapshotPlan(logger(), null);
    plan.execute('s', CAPTURED, ['inv\\.(orders|customers)'], []);
    const first = plan.offset();
    expect(plan.offset()).toBe(first);
    plan.state!.lastKey = ['10'];
    const second = plan.offset()!;
    expect(second).not.toBe(first);
    expect(stateFromOffset(second)!.state).toMatchObject({
      lastKey: ['10'],
      collections: [{ id: 'inv.customers' }, { id: 'inv.orders' }],
    });
    expect(plan.nextTable()!.id).toBe('inv.customers');
    expect(plan.state!.lastKey).toBeNull();
    expect(plan.nextTable()!.id).toBe('inv.orders');
    expect(plan.active).toBe(false);
    expect(plan.offset()).toBeNull();
  });

  it('pauses and resumes', () => {
    const plan = new SnapshotPlan(logger(), null);
    plan.pause(true);
    expect(plan.paused).toBe(true);
    plan.pause(false);
    expect(plan.paused).toBe(false);
  });
});

describe('dispatchSignal', () => {
  it('hands on valid signals; logs rejected and unknown ones without handing them on', async () => {
    const l = logger();
    const seen: string[] = [];
    const handle = (a: SignalAction) => void seen.push(a.kind);
    await dispatchSignal({ id: '1', type: 'execute-snapshot', data: '{"data-collections":["a.b"]}' }, l, handle);
    await dispatchSignal({ id: '2', type: 'execute-snapshot', data: '{"data-collections":[]}' }, l, handle);
    await dispatchSignal(
      { id: '3', type: 'execute-snapshot', data: '{"type":"blocking","data-collections":["a"]}' },
      l,
      handle,
    );
    await dispatchSignal({ id: '4', type: 'execute-snapshot', data: 'not json' }, l, handle);
    await dispatchSignal({ id: '5', type: 'no-such-signal', data: null }, l, handle);
    expect(seen).toEqual(['execute-snapshot']);
    expect(l.error).toHaveBeenCalledTimes(3);
    expect(l.warn).toHaveBeenCalledOnce();
  });
});

/** `connectors status --watch` frames: connector and task states, snapshot progress bars from the task's snapshot object. */
import { describe, it, expect } from 'vitest';
import { bar, renderSinkPositions, renderStatus } from '../../../cli/commands/status-watch.ts';

describe('status --watch rendering', () => {
  it('draws bars for tables and rows of a running snapshot', () => {
    const frame = renderStatus(
      {
        name: 'inventory',
        type: 'source',
        connector: { state: 'RUNNING', worker_id: 'w:8083' },
        tasks: [
          {
            id: 0,
            state: 'RUNNING',
            worker_id: 'w:8083',
            snapshot: {
              phase: 'initial',
              tablesTotal: 4,
              tablesDone: 1,
              rowsScanned: 2500,
              rowsEstimated: 10000,
              currentTable: 'inventory.orders',
            },
          },
          {
            id: 1,
            state: 'FAILED',
            worker_id: 'w:8083',
            trace: 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat x',
          },
        ],
      },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(frame).toBe(
      [
        'inventory (source)  RUNNING  on w:8083    2026-01-01T00:00:00.000Z',
        '  task 0  RUNNING    on w:8083',
        '    initial snapshot  tables [######..................]  25%  1/4',
        '                      rows   [######..................]  25%  2500/~10000  now: inventory.orders',
        '  task 1  FAILED     on w:8083',
        '    trace: org.apache.kafka.connect.errors.ConnectException: boom',
        '',
      ].join('\n'),
    );
  });

  it('bars clamp to 0..100 %', () => {
    expect(bar(0, 0, 4)).toBe('[....]   0%');
    expect(bar(5, 4, 4)).toBe('[####] 100%');
    expect(bar(1, 3, 3)).toBe('[#..]  33%');
  });

  it("draws a sink's position in each partition (replay progress)", () => {
    expect(
      renderSinkPositions([
        { topic: 'orders', partition: 0, offset: 50, start: 0, end: 200 },
        { topic: 'orders', partition: 1, offset: 80, start: 80, end: 80 },
      ]),
    ).toBe(
      '  orders-0  [######..................]  25%  offset 50 of 200, 150 behind\n  orders-1  [########################] 100%  offset 80 of 80, caught up\n',
    );
  });
});

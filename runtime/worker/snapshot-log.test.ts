import { describe, expect, it } from 'vitest';
import { SnapshotLog, debeziumDuration } from './snapshot-log.ts';
import type { Logger } from '../logging.ts';

function fakeLogger(lines: string[]): Logger {
  return { info: (msg: string) => lines.push(msg) } as unknown as Logger;
}

describe('snapshot log lines', () => {
  it('per table: start, progress every 10 s, end with rows and duration; then the end of the snapshot, as Debezium words them', () => {
    const lines: string[] = [];
    let now = 0;
    const bean = {
      SnapshotRunning: false,
      SnapshotCompleted: false,
      TotalTableCount: 2,
      RemainingTableCount: 2,
      CapturedTables: 'public.a,public.b',
      RowsScanned: {} as Record<string, number>,
      TotalRowsScanned: 0,
    };
    const log = new SnapshotLog(
      fakeLogger(lines),
      () => bean,
      () => now,
    );
    log.tick();
    expect(lines).toEqual([]);
    bean.SnapshotRunning = true;
    bean.RowsScanned = { 'public.a': 100 };
    log.tick();
    now = 10_500;
    bean.RowsScanned = { 'public.a': 5000 };
    log.tick();
    now = 12_250;
    bean.RemainingTableCount = 1;
    bean.RowsScanned = { 'public.a': 6000, 'public.b': 10 };
    log.tick();
    now = 13_000;
    bean.RemainingTableCount = 0;
    bean.SnapshotRunning = false;
    bean.SnapshotCompleted = true;
    bean.RowsScanned = { 'public.a': 6000, 'public.b': 20 };
    bean.TotalRowsScanned = 6020;
    log.tick();
    log.tick();
    expect(lines).toEqual([
      'Snapshot step 7 - Snapshotting data',
      "Exporting data from table 'public.a' (1 of 2 tables)",
      "\t Exported 5000 records for table 'public.a' after 00:00:10.500",
      "\t Finished exporting 6000 records for table 'public.a' (1 of 2 tables); total duration '00:00:12.250'",
      "Exporting data from table 'public.b' (2 of 2 tables)",
      "\t Finished exporting 20 records for table 'public.b' (2 of 2 tables); total duration '00:00:00.750'",
      'Snapshot - Final stage',
      'Snapshot ended with SnapshotResult [status=COMPLETED] after 00:00:13.000: 6020 records from 2 tables',
    ]);
  });

  it("Debezium's duration format", () => {
    expect(debeziumDuration(3_723_004)).toBe('01:02:03.004');
    expect(debeziumDuration(0)).toBe('00:00:00.000');
  });
});

import { describe, expect, it } from 'vitest';
import { formatTargetTable, targetTable } from '../../bench/targets.ts';

const peers = {
  postgres: {
    snapshot: {
      ratio: 2,
      ratioWarm: 6,
      tributary: { records: 1000, cpuSeconds: 0.01, recordsPerSec: 300 },
      debezium: {},
    },
    snapshotCopy: { rowsPerSec: 1000 },
    streaming: {
      ratio: 1,
      ratioWarm: 2.5,
      tributary: { records: 1000, cpuSeconds: 0.5, warmCpuMicrosPerRecord: 11 },
      debezium: {},
    },
  },
  mariadb: {
    streaming: { ratio: null, ratioWarm: null, tributary: { error: 'boom' }, debezium: { records: 1000 } },
  },
  threeConnectors: { steadyRssMiB: 140 },
};

describe("issue 18's target table", () => {
  it('judges each row on the figures of the run and says which benchmark a missing row needs', () => {
    const rows = targetTable({ peers, mainframe: { decodeToJsonLines: { mbPerCpuSecond: 90 } } });
    const byPath = Object.fromEntries(rows.map((r) => [r.path, r]));
    expect(byPath['PG snapshot vs warm Debezium embedded'].met).toBe(true);
    expect(byPath['PG streaming vs warm Debezium embedded'].met).toBe(false);
    expect(byPath['MariaDB streaming vs warm Debezium embedded']).toMatchObject({ met: null });
    expect(byPath['MariaDB streaming vs warm Debezium embedded'].value).toContain('boom');
    expect(byPath['mainframe decode to JSON lines (one core)'].met).toBe(false);
    // 140 MiB is 147 MB: within 150 MB; 145 MiB (152 MB) is not
    expect(byPath['steady RSS of a worker with 3 connectors']).toMatchObject({ met: true, value: '147 MB (140 MiB)' });
    const over = targetTable({ peers: { ...peers, threeConnectors: { steadyRssMiB: 145 } } });
    expect(over.find((r) => r.path === 'steady RSS of a worker with 3 connectors')!.met).toBe(false);
    // the worker process's figure (0.30) meets the target; the postgres bench's did not run: not judged met
    expect(byPath['PG snapshot vs COPY']).toMatchObject({
      met: null,
      value: 'worker process 0.30, in-process worker (tsx) n/a; postgres not run',
    });
    const slow = targetTable({
      peers: { ...peers, postgres: { ...peers.postgres, snapshotCopy: { rowsPerSec: 3000 } } },
    }).find((r) => r.path === 'PG snapshot vs COPY')!;
    expect(slow).toMatchObject({ met: false, value: expect.stringContaining('worker process 0.10') });
    expect(targetTable({ mainframe: {} }).find((r) => r.path === 'PG snapshot vs COPY')!.value).toBe(
      'not run (npm run bench -- peers postgres)',
    );
    // 10 and 11 µs per change measured, the MariaDB figure failed and the postgres bench did not run: not judged met.
    const cpu = byPath['CPU µs per change, PG/MariaDB streaming (whole worker)'];
    expect(cpu.met).toBeNull();
    expect(cpu.value).toContain('PG worker process (warm) 11.00');
    expect(formatTargetTable(rows).split('\n')).toHaveLength(rows.length + 2);
  });
});

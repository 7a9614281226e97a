/**
 * The target table of issue 18 (hot paths), filled from the results of one `npm run bench` run:
 * every figure is a ratio (or a per-record cost) taken from a benchmark that measured Tributary next
 * to its reference in that same run. A row whose benchmark did not run says which one to run.
 */

type Results = Record<string, unknown>;

export interface TargetRow {
  path: string;
  target: string;
  /** Today's value as measured in this run, or why there is none. */
  value: string;
  /** true/false when measured, null when not. */
  met: boolean | null;
  /** The benchmark(s) the row comes from. */
  bench: string;
}

/** The value at `keys` in `o`, or undefined. */
function at(o: unknown, ...keys: string[]): unknown {
  let cur = o;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const fmt = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2));

interface Measured {
  /** The figures the row is judged on (all must meet the target). */
  values: Array<number | null>;
  label: string;
}

function row(
  results: Results,
  path: string,
  target: string,
  bench: string[],
  judge: (v: number) => boolean,
  measure: () => Measured,
): TargetRow {
  const missing = bench.filter((b) => !(b in results));
  if (missing.length === bench.length)
    return { path, target, value: `not run (npm run bench -- ${bench.join(' ')})`, met: null, bench: bench.join(', ') };
  const m = measure();
  const known = m.values.filter((v): v is number => v !== null);
  if (!known.length) return { path, target, value: `no figure (${m.label})`, met: null, bench: bench.join(', ') };
  const partial = known.length < m.values.length || missing.length > 0;
  return {
    path,
    target,
    value: m.label + (missing.length ? `; ${missing.join(', ')} not run` : ''),
    met: partial ? (known.every(judge) ? null : false) : known.every(judge),
    bench: bench.join(', '),
  };
}

/** CPU µs per record of a peer process: over the second half of its records (warm), else from launch. */
const e2eCpuMicros = (side: unknown): number | null => {
  const warm = num(at(side, 'warmCpuMicrosPerRecord'));
  if (warm !== null) return warm;
  const cpu = num(at(side, 'cpuSeconds'));
  const records = num(at(side, 'records'));
  return cpu !== null && records ? (cpu * 1e6) / records : null;
};

function labelled(parts: Array<[string, number | null]>): Measured {
  return {
    values: parts.map(([, v]) => v),
    label: parts.map(([k, v]) => `${k} ${v === null ? 'n/a' : fmt(v)}`).join(', '),
  };
}

export function targetTable(results: Results): TargetRow[] {
  const pg = results.postgres;
  const my = results.mysql;
  const peers = results.peers;
  const jdbc = results.jdbc;
  const mf = results.mainframe;
  /** Tributary's rate over Debezium's on the second half of the records (both warmed up). */
  const peerRatio = (db: string, phase: string): Measured => {
    const warm = num(at(peers, db, phase, 'ratioWarm'));
    const n = num(at(peers, db, phase, 'tributary', 'records'));
    const failed = at(peers, db, phase, 'tributary', 'error') ?? at(peers, db, phase, 'debezium', 'error');
    return {
      values: [warm],
      label:
        warm === null
          ? `no ratio${failed ? `: ${String(failed)}` : ''}`
          : `warm-rate ratio ${fmt(warm)} (${n?.toLocaleString('en-US')} records; from first record ${fmt(num(at(peers, db, phase, 'ratio')) ?? NaN)})`,
    };
  };
  const mysqlRatio = (): number | null => {
    const ours = num(at(my, 'multiRowTransaction', 'changesPerSecond'));
    const ref = num(at(my, 'mysqlbinlog', 'changesPerSecond'));
    return ours !== null && ref ? ours / ref : null;
  };
  return [
    row(
      results,
      'PG streaming vs pg_recvlogical',
      '≥ 0.5',
      ['postgres'],
      (v) => v >= 0.5,
      () =>
        labelled([
          ['one transaction', num(at(pg, 'streaming', 'ratio'))],
          ['single-row transactions', num(at(pg, 'streamingSingleRowTransactions', 'ratio'))],
        ]),
    ),
    row(
      results,
      'PG streaming vs warm Debezium embedded',
      '≥ 3×',
      ['peers'],
      (v) => v >= 3,
      () => peerRatio('postgres', 'streaming'),
    ),
    row(
      results,
      'PG snapshot vs COPY',
      '≥ 0.25',
      ['peers', 'postgres'],
      (v) => v >= 0.25,
      () => {
        // The worker process (compiled dist/, as users run it) on the peers bench's table, and the
        // in-process worker under tsx of the postgres bench, each against COPY of its own table.
        const rate = num(at(peers, 'postgres', 'snapshot', 'tributary', 'recordsPerSec'));
        const copy = num(at(peers, 'postgres', 'snapshotCopy', 'rowsPerSec'));
        return labelled([
          ['worker process', rate !== null && copy ? rate / copy : null],
          ['in-process worker (tsx)', num(at(pg, 'snapshot', 'ratio'))],
        ]);
      },
    ),
    row(
      results,
      'MariaDB streaming vs mysqlbinlog',
      '≥ 0.5',
      ['mysql'],
      (v) => v >= 0.5,
      () => labelled([['reader, one big transaction', mysqlRatio()]]),
    ),
    row(
      results,
      'MariaDB streaming vs warm Debezium embedded',
      '≥ 3×',
      ['peers'],
      (v) => v >= 3,
      () => peerRatio('mariadb', 'streaming'),
    ),
    row(
      results,
      'JDBC sink vs COPY / LOAD DATA',
      '≥ 0.5',
      ['jdbc'],
      (v) => v >= 0.5,
      () =>
        labelled([
          ['PG insert', num(at(jdbc, 'postgresql', 'ratioInsertToCopy'))],
          ['PG update', num(at(jdbc, 'postgresql', 'ratioUpdateToCopy'))],
          ['MariaDB insert', num(at(jdbc, 'mariadb', 'ratioInsertToLoadData'))],
          ['MariaDB update', num(at(jdbc, 'mariadb', 'ratioUpdateToLoadData'))],
        ]),
    ),
    row(
      results,
      'JDBC sink fed Debezium JSON from Kafka vs Debezium JDBC sink',
      '≥ 3×',
      ['jdbc'],
      (v) => v >= 3,
      () => labelled([['ratio', num(at(jdbc, 'debeziumJdbcSink', 'ratio'))]]),
    ),
    row(
      results,
      'PG snapshot vs warm Debezium embedded',
      '≥ 5×',
      ['peers'],
      (v) => v >= 5,
      () => peerRatio('postgres', 'snapshot'),
    ),
    row(
      results,
      'CPU µs per change, PG/MariaDB streaming (whole worker)',
      '≤ 12 µs',
      ['peers', 'postgres'],
      (v) => v <= 12,
      () =>
        labelled([
          ['PG worker process (warm)', e2eCpuMicros(at(peers, 'postgres', 'streaming', 'tributary'))],
          ['MariaDB worker process (warm)', e2eCpuMicros(at(peers, 'mariadb', 'streaming', 'tributary'))],
          ['PG in-process worker', num(at(pg, 'streaming', 'tributary', 'cpuMicrosPerRow'))],
        ]),
    ),
    row(
      results,
      'mainframe decode to JSON lines (one core)',
      '≥ 100 MB/s',
      ['mainframe'],
      (v) => v >= 100,
      () => labelled([['MB per CPU second', num(at(mf, 'decodeToJsonLines', 'mbPerCpuSecond'))]]),
    ),
    row(
      results,
      'steady RSS of a worker with 3 connectors',
      '≤ 150 MB',
      ['peers'],
      (v) => v <= 150,
      () => {
        // The target is in MB (10^6 bytes); the bench samples MiB.
        const mib = num(at(peers, 'threeConnectors', 'steadyRssMiB'));
        const mb = mib === null ? null : (mib * 2 ** 20) / 1e6;
        return { values: [mb], label: mb === null ? 'MB n/a' : `${mb.toFixed(0)} MB (${mib} MiB)` };
      },
    ),
  ];
}

export function formatTargetTable(rows: TargetRow[]): string {
  const mark = (m: boolean | null): string => (m === null ? '–' : m ? 'met' : 'NOT met');
  return [
    '| path | target | this run | met |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.path} | ${r.target} | ${r.value} | ${mark(r.met)} |`),
  ].join('\n');
}

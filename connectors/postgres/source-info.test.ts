/**
 * postgresSource builds each `source` block from a per-transaction template: whatever order the
 * values come in, each block must hold exactly what a block built field by field holds, and
 * blocks returned earlier must not change.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Struct } from '../../sdk/data.ts';
import { postgresSource, postgresSourceSchema, type DebeziumLayout, type PostgresSourceValues } from './source-info.ts';
import type { SnapshotMarker } from '../shared/debezium/index.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** The block put by field name, `sequence` through JSON.stringify (the reference). */
function byName(v: PostgresSourceValues, layout: DebeziumLayout): Struct {
  const s = new Struct(postgresSourceSchema(layout))
    .put('version', layout === '3.6' ? '3.6.1.Final' : '3.2.0.Final')
    .put('connector', 'postgresql')
    .put('name', v.serverName)
    .put('ts_ms', Number(v.tsMicros / 1000n))
    .put('db', v.db)
    .put('sequence', JSON.stringify([v.lastCommitLsn?.toString() ?? null, v.lsn?.toString() ?? null]))
    .put('ts_us', Number(v.tsMicros))
    .put('ts_ns', v.tsMicros * 1000n)
    .put('schema', v.schema)
    .put('table', v.table)
    .put('txId', v.txId)
    .put('lsn', v.lsn === null ? null : Number(v.lsn));
  if (v.snapshot && v.snapshot !== 'false') s.put('snapshot', v.snapshot);
  return s;
}

const values: fc.Arbitrary<PostgresSourceValues> = fc.record({
  serverName: fc.constantFrom('p', 'q'),
  db: fc.constantFrom('d', 'e'),
  schema: fc.constantFrom('public', 's'),
  table: fc.constantFrom('t', 'u'),
  tsMicros: fc.constantFrom(1n, 1_700_000_000_123_456n),
  snapshot: fc.constantFrom<SnapshotMarker | undefined>(undefined, 'false', 'true', 'last'),
  txId: fc.constantFrom(null, 7, 8),
  lsn: fc.constantFrom(null, 10n, 0x1_0000_0000n),
  lastCommitLsn: fc.constantFrom(null, 5n, 0xffff_ffffn),
});

describe('postgresSource', () => {
  it('gives what a block put field by field gives, in any order of calls, without changing earlier blocks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(values, fc.constantFrom<DebeziumLayout>('3.6', '3.2')), { maxLength: 30 }),
        (calls) => {
          const made = calls.map(([v, layout]) => postgresSource({ ...v }, layout));
          calls.forEach(([v, layout], i) => {
            const expected = byName(v, layout);
            expect(made[i].toString()).toBe(expected.toString());
            expect(made[i].equals(expected)).toBe(true);
            expect(() => made[i].validate()).not.toThrow();
          });
        },
      ),
      { numRuns: RUNS },
    );
  });
});

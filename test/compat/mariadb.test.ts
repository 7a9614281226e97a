/**
 * The MariaDB differential (issue 16): the same MariaDB 10.11 workloads through Debezium's MariaDB
 * connector 3.5.0.Final (embedded engine, Maven Central) and through Tributary's connector under
 * the MariaDB connector class, records rendered by JsonConverter (schemas on) and compared byte for
 * byte per topic and position. Every difference fails unless test/compat/mariadb-known-differences.ts
 * names it; a known difference no scenario finds any more fails too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario, type Scenario } from './mariadb-differential.ts';
import { explain, MARIADB_KNOWN_DIFFERENCES } from './mariadb-known-differences.ts';
import { changesScenario, typesScenario } from './mariadb-workloads.ts';
import { DEBEZIUM_MARIADB_LAYOUT_VERSIONS, debeziumMariadbClasspath } from '../setup/debezium-mariadb.ts';

// Debezium's snapshot reads the schema of every database on the (shared) server unless told to keep
// to the captured ones: all scenarios but the two default ones set that, to bound the runtime.
const ONLY_CAPTURED = { 'schema.history.internal.store.only.captured.databases.ddl': 'true' };

const SCENARIOS: Scenario[] = [
  typesScenario('types', {}),
  typesScenario('types_str', {
    ...ONLY_CAPTURED,
    'decimal.handling.mode': 'string',
    'time.precision.mode': 'connect',
    'bigint.unsigned.handling.mode': 'precise',
    'binary.handling.mode': 'base64',
  }),
  typesScenario('types_dbl', {
    ...ONLY_CAPTURED,
    'decimal.handling.mode': 'double',
    'time.precision.mode': 'adaptive_time_microseconds',
    'binary.handling.mode': 'hex',
    'include.schema.changes': 'false',
    'skipped.operations': 'u',
  }),
  changesScenario('changes', {}),
  changesScenario('changes_tx', {
    ...ONLY_CAPTURED,
    'provide.transaction.metadata': 'true',
    'include.schema.changes': 'false',
    'binary.handling.mode': 'base64-url-safe',
  }),
  // The older layout Tributary keeps selectable, against Debezium 3.2.0.Final.
  { ...typesScenario('types_32', ONLY_CAPTURED), layout: '3.2' },
  { ...changesScenario('changes_32', { ...ONLY_CAPTURED, 'provide.transaction.metadata': 'true' }), layout: '3.2' },
];

const hit = new Set<string>();
let completed = 0;

describe('MariaDB: Debezium 3.5.0.Final (and 3.2.0.Final for the 3.2 layout) vs Tributary, byte for byte', () => {
  // Resolving Debezium from Maven Central and compiling the harness on a fresh machine takes a while.
  it('provisions the Debezium MariaDB oracles', () => {
    for (const version of Object.values(DEBEZIUM_MARIADB_LAYOUT_VERSIONS))
      expect(debeziumMariadbClasspath(version)).toMatch(/classes-[0-9a-f]{12}/);
  }, 900_000);

  it('known differences match only what they name', () => {
    expect(explain('mdbdiff.mdbdiff_x.t[0].value $.payload.after.a: Debezium 1 / Tributary 2')).toBeUndefined();
    expect(explain('mdbdiff.transaction[0].value $.payload.id: Debezium "0-1-2" / Tributary "0-1-3"')).toBeUndefined();
    expect(explain('mdbdiff[0].value $.payload.ddl: Debezium "a" / Tributary "b"')).toBeUndefined();
  });

  for (const s of SCENARIOS) {
    it(`${s.name} (layout ${s.layout ?? '3.5'}): ${JSON.stringify(s.options)}`, async () => {
      const r = await runScenario(s);
      // The workload reached both sides: every scenario has snapshot, streaming and sentinel records.
      expect(r.debezium.length).toBeGreaterThan(10);
      const unexplained: string[] = [];
      for (const d of r.differences) {
        const known = explain(d);
        if (known) hit.add(known.id);
        else unexplained.push(d);
      }
      expect(unexplained).toEqual([]);
      completed++;
    }, 180_000);
  }

  afterAll(() => {
    // Only meaningful when every scenario ran and passed (a filtered or failed run hits fewer).
    if (completed < SCENARIOS.length) return;
    const stale = MARIADB_KNOWN_DIFFERENCES.filter((k) => !hit.has(k.id)).map((k) => k.id);
    expect(
      stale,
      'known differences no scenario found any more: remove them from mariadb-known-differences.ts',
    ).toEqual([]);
  });
});

/**
 * Differential: Debezium's transforms (ExtractNewRecordState, ByLogicalTableRouter, outbox
 * EventRouter from io.debezium:debezium-connect-plugins, on the Kafka Connect API it is built
 * against) against Tributary's smt/debezium, compared as JsonConverter/SimpleHeaderConverter bytes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runJava, runTributary, type CaseResult } from './transforms-oracle.ts';
import { diffResults } from './transforms-compare.ts';
import { debeziumCases } from './transforms-cases-debezium.ts';
import { moreDebeziumCases } from './transforms-cases-debezium-more.ts';
import { INTENTIONAL } from './transforms-intentional.ts';

const cases = [...debeziumCases(), ...moreDebeziumCases()];

describe("Debezium transforms against Debezium's Java classes", () => {
  let java: Map<string, CaseResult>;
  beforeAll(() => {
    java = runJava('debezium', cases);
  }, 600_000);

  it('has distinct case ids, most of them producing a record in Debezium', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    const records = cases.filter((c) => java.get(c.id)?.ok).length;
    expect(records / cases.length).toBeGreaterThan(0.8);
  });

  it.each(cases.map((c) => ({ id: c.id, c })))('$id', ({ c }) => {
    const expected = java.get(c.id)!;
    const actual = runTributary(c);
    const intentional = INTENTIONAL[c.id];
    if (intentional) {
      expect(
        intentional.matches(expected, actual),
        `${c.id}: no longer the documented difference (${intentional.reason}):\n  ${JSON.stringify(expected)}\n  ${JSON.stringify(actual)}`,
      ).toBe(true);
      return;
    }
    const differences = diffResults(expected, actual);
    expect(differences, `${c.id} differs from Debezium:\n  ${differences.join('\n  ')}`).toEqual([]);
  });
});

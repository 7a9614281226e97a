/**
 * Differential: Kafka Connect's transforms and predicates (connect-transforms of the test broker's
 * Kafka version, run by test/compat/java/TransformsHarness.java) against Tributary's smt/, the
 * output records compared as JsonConverter/SimpleHeaderConverter bytes (see transforms-compare.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runJava, runTributary, type CaseResult } from './transforms-oracle.ts';
import { diffResults } from './transforms-compare.ts';
import { fieldCases } from './transforms-cases-fields.ts';
import { convertCases } from './transforms-cases-convert.ts';
import { routingCases } from './transforms-cases-routing.ts';
import { pathCases } from './transforms-cases-paths.ts';
import type { TransformCase } from './transforms-case.ts';
import { INTENTIONAL } from './transforms-intentional.ts';

const cases: TransformCase[] = [...fieldCases(), ...convertCases(), ...routingCases(), ...pathCases()];

describe("Kafka Connect transforms against Kafka's Java classes", () => {
  let java: Map<string, CaseResult>;
  beforeAll(() => {
    java = runJava('kafka', cases);
  }, 600_000);

  it('has distinct case ids, most of them producing a record in Kafka', () => {
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    const records = cases.filter((c) => java.get(c.id)?.ok).length;
    expect(records / cases.length).toBeGreaterThan(0.7);
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
    expect(differences, `${c.id} differs from Kafka:\n  ${differences.join('\n  ')}`).toEqual([]);
  });
});

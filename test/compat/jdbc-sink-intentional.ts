/**
 * Differences between Debezium's JDBC sink and Tributary's that are intentional, each with its
 * reason (docs/compatibility.md lists the same). An entry applies to the scenarios named and to
 * the differences its pattern matches (`<where> <aspect>: Debezium <value> | Tributary <value>`).
 */
import type { Difference } from './jdbc-sink-compare.ts';

export const INTENTIONAL: Array<{ scenarios: string[]; pattern: RegExp; reason: string }> = [
  {
    scenarios: ['types'],
    pattern:
      /^column c_vnumeric (data_type: Debezium double precision \| Tributary numeric|udt_name: Debezium float8 \| Tributary numeric|numeric_precision: Debezium 53 \| Tributary NULL)$/,
    reason:
      'a variable-scale decimal (io.debezium.data.VariableScaleDecimal) is kept exact in a numeric column; Debezium declares double precision and rounds it to 17 digits',
  },
];

/** The index of the entry that makes `d` intentional in `scenario`, or null. */
export function intentionalReason(scenario: string, d: Difference): number | null {
  const text = `${d.where} ${d.aspect}: Debezium ${d.debezium} | Tributary ${d.tributary}`;
  const i = INTENTIONAL.findIndex((x) => x.scenarios.includes(scenario) && x.pattern.test(text));
  return i < 0 ? null : i;
}

/**
 * Differences between Debezium's JDBC sink and Tributary's that are intentional, each with its
 * reason (docs/compatibility.md lists the same). An entry applies to the targets and scenarios named and to
 * the differences its pattern matches (`<where> <aspect>: Debezium <value> | Tributary <value>`).
 */
import type { Difference } from './jdbc-sink-compare.ts';
import type { TargetKind } from './jdbc-sink-targets.ts';

export const INTENTIONAL: Array<{ targets: TargetKind[]; scenarios: string[]; pattern: RegExp; reason: string }> = [
  {
    targets: ['postgresql'],
    scenarios: ['types'],
    pattern:
      /^column c_vnumeric (data_type: Debezium double precision \| Tributary numeric|udt_name: Debezium float8 \| Tributary numeric|numeric_precision: Debezium 53 \| Tributary NULL)$/,
    reason:
      'a variable-scale decimal (io.debezium.data.VariableScaleDecimal) is kept exact in a numeric column; Debezium declares double precision and rounds it to 17 digits',
  },
  {
    targets: ['mariadb'],
    scenarios: ['types'],
    pattern:
      /^(column c_vnumeric (column_type: Debezium double \| Tributary decimal\(65,30\)|numeric_precision: Debezium 22 \| Tributary 65|numeric_scale: Debezium NULL \| Tributary 30)|row id=\d+ column c_vnumeric value: Debezium (?<v>-5|3\.1415926535) \| Tributary \k<v>\.?0*)$/,
    reason:
      'a variable-scale decimal is kept exact in DECIMAL(65,30) (up to 30 fraction digits); Debezium declares DOUBLE and rounds it to 17 digits',
  },
  {
    targets: ['mariadb'],
    scenarios: ['evolve'],
    pattern:
      /^(column status is_nullable: Debezium NO \| Tributary YES|row id=1 column status value: Debezium {2}\| Tributary NULL)$/,
    reason:
      "Tributary creates a table once per batch from all its rows' layouts; a required LONGTEXT column (no DEFAULT on MariaDB) that older rows of the batch lack is created NULL, where Debezium, flushing the older rows first, adds it NOT NULL and they get ''",
  },
];

/** The index of the entry that makes `d` intentional in `scenario` on `target`, or null. */
export function intentionalReason(target: TargetKind, scenario: string, d: Difference): number | null {
  const text = `${d.where} ${d.aspect}: Debezium ${d.debezium} | Tributary ${d.tributary}`;
  const i = INTENTIONAL.findIndex(
    (x) => x.targets.includes(target) && x.scenarios.includes(scenario) && x.pattern.test(text),
  );
  return i < 0 ? null : i;
}

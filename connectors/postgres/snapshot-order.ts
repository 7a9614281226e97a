/**
 * The order Debezium's snapshot reads tables in (RelationalSnapshotChangeEventSource.sort): with a
 * table.include.list, pattern by pattern in the order listed, each pattern's tables in name order,
 * a table under the first pattern found in its `schema.table` (Pattern.asPredicate: a find, case
 * insensitive); without one, in name order.
 */
import { compileJavaRegex } from '../../sdk/java-regex.ts';

export function snapshotOrder<T extends { schema: string; table: string }>(
  tables: readonly T[],
  tableIncludeList: ReadonlyArray<{ source: string }>,
): T[] {
  if (tableIncludeList.length === 0) return [...tables];
  const ordered = new Set<T>();
  for (const { source } of tableIncludeList) {
    const p = compileJavaRegex(source, 'table.include.list');
    const find = new RegExp(p.js, p.flags.includes('i') ? p.flags : `${p.flags}i`);
    for (const t of tables) if (find.test(`${t.schema}.${t.table}`)) ordered.add(t);
  }
  // Every captured table matched a pattern in full; kept last should a find ever miss one.
  for (const t of tables) ordered.add(t);
  return [...ordered];
}

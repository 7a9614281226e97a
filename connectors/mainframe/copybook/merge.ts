/**
 * Cobrix's `copybooks` option: several copybooks read as one, their records redefining each other
 * (Copybook.merge): the root items of every copybook share offset 0, so a file whose records
 * follow any of the copybooks decodes with the one layout (pick the record with segment options).
 */
import type { CopybookAst } from './ast.ts';
import { CopybookSyntaxError } from './errors.ts';

export function mergeCopybooks(asts: Array<{ source: string; ast: CopybookAst }>): CopybookAst {
  if (asts.length === 1) return asts[0].ast;
  const levels = new Set(asts.flatMap((a) => a.ast.records.map((r) => r.level)));
  const seen = new Map<string, string>();
  for (const { source, ast } of asts) {
    const first = ast.records[0];
    if (ast.noRoot)
      throw new CopybookSyntaxError(
        first.line,
        first.column,
        `in ${source}: expected level-01 records to merge copybooks, but its top-level items have level ${first.level}`,
      );
    if (levels.size > 1)
      throw new CopybookSyntaxError(
        first.line,
        first.column,
        `in ${source}: expected the same root level in every merged copybook, but they have levels ${[...levels].join(', ')}`,
      );
    for (const r of ast.records) {
      const other = seen.get(r.name);
      if (other !== undefined)
        throw new CopybookSyntaxError(
          r.line,
          r.column,
          `in ${source}: expected record names that differ between merged copybooks, but ${r.name} is also in ${other}`,
        );
      seen.set(r.name, source);
    }
  }
  return { records: asts.flatMap((a) => a.ast.records), renames: asts.flatMap((a) => a.ast.renames) };
}

/**
 * The layout table as Cobrix prints it (Copybook.generateRecordLayoutPositions): level and name
 * (Connect names, `-` as `_`), flags (`D` an OCCURS DEPENDING ON counter, `r` redefined by a later
 * item, `R` a REDEFINES, `[]` an OCCURS), the field's sequence number, 1-based start, end and
 * length (all occurrences of a table).
 */
import type { Layout, LayoutField } from './layout.ts';

const alignLeft = (s: string, width: number) => s.padEnd(width);
const alignRight = (s: string, width: number) => s.padStart(width);

const storage = (f: LayoutField) => f.size * (f.occurs?.max ?? 1);

/**
 * As Cobrix prints it: FILLER groups are named FILLER_1, FILLER_2, ...; an item and the items
 * redefining it all show the largest size of the set.
 */
export function formatCobrixLayout(layout: Layout): string {
  let counter = 0;
  let fillers = 0;
  const lines: string[] = [];
  const visit = (siblings: LayoutField[], indent: string) => {
    const base = (f: LayoutField): LayoutField => {
      const target = f.redefines
        ? siblings
            .slice(0, siblings.indexOf(f))
            .reverse()
            .find((s) => s.name === f.redefines)
        : undefined;
      return target ? base(target) : f;
    };
    const setSize = new Map<LayoutField, number>();
    for (const f of siblings) setSize.set(base(f), Math.max(setSize.get(base(f)) ?? 0, storage(f)));
    for (const f of siblings) {
      counter++;
      const name = f.filler && f.kind === 'group' ? `FILLER_${++fillers}` : f.fieldName;
      const index = siblings.indexOf(f);
      // redefined: a later item belongs to the same REDEFINES set
      const isRedefined = siblings.some((g, k) => k > index && base(g) === base(f));
      const flags = `${f.kind === 'primitive' && f.isDependee ? 'D' : ''}${isRedefined ? 'r' : ''}${f.redefines ? 'R' : ''}${f.occurs ? '[]' : ''}`;
      const length = setSize.get(base(f))!;
      const start = f.offset + 1;
      lines.push(
        `${alignLeft(`${indent}${f.level} ${name}`, 39)}${alignLeft(flags, 11)}${alignRight(String(counter), 5)}${alignRight(String(start), 7)}${alignRight(String(start + length - 1), 7)}${alignRight(String(length), 7)}`,
      );
      if (f.kind === 'group') visit(f.children, `${indent}  `);
    }
  };
  visit(layout.records, '');
  return `-------- FIELD LEVEL/NAME --------- --ATTRIBS--    FLD  START     END  LENGTH\n\n${lines.join('\n')}\n`;
}

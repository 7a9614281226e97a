/**
 * Hierarchical (IMS-like) multi-segment files: each record's segment group has a level in a
 * parent → children tree; a record gets ids Seg_Id0..Seg_IdN naming itself and its ancestors, so
 * children can be joined to their parents downstream. Ids are `<prefix>L<level>_<byte offset>`
 * and therefore stable across restarts; the current ancestor ids are part of the source offset.
 */
export class SegmentHierarchy {
  private readonly levels = new Map<string, number>();
  readonly maxLevel: number;
  private ids: Array<string | null>;

  /** `children`: parent group → child groups (upper-case COBOL names); groups not listed as children are roots. */
  constructor(
    children: Map<string, string[]>,
    private readonly prefix = '',
  ) {
    const parentOf = new Map<string, string>();
    for (const [p, cs] of children)
      for (const c of cs) {
        if (parentOf.has(c)) throw new Error(`Segment ${c} has two parents: ${parentOf.get(c)} and ${p}`);
        parentOf.set(c, p);
      }
    const levelOf = (g: string, seen: Set<string>): number => {
      const p = parentOf.get(g);
      if (!p) return 0;
      if (seen.has(g)) throw new Error(`Segment hierarchy has a cycle through ${g}`);
      seen.add(g);
      return levelOf(p, seen) + 1;
    };
    for (const g of new Set([...children.keys(), ...parentOf.keys()])) this.levels.set(g, levelOf(g, new Set()));
    this.maxLevel = Math.max(0, ...this.levels.values());
    this.ids = new Array(this.maxLevel + 1).fill(null);
  }

  get fieldNames(): string[] {
    return Array.from({ length: this.maxLevel + 1 }, (_, i) => `Seg_Id${i}`);
  }

  /** Ids of this record and its ancestors (deeper levels null). Unknown segments get all nulls. */
  advance(group: string | undefined, offset: number): Array<string | null> {
    const level = group === undefined ? undefined : this.levels.get(group);
    if (level === undefined) return new Array(this.maxLevel + 1).fill(null);
    this.ids[level] = `${this.prefix}L${level}_${offset}`;
    for (let i = level + 1; i <= this.maxLevel; i++) this.ids[i] = null;
    return this.ids.slice();
  }

  state(): Array<string | null> {
    return this.ids.slice();
  }

  restore(ids: unknown): void {
    if (Array.isArray(ids))
      this.ids = Array.from({ length: this.maxLevel + 1 }, (_, i) =>
        typeof ids[i] === 'string' ? (ids[i] as string) : null,
      );
  }
}

/** Parses `PARENT=>CHILD1,CHILD2;PARENT2=>CHILD3` (Cobrix's segment-children). */
export function parseSegmentChildren(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([^=]+)=>(.+)$/.exec(part);
    if (!m) throw new Error(`expected PARENT=>CHILD1,CHILD2 but found "${part}"`);
    out.set(
      m[1].trim().toUpperCase(),
      m[2]
        .split(',')
        .map((s) => s.trim().toUpperCase())
        .filter(Boolean),
    );
  }
  return out;
}

/** Parses `VALUE=GROUP,VALUE2=GROUP2` (segment id value → REDEFINES group). */
export function parseSegmentRedefines(items: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const item of items) {
    const i = item.lastIndexOf('=');
    if (i <= 0) throw new Error(`expected VALUE=GROUP but found "${item}"`);
    out.set(
      item.slice(0, i).trim(),
      item
        .slice(i + 1)
        .trim()
        .toUpperCase(),
    );
  }
  return out;
}

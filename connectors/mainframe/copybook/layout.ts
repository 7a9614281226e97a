/**
 * Record layout: the copybook tree with storage computed: each field's byte offset (of its first
 * occurrence, from the start of the record), size of one occurrence, decoded type, OCCURS bounds,
 * REDEFINES links and SYNC slack bytes. USAGE and SIGN clauses of groups apply to their items.
 */
import type { CopybookAst, CopybookEntry, ConditionName, Usage } from './ast.ts';
import { CopybookSyntaxError } from './errors.ts';
import { parseCopybook, type ParseOptions } from './parser.ts';
import { fail, NATURAL_ALIGNMENT, primitiveType, storageSize } from './field-types.ts';

export { MAX_FIELD_SIZE } from './field-types.ts';

export type FieldType =
  | { kind: 'text'; length: number }
  /** PIC X COMP (a Cobrix extension): the raw bytes. */
  | { kind: 'bytes'; length: number }
  | { kind: 'national'; length: number }
  | {
      kind: 'zoned';
      digits: number;
      scale: number;
      signed: boolean;
      signPosition: 'leading' | 'trailing';
      signSeparate: boolean;
    }
  | { kind: 'packed'; digits: number; scale: number; signed: boolean; noSign?: boolean }
  | {
      kind: 'binary';
      digits: number;
      scale: number;
      signed: boolean;
      native: boolean;
      size: number;
      littleEndian?: boolean;
    }
  | { kind: 'float'; size: 4 | 8 }
  | {
      kind: 'edited';
      digits: number;
      scale: number;
      signed: boolean;
      picture: string;
      length: number;
      blankWhenZero: boolean;
    };

export interface LayoutField {
  kind: 'group' | 'primitive';
  /** COBOL name, upper-case (FILLER for fillers). */
  name: string;
  /** Connect/JSON name: `-` → `_`, in the case written. */
  fieldName: string;
  /** The name in the case written. */
  displayName: string;
  level: number;
  /** Byte offset of the first occurrence from the start of the record. */
  offset: number;
  /** Bytes of one occurrence. */
  size: number;
  occurs?: { min: number; max: number; dependingOn?: string };
  redefines?: string;
  filler: boolean;
  conditions: ConditionName[];
  line: number;
  /** Dotted COBOL path from the record, e.g. `RECORD.HEADER.ID`. */
  path: string;
  usage: Usage;
  picture?: string;
  /** For primitives. */
  type?: FieldType;
  children: LayoutField[];
  /** SYNCHRONIZED elementary item. */
  sync?: boolean;
  /** Set on counters referenced by OCCURS DEPENDING ON. */
  isDependee?: boolean;
}

export interface RenamesField {
  name: string;
  fieldName: string;
  offset: number;
  size: number;
  from: string;
  thru?: string;
}

export interface Layout {
  /** Level-01/77 records; several records share offset 0 (they redefine each other). */
  records: LayoutField[];
  /** Size of the largest record. */
  size: number;
  renames: RenamesField[];
}

export function fieldNameOf(cobolName: string): string {
  return cobolName.replace(/-/g, '_').replace(/:/g, '');
}

interface Ctx {
  usage?: Usage;
  sign: { position?: 'leading' | 'trailing'; separate?: boolean };
  path: string;
  nonTerminals?: Set<string>;
}

/** Cobrix's non_terminals: after a listed group, a text field of the group's bytes redefining it, `<NAME>_NT` (`_NT1`, ... when taken). */
function withNonTerminals(
  fields: LayoutField[],
  nonTerminals: Set<string> | undefined,
  parentPath: string,
): LayoutField[] {
  if (!nonTerminals || nonTerminals.size === 0) return fields;
  const out: LayoutField[] = [];
  for (const f of fields) {
    out.push(f);
    if (f.kind !== 'group' || !nonTerminals.has(f.name)) continue;
    let name = `${f.name}-NT`;
    for (let k = 1; fields.some((x) => x.name === name); k++) name = `${f.name}-NT${k}`;
    const length = f.size * (f.occurs?.max ?? 1);
    out.push({
      kind: 'primitive',
      name,
      fieldName: fieldNameOf(`${f.displayName}${name.slice(f.name.length)}`),
      displayName: `${f.displayName}${name.slice(f.name.length)}`,
      level: f.level,
      offset: f.offset,
      size: length,
      redefines: f.name,
      filler: false,
      conditions: [],
      line: f.line,
      path: parentPath ? `${parentPath}.${name}` : name,
      usage: 'DISPLAY',
      picture: `X(${length})`,
      type: { kind: 'text', length },
      children: [],
    });
  }
  return out;
}

/** Lays out an entry at `offset`; returns the field (offsets absolute for the first occurrence). */
function layoutEntry(e: CopybookEntry, offset: number, ctx: Ctx): LayoutField {
  const usage: Usage = e.usage ?? ctx.usage ?? 'DISPLAY';
  const sign = {
    position: e.signPosition ?? ctx.sign.position,
    separate: e.signPosition ? e.signSeparate : ctx.sign.separate,
  };
  const path = ctx.path ? `${ctx.path}.${e.name}` : e.name;
  const base = {
    name: e.name,
    fieldName: fieldNameOf(e.displayName),
    displayName: e.displayName,
    level: e.level,
    filler: e.filler,
    conditions: e.conditions,
    line: e.line,
    path,
    usage,
    occurs: e.occurs,
    redefines: e.redefines,
  };
  if (e.children.length === 0) {
    const type = primitiveType(e, usage, sign);
    let at = offset;
    const align = e.sync
      ? type.kind === 'binary' || type.kind === 'float'
        ? type.size
        : NATURAL_ALIGNMENT[usage]
      : undefined;
    if (align && at % align !== 0) at += align - (at % align);
    return {
      ...base,
      kind: 'primitive',
      offset: at,
      size: storageSize(type),
      picture: e.picture?.source,
      type,
      children: [],
      ...(e.sync ? { sync: true } : {}),
    };
  }
  if (e.picture) fail(e, `expected no PICTURE on group ${e.name}`);
  const children: LayoutField[] = [];
  let cursor = offset;
  let end = offset;
  const childCtx: Ctx = { usage: e.usage ?? ctx.usage, sign, path, nonTerminals: ctx.nonTerminals };
  for (const c of e.children) {
    // an item with neither a PICTURE nor items of its own holds no storage: Cobrix leaves it out
    if (
      c.children.length === 0 &&
      !c.picture &&
      !['COMP-1', 'COMP-2', 'INDEX', 'POINTER'].includes(c.usage ?? childCtx.usage ?? 'DISPLAY')
    )
      continue;
    if (c.usage && childCtx.usage && c.usage !== childCtx.usage && e.usage)
      fail(c, `expected the USAGE of ${c.name} (${c.usage}) to match the USAGE of its group ${e.name} (${e.usage})`);
    let at = cursor;
    if (c.redefines) {
      const target = children.filter((x) => x.name === c.redefines).pop();
      if (!target)
        fail(c, `expected ${c.name} to REDEFINES an earlier item at the same level, but ${c.redefines} is not one`);
      if (!redefinesBlock(children).includes(target))
        fail(
          c,
          `expected ${c.name} to REDEFINES the item just before it (or an item its REDEFINES block redefines), but ${c.redefines} is not part of that block`,
        );
      at = target.offset;
    }
    const f = layoutEntry(c, at, childCtx);
    children.push(f);
    const fEnd = f.offset + f.size * (f.occurs?.max ?? 1);
    end = Math.max(end, fEnd);
    cursor = c.redefines ? Math.max(cursor, fEnd) : fEnd;
  }
  let size = end - offset;
  children.splice(0, children.length, ...withNonTerminals(children, ctx.nonTerminals, path));
  // an OCCURS group containing SYNC items repeats on the alignment of its widest synchronized item
  if (e.occurs) {
    const maxAlign = maxSyncAlignment(children);
    if (maxAlign > 1 && size % maxAlign !== 0) size += maxAlign - (size % maxAlign);
  }
  return { ...base, kind: 'group', offset, size, children };
}

/** The last item that is not a REDEFINES and the REDEFINES items after it: what a new REDEFINES may name. */
function redefinesBlock(siblings: LayoutField[]): LayoutField[] {
  const block: LayoutField[] = [];
  for (let i = siblings.length - 1; i >= 0; i--) {
    block.push(siblings[i]);
    if (!siblings[i].redefines) break;
  }
  return block;
}

function maxSyncAlignment(fields: LayoutField[]): number {
  let m = 1;
  for (const f of fields) {
    if (f.kind === 'group') m = Math.max(m, maxSyncAlignment(f.children));
    // only SYNCHRONIZED items align (a binary item that happens to sit on a boundary does not)
    else if (f.sync && f.type && (f.type.kind === 'binary' || f.type.kind === 'float') && f.offset % f.type.size === 0)
      m = Math.max(m, f.type.size);
  }
  return m;
}

function walk(fields: LayoutField[], fn: (f: LayoutField) => void): void {
  for (const f of fields) {
    fn(f);
    walk(f.children, fn);
  }
}

export function buildLayout(ast: CopybookAst, options: ParseOptions = {}): Layout {
  if (ast.records.length === 0)
    throw new CopybookSyntaxError(1, 1, 'expected at least one level-01 or level-77 entry but the copybook has none');
  let records: LayoutField[];
  let size: number;
  if (ast.noRoot) {
    // the top-level items follow each other like the items of a group (REDEFINES among them too)
    const top: CopybookEntry = {
      level: 0,
      name: '',
      displayName: '',
      filler: false,
      line: 1,
      column: 1,
      conditions: [],
      children: ast.records,
    };
    const group = layoutEntry(top, 0, { sign: {}, path: '', nonTerminals: options.nonTerminals });
    records = group.children;
    size = group.size;
  } else {
    records = withNonTerminals(
      ast.records.map((r) => layoutEntry(r, 0, { sign: {}, path: '', nonTerminals: options.nonTerminals })),
      options.nonTerminals,
      '',
    );
    size = Math.max(...records.map((r) => r.size * (r.occurs?.max ?? 1)));
  }
  const all: LayoutField[] = [];
  walk(records, (f) => all.push(f));
  for (const f of all) {
    if (!f.occurs?.dependingOn) continue;
    const counter = all.find((x) => x.name === f.occurs!.dependingOn);
    if (!counter)
      throw new CopybookSyntaxError(
        f.line,
        1,
        `expected OCCURS DEPENDING ON ${f.occurs.dependingOn} of ${f.name} to name a data item of the copybook`,
      );
    const mappedText =
      counter.type?.kind === 'text' && options.occursMappingTables?.has(f.name.replace(/_/g, '-')) === true;
    if (
      !mappedText &&
      (counter.kind !== 'primitive' ||
        !counter.type ||
        counter.type.kind === 'text' ||
        counter.type.kind === 'bytes' ||
        counter.type.kind === 'national' ||
        counter.type.kind === 'float')
    ) {
      throw new CopybookSyntaxError(
        counter.line,
        1,
        `expected ${counter.name} (the OCCURS DEPENDING ON counter of ${f.name}) to be an integer item`,
      );
    }
    counter.isDependee = true;
  }
  const renames: RenamesField[] = ast.renames.map((r) => {
    const from = all.find((x) => x.name === r.from);
    const thru = r.thru ? all.find((x) => x.name === r.thru) : from;
    if (!from)
      throw new CopybookSyntaxError(r.line, 1, `expected RENAMES to name a data item, but ${r.from} is not one`);
    if (!thru)
      throw new CopybookSyntaxError(r.line, 1, `expected RENAMES THRU to name a data item, but ${r.thru} is not one`);
    const end = thru.offset + thru.size * (thru.occurs?.max ?? 1);
    return {
      name: r.name,
      fieldName: fieldNameOf(r.name),
      offset: from.offset,
      size: end - from.offset,
      from: r.from,
      thru: r.thru,
    };
  });
  if (size === 0)
    throw new CopybookSyntaxError(
      ast.records[0].line,
      ast.records[0].column,
      'expected at least one field with storage, but the copybook has none (Cobrix rejects an empty copybook)',
    );
  return { records, size, renames };
}

export function parseLayout(source: string, options: ParseOptions = {}): Layout {
  return buildLayout(parseCopybook(source, options), options);
}

/** Every field of the layout, depth first. */
export function allFields(layout: Layout): LayoutField[] {
  const out: LayoutField[] = [];
  walk(layout.records, (f) => out.push(f));
  return out;
}

function typeLabel(f: LayoutField): string {
  if (f.kind === 'group') return 'GROUP';
  const t = f.type!;
  const num = (d: number, s: number, signed: boolean) => `${signed ? 'S' : ''}9(${d})${s !== 0 ? `,scale=${s}` : ''}`;
  switch (t.kind) {
    case 'text':
      return `X(${t.length})`;
    case 'bytes':
      return `X(${t.length}) COMP`;
    case 'national':
      return `N(${t.length / 2})`;
    case 'zoned':
      return `ZONED ${num(t.digits, t.scale, t.signed)}${t.signSeparate ? ` SIGN ${t.signPosition.toUpperCase()} SEPARATE` : t.signPosition === 'leading' ? ' SIGN LEADING' : ''}`;
    case 'packed':
      return `COMP-3 ${num(t.digits, t.scale, t.signed)}`;
    case 'binary':
      return `${t.native ? 'COMP-5' : 'COMP'} ${num(t.digits, t.scale, t.signed)}`;
    case 'float':
      return t.size === 4 ? 'COMP-1' : 'COMP-2';
    case 'edited':
      return `EDITED ${t.picture}`;
  }
}

/** A table like Cobrix's layout dump: level and name, type, start (1-based), end, length. */
export function formatLayout(layout: Layout): string {
  const rows: string[][] = [];
  const visit = (f: LayoutField, depth: number) => {
    const occurs = f.occurs
      ? `[${f.occurs.min === f.occurs.max ? f.occurs.max : `${f.occurs.min}..${f.occurs.max}`}${f.occurs.dependingOn ? ` DEPENDING ON ${f.occurs.dependingOn}` : ''}]`
      : '';
    const len = f.size * (f.occurs?.max ?? 1);
    const flags = [f.redefines ? `R(${f.redefines})` : '', f.isDependee ? 'D' : ''].filter(Boolean).join(' ');
    rows.push([
      `${'  '.repeat(depth)}${String(f.level).padStart(2, '0')} ${f.name}${occurs}`,
      typeLabel(f),
      flags,
      String(f.offset + 1),
      String(f.offset + len),
      String(len),
    ]);
    for (const c of f.children) visit(c, depth + 1);
  };
  for (const r of layout.records) visit(r, 0);
  for (const r of layout.renames)
    rows.push([
      `66 ${r.name}`,
      `RENAMES ${r.from}${r.thru ? ` THRU ${r.thru}` : ''}`,
      '',
      String(r.offset + 1),
      String(r.offset + r.size),
      String(r.size),
    ]);
  const header = ['LEVEL NAME', 'TYPE', 'FLAGS', 'START', 'END', 'LENGTH'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i >= 3 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

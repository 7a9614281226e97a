/**
 * The Connect view of decoded records: a schema derived from the copybook (names with `-` → `_`,
 * groups as structs, OCCURS as arrays, scaled numbers as Connect Decimal with the scale and a
 * `connect.decimal.precision` parameter as Debezium sets it, COMP-1/COMP-2 as float32/float64)
 * and Structs built from the decoder's positional arrays. Every field is optional: blank
 * numbers, short records and inactive segments decode to null.
 */
import { Decimal, SchemaBuilder, type Schema, Struct } from '../../../sdk/data.ts';
import { SmallDecimal } from '../codec/small-decimal.ts';
import type { Literal } from '../copybook/ast.ts';
import type { DecoderNode, RecordDecoder } from './record-decoder.ts';

export interface ConnectViewOptions {
  /** Schema name of the value struct. */
  name?: string;
  /** `collapse_root`: a single 01 record's fields are the top level (default); `keep_original`: the 01 record is a field. */
  schemaRetention?: 'collapse_root' | 'keep_original';
  /** Fields put first: a name is an optional string (e.g. Seg_Id0 of hierarchical files), or a name with its schema (File_Id). */
  extraFields?: Array<string | { name: string; schema: Schema }>;
  /** Make the value struct optional (as the before/after fields of an envelope are). */
  optional?: boolean;
}

function literalText(l: Literal): string {
  switch (l.kind) {
    case 'string':
      return `${l.hex ? 'X' : l.national ? 'N' : ''}'${l.value.replace(/'/g, "''")}'`;
    case 'number':
      return l.value;
    case 'figurative':
      return `${l.all ? 'ALL ' : ''}${l.value}`;
    case 'all':
      return `ALL '${l.value}'`;
  }
}

/** 88-level condition names as schema parameters `cobol.condition.<NAME>` = `VALUE 'A' 'X' THRU 'Z'` (metadata only). */
export function conditionParameters(n: DecoderNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of n.field.conditions)
    out[`cobol.condition.${c.name}`] = c.values
      .map((v) => (v.thru ? `${literalText(v.from)} THRU ${literalText(v.thru)}` : literalText(v.from)))
      .join(' ');
  return out;
}

function primitiveSchema(n: DecoderNode): Schema {
  const t = n.field.type!;
  const k = n.numeric;
  let b: SchemaBuilder;
  if (t.kind === 'bytes') b = SchemaBuilder.bytes();
  else if (t.kind === 'text' || t.kind === 'national' || !k) b = SchemaBuilder.string();
  else if (k.type === 'decimal')
    b = Decimal.builder(k.scale).parameter('connect.decimal.precision', String(k.precision));
  else b = new SchemaBuilder(k.type);
  if (n.field.conditions.length > 0) b.parameters(conditionParameters(n));
  return b.optional().build();
}

function uniqueNames(nodes: DecoderNode[]): string[] {
  const seen = new Map<string, number>();
  return nodes.map((n) => {
    const base = n.field.fieldName;
    const k = (seen.get(base) ?? 0) + 1;
    seen.set(base, k);
    return k === 1 ? base : `${base}_${k}`;
  });
}

interface SchemaNode {
  schema: Schema;
  /** For structs (groups): the child plans, positional like the decoder's arrays. */
  children?: SchemaNode[];
  /** For arrays: the element plan. */
  element?: SchemaNode;
}

function elementPlan(n: DecoderNode, structName: string): SchemaNode {
  if (n.decode) return { schema: primitiveSchema(n) };
  const names = uniqueNames(n.outputs);
  const b = SchemaBuilder.struct().name(structName).optional();
  const children: SchemaNode[] = [];
  n.outputs.forEach((c, i) => {
    const p = fieldPlan(c, `${structName}.${names[i]}`);
    children.push(p);
    b.field(names[i], p.schema);
  });
  return { schema: b.build(), children };
}

function fieldPlan(n: DecoderNode, structName: string): SchemaNode {
  const element = elementPlan(n, structName);
  if (!n.occurs) return element;
  return { schema: SchemaBuilder.array(element.schema).optional().build(), element };
}

function toConnect(plan: SchemaNode, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (plan.element) return (value as unknown[]).map((v) => toConnect(plan.element!, v));
  if (plan.children) {
    const s = new Struct(plan.schema);
    const arr = value as unknown[];
    const fields = plan.schema.fields;
    for (let i = 0; i < fields.length; i++) {
      const v = arr[i];
      if (v !== null && v !== undefined) s.put(fields[i], toConnect(plan.children[i], v));
    }
    return s;
  }
  return value instanceof SmallDecimal ? value.toBigDecimal() : value;
}

function addExtra(b: SchemaBuilder, e: string | { name: string; schema: Schema }): void {
  if (typeof e === 'string') b.field(e, SchemaBuilder.string().optional().build());
  else b.field(e.name, e.schema);
}

/** Builds the value schema once and converts each decoded record to a Struct. */
export class ConnectView {
  readonly schema: Schema;
  private readonly plans: SchemaNode[];
  private readonly collapse: boolean;
  private readonly extra: Array<string | { name: string; schema: Schema }>;

  constructor(decoder: RecordDecoder, options: ConnectViewOptions = {}) {
    const name = options.name ?? 'mainframe.Record';
    this.extra = options.extraFields ?? [];
    const roots = decoder.roots;
    this.collapse =
      (options.schemaRetention ?? 'collapse_root') === 'collapse_root' &&
      roots.length === 1 &&
      !roots[0].occurs &&
      !roots[0].decode;
    if (this.collapse) {
      const plan = elementPlan(roots[0], name);
      const b = SchemaBuilder.struct().name(name);
      if (options.optional) b.optional();
      for (const e of this.extra) addExtra(b, e);
      for (const f of plan.schema.fields) b.field(f.name, f.schema);
      this.schema = b.build();
      this.plans = plan.children!;
    } else {
      const names = uniqueNames(roots);
      const b = SchemaBuilder.struct().name(name);
      if (options.optional) b.optional();
      for (const e of this.extra) addExtra(b, e);
      this.plans = roots.map((r, i) => fieldPlan(r, `${name}.${names[i]}`));
      this.plans.forEach((p, i) => b.field(names[i], p.schema));
      this.schema = b.build();
    }
  }

  /** `values` as returned by RecordDecoder.decode; `extra` the values of the extra fields. */
  toStruct(values: unknown[], extra: readonly unknown[] = []): Struct {
    const s = new Struct(this.schema);
    const fields = this.schema.fields;
    const n = this.extra.length;
    for (let i = 0; i < n; i++) if (extra[i] !== undefined && extra[i] !== null) s.put(fields[i], extra[i]);
    const top = this.collapse ? ((values[0] as unknown[] | null) ?? []) : values;
    for (let i = 0; i < this.plans.length; i++) {
      const v = toConnect(this.plans[i], top[i]);
      if (v !== null) s.put(fields[n + i], v);
    }
    return s;
  }
}

/**
 * Compiles a layout into a decoder: bytes of one record → nested values. Groups decode to
 * positional arrays (one slot per kept child: FILLER and 88-levels never appear), OCCURS to JS
 * arrays (DEPENDING ON: the actual count), inactive segment REDEFINES to null. Numbers come out
 * as `NumericValue`s: JS numbers for safe integers, bigint beyond, BigDecimal when scaled; the
 * Connect and JSON views in connect-schema.ts / json-view.ts read these arrays.
 */
import { InvalidFieldData } from '../codec/errors.ts';
import type { Layout, LayoutField } from '../copybook/layout.ts';
import { fastFieldDecoder, numberForm, type FastFn, type NumberForm } from './fast-fields.ts';
import { numericKind, partialTextDecoder, primitiveDecoder } from './field-decoders.ts';
import { OccursMappingPlan } from './occurs-mappings.ts';
import { addError, compileStatic, counterValue, textSpansOf, type StaticFn } from './static-decoder.ts';
import type { DecodeOptions, InvalidDataPolicy } from './options.ts';

export type NumericKind =
  | { type: 'int32' }
  | { type: 'int64' }
  | { type: 'decimal'; scale: number; precision: number }
  | { type: 'float32' }
  | { type: 'float64' };

export interface DecoderNode {
  field: LayoutField;
  /** Offset from the start of the enclosing group occurrence (or record). */
  rel: number;
  size: number;
  /** Index among the parent's children of the item this one redefines, or -1. */
  redefinesIndex: number;
  /** Kept in the output (not FILLER). */
  output: boolean;
  occurs?: { min: number; max: number; counterSlot: number };
  /** Counter slot this primitive feeds (OCCURS DEPENDING ON), or -1. */
  counterSlot: number;
  /** For primitives. */
  decode?: (buf: Buffer, at: number, ctx: DecodeContext) => unknown;
  /** For text primitives: the value of the bytes present when the record ends inside the field. */
  partial?: (buf: Buffer, at: number, end: number) => unknown;
  /** For primitives of a common form: a decoder that returns undefined where `decode` must decide. */
  fast?: FastFn;
  /** For number primitives of a common form: what the generated code reads inline (the same values as `fast`). */
  form?: NumberForm;
  numeric?: NumericKind;
  children: DecoderNode[];
  /** Output children (for groups). */
  outputs: DecoderNode[];
  /** A `<name>_debug` companion holding the raw bytes of the field before it. */
  debug?: boolean;
}

function debugCompanion(c: DecoderNode): DecoderNode {
  const size = c.size;
  const field: LayoutField = {
    ...c.field,
    name: `${c.field.name}-DEBUG`,
    fieldName: `${c.field.fieldName}_debug`,
    conditions: [],
    isDependee: false,
    type: { kind: 'text', length: size },
    children: [],
  };
  return {
    ...c,
    field,
    counterSlot: -1,
    numeric: undefined,
    redefinesIndex: -1,
    children: [],
    outputs: [],
    debug: true,
    fast: undefined,
    form: undefined,
    decode: (buf, at) => buf.toString('hex', at, at + size).toUpperCase(),
  };
}

export interface DecodeError {
  path: string;
  offset: number;
  message: string;
}

export interface DecodeContext {
  counters: number[];
  /** Null until a field is invalid. */
  errors: DecodeError[] | null;
  invalidData: InvalidDataPolicy;
  /** Names of segment REDEFINES groups that are not active in this record. */
  inactive: Set<string> | null;
  /** The record decoded as text once (single-byte encodings), so text fields are substrings. */
  recordText: string | null;
  recordStart: number;
  recordEnd: number;
  /** Offsets (pairs, from the record start) of the text fields, so only their bytes are translated; null: translate the whole record. */
  textSpans: Int32Array | null;
}

export function newContext(
  counterCount: number,
  inactive: Set<string> | null,
  invalidData: InvalidDataPolicy,
  start: number,
  end: number,
  textSpans: Int32Array | null = null,
): DecodeContext {
  return {
    counters: counterCount > 0 ? new Array(counterCount).fill(0) : EMPTY_COUNTERS,
    errors: null,
    inactive,
    invalidData,
    recordText: null,
    recordStart: start,
    recordEnd: end,
    textSpans,
  };
}

export class RecordDecodeError extends Error {
  constructor(readonly errors: DecodeError[]) {
    super(
      `Invalid data in ${errors.length === 1 ? 'field' : 'fields'} ${errors.map((e) => `${e.path} at byte ${e.offset} of the record: ${e.message}`).join('; ')}`,
    );
    this.name = 'RecordDecodeError';
  }
}

export class RecordDecoder {
  readonly roots: DecoderNode[];
  /** Number of OCCURS DEPENDING ON counters. */
  readonly counterCount: number;
  readonly segmentNames: Set<string>;
  private readonly segmentNode: DecoderNode | undefined;
  private readonly textSpans: Int32Array | null;
  /** Per active segment group: the segment groups not decoded. */
  private readonly inactiveSets = new Map<string, Set<string>>();
  /** A context free for the next record (layouts without OCCURS DEPENDING ON counters). */
  private spareContext: DecodeContext | null = null;
  /** Fixed-offset decoders (no variable.size.occurs), one per root. */
  private readonly staticRoots: StaticFn[] | null;

  constructor(
    readonly layout: Layout,
    readonly options: DecodeOptions,
  ) {
    const slots = new Map<string, number>();
    for (const f of walkFields(layout.records)) if (f.isDependee && !slots.has(f.name)) slots.set(f.name, slots.size);
    const mapped = options.occursMappings
      ? new OccursMappingPlan(walkFields(layout.records), options.occursMappings, slots.size, options.invalidData)
      : null;
    this.counterCount = slots.size + (mapped?.count ?? 0);
    const debug = options.debug === 'hex';
    if (debug && options.variableSizeOccurs)
      throw new Error('debug fields cannot be combined with variable.size.occurs');
    const compile = (f: LayoutField, parentOffset: number, siblings: LayoutField[]): DecoderNode => {
      const children: DecoderNode[] = [];
      for (const c of f.children) {
        const node = compile(c, f.offset, f.children);
        children.push(node);
        if (debug && node.decode && node.output) children.push(debugCompanion(node));
      }
      const numeric =
        f.kind === 'primitive' &&
        f.type &&
        f.type.kind !== 'text' &&
        f.type.kind !== 'national' &&
        f.type.kind !== 'bytes'
          ? numericKind(f.type, options)
          : undefined;
      const node: DecoderNode = {
        field: f,
        rel: f.offset - parentOffset,
        size: f.size,
        redefinesIndex: f.redefines ? siblings.findIndex((s) => s.name === f.redefines) : -1,
        output:
          !f.filler || (f.kind === 'group' ? options.dropGroupFillers === false : options.dropValueFillers === false),
        occurs: f.occurs
          ? {
              min: f.occurs.min,
              max: f.occurs.max,
              counterSlot: mapped?.slotOf(f) ?? (f.occurs.dependingOn ? slots.get(f.occurs.dependingOn)! : -1),
            }
          : undefined,
        counterSlot: f.isDependee ? slots.get(f.name)! : -1,
        numeric,
        children,
        outputs: children.filter((c) => c.output),
      };
      if (f.kind === 'primitive') {
        node.decode = primitiveDecoder(f, options, numeric);
        node.partial = partialTextDecoder(f, options);
        if (mapped) node.decode = mapped.wrapCounter(f, node.decode);
        if (node.counterSlot < 0 && options.fastPaths !== false) {
          node.fast = fastFieldDecoder(f, options, numeric) ?? undefined;
          node.form = numberForm(f, options, numeric) ?? undefined;
        }
      }
      // a group of nothing but FILLERs has no field to show (as Cobrix leaves it out)
      else if (node.outputs.length === 0) node.output = false;
      return node;
    };
    this.roots = layout.records.map((r) => compile(r, 0, layout.records));
    const groupNames = new Set(walkFields(layout.records).map((f) => f.name));
    // segment group names are accepted with - or _, as field names are
    const groupName = (v: string) =>
      groupNames.has(v.toUpperCase()) ? v.toUpperCase() : v.toUpperCase().replace(/_/g, '-');
    this.segmentNames = new Set(options.segmentRedefines ? [...options.segmentRedefines.values()].map(groupName) : []);
    this.staticRoots = options.variableSizeOccurs ? null : this.roots.map((r) => compileStatic(r, this.segmentNames));
    this.textSpans = options.variableSizeOccurs ? null : textSpansOf(this.roots);
    for (const name of this.segmentNames) {
      if (!walkFields(layout.records).some((f) => f.name === name))
        throw new Error(`Segment group ${name} is not a field of the copybook`);
    }
    if (options.segmentField) {
      this.segmentNode =
        findNode(this.roots, options.segmentField.toUpperCase()) ??
        findNode(this.roots, options.segmentField.toUpperCase().replace(/_/g, '-'));
      if (!this.segmentNode || this.segmentNode.field.kind !== 'primitive')
        throw new Error(`Segment field ${options.segmentField} is not an elementary field of the copybook`);
      if (this.segmentNode.field.occurs)
        throw new Error(`Segment field ${options.segmentField} cannot be inside an OCCURS`);
    }
  }

  /** The segment id value of a record (trimmed text or number as a string), or null without segments. */
  segmentId(buf: Buffer, start = 0, end = buf.length): string | null {
    const n = this.segmentNode;
    if (!n) return null;
    const at = start + n.field.offset;
    if (at + n.size > end) return null;
    try {
      const v = n.decode!(buf, at, newContext(0, null, 'null', start, end));
      return v === null ? null : String(v).trim();
    } catch {
      return null;
    }
  }

  /** The REDEFINES group selected by a segment id, if the segment map names one. */
  segmentGroup(segmentId: string | null): string | undefined {
    const group = segmentId === null ? undefined : this.options.segmentRedefines?.get(segmentId)?.toUpperCase();
    return group === undefined || this.segmentNames.has(group) ? group : group.replace(/_/g, '-');
  }

  /**
   * Decodes one record of bytes [start, end). Returns one value per root (level-01/77 record).
   * Throws RecordDecodeError for invalid data when options.invalidData is `fail`.
   */
  decode(
    buf: Buffer,
    start = 0,
    end = buf.length,
    activeSegment?: string | null,
  ): { values: unknown[]; errors: DecodeError[]; segmentId: string | null } {
    const segmentId = this.segmentId(buf, start, end);
    let inactive: Set<string> | null = null;
    if (this.segmentNames.size > 0) {
      const active = (activeSegment === undefined ? this.segmentGroup(segmentId) : (activeSegment ?? undefined)) ?? '';
      inactive = this.inactiveSets.get(active) ?? null;
      if (inactive === null) {
        inactive = new Set([...this.segmentNames].filter((n) => n !== active));
        this.inactiveSets.set(active, inactive);
      }
    }
    // the context of the record before, taken while in use: no allocation per record
    let ctx = this.spareContext;
    if (ctx !== null) {
      this.spareContext = null;
      ctx.errors = null;
      ctx.inactive = inactive;
      ctx.recordText = null;
      ctx.recordStart = start;
      ctx.recordEnd = end;
    } else ctx = newContext(this.counterCount, inactive, this.options.invalidData, start, end, this.textSpans);
    const roots = this.roots;
    const values: unknown[] = new Array(roots.length);
    for (let i = 0; i < roots.length; i++) {
      if (inactive !== null && inactive.has(roots[i].field.name)) {
        values[i] = null;
        continue;
      }
      values[i] = this.staticRoots
        ? this.staticRoots[i](buf, start, end, ctx)
        : this.decodeOccurrences(roots[i], buf, start, end, ctx).value;
    }
    const errors = ctx.errors;
    // counters are per record: a layout with any gets a new context each time
    if (this.counterCount === 0) this.spareContext = ctx;
    if (errors !== null && this.options.invalidData === 'fail') throw new RecordDecodeError(errors);
    return { values, errors: errors ?? NO_ERRORS, segmentId };
  }

  /**
   * With variable.size.occurs: the bytes the record at `start` really takes (each OCCURS
   * DEPENDING ON table at its actual count). Larger than `end - start` when the bytes present
   * hold only part of it (a counter beyond `end` reads as 0, so the size still exceeds `end`).
   */
  variableRecordSize(buf: Buffer, start: number, end: number): number {
    const ctx = newContext(this.counterCount, null, 'null', start, end);
    let size = 0;
    for (const r of this.roots) size = Math.max(size, this.decodeOccurrences(r, buf, start, end, ctx).consumed);
    return size;
  }

  private decodeOccurrences(
    n: DecoderNode,
    buf: Buffer,
    at: number,
    end: number,
    ctx: DecodeContext,
  ): { value: unknown; consumed: number } {
    if (!n.occurs) return this.decodeOne(n, buf, at, end, ctx);
    let count = n.occurs.max;
    if (n.occurs.counterSlot >= 0) {
      const c = ctx.counters[n.occurs.counterSlot];
      count = Math.max(n.occurs.min, Math.min(n.occurs.max, c));
      if (c > n.occurs.max || c < n.occurs.min) {
        addError(ctx, {
          path: n.field.path,
          offset: at - ctx.recordStart,
          message: `OCCURS DEPENDING ON count ${c} outside ${n.occurs.min}..${n.occurs.max}`,
        });
      }
    }
    const arr: unknown[] = new Array(count);
    let pos = at;
    for (let i = 0; i < count; i++) {
      const r = this.decodeOne(n, buf, pos, end, ctx);
      arr[i] = r.value;
      pos += this.options.variableSizeOccurs ? r.consumed : n.size;
    }
    const consumed = this.options.variableSizeOccurs ? pos - at : n.size * n.occurs.max;
    return { value: arr, consumed };
  }

  private decodeOne(
    n: DecoderNode,
    buf: Buffer,
    at: number,
    end: number,
    ctx: DecodeContext,
  ): { value: unknown; consumed: number } {
    if (n.decode) {
      if (at + n.size > end)
        return { value: n.partial !== undefined && at < end ? n.partial(buf, at, end) : null, consumed: n.size };
      let v: unknown;
      try {
        v = n.decode(buf, at, ctx);
      } catch (err) {
        if (!(err instanceof InvalidFieldData)) throw err;
        addError(ctx, { path: n.field.path, offset: at - ctx.recordStart, message: err.message });
        v = null;
      }
      if (n.counterSlot >= 0) ctx.counters[n.counterSlot] = counterValue(v);
      return { value: v, consumed: n.size };
    }
    const out: unknown[] = [];
    const starts: number[] = new Array(n.children.length);
    const ends: number[] = new Array(n.children.length);
    let cursor = at;
    const variable = this.options.variableSizeOccurs;
    for (let i = 0; i < n.children.length; i++) {
      const c = n.children[i];
      const cAt = c.redefinesIndex >= 0 ? starts[c.redefinesIndex] : variable ? cursor : at + c.rel;
      starts[i] = cAt;
      if (ctx.inactive?.has(c.field.name)) {
        if (c.output) out.push(null);
        ends[i] = cAt + c.size * (c.occurs?.max ?? 1);
        if (c.redefinesIndex < 0) cursor = ends[i];
        continue;
      }
      const r = this.decodeOccurrences(c, buf, cAt, end, ctx);
      if (c.output) out.push(r.value);
      ends[i] = cAt + r.consumed;
      cursor = c.redefinesIndex >= 0 ? Math.max(cursor, ends[i]) : Math.max(cursor, ends[i]);
    }
    return { value: out, consumed: variable ? cursor - at : n.size };
  }
}

const EMPTY_COUNTERS: number[] = [];
const NO_ERRORS: DecodeError[] = [];

export function walkFields(fields: LayoutField[]): LayoutField[] {
  const out: LayoutField[] = [];
  const visit = (f: LayoutField) => {
    out.push(f);
    f.children.forEach(visit);
  };
  fields.forEach(visit);
  return out;
}

export function findNode(nodes: DecoderNode[], name: string): DecoderNode | undefined {
  for (const n of nodes) {
    if (n.field.name === name) return n;
    const c = findNode(n.children, name);
    if (c) return c;
  }
  return undefined;
}

/**
 * Fixed-offset decoding (no variable.size.occurs): each group compiled into one generated function
 * that decodes its fields at their layout offsets, trying each field's fast decoder first; and the
 * text spans of a record (so only their bytes are translated).
 */
import { BigDecimal } from '../../../sdk/data.ts';
import { InvalidFieldData } from '../codec/errors.ts';
import { smallDecimal } from '../codec/small-decimal.ts';
import { makeText, PACKED_PAIR, shortText, textForms, type FastFn, type TextForm } from './fast-fields.ts';
import { inlineText } from './inline-text.ts';
import { INLINE_VARIABLES, inlineNumber, ZONED_DIGIT } from './inline-fields.ts';
import type { DecodeContext, DecodeError, DecoderNode } from './record-decoder.ts';

const MAX_TEXT_SPANS = 256;

/** Merged [start, end) offsets of every text field occurrence at fixed offsets, or null when there are too many. */
export function textSpansOf(roots: DecoderNode[]): Int32Array | null {
  const spans: Array<[number, number]> = [];
  const visit = (n: DecoderNode, base: number): boolean => {
    const count = n.occurs?.max ?? 1;
    for (let k = 0; k < count; k++) {
      const at = base + n.rel + k * n.size;
      if (n.decode) {
        if (n.field.type?.kind === 'text' && !n.debug) spans.push([at, at + n.size]);
      } else {
        for (const c of n.children) if (!visit(c, at)) return false;
      }
      if (spans.length > MAX_TEXT_SPANS * 4) return false;
    }
    return true;
  };
  for (const r of roots) if (!visit(r, 0)) return null;
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s[0] <= last[1]) last[1] = Math.max(last[1], s[1]);
    else merged.push([s[0], s[1]]);
  }
  return merged.length > MAX_TEXT_SPANS ? null : Int32Array.from(merged.flat());
}

/** Records invalid data of a field (the policy decides later whether the record fails). */
export function addError(ctx: DecodeContext, e: DecodeError): void {
  (ctx.errors ??= []).push(e);
}

export type StaticFn = (buf: Buffer, at: number, end: number, ctx: DecodeContext) => unknown;

/** The count an OCCURS DEPENDING ON counter field holds (0 when null). */
export function counterValue(v: unknown): number {
  return typeof v === 'number'
    ? v
    : typeof v === 'bigint'
      ? Number(v)
      : v instanceof BigDecimal
        ? Number(v.unscaled)
        : 0;
}

/**
 * Compiles a node for fixed offsets: every field sits at its layout offset from the start of its
 * enclosing occurrence, so decoding is a walk of closures with no offset bookkeeping.
 */
export function compileStatic(n: DecoderNode, gated: Set<string>): StaticFn {
  const one = compileStaticOne(n, gated);
  if (!n.occurs) return one;
  const { min, max, counterSlot } = n.occurs;
  const size = n.size;
  const path = n.field.path;
  return (buf, at, end, ctx) => {
    let count = max;
    if (counterSlot >= 0) {
      const c = ctx.counters[counterSlot];
      count = c < min ? min : c > max ? max : c;
      if (c > max || c < min)
        addError(ctx, {
          path,
          offset: at - ctx.recordStart,
          message: `OCCURS DEPENDING ON count ${c} outside ${min}..${max}`,
        });
    }
    const arr: unknown[] = new Array(count);
    for (let k = 0; k < count; k++) arr[k] = one(buf, at + k * size, end, ctx);
    return arr;
  };
}

function compileStaticOne(n: DecoderNode, gated: Set<string>): StaticFn {
  if (n.decode) {
    const decode = n.decode;
    const partial = n.partial;
    const size = n.size;
    const slot = n.counterSlot;
    const path = n.field.path;
    return (buf, at, end, ctx) => {
      if (at + size > end) return partial !== undefined && at < end ? partial(buf, at, end) : null;
      let v: unknown;
      try {
        v = decode(buf, at, ctx);
      } catch (err) {
        if (!(err instanceof InvalidFieldData)) throw err;
        addError(ctx, { path, offset: at - ctx.recordStart, message: err.message });
        v = null;
      }
      if (slot >= 0) ctx.counters[slot] = counterValue(v);
      return v;
    };
  }
  // One generated function per group: each field gets its own call site, so V8 inlines the
  // field decoders (a loop over the children would make one megamorphic call site). The code
  // holds only numeric offsets and indexes, never text from the copybook.
  const kids = n.children.filter((c) => c.output || hasDependee(c));
  const fns = kids.map((c) => compileStatic(c, gated));
  const names = kids.map((c) => c.field.name);
  // a fast decoder is tried first where the field has one; the body using them runs only when the
  // whole group is inside the record (the exact decoders give null to fields cut short)
  const fast = kids.map((c) => (c.fast && !c.occurs && !gated.has(c.field.name) ? c.fast : null));
  // text fields with a fast decoder are decoded inline too, each with its own last value
  const texts: TextForm[] = [];
  const textIndex = fast.map((q) => {
    const t = q === null ? undefined : textForms.get(q);
    return t === undefined ? -1 : texts.push(t) - 1;
  });
  const body = (useFast: boolean) => {
    const lines: string[] = [];
    let j = 0;
    kids.forEach((c, i) => {
      const call = `f[${i}](buf, at + ${c.rel}, end, ctx)`;
      // only segment REDEFINES groups can be inactive
      let expr = gated.has(c.field.name) ? `(inactive !== null && inactive.has(names[${i}]) ? null : ${call})` : call;
      const form = c.form;
      if (useFast && fast[i] && form) {
        lines.push(inlineNumber(form, 'at', c.rel));
        expr = `v === v ? ${form.scale >= 0 ? `S(v, ${form.scale})` : 'v'} : ${call}`;
      } else if (useFast && textIndex[i] >= 0) {
        lines.push(inlineText(texts[textIndex[i]], textIndex[i], 'at', c.rel));
        expr = `x !== undefined ? x : ${call}`;
      } else if (useFast && fast[i]) {
        lines.push(`x = q[${i}](buf, at + ${c.rel}, ctx);`);
        expr = `x !== undefined ? x : ${call}`;
      }
      lines.push(c.output ? `const r${j++} = ${expr};` : `${expr};`);
    });
    // one array literal of the values (packed, allocated at once)
    lines.push(`return [${Array.from({ length: j }, (_, k) => `r${k}`).join(', ')}];`);
    return lines.join('\n');
  };
  const lines = ['const inactive = ctx.inactive;'];
  if (fast.some((x) => x !== null))
    lines.push(`if (at + ${n.size} <= end) {`, `let x; ${INLINE_VARIABLES}`, body(true), '} else {', body(false), '}');
  else lines.push(body(false));
  const factory = new Function(
    'f',
    'q',
    'names',
    'P',
    'Z',
    'S',
    'TC',
    'TP',
    'TL',
    'ST',
    'MT',
    `return function group(buf, at, end, ctx) {\n${lines.join('\n')}\n};`,
  ) as (
    f: StaticFn[],
    q: Array<FastFn | null>,
    names: string[],
    p: Int8Array,
    z: Int8Array,
    s: typeof smallDecimal,
    tc: Uint16Array[],
    tp: Uint8Array[],
    tl: string[],
    st: typeof shortText,
    mt: typeof makeText,
  ) => StaticFn;
  return factory(
    fns,
    fast,
    names,
    PACKED_PAIR,
    ZONED_DIGIT,
    smallDecimal,
    texts.map((t) => t.chars),
    texts.map((t) => t.pad),
    texts.map(() => ''),
    shortText,
    makeText,
  );
}

function hasDependee(n: DecoderNode): boolean {
  return n.counterSlot >= 0 || n.children.some(hasDependee);
}

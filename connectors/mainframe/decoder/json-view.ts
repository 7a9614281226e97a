/**
 * The JSON view of decoded records (CLI output): names with `-` → `_`, groups nested, OCCURS as
 * arrays, integers as JSON numbers within ±(2^53−1) and strings beyond, scaled decimals as exact
 * strings ("-12.30"), floats as numbers, null fields kept as null; inactive segment groups are
 * omitted. Converters are compiled once per layout node.
 */
import { BigDecimal } from '../../../sdk/data.ts';
import { SmallDecimal } from '../codec/small-decimal.ts';
import type { DecoderNode, RecordDecoder } from './record-decoder.ts';

type ToJson = (v: unknown) => unknown;

/** Output names of sibling fields: a repeated name gets `_2`, `_3`, ... */
export function uniqueNames(nodes: DecoderNode[]): string[] {
  const seen = new Map<string, number>();
  return nodes.map((n) => {
    const k = (seen.get(n.field.fieldName) ?? 0) + 1;
    seen.set(n.field.fieldName, k);
    return k === 1 ? n.field.fieldName : `${n.field.fieldName}_${k}`;
  });
}

/** BigDecimal.toString with a number fast path for unscaled values within ±(2^53−1). */
function decimalString(unscaled: bigint, scale: number): string {
  if (unscaled < -9007199254740991n || unscaled > 9007199254740991n) return new BigDecimal(unscaled, scale).toString();
  const n = Number(unscaled);
  const neg = n < 0;
  let digits = String(neg ? -n : n);
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const point = digits.length - scale;
  return (neg ? '-' : '') + digits.slice(0, point) + '.' + digits.slice(point);
}

/** The JSON value of a decoded elementary field. */
export function jsonScalar(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v.toString();
  if (v instanceof SmallDecimal) return v.scale > 0 ? v.toString() : v.small;
  if (v instanceof BigDecimal) {
    if (v.scale > 0) return decimalString(v.unscaled, v.scale);
    const u = v.unscaled;
    return u >= -9007199254740991n && u <= 9007199254740991n ? Number(u) : u.toString();
  }
  return v;
}

export class JsonView {
  private readonly collapse: boolean;
  private readonly rootKeys: string[];
  private readonly rootFns: ToJson[];
  /** Per output position of the collapsed root: whether a null there is an inactive segment group (omitted). */
  private readonly rootOmitNull: boolean[];
  private readonly segmentNames: Set<string>;

  constructor(
    private readonly decoder: RecordDecoder,
    schemaRetention: 'collapse_root' | 'keep_original' = 'collapse_root',
  ) {
    this.segmentNames = decoder.segmentNames;
    const roots = decoder.roots;
    this.collapse = schemaRetention === 'collapse_root' && roots.length === 1 && !roots[0].occurs && !roots[0].decode;
    if (this.collapse) {
      const r = roots[0];
      this.rootKeys = uniqueNames(r.outputs);
      this.rootFns = r.outputs.map((c) => this.fieldFn(c));
      this.rootOmitNull = r.outputs.map((c) => this.segmentNames.has(c.field.name));
    } else {
      this.rootKeys = uniqueNames(roots);
      this.rootFns = roots.map((r) => this.fieldFn(r));
      this.rootOmitNull = roots.map((r) => this.segmentNames.has(r.field.name));
    }
  }

  private elementFn(n: DecoderNode): ToJson {
    // PIC X COMP bytes as upper-case hex (as Cobrix's binary_as_hex shows them)
    if (n.decode && n.field.type?.kind === 'bytes')
      return (v) => (v == null ? null : (v as Buffer).toString('hex').toUpperCase());
    if (n.decode) return jsonScalar;
    const keys = uniqueNames(n.outputs);
    const fns = n.outputs.map((c) => this.fieldFn(c));
    const omit = n.outputs.map((c) => this.segmentNames.has(c.field.name));
    return (v) => {
      if (v === null || v === undefined) return null;
      const arr = v as unknown[];
      const o: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const x = arr[i];
        if ((x === null || x === undefined) && omit[i]) continue;
        o[keys[i]] = fns[i](x);
      }
      return o;
    };
  }

  private fieldFn(n: DecoderNode): ToJson {
    const element = this.elementFn(n);
    if (!n.occurs) return element;
    return (v) => (v === null || v === undefined ? null : (v as unknown[]).map(element));
  }

  /** A plain object; `extra` fields (segment ids) come first. */
  toJson(values: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
    const o: Record<string, unknown> = { ...extra };
    const top = this.collapse ? ((values[0] as unknown[] | null) ?? []) : values;
    for (let i = 0; i < this.rootKeys.length; i++) {
      const x = top[i];
      if ((x === null || x === undefined) && this.rootOmitNull[i]) continue;
      o[this.rootKeys[i]] = this.rootFns[i](x);
    }
    return o;
  }
}

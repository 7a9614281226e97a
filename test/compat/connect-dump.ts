/**
 * Tributary's Connect data dumped in the canonical form of test/compat/java/ToConnect.java, so
 * toConnectData results compare across Java and JavaScript: values typed by schema (schemaless:
 * by runtime type), doubles and floats as IEEE bits, int64 and decimals as text, maps unordered.
 */
import type { Schema } from '../../runtime/data/schema.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { BigDecimal } from '../../runtime/data/logical.ts';

const view = new DataView(new ArrayBuffer(8));

function doubleBits(d: number): string {
  if (Number.isNaN(d)) return '7ff8000000000000';
  view.setFloat64(0, d);
  return view.getBigUint64(0).toString(16);
}

function floatBits(f: number): string {
  if (Number.isNaN(f)) return '7fc00000';
  view.setFloat32(0, f);
  return view.getUint32(0).toString(16);
}

export function dumpSchema(s: Schema): unknown {
  const o: Record<string, unknown> = { type: s.type, optional: s.optional };
  if (s.name !== undefined) o.name = s.name;
  if (s.version !== undefined) o.version = s.version;
  if (s.doc !== undefined) o.doc = s.doc;
  if (s.parameters !== undefined) o.parameters = s.parameters;
  if (s.defaultValue !== undefined && s.defaultValue !== null) o.default = dumpValue(s, s.defaultValue);
  if (s.type === 'struct') o.fields = s.fields.map((f) => [f.name, dumpSchema(f.schema)]);
  if (s.type === 'array') o.items = dumpSchema(s.valueSchema!);
  if (s.type === 'map') {
    o.keys = dumpSchema(s.keySchema!);
    o.values = dumpSchema(s.valueSchema!);
  }
  return o;
}

export function dumpValue(s: Schema, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof BigDecimal) return `decimal ${v.unscaled} scale ${v.scale}`;
  if (v instanceof Date) return `date ${v.getTime()}`;
  switch (s.type) {
    case 'int64':
      return String(v);
    case 'float32':
      return `float ${floatBits(v as number)}`;
    case 'float64':
      return `double ${doubleBits(v as number)}`;
    case 'bytes':
      return `bytes ${Buffer.from(v as Uint8Array).toString('base64')}`;
    case 'array':
      return (v as unknown[]).map((e) => dumpValue(s.valueSchema!, e));
    case 'map':
      return {
        map: [...(v as Map<unknown, unknown>).entries()].map(([k, e]) => [
          dumpValue(s.keySchema!, k),
          dumpValue(s.valueSchema!, e),
        ]),
      };
    case 'struct':
      return s.fields.map((f) => [f.name, dumpValue(f.schema, (v as Struct).getWithoutDefault(f.name))]);
    default:
      return v;
  }
}

export function dumpSchemaless(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number')
    return Number.isSafeInteger(v) && !Object.is(v, -0) ? { int: String(v) } : { double: doubleBits(v) };
  if (typeof v === 'bigint') return { int: String(v) };
  if (typeof v === 'string') return { string: v };
  if (typeof v === 'boolean') return { boolean: v };
  if (v instanceof BigDecimal) return { decimal: v.toString() };
  if (Array.isArray(v)) return { array: v.map(dumpSchemaless) };
  if (v instanceof Map) return { map: [...v.entries()].map(([k, e]) => [dumpSchemaless(k), dumpSchemaless(e)]) };
  if (typeof v === 'object') return { map: Object.entries(v).map(([k, e]) => [{ string: k }, dumpSchemaless(e)]) };
  return { unknown: typeof v };
}

/**
 * Map entries sorted (Java's HashMap has no order to compare), recursively; lone UTF-16 surrogates
 * as '?' (the harness's UTF-8 output cannot carry them). One intentional difference: a schemaless
 * integral double (JSON `1.0`) is Java's Double but a JavaScript number carries no int/double
 * distinction, so it compares as the integer.
 */
export function canonical(x: unknown): unknown {
  if (typeof x === 'string')
    return x.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '?');
  if (Array.isArray(x)) return x.map(canonical);
  if (
    x !== null &&
    typeof x === 'object' &&
    typeof (x as { double?: unknown }).double === 'string' &&
    Object.keys(x).length === 1
  ) {
    view.setBigUint64(0, BigInt(`0x${(x as { double: string }).double}`));
    const d = view.getFloat64(0);
    if (Number.isSafeInteger(d) && !Object.is(d, -0)) return { int: String(d) };
  }
  if (x !== null && typeof x === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) o[k] = canonical(v);
    if (Array.isArray(o.map))
      o.map = (o.map as unknown[]).slice().sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    return o;
  }
  return x;
}

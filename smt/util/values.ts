/**
 * Parts of Kafka Connect's `Values` utility the transforms need: `parseString` (InsertHeader's
 * `value.literal`) and Java's `toString` of a Connect value (Cast to string).
 */
import { SchemaBuilder, Schemas, type Schema } from '../../runtime/data/schema.ts';
import { BigDecimal, ConnectDate, ConnectTime, ConnectTimestamp, Decimal } from '../../runtime/data/logical.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { javaDoubleToString, javaFloatToString } from '../../runtime/converters/java-number-format.ts';
import { dateFormatFor, ISO_DATE, ISO_TIME, ISO_TIMESTAMP } from './simple-date-format.ts';

export interface SchemaAndValue {
  schema: Schema | null;
  value: unknown;
}

/**
 * Values.parseString: `true`/`false` → BOOLEAN; integers → the narrowest of INT8 … INT64 (Decimal
 * beyond); other numbers → FLOAT32 when the float holds the exact digits, else FLOAT64; ISO-8601
 * `yyyy-MM-dd`, `HH:mm:ss.SSS'Z'` and `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` → Date/Time/Timestamp;
 * `[…]` and `{…}` of such literals with one element type → ARRAY / MAP; `null` → no schema, null;
 * anything else → the text as a STRING.
 */
export function parseString(text: string): SchemaAndValue {
  if (text === '') return { schema: Schemas.STRING, value: '' };
  const trimmed = text.trim();
  const parsed = parseToken(trimmed);
  if (parsed) return parsed;
  if ((trimmed.startsWith('[') && trimmed.endsWith(']')) || (trimmed.startsWith('{') && trimmed.endsWith('}'))) {
    const composite = parseComposite(trimmed);
    if (composite) return composite;
  }
  return { schema: Schemas.STRING, value: text };
}

function parseToken(t: string): SchemaAndValue | null {
  if (t === 'null') return { schema: null, value: null };
  if (t === 'true' || t === 'false') return { schema: Schemas.BOOLEAN, value: t === 'true' };
  if (/^[+-]?\d+$/.test(t)) {
    const v = BigInt(t);
    if (v >= -128n && v <= 127n) return { schema: Schemas.INT8, value: Number(v) };
    if (v >= -32768n && v <= 32767n) return { schema: Schemas.INT16, value: Number(v) };
    if (v >= -2147483648n && v <= 2147483647n) return { schema: Schemas.INT32, value: Number(v) };
    if (v >= -(2n ** 63n) && v < 2n ** 63n) return { schema: Schemas.INT64, value: Number.isSafeInteger(Number(v)) ? Number(v) : v };
    return { schema: Decimal.schema(0), value: new BigDecimal(v, 0) };
  }
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?$/.test(t)) {
    const n = Number(t);
    if (!Number.isFinite(n)) return { schema: Decimal.schema(Math.max(0, BigDecimal.parse(t).scale)), value: BigDecimal.parse(t) };
    const f = Math.fround(n);
    if (Number.isFinite(f) && Number(javaFloatToString(f)) === n) return { schema: Schemas.FLOAT32, value: f };
    return { schema: Schemas.FLOAT64, value: n };
  }
  for (const [format, schema] of [[ISO_TIMESTAMP, ConnectTimestamp.schema()], [ISO_DATE, ConnectDate.schema()], [ISO_TIME, ConnectTime.schema()]] as const) {
    if (t.length !== format.pattern.replace(/'/g, '').length) continue;
    try {
      const d = format.parse(t);
      if (format.format(d) === t) return { schema, value: d };
    } catch {
      // not this format
    }
  }
  return null;
}

function splitTopLevel(body: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(body.slice(start, i).trim());
      start = i + 1;
    }
    if (depth < 0) return null;
  }
  if (depth !== 0) return null;
  const last = body.slice(start).trim();
  if (last !== '' || parts.length > 0) parts.push(last);
  return parts;
}

function element(text: string): SchemaAndValue | null {
  const quoted = /^"(.*)"$/.exec(text);
  if (quoted) return { schema: Schemas.STRING, value: quoted[1] };
  return parseToken(text) ?? (text.startsWith('[') || text.startsWith('{') ? parseComposite(text) : { schema: Schemas.STRING, value: text });
}

function common(schemas: Array<Schema | null>): Schema | null | undefined {
  const nonNull = schemas.filter((s): s is Schema => s !== null);
  if (nonNull.length === 0) return undefined;
  const first = nonNull[0];
  return nonNull.every((s) => s.type === first.type && s.name === first.name) ? first : null;
}

function parseComposite(t: string): SchemaAndValue | null {
  const body = t.slice(1, -1).trim();
  const items = body === '' ? [] : splitTopLevel(body);
  if (!items) return null;
  if (t.startsWith('[')) {
    const parsed = items.map(element);
    if (parsed.some((p) => p === null)) return null;
    const schema = common(parsed.map((p) => p!.schema));
    if (schema === null) return null;
    const elementSchema = schema === undefined ? Schemas.OPTIONAL_STRING : optional(schema);
    return { schema: SchemaBuilder.array(elementSchema).build(), value: parsed.map((p) => p!.value) };
  }
  const entries: Array<[SchemaAndValue, SchemaAndValue]> = [];
  for (const item of items) {
    const colon = topLevelColon(item);
    if (colon < 0) return null;
    const k = element(item.slice(0, colon).trim());
    const v = element(item.slice(colon + 1).trim());
    if (!k || !v) return null;
    entries.push([k, v]);
  }
  const ks = common(entries.map(([k]) => k.schema));
  const vs = common(entries.map(([, v]) => v.schema));
  if (ks === null || vs === null) return null;
  const keySchema = ks === undefined ? Schemas.OPTIONAL_STRING : optional(ks);
  const valueSchema = vs === undefined ? Schemas.OPTIONAL_STRING : optional(vs);
  const value = keySchema.type === 'string' ? Object.fromEntries(entries.map(([k, v]) => [k.value as string, v.value])) : new Map(entries.map(([k, v]) => [k.value, v.value]));
  return { schema: SchemaBuilder.map(keySchema, valueSchema).build(), value };
}

function topLevelColon(item: string): number {
  let depth = 0;
  let inQuote = false;
  for (let i = 0; i < item.length; i++) {
    const c = item[i];
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && (c === '[' || c === '{')) depth++;
    else if (!inQuote && (c === ']' || c === '}')) depth--;
    else if (!inQuote && depth === 0 && (c === ':' || c === '=')) return i;
  }
  return -1;
}

function optional(s: Schema): Schema {
  if (s.optional) return s;
  const b = s.name ? new SchemaBuilder(s.type).name(s.name) : new SchemaBuilder(s.type);
  if (s.version !== undefined) b.version(s.version);
  if (s.parameters) b.parameters({ ...s.parameters });
  return b.optional().build();
}

/** Java's `Object#toString` of a Connect value, as Cast (to string) and error messages print it. */
export function javaToString(value: unknown, schema?: Schema | null): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') {
    const type = schema?.type;
    if (type === 'float32') return javaFloatToString(value);
    if (type === 'float64' || !Number.isInteger(value)) return javaDoubleToString(value);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof BigDecimal) return bigDecimalToString(value);
  if (value instanceof Date) return dateFormatFor(value).format(value);
  if (value instanceof Uint8Array) return `[B@${Buffer.from(value).toString('hex').slice(0, 8)}`;
  if (value instanceof Struct) return value.toString();
  if (Array.isArray(value)) return `[${value.map((v) => javaToString(v)).join(', ')}]`;
  if (value instanceof Map) return `{${[...value.entries()].map(([k, v]) => `${javaToString(k)}=${javaToString(v)}`).join(', ')}}`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${k}=${javaToString(v)}`).join(', ')}}`;
  return String(value);
}

/** BigDecimal#toString: plain digits, or scientific notation when the exponent is small (Java's rule). */
export function bigDecimalToString(d: BigDecimal): string {
  const neg = d.unscaled < 0n;
  const digits = (neg ? -d.unscaled : d.unscaled).toString();
  const adjusted = -d.scale + (digits.length - 1);
  if (d.scale >= 0 && adjusted >= -6) return d.toString();
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${neg ? '-' : ''}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

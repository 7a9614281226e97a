/**
 * Compares the Java and Tributary dumps of one transforms case, byte for byte, and names each
 * difference by field path with both values. Where bytes differ, the JSON is parsed losslessly
 * (number lexemes kept) to point at the first differing path. One intentional difference: the
 * entry order of maps (schemaless, or a map schema) is not compared — Kafka's transforms build
 * them as java.util.HashMap, whose iteration order is unspecified; struct fields keep their order.
 * And one representational one: a schemaless integral double (Java `1.0`) is a JavaScript number
 * that Tributary's JsonConverter writes as the integer `1` (no int/double distinction in JS).
 */
import type { CaseResult, RecordDump } from './transforms-oracle.ts';

type Json = { n: string } | string | boolean | null | Json[] | { o: Array<[string, Json]> };

function parse(text: string): Json {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const value = (): Json => {
    ws();
    const ch = text[i];
    if (ch === '{') {
      i++;
      const entries: Array<[string, Json]> = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { o: entries };
      }
      for (;;) {
        const k = value() as string;
        ws();
        i++; // ':'
        entries.push([k, value()]);
        ws();
        if (text[i++] === '}') return { o: entries };
      }
    }
    if (ch === '[') {
      i++;
      const items: Json[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return items;
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i++] === ']') return items;
      }
    }
    if (ch === '"') {
      const start = i;
      i++;
      while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i++;
      return JSON.parse(text.slice(start, i)) as string;
    }
    const m = /^(true|false|null|-?[0-9][0-9.eE+-]*|[A-Za-z-]+)/.exec(text.slice(i));
    if (!m) throw new Error(`unparseable JSON at ${i}: ${text.slice(i, i + 20)}`);
    i += m[0].length;
    if (m[0] === 'true' || m[0] === 'false') return m[0] === 'true';
    if (m[0] === 'null') return null;
    return { n: m[0] };
  };
  const v = value();
  ws();
  if (i !== text.length) throw new Error(`trailing text in JSON at ${i}`);
  return v;
}

function show(j: Json | undefined): string {
  if (j === undefined) return '<absent>';
  if (j === null || typeof j !== 'object') return JSON.stringify(j);
  if ('n' in j && !Array.isArray(j)) return j.n;
  if (Array.isArray(j)) return `[${j.map(show).join(',')}]`;
  return `{${j.o.map(([k, v]) => `${JSON.stringify(k)}:${show(v)}`).join(',')}}`;
}

function get(j: Json, key: string): Json | undefined {
  return j !== null && typeof j === 'object' && !Array.isArray(j) && 'o' in j
    ? j.o.find(([k]) => k === key)?.[1]
    : undefined;
}

/** Java's Double.toString of an integral double (`1.0`, `1.0E7`) against the integer a JavaScript number prints. */
function sameSchemalessNumber(a: Json, b: Json): boolean {
  const isNum = (x: Json): x is { n: string } => x !== null && typeof x === 'object' && !Array.isArray(x) && 'n' in x;
  return isNum(a) && isNum(b) && /[.E]/.test(a.n) && /^-?\d+$/.test(b.n) && Number(a.n) === Number(b.n);
}

/**
 * Differences between two payloads. `schema` is the envelope's schema for this position (null:
 * schemaless; undefined: comparing schemas themselves), which says which objects are maps.
 */
function diffPayload(schema: Json | undefined, a: Json, b: Json, path: string, out: string[]): void {
  const type = schema === undefined || schema === null ? undefined : get(schema, 'type');
  const unordered = schema === null || type === 'map';
  const child = (key: string | null): Json | undefined => {
    if (schema === undefined) return undefined;
    if (schema === null) return null;
    if (type === 'array') return get(schema, 'items') ?? null;
    if (type === 'map') return get(schema, 'values') ?? null;
    const fields = get(schema, 'fields');
    return Array.isArray(fields) ? (fields.find((f) => get(f, 'field') === key) ?? null) : null;
  };
  if (Array.isArray(a) && Array.isArray(b)) {
    if (type === 'map') {
      // A map with non-string keys: [[k, v], …], compared as a set of entries.
      if (a.map(show).sort().join('\n') !== b.map(show).sort().join('\n'))
        out.push(`${path}: java ${show(a)} | tributary ${show(b)}`);
      return;
    }
    if (a.length !== b.length) out.push(`${path}: java ${show(a)} | tributary ${show(b)}`);
    else a.forEach((e, i) => diffPayload(child(null), e, b[i], `${path}[${i}]`, out));
    return;
  }
  const isObj = (x: Json): x is { o: Array<[string, Json]> } =>
    x !== null && typeof x === 'object' && !Array.isArray(x) && 'o' in x;
  if (isObj(a) && isObj(b)) {
    const ka = a.o.map(([k]) => k);
    const kb = b.o.map(([k]) => k);
    const keysDiffer = unordered
      ? [...ka].sort().join('\u0000') !== [...kb].sort().join('\u0000')
      : ka.join('\u0000') !== kb.join('\u0000');
    if (keysDiffer) {
      out.push(`${path}: fields java ${JSON.stringify(ka)} | tributary ${JSON.stringify(kb)}`);
      return;
    }
    for (const [k, va] of a.o) diffPayload(child(k), va, get(b, k)!, `${path}.${k}`, out);
    return;
  }
  if (show(a) !== show(b) && !(schema === null && sameSchemalessNumber(a, b)))
    out.push(`${path}: java ${show(a)} | tributary ${show(b)}`);
}

/** Differences between two base64 JsonConverter outputs (see the module comment), appended to `out`. */
export function diffBytes(
  label: string,
  java: string | null | undefined,
  trib: string | null | undefined,
  out: string[],
): void {
  if (java === trib) return;
  if (java?.startsWith('ERR ') && trib?.startsWith('ERR ')) return;
  if (java?.startsWith('ERR ') || trib?.startsWith('ERR ')) {
    out.push(`${label}: java ${java} | tributary ${trib}`);
    return;
  }
  const ja = java === null || java === undefined ? null : Buffer.from(java, 'base64').toString('utf8');
  const tr = trib === null || trib === undefined ? null : Buffer.from(trib, 'base64').toString('utf8');
  if (ja === null || tr === null) {
    out.push(`${label}: java ${ja} | tributary ${tr}`);
    return;
  }
  let a: Json;
  let b: Json;
  try {
    a = parse(ja);
    b = parse(tr);
  } catch {
    out.push(`${label}: java ${ja} | tributary ${tr}`);
    return;
  }
  const schemaA = get(a, 'schema');
  const schemaB = get(b, 'schema');
  if (schemaA === undefined || schemaB === undefined) out.push(`${label}: java ${ja} | tributary ${tr}`);
  else if (show(schemaA) !== show(schemaB)) diffPayload(undefined, schemaA, schemaB, `${label}.schema`, out);
  else diffPayload(schemaA, get(a, 'payload') ?? null, get(b, 'payload') ?? null, `${label}.payload`, out);
}

/** Every difference between the Java and Tributary results of one case, as "path: java … | tributary …". */
export function diffResults(java: CaseResult, trib: CaseResult): string[] {
  if (!java.ok || !trib.ok) {
    return java.ok === trib.ok
      ? []
      : [
          `result: java ${java.ok ? 'a record' : `error ${java.error}`} | tributary ${trib.ok ? 'a record' : `error ${trib.error}`}`,
        ];
  }
  const a: RecordDump = java.dump;
  const b: RecordDump = trib.dump;
  if (a.dropped || b.dropped)
    return a.dropped === b.dropped ? [] : [`dropped: java ${a.dropped ?? false} | tributary ${b.dropped ?? false}`];
  const out: string[] = [];
  for (const f of ['topic', 'partition', 'timestamp'] as const)
    if (a[f] !== b[f]) out.push(`${f}: java ${JSON.stringify(a[f])} | tributary ${JSON.stringify(b[f])}`);
  diffBytes('key', a.key, b.key, out);
  diffBytes('value', a.value, b.value, out);
  const ha = a.headers ?? [];
  const hb = b.headers ?? [];
  if (ha.map((h) => h[0]).join('\n') !== hb.map((h) => h[0]).join('\n'))
    out.push(`headers: java ${JSON.stringify(ha.map((h) => h[0]))} | tributary ${JSON.stringify(hb.map((h) => h[0]))}`);
  else {
    ha.forEach((h, i) => {
      diffBytes(`headers[${i}](${h[0]}) JsonConverter`, h[1], hb[i][1], out);
      if (h[2] !== hb[i][2])
        out.push(
          `headers[${i}](${h[0]}) SimpleHeaderConverter: java ${show(h[2] === null ? null : Buffer.from(h[2], 'base64').toString('utf8'))} | tributary ${show(hb[i][2] === null ? null : Buffer.from(hb[i][2]!, 'base64').toString('utf8'))}`,
        );
    });
  }
  return out;
}

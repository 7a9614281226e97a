/**
 * A JSON tree that keeps every scalar's source text (numbers beyond 2^53, string escapes as
 * written), so a converter's output can be normalized field by field and printed back byte for
 * byte, and two outputs compared with the path of the first difference.
 */
export type JNode =
  | { kind: 'scalar'; raw: string }
  | { kind: 'array'; items: JNode[] }
  | { kind: 'object'; entries: Array<[string, JNode]> };

export function parseLossless(text: string): JNode {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const fail = (what: string): never => {
    throw new Error(`invalid JSON at offset ${i}: ${what} in ${text.slice(Math.max(0, i - 40), i + 40)}`);
  };
  const stringToken = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail('unterminated string');
    i++;
    return text.slice(start, i);
  };
  const value = (): JNode => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: Array<[string, JNode]> = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { kind: 'object', entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = JSON.parse(stringToken()) as string;
        ws();
        if (text[i++] !== ':') fail('expected :');
        entries.push([key, value()]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] === '}') return { kind: 'object', entries };
        fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const items: JNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i++] === ']') return { kind: 'array', items };
        fail('expected , or ]');
      }
    }
    if (c === '"') return { kind: 'scalar', raw: stringToken() };
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail('unexpected token');
    i += m![0].length;
    return { kind: 'scalar', raw: m![0] };
  };
  const root = value();
  ws();
  if (i !== text.length) fail('trailing text');
  return root;
}

export function printLossless(n: JNode): string {
  if (n.kind === 'scalar') return n.raw;
  if (n.kind === 'array') return `[${n.items.map(printLossless).join(',')}]`;
  return `{${n.entries.map(([k, v]) => `${JSON.stringify(k)}:${printLossless(v)}`).join(',')}}`;
}

export function field(n: JNode | undefined, ...path: string[]): JNode | undefined {
  let cur = n;
  for (const p of path) {
    if (!cur || cur.kind !== 'object') return undefined;
    cur = cur.entries.find(([k]) => k === p)?.[1];
  }
  return cur;
}

/** The scalar at `path` as a JavaScript value (strings unquoted), or undefined. */
export function scalarAt(n: JNode | undefined, ...path: string[]): unknown {
  const f = field(n, ...path);
  return f?.kind === 'scalar' ? JSON.parse(f.raw) : undefined;
}

/** Replaces the value at `path` (when present) with a placeholder scalar. */
export function mask(n: JNode | undefined, path: string[], placeholder = '"<normalized>"'): void {
  const parent = field(n, ...path.slice(0, -1));
  if (!parent || parent.kind !== 'object') return;
  const e = parent.entries.find(([k]) => k === path[path.length - 1]);
  if (e) e[1] = { kind: 'scalar', raw: placeholder };
}

/** Every difference as "path: Debezium … / Tributary …" (an empty list when both print the same). */
export function differences(expected: JNode, actual: JNode, path = '$', out: string[] = []): string[] {
  const both = (e: string, t: string) => out.push(`${path}: Debezium ${e} / Tributary ${t}`);
  if (expected.kind !== actual.kind) both(printLossless(expected), printLossless(actual));
  else if (expected.kind === 'scalar') {
    if (expected.raw !== (actual as typeof expected).raw) both(expected.raw, (actual as typeof expected).raw);
  } else if (expected.kind === 'array') {
    const a = actual as typeof expected;
    for (let i = 0; i < Math.max(expected.items.length, a.items.length); i++) {
      const e = expected.items[i];
      const t = a.items[i];
      // A schema field is named by its "field" name as well as its index.
      const name = scalarAt(e ?? t, 'field');
      const p = `${path}[${i}${typeof name === 'string' ? `:${name}` : ''}]`;
      if (!e || !t)
        out.push(
          `${p}: Debezium ${e ? printLossless(e) : '(absent)'} / Tributary ${t ? printLossless(t) : '(absent)'}`,
        );
      else differences(e, t, p, out);
    }
  } else {
    const a = actual as typeof expected;
    const dk = expected.entries.map(([k]) => k);
    const tk = a.entries.map(([k]) => k);
    if (dk.join(',') !== tk.join(','))
      out.push(`${path}: fields Debezium [${dk.join(',')}] / Tributary [${tk.join(',')}]`);
    for (const [k, e] of expected.entries) {
      const t = a.entries.find(([x]) => x === k)?.[1];
      if (t) differences(e, t, `${path}.${k}`, out);
    }
  }
  return out;
}

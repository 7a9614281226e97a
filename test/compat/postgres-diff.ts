/**
 * Byte comparison of two engines' records, after blanking only the fields that legitimately differ:
 * wall-clock times (the envelope's ts_ms/ts_us/ts_ns, the transaction record's ts_ms); on snapshot
 * records, the snapshot's position and time (source.ts_*, lsn, txId, sequence: each engine exports
 * its own snapshot); the `__debezium.context.runId` header (a UUID minted per run); and in END
 * records the identity hash Debezium prints in a logical message's data collection name
 * (`…LogicalDecodingMessageId@1b2c3d4e`, Object.toString), with the collections sorted since the
 * hash also decides their HashMap order. Heartbeat topics are compared record by record but not by
 * count (heartbeats follow the wall clock). A difference names the topic, record index, part and
 * field path, with both values.
 */
import type { WireRecord } from './postgres-engines.ts';

type Node =
  | { kind: 'obj'; start: number; end: number; entries: Array<[string, Node]> }
  | { kind: 'arr'; start: number; end: number; items: Node[] }
  | { kind: 'lit'; start: number; end: number; text: string };

/** A JSON parser keeping each value's span and literal text (numbers are never re-parsed). */
function parse(text: string): Node {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) i++;
  };
  const str = (): string => {
    const s = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(s, i)) as string;
  };
  const value = (): Node => {
    ws();
    const start = i;
    if (text[i] === '{') {
      i++;
      const entries: Array<[string, Node]> = [];
      ws();
      if (text[i] === '}') i++;
      else {
        for (;;) {
          ws();
          const k = str();
          ws();
          i++; // :
          entries.push([k, value()]);
          ws();
          if (text[i++] === '}') break;
        }
      }
      return { kind: 'obj', start, end: i, entries };
    }
    if (text[i] === '[') {
      i++;
      const items: Node[] = [];
      ws();
      if (text[i] === ']') i++;
      else {
        for (;;) {
          items.push(value());
          ws();
          if (text[i++] === ']') break;
        }
      }
      return { kind: 'arr', start, end: i, items };
    }
    if (text[i] === '"') str();
    else while (i < text.length && !',]} \t\r\n'.includes(text[i])) i++;
    return { kind: 'lit', start, end: i, text: text.slice(start, i) };
  };
  return value();
}

const child = (n: Node | undefined, key: string): Node | undefined =>
  n?.kind === 'obj' ? n.entries.find(([k]) => k === key)?.[1] : undefined;
const litText = (n: Node | undefined): string | undefined => (n?.kind === 'lit' ? n.text : undefined);

/** The spans of a record value to blank. */
function volatileSpans(topic: string, root: Node): Node[] {
  const payload = child(root, 'payload');
  if (!payload) return [];
  const spans: Node[] = [];
  const add = (n: Node | undefined): void => {
    if (n) spans.push(n);
  };
  if (topic.endsWith('.transaction')) {
    add(child(payload, 'ts_ms'));
    return spans;
  }
  for (const f of ['ts_ms', 'ts_us', 'ts_ns']) add(child(payload, f));
  const source = child(payload, 'source');
  const snapshot = litText(child(source, 'snapshot'));
  if (snapshot !== undefined && snapshot !== '"false"' && snapshot !== 'null') {
    for (const f of ['ts_ms', 'ts_us', 'ts_ns', 'lsn', 'txId', 'sequence']) add(child(source, f));
  }
  return spans;
}

const MESSAGE_COLLECTION = /(LogicalDecodingMessageId@)[0-9a-f]+/g;

/** The value text with its volatile fields replaced by "~". */
export function normalizeValue(topic: string, text: string): string {
  const root = parse(text);
  const edits: Array<{ start: number; end: number; text: string }> = volatileSpans(topic, root).map((n) => ({
    start: n.start,
    end: n.end,
    text: '"~"',
  }));
  const collections = topic.endsWith('.transaction') ? child(child(root, 'payload'), 'data_collections') : undefined;
  if (collections?.kind === 'arr' && MESSAGE_COLLECTION.test(text.slice(collections.start, collections.end))) {
    const items = collections.items.map((n) => text.slice(n.start, n.end).replace(MESSAGE_COLLECTION, '$1~')).sort();
    edits.push({ start: collections.start, end: collections.end, text: `[${items.join(',')}]` });
  }
  MESSAGE_COLLECTION.lastIndex = 0;
  let out = text;
  for (const e of edits.sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

const RUN_ID = '__debezium.context.runId';

/** Field-level differences between two JSON texts (path: both raw values). */
function jsonDifferences(a: string, b: string): string[] {
  const out: string[] = [];
  const walk = (x: Node | undefined, y: Node | undefined, at: string, ta: string, tb: string): void => {
    if (out.length >= 20) return;
    const raw = (n: Node | undefined, t: string): string => (n ? t.slice(n.start, n.end) : '<absent>');
    if (!x || !y || x.kind !== y.kind) {
      out.push(`${at || '$'}: debezium=${raw(x, ta).slice(0, 300)} tributary=${raw(y, tb).slice(0, 300)}`);
      return;
    }
    if (x.kind === 'obj' && y.kind === 'obj') {
      const keysX = x.entries.map(([k]) => k);
      const keysY = y.entries.map(([k]) => k);
      if (keysX.join('\u0000') !== keysY.join('\u0000'))
        out.push(`${at || '$'} (field order/names): debezium=[${keysX.join(',')}] tributary=[${keysY.join(',')}]`);
      for (const k of new Set([...keysX, ...keysY])) walk(child(x, k), child(y, k), at ? `${at}.${k}` : k, ta, tb);
      return;
    }
    if (x.kind === 'arr' && y.kind === 'arr') {
      if (x.items.length !== y.items.length)
        out.push(`${at}: debezium has ${x.items.length} items, tributary ${y.items.length}`);
      for (let i = 0; i < Math.min(x.items.length, y.items.length); i++)
        walk(x.items[i], y.items[i], `${at}[${i}]`, ta, tb);
      return;
    }
    if (raw(x, ta) !== raw(y, tb))
      out.push(`${at || '$'}: debezium=${raw(x, ta).slice(0, 300)} tributary=${raw(y, tb).slice(0, 300)}`);
  };
  walk(parse(a), parse(b), '', a, b);
  if (out.length === 0 && a !== b)
    out.push('(whitespace or escaping): the texts differ but every field reads the same');
  return out;
}

function describeBytes(b: Buffer | null): string {
  return b === null ? 'null' : b.toString('utf8').slice(0, 300);
}

function compareRecord(where: string, d: WireRecord, t: WireRecord): string[] {
  const out: string[] = [];
  const dk = d.key?.toString('utf8') ?? null;
  const tk = t.key?.toString('utf8') ?? null;
  if (dk !== tk) {
    if (dk === null || tk === null)
      out.push(`${where} key: debezium=${describeBytes(d.key)} tributary=${describeBytes(t.key)}`);
    else out.push(...jsonDifferences(dk, tk).map((x) => `${where} key ${x}`));
  }
  if (d.value === null || t.value === null) {
    if (d.value !== t.value)
      out.push(`${where} value: debezium=${describeBytes(d.value)} tributary=${describeBytes(t.value)}`);
  } else {
    const dv = normalizeValue(d.topic, d.value.toString('utf8'));
    const tv = normalizeValue(t.topic, t.value.toString('utf8'));
    if (dv !== tv) out.push(...jsonDifferences(dv, tv).map((x) => `${where} value ${x}`));
  }
  const header = ([k, v]: [string, Buffer | null]): string =>
    `${k}=${k === RUN_ID && v !== null ? '~' : describeBytes(v)}`;
  const dh = d.headers.map(header);
  const th = t.headers.map(header);
  if (dh.join('\n') !== th.join('\n'))
    out.push(`${where} headers: debezium=[${dh.join(', ')}] tributary=[${th.join(', ')}]`);
  return out;
}

const HEARTBEAT_TOPIC_PREFIX = '__debezium-heartbeat.';

/** Every difference between the two engines' outputs: topics, per-topic counts and order, records. */
export function diffOutputs(debezium: WireRecord[], tributary: WireRecord[]): string[] {
  const byTopic = (rs: WireRecord[]): Map<string, WireRecord[]> => {
    const m = new Map<string, WireRecord[]>();
    for (const r of rs) m.set(r.topic, [...(m.get(r.topic) ?? []), r]);
    return m;
  };
  const d = byTopic(debezium);
  const t = byTopic(tributary);
  const out: string[] = [];
  for (const topic of [...new Set([...d.keys(), ...t.keys()])].sort()) {
    const dr = d.get(topic) ?? [];
    const tr = t.get(topic) ?? [];
    // Heartbeats follow the wall clock: how many each engine writes differs; each one is compared.
    const heartbeats = topic.startsWith(HEARTBEAT_TOPIC_PREFIX);
    if (heartbeats ? dr.length === 0 || tr.length === 0 : dr.length !== tr.length)
      out.push(`${topic}: debezium wrote ${dr.length} records, tributary ${tr.length}`);
    for (let i = 0; i < Math.min(dr.length, tr.length); i++) out.push(...compareRecord(`${topic} #${i}`, dr[i], tr[i]));
  }
  return out;
}

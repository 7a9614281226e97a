/**
 * Test support for the transform tests: records and schemas rendered as plain data so one
 * `toEqual` asserts the exact output record (topic, partition, key, value, schemas with their
 * names/optionality/versions/defaults, timestamp, headers), after checking that every value is
 * valid for its schema.
 */
import { expect } from 'vitest';
import { validateValue, type Schema, Struct, BigDecimal, Headers, SinkRecord, SourceRecord } from '../sdk/data.ts';
import { loadedPluginRegistry } from '../app/builtins.ts';
import type { AnyRecord, Predicate, Transformation } from '../sdk/spi.ts';

export function snapSchema(s: Schema | null | undefined): unknown {
  if (s === null || s === undefined) return null;
  const out: Record<string, unknown> = { type: s.type, optional: s.optional };
  if (s.name !== undefined) out.name = s.name;
  if (s.version !== undefined) out.version = s.version;
  if (s.doc !== undefined) out.doc = s.doc;
  if (s.parameters !== undefined) out.parameters = { ...s.parameters };
  if (s.defaultValue !== undefined) out.default = snapValue(s.defaultValue);
  if (s.type === 'struct') out.fields = s.fields.map((f) => [f.name, snapSchema(f.schema)]);
  if (s.type === 'map') out.keySchema = snapSchema(s.keySchema);
  if (s.type === 'map' || s.type === 'array') out.valueSchema = snapSchema(s.valueSchema);
  return out;
}

export function snapValue(v: unknown): unknown {
  if (v === undefined) return null;
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Struct)
    return {
      '<struct>': Object.fromEntries(v.schema.fields.map((f) => [f.name, snapValue(v.getWithoutDefault(f.name))])),
    };
  if (v instanceof Uint8Array) return { '<bytes>': Buffer.from(v).toString('hex') };
  if (v instanceof Date) return { '<date>': v.getTime() };
  if (v instanceof BigDecimal) return { '<decimal>': v.toString() };
  if (Array.isArray(v)) return v.map(snapValue);
  if (v instanceof Map) return { '<map>': [...v.entries()].map(([k, x]) => [snapValue(k), snapValue(x)]) };
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, snapValue(x)]));
}

export interface ExpectedRecord {
  topic?: string;
  kafkaPartition?: number | null;
  keySchema?: Schema | null;
  key?: unknown;
  valueSchema?: Schema | null;
  value?: unknown;
  timestamp?: number | null;
  headers?: Array<[string, unknown, Schema | null]>;
}

export function snapRecord(r: AnyRecord): Required<Omit<ExpectedRecord, 'headers'>> & { headers: unknown[] } {
  return {
    topic: r.topic,
    kafkaPartition: r.kafkaPartition,
    keySchema: snapSchema(r.keySchema) as Schema,
    key: snapValue(r.key),
    valueSchema: snapSchema(r.valueSchema) as Schema,
    value: snapValue(r.value),
    timestamp: r.timestamp,
    headers: [...r.headers].map((h) => [h.key, snapValue(h.value), snapSchema(h.schema)]),
  };
}

/** Asserts that `actual` is exactly `base` with the `changes` applied (fields not given keep the base record's). */
export function expectRecord(
  actual: AnyRecord | null,
  base: AnyRecord,
  changes: ExpectedRecord = {},
  opts: { validate?: boolean } = {},
): void {
  expect(actual).not.toBeNull();
  const a = actual!;
  // Kafka Connect itself emits a few records whose null value its schema does not allow (ExtractField of a null struct).
  if (a.keySchema && opts.validate !== false) validateValue(a.keySchema, a.key, 'key');
  if (a.valueSchema && opts.validate !== false) validateValue(a.valueSchema, a.value, 'value');
  for (const h of a.headers) if (h.schema) validateValue(h.schema, h.value, `header ${h.key}`);
  const expected = snapRecord(base);
  if ('topic' in changes) expected.topic = changes.topic!;
  if ('kafkaPartition' in changes) expected.kafkaPartition = changes.kafkaPartition!;
  if ('keySchema' in changes) expected.keySchema = snapSchema(changes.keySchema) as Schema;
  if ('key' in changes) expected.key = snapValue(changes.key);
  if ('valueSchema' in changes) expected.valueSchema = snapSchema(changes.valueSchema) as Schema;
  if ('value' in changes) expected.value = snapValue(changes.value);
  if ('timestamp' in changes) expected.timestamp = changes.timestamp!;
  if (changes.headers) expected.headers = changes.headers.map(([k, v, s]) => [k, snapValue(v), snapSchema(s)]);
  expect(snapRecord(a)).toEqual(expected);
}

const registry = await loadedPluginRegistry();

/** A configured transformation, found by class name or alias exactly as a connector config names it. */
export function transform(className: string, props: Record<string, string> = {}): Transformation {
  const t = registry.get(className, 'transformation').create();
  t.config().parse(props);
  t.configure(props);
  return t;
}

export function predicate(className: string, props: Record<string, string> = {}): Predicate {
  const p = registry.get(className, 'predicate').create();
  p.config().parse(props);
  p.configure(props);
  return p;
}

export function headers(...items: Array<[string, unknown, Schema | null]>): Headers {
  const h = new Headers();
  for (const [k, v, s] of items) h.add(k, v, s);
  return h;
}

export function sourceRecord(parts: Partial<ConstructorParameters<typeof SourceRecord>[0]> = {}): SourceRecord {
  return new SourceRecord({ topic: 'test', kafkaPartition: 0, timestamp: 1_483_425_001_864, ...parts });
}

export function sinkRecord(parts: Partial<ConstructorParameters<typeof SinkRecord>[0]> = {}): SinkRecord {
  return new SinkRecord({ topic: 'test', kafkaPartition: 0, kafkaOffset: 42, timestamp: 1_483_425_001_864, ...parts });
}

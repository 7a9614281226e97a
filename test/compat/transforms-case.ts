/**
 * Case descriptors of the transforms differential: a connector's transforms/predicates keys and a
 * Connect record built from the JsonConverter differential's schema/value descriptors, so the Java
 * harness (TransformsHarness.java) and Tributary build the same record. Shorthands for writing them.
 */
import type { SchemaDesc, SchemalessDesc } from './json-converter-cases.ts';

export interface HeaderDesc {
  key: string;
  schema: SchemaDesc | null;
  value: unknown;
}

export interface RecordDesc {
  kind?: 'source' | 'sink';
  topic: string;
  partition: number | null;
  /** Decimal text (int64). */
  timestamp: string | null;
  offset?: string;
  keySchema: SchemaDesc | null;
  key: unknown;
  valueSchema: SchemaDesc | null;
  value: unknown;
  headers: HeaderDesc[];
}

/** `oracle`: which Java classpath runs it (Kafka's own transforms, or Debezium's with the Kafka it is built on). */
export interface TransformCase {
  id: string;
  oracle: 'kafka' | 'debezium';
  config: Record<string, string>;
  record: RecordDesc;
}

export const KC = 'org.apache.kafka.connect.transforms.';
export const KCP = 'org.apache.kafka.connect.transforms.predicates.';

export const T = {
  int8: { type: 'int8' },
  int16: { type: 'int16' },
  int32: { type: 'int32' },
  int64: { type: 'int64' },
  float32: { type: 'float32' },
  float64: { type: 'float64' },
  boolean: { type: 'boolean' },
  string: { type: 'string' },
  bytes: { type: 'bytes' },
} satisfies Record<string, SchemaDesc>;

export function opt(s: SchemaDesc, extra: Partial<SchemaDesc> = {}): SchemaDesc {
  return { ...s, optional: true, ...extra };
}

export function struct(fields: Record<string, SchemaDesc>, extra: Partial<SchemaDesc> = {}): SchemaDesc {
  return { type: 'struct', fields: Object.entries(fields).map(([name, schema]) => ({ name, schema })), ...extra };
}

export function decimal(scale: number, extra: Partial<SchemaDesc> = {}): SchemaDesc {
  return { type: 'decimal', scale, ...extra };
}

/** A schemaless value descriptor from plain data: integers int32 (int64 beyond), other numbers float64, objects maps. */
export function sl(x: unknown): SchemalessDesc | null {
  if (x === null || x === undefined) return null;
  if (typeof x === 'string') return { t: 'string', v: x };
  if (typeof x === 'boolean') return { t: 'boolean', v: x };
  if (typeof x === 'bigint') return { t: 'int64', v: String(x) };
  if (typeof x === 'number')
    return Number.isInteger(x) && !Object.is(x, -0)
      ? Math.abs(x) < 2 ** 31
        ? { t: 'int32', v: x }
        : { t: 'int64', v: String(x) }
      : { t: 'float64', v: String(x) };
  if (Array.isArray(x)) return { t: 'array', v: x.map(sl) };
  const o = x as Record<string, unknown>;
  if (Object.keys(o).length === 2 && typeof o.t === 'string' && 'v' in o) return o as unknown as SchemalessDesc;
  return { t: 'map', v: Object.entries(o).map(([k, v]) => [sl(k), sl(v)]) };
}

export function rec(parts: Partial<RecordDesc> = {}): RecordDesc {
  return {
    topic: 'test',
    partition: 0,
    timestamp: '1483425001864',
    keySchema: null,
    key: null,
    valueSchema: null,
    value: null,
    headers: [],
    ...parts,
  };
}

export interface Stage {
  type: string;
  props?: Record<string, string>;
  predicate?: string;
  negate?: boolean;
}

/** Connector config keys for a chain of stages (aliases s0, s1, …) and predicates (aliases by name). */
export function chain(
  stages: Stage[],
  predicates: Record<string, { type: string; props?: Record<string, string> }> = {},
): Record<string, string> {
  const config: Record<string, string> = { transforms: stages.map((_, i) => `s${i}`).join(',') };
  stages.forEach((s, i) => {
    config[`transforms.s${i}.type`] = s.type.includes('.') ? s.type : KC + s.type;
    for (const [k, v] of Object.entries(s.props ?? {})) config[`transforms.s${i}.${k}`] = v;
    if (s.predicate !== undefined) config[`transforms.s${i}.predicate`] = s.predicate;
    if (s.negate !== undefined) config[`transforms.s${i}.negate`] = String(s.negate);
  });
  const names = Object.keys(predicates);
  if (names.length) config.predicates = names.join(',');
  for (const [name, p] of Object.entries(predicates)) {
    config[`predicates.${name}.type`] = p.type.includes('.') ? p.type : KCP + p.type;
    for (const [k, v] of Object.entries(p.props ?? {})) config[`predicates.${name}.${k}`] = v;
  }
  return config;
}

/** A single Kafka-transform case. */
export function kc(id: string, type: string, props: Record<string, string>, record: RecordDesc): TransformCase {
  return { id, oracle: 'kafka', config: chain([{ type, props }]), record };
}

/**
 * The two sides of the transforms differential. Java: test/compat/java/TransformsHarness.java, one
 * JVM per classpath fed every case on stdin — Kafka Connect's own transforms at the test broker's
 * Kafka version, or Debezium's transforms (debezium-connect-plugins) on the Kafka Connect API they
 * are built against. Tributary: the same connector config through the worker's chain builder. Both
 * sides produce the same dump: topic, partition, timestamp, key/value as JsonConverter
 * (schemas.enable=true) bytes, headers as JsonConverter and SimpleHeaderConverter bytes.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KAFKA_VERSION } from '../setup/kafka.ts';
import { harnessClasspath, mavenLibs } from '../setup/java-harness.ts';
import { JsonConverter } from '../../runtime/converters/json-converter.ts';
import { SimpleHeaderConverter } from '../../runtime/converters/simple-converters.ts';
import { Headers } from '../../runtime/data/headers.ts';
import { SinkRecord, SourceRecord } from '../../runtime/data/records.ts';
import type { Schema } from '../../runtime/data/schema.ts';
import { PluginRegistry } from '../../runtime/plugins/registry.ts';
import { transformPlugins } from '../../smt/index.ts';
import { buildTransformationChain } from '../../runtime/worker/transformation-chain.ts';
import type { AnyRecord } from '../../runtime/spi/transformation.ts';
import {
  buildSchema,
  buildSchemaless,
  buildValue,
  type SchemaDesc,
  type SchemalessDesc,
} from './json-converter-cases.ts';
import type { RecordDesc, TransformCase } from './transforms-case.ts';

export const DEBEZIUM_VERSION = '3.6.1.Final';
/** The connect-api version debezium-connect-plugins 3.6.1.Final depends on. */
export const DEBEZIUM_KAFKA_VERSION = '4.3.0';

const JAVA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'java');
const SOURCES = ['TransformsHarness.java', 'ConnectData.java'].map((f) => path.join(JAVA_DIR, f));

export const ORACLE_ARTIFACTS = {
  kafka: {
    name: `connect-transforms-${KAFKA_VERSION}`,
    coordinates: [
      `org.apache.kafka:connect-transforms:${KAFKA_VERSION}`,
      `org.apache.kafka:connect-json:${KAFKA_VERSION}`,
    ],
  },
  debezium: {
    name: `debezium-connect-plugins-${DEBEZIUM_VERSION}`,
    coordinates: [
      `io.debezium:debezium-connect-plugins:${DEBEZIUM_VERSION}`,
      `org.apache.kafka:connect-json:${DEBEZIUM_KAFKA_VERSION}`,
      `org.apache.kafka:connect-transforms:${DEBEZIUM_KAFKA_VERSION}`,
    ],
  },
} as const;

export interface RecordDump {
  dropped?: true;
  topic?: string;
  partition?: number | null;
  timestamp?: string | null;
  key?: string | null;
  value?: string | null;
  /** [key, JsonConverter bytes, SimpleHeaderConverter bytes], base64. */
  headers?: Array<[string, string | null, string | null]>;
}

export type CaseResult = { ok: true; dump: RecordDump } | { ok: false; error: string };

/** Runs every case through the Java classes of `oracle` (one JVM). */
export function runJava(oracle: 'kafka' | 'debezium', cases: readonly TransformCase[]): Map<string, CaseResult> {
  const { name, coordinates } = ORACLE_ARTIFACTS[oracle];
  const classpath = harnessClasspath(mavenLibs(name, coordinates), SOURCES);
  const input =
    cases.map((c, i) => JSON.stringify({ id: String(i), config: c.config, record: c.record })).join('\n') + '\n';
  const out = execFileSync('java', ['-cp', classpath, 'TransformsHarness'], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const results = new Map<string, CaseResult>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [index, status, payload] = line.split('\t');
    const c = cases[Number(index)];
    if (status === 'BUILD') throw new Error(`case ${c.id}: the Java harness could not build the record: ${payload}`);
    results.set(
      c.id,
      status === 'OK' ? { ok: true, dump: JSON.parse(payload) as RecordDump } : { ok: false, error: payload },
    );
  }
  for (const c of cases) if (!results.has(c.id)) throw new Error(`the Java harness gave no result for ${c.id}`);
  return results;
}

export type HeaderReadResult = { ok: true; bytes: string | null } | { ok: false; error: string };

/** Kafka's SimpleHeaderConverter.toConnectHeader of each input, written back as JsonConverter bytes (base64). */
export function runJavaHeaderReads(inputs: readonly Buffer[]): HeaderReadResult[] {
  const { name, coordinates } = ORACLE_ARTIFACTS.kafka;
  const classpath = harnessClasspath(mavenLibs(name, coordinates), SOURCES);
  const input = inputs.map((b, i) => JSON.stringify({ id: String(i), bytes: b.toString('base64') })).join('\n') + '\n';
  const out = execFileSync('java', ['-cp', classpath, 'TransformsHarness', 'readHeaders'], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const results: HeaderReadResult[] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [index, status, payload] = line.split('\t');
    results[Number(index)] =
      status === 'OK' ? { ok: true, bytes: payload === 'null' ? null : payload } : { ok: false, error: payload };
  }
  inputs.forEach((_, i) => {
    if (!results[i]) throw new Error(`the Java harness gave no result for header input ${i}`);
  });
  return results;
}

/** The same through Tributary's SimpleHeaderConverter and JsonConverter. */
export function runTributaryHeaderRead(bytes: Buffer): HeaderReadResult {
  try {
    const sv = new SimpleHeaderConverter().toConnectHeader('t', 'h', bytes);
    const json = new JsonConverter();
    json.configure({ 'schemas.enable': 'true' }, false);
    return { ok: true, bytes: b64(json.fromConnectData('t', sv.schema, sv.value)) };
  } catch (err) {
    return { ok: false, error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

function part(schemaDesc: SchemaDesc | null, desc: unknown): { schema: Schema | null; value: unknown } {
  if (schemaDesc === null) return { schema: null, value: buildSchemaless(desc as SchemalessDesc | null) };
  const schema = buildSchema(schemaDesc);
  return { schema, value: buildValue(schema, desc) };
}

export function buildRecord(r: RecordDesc): AnyRecord {
  const key = part(r.keySchema, r.key);
  const value = part(r.valueSchema, r.value);
  const headers = new Headers();
  for (const h of r.headers) {
    const p = part(h.schema, h.value);
    headers.add(h.key, p.value, p.schema);
  }
  const parts = {
    topic: r.topic,
    kafkaPartition: r.partition,
    timestamp: r.timestamp === null ? null : Number(r.timestamp),
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    headers,
  };
  return r.kind === 'sink'
    ? new SinkRecord({ ...parts, kafkaPartition: r.partition ?? 0, kafkaOffset: Number(r.offset ?? '0') })
    : new SourceRecord(parts);
}

const registry = new PluginRegistry().register(...transformPlugins);
await registry.loadAll();

function b64(bytes: Buffer | null): string | null {
  return bytes === null ? null : bytes.toString('base64');
}

/** The same case through Tributary's transforms and converters. */
export function runTributary(c: TransformCase): CaseResult {
  const json = new JsonConverter();
  json.configure({ 'schemas.enable': 'true' }, false);
  const simple = new SimpleHeaderConverter();
  const record = buildRecord(c.record);
  const headerBytes = (f: () => Buffer | null): string | null => {
    try {
      return b64(f());
    } catch (err) {
      return `ERR ${(err as Error).name}`;
    }
  };
  try {
    const r = buildTransformationChain(c.config, registry).apply(record);
    if (r === null) return { ok: true, dump: { dropped: true } };
    return {
      ok: true,
      dump: {
        topic: r.topic,
        partition: r.kafkaPartition,
        timestamp: r.timestamp === null ? null : String(r.timestamp),
        key: b64(json.fromConnectData(r.topic, r.keySchema, r.key)),
        value: b64(json.fromConnectData(r.topic, r.valueSchema, r.value)),
        headers: [...r.headers].map((h) => [
          h.key,
          headerBytes(() => json.fromConnectData(r.topic, h.schema, h.value)),
          headerBytes(() => simple.fromConnectHeader(r.topic, h.key, h.schema, h.value)),
        ]),
      },
    };
  } catch (err) {
    return { ok: false, error: `${(err as Error).name}: ${(err as Error).message}` };
  }
}

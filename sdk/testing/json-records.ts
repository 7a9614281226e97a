/**
 * Records built from JSON and rendered back to JSON with Kafka Connect's JsonConverter, exactly as
 * the worker converts them: with `schemas: true` a key or value is a `{"schema": …, "payload": …}`
 * envelope and becomes a Struct with its schema; without, it stays schemaless (objects, arrays,
 * numbers, strings).
 */
import { JsonConverter } from '../../runtime/converters/json-converter.ts';
import { Headers } from '../../runtime/data/headers.ts';
import { SinkRecord, SourceRecord, type ConnectRecord } from '../../runtime/data/records.ts';
import type { Schema } from '../../runtime/data/schema.ts';

/** A record as JSON: what tests write and what they assert. */
export interface JsonRecord {
  topic?: string;
  partition?: number | null;
  key?: unknown;
  value?: unknown;
  /** String headers. */
  headers?: Record<string, string>;
  timestamp?: number | null;
}

/** How JSON maps to Connect data. */
export interface JsonOptions {
  /** JsonConverter's schemas.enable for keys and values (default false). */
  schemas?: boolean;
}

const converters = new Map<boolean, JsonConverter>();

/** The JsonConverter used for `schemas` (configured once). */
export function jsonConverter(schemas: boolean): JsonConverter {
  let c = converters.get(schemas);
  if (!c) {
    c = new JsonConverter();
    c.configure({ 'schemas.enable': String(schemas) }, false);
    converters.set(schemas, c);
  }
  return c;
}

/** Connect data (schema and value) from a JSON value, through JsonConverter.toConnectData. */
export function connectDataFromJson(json: unknown, opts: JsonOptions = {}): { schema: Schema | null; value: unknown } {
  if (json === undefined || json === null) return { schema: null, value: null };
  const result = jsonConverter(opts.schemas ?? false).toConnectData('t', Buffer.from(JSON.stringify(json)));
  if (result instanceof Promise) throw new Error('JsonConverter answered asynchronously');
  return result;
}

/** The JSON of Connect data, through JsonConverter.fromConnectData. */
export function jsonFromConnectData(schema: Schema | null, value: unknown, opts: JsonOptions = {}): unknown {
  if (value === null || value === undefined) return null;
  const bytes = jsonConverter(opts.schemas ?? false).fromConnectData('t', schema, value);
  if (bytes instanceof Promise) throw new Error('JsonConverter answered asynchronously');
  return bytes === null ? null : JSON.parse(bytes.toString('utf8'));
}

function headersOf(json: JsonRecord): Headers {
  const h = new Headers();
  for (const [k, v] of Object.entries(json.headers ?? {})) h.addString(k, v);
  return h;
}

/** A SourceRecord from JSON (topic defaults to "test"). */
export function sourceRecordFromJson(json: JsonRecord, opts: JsonOptions = {}): SourceRecord {
  const key = connectDataFromJson(json.key, opts);
  const value = connectDataFromJson(json.value, opts);
  return new SourceRecord({
    topic: json.topic ?? 'test',
    kafkaPartition: json.partition ?? null,
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    timestamp: json.timestamp ?? null,
    headers: headersOf(json),
  });
}

/** A SinkRecord from JSON, at `offset` (topic defaults to "test", partition to 0). */
export function sinkRecordFromJson(json: JsonRecord, offset = 0, opts: JsonOptions = {}): SinkRecord {
  const key = connectDataFromJson(json.key, opts);
  const value = connectDataFromJson(json.value, opts);
  return new SinkRecord({
    topic: json.topic ?? 'test',
    kafkaPartition: json.partition ?? 0,
    kafkaOffset: offset,
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    timestamp: json.timestamp ?? null,
    headers: headersOf(json),
  });
}

/** A record rendered as JSON (string headers only; other header values as their JSON). */
export function recordToJson(
  record: ConnectRecord<never> | SourceRecord | SinkRecord,
  opts: JsonOptions = {},
): JsonRecord {
  const headers: Record<string, string> = {};
  for (const h of record.headers)
    headers[h.key] = typeof h.value === 'string' ? h.value : JSON.stringify(jsonFromConnectData(h.schema, h.value));
  const out: JsonRecord = {
    topic: record.topic,
    key: jsonFromConnectData(record.keySchema, record.key, opts),
    value: jsonFromConnectData(record.valueSchema, record.value, opts),
  };
  if (record.kafkaPartition !== null) out.partition = record.kafkaPartition;
  if (Object.keys(headers).length) out.headers = headers;
  return out;
}

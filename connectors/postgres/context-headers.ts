/**
 * Debezium 3.3+'s context headers (`extended.headers.enabled`, on by default): every data-change
 * record and its tombstone carry `__debezium.context.connectorLogicalName` (topic.prefix),
 * `taskId`, `connectorName` (the connector type) and `runId` (a UUIDv7 minted per task start).
 * Debezium 3.2.0 already writes the first three.
 */
import { randomBytes } from 'node:crypto';
import { Schemas, Headers } from '../../sdk/data.ts';
import type { DebeziumLayout } from './source-info.ts';

export type ContextHeaders = ReadonlyArray<readonly [string, string]>;

/** RFC 9562 version 7: 48-bit Unix milliseconds, version 7, variant 10, random bits. */
export function uuidV7(nowMs = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(nowMs, 0, 6);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Layout 3.2 has no runId: Debezium 3.2.0 writes the other three (its header producer is shared by every connector). */
export function contextHeaders(
  topicPrefix: string,
  taskId: number,
  layout: DebeziumLayout,
  runId = uuidV7(),
): ContextHeaders {
  const headers: Array<readonly [string, string]> = [
    ['__debezium.context.connectorLogicalName', topicPrefix],
    ['__debezium.context.taskId', String(taskId)],
    ['__debezium.context.connectorName', 'postgresql'],
  ];
  if (layout !== '3.2') headers.push(['__debezium.context.runId', runId]);
  return headers;
}

export function addContextHeaders(headers: Headers, context: ContextHeaders): Headers {
  for (const [k, v] of context) headers.add(k, v, Schemas.STRING);
  return headers;
}

/** One Headers per context, never changed: each record takes a copy-on-write duplicate of it. */
const TEMPLATES = new WeakMap<ContextHeaders, Headers>();

/** The context headers alone, as a new Headers (sharing the items until it is changed). */
export function contextHeadersOnly(context: ContextHeaders): Headers {
  let template = TEMPLATES.get(context);
  if (!template) {
    template = addContextHeaders(new Headers(), context);
    TEMPLATES.set(context, template);
  }
  return template.duplicate();
}

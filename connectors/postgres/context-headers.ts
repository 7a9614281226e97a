/**
 * Debezium 3.3+'s context headers (`extended.headers.enabled`, on by default): every data-change
 * record and its tombstone carry `__debezium.context.connectorLogicalName` (topic.prefix),
 * `taskId`, `connectorName` (the connector type) and `runId` (a UUIDv7 minted per task start).
 */
import { randomBytes } from 'node:crypto';
import { Schemas } from '../../runtime/data/schema.ts';
import type { Headers } from '../../runtime/data/headers.ts';

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

export function contextHeaders(topicPrefix: string, taskId: number, runId = uuidV7()): ContextHeaders {
  return [
    ['__debezium.context.connectorLogicalName', topicPrefix],
    ['__debezium.context.taskId', String(taskId)],
    ['__debezium.context.connectorName', 'postgresql'],
    ['__debezium.context.runId', runId],
  ];
}

export function addContextHeaders(headers: Headers, context: ContextHeaders): Headers {
  for (const [k, v] of context) headers.add(k, v, Schemas.STRING);
  return headers;
}

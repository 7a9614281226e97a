/**
 * Data-change records for one row change: `c`, `u`, `d`, `r` envelopes with key, a tombstone
 * after deletes (tombstones.on.delete), and a primary-key change as `d` + tombstone + `c` carrying
 * `__debezium.newkey` / `__debezium.oldkey` headers, as Debezium's RelationalChangeRecordEmitter.
 */
import {
  SourceRecord,
  type SourceOffset,
  type SourcePartition,
  Headers,
  type Struct,
  valuesEqual,
} from '../../sdk/data.ts';
import { envelopeValue, tombstoneFor, type Operation } from '../shared/debezium/index.ts';
import type { TableSchema } from './table-schema.ts';
import type { PostgresConnectorSettings } from './config.ts';
import { addContextHeaders, contextHeadersOnly, type ContextHeaders } from './context-headers.ts';

export interface EventContext {
  partition: SourcePartition;
  offset: SourceOffset;
  source: Struct;
  /** Returns the transaction block of the next event (provide.transaction.metadata), or null. */
  transactionBlock: () => Struct | null;
  tombstonesOnDelete: boolean;
  skipped: ReadonlySet<string>;
  /** Debezium 3.3+ context headers, appended after the key-change header; null in the 3.2 layout. */
  contextHeaders: ContextHeaders | null;
}

/** One context for every change of a stream: each change sets offset, source and transactionBlock. */
export function reusableEventContext(
  partition: SourcePartition,
  s: Pick<PostgresConnectorSettings, 'tombstonesOnDelete' | 'skippedOperations' | 'contextHeaders'>,
  source: Struct,
): EventContext {
  const { tombstonesOnDelete, skippedOperations: skipped, contextHeaders } = s;
  return { partition, offset: {}, source, transactionBlock: () => null, tombstonesOnDelete, skipped, contextHeaders };
}

function record(
  t: TableSchema,
  ctx: EventContext,
  key: Struct | null,
  op: Operation,
  before: Struct | null,
  after: Struct | null,
  keyChange?: Headers,
): SourceRecord {
  const headers = ctx.contextHeaders
    ? keyChange
      ? addContextHeaders(keyChange, ctx.contextHeaders)
      : contextHeadersOnly(ctx.contextHeaders)
    : keyChange;
  return new SourceRecord({
    topic: t.topic,
    sourcePartition: ctx.partition,
    sourceOffset: ctx.offset,
    keySchema: t.keySchema,
    key,
    valueSchema: t.envelopeSchema,
    value: envelopeValue(t.envelopeSchema, {
      before,
      after,
      source: ctx.source,
      transaction: ctx.transactionBlock(),
      op,
    }),
    timestamp: Date.now(),
    headers,
  });
}

export function readRecord(t: TableSchema, ctx: EventContext, after: Struct): SourceRecord {
  return record(t, ctx, t.key(after), 'r', null, after);
}

/** The records of an insert, appended to `out`. */
export function createRecords(t: TableSchema, ctx: EventContext, after: Struct, out: SourceRecord[]): void {
  if (ctx.skipped.has('c')) return;
  out.push(record(t, ctx, t.key(after), 'c', null, after));
}

/** The records of a delete (and its tombstone), appended to `out`. */
export function deleteRecords(
  t: TableSchema,
  ctx: EventContext,
  before: Struct,
  out: SourceRecord[],
  headers?: Headers,
): void {
  if (ctx.skipped.has('d')) return;
  const d = record(t, ctx, t.key(before), 'd', before, null, headers);
  out.push(d);
  if (ctx.tombstonesOnDelete) out.push(tombstoneFor(d));
}

/** The records of an update (a key change: delete, tombstone, create), appended to `out`. */
export function updateRecords(
  t: TableSchema,
  ctx: EventContext,
  before: Struct | null,
  after: Struct,
  out: SourceRecord[],
): void {
  // Debezium drops skipped updates in its decoder, key-changing ones included.
  if (ctx.skipped.has('u')) return;
  const newKey = t.key(after);
  const oldKey = before ? t.key(before) : null;
  if (oldKey && newKey && !valuesEqual(oldKey, newKey)) {
    if (!ctx.skipped.has('d')) {
      const d = record(t, ctx, oldKey, 'd', before, null, new Headers().add('__debezium.newkey', newKey, t.keySchema));
      out.push(d);
      if (ctx.tombstonesOnDelete) out.push(tombstoneFor(d));
    }
    if (!ctx.skipped.has('c'))
      out.push(record(t, ctx, newKey, 'c', null, after, new Headers().add('__debezium.oldkey', oldKey, t.keySchema)));
    return;
  }
  out.push(record(t, ctx, newKey, 'u', before, after));
}

/** The record of a truncate, appended to `out`. */
export function truncateRecord(t: TableSchema, ctx: EventContext, out: SourceRecord[]): void {
  if (ctx.skipped.has('t')) return;
  out.push(
    new SourceRecord({
      headers: ctx.contextHeaders ? contextHeadersOnly(ctx.contextHeaders) : undefined,
      topic: t.topic,
      sourcePartition: ctx.partition,
      sourceOffset: ctx.offset,
      keySchema: null,
      key: null,
      valueSchema: t.envelopeSchema,
      value: envelopeValue(t.envelopeSchema, { source: ctx.source, transaction: ctx.transactionBlock(), op: 't' }),
      timestamp: Date.now(),
    }),
  );
}

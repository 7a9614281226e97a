/**
 * Transaction metadata (provide.transaction.metadata): the `transaction` block on each data event
 * and the BEGIN/END records on `<prefix>.transaction` (SchemaFactory.transaction*Schema,
 * TransactionMonitor). A TransactionContext counts events per transaction and per data collection.
 */
import { SchemaBuilder, Schemas, type Schema, Struct } from '../../../sdk/data.ts';

export const TRANSACTION_BLOCK_SCHEMA: Schema = SchemaBuilder.struct()
  .optional()
  .name('event.block')
  .version(1)
  .field('id', Schemas.STRING)
  .field('total_order', Schemas.INT64)
  .field('data_collection_order', Schemas.INT64)
  .build();

export const EVENT_COUNT_PER_COLLECTION_SCHEMA: Schema = SchemaBuilder.struct()
  .optional()
  .name('event.collection')
  .version(1)
  .field('data_collection', Schemas.STRING)
  .field('event_count', Schemas.INT64)
  .build();

export const TRANSACTION_KEY_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.common.TransactionMetadataKey')
  .version(1)
  .field('id', Schemas.STRING)
  .build();

export const TRANSACTION_VALUE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.common.TransactionMetadataValue')
  .version(1)
  .field('status', Schemas.STRING)
  .field('id', Schemas.STRING)
  .field('event_count', Schemas.OPTIONAL_INT64)
  .field('data_collections', SchemaBuilder.array(EVENT_COUNT_PER_COLLECTION_SCHEMA).optional().build())
  .field('ts_ms', Schemas.INT64)
  .build();

/** Per-transaction counters; `data_collection_order` and `total_order` both start at 1. */
export class TransactionContext {
  private totalOrder = 0;
  private readonly perCollection = new Map<string, number>();

  constructor(readonly id: string) {}

  /** Counts one event of `dataCollection` and returns its `transaction` block. */
  nextEventBlock(dataCollection: string): Struct {
    this.totalOrder++;
    const n = (this.perCollection.get(dataCollection) ?? 0) + 1;
    this.perCollection.set(dataCollection, n);
    return new Struct(TRANSACTION_BLOCK_SCHEMA)
      .put('id', this.id)
      .put('total_order', this.totalOrder)
      .put('data_collection_order', n);
  }

  get eventCount(): number {
    return this.totalOrder;
  }
  /** Counters per data collection, in first-seen order (for offsets and the END record). */
  get collectionCounts(): ReadonlyMap<string, number> {
    return this.perCollection;
  }
}

export function transactionKey(id: string): Struct {
  return new Struct(TRANSACTION_KEY_SCHEMA).put('id', id);
}

export function transactionBeginValue(id: string, tsMs: number): Struct {
  return new Struct(TRANSACTION_VALUE_SCHEMA)
    .put('status', 'BEGIN')
    .put('id', id)
    .put('event_count', null)
    .put('data_collections', null)
    .put('ts_ms', tsMs);
}

/** Java's String.hashCode (UTF-16 code units, int32 arithmetic). */
function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * Entries in the iteration order of a java.util.HashMap filled in this order (Debezium counts
 * per-collection events in one): by bucket of the spread hash in a table grown from 16 at load
 * factor 0.75, insertion order within a bucket.
 */
export function javaHashMapOrder<V>(entries: Iterable<[string, V]>): Array<[string, V]> {
  const list = [...entries];
  let capacity = 16;
  while (list.length > capacity * 0.75) capacity *= 2;
  const bucket = (k: string) => {
    const h = javaStringHash(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return list
    .map((e, i) => ({ e, i, b: bucket(e[0]) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((x) => x.e);
}

export function transactionEndValue(ctx: TransactionContext, tsMs: number): Struct {
  const collections = javaHashMapOrder(ctx.collectionCounts).map(([name, count]) =>
    new Struct(EVENT_COUNT_PER_COLLECTION_SCHEMA).put('data_collection', name).put('event_count', count),
  );
  return new Struct(TRANSACTION_VALUE_SCHEMA)
    .put('status', 'END')
    .put('id', ctx.id)
    .put('event_count', ctx.eventCount)
    .put('data_collections', collections)
    .put('ts_ms', tsMs);
}

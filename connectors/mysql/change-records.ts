/**
 * Builds the records of one row change: the Debezium envelope with key, the tombstone after a
 * delete, the delete + tombstone + create triple when an update changes the primary key, and the
 * transaction block. Captured-table schemas are cached per structure version.
 */
import {
  Headers,
  SourceRecord,
  type SourceOffset,
  type SourcePartition,
  type Struct,
  valuesEqual,
} from '../../sdk/data.ts';
import { envelopeValue, type Operation, type TransactionContext } from '../shared/debezium/index.ts';
import type { RowImage } from './binlog/events/rows.ts';
import type { ColumnDecodeSpec } from './binlog/row-values.ts';
import { CapturedTable, type ImageStructs } from './captured-table.ts';
import type { MysqlSourceSettings } from './config.ts';
import type { Filters } from './filters.ts';
import type { Flavor } from './source-info.ts';
import type { TableDefinition } from './schema/table-definition.ts';
import { RowDecoder } from './row-decoder.ts';

export class ChangeRecords {
  private readonly cache = new Map<string, { version: number; table: CapturedTable }>();
  /** Row decoders by decode specs (one array per resolved TABLE_MAP), for the captured table they were built for. */
  private readonly decoders = new WeakMap<readonly ColumnDecodeSpec[], RowDecoder>();

  constructor(
    private readonly s: MysqlSourceSettings,
    private readonly flavor: Flavor,
    private readonly filters: Filters,
    readonly partition: SourcePartition,
  ) {}

  captured(def: TableDefinition, version: number): CapturedTable {
    const key = `${def.database}.${def.name}`;
    const hit = this.cache.get(key);
    if (hit && hit.version === version && hit.table.definition === def) return hit.table;
    const table = new CapturedTable(def, {
      prefix: this.s.topicPrefix,
      delimiter: this.s.topicDelimiter,
      flavor: this.flavor,
      modes: this.s,
      filters: this.filters,
      columnMappers: this.s.columnMappers,
      keyColumns: this.s.messageKeyColumns,
      unavailablePlaceholder: this.s.unavailablePlaceholder,
    });
    this.cache.set(key, { version, table });
    return table;
  }

  /** The row decoder of a TABLE_MAP's specs and the captured table; built once, rebuilt when either changes. */
  decoder(table: CapturedTable, specs: readonly ColumnDecodeSpec[]): RowDecoder {
    const hit = this.decoders.get(specs);
    if (hit && hit.table === table) return hit;
    const d = new RowDecoder(table, specs, this.s);
    this.decoders.set(specs, d);
    return d;
  }

  isSkipped(op: Operation): boolean {
    return this.s.skippedOperations.has(op);
  }

  /**
   * Records for one row: `op` c/u/d/r, images by column index: decoded values (the table's own
   * key/value) or converted ones (`images` = `table.converted`).
   */
  rowRecords<I = RowImage>(
    table: CapturedTable,
    op: Operation,
    before: I | null,
    after: I | null,
    source: Struct,
    offset: SourceOffset,
    tx: TransactionContext | null,
    timestampMs: number,
    images: ImageStructs<I> = table as unknown as ImageStructs<I>,
  ): SourceRecord[] {
    const out: SourceRecord[] = [];
    if (op === 'u' && table.keySchema && before && after) {
      const make = (o: Operation, b: I | null, a: I | null, headers?: Headers): SourceRecord =>
        this.record(table, images, o, b, a, source, offset, tx, timestampMs, headers);
      const oldKey = images.key(before)!;
      const newKey = images.key(after)!;
      if (!valuesEqual(oldKey, newKey)) {
        const del = make('d', before, null, new Headers().add('__debezium.newkey', newKey, table.keySchema));
        out.push(del);
        // The tombstone keeps the delete's __debezium.newkey header, as Debezium's does.
        if (this.s.tombstonesOnDelete) out.push(del.newRecord({ valueSchema: null, value: null }));
        out.push(make('c', null, after, new Headers().add('__debezium.oldkey', oldKey, table.keySchema)));
        return out;
      }
    }
    const rec = this.record(table, images, op, before, after, source, offset, tx, timestampMs, undefined);
    out.push(rec);
    // A table without a key gets its tombstone too (null key, null value), as Debezium emits it.
    if (op === 'd' && this.s.tombstonesOnDelete) out.push(rec.newRecord({ valueSchema: null, value: null }));
    return out;
  }

  private record<I>(
    table: CapturedTable,
    images: ImageStructs<I>,
    o: Operation,
    b: I | null,
    a: I | null,
    source: Struct,
    offset: SourceOffset,
    tx: TransactionContext | null,
    timestampMs: number,
    headers: Headers | undefined,
  ): SourceRecord {
    const key = images.key((a ?? b)!);
    const value = envelopeValue(table.envelopeSchema, {
      before: b ? images.value(b) : null,
      after: a ? images.value(a) : null,
      source,
      transaction: tx ? tx.nextEventBlock(`${table.definition.database}.${table.definition.name}`) : null,
      op: o,
    });
    return new SourceRecord({
      topic: table.topic,
      sourcePartition: this.partition,
      sourceOffset: offset,
      keySchema: table.keySchema,
      key,
      valueSchema: table.envelopeSchema,
      value,
      timestamp: timestampMs,
      headers,
    });
  }
}

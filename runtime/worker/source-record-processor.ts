/**
 * A source record through the task's transforms and converters into the record the transport
 * sends: a synchronous fast path, and the per-stage path under errors.tolerance.
 */
import type { SourceRecord } from '../data/records.ts';
import type { Header } from '../data/headers.ts';
import type { Converter, HeaderConverter } from '../spi/converter.ts';
import type { LogHeader, OutgoingRecord } from '../transport/types.ts';
import type { TransformationChain } from './transformation-chain.ts';
import type { ToleranceOperator } from './error-handling.ts';
import { SimpleHeaderConverter, StringConverter } from '../converters/simple-converters.ts';

/** A generation of converter output per converter (null: the converter keeps no reusable output). */
export interface OutputMark {
  key: number | null;
  value: number | null;
}

export class SourceRecordProcessor {
  /**
   * Built-in header converters, whose bytes depend only on the header's schema and value: the
   * converted headers of a record are reused for the next one carrying the same Header objects
   * with primitive values (Debezium's context headers, shared by every record of a task).
   */
  private readonly reuseHeaders: boolean;
  private lastTopic = '';
  private lastHeaders: Header[] = [];
  private lastConverted: LogHeader[] | null = null;

  constructor(
    private readonly chain: TransformationChain<SourceRecord>,
    private readonly keyConverter: Converter,
    private readonly valueConverter: Converter,
    private readonly headerConverter: HeaderConverter,
    private readonly tolerance: ToleranceOperator,
  ) {
    const c = headerConverter.constructor;
    this.reuseHeaders = c === SimpleHeaderConverter || c === StringConverter;
  }

  /**
   * The common case without the per-stage error machinery: transforms and converters that return
   * synchronously and do not throw. Returns undefined when anything throws or is asynchronous; the
   * record then goes through process(), which runs every stage again under errors.tolerance (stages
   * are side-effect free, so running one twice is harmless).
   */
  processSync(record: SourceRecord): OutgoingRecord | null | undefined {
    const { chain, keyConverter, valueConverter } = this;
    try {
      const t = chain.apply(record);
      if (t === null) return null;
      const key = keyConverter.fromConnectData(t.topic, t.keySchema, t.key, t.headers);
      if (key instanceof Promise) return void key.catch(() => undefined);
      const value = valueConverter.fromConnectData(t.topic, t.valueSchema, t.value, t.headers);
      if (value instanceof Promise) return void value.catch(() => undefined);
      const headers = this.reuseHeaders ? this.reusedHeaders(t) : this.convertHeaders(t);
      return { topic: t.topic, partition: t.kafkaPartition, key, value, timestamp: t.timestamp ?? Date.now(), headers };
    } catch {
      return undefined;
    }
  }

  private convertHeaders(t: SourceRecord): LogHeader[] {
    const { headerConverter } = this;
    const headers: LogHeader[] = [];
    for (const hd of t.headers)
      headers.push({ key: hd.key, value: headerConverter.fromConnectHeader(t.topic, hd.key, hd.schema, hd.value) });
    return headers;
  }

  /** The converted headers of the record before when `t` carries the same headers (shared: read, never changed, downstream). */
  private reusedHeaders(t: SourceRecord): LogHeader[] {
    const last = this.lastHeaders;
    let i = 0;
    let same = t.topic === this.lastTopic;
    for (const hd of t.headers) {
      if (same && (i >= last.length || hd !== last[i])) same = false;
      i++;
    }
    if (same && i === last.length && this.lastConverted !== null) return this.lastConverted;
    const headers = this.convertHeaders(t);
    const seen: Header[] = [];
    for (const hd of t.headers) {
      const v = hd.value;
      if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
        this.lastConverted = null;
        this.lastHeaders = [];
        return headers;
      }
      seen.push(hd);
    }
    this.lastTopic = t.topic;
    this.lastHeaders = seen;
    this.lastConverted = headers;
    return headers;
  }

  /**
   * Every record converted so far is out of use (the sender copied its bytes): the key and value
   * converters may reuse the memory behind them. Not the header converter, whose output
   * reusedHeaders keeps across records.
   */
  recycleOutput(): void {
    const { keyConverter, valueConverter, headerConverter } = this;
    if ((keyConverter as object) !== headerConverter) keyConverter.recycleOutput?.();
    if (valueConverter !== keyConverter && (valueConverter as object) !== headerConverter)
      valueConverter.recycleOutput?.();
  }

  /**
   * Ends a generation of the key and value converters' output (what recycleOutput would free):
   * releaseOutput(mark) frees it once the records converted so far are out of use, while records
   * converted after the mark stay intact (they may be in flight).
   */
  markOutput(): OutputMark {
    const { keyConverter, valueConverter, headerConverter } = this;
    const key = (keyConverter as object) !== headerConverter ? (keyConverter.markOutput?.() ?? null) : null;
    const value =
      valueConverter !== keyConverter && (valueConverter as object) !== headerConverter
        ? (valueConverter.markOutput?.() ?? null)
        : null;
    return { key, value };
  }

  releaseOutput(mark: OutputMark): void {
    if (mark.key !== null) this.keyConverter.releaseOutput?.(mark.key);
    if (mark.value !== null) this.valueConverter.releaseOutput?.(mark.value);
  }

  /** Transforms and converts a record under errors.tolerance; null when dropped or tolerated. */
  async process(record: SourceRecord): Promise<OutgoingRecord | null> {
    const { chain, tolerance } = this;
    const t = await tolerance.execute(
      'TRANSFORMATION',
      'transforms',
      () => chain.apply(record),
      () => describeSourceRecord(record),
    );
    if (!t.ok || t.value === null) return null;
    return this.convert(t.value);
  }

  /** Converts a transformed record (key, value, headers) under errors.tolerance; null when tolerated. */
  async convert(record: SourceRecord): Promise<OutgoingRecord | null> {
    const { keyConverter, valueConverter, headerConverter, tolerance } = this;
    const k = await tolerance.execute(
      'KEY_CONVERTER',
      className(keyConverter),
      () => keyConverter.fromConnectData(record.topic, record.keySchema, record.key, record.headers),
      () => describeSourceRecord(record),
    );
    if (!k.ok) return null;
    const v = await tolerance.execute(
      'VALUE_CONVERTER',
      className(valueConverter),
      () => valueConverter.fromConnectData(record.topic, record.valueSchema, record.value, record.headers),
      () => describeSourceRecord(record),
    );
    if (!v.ok) return null;
    const h = await tolerance.execute('HEADER_CONVERTER', className(headerConverter), () => {
      const headers: LogHeader[] = [];
      for (const hd of record.headers)
        headers.push({
          key: hd.key,
          value: headerConverter.fromConnectHeader(record.topic, hd.key, hd.schema, hd.value),
        });
      return headers;
    });
    if (!h.ok) return null;
    return {
      topic: record.topic,
      partition: record.kafkaPartition,
      key: k.value,
      value: v.value,
      timestamp: record.timestamp ?? Date.now(),
      headers: h.value,
    };
  }
}

function className(o: object): string {
  return o.constructor?.name ?? 'unknown';
}

/** A record as Kafka Connect's error reporter names it. */
export function describeSourceRecord(r: SourceRecord): string {
  return `SourceRecord{topic=${r.topic}, partition=${JSON.stringify(r.sourcePartition)}, offset=${JSON.stringify(r.sourceOffset)}}`;
}

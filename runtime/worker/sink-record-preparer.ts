/**
 * The sink task's per-record stages before put(): key, value and header converters, then the
 * transformation chain, each under the task's error tolerance. A record that passes every stage
 * synchronously costs no promise: only a failure (or an asynchronous converter) goes through
 * ToleranceOperator.execute, whose first attempt is then the call already made, so retries, error
 * counting and dead-letter reporting are as if every stage had gone through it.
 */
import { SinkRecord } from '../data/records.ts';
import { Headers } from '../data/headers.ts';
import type { Converter, HeaderConverter, SchemaAndValue } from '../spi/converter.ts';
import type { LogRecord } from '../transport/types.ts';
import type { TransformationChain } from './transformation-chain.ts';
import type { Stage, ToleranceOperator } from './error-handling.ts';

type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error };
type MaybeAsync<T> = T | Promise<T>;

export interface PreparerDeps {
  chain: TransformationChain<SinkRecord>;
  keyConverter: Converter;
  valueConverter: Converter;
  headerConverter: HeaderConverter;
  tolerance: ToleranceOperator;
  /** Reports a record whose stage failed and was tolerated (the dead letter queue, if any). */
  deadLetter: (raw: LogRecord, stage: Stage, className: string, error: Error) => Promise<void>;
}

/** A polled batch and the records put() gets from it (fewer when records were skipped). */
export interface PreparedBatch {
  polled: LogRecord[];
  records: SinkRecord[];
}

export class SinkRecordPreparer {
  constructor(private readonly deps: PreparerDeps) {}

  /**
   * Converts and transforms a batch. With `yieldEvery`, gives the event loop a turn after every
   * that many records (so a put() in flight gets its database replies meanwhile).
   */
  async prepare(polled: LogRecord[], yieldEvery = 0): Promise<PreparedBatch> {
    const { tolerance, chain } = this.deps;
    const records: SinkRecord[] = [];
    for (let i = 0; i < polled.length; i++) {
      if (yieldEvery > 0 && i > 0 && i % yieldEvery === 0) await new Promise<void>((r) => setImmediate(r));
      const raw = polled[i];
      let converted = this.convert(raw);
      if (converted instanceof Promise) converted = await converted;
      if (!converted) continue;
      const record = converted;
      let t = runStage(
        tolerance,
        'TRANSFORMATION',
        'transforms',
        () => chain.apply(record),
        () => describeRecord(raw),
      );
      if (t instanceof Promise) t = await t;
      if (t.ok && t.value !== null) records.push(t.value);
      else if (!t.ok) await this.deps.deadLetter(raw, 'TRANSFORMATION', 'transforms', t.error);
    }
    return { polled, records };
  }

  /** The record through the key, value and header converters; null when a failure was tolerated. */
  private convert(raw: LogRecord): SinkRecord | null | Promise<SinkRecord | null> {
    const { keyConverter, valueConverter, tolerance } = this.deps;
    const k = runStage(
      tolerance,
      'KEY_CONVERTER',
      keyConverter.constructor.name,
      () => keyConverter.toConnectData(raw.topic, raw.key),
      () => describeRecord(raw),
    );
    if (k instanceof Promise || !k.ok) return this.convertSlowly(raw, k);
    const v = runStage(
      tolerance,
      'VALUE_CONVERTER',
      valueConverter.constructor.name,
      () => valueConverter.toConnectData(raw.topic, raw.value),
      () => describeRecord(raw),
    );
    if (v instanceof Promise || !v.ok) return this.convertSlowly(raw, k, v);
    const h = raw.headers.length === 0 ? ({ ok: true, value: new Headers() } as const) : this.convertHeaders(raw);
    if (h instanceof Promise || !h.ok) return this.convertSlowly(raw, k, v, h);
    return sinkRecord(raw, k.value, v.value, h.value);
  }

  /** convert() from the first stage that failed or returned a promise. */
  private async convertSlowly(
    raw: LogRecord,
    key: MaybeAsync<Outcome<SchemaAndValue>>,
    value?: MaybeAsync<Outcome<SchemaAndValue>>,
    headers?: MaybeAsync<Outcome<Headers>>,
  ): Promise<SinkRecord | null> {
    const { keyConverter, valueConverter, headerConverter, tolerance, deadLetter } = this.deps;
    const k = await key;
    if (!k.ok) {
      await deadLetter(raw, 'KEY_CONVERTER', keyConverter.constructor.name, k.error);
      return null;
    }
    const v = await (value ??
      tolerance.execute(
        'VALUE_CONVERTER',
        valueConverter.constructor.name,
        () => valueConverter.toConnectData(raw.topic, raw.value),
        () => describeRecord(raw),
      ));
    if (!v.ok) {
      await deadLetter(raw, 'VALUE_CONVERTER', valueConverter.constructor.name, v.error);
      return null;
    }
    const h = await (headers ?? this.convertHeaders(raw));
    if (!h.ok) {
      await deadLetter(raw, 'HEADER_CONVERTER', headerConverter.constructor.name, h.error);
      return null;
    }
    return sinkRecord(raw, k.value, v.value, h.value);
  }

  private convertHeaders(raw: LogRecord): MaybeAsync<Outcome<Headers>> {
    const { headerConverter, tolerance } = this.deps;
    return runStage(tolerance, 'HEADER_CONVERTER', headerConverter.constructor.name, () => {
      const headers = new Headers();
      for (const hd of raw.headers) {
        const sv = headerConverter.toConnectHeader(raw.topic, hd.key, hd.value);
        headers.add(hd.key, sv.value, sv.schema);
      }
      return headers;
    });
  }
}

/** ToleranceOperator.execute without a promise when `fn` returns a value (see the module comment). */
function runStage<T>(
  tolerance: ToleranceOperator,
  stage: Stage,
  className: string,
  fn: () => T | Promise<T>,
  describe?: () => string,
): MaybeAsync<Outcome<T>> {
  let first: { threw: true; error: unknown } | { threw: false; result: Promise<T> };
  try {
    const r = fn();
    if (!(r instanceof Promise)) return { ok: true, value: r };
    first = { threw: false, result: r };
  } catch (error) {
    first = { threw: true, error };
  }
  let replayed = false;
  return tolerance.execute(
    stage,
    className,
    () => {
      if (replayed) return fn();
      replayed = true;
      if (first.threw) throw first.error;
      return first.result;
    },
    describe,
  );
}

function sinkRecord(raw: LogRecord, key: SchemaAndValue, value: SchemaAndValue, headers: Headers): SinkRecord {
  return new SinkRecord({
    topic: raw.topic,
    kafkaPartition: raw.partition,
    kafkaOffset: raw.offset,
    keySchema: key.schema,
    key: key.value,
    valueSchema: value.schema,
    value: value.value,
    timestamp: raw.timestamp,
    headers,
  });
}

/** A record as Kafka Connect's error log and dead letter context name it. */
export function describeRecord(r: LogRecord): string {
  return `ConsumerRecord{topic=${r.topic}, partition=${r.partition}, offset=${r.offset}, timestamp=${r.timestamp}}`;
}

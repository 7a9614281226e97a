/** Source records through transforms and converters: converted headers reused only where the bytes cannot differ. */
import { describe, expect, it } from 'vitest';
import { SourceRecord } from '../data/records.ts';
import { Headers } from '../data/headers.ts';
import { SchemaBuilder, Schemas } from '../data/schema.ts';
import { silentLogger } from '../logging.ts';
import { SimpleHeaderConverter, StringConverter } from '../converters/simple-converters.ts';
import type { HeaderConverter } from '../spi/converter.ts';
import type { OutgoingRecord } from '../transport/types.ts';
import { ToleranceOperator } from './error-handling.ts';
import { TaskErrorCounters } from './task-metrics.ts';
import { TransformationChain } from './transformation-chain.ts';
import { SourceRecordProcessor } from './source-record-processor.ts';

function processor(headerConverter: HeaderConverter): SourceRecordProcessor {
  return new SourceRecordProcessor(
    TransformationChain.empty<SourceRecord>(),
    new StringConverter(),
    new StringConverter(),
    headerConverter,
    new ToleranceOperator(
      { retryTimeoutMs: 0, retryDelayMaxMs: 60_000, tolerateAll: false, logErrors: false, logMessages: false },
      silentLogger,
      new TaskErrorCounters(),
    ),
  );
}

const text = (o: OutgoingRecord) => o.headers.map((h) => [h.key, h.value?.toString('utf8') ?? null]);

describe('SourceRecordProcessor headers', () => {
  it("reuses the converted headers of records sharing a template's headers, and converts anything else", () => {
    const template = new Headers()
      .addString('__debezium.context.connectorLogicalName', 'inventory')
      .add('n', 7, Schemas.INT32)
      .add('empty', null);
    const p = processor(new SimpleHeaderConverter());
    const rec = (topic: string, headers: Headers) => new SourceRecord({ topic, value: 'v', headers });
    const a = p.processSync(rec('t', template.duplicate()))!;
    const b = p.processSync(rec('t', template.duplicate()))!;
    expect(text(a)).toEqual([
      ['__debezium.context.connectorLogicalName', 'inventory'],
      ['n', '7'],
      ['empty', null],
    ]);
    expect(b.headers).toBe(a.headers);

    // a header added to one record: converted for that record only
    const added = template.duplicate().addString('extra', 'x');
    const c = p.processSync(rec('t', added))!;
    expect(text(c)).toEqual([...text(a), ['extra', 'x']]);
    expect(text(p.processSync(rec('t', template.duplicate()))!)).toEqual(text(a));

    // a different topic, a different value for the same key, no headers
    expect(p.processSync(rec('u', template.duplicate()))!.headers).not.toBe(a.headers);
    const changed = new Headers().addString('__debezium.context.connectorLogicalName', 'other');
    expect(text(p.processSync(rec('u', changed))!)).toEqual([['__debezium.context.connectorLogicalName', 'other']]);
    expect(p.processSync(rec('u', new Headers()))!.headers).toEqual([]);
  });

  it('converts header values that are objects for every record (they may change in place)', () => {
    const list = ['a'];
    const headers = new Headers().add('list', list, SchemaBuilder.array(Schemas.STRING).build());
    const p = processor(new SimpleHeaderConverter());
    const first = p.processSync(new SourceRecord({ topic: 't', value: 'v', headers }))!;
    list.push('b');
    const second = p.processSync(new SourceRecord({ topic: 't', value: 'v', headers }))!;
    expect(second.headers).not.toBe(first.headers);
    expect(text(second)).toEqual([['list', '["a","b"]']]);
  });

  it('calls a header converter that is not a built-in one for every record', () => {
    let calls = 0;
    const counting: HeaderConverter = {
      config: () => new SimpleHeaderConverter().config(),
      configure: () => undefined,
      fromConnectHeader: () => Buffer.from(String(++calls)),
      toConnectHeader: () => ({ schema: null, value: null }),
    };
    const p = processor(counting);
    const template = new Headers().addString('h', 'same');
    const out = [1, 2, 3].map(() => p.processSync(new SourceRecord({ topic: 't', headers: template.duplicate() }))!);
    expect(out.map(text)).toEqual([[['h', '1']], [['h', '2']], [['h', '3']]]);
  });
});

describe('SourceRecordProcessor.recycleOutput', () => {
  it('lets the key and value converters reuse their output, never the header converter', () => {
    const calls: string[] = [];
    class Recycling extends StringConverter {
      constructor(private readonly label: string) {
        super();
      }
      recycleOutput(): void {
        calls.push(this.label);
      }
    }
    const tolerance = new ToleranceOperator(
      { retryTimeoutMs: 0, retryDelayMaxMs: 60_000, tolerateAll: false, logErrors: false, logMessages: false },
      silentLogger,
      new TaskErrorCounters(),
    );
    const header = new Recycling('header');
    new SourceRecordProcessor(
      TransformationChain.empty<SourceRecord>(),
      new Recycling('key'),
      new Recycling('value'),
      header,
      tolerance,
    ).recycleOutput();
    expect(calls).toEqual(['key', 'value']);
    calls.length = 0;
    // One instance as value and header converter: its header bytes are reused across records, so it is left alone.
    new SourceRecordProcessor(
      TransformationChain.empty<SourceRecord>(),
      new Recycling('key'),
      header,
      header,
      tolerance,
    ).recycleOutput();
    expect(calls).toEqual(['key']);
  });
});

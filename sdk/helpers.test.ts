/** The SDK's helpers (polling source, batching sink, field-path transform) driven through the test kit. */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import {
  BatchingSinkTask,
  ConfigDef,
  DataException,
  FieldPathTransformation,
  PollingSourceTask,
  RecordFailures,
  RetriableException,
  SDK_VERSION,
  SchemaBuilder,
  SourceRecord,
  keyValueTransformations,
  type PluginDescriptor,
  type Schema,
  type SinkRecord,
  type SinkTask,
} from './index.ts';
import { SinkTaskHarness, SourceTaskHarness, applyTransforms } from './testing/index.ts';

/** A fake upstream: an append-only list of strings; the task's offset is the next index. */
class Upstream {
  items: string[] = [];
  failures: Error[] = [];
  calls: number[] = [];
}

class ListSourceTask extends PollingSourceTask {
  private next = 0;
  constructor(private readonly upstream: Upstream) {
    super();
  }
  version() {
    return '1.0.0';
  }
  protected override onStart() {
    this.next = (this.committedOffset({ list: 'l' })?.next as number | undefined) ?? 0;
    this.context.metrics?.register(
      'com.example.list',
      'source-metrics',
      { task: String(this.context.taskId) },
      { Next: () => this.next },
    );
  }
  protected async fetch(): Promise<SourceRecord[]> {
    this.upstream.calls.push(this.clock.now());
    const failure = this.upstream.failures.shift();
    if (failure) throw failure;
    const out = this.upstream.items.slice(this.next).map(
      (value, i) =>
        new SourceRecord({
          topic: this.props.topic,
          value,
          sourcePartition: { list: 'l' },
          sourceOffset: { next: this.next + i + 1 },
        }),
    );
    this.next += out.length;
    return out;
  }
}

describe('PollingSourceTask', () => {
  it('emits, waits poll.interval.ms when idle, commits offsets and resumes from them after a crash', async () => {
    const up = new Upstream();
    up.items.push('a', 'b');
    const h = await SourceTaskHarness.start({
      task: () => new ListSourceTask(up),
      config: { topic: 'words', 'poll.interval.ms': '60000' },
      schemas: false,
    });
    try {
      expect((await h.poll()).map((r) => r.value)).toEqual(['a', 'b']);
      expect(await h.poll()).toEqual([]);
      const t0 = h.clock.now();
      up.items.push('c');
      expect((await h.poll()).map((r) => r.value)).toEqual(['c']);
      expect(h.clock.now() - t0).toBe(60_000);
      await h.commit();
      expect(h.committedOffset({ list: 'l' })).toEqual({ next: 3 });
      expect(h.metricNames()).toEqual(['com.example.list:type=source-metrics,task=0']);
      expect(h.metrics('com.example.list:type=source-metrics,task=0')).toEqual({ Next: 3 });
      up.items.push('d');
      await h.poll();
      await h.restart({ crash: true });
      expect((await h.pollUntil(1)).map((r) => r.value)).toEqual(['d']);
      expect(h.topic('words').map((r) => [r.offset, r.value])).toEqual([
        [0, 'a'],
        [1, 'b'],
        [2, 'c'],
        [3, 'd'],
        [4, 'd'],
      ]);
    } finally {
      await h.close();
    }
  });

  it('retries retriable failures with exponential backoff and gives up after max.retries', async () => {
    const up = new Upstream();
    up.items.push('x');
    up.failures.push(new RetriableException('down'), new RetriableException('down'));
    const h = await SourceTaskHarness.start({
      task: () => new ListSourceTask(up),
      config: { topic: 't', 'retry.backoff.ms': '1000', 'max.retries': '2' },
    });
    try {
      expect(await h.pollUntil(1)).toHaveLength(1);
      const start = up.calls[0];
      expect(up.calls.map((t) => t - start)).toEqual([0, 1000, 3000]);
      up.failures.push(new RetriableException('a'), new RetriableException('b'), new RetriableException('c'));
      await h.poll();
      await h.poll();
      await expect(h.poll()).rejects.toThrow(/Giving up after 2 retries \(max.retries\): c/);
      up.failures.push(new DataException('bad row'));
      await expect(h.poll()).rejects.toThrow('bad row');
    } finally {
      await h.close({ commit: false });
    }
  });
});

class CollectingSink extends BatchingSinkTask {
  constructor(
    readonly written: string[][],
    private readonly failures: Array<(batch: SinkRecord[]) => Error | undefined> = [],
  ) {
    super();
  }
  version() {
    return '1.0.0';
  }
  protected async writeBatch(records: SinkRecord[]): Promise<void> {
    const failure = this.failures.shift()?.(records);
    if (failure) throw failure;
    this.written.push(records.map((r) => String(r.value)));
  }
}

describe('BatchingSinkTask', () => {
  it('writes batches of batch.size, flushes the rest before the commit, retries a retriable batch after its backoff', async () => {
    const written: string[][] = [];
    const h = await SinkTaskHarness.start({
      task: () => new CollectingSink(written, [() => undefined, () => new RetriableException('busy')]),
      config: { topics: 'in', 'batch.size': '2', 'retry.backoff.ms': '500' },
    });
    try {
      await h.send(
        'in',
        ['a', 'b', 'c', 'd', 'e'].map((value) => ({ value })),
      );
      const t0 = h.clock.now();
      expect(await h.deliver()).toBe(5);
      expect(written).toEqual([
        ['a', 'b'],
        ['c', 'd'],
      ]);
      expect(h.clock.now() - t0).toBe(500);
      await h.commit();
      expect(written).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
      expect(h.committedOffsets()).toEqual([{ topic: 'in', partition: 0, offset: 5 }]);
    } finally {
      await h.close();
    }
  });

  it('sends the records of a RecordFailures to the dead letter queue, and fails without one', async () => {
    const reject = (batch: SinkRecord[]) =>
      new RecordFailures(
        batch
          .filter((r) => r.value === 'bad')
          .map((record) => ({ record, error: new DataException('rejected by the database') })),
      );
    const written: string[][] = [];
    const h = await SinkTaskHarness.start({
      task: () => new CollectingSink(written, [reject]),
      config: { topics: 'in' },
      deadLetterQueue: 'dlq',
    });
    try {
      await h.send('in', [{ value: 'ok' }, { value: 'bad' }]);
      await h.deliver();
      await h.commit();
      expect(h.deadLetters.map((d) => [d.record.value, d.record.kafkaOffset, d.error.message])).toEqual([
        ['bad', 1, 'rejected by the database'],
      ]);
      expect(
        h.log
          .read({ topic: 'dlq', partition: 0 }, 0)
          .map((r) => [
            r.value?.toString(),
            r.headers.find((x) => x.key === '__connect.errors.exception.message')?.value?.toString(),
          ]),
      ).toEqual([['"bad"', 'rejected by the database']]);
    } finally {
      await h.close();
    }
    const h2 = await SinkTaskHarness.start({ task: () => new CollectingSink([], [reject]), config: { topics: 'in' } });
    try {
      await h2.send('in', [{ value: 'bad' }]);
      await h2.deliver();
      await expect(h2.commit()).rejects.toThrow(/1 record\(s\) could not be written.*errors.tolerance=all/);
    } finally {
      await h2.close({ commit: false });
    }
  });

  it('redelivers after a crash what was not committed, and moves partitions on a rebalance', async () => {
    const puts: string[] = [];
    const task = (): SinkTask => ({
      version: () => '1',
      initialize() {},
      start() {},
      stop() {},
      async put(records) {
        puts.push(...records.map((r) => `${r.kafkaPartition}:${String(r.value)}`));
      },
    });
    const h = await SinkTaskHarness.start({ task, config: { topics: 'in' }, partitions: 2 });
    try {
      await h.send('in', [
        { value: 'a', partition: 0 },
        { value: 'b', partition: 1 },
      ]);
      await h.deliver();
      await h.commit();
      await h.send('in', [{ value: 'c', partition: 0 }]);
      await h.deliver();
      await h.restart({ crash: true });
      await h.deliver();
      expect(puts).toEqual(['0:a', '1:b', '0:c', '0:c']);
      await h.rebalance([{ topic: 'in', partition: 1 }]);
      await h.send('in', [
        { value: 'd', partition: 0 },
        { value: 'e', partition: 1 },
      ]);
      await h.deliver();
      expect(puts.slice(4)).toEqual(['1:e']);
      expect(h.assignment).toEqual([{ topic: 'in', partition: 1 }]);
    } finally {
      await h.close();
    }
  });
});

class Redact extends FieldPathTransformation {
  private mask = '***';
  protected override ownConfig() {
    return new ConfigDef().define({
      name: 'mask',
      type: 'STRING',
      defaultValue: '***',
      importance: 'LOW',
      documentation: 'Replacement text.',
    });
  }
  protected override onConfigure(values: Readonly<Record<string, unknown>>) {
    this.mask = values.mask as string;
  }
  protected transformField(value: unknown) {
    return typeof value === 'number' ? `${this.mask}${value}` : this.mask;
  }
  protected override transformFieldSchema(schema: Schema): Schema {
    return schema.type === 'int32' ? SchemaBuilder.string().build() : schema;
  }
}

describe('FieldPathTransformation', () => {
  const plugins: PluginDescriptor[] = keyValueTransformations(
    'com.example.Redact',
    '1.0.0',
    (part) => new Redact(part),
    ['Redact'],
  );

  it('rewrites a nested field of schemaless values and of structs (changing the field schema), $Key and $Value', () => {
    const config = {
      transforms: 'v,k',
      'transforms.v.type': 'Redact$Value',
      'transforms.v.field': 'after.pin',
      'transforms.k.type': 'com.example.Redact$Key',
      'transforms.k.mask': '#',
    };
    expect(
      applyTransforms({ plugins, config }, [
        { key: 'id1', value: { after: { pin: 1234, name: 'x' } } },
        { key: null, value: { before: {} } },
      ]),
    ).toEqual([
      { topic: 'test', key: '#', value: { after: { pin: '***1234', name: 'x' } } },
      { topic: 'test', key: null, value: { before: {} } },
    ]);
    const schema = {
      type: 'struct',
      optional: false,
      fields: [
        { field: 'after', type: 'struct', optional: false, fields: [{ field: 'pin', type: 'int32', optional: false }] },
      ],
    };
    const [out] = applyTransforms(
      {
        plugins,
        config: { transforms: 'v', 'transforms.v.type': 'Redact$Value', 'transforms.v.field': 'after.pin' },
        schemas: true,
      },
      [{ value: { schema, payload: { after: { pin: 7 } } } }],
    );
    expect(out?.value).toEqual({
      schema: {
        type: 'struct',
        optional: false,
        fields: [
          {
            field: 'after',
            type: 'struct',
            optional: false,
            fields: [{ field: 'pin', type: 'string', optional: false }],
          },
        ],
      },
      payload: { after: { pin: '***7' } },
    });
  });

  it('names a missing struct field and an unknown transform type', () => {
    const schema = { type: 'struct', optional: false, fields: [{ field: 'a', type: 'int32', optional: false }] };
    expect(() =>
      applyTransforms(
        {
          plugins,
          config: { transforms: 'v', 'transforms.v.type': 'Redact$Value', 'transforms.v.field': 'b' },
          schemas: true,
        },
        [{ value: { schema, payload: { a: 1 } } }],
      ),
    ).toThrow(/No value field b in the record's value schema \(fields: a\)/);
    expect(() => applyTransforms({ plugins, config: { transforms: 'v', 'transforms.v.type': 'Nope' } }, [])).toThrow(
      /Nope/,
    );
  });
});

it('SDK_VERSION follows the package version', () => {
  expect(SDK_VERSION).toBe(
    (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version,
  );
});

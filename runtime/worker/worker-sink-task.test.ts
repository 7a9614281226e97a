/**
 * WorkerSinkTask's overlap of conversion and put(): the next fetched batch is converted while put()
 * runs and put next, in order, each record once; a batch prepared while the task sought or paused
 * partitions is not put but fetched again from where it began (or from where the task sought).
 */
import { describe, expect, it } from 'vitest';
import { Schemas } from '../data/schema.ts';
import type { SinkRecord } from '../data/records.ts';
import { silentLogger } from '../logging.ts';
import { StringConverter } from '../converters/simple-converters.ts';
import type { Converter, SchemaAndValue } from '../spi/converter.ts';
import type { SinkTask, SinkTaskContext } from '../spi/sink.ts';
import type { LogRecord, RebalanceListener, RecordReceiver, TopicPartition } from '../transport/types.ts';
import { ToleranceOperator } from './error-handling.ts';
import { SinkTaskMetrics, TaskErrorCounters, TaskMetrics } from './task-metrics.ts';
import { TransformationChain } from './transformation-chain.ts';
import { WorkerSinkTask } from './worker-sink-task.ts';

const TP: TopicPartition = { topic: 't', partition: 0 };
const TOTAL = 1000;
const MAX_POLL = 100;

/** One partition of TOTAL records (offset = index); everything is "fetched" already. */
class FakeReceiver implements RecordReceiver {
  readonly records: LogRecord[] = Array.from({ length: TOTAL }, (_v, i) => ({
    topic: TP.topic,
    partition: TP.partition,
    offset: i,
    timestamp: 0,
    key: null,
    value: Buffer.from(`v${i}`),
    headers: [],
  }));
  pos = 0;
  readonly seeks: number[] = [];
  async subscribe(_s: unknown, listener: RebalanceListener): Promise<void> {
    await listener.assigned([TP]);
  }
  assignment(): TopicPartition[] {
    return [TP];
  }
  async poll(max: number): Promise<LogRecord[]> {
    const out = this.takeQueued(max);
    if (out.length === 0) await new Promise((r) => setTimeout(r, 5));
    return out;
  }
  takeQueued(max: number): LogRecord[] {
    const out = this.records.slice(this.pos, this.pos + max);
    this.pos += out.length;
    return out;
  }
  seek(_tp: TopicPartition, offset: number): void {
    this.seeks.push(offset);
    this.pos = offset;
  }
  position(): number {
    return this.pos;
  }
  endOffsetHint(): number {
    return TOTAL;
  }
  pause(): void {}
  resume(): void {}
  async commit(): Promise<void> {}
  async close(): Promise<void> {}
}

/** Counts the values converted so far. */
class CountingConverter implements Converter {
  converted = 0;
  configure(): void {}
  config() {
    return new StringConverter().config();
  }
  fromConnectData(): Buffer | null {
    return null;
  }
  toConnectData(_topic: string, value: Buffer | null): SchemaAndValue {
    this.converted++;
    return { schema: Schemas.OPTIONAL_STRING, value: value?.toString() ?? null };
  }
}

class RecordingTask implements SinkTask {
  context!: SinkTaskContext;
  readonly batches: number[][] = [];
  /** Converted records when each put() was about to return. */
  readonly convertedAtPutEnd: number[] = [];
  constructor(
    private readonly converter: CountingConverter,
    private readonly duringPut: (task: RecordingTask, n: number) => void = () => undefined,
  ) {}
  version(): string {
    return '1';
  }
  initialize(context: SinkTaskContext): void {
    this.context = context;
  }
  async start(): Promise<void> {}
  async put(records: SinkRecord[]): Promise<void> {
    const n = this.batches.push(records.map((r) => r.kafkaOffset));
    this.duringPut(this, n);
    await new Promise((r) => setTimeout(r, 20));
    this.convertedAtPutEnd.push(this.converter.converted);
  }
  async stop(): Promise<void> {}
}

async function run(duringPut?: (task: RecordingTask, n: number) => void) {
  const receiver = new FakeReceiver();
  const converter = new CountingConverter();
  const task = new RecordingTask(converter, duringPut);
  const worker = new WorkerSinkTask({ connector: 'c', task: 0 }, silentLogger, () => undefined, {
    task,
    taskConfig: {},
    chain: TransformationChain.empty<SinkRecord>(),
    keyConverter: converter,
    valueConverter: new CountingConverter(),
    headerConverter: new StringConverter(),
    receiver,
    tolerance: new ToleranceOperator(
      { retryTimeoutMs: 0, retryDelayMaxMs: 60_000, tolerateAll: false, logErrors: false, logMessages: false },
      silentLogger,
      new TaskErrorCounters(),
    ),
    dlq: null,
    offsetFlushIntervalMs: 60_000,
    maxPollRecords: MAX_POLL,
    subscription: { topics: [TP.topic], regex: null },
    endOffset: async () => TOTAL,
    metrics: { task: new TaskMetrics(() => 'RUNNING'), sink: new SinkTaskMetrics() },
    onTopicUsed: () => undefined,
  });
  worker.start();
  const deadline = Date.now() + 60_000;
  while (task.batches.flat().filter((o) => o === TOTAL - 1).length === 0) {
    if (Date.now() > deadline) throw new Error(`the last record was not put within 60 s (${worker.state})`);
    await new Promise((r) => setTimeout(r, 10));
  }
  await worker.stop(10_000);
  return { task, receiver, converter };
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_v, i) => from + i);

describe('WorkerSinkTask: converting the next batch while put() runs', () => {
  it('puts every record once, in order, each put() of max.poll.records, the next batch converted during the put', async () => {
    const { task, converter } = await run();
    expect(task.batches.flat()).toEqual(range(0, TOTAL));
    expect(task.batches.every((b) => b.length === MAX_POLL)).toBe(true);
    // When put() #1 (offsets 0..99) returns, batch #2 has been converted already.
    expect(task.convertedAtPutEnd[0]).toBe(2 * MAX_POLL);
    expect(converter.converted).toBe(TOTAL);
  });

  it('drops the batch prepared while the task sought a partition and goes on from the task’s offset', async () => {
    const { task, receiver } = await run((t, n) => {
      if (n === 1) t.context.offset(TP, 50);
    });
    expect(task.batches[0]).toEqual(range(0, 100));
    expect(task.batches[1]).toEqual(range(50, 150));
    // The task's seek, then the same offset again for the batch taken after it and dropped.
    expect(receiver.seeks).toEqual([50, 50]);
    expect(task.batches.flat().slice(100)).toEqual(range(50, TOTAL));
  });

  it('fetches the prepared batch again from its first offset when the task paused or resumed partitions during the put', async () => {
    const { task, receiver } = await run((t, n) => {
      if (n === 2) {
        t.context.pause(TP);
        t.context.resume(TP);
      }
    });
    expect(receiver.seeks).toEqual([200]);
    expect(task.batches.flat()).toEqual(range(0, TOTAL));
  });
});

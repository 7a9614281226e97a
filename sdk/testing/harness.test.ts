/** The harnesses' own worker behaviour: retriable failures of raw tasks, the manual clock. */
import { it, expect } from 'vitest';
import { RetriableException, SourceRecord, type SinkTask, type SinkTaskContext, type SourceTask } from '../index.ts';
import { ManualClock, SinkTaskHarness, SourceTaskHarness } from './index.ts';

it('sink: a RetriableException from put() redelivers the same batch once context.timeout() has passed, and gives up after maxRetries', async () => {
  const calls: Array<[number, string[]]> = [];
  let failures = 1;
  const task = (): SinkTask => {
    let ctx: SinkTaskContext;
    return {
      version: () => '1',
      start() {},
      stop() {},
      initialize(c) {
        ctx = c;
      },
      async put(records) {
        calls.push([
          (ctx as SinkTaskContext & { clock: ManualClock }).clock.now(),
          records.map((r) => String(r.value)),
        ]);
        if (failures-- > 0) {
          ctx.timeout(5000);
          throw new RetriableException('busy');
        }
      },
    };
  };
  const clock = new ManualClock(0);
  const h = await SinkTaskHarness.start({ task, config: { topics: 'in' }, clock, maxRetries: 2 });
  try {
    await h.send('in', [{ value: 'a' }, { value: 'b' }]);
    expect(await h.deliver()).toBe(2);
    expect(calls).toEqual([
      [0, ['a', 'b']],
      [5000, ['a', 'b']],
    ]);
    expect(h.redeliveries).toBe(1);
    failures = 10;
    await h.send('in', [{ value: 'c' }]);
    await expect(h.deliver()).rejects.toThrow(/put\(\) kept failing with retriable errors after 2 redeliveries: busy/);
  } finally {
    await h.close({ commit: false });
  }
});

it('source: a retriable poll() failure counts and yields nothing; the next poll goes on', async () => {
  let n = 0;
  const task: SourceTask = {
    version: () => '1',
    initialize() {},
    start() {},
    stop() {},
    async poll() {
      n++;
      if (n === 1) throw new RetriableException('flaky');
      return [new SourceRecord({ topic: 't', value: `v${n}`, sourcePartition: { p: 1 }, sourceOffset: { n } })];
    },
  };
  const h = await SourceTaskHarness.start({ task: () => task, config: {}, schemas: false });
  try {
    expect(await h.poll()).toEqual([]);
    expect(h.retriableFailures).toBe(1);
    expect((await h.poll()).map((r) => r.value)).toEqual(['v2']);
    expect(h.topic('t').map((r) => r.value)).toEqual(['v2']);
  } finally {
    await h.close();
  }
});

it('ManualClock: sleeps end in deadline order as time advances; an aborted sleep ends at once', async () => {
  const clock = new ManualClock(1000);
  const woke: string[] = [];
  const a = clock.sleep(300).then(() => woke.push(`a@${clock.now()}`));
  const b = clock.sleep(100).then(() => woke.push(`b@${clock.now()}`));
  const ctl = new AbortController();
  const c = clock.sleep(10_000, ctl.signal).then(() => woke.push(`c@${clock.now()}`));
  clock.advance(150);
  await b;
  ctl.abort();
  await c;
  expect(clock.nextWakeup()).toBe(1300);
  await clock.run(a);
  // (a sleeper's continuation runs after advance() returns, so it sees the time advanced to)
  expect(woke).toEqual(['b@1150', 'c@1150', 'a@1300']);
});

/**
 * The Tributary plugin test kit (`import … from 'tributary/sdk/testing'`): run a source or sink
 * task in-process against the embedded log with a manual clock, and transform chains over records
 * built from JSON — no worker, no broker, no real waiting.
 *
 * ```ts
 * const h = await SourceTaskHarness.start({ task: () => new MySourceTask(), config: { topic: 'out' } });
 * upstream.push('a', 'b');
 * expect((await h.pollUntil(2)).map((r) => r.value)).toEqual(['a', 'b']);
 * await h.commit();
 * expect(h.committedOffset({ stream: 's' })).toEqual({ position: 2 });
 * await h.restart({ crash: true });
 * await h.close();
 * ```
 */
export { ManualClock } from './manual-clock.ts';
export { SourceTaskHarness, stableJson } from './source-harness.ts';
export type { SourceHarnessOptions } from './source-harness.ts';
export { SinkTaskHarness } from './sink-harness.ts';
export type { SinkHarnessOptions, DeadLetter } from './sink-harness.ts';
export { transformChain, applyTransforms } from './transforms.ts';
export type { TransformRun } from './transforms.ts';
export {
  sourceRecordFromJson,
  sinkRecordFromJson,
  recordToJson,
  connectDataFromJson,
  jsonFromConnectData,
} from './json-records.ts';
export type { JsonRecord, JsonOptions } from './json-records.ts';

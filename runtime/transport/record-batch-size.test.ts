import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import {
  RecordBatchSizer,
  singleRecordBatchSize,
  sizeOfVarint,
  sizeOfVarlong,
  type SizedRecord,
} from './record-batch-size.ts';
import { planBatches } from './record-batch-plan.ts';

const require = createRequire(import.meta.url);
// kafkajs's own record-batch encoder: the sizes must match what it puts on the wire.
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (r: object) => { size(): number };
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (b: object) => Promise<{ size(): number }>;
};

async function kafkajsBatchBytes(records: SizedRecord[]): Promise<number> {
  const first = Math.min(...records.map((r) => r.timestamp));
  const encoded = records.map((r, i) =>
    Record({
      key: r.key,
      value: r.value,
      offsetDelta: i,
      timestampDelta: r.timestamp - first,
      headers: Object.fromEntries(r.headers.map((h) => [h.key, h.value ?? Buffer.alloc(0)])),
    }),
  );
  // The encoder's first 12 bytes (base offset, length) are counted in Kafka's 61-byte overhead too.
  return (
    await RecordBatch({
      records: encoded,
      firstTimestamp: first,
      maxTimestamp: first,
      lastOffsetDelta: records.length - 1,
    })
  ).size();
}

const rec = (
  value: number | null,
  timestamp = 1_700_000_000_000,
  key: string | null = 'k',
  headers: SizedRecord['headers'] = [],
): SizedRecord => ({
  key: key === null ? null : Buffer.from(key),
  value: value === null ? null : Buffer.alloc(value, 120),
  headers,
  timestamp,
});

describe('record batch v2 sizes', () => {
  it('zigzag varints as Kafka ByteUtils', () => {
    expect([0, -1, 1, 63, -64, 64, 8191, 8192, 2 ** 31 - 1, -(2 ** 31)].map(sizeOfVarint)).toEqual([
      1, 1, 1, 1, 1, 2, 2, 3, 5, 5,
    ]);
    expect([0, 63, 64, 2 ** 40, -(2 ** 40)].map(sizeOfVarlong)).toEqual([1, 1, 2, 6, 6]);
  });

  it('matches kafkajs encoding exactly, including null keys/values, headers and timestamp spans', async () => {
    const cases: SizedRecord[][] = [
      [rec(10)],
      [rec(null, undefined, null)],
      [
        rec(300, undefined, 'key', [
          { key: 'h1', value: Buffer.from('v') },
          { key: 'ü', value: null },
        ]),
      ],
      Array.from({ length: 200 }, (_, i) => rec(i * 7, 1_700_000_000_000 + i * 997)),
      [rec(5, 1_700_000_000_000), rec(5, 1_700_000_000_000 - 10_000_000), rec(70_000, 1_700_000_000_000 + 5)],
    ];
    for (const records of cases) {
      const sizer = new RecordBatchSizer();
      for (const r of records) sizer.add(r);
      const exact = await kafkajsBatchBytes(records);
      // Timestamp deltas are counted with the batch's largest delta: never below, rarely above.
      expect(sizer.bytes).toBeGreaterThanOrEqual(exact);
      expect(sizer.bytes - exact).toBeLessThanOrEqual(records.length * 4);
      if (records.length === 1) expect(singleRecordBatchSize(records[0])).toBe(exact);
    }
  });

  it('sizeWith predicts add', () => {
    const sizer = new RecordBatchSizer();
    for (let i = 0; i < 50; i++) {
      const r = rec(i * 13, 1_700_000_000_000 + i * 100_000);
      const predicted = sizer.sizeWith(r);
      sizer.add(r);
      expect(sizer.bytes).toBe(predicted);
    }
  });
});

describe('planBatches', () => {
  const limits = {
    batchSize: 16384,
    maxRequestSize: 1048576,
    requestOverhead: 60,
    maxMessageBytes: 1048588,
    compressed: false,
  };

  it('bounds batches by batch.size, a larger record alone, order kept', () => {
    const records = [...Array.from({ length: 100 }, () => rec(1000)), rec(50_000), rec(10), rec(10)];
    const plan = planBatches(records, limits);
    expect(plan.oversized).toEqual([]);
    expect(plan.batches.flat()).toEqual(records.map((_, i) => i));
    for (const b of plan.batches) {
      const sizer = new RecordBatchSizer();
      for (const i of b) sizer.add(records[i]);
      if (b.length > 1) expect(sizer.bytes).toBeLessThanOrEqual(16384);
    }
    expect(plan.batches.find((b) => b.includes(100))).toEqual([100]);
    expect(plan.batches.length).toBe(Math.ceil(100 / 15) + 2);
  });

  it('batch.size 0 puts every record in a batch of its own', () => {
    expect(planBatches([rec(1), rec(2), rec(3)], { ...limits, batchSize: 0 }).batches).toEqual([[0], [1], [2]]);
  });

  it('reports records beyond max.request.size or max.message.bytes, sends the rest', () => {
    const records = [rec(10), rec(2_000_000), rec(1_048_400), rec(10)];
    const plan = planBatches(records, { ...limits, maxRequestSize: 4_000_000 });
    expect(plan.oversized.map((o) => [o.index, o.config, o.limit])).toEqual([[1, 'max.message.bytes', 1048588]]);
    expect(plan.batches).toEqual([[0], [2], [3]]);
    const strict = planBatches(records, limits);
    expect(strict.oversized.map((o) => [o.index, o.config])).toEqual([[1, 'max.request.size']]);
    expect(planBatches([rec(1_048_520)], limits).oversized.map((o) => o.config)).toEqual(['max.request.size']);
    expect(strict.oversized[0].size).toBeGreaterThan(2_000_000);
  });

  it('with compression, a record over max.message.bytes uncompressed is left to its compressed size', () => {
    const plan = planBatches([rec(1_100_000)], { ...limits, maxRequestSize: 4_000_000, compressed: true });
    expect(plan.oversized).toEqual([]);
    expect(plan.compressionDecides.map((o) => o.index)).toEqual([0]);
    expect(plan.batches).toEqual([[0]]);
  });
});

/**
 * A partition's record set as Fetch returns it, in batches encoded by kafkajs's own record batch
 * encoder: the cases a live broker rarely produces on demand (a batch the log cleaner emptied, a
 * partial batch at the end of a response, a compressed batch starting before the fetch offset, a
 * corrupt batch).
 */
import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { readRecordSet } from './kafka-fetch.ts';
import { crc32c } from '../util/crc32c.ts';

const require = createRequire(import.meta.url);
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0') as {
  RecordBatch: (o: object) => Promise<{ buffer: Buffer }>;
};
const Record = require('kafkajs/src/protocol/recordBatch/record/v0') as (o: object) => unknown;

async function batch(
  firstOffset: number,
  values: string[],
  opts: { lastOffsetDelta?: number; transactional?: boolean; producerId?: number; control?: 'abort' | 'commit' } = {},
): Promise<Buffer> {
  const records = opts.control
    ? [
        Record({
          offsetDelta: 0,
          key: Buffer.from([0, 0, 0, opts.control === 'abort' ? 0 : 1]),
          value: Buffer.from([0, 0, 0, 0, 0, 0]),
        }),
      ]
    : values.map((v, i) => Record({ offsetDelta: i, key: Buffer.from(`k${i}`), value: Buffer.from(v) }));
  const encoded = (
    await RecordBatch({
      firstOffset: String(firstOffset),
      lastOffsetDelta: opts.lastOffsetDelta ?? Math.max(0, records.length - 1),
      transactional: opts.transactional ?? opts.control !== undefined,
      producerId: String(opts.producerId ?? -1),
      records,
    })
  ).buffer;
  if (!opts.control) return encoded;
  // kafkajs never writes control batches: set the control flag (attributes bit 5) by hand, and the CRC again.
  const attributesAt = 8 + 4 + 4 + 1 + 4;
  encoded.writeInt16BE(encoded.readInt16BE(attributesAt) | 0x20, attributesAt);
  encoded.writeUInt32BE(crc32c(encoded, attributesAt), attributesAt - 4);
  return encoded;
}

const values = (r: { records: Array<{ value: Buffer | null }> }) => r.records.map((x) => x.value!.toString());

describe('readRecordSet', () => {
  it('moves past a batch the log cleaner emptied, even when it is the last one', async () => {
    const set = Buffer.concat([await batch(0, ['a', 'b']), await batch(2, [], { lastOffsetDelta: 4 })]);
    const read = await readRecordSet(set, [], 0);
    expect(values(read)).toEqual(['a', 'b']);
    expect(read.nextOffset).toBe(7);
  });

  it('refuses a batch whose CRC-32C does not match, naming topic, partition and offset', async () => {
    const good = await batch(5, ['a', 'b']);
    expect(values(await readRecordSet(good, [], 5))).toEqual(['a', 'b']);
    const corrupt = Buffer.from(good);
    corrupt[corrupt.length - 2] ^= 0x01;
    await expect(readRecordSet(corrupt, [], 5, 'topic t partition 3')).rejects.toThrow(
      /record batch at offset 5 of topic t partition 3 is corrupt: CRC-32C \d+ stored, \d+ computed/,
    );
  });

  it('stops before a partial batch at the end of the response', async () => {
    const whole = await batch(0, ['a']);
    const next = await batch(1, ['b', 'c']);
    const read = await readRecordSet(Buffer.concat([whole, next.subarray(0, next.length - 3)]), [], 0);
    expect(values(read)).toEqual(['a']);
    expect(read.nextOffset).toBe(1);
    expect(await readRecordSet(next.subarray(0, 10), [], 1)).toEqual({ records: [], nextOffset: 1 });
  });

  it('leaves out records before the fetch offset in a batch returned whole', async () => {
    const read = await readRecordSet(await batch(10, ['a', 'b', 'c', 'd']), [], 12);
    expect(values(read)).toEqual(['c', 'd']);
    expect(read.nextOffset).toBe(14);
  });

  it('skips an aborted transaction up to its producer abort marker, and markers always', async () => {
    const set = Buffer.concat([
      await batch(0, ['t1'], { transactional: true, producerId: 7 }),
      await batch(1, ['x1', 'x2'], { transactional: true, producerId: 8 }),
      await batch(3, [], { producerId: 7, control: 'commit' }),
      await batch(4, [], { producerId: 8, control: 'abort' }),
      await batch(5, ['x3'], { transactional: true, producerId: 8 }),
      await batch(6, [], { producerId: 8, control: 'commit' }),
    ]);
    const read = await readRecordSet(set, [{ producerId: '8', firstOffset: 1 }], 0);
    expect(values(read)).toEqual(['t1', 'x3']);
    expect(read.nextOffset).toBe(7);
  });
});

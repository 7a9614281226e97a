import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { encodeProduceRequest, produceRequestPrefix, type EncodableRecord } from './record-batch-encoder.ts';
import { crc32c } from '../util/crc32c.ts';
import { RecordBatchBuilder } from './record-batch-builder.ts';

const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder') as new (b: Buffer) => {
  readInt16(): number;
  readInt32(): number;
  readString(): string;
};
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder') as (d: unknown) => Promise<{
  firstSequence: number;
  producerId: string;
  producerEpoch: number;
  lastOffsetDelta: number;
  firstTimestamp: string;
  maxTimestamp: string;
  records: Array<{
    key: Buffer | null;
    value: Buffer | null;
    timestamp: string;
    offset: string;
    headers: Record<string, Buffer | Buffer[]>;
  }>;
}>;
const kafkajsCrc32C = require('kafkajs/src/protocol/recordBatch/crc32C') as (b: Buffer) => number;

describe('record-batch encoder', () => {
  it("CRC-32C (the batch checksum): the standard check value and kafkajs's result on random buffers and windows of them", () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    for (const n of [0, 1, 7, 8, 9, 63, 64, 65, 16384, 16391]) {
      const b = randomBytes(n + 10);
      expect(crc32c(b, 0, n)).toBe(kafkajsCrc32C(b.subarray(0, n)));
      expect(crc32c(b, 5, n + 5)).toBe(kafkajsCrc32C(b.subarray(5, n + 5)));
    }
  });

  it("a produce request kafkajs's decoders read back: topic, partition, batch header, records, headers, checksum", async () => {
    const records: EncodableRecord[] = [
      {
        key: Buffer.from('k0'),
        value: Buffer.from('v0'),
        headers: [
          { key: 'h', value: Buffer.from('x') },
          { key: 'é', value: null },
        ],
        timestamp: 1_700_000_000_123,
      },
      // An earlier timestamp than the first record's: a negative delta.
      { key: null, value: randomBytes(300), headers: [], timestamp: 1_700_000_000_100 },
      { key: Buffer.alloc(0), value: null, headers: [], timestamp: 1_700_000_900_000 },
    ];
    const builder = new RecordBatchBuilder(Buffer.alloc(4096, 0xee), 4096);
    for (const r of records) expect(builder.tryAppend(r)).toBe(true);
    const request = { acks: -1, timeoutMs: 30000, topic: 'tópic', partition: 7 };
    const header = { producerId: 4242n, producerEpoch: 3, baseSequence: 17, codec: 0 };
    // The uncompressed request as the producer writes it: its prefix, then the batch in place in its buffer.
    const batchBytes = builder.close(header);
    const body = Buffer.concat([produceRequestPrefix(request, batchBytes.length), batchBytes]);
    const d = new Decoder(body);
    expect(d.readInt16()).toBe(-1); // transactional id null
    expect(d.readInt16()).toBe(-1);
    expect(d.readInt32()).toBe(30000);
    expect(d.readInt32()).toBe(1);
    expect(d.readString()).toBe('tópic');
    expect(d.readInt32()).toBe(1);
    expect(d.readInt32()).toBe(7);
    expect(d.readInt32()).toBe(batchBytes.length);
    const batchAt = body.length - batchBytes.length;
    // Checksum over attributes..end, as the broker verifies it.
    expect(body.readUInt32BE(batchAt + 17)).toBe(crc32c(body.subarray(batchAt + 21)));
    const batch = await decodeBatch(new Decoder(body.subarray(batchAt)));
    expect(batch).toMatchObject({
      firstSequence: 17,
      producerId: '4242',
      producerEpoch: 3,
      lastOffsetDelta: 2,
      firstTimestamp: String(records[0].timestamp),
      maxTimestamp: String(records[2].timestamp),
    });
    expect(batch.records.map((r) => [r.key, r.value, r.timestamp, r.offset])).toEqual(
      records.map((r, i) => [r.key, r.value, String(r.timestamp), String(i)]),
    );
    expect(batch.records[0].headers).toEqual({ h: Buffer.from('x'), é: null });
    // The one-buffer request (what a compressed batch goes in), given the same records section, is byte for byte the same.
    const oneBuffer = encodeProduceRequest({
      ...request,
      count: builder.count,
      baseTimestamp: builder.baseTimestamp,
      maxTimestamp: builder.maxTimestamp,
      header,
      recordsSection: builder.records(),
    });
    expect(oneBuffer.equals(body)).toBe(true);
  });

  it('a batch takes records while they fit its cap and its buffer; its size is exact', () => {
    const record = (n: number): EncodableRecord => ({
      key: Buffer.from('key'),
      value: Buffer.alloc(n, 1),
      headers: [],
      timestamp: 1_700_000_000_000 + n,
    });
    const builder = new RecordBatchBuilder(Buffer.allocUnsafe(16384), 1000);
    let appended = 0;
    while (builder.tryAppend(record(100))) appended++;
    // 61 bytes of header, then records of a 2-byte length and 110 body bytes: attributes, timestamp delta 0,
    // offset delta (one byte each), key 1 + 3, value 2 + 100 (zigzag varints), no headers 1.
    expect(appended).toBe(Math.floor((1000 - 61) / 112));
    expect(builder.bytes).toBe(61 + appended * 112);
    expect(builder.count).toBe(appended);
    // The first record always goes, whatever the cap, when the buffer was sized for it.
    const big = record(5000);
    const alone = new RecordBatchBuilder(Buffer.allocUnsafe(RecordBatchBuilder.sizeFor(big)), 1000);
    expect(alone.tryAppend(big)).toBe(true);
    expect(alone.bytes).toBe(RecordBatchBuilder.sizeFor(big));
    expect(alone.tryAppend(record(1))).toBe(false);
  });
});

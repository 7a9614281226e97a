import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import {
  crc32C,
  encodeProduceRequest,
  encodeRecords,
  encodeUncompressedProduceRequest,
  timestampRange,
  type EncodableRecord,
} from './record-batch-encoder.ts';

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
  it("CRC-32C: the standard check value and kafkajs's result on random buffers of every length mod 8", () => {
    expect(crc32C(Buffer.from('123456789'))).toBe(0xe3069283);
    for (const n of [0, 1, 7, 8, 9, 63, 64, 65, 16384, 16391]) {
      const b = randomBytes(n);
      expect(crc32C(b)).toBe(kafkajsCrc32C(b));
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
      { key: null, value: randomBytes(300), headers: [], timestamp: 1_700_000_000_100 },
      { key: Buffer.alloc(0), value: null, headers: [], timestamp: 1_700_000_900_000 },
    ];
    const { base, max } = timestampRange(records);
    const body = encodeProduceRequest({
      acks: -1,
      timeoutMs: 30000,
      topic: 'tópic',
      partition: 7,
      count: records.length,
      baseTimestamp: base,
      maxTimestamp: max,
      recordsSection: encodeRecords(records, base),
      header: { producerId: 4242n, producerEpoch: 3, baseSequence: 17, codec: 0 },
    });
    const d = new Decoder(body);
    expect(d.readInt16()).toBe(-1); // transactional id null
    expect(d.readInt16()).toBe(-1);
    expect(d.readInt32()).toBe(30000);
    expect(d.readInt32()).toBe(1);
    expect(d.readString()).toBe('tópic');
    expect(d.readInt32()).toBe(1);
    expect(d.readInt32()).toBe(7);
    const batchBytes = d.readInt32();
    const batchAt = body.length - batchBytes;
    // Checksum over attributes..end, as the broker verifies it.
    expect(body.readUInt32BE(batchAt + 17)).toBe(crc32C(body.subarray(batchAt + 21)));
    const batch = await decodeBatch(new Decoder(body.subarray(batchAt)));
    expect(batch).toMatchObject({
      firstSequence: 17,
      producerId: '4242',
      producerEpoch: 3,
      lastOffsetDelta: 2,
      firstTimestamp: String(base),
      maxTimestamp: String(max),
    });
    expect(batch.records.map((r) => [r.key, r.value, r.timestamp, r.offset])).toEqual(
      records.map((r, i) => [r.key, r.value, String(r.timestamp), String(i)]),
    );
    expect(batch.records[0].headers).toEqual({ h: Buffer.from('x'), é: null });
    // The uncompressed request written in one buffer is byte for byte the same request.
    const fields = {
      acks: -1,
      timeoutMs: 30000,
      topic: 'tópic',
      partition: 7,
      count: records.length,
      baseTimestamp: base,
      maxTimestamp: max,
      header: { producerId: 4242n, producerEpoch: 3, baseSequence: 17, codec: 0 },
    };
    expect(encodeUncompressedProduceRequest(fields, records).equals(body)).toBe(true);
  });
});

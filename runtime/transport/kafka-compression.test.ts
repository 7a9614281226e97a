import { describe, expect, it } from 'vitest';
import SnappyJS from 'snappyjs';
import { decompress as zstdDecompress } from 'fzstd';
import kafkajs, { CompressionTypes } from 'kafkajs';
import { compressAs, compressionTypeOf, decompressAs, registerKafkaCodecs } from './kafka-compression.ts';
import { snappyCompress, snappyDecompress } from './codec-snappy.ts';
import { lz4Compress, lz4Decompress } from './codec-lz4.ts';
import { zstdCompressAsync } from './codec-zstd.ts';

const data = Buffer.concat([
  Buffer.from('{"schema":{"type":"struct"},"payload":{"id":1}}'.repeat(3000)),
  Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 7919) % 251)),
]);

describe('record-batch codecs', () => {
  it("snappy in xerial framing (as Kafka's Java client), raw snappy read too", () => {
    const framed = snappyCompress(data);
    expect(framed.subarray(0, 8)).toEqual(Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]));
    expect(snappyDecompress(framed).equals(data)).toBe(true);
    expect(snappyDecompress(Buffer.from(SnappyJS.compress(data))).equals(data)).toBe(true);
  });

  it("lz4 frames with independent 64 KB blocks (KafkaLZ4BlockOutputStream's layout)", () => {
    const frame = lz4Compress(data);
    expect(frame.readUInt32LE(0)).toBe(0x184d2204);
    expect([frame[4], frame[5]]).toEqual([0x60, 0x40]);
    expect(frame.length).toBeLessThan(data.length);
    expect(lz4Decompress(frame).equals(data)).toBe(true);
    expect(lz4Decompress(lz4Compress(Buffer.alloc(0))).length).toBe(0);
  });

  it('zstd frames', async () => {
    const frame = await zstdCompressAsync(data);
    expect(frame.length).toBeLessThan(data.length);
    expect(Buffer.from(zstdDecompress(frame)).equals(data)).toBe(true);
  });

  it('loads each codec on first use, through compressAs/decompressAs and the kafkajs codec table', async () => {
    for (const name of ['snappy', 'lz4', 'zstd'] as const) {
      const frame = await compressAs(name, data);
      expect(frame.length, name).toBeLessThan(data.length);
      expect((await decompressAs(name, frame)).equals(data), name).toBe(true);
    }
    expect((await compressAs('snappy', data)).equals(snappyCompress(data))).toBe(true);
    registerKafkaCodecs();
    const codecs = kafkajs.CompressionCodecs as Record<
      number,
      () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }
    >;
    const lz4 = codecs[CompressionTypes.LZ4]();
    expect((await lz4.decompress(await lz4.compress({ buffer: data }))).equals(data)).toBe(true);
    expect((await lz4.compress({ buffer: data })).equals(lz4Compress(data))).toBe(true);
  });

  it('names the key and the choices for an unknown codec', () => {
    expect(compressionTypeOf(' LZ4 ', 'producer.compression.type')).toBe('lz4');
    expect(() => compressionTypeOf('brotli', 'producer.compression.type')).toThrow(
      /Invalid value brotli for configuration producer.compression.type: use none, gzip, snappy, lz4 or zstd/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { crc32c, crc32cJs, crc32cImplementation } from './crc32c.ts';

describe('crc32c', () => {
  it('uses the hardware implementation on this platform (linux x64 ships its prebuilt binary)', () => {
    expect(crc32cImplementation).toBe('native');
  });

  it('gives the standard check values', () => {
    for (const f of [crc32c, crc32cJs]) {
      expect(f(Buffer.from('123456789'))).toBe(0xe3069283);
      expect(f(Buffer.alloc(32))).toBe(0x8a9136aa);
      expect(f(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
      expect(f(Buffer.alloc(0))).toBe(0);
    }
  });

  it('agrees with the table-driven code on ranges, continuations and plain Uint8Arrays', () => {
    for (const size of [1, 7, 8, 9, 63, 4096, 70_001]) {
      const buf = randomBytes(size);
      for (const [start, end] of [
        [0, size],
        [Math.min(8, size), size],
        [Math.floor(size / 3), Math.floor((2 * size) / 3)],
      ]) {
        expect(crc32c(buf, start, end)).toBe(crc32cJs(buf, start, end));
        const u8 = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
        expect(crc32c(u8, start, end)).toBe(crc32cJs(buf, start, end));
      }
      const mid = Math.floor(size / 2);
      expect(crc32c(buf, mid, size, crc32c(buf, 0, mid))).toBe(crc32cJs(buf));
    }
  });
});

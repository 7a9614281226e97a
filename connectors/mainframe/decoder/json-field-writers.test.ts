import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BigDecimal } from '../../../sdk/data.ts';
import { writeInteger, writeScaled } from './json-field-writers.ts';

// every value the generated JSON lines code writes from a JS number: up to 15 digits, scale 0-15
const value = fc.oneof(
  fc.integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0, 99_999_999, 100_000_000, -100_000_001, 4_294_967_295, -2_147_483_648, 10 ** 14, -(10 ** 15 - 1)),
);

describe('JSON number writers', () => {
  it('write integers as JSON.stringify and decimals as the JSON string of BigDecimal.toString', () => {
    const out = Buffer.alloc(64);
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 15 }), (v, scale) => {
        const n = scale === 0 ? writeInteger(v, out, 3) : writeScaled(v, scale, out, 3);
        const expected = scale === 0 ? JSON.stringify(v) : JSON.stringify(new BigDecimal(BigInt(v), scale).toString());
        expect(out.toString('latin1', 3, n)).toBe(expected);
      }),
      { numRuns: 20000 },
    );
  });
});

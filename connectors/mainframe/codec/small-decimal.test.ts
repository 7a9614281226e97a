import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BigDecimal } from '../../../sdk/data.ts';
import { SmallDecimal, smallDecimal } from './small-decimal.ts';

describe('SmallDecimal', () => {
  it('is a BigDecimal with the same unscaled value, scale, text, number and equality', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.integer({ min: -3, max: 20 }),
        (n, scale) => {
          const small = smallDecimal(n, scale);
          const big = new BigDecimal(BigInt(n), scale);
          expect(small).toBeInstanceOf(BigDecimal);
          expect(small.toString()).toBe(big.toString());
          expect(small.unscaled).toBe(big.unscaled);
          expect(small.scale).toBe(scale);
          expect(small.toNumber()).toBe(big.toNumber());
          expect(small.equals(big) && big.equals(small)).toBe(true);
          expect((small as unknown as SmallDecimal).toBigDecimal()).toEqual(big);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads negative zero as zero', () => {
    expect(smallDecimal(-0, 2).toString()).toBe('0.00');
    expect(smallDecimal(-5, 3).toString()).toBe('-0.005');
  });
});

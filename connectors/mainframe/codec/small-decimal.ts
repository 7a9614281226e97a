/**
 * The decoded value of a scaled field whose unscaled value is a safe integer (up to 15 digits
 * always are): a BigDecimal (`instanceof BigDecimal`, the same `unscaled`, `scale`, `toString`,
 * `equals`) that keeps the unscaled value as a JS number and makes the bigint only when
 * `unscaled` is read (each time), so decoding a record allocates no bigint per decimal field. The Connect
 * view hands plain BigDecimals on (`toBigDecimal`), so nothing outside the decoder sees this class.
 */
import { BigDecimal } from '../../../sdk/data.ts';

export class SmallDecimal {
  // two fields and no cached bigint: one allocation of the least size per decimal field
  constructor(
    /** The unscaled value, a safe integer. */
    readonly small: number,
    readonly scale: number,
  ) {}

  get unscaled(): bigint {
    return BigInt(this.small);
  }

  /** BigDecimal.toString, from the number. */
  toString(): string {
    const n = this.small;
    const neg = n < 0;
    let digits = String(neg ? -n : n);
    const scale = this.scale;
    if (scale <= 0) return (neg ? '-' : '') + digits + '0'.repeat(-scale);
    if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
    const point = digits.length - scale;
    return (neg ? '-' : '') + digits.slice(0, point) + '.' + digits.slice(point);
  }

  toBigDecimal(): BigDecimal {
    return new BigDecimal(this.unscaled, this.scale);
  }
}
// not `extends`: BigDecimal's constructor assigns `unscaled`, which an accessor cannot take under
// every class-field semantics; chaining the prototype gives instanceof and BigDecimal's other methods
Object.setPrototypeOf(SmallDecimal.prototype, BigDecimal.prototype);

/** A BigDecimal of `unscaled` (a safe integer) and `scale`, without a bigint until one is asked for. */
export function smallDecimal(unscaled: number, scale: number): BigDecimal {
  return new SmallDecimal(unscaled, scale) as unknown as BigDecimal;
}

/**
 * The digits of Java 17's Double.toString / Float.toString (jdk.internal.math.FloatingDecimal's
 * binary-to-ASCII conversion, used up to JDK 18), which is not always the shortest round-trip form
 * that JavaScript prints: it forces a second digit in E-notation (`4.9E-324`, `1.4E-45`,
 * `1.17549435E-38`), rounds large integers by "insignificant digits", and its integer fast paths
 * wrap around in 32/64-bit arithmetic. Kafka's JsonConverter on the broker's JDK 17 writes these.
 */

interface JavaDigits {
  digits: number[];
  /** Java's decExponent: the value is 0.d1d2… × 10^decExponent. */
  decExponent: number;
}

const EXP_SHIFT = 52;
const FRACT_HOB = 1n << 52n;
const SIGNIF_MASK = FRACT_HOB - 1n;
const MAX_SMALL_BIN_EXP = 62;
const MIN_SMALL_BIN_EXP = -21;
/** ceil(log2(5^i)), approximately, for i < 27 (the powers of five a long holds). */
const N_5_BITS = [
  0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31, 33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61,
];
const POW5 = Array.from({ length: 1100 }, (_, i) => 5n ** BigInt(i));

const view = new DataView(new ArrayBuffer(8));

/** Java 17's Double.toString of a finite, non-zero, positive-or-negative double. */
export function java17DoubleToString(d: number): string {
  const special = specialText(d);
  if (special !== null) return special;
  const abs = d < 0 ? -d : d;
  if (abs >= 1 && Number.isSafeInteger(abs)) {
    // Java's exact-integer path below 2^53: the integer's digits, trailing zeros dropped.
    const text = String(abs);
    return layout(d < 0, { digits: [...text.replace(/0+$/, '')].map(Number), decExponent: text.length });
  }
  view.setFloat64(0, d);
  const bits = view.getBigUint64(0);
  let fract = bits & SIGNIF_MASK;
  let binExp = Number((bits >> 52n) & 0x7ffn);
  let nSignificantBits: number;
  if (binExp === 0) {
    const leadingZeros = 64 - fract.toString(2).length;
    const shift = leadingZeros - (63 - EXP_SHIFT);
    fract <<= BigInt(shift);
    binExp = 1 - shift;
    nSignificantBits = 64 - leadingZeros;
  } else {
    fract |= FRACT_HOB;
    nSignificantBits = EXP_SHIFT + 1;
  }
  return layout(d < 0, dtoa(binExp - 1023, fract, nSignificantBits));
}

/** Java 17's Float.toString of a float32 value (given as the JavaScript number it widens to). */
export function java17FloatToString(value: number): string {
  // A value not yet rounded to float32 (e.g. 1e39 from a double source) is rounded as Java's (float) cast would.
  const f = Math.fround(value);
  const special = specialText(f);
  if (special !== null) return special;
  view.setFloat32(0, f);
  const bits = view.getUint32(0);
  let fract = bits & 0x7fffff;
  let binExp = (bits >>> 23) & 0xff;
  let nSignificantBits: number;
  if (binExp === 0) {
    const leadingZeros = Math.clz32(fract);
    const shift = leadingZeros - (31 - 23);
    fract <<= shift;
    binExp = 1 - shift;
    nSignificantBits = 32 - leadingZeros;
  } else {
    fract |= 1 << 23;
    nSignificantBits = 24;
  }
  return layout(f < 0, dtoa(binExp - 127, BigInt(fract) << BigInt(EXP_SHIFT - 23), nSignificantBits));
}

function specialText(v: number): string | null {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  return null;
}

function trailingZeros(v: bigint): number {
  let n = 0;
  while ((v & 1n) === 0n) {
    v >>= 1n;
    n++;
  }
  return n;
}

/** floor(log10(value)) estimated from the binary exponent, in double arithmetic as Java does. */
function estimateDecExp(fractBits: bigint, binExp: number): number {
  view.setBigUint64(0, (1023n << 52n) | (fractBits & SIGNIF_MASK));
  const d2 = view.getFloat64(0);
  return Math.floor((d2 - 1.5) * 0.289529654 + 0.176091259 + binExp * 0.301029995663981);
}

function insignificantDigitsForPow2(p2: number): number {
  if (p2 > 1 && p2 < 64) return String(2n ** BigInt(p2)).length - 1;
  return 0;
}

/** An integer value's digits, rounded half up after dropping `insignificant` low decimal digits. */
function longDigits(value: bigint, insignificant: number): JavaDigits {
  let decExponent = 0;
  if (insignificant !== 0) {
    const pow10 = 10n ** BigInt(insignificant);
    const residue = value % pow10;
    value /= pow10;
    decExponent += insignificant;
    if (residue >= pow10 >> 1n) value++;
  }
  const text = value.toString();
  return { digits: [...text.replace(/0+$/, '')].map(Number), decExponent: decExponent + text.length };
}

function dtoa(binExp: number, fractBits: bigint, nSignificantBits: number): JavaDigits {
  const tailZeros = trailingZeros(fractBits);
  const nFractBits = EXP_SHIFT + 1 - tailZeros;
  const nTinyBits = Math.max(0, nFractBits - binExp - 1);
  if (
    binExp <= MAX_SMALL_BIN_EXP &&
    binExp >= MIN_SMALL_BIN_EXP &&
    nTinyBits < N_5_BITS.length &&
    nFractBits + N_5_BITS[nTinyBits] < 64 &&
    nTinyBits === 0
  ) {
    const insignificant = binExp > nSignificantBits ? insignificantDigitsForPow2(binExp - nSignificantBits - 1) : 0;
    const value =
      binExp >= EXP_SHIFT ? fractBits << BigInt(binExp - EXP_SHIFT) : fractBits >> BigInt(EXP_SHIFT - binExp);
    return longDigits(value, insignificant);
  }
  let decExp = estimateDecExp(fractBits, binExp);
  const B5 = Math.max(0, -decExp);
  let B2 = B5 + nTinyBits + binExp;
  const S5 = Math.max(0, decExp);
  let S2 = S5 + nTinyBits;
  const M5 = B5;
  let M2 = B2 - nSignificantBits;
  fractBits >>= BigInt(tailZeros);
  B2 -= nFractBits - 1;
  const common2 = Math.min(B2, S2);
  B2 -= common2;
  S2 -= common2;
  M2 -= common2;
  // For exact powers of two the next smaller value is half as far away.
  if (nFractBits === 1) M2 -= 1;
  if (M2 < 0) {
    B2 -= M2;
    S2 -= M2;
    M2 = 0;
  }
  const bBits = nFractBits + B2 + (B5 < N_5_BITS.length ? N_5_BITS[B5] : B5 * 3);
  const tenSBits = S2 + 1 + (S5 + 1 < N_5_BITS.length ? N_5_BITS[S5 + 1] : (S5 + 1) * 3);
  // Java picks int, long or big-integer arithmetic by these estimates; int and long wrap around and
  // test `b + m > tens`, the big-integer path tests `b + m >= tens`.
  if (bBits < 32 && tenSBits < 32) return intDigits(Number(fractBits), B5, B2, S5, S2, M5, M2, decExp);
  // Java picks long or big-integer arithmetic by these estimates; long wraps around and tests
  // `b + m > tens`, the big-integer path tests `b + m >= tens`.
  const width = bBits < 64 && tenSBits < 64 ? 64 : 0;
  if (width === 64) {
    const exact = longDigitsInDoubles(fractBits, B5, B2, S5, S2, M5, M2, decExp);
    if (exact) return exact;
  }
  const wrap = width === 0 ? (x: bigint): bigint => x : (x: bigint): bigint => BigInt.asIntN(64, x);
  let b = wrap(wrap(fractBits * POW5[B5]) << BigInt(B2));
  const s = wrap(POW5[S5] << BigInt(S2));
  let m = wrap(POW5[M5] << BigInt(M2));
  const tens = wrap(s * 10n);
  const isHigh = width === 0 ? (): boolean => b + m >= tens : (): boolean => wrap(b + m) > tens;
  const digits: number[] = [];
  let q = b / s;
  b = wrap(10n * (b % s));
  m = wrap(m * 10n);
  let low = b < m;
  let high = isHigh();
  if (q === 0n && !high) decExp--;
  else digits.push(Number(q));
  // Java always prints a digit after the point, so E-notation needs a second digit.
  if (decExp < -3 || decExp >= 8) high = low = false;
  while (!low && !high) {
    q = b / s;
    b = wrap(10n * (b % s));
    m = wrap(m * 10n);
    if (width === 0 || m > 0n) {
      low = b < m;
      high = isHigh();
    } else {
      low = high = true;
    }
    digits.push(Number(q));
  }
  return rounded(digits, decExp, high, low, Number(wrap(wrap(b << 1n) - tens)));
}

/**
 * The long-arithmetic digit loop in doubles, while every intermediate stays below 2^53 (exact, and
 * far from where Java's long would wrap); undefined when one does not, for the BigInt loop.
 */
function longDigitsInDoubles(
  fractBits: bigint,
  B5: number,
  B2: number,
  S5: number,
  S2: number,
  M5: number,
  M2: number,
  decExp: number,
): JavaDigits | undefined {
  const LIMIT = 2 ** 53;
  let b = Number(fractBits) * Number(POW5[B5]) * 2 ** B2;
  const s = Number(POW5[S5]) * 2 ** S2;
  let m = Number(POW5[M5]) * 2 ** M2;
  const tens = s * 10;
  if (b >= LIMIT || tens >= LIMIT || m * 10 >= LIMIT) return undefined;
  const digits: number[] = [];
  let q = Math.floor(b / s);
  b = 10 * (b % s);
  m *= 10;
  let low = b < m;
  let high = b + m > tens;
  if (q === 0 && !high) decExp--;
  else digits.push(q);
  if (decExp < -3 || decExp >= 8) high = low = false;
  while (!low && !high) {
    if (m * 10 >= LIMIT || b + m * 10 >= LIMIT) return undefined;
    q = Math.floor(b / s);
    b = 10 * (b % s);
    m *= 10;
    low = b < m;
    high = b + m > tens;
    digits.push(q);
  }
  return rounded(digits, decExp, high, low, 2 * b - tens);
}

/** The same digit loop in Java's 32-bit int arithmetic (Math.imul and |0 wrap as Java's int does). */
function intDigits(
  fract: number,
  B5: number,
  B2: number,
  S5: number,
  S2: number,
  M5: number,
  M2: number,
  decExp: number,
): JavaDigits {
  let b = Math.imul(fract, Number(POW5[B5])) << B2;
  const s = Number(POW5[S5]) << S2;
  let m = Number(POW5[M5]) << M2;
  const tens = Math.imul(s, 10);
  const digits: number[] = [];
  let q = (b / s) | 0;
  b = Math.imul(10, b % s);
  m = Math.imul(m, 10);
  let low = b < m;
  let high = ((b + m) | 0) > tens;
  if (q === 0 && !high) decExp--;
  else digits.push(q);
  if (decExp < -3 || decExp >= 8) high = low = false;
  while (!low && !high) {
    q = (b / s) | 0;
    b = Math.imul(10, b % s);
    m = Math.imul(m, 10);
    if (m > 0) {
      low = b < m;
      high = ((b + m) | 0) > tens;
    } else {
      low = high = true;
    }
    digits.push(q);
  }
  return rounded(digits, decExp, high, low, ((b << 1) - tens) | 0);
}

/** The last digit rounded by the loop's stopping condition (ties to an even digit). */
function rounded(
  digits: number[],
  decExp: number,
  high: boolean,
  low: boolean,
  lowDigitDifference: number,
): JavaDigits {
  const result: JavaDigits = { digits, decExponent: decExp + 1 };
  if (high && (!low || lowDigitDifference > 0 || (lowDigitDifference === 0 && (digits[digits.length - 1] & 1) !== 0)))
    roundUp(result);
  return result;
}

function roundUp(r: JavaDigits): void {
  const d = r.digits;
  let i = d.length - 1;
  while (d[i] === 9 && i > 0) d[i--] = 0;
  if (d[i] === 9) {
    // Carry out of the first digit: 1 followed by the zeros, one decimal exponent up.
    d[0] = 1;
    r.decExponent += 1;
    return;
  }
  d[i] += 1;
}

/** FloatingDecimal's layout: plain between 10^-3 and 10^7, otherwise d.dddE±n, always a fraction digit. */
function layout(negative: boolean, { digits, decExponent }: JavaDigits): string {
  const sign = negative ? '-' : '';
  const all = digits.join('');
  if (decExponent > 0 && decExponent < 8) {
    if (digits.length <= decExponent) return `${sign}${all.padEnd(decExponent, '0')}.0`;
    return `${sign}${all.slice(0, decExponent)}.${all.slice(decExponent)}`;
  }
  if (decExponent <= 0 && decExponent > -3) return `${sign}0.${'0'.repeat(-decExponent)}${all}`;
  const exponent = decExponent <= 0 ? `-${-decExponent + 1}` : String(decExponent - 1);
  return `${sign}${all[0]}.${all.length > 1 ? all.slice(1) : '0'}E${exponent}`;
}

import { java17DoubleToString, java17FloatToString } from './java17-floating-decimal.ts';

/**
 * Java's Double.toString / Float.toString as the broker's JDK 17 prints them (Kafka Connect's
 * JsonConverter writes float64/float32 through Jackson with these): `1.0`, `99.99`, `1.0E7`,
 * `4.9E-324`. The exact conversion is java17-floating-decimal.ts.
 */
export function javaDoubleToString(d: number): string {
  // Between 1e-3 and 1e7 JDK 17 prints the same digits as JavaScript's shortest form (checked
  // against the exact conversion over random values in json-converter.test.ts); Java always has a fraction.
  const abs = d < 0 ? -d : d;
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  return java17DoubleToString(d);
}

/** The exact conversion for every value, which the fast path must agree with. */
export function javaDoubleToStringGeneral(d: number): string {
  return java17DoubleToString(d);
}

/** Float.toString of a float32 value; JDK 17 differs from the shortest form in every range (ties, forced digits). */
export function javaFloatToString(f: number): string {
  return java17FloatToString(f);
}

/**
 * Java's BigDecimal.toString (what Jackson writes for decimal.format=NUMERIC): plain digits when
 * the scale is non-negative and the adjusted exponent is at least -6, otherwise scientific
 * notation (`1E-10`, `0E-10`, `1.5E+3`).
 */
export function javaBigDecimalToString(unscaled: bigint, scale: number): string {
  const neg = unscaled < 0n;
  const coeff = (neg ? -unscaled : unscaled).toString();
  const sign = neg ? '-' : '';
  const adjusted = -scale + (coeff.length - 1);
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) return sign + coeff;
    const padded = coeff.padStart(scale + 1, '0');
    return `${sign}${padded.slice(0, padded.length - scale)}.${padded.slice(padded.length - scale)}`;
  }
  const mantissa = coeff.length > 1 ? `${coeff[0]}.${coeff.slice(1)}` : coeff;
  return `${sign}${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
}

/**
 * Java's Double.toString / Float.toString, which Kafka Connect's JsonConverter (through Jackson)
 * uses for float64/float32 values: `1.0`, `99.99`, `1.0E7`, `1.234E-5`. JS and Java (JDK 19+)
 * both produce the shortest round-tripping digits; only the layout differs.
 */
export function javaDoubleToString(d: number): string {
  // Between 1e-3 and 1e7 both print plain decimals with the same shortest digits; Java always has a fraction.
  const abs = d < 0 ? -d : d;
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(d);
    return s.includes('.') ? s : `${s}.0`;
  }
  return layout(d, shortestDigits(d, false));
}

/** The general path (digits from toExponential, Java's layout), which the fast path must agree with. */
export function javaDoubleToStringGeneral(d: number): string {
  return layout(d, shortestDigits(d, false));
}

export function javaFloatToString(f: number): string {
  return layout(f, shortestDigits(f, true));
}

function shortestDigits(v: number, float32: boolean): string {
  if (!float32) return Math.abs(v).toExponential();
  const target = Math.fround(Math.abs(v));
  for (let p = 1; p <= 9; p++) {
    const s = target.toExponential(p - 1);
    if (Math.fround(Number(s)) === target) return s;
  }
  return target.toExponential(8);
}

function layout(v: number, exp: string): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  const sign = v < 0 || Object.is(v, -0) ? '-' : '';
  if (v === 0) return `${sign}0.0`;
  const [mant, e] = exp.split('e');
  const digits = mant.replace('.', '');
  const exponent = Number(e);
  const abs = Math.abs(v);
  if (abs >= 1e-3 && abs < 1e7) {
    if (exponent >= 0) {
      const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      const frac = digits.slice(exponent + 1) || '0';
      return `${sign}${intPart}.${frac}`;
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  const frac = digits.slice(1) || '0';
  return `${sign}${digits[0]}.${frac}E${exponent}`;
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

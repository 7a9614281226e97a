/**
 * Debezium 3.6's lag behind the source (StreamingMeter + LagBehindSourceMeasurement): each change
 * event measures `now - event timestamp` when the connector handles it; MilliSecondsBehindSource is
 * the last measurement (-1 before the first), StreamingStatisticsMXBean adds min, max, average and
 * the 50th/95th/99th percentiles (null before the first event, as Debezium's Long/Double getters).
 * The percentiles come from a DDSketch as Debezium's LongDDSketchStatistics makes it
 * (`DDSketches.unboundedDense(0.01)` of sketches-java 0.8.2: 1 % relative accuracy, the cubically
 * interpolated index mapping), so they read the same (test/runtime/metrics/lag-statistics.test.ts
 * runs the Java sketch as the oracle).
 */

const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
/** sketches-java's CubicallyInterpolatedMapping: index = floor(multiplier·(e + A·s³ + B·s² + C·s)) for v = 2^e·(1+s). */
const MULTIPLIER = 7 / (10 * Math.log(GAMMA));
const A = 6 / 35;
const B = -3 / 5;
const C = 10 / 7;
/** Below this a value counts as zero (minIndexableValue: Double.MIN_NORMAL × gamma). */
const MIN_INDEXABLE = 2.2250738585072014e-308 * GAMMA;

const f64 = new Float64Array(1);
const bits = new BigUint64Array(f64.buffer);
const SIGNIFICAND_MASK = 0x000fffffffffffffn;

/** The same double as 32-bit words: the high word holds the exponent (no bigint per measurement). */
const words = new Uint32Array(f64.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

function indexOf(v: number): number {
  f64[0] = v;
  const high = words[HIGH];
  const e = ((high >>> 20) & 0x7ff) - 1023;
  words[HIGH] = (high & 0x000fffff) | 0x3ff00000;
  const s = f64[0] - 1;
  const index = (((A * s + B) * s + C) * s + e) * MULTIPLIER;
  return index >= 0 ? Math.trunc(index) : Math.trunc(index) - 1;
}

function valueAt(index: number): number {
  const normalized = index / MULTIPLIER;
  const exponent = Math.floor(normalized);
  // Cardano's formula, as the Java mapping inverts its cubic.
  const d0 = B * B - 3 * A * C;
  const d1 = 2 * B * B * B - 9 * A * B * C - 27 * A * A * (normalized - exponent);
  const p = Math.cbrt((d1 - Math.sqrt(d1 * d1 - 4 * d0 * d0 * d0)) / 2);
  const significandPlusOne = -(B + p + d0 / p) / (3 * A) + 1;
  f64[0] = significandPlusOne;
  bits[0] = ((BigInt(exponent + 1023) << 52n) & 0x7ff0000000000000n) | (bits[0] & SIGNIFICAND_MASK);
  return f64[0] * (1 + RELATIVE_ACCURACY);
}

/** DDSketch (unbounded dense stores), enough of it for getValueAtQuantile. */
export class DDSketch {
  private readonly positive = new Map<number, number>();
  private readonly negative = new Map<number, number>();
  private zeroCount = 0;
  count = 0;

  accept(v: number): void {
    this.count++;
    if (v > MIN_INDEXABLE) bump(this.positive, indexOf(v));
    else if (v < -MIN_INDEXABLE) bump(this.negative, indexOf(-v));
    else this.zeroCount++;
  }

  clear(): void {
    this.positive.clear();
    this.negative.clear();
    this.zeroCount = 0;
    this.count = 0;
  }

  quantile(q: number): number | null {
    if (this.count === 0) return null;
    const rank = q * (this.count - 1);
    let n = 0;
    for (const i of [...this.negative.keys()].sort((a, b) => b - a)) {
      n += this.negative.get(i)!;
      if (n > rank) return -valueAt(i);
    }
    n += this.zeroCount;
    if (n > rank) return 0;
    const up = [...this.positive.keys()].sort((a, b) => a - b);
    for (const i of up) {
      n += this.positive.get(i)!;
      if (n > rank) return valueAt(i);
    }
    return valueAt(up[up.length - 1]);
  }
}

function bump(store: Map<number, number>, index: number): void {
  store.set(index, (store.get(index) ?? 0) + 1);
}

export class LagBehindSource {
  private last: number | null = null;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private readonly sketch = new DDSketch();

  /** One event, stamped `sourceTimeMs` at the source, handled now. */
  record(sourceTimeMs: number, now = Date.now()): void {
    const lag = now - sourceTimeMs;
    this.last = lag;
    this.min = Math.min(this.min, lag);
    this.max = Math.max(this.max, lag);
    this.sum += lag;
    this.sketch.accept(lag);
  }

  /** The attributes, as Debezium 3.6's streaming bean names them. */
  attributes(): Record<string, () => number | null> {
    const none = () => this.sketch.count === 0;
    return {
      MilliSecondsBehindSource: () => this.last ?? -1,
      MilliSecondsBehindSourceMinValue: () => (none() ? null : this.min),
      MilliSecondsBehindSourceMaxValue: () => (none() ? null : this.max),
      MilliSecondsBehindSourceAverageValue: () => (none() ? null : this.sum / this.sketch.count),
      MilliSecondsBehindSourceP50: () => this.sketch.quantile(0.5),
      MilliSecondsBehindSourceP95: () => this.sketch.quantile(0.95),
      MilliSecondsBehindSourceP99: () => this.sketch.quantile(0.99),
    };
  }
}

/**
 * Debezium 3.6's lag behind the source (StreamingMeter + LagBehindSourceMeasurement): each change
 * event measures `now - event timestamp` when the connector handles it; MilliSecondsBehindSource is
 * the last measurement (-1 before the first), StreamingStatisticsMXBean adds min, max, average and
 * the 50th/95th/99th percentiles (null before the first event, as Debezium's Long/Double getters).
 * The percentiles come from a DDSketch with 1 % relative accuracy and logarithmic mapping, as
 * Debezium's LongDDSketchStatistics (`DDSketches.unboundedDense(0.01)`), so they read the same.
 */

const RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const MULTIPLIER = 1 / Math.log(GAMMA);
/** Below this a value counts as zero (DDSketch's minIndexableValue: Double.MIN_NORMAL × gamma). */
const MIN_INDEXABLE = 2.2250738585072014e-308 * GAMMA;

function indexOf(v: number): number {
  return Math.floor(Math.log(v) * MULTIPLIER);
}

function valueAt(index: number): number {
  return Math.exp(index / MULTIPLIER) * (1 + RELATIVE_ACCURACY);
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

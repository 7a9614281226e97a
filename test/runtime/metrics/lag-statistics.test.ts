/**
 * Debezium 3.6's lag statistics: the percentiles of MilliSecondsBehindSource come from the same
 * DDSketch Debezium uses (com.datadoghq:sketches-java 0.8.2, Debezium 3.6.1's
 * version.datadog.sketches; `DDSketches.unboundedDense(0.01)` in LongDDSketchStatistics), run
 * from Maven Central as the oracle. The jars are downloaded on first use into the test cache.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOWNLOAD_CACHE } from '../../setup/paths.ts';
import { DDSketch, LagBehindSource } from '../../../connectors/shared/lag-metrics.ts';

const SKETCHES_VERSION = '0.8.2';
const HARNESS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'java', 'LagSketch.java');

function sketchClasspath(): string {
  const dir = path.join(DOWNLOAD_CACHE, `sketches-java-${SKETCHES_VERSION}`);
  const libs = path.join(dir, 'libs');
  if (!fs.existsSync(path.join(libs, `sketches-java-${SKETCHES_VERSION}.jar`))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>io.tributary.test</groupId><artifactId>sketch-oracle</artifactId><version>1</version>
<dependencies><dependency><groupId>com.datadoghq</groupId><artifactId>sketches-java</artifactId><version>${SKETCHES_VERSION}</version></dependency></dependencies></project>
`,
    );
    const tmp = path.join(dir, 'libs.partial');
    fs.rmSync(tmp, { recursive: true, force: true });
    execFileSync(
      'mvn',
      [
        '-q',
        '-B',
        '-f',
        path.join(dir, 'pom.xml'),
        'dependency:copy-dependencies',
        `-DoutputDirectory=${tmp}`,
        '-DincludeScope=runtime',
      ],
      { stdio: 'pipe' },
    );
    fs.renameSync(tmp, libs);
  }
  const classes = path.join(dir, 'classes');
  const source = fs.readFileSync(HARNESS, 'utf8');
  const stamp = path.join(classes, 'source.stamp');
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== source) {
    fs.rmSync(classes, { recursive: true, force: true });
    fs.mkdirSync(classes, { recursive: true });
    execFileSync('javac', ['-nowarn', '-cp', `${libs}/*`, '-d', classes, HARNESS], { stdio: 'pipe' });
    fs.writeFileSync(stamp, source);
  }
  return `${classes}${path.delimiter}${libs}/*`;
}

function javaQuantiles(values: number[]): number[] {
  const out = execFileSync('java', ['-cp', sketchClasspath(), 'LagSketch'], {
    input: values.join('\n'),
    encoding: 'utf8',
  });
  return out.trim().split(' ').map(Number);
}

/** A deterministic spread of lags: zeros, small values, a long tail, a few negatives (source clock ahead). */
function lags(n: number): number[] {
  let x = 12345;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const r = x / 2147483648;
    out.push(i % 97 === 0 ? 0 : i % 211 === 0 ? -Math.floor(r * 50) : Math.floor(r < 0.9 ? r * 800 : Math.exp(r * 14)));
  }
  return out;
}

describe('Debezium 3.6 lag statistics', () => {
  it("percentiles equal Debezium's DDSketch on the same lags", { timeout: 180_000 }, () => {
    for (const values of [[42], [0, 0, 0, 5], lags(20_000)]) {
      const sketch = new DDSketch();
      for (const v of values) sketch.accept(v);
      const ours = [0.5, 0.95, 0.99].map((q) => sketch.quantile(q)!);
      const theirs = javaQuantiles(values);
      // The same bucket, hence the same value but for the last bits of cbrt/sqrt (Java's and V8's libm differ there).
      ours.forEach((v, i) =>
        expect(Math.abs(v - theirs[i]), `q${[50, 95, 99][i]}: ${v} vs ${theirs[i]}`).toBeLessThanOrEqual(
          Math.abs(theirs[i]) * 1e-12,
        ),
      );
    }
  });

  it("last, min, max and average as Debezium's SingleValueLongMeasurement; null before the first event", () => {
    const lag = new LagBehindSource();
    const a = lag.attributes();
    expect(a.MilliSecondsBehindSource()).toBe(-1);
    for (const k of [
      'MilliSecondsBehindSourceMinValue',
      'MilliSecondsBehindSourceMaxValue',
      'MilliSecondsBehindSourceAverageValue',
      'MilliSecondsBehindSourceP50',
      'MilliSecondsBehindSourceP95',
      'MilliSecondsBehindSourceP99',
    ]) {
      expect(a[k](), k).toBeNull();
    }
    lag.record(1000, 1500);
    lag.record(2000, 2100);
    lag.record(3000, 6000);
    expect(a.MilliSecondsBehindSource()).toBe(3000);
    expect(a.MilliSecondsBehindSourceMinValue()).toBe(100);
    expect(a.MilliSecondsBehindSourceMaxValue()).toBe(3000);
    expect(a.MilliSecondsBehindSourceAverageValue()).toBeCloseTo(3600 / 3, 9);
    expect(a.MilliSecondsBehindSourceP50()!).toBeGreaterThan(500 * 0.99);
    expect(a.MilliSecondsBehindSourceP50()!).toBeLessThan(500 * 1.01);
  });
});

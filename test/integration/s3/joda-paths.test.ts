/**
 * Time-based partition paths against the real thing: Joda-Time 2.12.7 from Maven Central runs the
 * code of Confluent's TimeBasedPartitioner (getPartition and the formatter it builds from
 * path.format, timezone and locale; test/integration/s3/java/JodaPaths.java) over the same
 * cases, and Tributary's partitioner must give the same paths, byte for byte: DST transitions,
 * half-hour zones, durations that do not divide a day, locales (with Java's `new Locale(string)`
 * quirk), every supported pattern letter.
 */
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParsedConfig } from '../../../runtime/config/config-def.ts';
import { SinkRecord } from '../../../runtime/data/records.ts';
import { S3_SINK_CONFIG } from '../../../connectors/s3/config.ts';
import { TimeBasedPartitioner } from '../../../connectors/s3/partitioner/time-based-partitioner.ts';
import { DOWNLOAD_CACHE } from '../../setup/paths.ts';
import { aptInstall, runAsync, which } from '../../setup/shell.ts';

const JODA = 'joda-time:joda-time:2.12.7';
const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'java', 'JodaPaths.java');

async function jodaJar(): Promise<string> {
  const dir = path.join(DOWNLOAD_CACHE, 'joda-time-2.12.7');
  const jar = path.join(dir, 'joda-time-2.12.7.jar');
  if (fs.existsSync(jar)) return jar;
  if (!which('java')) await aptInstall(['openjdk-17-jre-headless']);
  if (!which('mvn')) await aptInstall(['maven']);
  fs.mkdirSync(dir, { recursive: true });
  await runAsync('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${JODA}`, `-DoutputDirectory=${dir}`]);
  if (!fs.existsSync(jar)) throw new Error(`mvn dependency:copy ${JODA} left no ${jar}`);
  return jar;
}

interface Case {
  pattern: string;
  zone: string;
  locale: string;
  duration: number;
  ts: number;
}

function tributaryPath(c: Case): string {
  const props = {
    's3.bucket.name': 'b',
    'flush.size': '1',
    'format.class': 'JsonFormat',
    'path.format': c.pattern,
    timezone: c.zone,
    locale: c.locale,
    'partition.duration.ms': String(c.duration),
    'timestamp.extractor': 'Record',
  };
  const p = new TimeBasedPartitioner(new ParsedConfig(S3_SINK_CONFIG, props), null);
  return p.encodePartition(new SinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0, timestamp: c.ts }), 0);
}

describe("time-based partition paths equal Confluent's (Joda-Time)", () => {
  it('for patterns × zones × locales × durations × instants', async () => {
    const jar = await jodaJar();
    const patterns = [
      "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
      "YYYY-MM-dd'T'HH:mm:ss.SSS",
      "'dt'=yyyyMMdd/'h'=H/'m'=m",
      'yy/M/d/k/K/h/a',
      "'q'''=MMM/MMMM/EEE/EEEE/e",
      "'week'=xxxx-ww/'doy'=DDD",
    ];
    const zones = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    const locales = ['en', 'fr', 'de', 'en-US', 'fr_FR'];
    const durations = [1000, 60_000, 900_000, 3_600_000, 7_200_000, 86_400_000, 25 * 3_600_000];
    const instants = [
      Date.UTC(2026, 0, 15, 10, 30, 12, 345),
      Date.UTC(2026, 2, 29, 0, 59, 59, 999),
      Date.UTC(2026, 2, 29, 1, 0, 0, 1), // Paris spring forward
      Date.UTC(2026, 10, 1, 5, 30),
      Date.UTC(2026, 10, 1, 6, 30), // New York fall back
      Date.UTC(2026, 11, 31, 23, 59, 59),
      Date.UTC(2027, 0, 1, 0, 0, 0),
      Date.UTC(2020, 1, 29, 12),
      Date.UTC(1999, 11, 31, 23, 30),
      Date.UTC(2024, 11, 30, 12), // ISO week 1 of 2025
    ];
    const cases: Case[] = [];
    let k = 0;
    for (const pattern of patterns) {
      for (const zone of zones) {
        for (const ts of instants) {
          // Every pattern, zone and instant; durations and locales rotate through the combinations.
          cases.push({
            pattern,
            zone,
            ts,
            duration: durations[k % durations.length],
            locale: locales[k % locales.length],
          });
          k++;
        }
      }
    }
    const input = cases.map((c) => [c.pattern, c.zone, c.locale, c.duration, c.ts].join('\t')).join('\n') + '\n';
    const java = execFileSync('java', ['-cp', jar, SOURCE], { input, encoding: 'utf8' })
      .split('\n')
      .slice(0, cases.length);
    expect(java).toHaveLength(cases.length);
    const mismatches = cases
      .map((c, i) => ({ c, want: java[i], got: tributaryPath(c) }))
      .filter((m) => m.want !== m.got);
    expect(mismatches.slice(0, 10)).toEqual([]);
  }, 120_000);
});

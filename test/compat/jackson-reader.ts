/**
 * Kafka's Java consumer with Jackson as the reader of topics Tributary wrote: runs
 * test/compat/java/JacksonTopicReader.java (kafka-clients and connect-json of the test broker's
 * Kafka version, from Maven Central) over a list of topics and returns what it reports.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessClasspath, mavenLibs } from '../setup/java-harness.ts';
import { KAFKA_VERSION } from '../setup/kafka.ts';

const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'java', 'JacksonTopicReader.java');

/** An integer beyond ±(2^53-1) as Jackson read it. */
export interface JacksonLong {
  topic: string;
  partition: number;
  offset: number;
  part: 'key' | 'value';
  /** JSON pointer of the number inside the key or value. */
  pointer: string;
  /** Jackson's JsonParser.NumberType: LONG or BIG_INTEGER for an exact integer. */
  numberType: string;
  value: bigint;
}

export interface JacksonReport {
  counts: Map<string, number>;
  /** The header keys seen per topic. */
  headerKeys: Map<string, Set<string>>;
  /** "topic partition offset part: message" per unreadable key, value or header. */
  failures: string[];
  longs: JacksonLong[];
}

/** Provisions the reader (jars resolved by Maven, the source compiled once); returns its classpath. */
export function jacksonReaderClasspath(): string {
  const libs = mavenLibs(`jackson-reader-${KAFKA_VERSION}`, [
    `org.apache.kafka:kafka-clients:${KAFKA_VERSION}`,
    `org.apache.kafka:connect-json:${KAFKA_VERSION}`,
    'org.slf4j:slf4j-nop:1.7.36',
  ]);
  return harnessClasspath(libs, [SOURCE]);
}

/** Reads every record of `topics` (topic → the JsonConverter schemas.enable it was written with). */
export function readWithJackson(brokers: string, topics: Map<string, boolean>): JacksonReport {
  const input = [...topics].map(([t, schemas]) => `${t}\t${schemas}`).join('\n') + '\n';
  const out = execFileSync('java', ['-cp', jacksonReaderClasspath(), 'JacksonTopicReader', brokers], {
    input,
    maxBuffer: 256 * 1024 * 1024,
    timeout: 600_000,
  }).toString('utf8');
  const report: JacksonReport = { counts: new Map(), headerKeys: new Map(), failures: [], longs: [] };
  for (const line of out.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'COUNT') report.counts.set(f[1], Number(f[2]));
    else if (f[0] === 'HEADER') report.headerKeys.set(f[1], (report.headerKeys.get(f[1]) ?? new Set()).add(f[2]));
    else if (f[0] === 'FAIL') report.failures.push(`${f[1]} partition ${f[2]} offset ${f[3]} ${f[4]}: ${f[5]}`);
    else if (f[0] === 'LONG')
      report.longs.push({
        topic: f[1],
        partition: Number(f[2]),
        offset: Number(f[3]),
        part: f[4] as 'key' | 'value',
        pointer: f[5],
        numberType: f[6],
        value: BigInt(f[7]),
      });
  }
  return report;
}

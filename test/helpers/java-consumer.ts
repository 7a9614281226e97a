/**
 * Reads a topic with Kafka's own Java consumer (isolation.level=read_committed), the reference for
 * what "committed" means, from the jars the test setup downloaded for the broker.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOWNLOAD_CACHE } from '../setup/paths.ts';
import { KAFKA_VERSION } from '../setup/kafka.ts';

const JAVA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'java');
const SOURCES = ['ReadCommitted.java', 'WriteCompressed.java'].map((f) => path.join(JAVA_DIR, f));
let classDir: string | null = null;

function classpath(): string {
  const libs = path.join(DOWNLOAD_CACHE, `kafka-${KAFKA_VERSION}`, 'libs');
  if (!fs.existsSync(libs))
    throw new Error(`Kafka jars not found in ${libs}: run the suite through npm test (the setup downloads them)`);
  return `${libs}/*`;
}

function compiled(): string {
  if (!classDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-java-'));
    execFileSync('javac', ['-cp', classpath(), '-d', dir, ...SOURCES], { stdio: 'pipe' });
    classDir = dir;
  }
  return classDir;
}

const run = promisify(execFile);

export interface TopicSummary {
  count: number;
  distinctKeys: number;
  /** Order-independent: the sum mod 2^64 of the first 8 bytes of SHA-256(key, 0, value) of every record (hex). */
  digest: string;
  /** The same over the values alone. */
  valueDigest: string;
}

/** Count, distinct keys and digest of a topic's committed records, read by Kafka's Java consumer (without printing every record). */
export async function readCommittedSummary(brokers: string[], topic: string): Promise<TopicSummary> {
  const { stdout } = await run(
    'java',
    [
      '-cp',
      `${compiled()}${path.delimiter}${classpath()}`,
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      'ReadCommitted',
      brokers.join(','),
      topic,
      'summary',
    ],
    { encoding: 'utf8', maxBuffer: 1024 * 1024 },
  );
  const [count, distinctKeys, digest, valueDigest] = stdout.trim().split(' ');
  return { count: Number(count), distinctKeys: Number(distinctKeys), digest, valueDigest };
}

/** The same digest as readCommittedSummary, of records read another way (e.g. by kafkajs). */
export function recordsDigest(records: Iterable<{ key: Buffer | null; value: Buffer | null }>): string {
  let sum = 0n;
  for (const r of records) {
    const h = createHash('sha256')
      .update(r.key ?? Buffer.alloc(0))
      .update(Buffer.from([0]));
    if (r.value) h.update(r.value);
    sum = (sum + h.digest().readBigUInt64BE(0)) & 0xffffffffffffffffn;
  }
  return sum.toString(16);
}

/** readCommittedSummary's valueDigest of values read another way (e.g. the lines a file sink wrote). */
export function valuesDigest(values: Iterable<Buffer | string>): string {
  let sum = 0n;
  for (const v of values)
    sum = (sum + createHash('sha256').update(v).digest().readBigUInt64BE(0)) & 0xffffffffffffffffn;
  return sum.toString(16);
}

/** Writes `count` records (key k<i>, value v<i>-x…x) to partition 0 with Kafka's Java producer and this compression.type. */
export async function writeWithJavaProducer(
  brokers: string[],
  topic: string,
  compression: string,
  count: number,
): Promise<void> {
  await run(
    'java',
    [
      '-cp',
      `${compiled()}${path.delimiter}${classpath()}`,
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      'WriteCompressed',
      brokers.join(','),
      topic,
      compression,
      String(count),
    ],
    { encoding: 'utf8' },
  );
}

/** The committed values of `topic`, in partition order (one partition: log order). */
export function readCommittedValues(brokers: string[], topic: string): string[] {
  const out = execFileSync(
    'java',
    [
      '-cp',
      `${compiled()}${path.delimiter}${classpath()}`,
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      'ReadCommitted',
      brokers.join(','),
      topic,
    ],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return out.split('\n').filter((l) => l.length > 0);
}

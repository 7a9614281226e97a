/**
 * Reads a topic with Kafka's own Java consumer (isolation.level=read_committed), the reference for
 * what "committed" means, from the jars the test setup downloaded for the broker.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOWNLOAD_CACHE } from '../setup/paths.ts';
import { KAFKA_VERSION } from '../setup/kafka.ts';

const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'java', 'ReadCommitted.java');
let classDir: string | null = null;

function classpath(): string {
  const libs = path.join(DOWNLOAD_CACHE, `kafka-${KAFKA_VERSION}`, 'libs');
  if (!fs.existsSync(libs)) throw new Error(`Kafka jars not found in ${libs}: run the suite through npm test (the setup downloads them)`);
  return `${libs}/*`;
}

/** The committed values of `topic`, in partition order (one partition: log order). */
export function readCommittedValues(brokers: string[], topic: string): string[] {
  if (!classDir) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-java-'));
    execFileSync('javac', ['-cp', classpath(), '-d', dir, SOURCE], { stdio: 'pipe' });
    classDir = dir;
  }
  const out = execFileSync('java', ['-cp', `${classDir}${path.delimiter}${classpath()}`, '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', 'ReadCommitted', brokers.join(','), topic], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
  return out.split('\n').filter((l) => l.length > 0);
}

/**
 * Kafka's own JsonConverter (connect-json of the test broker's Kafka version, with Kafka's Jackson)
 * run through test/compat/java/JsonConverterHarness.java: jars resolved by Maven and the harness
 * compiled once, both cached under the download cache.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOWNLOAD_CACHE } from '../setup/paths.ts';
import { KAFKA_VERSION } from '../setup/kafka.ts';

const JAVA_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'java');
const SOURCES = ['JsonConverterHarness.java', 'ToConnect.java', 'ConnectData.java'].map((f) => path.join(JAVA_DIR, f));

/** The converter configurations the harness runs, in its order. */
export const ORACLE_CONFIGS = [
  { 'schemas.enable': 'true', 'decimal.format': 'BASE64', 'replace.null.with.default': 'true' },
  { 'schemas.enable': 'true', 'decimal.format': 'NUMERIC', 'replace.null.with.default': 'true' },
  { 'schemas.enable': 'false', 'decimal.format': 'BASE64', 'replace.null.with.default': 'true' },
  { 'schemas.enable': 'false', 'decimal.format': 'NUMERIC', 'replace.null.with.default': 'true' },
  { 'schemas.enable': 'true', 'decimal.format': 'BASE64', 'replace.null.with.default': 'false' },
  { 'schemas.enable': 'false', 'decimal.format': 'NUMERIC', 'replace.null.with.default': 'false' },
] as const;

function connectJsonLibs(): string {
  const dir = path.join(DOWNLOAD_CACHE, `connect-json-${KAFKA_VERSION}`);
  const libs = path.join(dir, 'libs');
  if (fs.existsSync(path.join(libs, `connect-json-${KAFKA_VERSION}.jar`))) return libs;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>tributary.test</groupId><artifactId>connect-json</artifactId><version>1</version><packaging>pom</packaging>
<dependencies><dependency><groupId>org.apache.kafka</groupId><artifactId>connect-json</artifactId><version>${KAFKA_VERSION}</version></dependency></dependencies></project>
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
  return libs;
}

/** The classpath of the compiled harness and its jars (provisioned on first use). */
export function oracleClasspath(): string {
  const libs = connectJsonLibs();
  const hash = createHash('sha256').update(KAFKA_VERSION);
  for (const f of SOURCES) hash.update(fs.readFileSync(f));
  const classes = path.join(DOWNLOAD_CACHE, 'compat-classes', hash.digest('hex').slice(0, 16));
  if (!fs.existsSync(path.join(classes, 'JsonConverterHarness.class'))) {
    const tmp = `${classes}.partial`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    execFileSync('javac', ['-cp', `${libs}/*`, '-d', tmp, ...SOURCES], { stdio: 'pipe' });
    fs.renameSync(tmp, classes);
  }
  return `${classes}${path.delimiter}${libs}/*`;
}

export type OracleResult = { ok: true; bytes: Buffer | null } | { ok: false; error: string };

/** Kafka's fromConnectData output per case id, per configuration (index into ORACLE_CONFIGS). */
export function runOracle(cases: Array<{ id: string; schema: unknown; value: unknown }>): Map<string, OracleResult[]> {
  // The harness sees case numbers: ids may hold tabs and newlines.
  const input =
    cases.map((c, i) => JSON.stringify({ id: String(i), schema: c.schema, value: c.value })).join('\n') + '\n';
  const out = execFileSync('java', ['-cp', oracleClasspath(), 'JsonConverterHarness'], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const results = new Map<string, OracleResult[]>();
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [id, config, status, payload] = line.split('\t');
    const caseId = cases[Number(id)].id;
    const list = results.get(caseId) ?? [];
    list[Number(config)] =
      status === 'OK'
        ? { ok: true, bytes: payload === 'null' ? null : Buffer.from(payload, 'base64') }
        : { ok: false, error: payload };
    results.set(caseId, list);
  }
  return results;
}

export type ReadResult = { ok: true; dump: unknown } | { ok: false; error: string };

/** Kafka's toConnectData of each input (bytes read under ORACLE_CONFIGS[config]), as ToConnect.java dumps it. */
export function runReverseOracle(inputs: Array<{ config: number; bytes: Buffer }>): ReadResult[] {
  const input =
    inputs
      .map((c, i) => JSON.stringify({ id: String(i), config: c.config, bytes: c.bytes.toString('base64') }))
      .join('\n') + '\n';
  const out = execFileSync('java', ['-cp', oracleClasspath(), 'JsonConverterHarness', 'toConnect'], {
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const results: ReadResult[] = [];
  for (const line of out.split('\n')) {
    if (!line) continue;
    const [id, status, payload] = line.split('\t');
    results[Number(id)] = status === 'OK' ? { ok: true, dump: JSON.parse(payload) } : { ok: false, error: payload };
  }
  return results;
}

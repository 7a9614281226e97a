/**
 * Debezium's PostgreSQL connector and embedded engine (3.6.1.Final, the newest served whole) from
 * Maven Central, and the differential harness compiled against them: the oracle of
 * test/compat/postgres-differential.test.ts. Jars are resolved once into the download cache (the
 * same directory the Kafka e2e bench uses), the harness compiled once per source hash.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOWNLOAD_CACHE } from './paths.ts';
import { log, run, which } from './shell.ts';

export const DEBEZIUM_POSTGRES_VERSION = '3.6.1.Final';
const HARNESS_SOURCES = ['DebeziumPostgresHarness.java'].map((f) =>
  path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'compat', 'java', f),
);

function debeziumPostgresLibs(): string {
  const version = DEBEZIUM_POSTGRES_VERSION;
  if (!which('javac') || !which('mvn'))
    throw new Error(
      'The Debezium reference needs a JDK (javac) and Maven (mvn): apt-get install openjdk-17-jdk-headless maven',
    );
  const dir = path.join(DOWNLOAD_CACHE, `debezium-postgres-${version}`);
  const libs = path.join(dir, 'libs');
  if (fs.existsSync(path.join(libs, `debezium-connector-postgres-${version}.jar`))) return libs;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>tributary.bench</groupId><artifactId>debezium-postgres</artifactId><version>1</version><packaging>pom</packaging>
<dependencies>
<dependency><groupId>io.debezium</groupId><artifactId>debezium-embedded</artifactId><version>${version}</version></dependency>
<dependency><groupId>io.debezium</groupId><artifactId>debezium-connector-postgres</artifactId><version>${version}</version></dependency>
<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>1.7.36</version></dependency>

</dependencies></project>
`,
  );
  log(
    'debezium',
    `resolving io.debezium:debezium-connector-postgres:${version} and debezium-embedded from Maven Central`,
  );
  const tmp = path.join(dir, 'libs.partial');
  fs.rmSync(tmp, { recursive: true, force: true });
  run('mvn', [
    '-q',
    '-B',
    '-f',
    path.join(dir, 'pom.xml'),
    'dependency:copy-dependencies',
    `-DoutputDirectory=${tmp}`,
    '-DincludeScope=runtime',
  ]);
  fs.renameSync(tmp, libs);
  return libs;
}

/** The classpath (compiled harness + Debezium jars) to run `DebeziumPostgresHarness`; provisions on first use. */
export function debeziumPostgresClasspath(): string {
  const libs = debeziumPostgresLibs();
  const hash = createHash('sha256').update(DEBEZIUM_POSTGRES_VERSION);
  for (const f of HARNESS_SOURCES) hash.update(fs.readFileSync(f));
  const classes = path.join(DOWNLOAD_CACHE, 'compat-classes', `debezium-postgres-${hash.digest('hex').slice(0, 16)}`);
  if (!fs.existsSync(path.join(classes, 'DebeziumPostgresHarness.class'))) {
    const tmp = `${classes}.partial`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    run('javac', ['-nowarn', '-cp', `${libs}/*`, '-d', tmp, ...HARNESS_SOURCES]);
    fs.renameSync(tmp, classes);
  }
  return `${classes}${path.delimiter}${libs}/*`;
}

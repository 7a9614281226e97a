/**
 * Debezium's embedded engine writing to Kafka through Kafka's Java producer (bench/java/DebeziumToKafka.java):
 * the jars are resolved from Maven Central once into the download cache (as the test broker's are),
 * the harness compiled once per source version next to them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOWNLOAD_CACHE } from '../../test/setup/paths.ts';
import { log, run, which } from '../../test/setup/shell.ts';

/** Versions that resolve on Maven Central (see shared/reference/java-peers.md): MariaDB's connector is not served past 3.5.x. */
export const DEBEZIUM_VERSIONS = { postgres: '3.6.1.Final', mariadb: '3.5.0.Final' } as const;
const EXTRA_DEPENDENCIES: Record<keyof typeof DEBEZIUM_VERSIONS, string> = {
  postgres: '',
  mariadb:
    '<dependency><groupId>io.debezium</groupId><artifactId>debezium-storage-file</artifactId><version>3.5.0.Final</version></dependency>\n<dependency><groupId>org.mariadb.jdbc</groupId><artifactId>mariadb-java-client</artifactId><version>3.5.3</version></dependency>',
};
const SOURCE = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'java', 'DebeziumToKafka.java');

const pom = (
  version: string,
  connector: string,
  extra = '',
) => `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>tributary.bench</groupId><artifactId>debezium-${connector}</artifactId><version>1</version><packaging>pom</packaging>
<dependencies>
<dependency><groupId>io.debezium</groupId><artifactId>debezium-embedded</artifactId><version>${version}</version></dependency>
<dependency><groupId>io.debezium</groupId><artifactId>debezium-connector-${connector}</artifactId><version>${version}</version></dependency>
<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-simple</artifactId><version>1.7.36</version></dependency>
${extra}
</dependencies></project>
`;

/** The classpath of Debezium `connector` and the compiled harness. */
export function debeziumClasspath(connector: keyof typeof DEBEZIUM_VERSIONS): string {
  const version = DEBEZIUM_VERSIONS[connector];
  if (!which('javac') || !which('mvn'))
    throw new Error(
      'The Debezium reference needs a JDK (javac) and Maven (mvn): apt-get install openjdk-17-jdk-headless maven',
    );
  const dir = path.join(DOWNLOAD_CACHE, `debezium-${connector}-${version}`);
  const libs = path.join(dir, 'libs');
  if (!fs.existsSync(path.join(libs, `debezium-connector-${connector}-${version}.jar`))) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'pom.xml'), pom(version, connector, EXTRA_DEPENDENCIES[connector]));
    log(
      'bench',
      `resolving io.debezium:debezium-connector-${connector}:${version} and debezium-embedded from Maven Central`,
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
  }
  const source = fs.readFileSync(SOURCE);
  const classes = path.join(dir, `classes-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`);
  if (!fs.existsSync(path.join(classes, 'DebeziumToKafka.class'))) {
    const tmp = `${classes}.partial`;
    fs.rmSync(tmp, { recursive: true, force: true });
    run('javac', ['-cp', `${libs}/*`, '-d', tmp, SOURCE]);
    fs.renameSync(tmp, classes);
  }
  return `${classes}${path.delimiter}${libs}/*`;
}

/**
 * Starts the harness with `engineProps` (connector and engine settings); its stderr goes to `logFile`.
 * `brokers` "none" runs it into a null sink, reporting the records it has seen through `onRecords`.
 */
export function startDebezium(
  classpath: string,
  engineProps: Record<string, string>,
  brokers: string,
  dir: string,
  onRecords?: (records: number) => void,
): ChildProcess {
  const propsFile = path.join(dir, `${engineProps.name}.properties`);
  fs.writeFileSync(
    propsFile,
    Object.entries(engineProps)
      .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`)
      .join('\n') + '\n',
  );
  const logFile = path.join(dir, `${engineProps.name}.log`);
  // KAFKA_E2E_DEBEZIUM_MAX_IN_FLIGHT: the producer's max.in.flight.requests.per.connection (default 1, Kafka Connect's).
  const inFlight = process.env.KAFKA_E2E_DEBEZIUM_MAX_IN_FLIGHT ? [process.env.KAFKA_E2E_DEBEZIUM_MAX_IN_FLIGHT] : [];
  const child = spawn(
    'java',
    [
      '-cp',
      classpath,
      '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn',
      'DebeziumToKafka',
      propsFile,
      brokers,
      ...inFlight,
    ],
    { stdio: ['ignore', onRecords ? 'pipe' : 'ignore', 'pipe'] },
  );
  child.stderr!.on('data', (d) => fs.appendFileSync(logFile, d));
  if (onRecords) {
    let pending = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop()!;
      for (const line of lines) {
        const m = /^RECORDS (\d+)/.exec(line);
        if (m) onRecords(Number(m[1]));
      }
    });
  }
  return child;
}

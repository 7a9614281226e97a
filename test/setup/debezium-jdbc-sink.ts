/**
 * Debezium's JDBC sink connector (io.debezium:debezium-connector-jdbc 3.6.0.Final, the newest
 * served on Maven Central) with Kafka Connect's runtime (org.apache.kafka:connect-runtime 4.3.0,
 * the Kafka release Debezium 3.6 is built against; it talks to the 3.9.1 test broker), resolved by
 * Maven into the download cache: the oracle of test/compat/jdbc-sink.test.ts, run as
 * `ConnectStandalone` on one flat classpath.
 *
 * Two pins the connector's own pom cannot give: it names `org.hibernate:hibernate-agroal:7.2.6.Final`
 * (a relocation pom that is not served), replaced by `org.hibernate.orm:hibernate-agroal:7.2.19.Final`
 * (the nearest served release of the same module), and its Jackson (2.21.2) must be the one Connect
 * loads too, which one Maven resolution of both guarantees.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DOWNLOAD_CACHE } from './paths.ts';
import { log, which } from './shell.ts';

export const DEBEZIUM_JDBC_VERSION = '3.6.0.Final';
export const CONNECT_RUNTIME_VERSION = '4.3.0';
const HIBERNATE_AGROAL_VERSION = '7.2.19.Final';

const dep = (g: string, a: string, v: string, exclusions = '') =>
  `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version>${exclusions}</dependency>`;

const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>tributary.test</groupId><artifactId>debezium-jdbc-sink-oracle</artifactId><version>1</version><packaging>pom</packaging>
<dependencies>
${dep(
  'io.debezium',
  'debezium-connector-jdbc',
  DEBEZIUM_JDBC_VERSION,
  '<exclusions><exclusion><groupId>org.hibernate</groupId><artifactId>hibernate-agroal</artifactId></exclusion></exclusions>',
)}
${dep('org.hibernate.orm', 'hibernate-agroal', HIBERNATE_AGROAL_VERSION)}
${dep('org.apache.kafka', 'connect-runtime', CONNECT_RUNTIME_VERSION)}
${dep('org.apache.kafka', 'connect-json', CONNECT_RUNTIME_VERSION)}
${dep('org.slf4j', 'slf4j-simple', '1.7.36')}
</dependencies></project>
`;

/** The directory of the oracle's jars (resolved on first use); run with `-cp <dir>/*`. */
export function debeziumJdbcSinkLibs(): string {
  const dir = path.join(
    DOWNLOAD_CACHE,
    `debezium-jdbc-sink-${DEBEZIUM_JDBC_VERSION}-connect-${CONNECT_RUNTIME_VERSION}`,
  );
  const libs = path.join(dir, 'libs');
  if (fs.existsSync(path.join(libs, `debezium-connector-jdbc-${DEBEZIUM_JDBC_VERSION}.jar`))) return libs;
  if (!which('java') || !which('mvn'))
    throw new Error(
      'The Debezium JDBC sink oracle needs Java and Maven (mvn): apt-get install openjdk-17-jdk-headless maven',
    );
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'pom.xml'), POM);
  log(
    'compat',
    `resolving io.debezium:debezium-connector-jdbc:${DEBEZIUM_JDBC_VERSION} and org.apache.kafka:connect-runtime:${CONNECT_RUNTIME_VERSION} from Maven Central`,
  );
  // Per-process scratch directory: parallel test workers resolving at once must not collide.
  const tmp = path.join(dir, `libs.partial-${process.pid}`);
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
  if (fs.existsSync(path.join(libs, `debezium-connector-jdbc-${DEBEZIUM_JDBC_VERSION}.jar`)))
    fs.rmSync(tmp, { recursive: true, force: true });
  else {
    fs.rmSync(libs, { recursive: true, force: true });
    fs.renameSync(tmp, libs);
  }
  return libs;
}

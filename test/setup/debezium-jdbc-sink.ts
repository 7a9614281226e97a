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
import { mavenLibs } from './java-harness.ts';
import { log, which } from './shell.ts';

export const DEBEZIUM_JDBC_VERSION = '3.6.0.Final';
export const CONNECT_RUNTIME_VERSION = '4.3.0';
const HIBERNATE_AGROAL_VERSION = '7.2.19.Final';

/** The directory of the oracle's jars (resolved on first use); run with `-cp <dir>/*`. */
export function debeziumJdbcSinkLibs(): string {
  if (!which('java') || !which('mvn'))
    throw new Error(
      'The Debezium JDBC sink oracle needs Java and Maven (mvn): apt-get install openjdk-17-jdk-headless maven',
    );
  log(
    'compat',
    `the Debezium JDBC sink oracle: io.debezium:debezium-connector-jdbc:${DEBEZIUM_JDBC_VERSION} and org.apache.kafka:connect-runtime:${CONNECT_RUNTIME_VERSION} (resolved from Maven Central on first use)`,
  );
  return mavenLibs(`debezium-jdbc-sink-${DEBEZIUM_JDBC_VERSION}-connect-${CONNECT_RUNTIME_VERSION}`, [
    `io.debezium:debezium-connector-jdbc:${DEBEZIUM_JDBC_VERSION} !org.hibernate:hibernate-agroal`,
    `org.hibernate.orm:hibernate-agroal:${HIBERNATE_AGROAL_VERSION}`,
    `org.apache.kafka:connect-runtime:${CONNECT_RUNTIME_VERSION}`,
    `org.apache.kafka:connect-json:${CONNECT_RUNTIME_VERSION}`,
    'org.slf4j:slf4j-simple:1.7.36',
  ]);
}

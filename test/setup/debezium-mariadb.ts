/**
 * Debezium's MariaDB connector (io.debezium:debezium-connector-mariadb 3.5.0.Final, the newest
 * served whole on Maven Central) with debezium-embedded, resolved by Maven into the download cache,
 * and the record-dump harness test/compat/java/DebeziumRecordDump.java compiled against it: the
 * oracle of the MariaDB differential suite (test/compat/mariadb.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOWNLOAD_CACHE } from './paths.ts';
import { log, which } from './shell.ts';

export const DEBEZIUM_MARIADB_VERSION = '3.5.0.Final';
/** The Debezium release of each wire layout the suite checks (3.2: the older layout Tributary keeps selectable). */
export const DEBEZIUM_MARIADB_LAYOUT_VERSIONS = { '3.5': DEBEZIUM_MARIADB_VERSION, '3.2': '3.2.0.Final' } as const;
const HARNESS = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'compat',
  'java',
  'DebeziumRecordDump.java',
);

function libs(version: string): string {
  const dir = path.join(DOWNLOAD_CACHE, `debezium-mariadb-oracle-${version}`);
  const out = path.join(dir, 'libs');
  if (fs.existsSync(path.join(out, `debezium-connector-mariadb-${version}.jar`))) return out;
  if (!which('javac') || !which('mvn'))
    throw new Error(
      'The Debezium MariaDB oracle needs a JDK (javac) and Maven (mvn): apt-get install openjdk-17-jdk-headless maven',
    );
  fs.mkdirSync(dir, { recursive: true });
  const dep = (g: string, a: string, v: string) =>
    `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`;
  fs.writeFileSync(
    path.join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>tributary.test</groupId><artifactId>debezium-mariadb-oracle</artifactId><version>1</version><packaging>pom</packaging>
<dependencies>
${dep('io.debezium', 'debezium-embedded', version)}
${dep('io.debezium', 'debezium-connector-mariadb', version)}
${dep('org.mariadb.jdbc', 'mariadb-java-client', '3.5.3')}
${dep('org.slf4j', 'slf4j-simple', '1.7.36')}
</dependencies></project>
`,
  );
  log('compat', `resolving io.debezium:debezium-connector-mariadb:${version} and debezium-embedded from Maven Central`);
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
  fs.renameSync(tmp, out);
  return out;
}

/** The classpath of the compiled harness and Debezium's jars (provisioned on first use). */
export function debeziumMariadbClasspath(version: string = DEBEZIUM_MARIADB_VERSION): string {
  const jars = libs(version);
  const source = fs.readFileSync(HARNESS);
  const classes = path.join(
    path.dirname(jars),
    `classes-${createHash('sha256').update(source).digest('hex').slice(0, 12)}`,
  );
  if (!fs.existsSync(path.join(classes, 'DebeziumRecordDump.class'))) {
    const tmp = `${classes}.partial`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    execFileSync('javac', ['-nowarn', '-cp', `${jars}/*`, '-d', tmp, HARNESS], { stdio: 'pipe' });
    fs.renameSync(tmp, classes);
  }
  return `${classes}${path.delimiter}${jars}/*`;
}

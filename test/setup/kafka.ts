/**
 * Apache Kafka, single-node KRaft (combined broker + controller), from its official jars on Maven
 * Central (resolved by Maven into a cached libs directory), on port 59092.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { DOWNLOAD_CACHE, SERVICES_DIR, PORTS } from './paths.ts';
import { aptInstall, log, portOpen, run, startDetached, waitUntil, which } from './shell.ts';

export const KAFKA_VERSION = '3.9.1';
export const KAFKA_BROKERS = `127.0.0.1:${PORTS.kafka}`;

const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>tributary.test</groupId><artifactId>kafka-server</artifactId><version>1</version><packaging>pom</packaging>
<dependencies>
<dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${KAFKA_VERSION}</version></dependency>
<dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
</dependencies></project>
`;

const LOG4J = `log4j.rootLogger=WARN, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
`;

async function canListTopics(): Promise<boolean> {
  const admin = new Kafka({
    brokers: [KAFKA_BROKERS],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 2000,
  }).admin();
  try {
    await admin.connect();
    await admin.listTopics();
    return true;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The Kafka jars and their runtime dependencies, downloaded once by Maven. */
function kafkaLibs(): string {
  const dir = path.join(DOWNLOAD_CACHE, `kafka-${KAFKA_VERSION}`);
  const libs = path.join(dir, 'libs');
  if (fs.existsSync(path.join(libs, `kafka_2.13-${KAFKA_VERSION}.jar`))) return libs;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'pom.xml'), POM);
  log('kafka', `resolving org.apache.kafka:kafka_2.13:${KAFKA_VERSION} from Maven Central`);
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

export async function ensureKafka(): Promise<string> {
  const base = path.join(SERVICES_DIR, 'kafka');
  const logFile = path.join(base, 'server.log');
  if (await portOpen(PORTS.kafka)) {
    await waitUntil('Kafka', canListTopics, 60_000, logFile);
    log('kafka', `reusing the broker on port ${PORTS.kafka}`);
    return KAFKA_BROKERS;
  }
  if (!which('java') || !which('javac')) await aptInstall(['openjdk-17-jdk-headless']); // javac builds the Java test harnesses
  if (!which('mvn')) await aptInstall(['maven']);
  const libs = kafkaLibs();
  const dataDir = path.join(base, 'data');
  fs.mkdirSync(base, { recursive: true });
  const props = path.join(base, 'server.properties');
  fs.writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${PORTS.kafkaController}`,
      `listeners=PLAINTEXT://127.0.0.1:${PORTS.kafka},CONTROLLER://127.0.0.1:${PORTS.kafkaController}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${PORTS.kafka}`,
      'controller.listener.names=CONTROLLER',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      `log.dirs=${dataDir}`,
      'num.partitions=1',
      'auto.create.topics.enable=true',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=10',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      '',
    ].join('\n'),
  );
  const log4j = path.join(base, 'log4j.properties');
  fs.writeFileSync(log4j, LOG4J);
  const java = ['-cp', `${libs}/*`, `-Dlog4j.configuration=file:${log4j}`];
  if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
    log('kafka', `formatting KRaft storage in ${dataDir}`);
    fs.rmSync(dataDir, { recursive: true, force: true });
    run('java', [
      ...java,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      randomUUID().replace(/-/g, '').slice(0, 22),
      '-c',
      props,
    ]);
  }
  log('kafka', `starting broker on port ${PORTS.kafka}`);
  startDetached('java', ['-Xms256m', '-Xmx512m', '-XX:+UseSerialGC', ...java, 'kafka.Kafka', props], logFile);
  await waitUntil('Kafka', canListTopics, 120_000, logFile);
  return KAFKA_BROKERS;
}

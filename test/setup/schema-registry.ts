/**
 * A Confluent-compatible schema registry for the registry converters' integration tests: Apicurio
 * Registry (in-memory storage) from Maven Central, serving Confluent's REST API at
 * `/apis/ccompat/v6`, on port 58081. Confluent's own registry is not on Maven Central and Karapace
 * is not on PyPI here; of Apicurio's releases, 2.0.2.Final is the one whose dependencies Central
 * serves (2.6 and 3.x need Apicurio modules and Quarkus builds that are not there). Its app jar has
 * no runner, so a generated project (the app's own application.properties plus an index of the app
 * jar, so Quarkus finds its REST resources) runs the Quarkus `build` goal once into the download
 * cache, giving a runner jar and its lib/ folder. A server already answering on the port is reused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DOWNLOAD_CACHE, PORTS, SERVICES_DIR } from './paths.ts';
import { aptInstall, log, portOpen, run, runAsync, startDetached, waitUntil, which } from './shell.ts';

export const APICURIO_VERSION = '2.0.2.Final';
export const SCHEMA_REGISTRY_PORT = PORTS.schemaRegistry;
export const SCHEMA_REGISTRY_URL = `http://127.0.0.1:${SCHEMA_REGISTRY_PORT}/apis/ccompat/v6`;

// The app's parent pom manages the Quarkus versions; org.everit.json.schema (JSON Schema
// validation, unused by these tests) is only on JitPack, so it is left out.
const POM = `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<parent><groupId>io.apicurio</groupId><artifactId>apicurio-registry</artifactId><version>${APICURIO_VERSION}</version><relativePath/></parent>
<groupId>tributary.test</groupId><artifactId>schema-registry-server</artifactId><version>${APICURIO_VERSION}</version><packaging>jar</packaging>
<properties><quarkus.profile>prod</quarkus.profile></properties>
<dependencies><dependency><groupId>io.apicurio</groupId><artifactId>apicurio-registry-app</artifactId><version>${APICURIO_VERSION}</version>
<exclusions><exclusion><groupId>com.github.everit-org.json-schema</groupId><artifactId>org.everit.json.schema</artifactId></exclusion></exclusions></dependency></dependencies>
<build><plugins><plugin><groupId>io.quarkus</groupId><artifactId>quarkus-maven-plugin</artifactId><executions><execution><goals><goal>build</goal></goals></execution></executions></plugin></plugins></build>
</project>
`;

// The parent pom lists repositories this machine cannot reach; every request goes to Central.
const SETTINGS = `<settings><mirrors><mirror><id>central-only</id><mirrorOf>*</mirrorOf><url>https://repo.maven.apache.org/maven2</url></mirror></mirrors></settings>
`;

async function answers(): Promise<boolean> {
  const res = await fetch(`${SCHEMA_REGISTRY_URL}/subjects`, { signal: AbortSignal.timeout(2000) });
  return res.ok && Array.isArray(await res.json());
}

// Quarkus indexes only the application's own classes unless told: the REST resources and the
// in-memory storage live in the app jar, its API interfaces in apicurio-registry-common.
const INDEX_DEPENDENCIES = `
quarkus.index-dependency.registry-app.group-id=io.apicurio
quarkus.index-dependency.registry-app.artifact-id=apicurio-registry-app
quarkus.index-dependency.registry-common.group-id=io.apicurio
quarkus.index-dependency.registry-common.artifact-id=apicurio-registry-common
`;

const RUNNER = `schema-registry-server-${APICURIO_VERSION}-runner.jar`;

/** The runner jar (with lib/ beside it), built once by Maven into the download cache. */
async function apicurioRunner(): Promise<string> {
  const dir = path.join(DOWNLOAD_CACHE, `apicurio-registry-${APICURIO_VERSION}`);
  const runner = path.join(dir, 'app', RUNNER);
  if (fs.existsSync(runner)) return runner;
  if (!which('unzip')) await aptInstall(['unzip']);
  const build = path.join(dir, 'build');
  fs.rmSync(build, { recursive: true, force: true });
  const resources = path.join(build, 'src', 'main', 'resources');
  fs.mkdirSync(path.join(resources, 'META-INF'), { recursive: true });
  fs.writeFileSync(path.join(build, 'pom.xml'), POM);
  fs.writeFileSync(path.join(build, 'settings.xml'), SETTINGS);
  const mvn = ['-q', '-B', '-s', path.join(build, 'settings.xml'), '-f', path.join(build, 'pom.xml')];
  log('schema-registry', `resolving io.apicurio:apicurio-registry-app:${APICURIO_VERSION} from Maven Central`);
  await runAsync('mvn', [
    ...mvn,
    'dependency:copy',
    `-Dartifact=io.apicurio:apicurio-registry-app:${APICURIO_VERSION}`,
    `-DoutputDirectory=${build}`,
  ]);
  const appJar = path.join(build, `apicurio-registry-app-${APICURIO_VERSION}.jar`);
  fs.writeFileSync(
    path.join(resources, 'application.properties'),
    run('unzip', ['-p', appJar, 'application.properties']) + INDEX_DEPENDENCIES,
  );
  fs.writeFileSync(path.join(resources, 'META-INF', 'web.xml'), run('unzip', ['-p', appJar, 'META-INF/web.xml']));
  log('schema-registry', `building Apicurio Registry ${APICURIO_VERSION} with the Quarkus Maven plugin`);
  await runAsync('mvn', [
    ...mvn,
    '-DskipTests',
    '-Dcheckstyle.skip',
    '-Dlicense.skip',
    '-Denforcer.skip',
    '-Dmaven.javadoc.skip',
    'package',
  ]);
  const target = path.join(build, 'target');
  if (!fs.existsSync(path.join(target, RUNNER)))
    throw new Error(`the Quarkus build finished without ${path.join(target, RUNNER)}`);
  const app = path.join(dir, 'app');
  fs.rmSync(app, { recursive: true, force: true });
  fs.mkdirSync(app, { recursive: true });
  fs.renameSync(path.join(target, 'lib'), path.join(app, 'lib'));
  fs.renameSync(path.join(target, RUNNER), runner);
  fs.rmSync(build, { recursive: true, force: true });
  return runner;
}

export async function ensureSchemaRegistry(): Promise<string> {
  const base = path.join(SERVICES_DIR, 'schema-registry');
  const logFile = path.join(base, 'server.log');
  if (await portOpen(SCHEMA_REGISTRY_PORT)) {
    await waitUntil('Schema registry', answers, 60_000, logFile);
    log('schema-registry', `reusing the registry on port ${SCHEMA_REGISTRY_PORT}`);
    return SCHEMA_REGISTRY_URL;
  }
  if (!which('java') || !which('javac')) await aptInstall(['openjdk-17-jdk-headless']); // javac builds the Java test harnesses
  if (!which('mvn')) await aptInstall(['maven']);
  const runner = await apicurioRunner();
  fs.mkdirSync(base, { recursive: true });
  log('schema-registry', `starting Apicurio Registry ${APICURIO_VERSION} (in-memory) on port ${SCHEMA_REGISTRY_PORT}`);
  startDetached(
    'java',
    [
      '-Xms128m',
      '-Xmx384m',
      '-XX:+UseSerialGC',
      `-Dquarkus.http.port=${SCHEMA_REGISTRY_PORT}`,
      '-Dquarkus.http.host=127.0.0.1',
      '-Dquarkus.log.level=WARN',
      '-Dquarkus.log.category."io.apicurio".level=INFO',
      '-jar',
      runner,
    ],
    logFile,
    { cwd: base },
  );
  await waitUntil('Schema registry', answers, 180_000, logFile);
  return SCHEMA_REGISTRY_URL;
}

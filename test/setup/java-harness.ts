/**
 * Java reference classes for the differential suites: Maven Central artifacts resolved with
 * `mvn dependency:copy-dependencies` into the download cache, and harness sources of the repo
 * compiled against them (cached by a hash of the sources and the artifact list).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DOWNLOAD_CACHE } from './paths.ts';

/**
 * `group:artifact:version`, optionally followed by ` !group:artifact` exclusions of its transitive
 * dependencies (for a relocation pom that Maven Central does not serve, replaced by another coordinate).
 */
export type MavenCoordinate = string;

function dependencyXml(coordinate: MavenCoordinate): string {
  const [main, ...excluded] = coordinate.trim().split(/\s+!/);
  const [groupId, artifactId, version] = main.split(':');
  const exclusions = excluded.map((e) => {
    const [g, a] = e.split(':');
    return `<exclusion><groupId>${g}</groupId><artifactId>${a}</artifactId></exclusion>`;
  });
  return `<dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version>${
    exclusions.length ? `<exclusions>${exclusions.join('')}</exclusions>` : ''
  }</dependency>`;
}

/** Resolves coordinates with their runtime dependencies (once per list); returns the jar directory. */
export function mavenLibs(name: string, coordinates: readonly MavenCoordinate[]): string {
  const dir = path.join(DOWNLOAD_CACHE, 'java-harness', name);
  const libs = path.join(dir, 'libs');
  const stamp = path.join(libs, 'coordinates.txt');
  const wanted = coordinates.join('\n');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return libs;
  fs.mkdirSync(dir, { recursive: true });
  const deps = coordinates.map(dependencyXml);
  fs.writeFileSync(
    path.join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>tributary.test</groupId><artifactId>${name}</artifactId><version>1</version><packaging>pom</packaging>
<dependencies>${deps.join('\n')}</dependencies></project>
`,
  );
  // Per-process scratch directories: test files resolving the same artifacts in parallel workers must not collide.
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
  fs.writeFileSync(path.join(tmp, 'coordinates.txt'), wanted);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return libs;
  }
  fs.rmSync(libs, { recursive: true, force: true });
  fs.renameSync(tmp, libs);
  return libs;
}

/** Compiles `sources` against the jars in `libs` (once per content); returns the run classpath. */
export function harnessClasspath(libs: string, sources: readonly string[]): string {
  const hash = createHash('sha256').update(libs);
  for (const f of sources) hash.update(fs.readFileSync(f));
  const classes = path.join(DOWNLOAD_CACHE, 'java-harness', 'classes', hash.digest('hex').slice(0, 16));
  if (!fs.existsSync(path.join(classes, 'compiled.stamp'))) {
    const tmp = `${classes}.partial-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    execFileSync('javac', ['-nowarn', '-cp', `${libs}/*`, '-d', tmp, ...sources], { stdio: 'pipe' });
    fs.writeFileSync(path.join(tmp, 'compiled.stamp'), '');
    if (fs.existsSync(path.join(classes, 'compiled.stamp'))) fs.rmSync(tmp, { recursive: true, force: true });
    else {
      fs.rmSync(classes, { recursive: true, force: true });
      fs.renameSync(tmp, classes);
    }
  }
  return `${classes}${path.delimiter}${libs}/*`;
}

/**
 * Cobrix's cobol-parser (za.co.absa.cobrix:cobol-parser_2.12, the decoding core of spark-cobol,
 * no Spark) from Maven Central, and the Java harness that decodes files with it: the oracle of
 * the mainframe parity suite (test/integration/mainframe/cobrix-parity.test.ts).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOWNLOAD_CACHE } from './paths.ts';

export const COBRIX_VERSION = '2.6.9';
const HARNESS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'integration', 'mainframe', 'cobrix');
/** CobrixDecode (files decoded by Cobrix's reader), CobrixParse (copybooks parsed by its CopybookParser), CobrixCodePages (its code page tables). */
const HARNESSES = ['CobrixDecode.java', 'CobrixParse.java', 'CobrixCodePages.java'].map((f) =>
  path.join(HARNESS_DIR, f),
);

function cobrixLibs(): string {
  const dir = path.join(DOWNLOAD_CACHE, `cobrix-${COBRIX_VERSION}`);
  const libs = path.join(dir, 'libs');
  if (fs.existsSync(path.join(libs, `cobol-parser_2.12-${COBRIX_VERSION}.jar`))) return libs;
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'pom.xml'),
    `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>io.tributary.test</groupId><artifactId>cobrix-oracle</artifactId><version>1</version>
<dependencies><dependency><groupId>za.co.absa.cobrix</groupId><artifactId>cobol-parser_2.12</artifactId><version>${COBRIX_VERSION}</version></dependency></dependencies></project>
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

/** The classpath (jars + compiled harnesses) to run `CobrixDecode` and `CobrixParse`; downloads and compiles on first use. */
export function cobrixClasspath(): string {
  const libs = cobrixLibs();
  const classes = path.join(DOWNLOAD_CACHE, `cobrix-${COBRIX_VERSION}`, 'classes');
  const stamp = path.join(classes, 'source.stamp');
  const source = HARNESSES.map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== source) {
    fs.rmSync(classes, { recursive: true, force: true });
    fs.mkdirSync(classes, { recursive: true });
    execFileSync('javac', ['-nowarn', '-cp', `${libs}/*`, '-d', classes, ...HARNESSES], { stdio: 'pipe' });
    fs.writeFileSync(stamp, source);
  }
  return `${classes}${path.delimiter}${libs}/*`;
}

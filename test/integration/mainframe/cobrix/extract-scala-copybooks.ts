/**
 * Generator of data/scala-copybooks.json.gz: the copybooks embedded in Cobrix's Scala unit and
 * integration tests (triple-quoted strings of src/test/scala/**.scala that hold level numbers and
 * clauses), taken from a pinned commit of AbsaOSS/cobrix. Run once against a clone:
 *
 *   npx tsx test/integration/mainframe/cobrix/extract-scala-copybooks.ts /path/to/cobrix/.git
 *
 * Each entry keeps where it came from (file, line) and whether the Scala test around it expects
 * Cobrix to throw (`intercept[...]` in the same test): the parity suite then asks Cobrix 2.6.9's
 * CopybookParser (the oracle) and Tributary's parser about every one.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const COBRIX_SCALA_COMMIT = '898330b8267dc2452e984572b421e1f0622743f2';

export interface ScalaCopybook {
  /** `<Spec file name>:<line of the string>` */
  id: string;
  file: string;
  line: number;
  text: string;
  /** The Scala test intercepts an exception for this copybook (Cobrix is expected to reject it, or the data). */
  testExpectsError: boolean;
}

/** Scala's stripMargin: blanks and one `|` removed from the start of every line. */
function stripMargin(s: string): string {
  return s
    .split('\n')
    .map((l) => l.replace(/^[ \t]*\|/, ''))
    .join('\n');
}

const looksLikeCopybook = (s: string) =>
  /^[ \t]*\d{1,2}[ \t]+\S/m.test(s) &&
  /\b(PIC|PICTURE|COMP|COMP-\d|REDEFINES|OCCURS)\b/i.test(s) &&
  !/^\s*[[{]/.test(s);

export function extractCopybooks(scalaFile: string, source: string): ScalaCopybook[] {
  const out: ScalaCopybook[] = [];
  // a triple-quoted string ends at the last quote of a run of three or more; .stripMargin may follow on the next line
  const re = /(s?)"""([\s\S]*?)"""(?!")(\s*\.stripMargin)?/g;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    // interpolated strings need the test's variables: left out
    if (m[1] === 's' && m[2].includes('$')) continue;
    const text = m[3] ? stripMargin(m[2]) : m[2];
    if (!looksLikeCopybook(text)) continue;
    const line = source.slice(0, m.index).split('\n').length;
    const nextTest = source.slice(re.lastIndex).search(/\n\s*(test|it|ignore)\s*\(/);
    const rest = source.slice(re.lastIndex, nextTest < 0 ? undefined : re.lastIndex + nextTest);
    out.push({
      id: `${path.basename(scalaFile)}:${line}`,
      file: scalaFile,
      line,
      text,
      testExpectsError: /intercept\s*\[/.test(rest),
    });
  }
  return out;
}

function main(gitDir: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const files = git('ls-tree', '-r', '--name-only', COBRIX_SCALA_COMMIT)
    .split('\n')
    .filter((f) => /\/src\/test\/scala\/.*\.scala$/.test(f))
    .sort();
  const all = files.flatMap((f) => extractCopybooks(f, git('show', `${COBRIX_SCALA_COMMIT}:${f}`)));
  const target = path.join(path.dirname(fileURLToPath(import.meta.url)), 'data', 'scala-copybooks.json.gz');
  fs.writeFileSync(
    target,
    gzipSync(
      JSON.stringify({ repository: 'https://github.com/AbsaOSS/cobrix', commit: COBRIX_SCALA_COMMIT, copybooks: all }),
      { level: 9 },
    ),
  );
  console.log(`${all.length} copybooks from ${files.length} Scala test files → ${target}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]))
  main(process.argv[2] ?? '.git');

/** Loads the DDL corpus (*.sql here): groups of statements, each run in a fresh database by the server test. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CorpusGroup {
  name: string;
  file: string;
  /** Statements the test server is not asked to run (MySQL-only or privileged syntax). */
  parseOnly: boolean;
  statements: string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));

export function loadCorpus(): CorpusGroup[] {
  const groups: CorpusGroup[] = [];
  for (const file of fs
    .readdirSync(here)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    let current: CorpusGroup | null = null;
    let buf: string[] = [];
    for (const line of fs.readFileSync(path.join(here, file), 'utf8').split('\n')) {
      const header = /^-- (group|parse-only): (.*)$/.exec(line);
      if (header) {
        current = { name: header[2], file, parseOnly: header[1] === 'parse-only', statements: [] };
        groups.push(current);
        buf = [];
        continue;
      }
      if (!current || (!buf.length && !line.trim())) continue;
      buf.push(line);
      if (/;\s*(--.*)?$/.test(line)) {
        current.statements.push(
          buf
            .join('\n')
            .replace(/;\s*(--.*)?$/, '')
            .trim(),
        );
        buf = [];
      }
    }
  }
  return groups;
}

/**
 * The copybooks embedded in Cobrix's Scala tests (cobrix/data/scala-copybooks.json.gz, extracted
 * from a pinned commit by cobrix/extract-scala-copybooks.ts), each parsed by Cobrix's own
 * CopybookParser (cobol-parser 2.6.9 from Maven Central, run by cobrix/CobrixParse.java) and by
 * Tributary's: every copybook Cobrix accepts parses to the same layout table, every one it rejects
 * is rejected. Several 01 records are the one intentional difference (Cobrix lays them out one
 * after another, Tributary overlays them as IBM does): their tables are compared record by record.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { cobrixClasspath } from '../../setup/cobrix.ts';
import { parseLayout } from '../../../connectors/mainframe/copybook/layout.ts';
import { formatCobrixLayout } from '../../../connectors/mainframe/copybook/layout-table.ts';
import { DATA_DIR } from './cobrix/compare.ts';
import type { ScalaCopybook } from './cobrix/extract-scala-copybooks.ts';

const { copybooks } = JSON.parse(
  gunzipSync(fs.readFileSync(path.join(DATA_DIR, 'scala-copybooks.json.gz'))).toString('utf8'),
) as { copybooks: ScalaCopybook[] };
let workDir: string;
const cobrix = new Map<string, string>();

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-cobrix-cpy-'));
  const manifest = copybooks.map((c, i) => {
    const file = path.join(workDir, `${i}.cob`);
    fs.writeFileSync(file, c.text);
    return `${c.id}\t${file}`;
  });
  fs.writeFileSync(path.join(workDir, 'manifest.tsv'), manifest.join('\n') + '\n');
  const out = execFileSync('java', ['-cp', cobrixClasspath(), 'CobrixParse', path.join(workDir, 'manifest.tsv')], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let current = '';
  for (const line of out.split('\n')) {
    if (line.startsWith('#case ')) {
      current = line.slice(6);
      cobrix.set(current, '');
    } else cobrix.set(current, cobrix.get(current) + line + '\n');
  }
  for (const [k, v] of cobrix) cobrix.set(k, v.replace(/\n+$/, '\n'));
}, 300_000);

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** Cobrix's table with every level-1 record's positions made relative to the record's own start. */
function recordRelative(table: string): string {
  let base = 0;
  return table
    .split('\n')
    .map((line) => {
      if (!/^.{55}[ \d]{21}$/.test(line) || line.startsWith('-')) return line;
      const start = Number(line.slice(55, 62));
      const end = Number(line.slice(62, 69));
      if (/^1 /.test(line)) base = start - 1;
      return `${line.slice(0, 55)}${String(start - base).padStart(7)}${String(end - base).padStart(7)}${line.slice(69)}`;
    })
    .join('\n');
}

describe("Cobrix parity: the copybooks of Cobrix's Scala tests", () => {
  it(`has Cobrix's answer for all ${copybooks.length} copybooks`, () => {
    expect(copybooks.length).toBeGreaterThan(250);
    expect(copybooks.every((c) => cobrix.has(c.id))).toBe(true);
  });

  for (const c of copybooks) {
    it(`${c.id}: accepted with Cobrix's layout, or rejected as Cobrix rejects it`, () => {
      const theirs = cobrix.get(c.id)!;
      let ours: string;
      let records = 0;
      try {
        const layout = parseLayout(c.text);
        ours = formatCobrixLayout(layout);
        records = layout.records.filter((r) => r.level === 1).length;
      } catch (err) {
        expect(
          theirs.startsWith('#error '),
          `Tributary rejects it (${(err as Error).message}), Cobrix accepts it:\n${theirs}`,
        ).toBe(true);
        return;
      }
      expect(theirs.startsWith('#error '), `Cobrix rejects it (${theirs.trim()}), Tributary accepts it:\n${ours}`).toBe(
        false,
      );
      if (records > 1) expect(recordRelative(ours)).toBe(recordRelative(theirs));
      else expect(ours).toBe(theirs);
    });
  }
});

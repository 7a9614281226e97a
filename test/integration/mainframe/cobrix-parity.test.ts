/**
 * Cobrix's own decode cases, value for value against Cobrix itself: each case of cobrix/cases.ts
 * (the files and options of spark-cobol's integration tests) is decoded by Cobrix's reader
 * (cobol-parser from Maven Central, run by cobrix/CobrixDecode.java) and by Tributary with the
 * same Cobrix options (invalid.data.policy=lenient: read as Cobrix reads). A `pass` case must be
 * equal in every record; a case listed with an intentional difference must still differ (so the
 * table in docs/mainframe.md stays true).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cobrixClasspath } from '../../setup/cobrix.ts';
import { COBRIX_CASES } from './cobrix/cases.ts';
import { SYNTAX_CASES } from './cobrix/syntax-cases.ts';
import { parseLayout } from '../../../connectors/mainframe/copybook/layout.ts';
import { formatCobrixLayout } from '../../../connectors/mainframe/copybook/layout-table.ts';
import { DATA_DIR, firstDifference, runCobrix, runCobrixLayouts, runTributary } from './cobrix/compare.ts';

let workDir: string;
let cobrix: Map<string, { rows: unknown[]; error?: string }>;
let layouts: Map<string, string>;
const COPYBOOKS = fs
  .readdirSync(DATA_DIR)
  .filter((f) => f.endsWith('.cob'))
  .sort();

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-cobrix-'));
  cobrix = runCobrix(cobrixClasspath(), COBRIX_CASES, workDir);
  for (const c of SYNTAX_CASES) fs.writeFileSync(path.join(workDir, `${c.id}.cob`), c.copybook);
  layouts = runCobrixLayouts(
    cobrixClasspath(),
    [
      ...COPYBOOKS.map((c) => ({ id: c, path: path.join(DATA_DIR, c) })),
      ...SYNTAX_CASES.map((c) => ({ id: `syntax:${c.id}`, path: path.join(workDir, `${c.id}.cob`) })),
    ],
    workDir,
  );
}, 300_000);

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

function difference(id: string): string | null {
  const c = COBRIX_CASES.find((x) => x.id === id)!;
  const theirs = cobrix.get(id)!;
  let ours: unknown[];
  try {
    ours = runTributary(c, workDir);
  } catch (err) {
    return `Tributary failed: ${(err as Error).message}${theirs.error ? ` (Cobrix failed too: ${theirs.error})` : ''}`;
  }
  if (theirs.error) return `Cobrix failed: ${theirs.error}`;
  if (theirs.rows.length !== ours.length) return `Cobrix read ${theirs.rows.length} records, Tributary ${ours.length}`;
  for (let i = 0; i < ours.length; i++) {
    const d = firstDifference(theirs.rows[i], ours[i], `record ${i}`);
    if (d) return d;
  }
  return null;
}

describe("Cobrix parity: Cobrix's test files decoded by Cobrix and by Tributary", () => {
  it('runs Cobrix on every case', () => {
    expect([...cobrix.keys()]).toEqual(COBRIX_CASES.map((c) => c.id));
  });

  for (const c of COBRIX_CASES) {
    if (c.expect === 'pass') {
      it(`${c.id} (${c.spec}): equal value for value`, () => {
        expect(difference(c.id)).toBeNull();
        expect(cobrix.get(c.id)!.rows.length).toBeGreaterThan(0);
      });
    } else {
      const reason = c.expect.differs;
      it(`${c.id} (${c.spec}): differs as documented: ${reason}`, () => {
        expect(difference(c.id)).not.toBeNull();
      });
    }
  }
});

describe('Cobrix parity: copybook layouts', () => {
  for (const copybook of COPYBOOKS) {
    it(`${copybook}: the layout table equals Cobrix's, or both reject the copybook`, () => {
      const theirs = layouts.get(copybook)!;
      let ours: string;
      try {
        ours = formatCobrixLayout(parseLayout(fs.readFileSync(path.join(DATA_DIR, copybook), 'utf8')));
      } catch (err) {
        expect(
          theirs.startsWith('#error '),
          `Tributary rejects it (${(err as Error).message}), Cobrix accepts it`,
        ).toBe(true);
        return;
      }
      expect(ours).toBe(theirs);
    });
  }
});

/** Tributary's layout table of a copybook, or `#error <message>` as the harness prints Cobrix's rejection. */
function ourLayout(text: string): string {
  try {
    return formatCobrixLayout(parseLayout(text));
  } catch (err) {
    return `#error ${(err as Error).message}`;
  }
}

describe('Cobrix parity: copybook syntax accepted and rejected', () => {
  for (const c of SYNTAX_CASES) {
    const theirs = () => layouts.get(`syntax:${c.id}`)!;
    if (c.expect === 'same') {
      it(`${c.id}: the same layout as Cobrix, or rejected as Cobrix rejects it`, () => {
        const ours = ourLayout(c.copybook);
        if (theirs().startsWith('#error '))
          expect(ours.startsWith('#error '), `Cobrix rejects (${theirs().trim()}), Tributary accepts:\n${ours}`).toBe(
            true,
          );
        else expect(ours).toBe(theirs());
      });
    } else {
      const reason = 'differs' in c.expect ? c.expect.differs : `not yet: ${c.expect.notYet}`;
      it(`${c.id}: differs as documented: ${reason}`, () => {
        expect(ourLayout(c.copybook)).not.toBe(theirs());
      });
    }
  }
});

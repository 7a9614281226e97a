/**
 * Fields of all X'40' (EBCDIC spaces) and all X'00' (low-values) against Cobrix 2.6.9 itself
 * (cobrix/CobrixDecode.java): a value where the byte pattern is one (COMP-3U digits, binary,
 * COMP-9, PIC X COMP), null where it is none (zoned, signed packed, edited) — equal under every
 * invalid.data.policy, with and without improved_null_detection; BLANK WHEN ZERO fields of blanks
 * or low-values are null too. See docs/mainframe.md, "Empty and invalid data".
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigDecimal } from '../../../runtime/data/logical.ts';
import { buildReader, parseDecodingConfig } from '../../../connectors/mainframe/config.ts';
import { cobrixClasspath } from '../../setup/cobrix.ts';

// [name, clause, bytes]
const FIELDS: [string, string, number][] = [
  ['U2', 'PIC 9(2) COMP-3U', 1],
  ['U4', 'PIC 9(4) COMP-3U', 2],
  ['U3', 'PIC 9(3) COMP-3U', 2],
  ['UX', 'PIC X(1) COMP-3U', 1],
  ['UV', 'PIC 9(2)V9(2) COMP-3U', 2],
  ['US', 'PIC S9(2) COMP-3U', 1],
  ['P1', 'PIC 9(1) COMP-3', 1],
  ['PS1', 'PIC S9(1) COMP-3', 1],
  ['PS3', 'PIC S9(3) COMP-3', 2],
  ['PV', 'PIC S9(2)V9 COMP-3', 2],
  ['C9', 'PIC 9(4) COMP-9', 2],
  ['CS9', 'PIC S9(4) COMP-9', 2],
  ['C92', 'PIC 9(2) COMP-9', 1],
  ['B4', 'PIC 9(4) COMP', 2],
  ['XC', 'PIC X(2) COMP', 2],
  ['Z2', 'PIC 9(2)', 2],
  ['ZS2', 'PIC S9(2)', 2],
  ['N4B', 'PIC 9(4) BLANK WHEN ZERO', 4],
  ['Z4', 'PIC Z(4)', 4],
  ['ZZV', 'PIC ZZ.ZZ', 5],
  ['ZS', 'PIC Z(3)-', 4],
  ['Z4B', 'PIC Z(4) BLANK WHEN ZERO', 4],
];
const SIZE = FIELDS.reduce((n, f) => n + f[2], 0);
const FILLS = { blank: 0x40, low: 0x00 } as const;
const IND = ['true', 'false'] as const;

let workDir: string;
const cobrix = new Map<string, unknown[]>();

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-cobrix-blank-'));
  fs.writeFileSync(
    path.join(workDir, 'r.cob'),
    ['       01  R.', ...FIELDS.map(([n, c]) => `           05  ${n}  ${c}.`)].join('\n') + '\n',
  );
  const lines: string[] = [];
  for (const [fill, byte] of Object.entries(FILLS)) {
    fs.writeFileSync(path.join(workDir, `${fill}.dat`), Buffer.alloc(SIZE, byte));
    for (const ind of IND)
      lines.push(
        [
          `${fill}:${ind}`,
          path.join(workDir, 'r.cob'),
          path.join(workDir, `${fill}.dat`),
          `improved_null_detection=${ind}\u0001record_format=F`,
        ].join('\t'),
      );
  }
  fs.writeFileSync(path.join(workDir, 'manifest.tsv'), lines.join('\n') + '\n');
  const out = execFileSync('java', ['-cp', cobrixClasspath(), 'CobrixDecode', path.join(workDir, 'manifest.tsv')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let id = '';
  for (const line of out.split('\n')) {
    if (line.startsWith('#case ')) id = line.slice(6);
    else if (line.startsWith('#error ')) throw new Error(`Cobrix failed on ${id}: ${line.slice(7)}`);
    else if (line) cobrix.set(id, JSON.parse(line) as unknown[]);
  }
}, 300_000);

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

const decimalText = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

function cobrixText(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  const [[, text]] = Object.entries(v as Record<string, string>);
  return decimalText(text);
}

function tributaryText(v: unknown): string | null {
  if (v === null) return null;
  if (Buffer.isBuffer(v)) return v.toString('hex').toUpperCase();
  if (v instanceof BigDecimal) return decimalText(v.toString());
  return String(v as number | bigint);
}

describe.each(Object.keys(FILLS))('all %s bytes, as Cobrix 2.6.9 reads them', (fill) => {
  it.each(IND.flatMap((ind) => (['fail', 'null', 'lenient'] as const).map((policy) => [ind, policy] as const)))(
    'improved_null_detection=%s, invalid.data.policy=%s',
    (ind, policy) => {
      const expected = cobrix.get(`${fill}:${ind}`);
      expect(expected, 'Cobrix decoded the record').toBeDefined();
      const reader = buildReader(
        parseDecodingConfig({
          copybook: path.join(workDir, 'r.cob'),
          improved_null_detection: ind,
          'invalid.data.policy': policy,
          drop_group_fillers: 'false',
        }),
        {},
      );
      const data = fs.readFileSync(path.join(workDir, `${fill}.dat`));
      const ours = (reader.decode(data, 0, data.length).values[0] as unknown[]).map(tributaryText);
      const theirs = expected!.map(cobrixText);
      FIELDS.forEach(([name], i) => {
        expect(ours[i], `${name}: Tributary ${ours[i]}, Cobrix ${theirs[i]}`).toBe(theirs[i]);
      });
      // the values the fix is about are values, not null
      if (fill === 'blank') expect(ours.slice(0, 6)).toEqual(['40', '4040', '4040', '40', '40.4', '40']);
    },
  );
});

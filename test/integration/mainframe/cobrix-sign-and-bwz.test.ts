/**
 * Packed and zoned sign codes and BLANK WHEN ZERO fields against Cobrix 2.6.9 itself
 * (cobrix/CobrixDecode.java), record by record under every invalid.data.policy:
 * - sign nibbles / zones A..F: C and F positive, D negative; A, B, E are invalid data (Cobrix:
 *   null), so null under `null` and `lenient`, an error naming the field under `fail`;
 * - `PIC 9(n) BLANK WHEN ZERO` and `PIC Z(n) BLANK WHEN ZERO` holding blanks, low-values, zeros
 *   and digits: the values Cobrix gives (blanks and low-values null).
 * The documented differences (docs/mainframe.md, "Compared with Cobrix") are listed in DIFFERS and
 * must still differ.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigDecimal } from '../../../runtime/data/logical.ts';
import { buildReader, parseDecodingConfig } from '../../../connectors/mainframe/config.ts';
import { RecordDecodeError } from '../../../connectors/mainframe/decoder/record-decoder.ts';
import { encodeText } from '../../../connectors/mainframe/testing.ts';
import { cobrixClasspath } from '../../setup/cobrix.ts';

const FIELDS = [
  ['PS', 'PIC S9(3) COMP-3'],
  ['PU', 'PIC 9(3) COMP-3'],
  ['PV', 'PIC S9(3)V99 COMP-3'],
  ['PL', 'PIC S9(17) COMP-3'],
  ['ZS', 'PIC S9(3)'],
  ['ZU', 'PIC 9(3)'],
  ['BN', 'PIC 9(4) BLANK WHEN ZERO'],
  ['BV', 'PIC 9(2)V99 BLANK WHEN ZERO'],
  ['BZ', 'PIC Z(4) BLANK WHEN ZERO'],
] as const;
const SIGNS = [0xa, 0xb, 0xc, 0xd, 0xe, 0xf];
const BWZ = ['    ', '\0\0\0\0', '0000', '0012', '  12', ' 0  '];

function record(i: number): Buffer {
  const s = SIGNS[i % SIGNS.length];
  const ebcdic = (t: string) => (t.includes('\0') ? Buffer.alloc(t.length) : encodeText(t, t.length, 'cp037'));
  return Buffer.concat([
    Buffer.from([0x12, 0x30 | s]),
    Buffer.from([0x12, 0x30 | s]),
    Buffer.from([0x01, 0x23, 0x40 | s]),
    Buffer.from([0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34, 0x56, 0x70 | s]),
    Buffer.from([0xf1, 0xf2, (s << 4) | 3]),
    Buffer.from([0xf1, 0xf2, (s << 4) | 3]),
    ebcdic(BWZ[i % BWZ.length]),
    ebcdic(BWZ[(i + 1) % BWZ.length]),
    ebcdic(BWZ[(i + 2) % BWZ.length]),
  ]);
}
const RECORDS = Array.from({ length: 12 }, (_, i) => record(i));

/**
 * The documented differences (docs/mainframe.md, "Compared with Cobrix"):
 * - a negative sign nibble in an unsigned packed field (PIC 9 COMP-3) is invalid data (an unsigned
 *   item holds no negative value); Cobrix gives the negative number;
 * - blanks after a digit (' 0  ') are invalid data in a digit position under `fail` and `null`
 *   (never silently a number); `lenient` reads them as Cobrix does (blanks dropped).
 */
function differs(name: string, rec: number, policy: string): boolean {
  if (name === 'PU') return SIGNS[rec % SIGNS.length] === 0xd;
  const bwz = { BN: 0, BV: 1, BZ: 2 }[name as string];
  return bwz !== undefined && policy !== 'lenient' && BWZ[(rec + bwz) % BWZ.length] === ' 0  ';
}

let workDir: string;
const cobrix: unknown[][] = [];

beforeAll(() => {
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-cobrix-sign-'));
  fs.writeFileSync(
    path.join(workDir, 'r.cob'),
    ['       01  R.', ...FIELDS.map(([n, c]) => `           05  ${n}  ${c}.`)].join('\n') + '\n',
  );
  fs.writeFileSync(path.join(workDir, 'r.dat'), Buffer.concat(RECORDS));
  fs.writeFileSync(
    path.join(workDir, 'manifest.tsv'),
    ['r', path.join(workDir, 'r.cob'), path.join(workDir, 'r.dat'), 'record_format=F'].join('\t') + '\n',
  );
  const out = execFileSync('java', ['-cp', cobrixClasspath(), 'CobrixDecode', path.join(workDir, 'manifest.tsv')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const line of out.split('\n')) {
    if (line.startsWith('#error ')) throw new Error(`Cobrix failed: ${line.slice(7)}`);
    if (line && !line.startsWith('#case ')) cobrix.push(JSON.parse(line) as unknown[]);
  }
}, 300_000);

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

const decimalText = (s: string) => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);

function cobrixText(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v === 'string' || typeof v === 'number') return decimalText(String(v));
  const [[, text]] = Object.entries(v as Record<string, string>);
  return decimalText(text);
}

function tributaryText(v: unknown): string | null {
  if (v === null) return null;
  if (v instanceof BigDecimal) return decimalText(v.toString());
  return String(v as number | bigint);
}

describe('sign codes A-F and BLANK WHEN ZERO, as Cobrix 2.6.9 reads them', () => {
  it('Cobrix decoded every record', () => {
    expect(cobrix).toHaveLength(RECORDS.length);
  });

  for (const policy of ['null', 'lenient', 'fail'] as const) {
    it(`invalid.data.policy=${policy}`, () => {
      const reader = buildReader(
        parseDecodingConfig({ copybook: path.join(workDir, 'r.cob'), 'invalid.data.policy': policy }),
        {},
      );
      RECORDS.forEach((bytes, r) => {
        const theirs = cobrix[r].map(cobrixText);
        let ours: (string | null)[];
        try {
          ours = (reader.decode(bytes, 0, bytes.length).values[0] as unknown[]).map(tributaryText);
        } catch (err) {
          expect(policy, `record ${r}: ${(err as Error).message}`).toBe('fail');
          expect(err).toBeInstanceOf(RecordDecodeError);
          // exactly the fields Cobrix reads as null from bytes that are not blank, or that differ as documented
          const failed = (err as RecordDecodeError).errors.map((e) => e.path.slice(2)).sort();
          const expected = FIELDS.map(([n]) => n)
            .filter((n, i) => (theirs[i] === null && !/^B/.test(n)) || differs(n, r, policy))
            .sort();
          expect(failed, `record ${r}`).toEqual(expected);
          return;
        }
        FIELDS.forEach(([name], i) => {
          if (differs(name, r, policy))
            expect(ours[i], `${name} of record ${r}: documented difference`).not.toBe(theirs[i]);
          else expect(ours[i], `${name} of record ${r}: Tributary ${ours[i]}, Cobrix ${theirs[i]}`).toBe(theirs[i]);
        });
      });
    });
  }
});

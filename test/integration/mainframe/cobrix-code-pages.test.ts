/**
 * Code pages against Cobrix's own tables (cobol-parser 2.6.9, cobrix/CobrixCodePages.java): the
 * pages only Cobrix names (common, common_extended, cp037_extended) decode every byte as Cobrix
 * does; the IBM pages Cobrix also has differ only where Cobrix departs from IBM's code charts,
 * at the positions listed here (the table in docs/mainframe.md).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { cobrixClasspath } from '../../setup/cobrix.ts';
import { displayTable } from '../../../connectors/mainframe/codec/text.ts';

const COBRIX_PAGES = ['common', 'common_extended', 'cp037_extended'];
/** byte → why Tributary differs (IBM's charts; Cobrix's non-extended pages otherwise make controls spaces as Tributary does). */
const SWAPPED = { 0x0d: 'Cobrix decodes CR (0x0D) as LF', 0x25: 'Cobrix decodes LF (0x25) as CR' };
const IBM_PAGES: Record<string, Record<number, string>> = {
  cp037: { ...SWAPPED, 0x15: 'Cobrix keeps NEL (U+0085), a C1 control Tributary makes a space like the others' },
  cp1047: { ...SWAPPED, 0x41: 'Cobrix decodes NBSP as a space', 0xca: 'Cobrix decodes SHY as a space' },
  cp1025: { ...SWAPPED, 0x41: 'Cobrix decodes NBSP as a space', 0x73: 'Cobrix decodes SHY as a space' },
  cp870: {
    ...SWAPPED,
    0x41: 'Cobrix decodes NBSP as a space',
    0xca: 'Cobrix decodes SHY as a space',
    0x90: 'Cobrix: U+02DA ring above, IBM: U+00B0 degree sign',
    0xb0: 'Cobrix: U+02D9 dot above, IBM: U+00B7 middle dot',
  },
  cp875: {
    ...SWAPPED,
    0x74: 'Cobrix decodes NBSP as a space',
    0xca: 'Cobrix: hyphen-minus, IBM: SHY',
    0xdd: 'Cobrix: U+00B7, IBM: U+0387 Greek ano teleia',
    0xe1: "Cobrix: U+20AF drachma sign, Tributary (CPython's cp875): a space",
    0xec: "Cobrix: U+037A, Tributary (CPython's cp875): a space",
    0xfc: "Cobrix: U+20AC euro sign, Tributary (CPython's cp875): a space",
  },
};

let cobrix: Map<string, number[]>;

beforeAll(() => {
  const out = execFileSync(
    'java',
    ['-cp', cobrixClasspath(), 'CobrixCodePages', ...COBRIX_PAGES, ...Object.keys(IBM_PAGES)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  cobrix = new Map(
    out
      .trim()
      .split('\n')
      .map((l) => {
        const [name, ...v] = l.split(' ');
        return [name, v.map(Number)];
      }),
  );
}, 300_000);

const differences = (page: string) => {
  const ours = displayTable(page);
  return cobrix
    .get(page)!
    .map((c, b) => (c === ours[b] ? -1 : b))
    .filter((b) => b >= 0);
};

describe("Code pages against Cobrix's tables", () => {
  for (const page of COBRIX_PAGES) {
    it(`${page}: every byte decodes as Cobrix decodes it`, () => {
      expect(cobrix.get(page)).toHaveLength(256);
      expect(differences(page)).toEqual([]);
    });
  }
  for (const [page, reasons] of Object.entries(IBM_PAGES)) {
    it(`${page}: differs from Cobrix only where Cobrix departs from IBM's chart`, () => {
      expect(differences(page)).toEqual(
        Object.keys(reasons)
          .map(Number)
          .sort((a, b) => a - b),
      );
    });
  }
});

import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import { codePageKey, codePageTable, ebcdicDecoder, trimText, EBCDIC_CODE_PAGES } from './text.ts';

const REFERENCE = JSON.parse(fs.readFileSync(new URL('./python-reference.json', import.meta.url), 'utf8')) as Record<
  string,
  string
>;
const char = (cp: string, b: number) => String.fromCharCode(codePageTable(cp)[b]);

describe('EBCDIC code page tables', () => {
  it('covers every required code page', () => {
    for (const cp of [
      'cp037',
      'cp273',
      'cp277',
      'cp278',
      'cp280',
      'cp284',
      'cp285',
      'cp297',
      'cp500',
      'cp871',
      'cp875',
      'cp1047',
      'cp1140',
      'cp1141',
      'cp1142',
      'cp1143',
      'cp1144',
      'cp1145',
      'cp1146',
      'cp1147',
      'cp1148',
      'cp1149',
    ]) {
      expect(EBCDIC_CODE_PAGES).toContain(cp);
      expect(codePageTable(cp)).toHaveLength(256);
    }
  });

  // python-reference.json: bytes(range(256)).decode(cp) from CPython 3.11's codecs (Unicode
  // consortium / IBM mapping files), an independent source from the glibc tables.
  it.each(Object.keys(REFERENCE))('%s matches CPython byte for byte', (cp) => {
    const t = codePageTable(cp);
    const ref = REFERENCE[cp];
    for (let b = 0; b < 256; b++) expect([b, t[b]]).toEqual([b, ref.charCodeAt(b)]);
  });

  it('has the invariant EBCDIC characters at the same bytes in every Latin page', () => {
    // IBM CDRA: the "invariant" set — space 40, digits F0-F9, letters C1-C9/D1-D9/E2-E9 and 81-89/91-99/A2-A9
    for (const cp of EBCDIC_CODE_PAGES.filter((c) => c !== 'cp875')) {
      expect(char(cp, 0x40)).toBe(' ');
      for (let d = 0; d < 10; d++) expect(char(cp, 0xf0 + d)).toBe(String(d));
      expect(char(cp, 0xc1) + char(cp, 0xc9) + char(cp, 0xd1) + char(cp, 0xd9) + char(cp, 0xe2) + char(cp, 0xe9)).toBe(
        'AIJRSZ',
      );
      expect(char(cp, 0x81) + char(cp, 0x89) + char(cp, 0x91) + char(cp, 0x99) + char(cp, 0xa2) + char(cp, 0xa9)).toBe(
        'aijrsz',
      );
    }
  });

  // National characters from IBM's code page charts (CCSID 037, 273, 277, 278, 280, 284, 285, 297, 500, 871, 875, 1047).
  it.each([
    ['cp037', 0xba, '['],
    ['cp037', 0xbb, ']'],
    ['cp037', 0x4a, '¢'],
    ['cp037', 0x5b, '$'],
    ['cp037', 0x7c, '@'],
    ['cp273', 0x4a, 'Ä'],
    ['cp273', 0x5a, 'Ü'],
    ['cp273', 0x7c, '§'],
    ['cp277', 0x5b, 'Å'],
    ['cp277', 0x7b, 'Æ'],
    ['cp277', 0x7c, 'Ø'],
    ['cp278', 0x5b, 'Å'],
    ['cp278', 0x7b, 'Ä'],
    ['cp278', 0x7c, 'Ö'],
    ['cp280', 0x7b, '£'],
    ['cp280', 0x5a, 'é'],
    ['cp284', 0x7b, 'Ñ'],
    ['cp284', 0x4a, '['],
    ['cp285', 0x5b, '£'],
    ['cp285', 0x4a, '$'],
    ['cp297', 0x7c, 'à'],
    ['cp297', 0x7b, '£'],
    ['cp500', 0x4a, '['],
    ['cp500', 0x5a, ']'],
    ['cp871', 0x7c, 'Ð'],
    ['cp871', 0x4a, 'þ'],
    ['cp875', 0x41, 'Α'],
    ['cp875', 0x42, 'Β'],
    ['cp1047', 0xad, '['],
    ['cp1047', 0xbd, ']'],
    ['cp1047', 0x5f, '^'],
    ['cp1047', 0xb0, '¬'],
    ['cp275', 0x4a, 'É'],
    ['cp275', 0x7b, 'Õ'],
    ['cp870', 0x4a, '['],
    ['cp1160', 0x4a, '¢'],
  ] as Array<[string, number, string]>)('%s byte %i is %s', (cp, b, c) => {
    expect(char(cp, b)).toBe(c);
  });

  // The euro pages (IBM CCSIDs 1140-1149) are their base page with € replacing the currency sign
  // ¤ (0x9F) or, for the Nordic pages 1142/1143, 0x5A; IBM also swapped É/\ in 1143 and Þ/þ in 1149.
  it.each([
    ['cp1140', 'cp037', 0x9f, []],
    ['cp1141', 'cp273', 0x9f, [0xbc]],
    ['cp1142', 'cp277', 0x5a, []],
    ['cp1143', 'cp278', 0x5a, [0x71, 0xe0]],
    ['cp1144', 'cp280', 0x9f, []],
    ['cp1145', 'cp284', 0x9f, []],
    ['cp1146', 'cp285', 0x9f, [0xa1]],
    ['cp1147', 'cp297', 0x9f, []],
    ['cp1148', 'cp500', 0x9f, []],
    ['cp1149', 'cp871', 0x9f, [0x4a, 0xc0]],
  ] as Array<[string, string, number, number[]]>)('%s is %s with the euro sign', (euro, base, at, known) => {
    const e = codePageTable(euro);
    const b = codePageTable(base);
    expect(String.fromCharCode(e[at])).toBe('€');
    const diffs = [];
    for (let i = 0; i < 256; i++) if (e[i] !== b[i] && i !== at) diffs.push(i);
    expect(diffs).toEqual(known);
  });

  it('decodes text and resolves code page aliases', () => {
    const d = ebcdicDecoder('IBM-037');
    expect(d.decode(Buffer.from('C8C5D3D3D640E6D6D9D3C4', 'hex'), 0, 11)).toBe('HELLO WORLD');
    expect(codePageKey('1047')).toBe('cp1047');
    expect(codePageKey('CP1148')).toBe('cp1148');
    expect(codePageKey('common')).toBe('cp037');
    expect(codePageKey('cp999')).toBeUndefined();
    expect(() => codePageTable('cp999')).toThrow(/Unknown EBCDIC code page "cp999"/);
  });

  it('trims by policy', () => {
    expect(trimText('  ab  ', 'right')).toBe('  ab');
    expect(trimText('  ab  ', 'left')).toBe('ab  ');
    expect(trimText('  ab  ', 'both')).toBe('ab');
    expect(trimText('  ab  ', 'none')).toBe('  ab  ');
    expect(trimText('ab\u0000\u0000', 'right')).toBe('ab');
    expect(trimText('ab\u0000', 'keep_all')).toBe('ab\u0000');
  });
});

describe('control bytes as Cobrix names code pages', () => {
  const bytes = Buffer.from([0xc1, 0x05, 0x0f, 0x25, 0x00, 0x4a, 0xc2]);
  // Cobrix's own pages read 0x25 (IBM's LF) as CR, as Cobrix 2.6.9 does (test/integration/mainframe/cobrix-code-pages.test.ts)
  it('cpNNN turns control characters into spaces, cpNNN_extended keeps them', () => {
    expect(ebcdicDecoder('cp037').decode(bytes, 0, bytes.length)).toBe('A    ¢B');
    expect(ebcdicDecoder('cp037_extended').decode(bytes, 0, bytes.length)).toBe('A\t\u000f\r\u0000¢B');
  });
  it('common keeps printable ASCII only, common_extended all of ASCII', () => {
    expect(ebcdicDecoder('common').decode(bytes, 0, bytes.length)).toBe('A  \r  B');
    expect(ebcdicDecoder('common_extended').decode(bytes, 0, bytes.length)).toBe('A\t\u000f\r\u0000 B');
  });
});

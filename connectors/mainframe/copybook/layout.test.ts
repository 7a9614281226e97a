import { describe, it, expect } from 'vitest';
import { parseLayout, formatLayout, allFields } from './layout.ts';
import type { ParseOptions } from './parser.ts';

const cb = (lines: string[]) => lines.map((l) => `       ${l}`).join('\n');
const at = (src: string, o?: ParseOptions) =>
  Object.fromEntries(allFields(parseLayout(src, o)).map((f) => [f.path, [f.offset, f.size]]));

describe('record layout', () => {
  it('computes offsets and sizes for every usage', () => {
    // sizes per IBM Enterprise COBOL "Computational items": COMP 1-4 digits 2 bytes, 5-9 4, 10-18 8;
    // COMP-3 floor(n/2)+1; COMP-1 4; COMP-2 8; SIGN SEPARATE adds a byte; N is 2 bytes a character
    expect(
      at(
        cb([
          '01  R.',
          '    05  A   PIC X(3).',
          '    05  B   PIC S9(4) COMP.',
          '    05  C   PIC S9(9) COMP-5.',
          '    05  D   PIC S9(18) BINARY.',
          '    05  E   PIC S9(7)V99 COMP-3.',
          '    05  F   PIC 9(4) COMP-3.',
          '    05  G   COMP-1.',
          '    05  H   COMP-2.',
          '    05  I   PIC S9(5) SIGN LEADING SEPARATE.',
          '    05  J   PIC N(4).',
          '    05  K   PIC ZZ,ZZ9.99-.',
        ]),
      ),
    ).toEqual({
      R: [0, 61],
      'R.A': [0, 3],
      'R.B': [3, 2],
      'R.C': [5, 4],
      'R.D': [9, 8],
      'R.E': [17, 5],
      'R.F': [22, 3],
      'R.G': [25, 4],
      'R.H': [29, 8],
      'R.I': [37, 6],
      'R.J': [43, 8],
      'R.K': [51, 10],
    });
  });

  it('applies group USAGE to the items of the group', () => {
    expect(
      at(
        cb(['01  R.', '    05  G COMP-3.', '        10  A PIC S9(5).', '        10  B PIC S9(3).', '    05  C PIC X.']),
      ),
    ).toEqual({
      R: [0, 6],
      'R.G': [0, 5],
      'R.G.A': [0, 3],
      'R.G.B': [3, 2],
      'R.C': [5, 1],
    });
  });

  it('lays REDEFINES over the redefined item and sizes the group by the largest', () => {
    expect(
      at(
        cb([
          '01  R.',
          '    05  A PIC X(4).',
          '    05  B REDEFINES A PIC 9(2).',
          '    05  C REDEFINES A.',
          '        10 C1 PIC X(6).',
          '    05  D PIC X.',
        ]),
      ),
    ).toEqual({
      R: [0, 7],
      'R.A': [0, 4],
      'R.B': [0, 2],
      'R.C': [0, 6],
      'R.C.C1': [0, 6],
      'R.D': [6, 1],
    });
  });

  it('sizes OCCURS (incl. DEPENDING ON at its maximum) and nests them', () => {
    const l = parseLayout(
      cb([
        '01  R.',
        '    05  N    PIC 9(2).',
        '    05  T    OCCURS 1 TO 3 TIMES DEPENDING ON N.',
        '        10  M    PIC 9.',
        '        10  U    OCCURS 2 TIMES.',
        '            15  V  PIC X(2).',
        '    05  Z    PIC X.',
      ]),
    );
    const f = Object.fromEntries(allFields(l).map((x) => [x.path, x]));
    expect([f['R.T'].offset, f['R.T'].size, f['R.T'].occurs]).toEqual([2, 5, { min: 1, max: 3, dependingOn: 'N' }]);
    expect([f['R.T.U'].offset, f['R.T.U'].size]).toEqual([3, 2]);
    expect(f['R.Z'].offset).toBe(17);
    expect(f['R.N'].isDependee).toBe(true);
    expect(l.size).toBe(18);
  });

  it('inserts slack bytes before SYNC binary items', () => {
    // SYNC aligns a halfword on 2, a fullword on 4 and a doubleword on 8 bytes from the record start
    expect(
      at(
        cb([
          '01  R.',
          '    05  A PIC X.',
          '    05  B PIC S9(4) COMP SYNC.',
          '    05  C PIC X.',
          '    05  D PIC S9(9) COMP SYNC.',
          '    05  E PIC X.',
          '    05  F PIC S9(18) COMP SYNC.',
        ]),
        { extensions: new Set(['sync']) },
      ),
    ).toEqual({
      R: [0, 24],
      'R.A': [0, 1],
      'R.B': [2, 2],
      'R.C': [4, 1],
      'R.D': [8, 4],
      'R.E': [12, 1],
      'R.F': [16, 8],
    });
  });

  it('puts several 01 records at offset 0 and resolves level-66 RENAMES', () => {
    const l = parseLayout(
      cb([
        '01  A.',
        '    05  A1 PIC X(4).',
        '    05  A2 PIC X(2).',
        '01  B.',
        '    05  B1 PIC X(10).',
        '66  A-ALL RENAMES A1 THRU A2.',
      ]),
      { extensions: new Set(['renames']) },
    );
    expect(l.records.map((r) => [r.name, r.offset, r.size])).toEqual([
      ['A', 0, 6],
      ['B', 0, 10],
    ]);
    expect(l.size).toBe(10);
    expect(l.renames).toEqual([{ name: 'A-ALL', fieldName: 'A_ALL', offset: 0, size: 6, from: 'A1', thru: 'A2' }]);
  });

  it('rejects layouts that cannot be stored', () => {
    expect(() => parseLayout(cb(['01  R.', '    05  A PIC X.', '    05  B REDEFINES Q PIC X.']))).toThrow(
      'Copybook syntax error at line 3, column 16: expected B to REDEFINES an earlier item at the same level, but Q is not one',
    );
    expect(() => parseLayout(cb(['01  R.', '    05  A OCCURS 2 DEPENDING ON NOPE PIC X.']))).toThrow(
      /expected OCCURS DEPENDING ON NOPE of A to name a data item of the copybook/,
    );
    expect(() => parseLayout(cb(['01  R.', '    05  A PIC X(2) COMP-3.']))).toThrow(
      /expected USAGE DISPLAY \(or Cobrix's COMP, COMP-3U\) for alphanumeric item A \(PIC X\(2\)\) but found COMP-3/,
    );
    expect(() => parseLayout(cb(['01  R.', '    05  A.']))).toThrow(/expected at least one field with storage/);
  });

  it('rejects what Cobrix rejects: REDEFINES outside the block before it, group/item USAGE conflicts, its size limits', () => {
    expect(() =>
      parseLayout(cb(['01  R.', '    05  A PIC X(3).', '    05  B PIC X.', '    05  C REDEFINES A PIC X.'])),
    ).toThrow(
      'Copybook syntax error at line 4, column 16: expected C to REDEFINES the item just before it (or an item its REDEFINES block redefines), but A is not part of that block',
    );
    expect(() =>
      parseLayout(
        cb(['01  R.', '    05  A PIC X(3).', '    05  B REDEFINES A PIC X.', '    05  C REDEFINES A PIC X(2).']),
      ),
    ).not.toThrow();
    expect(() => parseLayout(cb(['01  R.', '    05  G COMP-3.', '      10  A PIC 9(3) COMP.']))).toThrow(
      /line 3, column 18: expected the USAGE of A \(COMP\) to match the USAGE of its group G \(COMP-3\)/,
    );
    expect(() => parseLayout(cb(['01  R.', '    05  A PIC 9(39)V9.']))).toThrow(
      /line 2, column 16: expected a decimal of at most 38 digits/,
    );
    expect(() => parseLayout(cb(['01  R.', '    05  A PIC V9(19).']))).toThrow(
      /expected a decimal scale of at most 18/,
    );
    expect(() => parseLayout(cb(['01  R.', '    05  A PIC 9(39) COMP.']))).toThrow(
      /expected a binary item of at most 38 digits/,
    );
    expect(() => parseLayout(cb(['01  R.', '    05  A PIC X(100000).']))).toThrow(
      /expected at most 99999 character positions/,
    );
    expect(parseLayout(cb(['01  R.', '    05  A PIC X(99999).'])).size).toBe(99999);
  });

  it("reads Cobrix's extensions: no level-01 root, PIC X COMP and COMP-3U, items without storage, names as written", () => {
    const noRoot = parseLayout(
      cb(['05  N PIC 9.', '05  G.', '    10  A PIC X(2).', '05  H REDEFINES G PIC X(2).', '05  Z PIC X.']),
    );
    expect(noRoot.records.map((r) => [r.name, r.offset, r.size])).toEqual([
      ['N', 0, 1],
      ['G', 1, 2],
      ['H', 1, 2],
      ['Z', 3, 1],
    ]);
    expect(noRoot.size).toBe(4);
    const ext = parseLayout(
      cb([
        '01  Rec.',
        '    05  Raw PIC X(4) COMP.',
        '    05  P PIC X(3) COMPUTATIONAL-3U.',
        '    05  EMPTY.',
        '    05  :PFX:-B PIC X.',
      ]),
    );
    const [raw, p, b] = ext.records[0].children;
    expect(raw.type).toEqual({ kind: 'bytes', length: 4 });
    expect(p.type).toEqual({ kind: 'packed', digits: 6, scale: 0, signed: false, noSign: true });
    expect([ext.records[0].fieldName, raw.fieldName, raw.name, b.fieldName, b.offset]).toEqual([
      'Rec',
      'Raw',
      'RAW',
      'PFX_B',
      7,
    ]);
    expect(() => parseLayout(cb(['05  A PIC X.', '01  R.', '    05  B PIC X.']))).toThrow(
      /expected no level 1 after top-level items without a level-01 root/,
    );
  });

  it('sizes binary items of more than 18 digits as Cobrix does (enough bytes for the digits and a sign bit)', () => {
    const l = parseLayout(
      cb(['01  R.', '    05  A PIC 9(19) COMP.', '    05  B PIC 9(20) COMP.', '    05  C PIC S9(37) COMP.']),
    );
    expect(l.records[0].children.map((f) => f.size)).toEqual([9, 9, 16]);
  });

  it('prints a layout table', () => {
    const text = formatLayout(
      parseLayout(
        cb([
          '01  R.',
          '    05  ID PIC 9(5) COMP-3.',
          '    05  NAMES OCCURS 2 TIMES.',
          '        10  NM PIC X(3).',
          '    05  ALT REDEFINES NAMES PIC X(6).',
        ]),
      ),
    );
    expect(text).toBe(
      [
        'LEVEL NAME     TYPE         FLAGS     START  END  LENGTH',
        '01 R           GROUP                      1    9       9',
        '  05 ID        COMP-3 9(5)                1    3       3',
        '  05 NAMES[2]  GROUP                      4    9       6',
        '    10 NM      X(3)                       4    6       3',
        '  05 ALT       X(6)         R(NAMES)      4    9       6',
        '',
      ].join('\n'),
    );
  });
});

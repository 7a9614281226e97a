import { describe, it, expect } from 'vitest';
import { parseCopybook } from './parser.ts';
import { parsePicture } from './picture.ts';
import { tokenize } from './lexer.ts';
import { CopybookSyntaxError } from './errors.ts';

const fixed = (lines: string[]) =>
  lines.map((l) => (l.startsWith('*') || l.startsWith('-') ? `      ${l}` : `       ${l}`)).join('\n');

describe('lexer', () => {
  it('honours the fixed-format areas: sequence 1-6, indicator 7, text 8-72, ignored 73-80', () => {
    const src = [
      '000100 01  REC.                                                         SEQ00001',
      '000200*    05  COMMENTED   PIC X.',
      '000300/    page eject comment',
      '000400D    05  DEBUG-LINE  PIC X.',
      '000500     05  A           PIC X(3).                                    IGNORED!',
    ].join('\n');
    const words = tokenize(src, 'fixed').map((t) => t.text);
    expect(words).toEqual(['01', 'REC', '.', '05', 'A', 'PIC', 'X(3)', '.']);
    const a = tokenize(src, 'fixed').find((t) => t.text === 'A')!;
    expect([a.line, a.column]).toEqual([5, 16]);
  });

  it('continues words and alphanumeric literals on "-" lines', () => {
    const src = [
      '       01  REC.',
      "           05  A   PIC X(40) VALUE 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCD",
      "      -    'EFG'.",
      "           05  B   PIC X(40) VALUE 'SHORT LITERAL",
      "      -    'END'.",
      '           05  LONG-NA',
      '      -        ME PIC X.',
    ].join('\n');
    const toks = tokenize(src, 'fixed');
    const lit = toks.find((t) => t.kind === 'literal')!;
    // the first line's literal is cut at column 72 ("ABCD" is in 73-76), then resumes after the quote
    expect(lit.text).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789EFG');
    // a literal ending before column 72 includes the blanks up to column 72
    expect(toks.filter((t) => t.kind === 'literal')[1].text).toBe('SHORT LITERAL' + ' '.repeat(72 - 49) + 'END');
    expect(toks.map((t) => t.text)).toContain('LONG-NAME');
  });

  it('reads free format with *> comments', () => {
    const toks = tokenize("01 REC. *> the record\n* full line comment\n  05 A PIC X(2) VALUE 'A*>B'.", 'free');
    expect(toks.map((t) => t.text)).toEqual(['01', 'REC', '.', '05', 'A', 'PIC', 'X(2)', 'VALUE', 'A*>B', '.']);
  });

  it('keeps periods and commas inside PICTURE strings', () => {
    expect(tokenize('01 A PIC ZZ,ZZ9.99-.', 'free').map((t) => t.text)).toEqual(['01', 'A', 'PIC', 'ZZ,ZZ9.99-', '.']);
  });
});

describe('PICTURE strings', () => {
  it.each([
    ['X(10)', 'alphanumeric', 0, 0, false, 10],
    ['A(3)', 'alphabetic', 0, 0, false, 3],
    ['S9(7)V99', 'numeric', 9, 2, true, 9],
    ['9(3)V9(2)', 'numeric', 5, 2, false, 5],
    ['SV9(3)', 'numeric', 3, 3, true, 3],
    ['PPP999', 'numeric', 3, 6, false, 3],
    ['S999PP', 'numeric', 3, -2, true, 3],
    ['N(5)', 'national', 0, 0, false, 5],
    ['ZZ,ZZ9.99-', 'numeric-edited', 7, 2, true, 10],
    ['$$$,$$9.99CR', 'numeric-edited', 7, 2, true, 12],
    ['***9', 'numeric-edited', 4, 0, false, 4],
    ['Z(6)VZZ-', 'numeric-edited', 8, 2, true, 9],
    ['XXBXX', 'alphanumeric-edited', 0, 0, false, 5],
  ] as const)('%s', (pic, category, digits, scale, signed, length) => {
    const p = parsePicture(pic);
    expect({
      category: p.category,
      digits: p.digits,
      scale: p.scale,
      signed: p.signed,
      length: p.displayLength,
    }).toEqual({ category, digits, scale, signed, length });
  });
  it('rejects malformed pictures', () => {
    expect(() => parsePicture('9(0)')).toThrow(/invalid repetition factor "0"/);
    expect(() => parsePicture('X(3')).toThrow(/unclosed repetition factor/);
    expect(() => parsePicture('9V9V9')).toThrow(/more than one V/);
    expect(() => parsePicture('9Q')).toThrow(/invalid character 'Q'/);
  });
});

describe('copybook parser', () => {
  it('builds the level tree with clauses, 88 conditions and 66 renames', () => {
    const ast = parseCopybook(
      fixed([
        '01  CUSTOMER.',
        '    05  ID          PIC 9(6) USAGE IS PACKED-DECIMAL.',
        '    05  STATUS      PIC X VALUE SPACE.',
        "        88  ACTIVE  VALUE 'A'.",
        "        88  CLOSED  VALUES ARE 'C' 'X' THRU 'Z'.",
        '    05  BAL         PIC S9(5)V99 COMP-3 VALUE -12.5.',
        '    05  CNT         PIC S9(4) BINARY SYNC.',
        '    05  TBL OCCURS 1 TO 10 TIMES DEPENDING ON CNT',
        '                ASCENDING KEY IS K INDEXED BY IX.',
        '        10  K       PIC X(2).',
        '    05  AMT         PIC S9(5) SIGN IS LEADING SEPARATE CHARACTER.',
        '    05  TBL2 REDEFINES TBL PIC X(20).',
        '    05  FILLER      PIC X(3).',
        '    05              PIC X(2).',
        '    05  NAME        PIC X(10) JUSTIFIED RIGHT.',
        '    05  ED          PIC ZZ9 BLANK WHEN ZERO.',
        '66  ID-AND-STATUS RENAMES ID THRU STATUS.',
        '77  STANDALONE      PIC 9(3) COMP.',
      ]),
      { extensions: new Set(['renames', 'sync']) },
    );
    expect(ast.records.map((r) => r.name)).toEqual(['CUSTOMER', 'STANDALONE']);
    const c = ast.records[0].children;
    expect(c.map((x) => x.name)).toEqual([
      'ID',
      'STATUS',
      'BAL',
      'CNT',
      'TBL',
      'AMT',
      'TBL2',
      'FILLER',
      'FILLER',
      'NAME',
      'ED',
    ]);
    expect(c[0].usage).toBe('COMP-3');
    expect(c[1].conditions).toEqual([
      { name: 'ACTIVE', values: [{ from: { kind: 'string', value: 'A' } }], line: 4 },
      {
        name: 'CLOSED',
        values: [
          { from: { kind: 'string', value: 'C' } },
          { from: { kind: 'string', value: 'X' }, thru: { kind: 'string', value: 'Z' } },
        ],
        line: 5,
      },
    ]);
    expect(c[1].value).toEqual([{ from: { kind: 'figurative', value: 'SPACE' } }]);
    expect(c[2].value).toEqual([{ from: { kind: 'number', value: '-12.5' } }]);
    expect(c[3].sync).toBe(true);
    expect(c[4].occurs).toEqual({ min: 1, max: 10, dependingOn: 'CNT' });
    expect(c[5]).toMatchObject({ signPosition: 'leading', signSeparate: true });
    expect(c[6].redefines).toBe('TBL');
    expect(c[7].filler && c[8].filler).toBe(true);
    expect(c[9].justified).toBe(true);
    expect(c[10].blankWhenZero).toBe(true);
    expect(ast.renames).toEqual([{ name: 'ID-AND-STATUS', from: 'ID', thru: 'STATUS', line: 17 }]);
  });

  it('rejects RENAMES and SYNC as Cobrix does unless copybook.extensions names them', () => {
    const renames = fixed(['01  R.', '    05  A PIC X.', '    05  B PIC X.', '66  AB RENAMES A THRU B.']);
    const sync = fixed(['01  R.', '    05  A PIC X.', '    05  B PIC S9(4) COMP SYNC.']);
    expect(() => parseCopybook(renames)).toThrow(
      'Copybook syntax error at line 4, column 8: Level 66 (RENAMES) is not accepted by default: Cobrix 2.6.9 rejects it. To read level 66 RENAMES (kept as layout metadata: name, offset and size of the items renamed), set copybook.extensions=renames (CLI: --option copybook.extensions=renames)',
    );
    expect(() => parseCopybook(sync)).toThrow(
      'Copybook syntax error at line 3, column 33: The SYNC clause is not accepted by default: Cobrix 2.6.9 rejects it. To read SYNCHRONIZED (slack bytes placed before binary and floating items as IBM COBOL does), set copybook.extensions=sync (CLI: --option copybook.extensions=sync)',
    );
    // each extension turns on its own clause only
    expect(() => parseCopybook(sync, { extensions: new Set(['renames']) })).toThrow(/SYNC clause/);
    expect(() => parseCopybook(renames, { extensions: new Set(['sync']) })).toThrow(/Level 66/);
    expect(() => parseCopybook(sync, { format: 'auto' })).toThrow(/line 3, column 33: The SYNC clause/);
    expect(parseCopybook(renames, { extensions: new Set(['renames']) }).renames).toHaveLength(1);
    expect(parseCopybook(sync, { extensions: new Set(['sync']) }).records[0].children[1].sync).toBe(true);
  });

  it('detects the format with auto: fixed when valid, else free', () => {
    expect(parseCopybook('01 A.\n 05 B PIC X.', { format: 'auto' }).records[0].children.map((c) => c.name)).toEqual([
      'B',
    ]);
    const fixedSrc = '000100 01 A.\n000200     05 B PIC X.';
    expect(parseCopybook(fixedSrc, { format: 'auto' }).records[0].children.map((c) => c.name)).toEqual(['B']);
    expect(() => parseCopybook('01 A.\n 05 B PIC X FOO.', { format: 'auto' })).toThrow(
      /^Copybook syntax error at line 2, column 13: expected a clause .* but found 'FOO'$/,
    );
  });

  it('accepts clauses split over lines, tabs, COMP-0 and bare OCCURS DEPENDING', () => {
    const ast = parseCopybook(
      [
        '       01  R.',
        '           05  N        PIC S9(9) SIGN IS',
        '\t\t                   TRAILING SEPARATE.',
        '           05  B        PIC 9(3) COMP-0.',
        '           05  T OCCURS 5 DEPENDING ON B PIC X.',
      ].join('\n'),
    );
    expect(ast.records[0].children.map((c) => [c.name, c.usage ?? 'DISPLAY'])).toEqual([
      ['N', 'DISPLAY'],
      ['B', 'COMP'],
      ['T', 'DISPLAY'],
    ]);
    expect(ast.records[0].children[2].occurs).toEqual({ min: 0, max: 5, dependingOn: 'B' });
  });

  const err = (src: string, format: 'fixed' | 'free' = 'free'): CopybookSyntaxError => {
    try {
      parseCopybook(src, { format });
    } catch (e) {
      if (e instanceof CopybookSyntaxError) return e;
      throw e;
    }
    throw new Error('expected a syntax error');
  };

  it('names line, column and what was expected', () => {
    expect(err('01 A.\n  05 B PIC X(3) FOO.').message).toBe(
      "Copybook syntax error at line 2, column 17: expected a clause (PIC, USAGE, COMP..., REDEFINES, OCCURS, SIGN, SYNC, VALUE, JUSTIFIED, BLANK WHEN ZERO) or '.' but found 'FOO'",
    );
    expect(err('01 A.\n  05 B PIC X(3)\n  05 C PIC X.').message).toBe(
      "Copybook syntax error at line 3, column 3: expected '.' ending the entry for B (line 2) but found '05'",
    );
    expect(err('01 A.\n  05 B PIC X(3).\n  B PIC X.').message).toBe(
      "Copybook syntax error at line 3, column 3: expected a level number (01-49, 66, 77 or 88) but found 'B'",
    );
    expect(err('01 A.\n  55 B PIC X.').message).toBe(
      "Copybook syntax error at line 2, column 3: expected a level number (01-49, 66, 77 or 88) but found '55'",
    );
    expect(err('01 A.\n  05 B PIC 9(3)Q.').message).toBe(
      "Copybook syntax error at line 2, column 12: expected a valid PICTURE string: invalid character 'Q' in PIC 9(3)Q",
    );
    expect(err('01 A.\n  05 B USAGE IS COMP-7.').message).toBe(
      "Copybook syntax error at line 2, column 17: expected a USAGE (DISPLAY, COMP, COMP-1, COMP-2, COMP-3, COMP-4, COMP-5, BINARY, PACKED-DECIMAL, NATIONAL) but found 'COMP-7'",
    );
    expect(err('01 A.\n  05 B PIC X OCCURS TIMES.').message).toBe(
      "Copybook syntax error at line 2, column 21: expected the number of occurrences after OCCURS but found 'TIMES'",
    );
    expect(err("01 A.\n  05 B PIC X VALUE 'abc").message).toMatch(
      /^Copybook syntax error at line 2, column \d+: expected a closing quote \('\) for the alphanumeric literal$/,
    );
    expect(err('01 A.\n  05 B PIC X.\n  88 FLAG.').message).toBe(
      "Copybook syntax error at line 3, column 10: expected VALUE or VALUES in the level-88 condition but found '.'",
    );
    expect(err('01 A.\n  05 B PIC X').message).toBe(
      "Copybook syntax error at line 2, column 13: expected '.' ending the entry for B but the copybook ended",
    );
    // column 7 is text when it holds no indicator (copybooks starting in column 7, as Cobrix reads them)
    expect(err('       01 A.\n      X    05 B PIC X.', 'fixed').message).toBe(
      "Copybook syntax error at line 2, column 7: expected a level number (01-49, 66, 77 or 88) but found 'X'",
    );
    expect(err('01 A.\n  05 B PIC X.\n    10 C PIC X.').message).toBe(
      'Copybook syntax error at line 3, column 5: expected a level number at most 5 because B (line 2) is an elementary item with a PICTURE, but found level 10',
    );
  });
});

describe('copybook syntax as Cobrix reads it', () => {
  it('reads a usage written against the picture, and names with @ and :', () => {
    const ast = parseCopybook(
      '01 R.\n  05 A PICTURE S9(6)USAGE COMP.\n  05 B PIC 9(4)COMP-3.\n  05 C@D PIC X.\n  05 E:F PIC X.',
      { format: 'free' },
    );
    const [a, b, c, e] = ast.records[0].children;
    expect([a.picture?.source, a.usage, b.picture?.source, b.usage]).toEqual(['S9(6)', 'COMP', '9(4)', 'COMP-3']);
    expect([c.name, e.name]).toEqual(['C@D', 'E:F']);
  });

  it.each([
    ['+9(8)+', 'only one sign symbol is allowed'],
    ['++9(8)+', 'a floating sign string and a sign at the right end cannot both be given'],
    [
      '9+(8)',
      'a floating sign string must be at the left end|the sign symbol must be at the left or right end|the sign symbols must form one floating string',
    ],
    ['+9(5)CR', 'cannot be combined with CR or DB'],
    ['9(3)+9', 'the sign symbol must be at the left or right end'],
  ])('rejects PIC %s', (pic, message) => {
    expect(() => parsePicture(pic)).toThrow(new RegExp(message));
  });

  it.each(['+9(5)', '9(5)-', '+++9.99', '---,--9.99', '$$$9.99-', 'Z(5)9.99'])('accepts PIC %s', (pic) => {
    expect(parsePicture(pic).category).toBe('numeric-edited');
  });
});

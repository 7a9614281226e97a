/**
 * Copybook syntax cases written for the parity suite (in this project's words, after the syntax
 * Cobrix's parser accepts and rejects): Cobrix's layout table (or its rejection) is the
 * expectation. `same`: Tributary prints the same layout, or rejects what Cobrix rejects.
 */
export interface SyntaxCase {
  id: string;
  copybook: string;
  expect: 'same' | { differs: string } | { notYet: string };
}

export const SYNTAX_CASES: SyntaxCase[] = [
  { id: 'absurd', copybook: '       01  R.\n           05  A PIC X(999999999999).\n', expect: 'same' },
  {
    id: 'at_name',
    copybook: '       01  R.\n           05  A@B PIC X(2).\n           05  C:D PIC 9(2).\n',
    expect: 'same',
  },
  { id: 'bigbin', copybook: '       01  R.\n           05  A PIC S9(25) COMP.\n', expect: 'same' },
  { id: 'blank_zero', copybook: '       01  R.\n           05  A PIC 9(4) BLANK WHEN ZERO.\n', expect: 'same' },
  { id: 'col7', copybook: '      01 RECORD.\n         05 A PIC X(3).\n         05 B PIC 9(4).\n', expect: 'same' },
  {
    id: 'comp1pic',
    copybook: '       01  R.\n           05  A COMP-1.\n           05  B PIC 9(4) COMP-2.\n',
    expect: 'same',
  },
  {
    id: 'comp3sep',
    copybook: '       01  R.\n           05  A PIC S9(5) COMP-3 SIGN LEADING SEPARATE.\n',
    expect: 'same',
  },
  {
    id: 'comp3u',
    copybook: '       01  R.\n           05  A PIC 9(5) COMP-3U.\n           05  B PIC 9(4) COMP-9.\n',
    expect: 'same',
  },
  { id: 'dotcomma', copybook: '       01  R.\n           05  A PIC 9(4),99.\n', expect: 'same' },
  {
    id: 'lead_sign',
    copybook:
      '       01  R.\n           05  A PIC -9(5).\n           05  B PIC 9(5)-.\n           05  C PIC +9(3).99.\n',
    expect: 'same',
  },
  {
    id: 'multi01',
    copybook: '       01  R1.\n           05  A PIC X(2).\n       01  R2.\n           05  B PIC X(4).\n',
    expect: {
      differs:
        'several 01 records: Tributary overlays them at offset 0 (IBM: the records of a file share one record area), Cobrix lays them out one after another',
    },
  },
  { id: 'national', copybook: '       01  R.\n           05  A PIC N(4).\n', expect: 'same' },
  { id: 'nine_plus', copybook: '       01  R.\n           05  A PIC 9+(8).\n', expect: 'same' },
  { id: 'noroot', copybook: '       05  A PIC X(2).\n       05  B PIC 9(2).\n', expect: 'same' },
  {
    id: 'noroot_nested',
    copybook:
      '       10  N PIC 9(2).\n       10  T OCCURS 3 DEPENDING ON N.\n          15  A PIC X.\n       10  U REDEFINES T PIC X(3).\n',
    expect: 'same',
  },
  { id: 'empty_item', copybook: '       01  R.\n           05  A.\n           05  B PIC X(2).\n', expect: 'same' },
  {
    id: 'redefines_block',
    copybook:
      '       01  R.\n           05  A PIC X(3).\n           05  B PIC X(2).\n           05  C REDEFINES A PIC X(3).\n',
    expect: 'same',
  },
  {
    id: 'redefines_chain',
    copybook:
      '       01  R.\n           05  A PIC X(3).\n           05  B REDEFINES A PIC X(2).\n           05  C REDEFINES B PIC X(4).\n',
    expect: 'same',
  },
  {
    id: 'usage_mismatch',
    copybook: '       01  R.\n           05  G COMP-3.\n              10  A PIC 9(7) COMP.\n',
    expect: 'same',
  },
  { id: 'big_decimal', copybook: '       01  R.\n           05  A PIC 9(39)V9(2).\n', expect: 'same' },
  { id: 'big_scale', copybook: '       01  R.\n           05  A PIC 9(2)V9(19).\n', expect: 'same' },
  { id: 'big_field', copybook: '       01  R.\n           05  A PIC X(100001).\n', expect: 'same' },
  { id: 'max_field', copybook: '       01  R.\n           05  A PIC X(100000).\n', expect: 'same' },
  { id: 'largest_field', copybook: '       01  R.\n           05  A PIC X(99999).\n', expect: 'same' },
  { id: 'empty_record', copybook: '       01  R.\n           05  A.\n', expect: 'same' },
  { id: 'big_binary', copybook: '       01  R.\n           05  A PIC 9(39) COMP.\n', expect: 'same' },
  {
    id: 'mixed_case',
    copybook: '       01  Rec.\n           05  IntValue PIC 9(4) COMP.\n           05  cnt-2 PIC 9.\n',
    expect: 'same',
  },
  {
    id: 'stray_bar',
    copybook: '       01  R.\n           05  A PIC X(2).\n      |\n           05  B PIC X.       |\n',
    expect: 'same',
  },
  { id: 'colon_name', copybook: '       01  :PFX:-REC.\n           05  :PFX:-A PIC X(2).\n', expect: 'same' },
  {
    id: 'edited_sign_separate',
    copybook:
      '       01  R.\n           05  A PIC S9(2).9(2) SIGN IS TRAILING SEPARATE.\n           05  B PIC S9(2).9(2) SIGN IS LEADING SEPARATE.\n',
    expect: 'same',
  },
  {
    id: 'comp3u_x',
    copybook: '       01  R.\n           05  A PIC X(4) COMP-3U.\n           05  B PIC 9(4)V99 COMPUTATIONAL-3U.\n',
    expect: 'same',
  },
  {
    id: 'occurs_dep',
    copybook: '       01  R.\n           05  N PIC 9.\n           05  T OCCURS 1 TO 5 DEPENDING ON N PIC X(2).\n',
    expect: 'same',
  },
  {
    id: 'pic_p',
    copybook: '       01  R.\n           05  A PIC 9(3)PP.\n           05  B PIC PP9(2).\n',
    expect: 'same',
  },
  { id: 'plus_both', copybook: '       01  R.\n           05  A PIC +9(8)+.\n', expect: 'same' },
  {
    id: 'renames',
    copybook: '       01  R.\n           05  A PIC X.\n           05  B PIC X.\n       66  AB RENAMES A THRU B.\n',
    // rejected by both (copybook.extensions=renames reads it)
    expect: 'same',
  },
  {
    id: 'sync',
    copybook: '       01  R.\n           05  A PIC X.\n           05  B PIC S9(4) COMP SYNC.\n',
    // rejected by both (copybook.extensions=sync reads it)
    expect: 'same',
  },
  {
    id: 'usagenospace',
    copybook: '       01  R.\n           05  A PICTURE S9(6)USAGE COMP.\n           05  B PIC X.\n',
    expect: 'same',
  },
  {
    id: 'value88',
    copybook:
      "       01  R.\n           05  A PIC X.\n              88 A-OK VALUE 'Y'.\n           05  B PIC S9(3)V99 COMP-3 VALUE ZERO.\n",
    expect: 'same',
  },
  { id: 'xcomp', copybook: '       01  R.\n           05  A PIC X(4) COMP.\n', expect: 'same' },
  {
    id: 'zpic',
    copybook: '       01  R.\n           05  A PIC Z(5)9.99.\n           05  B PIC ZZZ9.\n',
    expect: 'same',
  },
];

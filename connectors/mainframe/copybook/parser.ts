/**
 * Copybook parser: tokens → data description entries → a tree by level numbers. Every syntax
 * error names the line, column and what was expected.
 */
import { CopybookSyntaxError } from './errors.ts';
import { tokenize, type SourceFormat, type Token } from './lexer.ts';
import { parsePicture, PictureError } from './picture.ts';
import { extensionNotEnabled, type CopybookExtension } from './extensions.ts';
import type { CopybookAst, CopybookEntry, ConditionName, Literal, RenamesEntry, Usage, ValueRange } from './ast.ts';

const USAGES: Record<string, Usage> = {
  DISPLAY: 'DISPLAY',
  'DISPLAY-1': 'DISPLAY-1',
  COMP: 'COMP',
  COMPUTATIONAL: 'COMP',
  'COMP-0': 'COMP',
  'COMPUTATIONAL-0': 'COMP',
  'COMP-4': 'COMP',
  'COMPUTATIONAL-4': 'COMP',
  BINARY: 'COMP',
  'COMP-1': 'COMP-1',
  'COMPUTATIONAL-1': 'COMP-1',
  'COMP-2': 'COMP-2',
  'COMPUTATIONAL-2': 'COMP-2',
  'COMP-3': 'COMP-3',
  'COMPUTATIONAL-3': 'COMP-3',
  'PACKED-DECIMAL': 'COMP-3',
  // Cobrix's extensions: packed without a sign nibble, little-endian binary
  'COMP-3U': 'COMP-3U',
  'COMPUTATIONAL-3U': 'COMP-3U',
  'COMP-9': 'COMP-9',
  'COMPUTATIONAL-9': 'COMP-9',
  'COMP-5': 'COMP-5',
  'COMPUTATIONAL-5': 'COMP-5',
  NATIONAL: 'NATIONAL',
  INDEX: 'INDEX',
  POINTER: 'POINTER',
};

const FIGURATIVE: Record<string, Extract<Literal, { kind: 'figurative' }>['value']> = {
  ZERO: 'ZERO',
  ZEROS: 'ZERO',
  ZEROES: 'ZERO',
  SPACE: 'SPACE',
  SPACES: 'SPACE',
  'HIGH-VALUE': 'HIGH-VALUE',
  'HIGH-VALUES': 'HIGH-VALUE',
  'LOW-VALUE': 'LOW-VALUE',
  'LOW-VALUES': 'LOW-VALUE',
  QUOTE: 'QUOTE',
  QUOTES: 'QUOTE',
  NULL: 'NULL',
  NULLS: 'NULL',
};

const CLAUSE_WORDS = new Set([
  'PIC',
  'PICTURE',
  'USAGE',
  'REDEFINES',
  'OCCURS',
  'SIGN',
  'LEADING',
  'TRAILING',
  'SYNC',
  'SYNCHRONIZED',
  'VALUE',
  'VALUES',
  'JUSTIFIED',
  'JUST',
  'BLANK',
  'GLOBAL',
  'EXTERNAL',
  'RENAMES',
  'IS',
  ...Object.keys(USAGES),
]);

const EXPECTED_CLAUSE =
  "a clause (PIC, USAGE, COMP..., REDEFINES, OCCURS, SIGN, SYNC, VALUE, JUSTIFIED, BLANK WHEN ZERO) or '.'";

class TokenStream {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(ahead = 0): Token | undefined {
    return this.tokens[this.i + ahead];
  }
  next(): Token | undefined {
    return this.tokens[this.i++];
  }
  atEnd(): boolean {
    return this.i >= this.tokens.length;
  }
  isWord(...words: string[]): boolean {
    const t = this.peek();
    return t !== undefined && t.kind === 'word' && words.includes(t.upper);
  }
  skipWord(...words: string[]): boolean {
    if (this.isWord(...words)) {
      this.i++;
      return true;
    }
    return false;
  }
  last(): Token | undefined {
    return this.tokens[Math.max(0, this.i - 1)];
  }
  fail(expected: string): never {
    const t = this.peek();
    if (!t) {
      const last = this.last();
      throw new CopybookSyntaxError(
        last?.line ?? 1,
        (last?.column ?? 0) + (last?.text.length ?? 0),
        `expected ${expected} but the copybook ended`,
      );
    }
    const found = t.kind === 'period' ? "'.'" : t.kind === 'literal' ? `literal '${t.text}'` : `'${t.text}'`;
    throw new CopybookSyntaxError(t.line, t.column, `expected ${expected} but found ${found}`);
  }
  word(expected: string): Token {
    const t = this.peek();
    if (!t || t.kind !== 'word') this.fail(expected);
    this.i++;
    return t;
  }
  integer(expected: string): number {
    const t = this.peek();
    if (!t || t.kind !== 'word' || !/^\d+$/.test(t.text)) this.fail(expected);
    this.i++;
    return Number(t.text);
  }
}

export interface ParseOptions {
  /** `auto`: fixed format, or free format when the copybook is not valid in fixed format. */
  format?: SourceFormat | 'auto';
  /** OCCURS tables (names upper-case, `-` for `_`) whose DEPENDING ON may be a text field: Cobrix's occurs_mappings give their counts. */
  occursMappingTables?: Set<string>;
  /** Cobrix's non_terminals: groups (names upper-case, `-` for `_`) also read as one text field `<NAME>_NT` redefining them. */
  nonTerminals?: Set<string>;
  /** Syntax read beyond Cobrix (copybook.extensions); without it RENAMES and SYNC are rejected as Cobrix rejects them. */
  extensions?: ReadonlySet<CopybookExtension>;
}

const NO_EXTENSIONS: ReadonlySet<CopybookExtension> = new Set();

export function parseCopybook(source: string, options: ParseOptions = {}): CopybookAst {
  const format = options.format ?? 'fixed';
  const ext = options.extensions ?? NO_EXTENSIONS;
  if (format === 'auto') {
    try {
      return parseTokens(tokenize(source, 'fixed'), ext);
    } catch (fixedError) {
      if (!(fixedError instanceof CopybookSyntaxError)) throw fixedError;
      try {
        return parseTokens(tokenize(source, 'free'), ext);
      } catch (freeError) {
        // report the reading that got further into the copybook
        if (!(freeError instanceof CopybookSyntaxError)) throw freeError;
        const further =
          freeError.line > fixedError.line ||
          (freeError.line === fixedError.line && freeError.column > fixedError.column);
        throw further ? freeError : fixedError;
      }
    }
  }
  return parseTokens(tokenize(source, format), ext);
}

function parseTokens(tokens: Token[], ext: ReadonlySet<CopybookExtension>): CopybookAst {
  const ts = new TokenStream(tokens);
  const records: CopybookEntry[] = [];
  const renames: RenamesEntry[] = [];
  const stack: CopybookEntry[] = [];
  let lastEntry: CopybookEntry | undefined;
  let noRoot = false;
  while (!ts.atEnd()) {
    // listing-control statements carry no period
    if (ts.skipWord('EJECT', 'SKIP1', 'SKIP2', 'SKIP3')) continue;
    const levelTok = ts.peek()!;
    if (levelTok.kind !== 'word' || !/^\d{1,2}$/.test(levelTok.text)) ts.fail('a level number (01-49, 66, 77 or 88)');
    const level = Number(levelTok.text);
    if (!((level >= 1 && level <= 49) || level === 66 || level === 77 || level === 88)) {
      throw new CopybookSyntaxError(
        levelTok.line,
        levelTok.column,
        `expected a level number (01-49, 66, 77 or 88) but found '${levelTok.text}'`,
      );
    }
    ts.next();
    if (level === 88) {
      const cond = parseCondition(ts, levelTok);
      if (!lastEntry)
        throw new CopybookSyntaxError(
          levelTok.line,
          levelTok.column,
          'expected a data item before the level-88 condition name',
        );
      lastEntry.conditions.push(cond);
      continue;
    }
    if (level === 66) {
      if (!ext.has('renames')) extensionNotEnabled('renames', 'Level 66 (RENAMES)', levelTok.line, levelTok.column);
      renames.push(parseRenames(ts, levelTok));
      continue;
    }
    const entry = parseEntry(ts, level, levelTok, ext);
    if (level === 1 || level === 77) {
      stack.length = 0;
      records.push(entry);
    } else {
      while (stack.length > 0 && stack[stack.length - 1].level >= level) stack.pop();
      const parent = stack[stack.length - 1];
      if (!parent) {
        // no level-01 root (a copybook of fields): Cobrix takes the top-level items as roots
        if (records.some((r) => r.level === 1 || r.level === 77))
          throw new CopybookSyntaxError(
            levelTok.line,
            levelTok.column,
            `expected level 01 before level ${levelTok.text}`,
          );
        noRoot = true;
        records.push(entry);
        stack.push(entry);
        lastEntry = entry;
        continue;
      }
      if (parent.picture) {
        throw new CopybookSyntaxError(
          levelTok.line,
          levelTok.column,
          `expected a level number at most ${parent.level} because ${parent.name} (line ${parent.line}) is an elementary item with a PICTURE, but found level ${levelTok.text}`,
        );
      }
      parent.children.push(entry);
    }
    if (level !== 77) stack.push(entry);
    lastEntry = entry;
  }
  if (noRoot && records.some((r) => r.level === 1 || r.level === 77)) {
    const first = records.find((r) => r.level === 1 || r.level === 77)!;
    throw new CopybookSyntaxError(
      first.line,
      first.column,
      `expected no level ${first.level} after top-level items without a level-01 root`,
    );
  }
  return noRoot ? { records, renames, noRoot } : { records, renames };
}

function parseEntry(
  ts: TokenStream,
  level: number,
  levelTok: Token,
  ext: ReadonlySet<CopybookExtension>,
): CopybookEntry {
  let name = 'FILLER';
  let displayName = 'FILLER';
  let filler = true;
  let line = levelTok.line;
  let column = levelTok.column;
  const t = ts.peek();
  if (t && t.kind === 'word' && !CLAUSE_WORDS.has(t.upper)) {
    // Cobrix also accepts @ and : in names (COBOL's pseudo-text markers); : is left out of the field name
    if (!/^[A-Za-z0-9@:][A-Za-z0-9_@:-]*$/.test(t.text)) ts.fail('a data name or FILLER');
    ts.next();
    filler = t.upper === 'FILLER';
    name = filler ? 'FILLER' : t.text.toUpperCase();
    displayName = filler ? 'FILLER' : t.text;
    line = t.line;
    column = t.column;
  } else if (!t) ts.fail('a data name, FILLER or clause');
  const entry: CopybookEntry = { level, name, displayName, filler, line, column, conditions: [], children: [] };
  for (;;) {
    const tok = ts.peek();
    if (!tok) ts.fail(`'.' ending the entry for ${name}`);
    if (tok.kind === 'period') {
      ts.next();
      break;
    }
    if (tok.kind !== 'word') ts.fail(EXPECTED_CLAUSE);
    if (/^\d{1,2}$/.test(tok.text) && tok.line > line) ts.fail(`'.' ending the entry for ${name} (line ${line})`);
    const w = tok.upper;
    if (w === 'PIC' || w === 'PICTURE') {
      ts.next();
      ts.skipWord('IS');
      const p = ts.peek();
      if (!p || p.kind !== 'word') ts.fail('a PICTURE character string');
      ts.next();
      let pictureText = p.text;
      // PICTURE S9(6)USAGE COMP / PIC 9(4)COMP: the usage written without a space (Cobrix reads it)
      const glued = /^(.*[)9XAVSPZ])(USAGE|COMP(?:UTATIONAL)?(?:-\d)?|BINARY|PACKED-DECIMAL|DISPLAY)$/i.exec(
        pictureText,
      );
      if (glued) {
        pictureText = glued[1];
        const u = glued[2].toUpperCase();
        if (u === 'USAGE') {
          ts.skipWord('IS');
          const usageTok = ts.word('a USAGE');
          if (!USAGES[usageTok.upper])
            throw new CopybookSyntaxError(
              usageTok.line,
              usageTok.column,
              `expected a USAGE (DISPLAY, COMP, COMP-1, COMP-2, COMP-3, COMP-4, COMP-5, BINARY, PACKED-DECIMAL, NATIONAL) but found '${usageTok.text}'`,
            );
          entry.usage = USAGES[usageTok.upper];
        } else entry.usage = USAGES[u];
      }
      try {
        entry.picture = parsePicture(pictureText);
      } catch (err) {
        if (err instanceof PictureError)
          throw new CopybookSyntaxError(p.line, p.column, `expected a valid PICTURE string: ${err.message}`);
        throw err;
      }
    } else if (w === 'USAGE') {
      ts.next();
      ts.skipWord('IS');
      const u = ts.word(
        'a USAGE (DISPLAY, COMP, COMP-1, COMP-2, COMP-3, COMP-4, COMP-5, BINARY, PACKED-DECIMAL, NATIONAL)',
      );
      const usage = USAGES[u.upper];
      if (!usage)
        throw new CopybookSyntaxError(
          u.line,
          u.column,
          `expected a USAGE (DISPLAY, COMP, COMP-1, COMP-2, COMP-3, COMP-4, COMP-5, BINARY, PACKED-DECIMAL, NATIONAL) but found '${u.text}'`,
        );
      entry.usage = usage;
    } else if (USAGES[w]) {
      ts.next();
      entry.usage = USAGES[w];
    } else if (w === 'REDEFINES') {
      ts.next();
      entry.redefines = ts.word('the name of the data item being redefined').upper;
    } else if (w === 'OCCURS') {
      ts.next();
      entry.occurs = parseOccurs(ts);
    } else if (w === 'SIGN' || w === 'LEADING' || w === 'TRAILING') {
      ts.next();
      if (w === 'SIGN') ts.skipWord('IS');
      const pos = w === 'SIGN' ? ts.word('LEADING or TRAILING') : tok;
      if (pos.upper !== 'LEADING' && pos.upper !== 'TRAILING')
        throw new CopybookSyntaxError(pos.line, pos.column, `expected LEADING or TRAILING but found '${pos.text}'`);
      entry.signPosition = pos.upper === 'LEADING' ? 'leading' : 'trailing';
      if (ts.skipWord('SEPARATE')) {
        entry.signSeparate = true;
        ts.skipWord('CHARACTER');
      }
    } else if (w === 'SYNC' || w === 'SYNCHRONIZED') {
      if (!ext.has('sync')) extensionNotEnabled('sync', `The ${w} clause`, tok.line, tok.column);
      ts.next();
      entry.sync = true;
      ts.skipWord('LEFT', 'RIGHT');
    } else if (w === 'VALUE' || w === 'VALUES') {
      ts.next();
      ts.skipWord('IS', 'ARE');
      entry.value = parseValues(ts);
    } else if (w === 'JUSTIFIED' || w === 'JUST') {
      ts.next();
      ts.skipWord('RIGHT');
      entry.justified = true;
    } else if (w === 'BLANK') {
      ts.next();
      ts.skipWord('WHEN');
      if (!ts.skipWord('ZERO', 'ZEROS', 'ZEROES')) ts.fail('ZERO after BLANK WHEN');
      entry.blankWhenZero = true;
    } else if (w === 'GLOBAL' || w === 'EXTERNAL') {
      ts.next();
    } else if (w === 'DATE') {
      ts.next();
      ts.skipWord('FORMAT');
      ts.skipWord('IS');
      ts.word('a date format pattern');
    } else {
      ts.fail(EXPECTED_CLAUSE);
    }
  }
  return entry;
}

function parseOccurs(ts: TokenStream): { min: number; max: number; dependingOn?: string } {
  let min = ts.integer('the number of occurrences after OCCURS');
  let max = min;
  if (ts.skipWord('TO')) max = ts.integer('the maximum number of occurrences after TO');
  else if (ts.isWord('DEPENDING')) min = 0;
  ts.skipWord('TIMES');
  let dependingOn: string | undefined;
  if (ts.skipWord('DEPENDING')) {
    ts.skipWord('ON');
    dependingOn = ts.word('the name of the OCCURS DEPENDING ON counter').upper;
    while (ts.skipWord('IN', 'OF')) ts.word('a qualifying data name');
  }
  if (max < min) ts.fail(`a maximum of at least ${min} occurrences`);
  for (;;) {
    if (ts.skipWord('ASCENDING', 'DESCENDING')) {
      ts.skipWord('KEY');
      ts.skipWord('IS');
      ts.word('a key data name');
      while (
        ts.peek()?.kind === 'word' &&
        !CLAUSE_WORDS.has(ts.peek()!.upper) &&
        !['ASCENDING', 'DESCENDING', 'INDEXED'].includes(ts.peek()!.upper)
      )
        ts.next();
    } else if (ts.skipWord('INDEXED')) {
      ts.skipWord('BY');
      ts.word('an index name');
      while (
        ts.peek()?.kind === 'word' &&
        !CLAUSE_WORDS.has(ts.peek()!.upper) &&
        !['ASCENDING', 'DESCENDING', 'INDEXED'].includes(ts.peek()!.upper)
      )
        ts.next();
    } else break;
  }
  return dependingOn ? { min, max, dependingOn } : { min, max };
}

function parseLiteral(ts: TokenStream): Literal {
  const t = ts.peek();
  if (!t) ts.fail('a literal');
  if (t.kind === 'literal') {
    ts.next();
    if (t.prefix === 'X') return { kind: 'string', value: t.text, hex: true };
    if (t.prefix === 'N' || t.prefix === 'G') return { kind: 'string', value: t.text, national: true };
    return { kind: 'string', value: t.text };
  }
  if (t.kind === 'word') {
    if (/^[+-]?(\d+\.?\d*|\.\d+)$/.test(t.text)) {
      ts.next();
      return { kind: 'number', value: t.text };
    }
    if (t.upper === 'ALL') {
      ts.next();
      const l = parseLiteral(ts);
      if (l.kind === 'figurative') return { ...l, all: true };
      if (l.kind === 'string') return { kind: 'all', value: l.value };
      ts.fail('a literal after ALL');
    }
    const fig = FIGURATIVE[t.upper];
    if (fig) {
      ts.next();
      return { kind: 'figurative', value: fig };
    }
  }
  return ts.fail('a literal (a quoted string, a number or a figurative constant such as SPACES or ZERO)');
}

function parseValues(ts: TokenStream): ValueRange[] {
  const out: ValueRange[] = [];
  do {
    const from = parseLiteral(ts);
    if (ts.skipWord('THRU', 'THROUGH')) out.push({ from, thru: parseLiteral(ts) });
    else out.push({ from });
  } while (
    ts.peek() &&
    ts.peek()!.kind !== 'period' &&
    !(ts.peek()!.kind === 'word' && CLAUSE_WORDS.has(ts.peek()!.upper))
  );
  return out;
}

function parseCondition(ts: TokenStream, levelTok: Token): ConditionName {
  const name = ts.word('a condition name after level 88');
  if (!ts.skipWord('VALUE', 'VALUES')) ts.fail('VALUE or VALUES in the level-88 condition');
  ts.skipWord('IS', 'ARE');
  const values = parseValues(ts);
  if (ts.peek()?.kind !== 'period') ts.fail(`'.' ending the level-88 condition ${name.text}`);
  ts.next();
  return { name: name.upper, values, line: levelTok.line };
}

function parseRenames(ts: TokenStream, levelTok: Token): RenamesEntry {
  const name = ts.word('a data name after level 66');
  if (!ts.skipWord('RENAMES')) ts.fail('RENAMES in the level-66 entry');
  const from = ts.word('the first data item renamed').upper;
  let thru: string | undefined;
  if (ts.skipWord('THRU', 'THROUGH')) thru = ts.word('the last data item renamed').upper;
  if (ts.peek()?.kind !== 'period') ts.fail(`'.' ending the level-66 entry ${name.text}`);
  ts.next();
  return { name: name.upper, from, thru, line: levelTok.line };
}

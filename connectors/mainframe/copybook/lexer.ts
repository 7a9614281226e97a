/**
 * Copybook lexer. Fixed format (IBM reference format): columns 1-6 sequence area (ignored),
 * column 7 indicator (`*` and `/` comment lines, `D` debugging lines are skipped, `-` continues
 * the previous line: a word directly, an alphanumeric literal after the continuation line's
 * first quote), columns 8-72 program text, 73-80 ignored. Free format: whole lines, `*` in
 * column 1 is a comment. In both, `*>` starts an inline comment.
 */
import { CopybookSyntaxError } from './errors.ts';

export type SourceFormat = 'fixed' | 'free';

export interface Token {
  kind: 'word' | 'literal' | 'period';
  /** The text as written (for literals: the value without quotes). */
  text: string;
  /** Upper-cased text of a word. */
  upper: string;
  line: number;
  column: number;
  /** For literals: X (hex), N (national) or '' */
  prefix?: string;
}

interface Ch {
  c: string;
  line: number;
  col: number;
}

const FIXED_TEXT_START = 7; // 0-based index of column 8
const FIXED_TEXT_END = 72; // columns 73-80 are ignored

/**
 * Characters outside COBOL's character set that Cobrix's lexer drops (its ANTLR lexer logs them
 * and goes on), e.g. the `|` margins of copybooks pasted from Scala strings; kept inside literals.
 */
const IGNORED_CHARACTERS = new Set([
  '|',
  '!',
  '#',
  '%',
  '&',
  '?',
  '[',
  ']',
  '{',
  '}',
  '<',
  '>',
  '=',
  '~',
  '^',
  '`',
  '\\',
]);

function stripInlineComment(text: string): string {
  // *> outside a literal starts a comment
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '*' && text[i + 1] === '>') return text.slice(0, i);
  }
  return text;
}

/** Turns source lines into a character stream with original line/column positions. */
function characterStream(source: string, format: SourceFormat): Ch[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: Ch[] = [];
  let openQuote = ''; // quote char of a literal still open at the end of the previous line
  for (let n = 0; n < lines.length; n++) {
    const raw = lines[n].replace(/\t/g, ' ');
    const lineNo = n + 1;
    let text: string;
    let firstCol: number;
    let continuation = false;
    if (format === 'fixed') {
      if (raw.length <= 6) continue;
      const indicator = raw[6];
      if (indicator === '*' || indicator === '/' || indicator === 'D' || indicator === 'd') continue;
      continuation = indicator === '-';
      // text starting in column 7 (no indicator area, as Cobrix reads copybooks): column 7 is text
      const fromColumn7 = indicator !== ' ' && indicator !== '-';
      text = raw.slice(fromColumn7 ? FIXED_TEXT_START - 1 : FIXED_TEXT_START, FIXED_TEXT_END);
      firstCol = fromColumn7 ? FIXED_TEXT_START : FIXED_TEXT_START + 1;
    } else {
      if (raw.trimStart().startsWith('*') && !raw.trimStart().startsWith('*>')) continue;
      text = raw;
      firstCol = 1;
    }
    text = stripInlineComment(text);
    let start = 0;
    if (continuation) {
      if (openQuote) {
        // the literal ran to column 72; it resumes after the first quote of this line
        while (out.length > 0 && out[out.length - 1].c === '\n') out.pop();
        const q = text.indexOf(openQuote);
        if (q < 0)
          throw new CopybookSyntaxError(
            lineNo,
            firstCol,
            `expected a quote (${openQuote}) continuing the alphanumeric literal of the previous line`,
          );
        start = q + 1;
      } else {
        while (out.length > 0 && /\s/.test(out[out.length - 1].c)) out.pop();
        while (start < text.length && text[start] === ' ') start++;
      }
    }
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (openQuote) {
        if (c === openQuote) {
          if (text[i + 1] === openQuote) {
            out.push({ c, line: lineNo, col: firstCol + i }, { c, line: lineNo, col: firstCol + i + 1 });
            i++;
            continue;
          }
          openQuote = '';
        }
      } else if (c === '"' || c === "'") openQuote = c;
      else if (IGNORED_CHARACTERS.has(c)) continue;
      out.push({ c, line: lineNo, col: firstCol + i });
    }
    if (openQuote && format === 'fixed') {
      // an open literal includes the blanks up to column 72
      for (let col = firstCol + text.length; col <= FIXED_TEXT_END; col++) out.push({ c: ' ', line: lineNo, col });
    }
    out.push({ c: '\n', line: lineNo, col: firstCol + text.length });
  }
  if (openQuote) {
    const last = out[out.length - 1];
    throw new CopybookSyntaxError(
      last?.line ?? 1,
      last?.col ?? 1,
      `expected a closing quote (${openQuote}) for the alphanumeric literal`,
    );
  }
  return out;
}

const isSpace = (c: string | undefined) => c === undefined || c === ' ' || c === '\n' || c === '\t';

export function tokenize(source: string, format: SourceFormat): Token[] {
  const s = characterStream(source, format);
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const ch = s[i];
    if (isSpace(ch.c)) {
      i++;
      continue;
    }
    // separators: comma / semicolon followed by a space
    if ((ch.c === ',' || ch.c === ';') && isSpace(s[i + 1]?.c)) {
      i++;
      continue;
    }
    if (ch.c === '.' && isSpace(s[i + 1]?.c)) {
      tokens.push({ kind: 'period', text: '.', upper: '.', line: ch.line, column: ch.col });
      i++;
      continue;
    }
    if (ch.c === '"' || ch.c === "'" || (/^[XxNnGg]$/.test(ch.c) && (s[i + 1]?.c === '"' || s[i + 1]?.c === "'"))) {
      let prefix = '';
      let q = i;
      if (ch.c !== '"' && ch.c !== "'") {
        prefix = ch.c.toUpperCase();
        q = i + 1;
      }
      const quote = s[q].c;
      let j = q + 1;
      let value = '';
      for (;;) {
        if (j >= s.length)
          throw new CopybookSyntaxError(ch.line, ch.col, `expected a closing quote (${quote}) for the literal`);
        if (s[j].c === quote) {
          if (s[j + 1]?.c === quote) {
            value += quote;
            j += 2;
            continue;
          }
          break;
        }
        if (s[j].c !== '\n') value += s[j].c;
        j++;
      }
      tokens.push({ kind: 'literal', text: value, upper: value, line: ch.line, column: ch.col, prefix });
      i = j + 1;
      continue;
    }
    let j = i;
    let text = '';
    while (j < s.length && !isSpace(s[j].c) && s[j].c !== '"' && s[j].c !== "'") {
      if (s[j].c === '.' && isSpace(s[j + 1]?.c)) break;
      if ((s[j].c === ',' || s[j].c === ';') && isSpace(s[j + 1]?.c)) break;
      text += s[j].c;
      j++;
    }
    tokens.push({ kind: 'word', text, upper: text.toUpperCase(), line: ch.line, column: ch.col });
    i = j;
  }
  return tokens;
}

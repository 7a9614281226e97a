/**
 * Splits MySQL/MariaDB statement text into tokens with their offsets. Comments are dropped;
 * version comments (`/*!50001 … *\/`, MariaDB's `/*M!100301 … *\/`) keep their body, as the
 * server executes it. Every token keeps its start offset so errors can name the position.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'hex' | 'bits' | 'punct' | 'variable';

export interface Token {
  kind: TokenKind;
  /** Identifier/keyword text (quoted identifiers unquoted), string contents (escapes resolved), or the punctuation. */
  text: string;
  /** Start offset in the statement text. */
  pos: number;
  /** End offset (exclusive). */
  end: number;
}

export class DdlSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'DdlSyntaxError';
  }
}

const WORD_START = /[A-Za-z_$\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const ESCAPES: Record<string, string> = {
  '0': '\0',
  "'": "'",
  '"': '"',
  b: '\b',
  n: '\n',
  r: '\r',
  t: '\t',
  Z: '\x1a',
  '\\': '\\',
  '%': '\\%',
  _: '\\_',
};

export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
      continue;
    }
    if (c === '#' || (c === '-' && sql[i + 1] === '-' && (i + 2 >= n || /\s/.test(sql[i + 2])))) {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const version = /^\/\*M?!\d{0,6}/.exec(sql.slice(i, i + 10));
      if (version) {
        i += version[0].length;
        continue;
      } // body is tokenized; its closing */ skipped below
      const close = sql.indexOf('*/', i + 2);
      if (close < 0) throw new DdlSyntaxError('unterminated comment', i);
      i = close + 2;
      continue;
    }
    if (c === '*' && sql[i + 1] === '/') {
      i += 2;
      continue;
    } // end of a version comment
    if (c === '`') {
      let j = i + 1;
      let text = '';
      for (;;) {
        if (j >= n) throw new DdlSyntaxError('unterminated quoted identifier', i);
        if (sql[j] === '`') {
          if (sql[j + 1] === '`') {
            text += '`';
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j++];
      }
      out.push({ kind: 'quoted', text, pos: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (c === "'" || c === '"') {
      const { text, end } = readString(sql, i);
      out.push({ kind: 'string', text, pos: i, end });
      i = end;
      continue;
    }
    if ((c === 'x' || c === 'X' || c === 'b' || c === 'B') && sql[i + 1] === "'") {
      const close = sql.indexOf("'", i + 2);
      if (close < 0) throw new DdlSyntaxError('unterminated literal', i);
      out.push({
        kind: c === 'x' || c === 'X' ? 'hex' : 'bits',
        text: sql.slice(i + 2, close),
        pos: i,
        end: close + 1,
      });
      i = close + 1;
      continue;
    }
    if (c === '0' && (sql[i + 1] === 'x' || sql[i + 1] === 'b') && /[0-9a-fA-F]/.test(sql[i + 2] ?? '')) {
      let j = i + 2;
      while (j < n && WORD_CHAR.test(sql[j])) j++;
      out.push({ kind: sql[i + 1] === 'x' ? 'hex' : 'bits', text: sql.slice(i + 2, j), pos: i, end: j });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(sql[i + 1] ?? '') && !isWordBefore(out))) {
      const m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(sql.slice(i))!;
      const after = sql[i + m[0].length];
      if (after !== undefined && WORD_CHAR.test(after) && /^\d+$/.test(m[0])) {
        // Identifiers may start with digits (1col, 2020_t).
        let j = i;
        while (j < n && WORD_CHAR.test(sql[j])) j++;
        out.push({ kind: 'word', text: sql.slice(i, j), pos: i, end: j });
        i = j;
        continue;
      }
      out.push({ kind: 'number', text: m[0], pos: i, end: i + m[0].length });
      i += m[0].length;
      continue;
    }
    if (WORD_START.test(c)) {
      let j = i;
      while (j < n && WORD_CHAR.test(sql[j])) j++;
      out.push({ kind: 'word', text: sql.slice(i, j), pos: i, end: j });
      i = j;
      continue;
    }
    if (c === '@') {
      let j = i + 1;
      if (sql[j] === '@') j++;
      if (sql[j] === '`' || sql[j] === "'" || sql[j] === '"') {
        const q = sql[j];
        const close = sql.indexOf(q, j + 1);
        j = close < 0 ? n : close + 1;
      } else {
        while (j < n && (WORD_CHAR.test(sql[j]) || sql[j] === '.')) j++;
      }
      out.push({ kind: 'variable', text: sql.slice(i, j), pos: i, end: j });
      i = j;
      continue;
    }
    const two = sql.slice(i, i + 2);
    const three = sql.slice(i, i + 3);
    const op =
      three === '<=>' ? three : ['<=', '>=', '<>', '!=', ':=', '||', '&&', '<<', '>>', '->'].includes(two) ? two : c;
    out.push({ kind: 'punct', text: op, pos: i, end: i + op.length });
    i += op.length;
  }
  return out;
}

function isWordBefore(out: Token[]): boolean {
  const last = out[out.length - 1];
  return last !== undefined && (last.kind === 'word' || last.kind === 'quoted');
}

function readString(sql: string, start: number): { text: string; end: number } {
  const q = sql[start];
  let j = start + 1;
  let text = '';
  for (;;) {
    if (j >= sql.length) throw new DdlSyntaxError('unterminated string', start);
    const c = sql[j];
    if (c === '\\' && j + 1 < sql.length) {
      const e = sql[j + 1];
      text += ESCAPES[e] ?? e;
      j += 2;
      continue;
    }
    if (c === q) {
      if (sql[j + 1] === q) {
        text += q;
        j += 2;
        continue;
      }
      return { text, end: j + 1 };
    }
    text += c;
    j++;
  }
}

/**
 * A JSON number with a fraction or exponent and more significant digits than a double holds, kept
 * as its text so a Decimal reads it exactly (as Jackson's BigDecimal does).
 */
export class JsonNumberText {
  constructor(readonly text: string) {}
}

/**
 * JSON parsing that keeps integers beyond ±2^53 exact (as bigint), for int64 payloads, and long
 * decimal numbers as JsonNumberText. Texts without a run of 16 or more digits (a point may sit inside
 * the run) go straight to JSON.parse; the others too, after each long number outside a string is
 * swapped for a placeholder string that is replaced by its exact value afterwards (every Debezium
 * event has one: ts_ns). The character-by-character parser remains for what that cannot mirror
 * exactly (invalid JSON, for its error message; a "__proto__" key; a \u0000 escape).
 */
export function parseJsonPrecise(text: string): unknown {
  LONG_RUN.lastIndex = 0;
  const first = LONG_RUN.exec(text);
  if (first === null) return JSON.parse(text);
  const fast = parseWithPlaceholders(text, first);
  return fast === FALLBACK ? parseJsonWithTextParser(text) : fast;
}

/** The character-by-character parser alone (the reference the fast path is tested against). */
export function parseJsonWithTextParser(text: string): unknown {
  if (!/\d(?:\.?\d){15,}/.test(text)) return JSON.parse(text);
  return new PreciseParser(text).parseTop();
}

const LONG_RUN = /\d(?:\.?\d){15,}/g;
const NUMBER_TOKEN = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;
const FALLBACK = Symbol('fallback');
/** A placeholder is `"\u0000<index>"`: no other string can hold U+0000 once the text has no \u0000 escape. */
const PLACEHOLDER_MARK = 0;

function isNumberChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d; // 0-9 . e E + -
}

/** The index of the quote closing the string opened at `open`, or -1. */
function closingQuote(text: string, open: number): number {
  let e = open + 1;
  for (;;) {
    e = text.indexOf('"', e);
    if (e === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(e - 1 - backslashes) === 0x5c) backslashes++;
    if ((backslashes & 1) === 0) return e;
    e++;
  }
}

function parseWithPlaceholders(text: string, first: RegExpExecArray): unknown {
  if (text.includes('\\u0000') || text.includes('"__proto__"')) return FALLBACK;
  const values: unknown[] = [];
  let out = '';
  let copied = 0;
  let scanned = 0; // text before this index is scanned: `scanned` is outside any string
  for (let m: RegExpExecArray | null = first; m !== null; m = LONG_RUN.exec(text)) {
    const at = m.index;
    let inString = false;
    for (;;) {
      const open = text.indexOf('"', scanned);
      if (open === -1 || open > at) break;
      const close = closingQuote(text, open);
      if (close === -1) return FALLBACK;
      scanned = close + 1;
      if (close > at) {
        inString = true;
        break;
      }
    }
    if (inString) {
      LONG_RUN.lastIndex = scanned;
      continue;
    }
    let start = at;
    while (start > 0 && isNumberChar(text.charCodeAt(start - 1))) start--;
    let end = LONG_RUN.lastIndex;
    while (end < text.length && isNumberChar(text.charCodeAt(end))) end++;
    const token = text.slice(start, end);
    // Longer than the text parser's 400-character window, or not one JSON number: its outcome decides.
    if (token.length > 400 || !NUMBER_TOKEN.test(token)) return FALLBACK;
    const value = numberFromToken(token);
    if (typeof value !== 'number') {
      out += `${text.slice(copied, start)}"\\u0000${values.length}"`;
      values.push(value);
      copied = end;
    }
    scanned = end;
    LONG_RUN.lastIndex = end;
  }
  try {
    if (values.length === 0) return JSON.parse(text);
    const parsed = JSON.parse(out + text.slice(copied)) as unknown;
    return restorePlaceholders(parsed, values);
  } catch {
    return FALLBACK;
  }
}

function placeholderValue(v: unknown, values: unknown[]): unknown {
  return typeof v === 'string' && v.charCodeAt(0) === PLACEHOLDER_MARK ? values[Number(v.slice(1))] : v;
}

function restorePlaceholders(node: unknown, values: unknown[]): unknown {
  if (typeof node === 'string') return placeholderValue(node, values);
  if (node === null || typeof node !== 'object') return node;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const v: unknown = node[i];
      node[i] = typeof v === 'object' ? restorePlaceholders(v, values) : placeholderValue(v, values);
    }
    return node;
  }
  const obj = node as Record<string, unknown>;
  for (const k in obj) {
    const v = obj[k];
    obj[k] = typeof v === 'object' ? restorePlaceholders(v, values) : placeholderValue(v, values);
  }
  return node;
}

/** A JSON number token as the text parser reads it: bigint beyond ±2^53, JsonNumberText past 15 significant digits. */
function numberFromToken(token: string): number | bigint | JsonNumberText {
  const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(token)!;
  if (!m[2] && !m[3]) {
    const n = Number(m[0]);
    return Number.isSafeInteger(n) ? n : BigInt(m[0]);
  }
  const significant = (m[1] + (m[2] ?? '').slice(1)).replace(/^0+/, '').length;
  return significant > 15 ? new JsonNumberText(m[0]) : Number(m[0]);
}

class PreciseParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseTop(): unknown {
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail('end of input');
    return v;
  }

  private fail(expected: string): never {
    throw new SyntaxError(
      `Unexpected ${this.i < this.s.length ? `token ${this.s[this.i]}` : 'end of JSON input'} in JSON at position ${this.i} (expected ${expected})`,
    );
  }

  private ws(): void {
    while (this.i < this.s.length && ' \t\n\r'.includes(this.s[this.i])) this.i++;
  }

  private value(): unknown {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [lit, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (this.s.startsWith(lit, this.i)) {
        this.i += lit.length;
        return v;
      }
    }
    return this.fail('a JSON value');
  }

  private object(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.i++;
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('a string key');
      const k = this.string();
      this.ws();
      if (this.s[this.i++] !== ':') this.fail("':'");
      out[k] = this.value();
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') this.fail("',' or '}'");
    }
  }

  private array(): unknown[] {
    const out: unknown[] = [];
    this.i++;
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') this.fail("',' or ']'");
    }
  }

  private string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length) {
      const c = this.s[this.i];
      if (c === '\\') this.i += 2;
      else if (c === '"') {
        this.i++;
        return JSON.parse(this.s.slice(start, this.i)) as string;
      } else this.i++;
    }
    return this.fail('closing quote');
  }

  private number(): number | bigint | JsonNumberText {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail('a number');
    this.i += m![0].length;
    return numberFromToken(m![0]);
  }
}

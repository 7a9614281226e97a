/**
 * A JSON number with a fraction or exponent and more significant digits than a double holds, kept
 * as its text so a Decimal reads it exactly (as Jackson's BigDecimal does).
 */
export class JsonNumberText {
  constructor(readonly text: string) {}
}

/**
 * JSON parsing that keeps integers beyond ±2^53 exact (as bigint), for int64 payloads, and long
 * decimal numbers as JsonNumberText. Falls back to the fast JSON.parse when the text has no run of
 * 16 or more digits (a point may sit inside the run).
 */
export function parseJsonPrecise(text: string): unknown {
  if (!/\d(?:\.?\d){15,}/.test(text)) return JSON.parse(text);
  return new PreciseParser(text).parseTop();
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
    throw new SyntaxError(`Unexpected ${this.i < this.s.length ? `token ${this.s[this.i]}` : 'end of JSON input'} in JSON at position ${this.i} (expected ${expected})`);
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
    for (const [lit, v] of [['true', true], ['false', false], ['null', null]] as const) {
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
    if (this.s[this.i] === '}') { this.i++; return out; }
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
    if (this.s[this.i] === ']') { this.i++; return out; }
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
      else if (c === '"') { this.i++; return JSON.parse(this.s.slice(start, this.i)) as string; }
      else this.i++;
    }
    return this.fail('closing quote');
  }

  private number(): number | bigint | JsonNumberText {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 400));
    if (!m) this.fail('a number');
    this.i += m![0].length;
    if (!m![2] && !m![3]) {
      const n = Number(m![0]);
      return Number.isSafeInteger(n) ? n : BigInt(m![0]);
    }
    const significant = (m![1] + (m![2] ?? '').slice(1)).replace(/^0+/, '').length;
    return significant > 15 ? new JsonNumberText(m![0]) : Number(m![0]);
  }
}

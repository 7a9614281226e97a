/** Token-level helpers of the DDL parser: lookahead, keywords, names, skipping balanced groups. */
import type { QualifiedName } from './ast.ts';
import { DdlSyntaxError, type Token } from './tokenizer.ts';

export class TokenCursor {
  protected i = 0;
  constructor(
    protected readonly t: Token[],
    protected readonly sql: string,
  ) {}

  protected peek(k = 0): Token | undefined {
    return this.t[this.i + k];
  }
  protected isWord(w: string, k = 0): boolean {
    const tok = this.t[this.i + k];
    return tok !== undefined && tok.kind === 'word' && tok.text.toUpperCase() === w;
  }
  protected isPunct(p: string, k = 0): boolean {
    const tok = this.t[this.i + k];
    return tok !== undefined && tok.kind === 'punct' && tok.text === p;
  }
  protected accept(...words: string[]): boolean {
    for (let k = 0; k < words.length; k++) if (!this.isWord(words[k], k)) return false;
    this.i += words.length;
    return true;
  }
  /** Accepts one of several single keywords. */
  protected acceptOneOf(...words: string[]): boolean {
    return words.some((w) => this.accept(w));
  }

  protected acceptPunct(p: string): boolean {
    if (!this.isPunct(p)) return false;
    this.i++;
    return true;
  }
  protected fail(what: string): never {
    const tok = this.peek();
    const pos = tok ? tok.pos : (this.t[this.t.length - 1]?.end ?? 0);
    throw new DdlSyntaxError(
      `expected ${what} at offset ${pos}${tok ? ` near '${this.sql.slice(tok.pos, tok.pos + 30)}'` : ' (end of statement)'}`,
      pos,
    );
  }
  protected expect(...words: string[]): void {
    if (!this.accept(...words)) this.fail(words.join(' '));
  }
  protected expectPunct(p: string): void {
    if (!this.acceptPunct(p)) this.fail(`'${p}'`);
  }
  protected atEnd(): boolean {
    return this.i >= this.t.length;
  }

  protected identifier(): string {
    const tok = this.peek();
    if (!tok || (tok.kind !== 'word' && tok.kind !== 'quoted' && tok.kind !== 'string')) this.fail('a name');
    this.i++;
    return tok.text;
  }

  protected qualifiedName(): QualifiedName {
    const first = this.identifier();
    if (this.acceptPunct('.')) return { database: first, name: this.identifier() };
    // `db.t` written without spaces tokenizes as word `db` then number-like `.t`? No: '.' is punct; handled above.
    return { database: null, name: first };
  }

  /** Skips one balanced parenthesised group (the current token must be `(`). Returns its inner text. */
  protected skipGroup(): string {
    const open = this.peek()!;
    let depth = 0;
    do {
      const tok = this.peek();
      if (!tok) this.fail("')'");
      if (tok.kind === 'punct' && tok.text === '(') depth++;
      if (tok.kind === 'punct' && tok.text === ')') depth--;
      this.i++;
    } while (depth > 0);
    return this.sql.slice(open.end, this.t[this.i - 1].pos).trim();
  }

  /** Skips tokens up to (not including) a `,` or `)` at depth 0, or the end. */
  protected skipToSeparator(): void {
    while (!this.atEnd() && !this.isPunct(',') && !this.isPunct(')')) {
      if (this.isPunct('(')) this.skipGroup();
      else this.i++;
    }
  }

  protected identifierOrDefault(): string {
    if (this.accept('DEFAULT')) return 'default';
    return this.identifier();
  }

  protected stringLiteral(): string {
    let tok = this.peek();
    if (tok?.kind === 'word' && tok.text.startsWith('_') && this.peek(1)?.kind === 'string') {
      this.i++;
      tok = this.peek();
    }
    if (!tok || tok.kind !== 'string') this.fail('a string');
    this.i++;
    let text = tok.text;
    while (this.peek()?.kind === 'string') text += this.t[this.i++].text;
    return text;
  }
}

/**
 * Tokenizer and parser of Tributary's safe expression language: the subset of Groovy and JavaScript
 * that Debezium Filter / ContentBasedRouter conditions are written in. Produces an AST; there is
 * no code generation and nothing outside the grammar below is accepted:
 *
 *   expr     := cond
 *   cond     := or ('?' cond ':' cond | '?:' cond | '??' cond)?
 *   or       := and (('||' | 'or') and)*
 *   and      := equality (('&&' | 'and') equality)*
 *   equality := relation (('==' | '!=' | '===' | '!==' | '==~' | '=~') relation)*
 *   relation := additive (('<' | '<=' | '>' | '>=' | 'in' | '!in' | 'instanceof'?) additive)*
 *   additive := mult (('+' | '-') mult)*
 *   mult     := unary (('*' | '/' | '%') unary)*
 *   unary    := ('!' | '-' | 'not') unary | postfix
 *   postfix  := primary ('.' name | '?.' name | '.' name '(' args ')' | '?.' name '(' args ')' | '[' expr ']')*
 *   primary  := number | string | /slashy/ | true | false | null | variable | '(' expr ')' | '[' list ']'
 *
 * Errors are ConfigExceptions naming the position and what was expected.
 */
import { ConfigException } from '../../sdk/errors.ts';

export type Node =
  | { kind: 'literal'; value: unknown }
  | { kind: 'var'; name: string }
  | { kind: 'list'; items: Node[] }
  | { kind: 'member'; object: Node; name: string; safe: boolean }
  | { kind: 'index'; object: Node; index: Node; safe: boolean }
  | { kind: 'call'; object: Node; method: string; args: Node[]; safe: boolean }
  | { kind: 'unary'; op: '!' | '-'; arg: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'logical'; op: '&&' | '||' | '?:' | '??'; left: Node; right: Node }
  | { kind: 'ternary'; test: Node; then: Node; else: Node };

type TokenType = 'num' | 'str' | 'id' | 'op' | 'eof';
interface Token {
  type: TokenType;
  text: string;
  pos: number;
  value?: unknown;
}

const OPERATORS = [
  '===',
  '!==',
  '==~',
  '!in',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '?.',
  '?:',
  '??',
  '=~',
  '<',
  '>',
  '!',
  '(',
  ')',
  '[',
  ']',
  '.',
  ',',
  '-',
  '+',
  '*',
  '/',
  '%',
  '?',
  ':',
];

export const VARIABLES = [
  'value',
  'key',
  'valueSchema',
  'keySchema',
  'topic',
  'headers',
  'header',
  'partition',
  'timestamp',
];

/** Every method an expression may call; anything else is refused when the expression is parsed. */
export const METHODS = new Set([
  'get',
  'getString',
  'getInt8',
  'getInt16',
  'getInt32',
  'getInt64',
  'getFloat32',
  'getFloat64',
  'getBoolean',
  'getBytes',
  'getStruct',
  'getArray',
  'getMap',
  'getWithoutDefault',
  'schema',
  'name',
  'version',
  'type',
  'doc',
  'isOptional',
  'field',
  'fields',
  'parameters',
  'index',
  'startsWith',
  'endsWith',
  'contains',
  'includes',
  'indexOf',
  'matches',
  'equals',
  'equalsIgnoreCase',
  'toUpperCase',
  'toLowerCase',
  'trim',
  'length',
  'size',
  'isEmpty',
  'substring',
  'charAt',
  'replace',
  'concat',
  'test',
  'toString',
  'containsKey',
  'has',
  'lastWithName',
  'intValue',
  'longValue',
  'doubleValue',
  'floatValue',
  'key',
]);

const KEYWORDS_REFUSED = new Set([
  'new',
  'def',
  'var',
  'let',
  'const',
  'function',
  'return',
  'class',
  'import',
  'this',
  'import',
  'delete',
  'typeof',
  'void',
  'yield',
  'await',
  'eval',
  'while',
  'for',
  'if',
  'else',
  'switch',
  'throw',
  'try',
]);

function fail(src: string, pos: number, message: string): never {
  throw new ConfigException(`${message} at position ${pos} in expression: ${src}`);
}

function tokenize(src: string, language: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const operandEnded = () => {
    const last = out[out.length - 1];
    return (
      last !== undefined &&
      (last.type === 'num' ||
        last.type === 'str' ||
        (last.type === 'id' && !['and', 'or', 'not', 'in'].includes(last.text)) ||
        last.text === ')' ||
        last.text === ']')
    );
  };
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(\d*\.?\d+(?:[eE][+-]?\d+)?|\d+)([lLgGdDfFiI]?)/.exec(src.slice(i))!;
      const text = m[1];
      let value: unknown = Number(text);
      if (/^\d+$/.test(text) && !Number.isSafeInteger(value as number)) value = BigInt(text);
      out.push({ type: 'num', text: m[0], pos: i, value });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[++j];
          if (e === 'u') {
            s += String.fromCharCode(parseInt(src.slice(j + 1, j + 5), 16));
            j += 4;
          } else s += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', 0: '\0' } as Record<string, string>)[e] ?? e;
        } else {
          if (c === '"' && language === 'groovy' && src[j] === '$' && src[j + 1] === '{')
            fail(src, j, 'GString interpolation ${…} is not supported; concatenate with +');
          s += src[j];
        }
        j++;
      }
      if (j >= src.length) fail(src, i, 'Unterminated string literal');
      out.push({ type: 'str', text: src.slice(i, j + 1), pos: i, value: s });
      i = j + 1;
      continue;
    }
    if (c === '`') fail(src, i, 'Template literals are not supported; concatenate with +');
    if (c === '/' && !operandEnded()) {
      // Groovy slashy string / JavaScript regex literal: the pattern text as a string.
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== '/') {
        if (src[j] === '\\' && src[j + 1] === '/') {
          s += '/';
          j += 2;
          continue;
        }
        s += src[j++];
      }
      if (j >= src.length) fail(src, i, 'Unterminated /…/ literal');
      j++;
      while (/[gimsuy]/.test(src[j] ?? '')) j++;
      out.push({ type: 'str', text: src.slice(i, j), pos: i, value: s });
      i = j;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i))!;
      out.push({ type: 'id', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    if (src.startsWith('=>', i)) fail(src, i, 'Functions (=>) are not supported');
    if (c === '=' && src[i + 1] !== '=' && src[i + 1] !== '~')
      fail(src, i, 'Assignment (=) is not allowed; use == to compare');
    if (c === ';') fail(src, i, 'Only a single expression is allowed (found ;)');
    if (c === '{' || c === '}') fail(src, i, 'Blocks and closures ({ … }) are not supported');
    const op = OPERATORS.find((o) => src.startsWith(o, i) && !(o === '!in' && /[A-Za-z0-9_$]/.test(src[i + 3] ?? '')));
    if (!op) fail(src, i, `Unexpected character '${c}'`);
    out.push({ type: 'op', text: op!, pos: i });
    i += op!.length;
  }
  out.push({ type: 'eof', text: '<end>', pos: src.length });
  return out;
}

export function parseExpression(src: string, language: 'groovy' | 'js' | 'expr'): Node {
  return new Parser(tokenize(src, language), src).parse();
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
  ) {}

  private peek(): Token {
    return this.tokens[this.i];
  }
  private next(): Token {
    return this.tokens[this.i++];
  }
  private is(text: string): boolean {
    const t = this.peek();
    return (t.type === 'op' || t.type === 'id') && t.text === text;
  }
  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text || (t.type !== 'op' && t.type !== 'id')) this.fail(t, `'${text}'`);
  }
  private fail(t: Token, expected: string): never {
    return fail(this.src, t.pos, `Expected ${expected} but found '${t.text}'`);
  }

  parse(): Node {
    if (this.peek().type === 'eof') fail(this.src, 0, 'Empty expression');
    const n = this.cond();
    if (this.peek().type !== 'eof') this.fail(this.peek(), 'end of expression');
    return n;
  }

  private cond(): Node {
    const test = this.or();
    if (this.is('?')) {
      this.next();
      const then = this.cond();
      this.expect(':');
      return { kind: 'ternary', test, then, else: this.cond() };
    }
    if (this.is('?:') || this.is('??')) {
      const op = this.next().text as '?:' | '??';
      return { kind: 'logical', op, left: test, right: this.cond() };
    }
    return test;
  }

  private or(): Node {
    let n = this.and();
    while (this.is('||') || this.is('or')) {
      this.next();
      n = { kind: 'logical', op: '||', left: n, right: this.and() };
    }
    return n;
  }

  private and(): Node {
    let n = this.equality();
    while (this.is('&&') || this.is('and')) {
      this.next();
      n = { kind: 'logical', op: '&&', left: n, right: this.equality() };
    }
    return n;
  }

  private equality(): Node {
    let n = this.relation();
    for (;;) {
      const op = ['===', '!==', '==~', '==', '!=', '=~'].find((o) => this.is(o));
      if (!op) return n;
      this.next();
      n = { kind: 'binary', op, left: n, right: this.relation() };
    }
  }

  private relation(): Node {
    let n = this.additive();
    for (;;) {
      const op = ['<=', '>=', '<', '>', 'in', '!in'].find((o) => this.is(o));
      if (!op) return n;
      this.next();
      n = { kind: 'binary', op, left: n, right: this.additive() };
    }
  }

  private additive(): Node {
    let n = this.mult();
    while (this.is('+') || this.is('-')) {
      const op = this.next().text;
      n = { kind: 'binary', op, left: n, right: this.mult() };
    }
    return n;
  }

  private mult(): Node {
    let n = this.unary();
    while (this.is('*') || this.is('/') || this.is('%')) {
      const op = this.next().text;
      n = { kind: 'binary', op, left: n, right: this.unary() };
    }
    return n;
  }

  private unary(): Node {
    if (this.is('!') || this.is('not')) {
      this.next();
      return { kind: 'unary', op: '!', arg: this.unary() };
    }
    if (this.is('-')) {
      this.next();
      return { kind: 'unary', op: '-', arg: this.unary() };
    }
    if (this.is('+')) {
      this.next();
      return this.unary();
    }
    return this.postfix();
  }

  private postfix(): Node {
    let n = this.primary();
    for (;;) {
      if (this.is('.') || this.is('?.')) {
        const safe = this.next().text === '?.';
        if (this.is('[')) {
          this.next();
          const index = this.cond();
          this.expect(']');
          n = { kind: 'index', object: n, index, safe };
          continue;
        }
        const id = this.next();
        if (id.type !== 'id') this.fail(id, 'a field or method name');
        if (this.is('(')) {
          if (!METHODS.has(id.text))
            fail(this.src, id.pos, `Method '${id.text}' is not allowed; allowed methods: ${[...METHODS].join(', ')}`);
          this.next();
          const args: Node[] = [];
          while (!this.is(')')) {
            args.push(this.cond());
            if (!this.is(')')) this.expect(',');
          }
          this.expect(')');
          n = { kind: 'call', object: n, method: id.text, args, safe };
        } else n = { kind: 'member', object: n, name: id.text, safe };
      } else if (this.is('[')) {
        this.next();
        const index = this.cond();
        this.expect(']');
        n = { kind: 'index', object: n, index, safe: false };
      } else if (this.is('(')) {
        fail(
          this.src,
          this.peek().pos,
          "Only methods of the record values can be called (e.g. value.get('op')); calling a function is not allowed",
        );
      } else return n;
    }
  }

  private primary(): Node {
    const t = this.next();
    if (t.type === 'num' || t.type === 'str') return { kind: 'literal', value: t.value };
    if (t.type === 'id') {
      if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true' };
      if (t.text === 'null' || t.text === 'undefined') return { kind: 'literal', value: null };
      if (KEYWORDS_REFUSED.has(t.text))
        fail(this.src, t.pos, `'${t.text}' is not allowed: expressions may only read the record`);
      if (!VARIABLES.includes(t.text))
        fail(this.src, t.pos, `Unknown variable '${t.text}'; available: ${VARIABLES.join(', ')}`);
      return { kind: 'var', name: t.text };
    }
    if (t.text === '(') {
      const n = this.cond();
      this.expect(')');
      return n;
    }
    if (t.text === '[') {
      const items: Node[] = [];
      while (!this.is(']')) {
        items.push(this.cond());
        if (!this.is(']')) this.expect(',');
      }
      this.expect(']');
      return { kind: 'list', items };
    }
    return this.fail(t, 'a value, a variable or (');
  }
}

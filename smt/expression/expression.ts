/**
 * A small, safe expression language for content-based filtering and routing. It covers the
 * Groovy / JavaScript condition subset Debezium users write (`value.op == 'u' && value.after.id > 10`,
 * `value.get('op')`, `topic.startsWith('orders')`, `value.after.name ?: 'none'` is NOT included) and
 * nothing else: no assignment, no calls except a fixed list of string/struct methods, no access to
 * globals. Parsed once at configure time; errors name the position and what was expected.
 */
import { ConfigException } from '../../runtime/errors.ts';
import { Struct } from '../../runtime/data/struct.ts';
import { Headers } from '../../runtime/data/headers.ts';
import { BigDecimal } from '../../runtime/data/logical.ts';

type Node =
  | { kind: 'literal'; value: unknown }
  | { kind: 'var'; name: string }
  | { kind: 'member'; object: Node; name: string }
  | { kind: 'index'; object: Node; index: Node }
  | { kind: 'call'; object: Node; method: string; args: Node[] }
  | { kind: 'unary'; op: '!' | '-'; arg: Node }
  | { kind: 'binary'; op: string; left: Node; right: Node }
  | { kind: 'ternary'; test: Node; then: Node; else: Node };

type Token = { type: 'num' | 'str' | 'id' | 'op' | 'eof'; text: string; pos: number; value?: unknown };

const OPS = ['===', '!==', '==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '(', ')', '[', ']', '.', ',', '-', '+', '?', ':'];
const METHODS = new Set(['get', 'startsWith', 'endsWith', 'contains', 'includes', 'matches', 'equals', 'toUpperCase', 'toLowerCase', 'length', 'size', 'trim', 'toString', 'isEmpty']);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    if (/[0-9]/.test(c)) {
      const m = /^\d+(\.\d+)?([eE][+-]?\d+)?[LlDdFf]?/.exec(src.slice(i))!;
      out.push({ type: 'num', text: m[0], pos: i, value: Number(m[0].replace(/[LlDdFf]$/, '')) });
      i += m[0].length;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const e = src[++j];
          s += ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[e] ?? e;
        } else s += src[j];
        j++;
      }
      if (j >= src.length) throw new ConfigException(`Unterminated string starting at position ${i} in expression: ${src}`);
      out.push({ type: 'str', text: src.slice(i, j + 1), pos: i, value: s });
      i = j + 1;
      continue;
    }
    if (/[A-Za-z_$]/.test(c)) {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(src.slice(i))!;
      out.push({ type: 'id', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ConfigException(`Unexpected character '${c}' at position ${i} in expression: ${src}`);
    out.push({ type: 'op', text: op, pos: i });
    i += op.length;
  }
  out.push({ type: 'eof', text: '<end>', pos: src.length });
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[], private readonly src: string) {}

  private peek(): Token { return this.tokens[this.i]; }
  private next(): Token { return this.tokens[this.i++]; }
  private is(text: string): boolean { const t = this.peek(); return (t.type === 'op' || t.type === 'id') && t.text === text; }
  private expect(text: string): void {
    const t = this.next();
    if (t.text !== text) this.fail(t, `'${text}'`);
  }
  private fail(t: Token, expected: string): never {
    throw new ConfigException(`Expression error at position ${t.pos}: expected ${expected} but found '${t.text}' in: ${this.src}`);
  }

  parse(): Node {
    const n = this.ternary();
    if (this.peek().type !== 'eof') this.fail(this.peek(), 'end of expression');
    return n;
  }

  private ternary(): Node {
    const test = this.or();
    if (!this.is('?')) return test;
    this.next();
    const then = this.ternary();
    this.expect(':');
    return { kind: 'ternary', test, then, else: this.ternary() };
  }

  private or(): Node {
    let n = this.and();
    while (this.is('||') || this.is('or')) { this.next(); n = { kind: 'binary', op: '||', left: n, right: this.and() }; }
    return n;
  }

  private and(): Node {
    let n = this.cmp();
    while (this.is('&&') || this.is('and')) { this.next(); n = { kind: 'binary', op: '&&', left: n, right: this.cmp() }; }
    return n;
  }

  private cmp(): Node {
    const left = this.add();
    for (const op of ['===', '!==', '==', '!=', '<=', '>=', '<', '>']) {
      if (this.is(op)) {
        this.next();
        return { kind: 'binary', op, left, right: this.add() };
      }
    }
    return left;
  }

  private add(): Node {
    let n = this.unary();
    while (this.is('+') || this.is('-')) { const op = this.next().text; n = { kind: 'binary', op, left: n, right: this.unary() }; }
    return n;
  }

  private unary(): Node {
    if (this.is('!')) { this.next(); return { kind: 'unary', op: '!', arg: this.unary() }; }
    if (this.is('-')) { this.next(); return { kind: 'unary', op: '-', arg: this.unary() }; }
    return this.postfix();
  }

  private postfix(): Node {
    let n = this.primary();
    for (;;) {
      if (this.is('.')) {
        this.next();
        const id = this.next();
        if (id.type !== 'id') this.fail(id, 'a field or method name');
        if (this.is('(')) {
          if (!METHODS.has(id.text)) throw new ConfigException(`Expression error at position ${id.pos}: method '${id.text}' is not allowed; allowed: ${[...METHODS].join(', ')}`);
          this.next();
          const args: Node[] = [];
          while (!this.is(')')) {
            args.push(this.ternary());
            if (!this.is(')')) this.expect(',');
          }
          this.expect(')');
          n = { kind: 'call', object: n, method: id.text, args };
        } else n = { kind: 'member', object: n, name: id.text };
      } else if (this.is('[')) {
        this.next();
        const index = this.ternary();
        this.expect(']');
        n = { kind: 'index', object: n, index };
      } else return n;
    }
  }

  private primary(): Node {
    const t = this.next();
    if (t.type === 'num' || t.type === 'str') return { kind: 'literal', value: t.value };
    if (t.type === 'id') {
      if (t.text === 'true' || t.text === 'false') return { kind: 'literal', value: t.text === 'true' };
      if (t.text === 'null') return { kind: 'literal', value: null };
      if (!VARIABLES.includes(t.text)) throw new ConfigException(`Expression error at position ${t.pos}: unknown variable '${t.text}'; available: ${VARIABLES.join(', ')}`);
      return { kind: 'var', name: t.text };
    }
    if (t.text === '(') {
      const n = this.ternary();
      this.expect(')');
      return n;
    }
    return this.fail(t, 'a value, variable or (');
  }
}

export const VARIABLES = ['value', 'key', 'valueSchema', 'keySchema', 'topic', 'headers', 'partition', 'timestamp'];

export type Bindings = Record<(typeof VARIABLES)[number], unknown>;

function member(obj: unknown, name: string): unknown {
  if (obj === null || obj === undefined) return null;
  if (obj instanceof Struct) return obj.schema.field(name) ? obj.getWithoutDefault(name) : null;
  if (obj instanceof Headers) return obj.lastWithName(name)?.value ?? null;
  if (obj instanceof Map) return obj.get(name) ?? null;
  if (typeof obj === 'object') {
    if (name in (obj as object) && Object.prototype.hasOwnProperty.call(obj, name)) return (obj as Record<string, unknown>)[name];
    // Schemas: expose their documented properties (valueSchema.name, .version, .type …).
    const v = (obj as Record<string, unknown>)[name];
    return typeof v === 'function' ? null : (v ?? null);
  }
  if (typeof obj === 'string' && name === 'length') return obj.length;
  return null;
}

function normalize(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof BigDecimal) return v.toNumber();
  if (v instanceof Date) return v.getTime();
  return v;
}

function equal(a: unknown, b: unknown): boolean {
  a = normalize(a);
  b = normalize(b);
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  return a === b || (typeof a === 'number' && typeof b === 'string' && String(a) === b) || (typeof b === 'number' && typeof a === 'string' && String(b) === a);
}

function call(obj: unknown, method: string, args: unknown[]): unknown {
  if (method === 'get') return member(obj, String(args[0]));
  if (obj === null || obj === undefined) return null;
  const s = typeof obj === 'string' ? obj : null;
  switch (method) {
    case 'startsWith': return s !== null && s.startsWith(String(args[0]));
    case 'endsWith': return s !== null && s.endsWith(String(args[0]));
    case 'contains':
    case 'includes': return s !== null ? s.includes(String(args[0])) : Array.isArray(obj) ? obj.some((x) => equal(x, args[0])) : false;
    case 'matches': return s !== null && new RegExp(`^(?:${String(args[0])})$`).test(s);
    case 'equals': return equal(obj, args[0]);
    case 'toUpperCase': return s?.toUpperCase() ?? null;
    case 'toLowerCase': return s?.toLowerCase() ?? null;
    case 'trim': return s?.trim() ?? null;
    case 'toString': return String(normalize(obj));
    case 'length':
    case 'size': return s !== null ? s.length : Array.isArray(obj) ? obj.length : null;
    case 'isEmpty': return s !== null ? s.length === 0 : Array.isArray(obj) ? obj.length === 0 : false;
  }
  return null;
}

function evaluate(n: Node, env: Bindings): unknown {
  switch (n.kind) {
    case 'literal': return n.value;
    case 'var': return env[n.name] ?? null;
    case 'member': return member(evaluate(n.object, env), n.name);
    case 'index': return member(evaluate(n.object, env), String(evaluate(n.index, env)));
    case 'call': return call(evaluate(n.object, env), n.method, n.args.map((a) => evaluate(a, env)));
    case 'unary': {
      const v = evaluate(n.arg, env);
      return n.op === '!' ? !truthy(v) : -Number(normalize(v));
    }
    case 'ternary': return truthy(evaluate(n.test, env)) ? evaluate(n.then, env) : evaluate(n.else, env);
    case 'binary': {
      if (n.op === '&&') return truthy(evaluate(n.left, env)) && truthy(evaluate(n.right, env));
      if (n.op === '||') return truthy(evaluate(n.left, env)) || truthy(evaluate(n.right, env));
      const l = normalize(evaluate(n.left, env));
      const r = normalize(evaluate(n.right, env));
      switch (n.op) {
        case '==': case '===': return equal(l, r);
        case '!=': case '!==': return !equal(l, r);
        case '+': return typeof l === 'string' || typeof r === 'string' ? `${String(l ?? 'null')}${String(r ?? 'null')}` : Number(l) + Number(r);
        case '-': return Number(l) - Number(r);
      }
      if (l === null || r === null) return false;
      switch (n.op) {
        case '<': return (l as number) < (r as number);
        case '<=': return (l as number) <= (r as number);
        case '>': return (l as number) > (r as number);
        case '>=': return (l as number) >= (r as number);
      }
      return null;
    }
  }
}

function truthy(v: unknown): boolean {
  return v !== null && v !== undefined && v !== false && v !== 0 && v !== '';
}

export class Expression {
  private readonly ast: Node;
  constructor(readonly source: string) {
    this.ast = new Parser(tokenize(source), source).parse();
  }
  evaluate(env: Bindings): unknown {
    return evaluate(this.ast, env);
  }
  test(env: Bindings): boolean {
    return truthy(this.evaluate(env));
  }
}

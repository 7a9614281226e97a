/** Java regex → JavaScript translation and Matcher replacement semantics. */
import { describe, expect, it } from 'vitest';
import { compileJavaRegex, compileJavaReplacement } from './java-regex.ts';

describe('compileJavaRegex', () => {
  it.each([
    ['a.c', 'abc', true],
    ['a.c', 'xabc', false],
    ['(?i)abc', 'ABC', true],
    ['(?is)a.c', 'A\nC', true],
    ['\\Qa+b\\E', 'a+b', true],
    ['\\Qa+b', 'a+b', true],
    ['\\Aab\\z', 'ab', true],
    ['\\p{Lower}+', 'abc', true],
    ['\\p{Lower}+', 'aBc', false],
    ['[\\p{Upper}\\p{Digit}]+', 'A1B2', true],
    ['\\P{Alpha}+', '123', true],
    ['\\p{L}+', 'héllo', true],
    ['\\p{IsLatin}+', 'abc', true],
    ['\\p{javaLowerCase}+', 'abc', true],
    ['\\h+', ' \t', true],
    ['a\\Rb', 'a\r\nb', true],
    ['\\x{41}\\u0042\\0103', 'ABC', true],
    ['\\e', '\x1b', true],
    ['[\\-\\]]+', '-]', true],
    ['a\\-b', 'a-b', true],
    ['a]b}', 'a]b}', true],
    ['(?<db>\\w+)\\.\\k<db>', 'x.x', true],
    ['a{2,3}', 'aaa', true],
    ['(?:ab)+', 'abab', true],
    ['(?=a)a', 'a', true],
    ['\\d+(?!x)', '12', true],
  ])('%s matches %j → %s', (pattern, input, expected) => {
    expect(compileJavaRegex(pattern).matches(input)).toBe(expected);
  });

  it('counts groups (named and numbered) as Java does', () => {
    const p = compileJavaRegex('(a)(?:b)(?<name>c)(?=d)(e)');
    expect(p.groupCount).toBe(3);
    expect([...p.groupNames]).toEqual([['name', 2]]);
  });

  it.each([
    ['a++', 'possessive quantifier ++'],
    ['a*+', 'possessive quantifier *+'],
    ['a{2}+', 'possessive quantifier {2}+'],
    ['(?>a)', 'atomic groups'],
    ['[a[b]]', 'nested character classes'],
    ['[a&&b]', 'character class intersection'],
    ['a(?i)b', 'embedded flags are only supported at the start'],
    ['(?x)a b', 'embedded flag (?x) is not supported'],
    ['\\Ga', '\\G (end of the previous match)'],
    ['\\p{InGreek}', 'Unicode blocks'],
    ['\\p{Nope}', 'unknown character property'],
    ['\\y', 'illegal/unsupported escape sequence \\y'],
    ['a\\', 'the pattern ends with an unescaped backslash'],
    ['[abc', 'unclosed character class'],
    ['a{x}', 'illegal repetition'],
    ['(a', 'Invalid regex:'],
  ])('refuses %s', (pattern, message) => {
    expect(() => compileJavaRegex(pattern, 'topic.regex')).toThrow(message);
  });

  it('names the key and value in the ConfigException', () => {
    expect(() => compileJavaRegex('a++', 'pattern')).toThrow(
      'Invalid value a++ for configuration pattern: Invalid regex: possessive quantifier ++ is not supported (Java regex feature without a JavaScript equivalent)',
    );
  });
});

describe('compileJavaReplacement', () => {
  const p = compileJavaRegex('(\\w+)-(\\w+)-(\\w+)-(\\w+)-(\\w+)-(\\w+)-(\\w+)-(\\w+)-(\\w+)-(\\w+)-(?<last>\\w+)');
  const input = 'a-b-c-d-e-f-g-h-i-j-k';
  it.each([
    ['$1', 'a'],
    ['$10', 'j'],
    ['$11', 'k'],
    ['$111', 'k1'],
    ['${last}', 'k'],
    ['\\$1', '$1'],
    ['\\\\', '\\'],
    ['x$2y', 'xby'],
    ['$0', input],
  ])('%s → %s', (replacement, expected) => {
    expect(p.replaceFirst(input, compileJavaReplacement(replacement, p))).toBe(expected);
  });

  it('replaceFirst replaces the first find only; replaceAll every one', () => {
    const q = compileJavaRegex('o');
    expect(q.replaceFirst('foo', compileJavaReplacement('0', q))).toBe('f0o');
    expect(q.replaceAll('foo', compileJavaReplacement('0', q))).toBe('f00');
  });
});

/** RegexRouter — cases from Kafka Connect's RegexRouterTest plus Java regex/replacement details. */
import { describe, expect, it } from 'vitest';
import { expectRecord, sourceRecord, transform } from './testing.ts';

describe('RegexRouter', () => {
  it.each([
    ['static replacement', 'foo', 'bar', 'foo', 'bar'],
    ["doesn't match", 'foo', 'bar', 'orig', 'orig'],
    ['identity', '(.*)', '$1', 'orig', 'orig'],
    ['add prefix', '(.*)', 'prefix-$1', 'orig', 'prefix-orig'],
    ['add suffix', '(.*)', '$1-suffix', 'orig', 'orig-suffix'],
    ['slice', '(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)', '$1', 'index-20160117', 'index'],
    [
      'Debezium topic to table name',
      'dbserver1\\.inventory\\.(.*)',
      'inventory_$1',
      'dbserver1.inventory.customers',
      'inventory_customers',
    ],
    ['the whole topic must match', 'foo', 'bar', 'foobar', 'foobar'],
    ['named group', '(?<db>[^.]+)\\.(?<table>.+)', '${table}-in-${db}', 'shop.orders', 'orders-in-shop'],
    ['escaped dollar', '(.*)', '\\$$1', 'a', '$a'],
    ['$12 falls back to $1 then "2" when there are fewer than 12 groups', '(a)(b)', '$12', 'ab', 'a2'],
    ['unmatched optional group is empty', '(a)(x)?b', '[$2]', 'ab', '[]'],
    ['replaceFirst uses the first find, not the full match', 'a|ab', 'X', 'ab', 'Xb'],
    ['embedded case-insensitive flag', '(?i)ORDERS', 'o', 'Orders', 'o'],
    ['\\Q…\\E quoting', '\\Qa.b\\E', 'x', 'a.b', 'x'],
    ['\\Q…\\E quoting (no match)', '\\Qa.b\\E', 'x', 'axb', 'axb'],
    ['POSIX class', '\\p{Alpha}+-(\\p{Digit}+)', '$1', 'abc-42', '42'],
    ['\\A and \\z anchors', '\\Aabc\\z', 'x', 'abc', 'x'],
  ])('%s', (_n, regex, replacement, topic, expected) => {
    const input = sourceRecord({ topic, key: 'k', value: 'v' });
    const out = transform('org.apache.kafka.connect.transforms.RegexRouter', { regex, replacement }).apply(input);
    if (expected === topic && !/^(?:identity)$/.test(_n)) expect(out).toBe(input);
    else expectRecord(out, input, { topic: expected });
  });

  it.each([
    [{ regex: '(', replacement: 'x' }, 'Invalid value ( for configuration regex: Invalid regex:'],
    [
      { regex: 'a++', replacement: 'x' },
      'Invalid value a++ for configuration regex: Invalid regex: possessive quantifier ++ is not supported (Java regex feature without a JavaScript equivalent)',
    ],
    [{ regex: '(?>a)', replacement: 'x' }, 'atomic groups (?>…) are not supported'],
    [{ regex: '[a-z&&[^e]]', replacement: 'x' }, 'character class intersection (&&) is not supported'],
    [
      { regex: '[a-d[m-p]]', replacement: 'x' },
      'nested character classes (class union, e.g. [a-d[m-p]]) are not supported',
    ],
    [{ regex: 'a(?i)b', replacement: 'x' }, 'embedded flags are only supported at the start of the pattern'],
    [
      { regex: '(.*)', replacement: '$2' },
      'Invalid value $2 for configuration replacement: No group 2 in regex (.*) (it has 1 group)',
    ],
    [
      { regex: '(.*)', replacement: '${name}' },
      'Invalid value ${name} for configuration replacement: No group with name {name} in regex (.*)',
    ],
    [{ regex: '(.*)', replacement: 'a$' }, 'Illegal group reference: group index is missing'],
    [{ regex: '(.*)', replacement: '$x' }, 'Illegal group reference'],
    [{ regex: '(.*)', replacement: 'a\\' }, 'character to be escaped is missing'],
    [{ replacement: 'x' }, 'Missing required configuration "regex" which has no default value.'],
  ])('config %j fails', (props, message) => {
    expect(() => transform('RegexRouter', props as Record<string, string>)).toThrow(message);
  });
});

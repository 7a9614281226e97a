/** Values.parseString typing and Java toString rendering. */
import { describe, expect, it } from 'vitest';
import { Schemas } from '../schema.ts';
import { BigDecimal } from '../logical.ts';
import { bigDecimalToString, javaToString, parseString } from './values.ts';

describe('parseString', () => {
  it.each([
    ['true', 'boolean', true],
    ['127', 'int8', 127],
    ['128', 'int16', 128],
    ['-32769', 'int32', -32769],
    ['2147483648', 'int64', 2147483648],
    ['0.5', 'float32', 0.5],
    ['0.1', 'float32', Math.fround(0.1)],
    ['1e300', 'float64', 1e300],
    ['abc', 'string', 'abc'],
    ['1.2.3', 'string', '1.2.3'],
    ['[1, "a"]', 'array', [1, 'a']],
    ['1.5e3', 'int16', 1500],
    ['1e400', 'bytes', new BigDecimal(1n, -400)],
  ])('%s → %s', (text, type, value) => {
    const r = parseString(text);
    expect([r.schema?.type, r.value]).toEqual([type, value]);
  });

  it('keeps an unparseable text as the original string', () => {
    expect(parseString(' padded ')).toEqual({ schema: Schemas.STRING, value: ' padded ' });
  });
});

describe('javaToString', () => {
  it.each([
    [1e7, Schemas.FLOAT64, '1.0E7'],
    [1.5, Schemas.FLOAT64, '1.5'],
    [3, Schemas.FLOAT64, '3.0'],
    [3, Schemas.INT32, '3'],
    [Math.fround(0.1), Schemas.FLOAT32, '0.1'],
    [12n, Schemas.INT64, '12'],
    [true, Schemas.BOOLEAN, 'true'],
    [[1, 'a'], null, '[1, a]'],
    [{ a: 1 }, null, '{a=1}'],
  ] as Array<[unknown, unknown, string]>)('%s → %s', (value, schema, expected) => {
    expect(javaToString(value, schema as never)).toBe(expected);
  });

  it.each([
    [new BigDecimal(4212n, 2), '42.12'],
    [new BigDecimal(1n, 7), '1E-7'],
    [new BigDecimal(123n, -3), '1.23E+5'],
    [new BigDecimal(-5n, 0), '-5'],
    [new BigDecimal(1n, 6), '0.000001'],
  ])('BigDecimal %s', (d, expected) => {
    expect(bigDecimalToString(d)).toBe(expected);
  });
});

/** DropHeaders — cases from Kafka Connect's DropHeadersTest. */
import { describe, expect, it } from 'vitest';
import { Schemas } from '../sdk/data.ts';
import { expectRecord, headers, sourceRecord, transform } from './testing.ts';

describe('DropHeaders', () => {
  it.each([
    [
      'drops existing headers',
      'dropped',
      [
        ['dropped', 'x', Schemas.STRING],
        ['kept', 'y', Schemas.STRING],
      ],
      [['kept', 'y', Schemas.STRING]],
    ],
    [
      'drops every header of that name',
      'dup',
      [
        ['dup', 1, Schemas.INT32],
        ['other', 2, null],
        ['dup', 3, Schemas.INT32],
      ],
      [['other', 2, null]],
    ],
    [
      'drops several names',
      'a,b',
      [
        ['a', 1, null],
        ['b', 2, null],
        ['c', 3, null],
      ],
      [['c', 3, null]],
    ],
    ['ignores absent names', 'missing', [['kept', 'y', null]], [['kept', 'y', null]]],
    ['keeps no headers', 'a', [], []],
  ] as Array<[string, string, Array<[string, unknown, null]>, Array<[string, unknown, null]>]>)(
    '%s',
    (_n, names, before, after) => {
      const input = sourceRecord({ key: 'k', value: 'v', headers: headers(...before) });
      expectRecord(
        transform('org.apache.kafka.connect.transforms.DropHeaders', { headers: names }).apply(input),
        input,
        { headers: after },
      );
      expect([...input.headers].length).toBe(before.length);
    },
  );

  it('requires a non-empty list', () => {
    expect(() => transform('DropHeaders', { headers: '' })).toThrow(
      'Invalid value [] for configuration headers: Empty list',
    );
    expect(() => transform('DropHeaders', {})).toThrow(
      'Missing required configuration "headers" which has no default value.',
    );
  });
});

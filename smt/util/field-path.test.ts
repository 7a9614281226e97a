/** KIP-821 field paths — cases from Kafka Connect's SingleFieldPathTest. */
import { describe, expect, it } from 'vitest';
import { SingleFieldPath } from './field-path.ts';

describe('SingleFieldPath', () => {
  it.each([
    ['foo', ['foo']],
    ['foo.bar', ['foo', 'bar']],
    ['foo.bar.baz', ['foo', 'bar', 'baz']],
    ['`foo.bar`.baz', ['foo.bar', 'baz']],
    ['foo.`bar.baz`', ['foo', 'bar.baz']],
    ['`foo.bar.baz`', ['foo.bar.baz']],
    ['`foo\\`.bar`.baz', ['foo`.bar', 'baz']],
    ['`foo`bar`.baz', ['foo`bar', 'baz']],
    ['foo.', ['foo', '']],
    ['.foo', ['', 'foo']],
    ['foo..bar', ['foo', '', 'bar']],
    ['`foo`', ['foo']],
    ['``', ['']],
  ])('V2 %s → %j', (path, steps) => {
    expect(new SingleFieldPath(path, 'V2').steps).toEqual(steps);
  });

  it('V1 keeps the whole name', () => {
    expect(new SingleFieldPath('foo.`bar`.baz', 'V1').steps).toEqual(['foo.`bar`.baz']);
  });

  it.each(['`foo.bar', 'foo.`bar', '`foo\\`'])('refuses the unbalanced path %s', (path) => {
    expect(() => new SingleFieldPath(path, 'V2')).toThrow(/Incomplete backtick pair in path/);
  });

  it('reads nested maps', () => {
    const p = new SingleFieldPath('a.b.c', 'V2');
    expect(p.valueFromMap({ a: { b: { c: 1 } } })).toBe(1);
    expect(p.valueFromMap({ a: { b: null } })).toBeNull();
    expect(p.valueFromMap({ x: 1 })).toBeNull();
    expect(() => p.valueFromMap({ a: 5 })).toThrow(
      'Only Map objects supported in absence of schema for [nested field access], found: java.lang.Integer',
    );
  });
});

/**
 * Differential: reading headers back — Kafka's SimpleHeaderConverter.toConnectHeader (connect-api
 * of the test broker's Kafka version, Values.parseString) against Tributary's, on the header texts
 * a worker meets: every InsertHeader literal of the transforms suite and the renderings of typed
 * headers. The typed results are compared as JsonConverter bytes (schema and payload).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runJavaHeaderReads, runTributaryHeaderRead, type HeaderReadResult } from './transforms-oracle.ts';
import { diffBytes } from './transforms-compare.ts';

const TEXTS = [
  '',
  ' ',
  'plain',
  'true',
  'false',
  'TRUE',
  'null',
  '0',
  '-0',
  '127',
  '128',
  '-129',
  '32768',
  '2147483648',
  '9223372036854775807',
  '9223372036854775808',
  '1.5e3',
  '1.5',
  '0.1',
  '3.4028235E38',
  '1e300',
  '1e400',
  '-1e-400',
  '+5',
  '1_000',
  '0x10',
  '1.0E7',
  '12:34:56.789Z',
  '2024-02-29',
  '2024-02-30',
  '2024-02-29T12:34:56.789Z',
  '2024-02-29T12:34:56Z',
  '[1,2,3]',
  '[1, 2.5]',
  '[1,"a"]',
  '[]',
  '[null]',
  '[1,null]',
  '[[1],[2]]',
  '["x","2024-02-29"]',
  '{"a":1,"b":2}',
  '{"a":{"b":1}}',
  '{}',
  '{1:2}',
  '{"a":null}',
  '{"a":1',
  '[1,2',
  'true}',
  '"quoted"',
  'say "hi"',
  'back\\slash',
  'a:b',
  'a,b',
  '{"id":100,"name":"n"}',
  'AQID',
  'é ü 😀',
  '\t7\t',
  '1e',
  '.5',
  '5.',
  '-',
  '+',
];

describe("SimpleHeaderConverter.toConnectHeader against Kafka's", () => {
  const inputs = TEXTS.map((t) => Buffer.from(t, 'utf8'));
  let java: HeaderReadResult[];
  beforeAll(() => {
    java = runJavaHeaderReads(inputs);
  }, 300_000);

  it.each(TEXTS.map((text, i) => ({ text: JSON.stringify(text), i })))('reads $text as Kafka does', ({ i }) => {
    const expected = java[i];
    const actual = runTributaryHeaderRead(inputs[i]);
    const out: string[] = [];
    if (expected.ok !== actual.ok)
      out.push(
        `result: java ${expected.ok ? 'a value' : expected.error} | tributary ${actual.ok ? 'a value' : actual.error}`,
      );
    else if (expected.ok && actual.ok) diffBytes('header', expected.bytes, actual.bytes, out);
    expect(out, out.join('\n')).toEqual([]);
  });
});

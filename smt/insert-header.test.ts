/** InsertHeader — cases from Kafka Connect's InsertHeaderTest, with Values.parseString typing of the literal. */
import { describe, expect, it } from 'vitest';
import {
  SchemaBuilder,
  Schemas,
  type Schema,
  ConnectDate,
  ConnectTimestamp,
  Decimal,
  BigDecimal,
} from '../sdk/data.ts';
import { expectRecord, headers, sourceRecord, transform } from './testing.ts';

describe('InsertHeader', () => {
  it.each([
    ['a string', 'inserted-value', Schemas.STRING, 'inserted-value'],
    ['an int8', '42', Schemas.INT8, 42],
    ['an int16', '-1000', Schemas.INT16, -1000],
    ['an int32', '100000', Schemas.INT32, 100000],
    ['an int64', '9223372036854775807', Schemas.INT64, 9223372036854775807n],
    ['a Decimal beyond int64', '92233720368547758070', Decimal.schema(0), new BigDecimal(92233720368547758070n, 0)],
    ['a float32', '1.5', Schemas.FLOAT32, 1.5],
    [
      'a float32 (every finite non-integral float is FLOAT32 in Kafka)',
      '3.141592653589793',
      Schemas.FLOAT32,
      Math.fround(3.141592653589793),
    ],
    ['a float64', '1e300', Schemas.FLOAT64, 1e300],
    ['an int16 from an exponent', '1.5e3', Schemas.INT16, 1500],
    ['a boolean', 'true', Schemas.BOOLEAN, true],
    ['an ISO date', '2017-01-03', ConnectDate.schema(), new Date(Date.UTC(2017, 0, 3))],
    ['an ISO timestamp', '2017-01-03T06:30:01.864Z', ConnectTimestamp.schema(), new Date(1_483_425_001_864)],
    ['an array', '[1, 2, 3]', SchemaBuilder.array(Schemas.INT8).build(), [1, 2, 3]],
    ['a map', '{"a": 1, "b": 2}', SchemaBuilder.map(Schemas.STRING, Schemas.INT8).build(), { a: 1, b: 2 }],
    ['null', 'null', null, null],
    ['text with spaces', 'hello world', Schemas.STRING, 'hello world'],
    ['an empty string', '', Schemas.STRING, ''],
  ] as Array<[string, string, Schema | null, unknown]>)('inserts %s', (_n, literal, schema, value) => {
    const input = sourceRecord({
      key: 'k',
      value: 'v',
      headers: headers(['existing', 'existing-value', Schemas.STRING]),
    });
    expectRecord(
      transform('org.apache.kafka.connect.transforms.InsertHeader', {
        header: 'inserted',
        'value.literal': literal,
      }).apply(input),
      input,
      {
        headers: [
          ['existing', 'existing-value', Schemas.STRING],
          ['inserted', value, schema],
        ],
      },
    );
  });

  it('adds a second header of the same name rather than replacing it', () => {
    const input = sourceRecord({ headers: headers(['inserted', 'old', Schemas.STRING]) });
    expectRecord(transform('InsertHeader', { header: 'inserted', 'value.literal': 'new' }).apply(input), input, {
      headers: [
        ['inserted', 'old', Schemas.STRING],
        ['inserted', 'new', Schemas.STRING],
      ],
    });
  });

  it('requires header and value.literal', () => {
    expect(() => transform('InsertHeader', { 'value.literal': 'x' })).toThrow(
      'Missing required configuration "header" which has no default value.',
    );
    expect(() => transform('InsertHeader', { header: 'x' })).toThrow(
      'Missing required configuration "value.literal" which has no default value.',
    );
  });
});

/** TimestampConverter, cases after Kafka Connect's TimestampConverterTest (1970-01-02T00:00:01Z and friends). */
import { describe, it, expect } from 'vitest';
import { SchemaBuilder, Schemas } from '../runtime/data/schema.ts';
import { Struct } from '../runtime/data/struct.ts';
import { ConnectDate, ConnectTime, ConnectTimestamp } from '../runtime/data/logical.ts';
import { SourceRecord } from '../runtime/data/records.ts';
import { createPluginRegistry } from '../runtime/plugins/builtins.ts';

const registry = createPluginRegistry();
const conv = (props: Record<string, string>, side: 'Key' | 'Value' = 'Value') => {
  const t = registry.get(`org.apache.kafka.connect.transforms.TimestampConverter$${side}`, 'transformation').create();
  t.configure(props);
  return t;
};
const rec = (valueSchema: ConstructorParameters<typeof SourceRecord>[0]['valueSchema'], value: unknown) => new SourceRecord({ topic: 't', valueSchema, value });

const DATE_PLUS_TIME = Date.UTC(1970, 0, 2, 0, 0, 1); // 86401000
const FORMAT = 'yyyy-MM-dd HH:mm:ss.SSS';
const STRING = '1970-01-02 00:00:01.000';

describe('TimestampConverter', () => {
  it.each([
    ['Timestamp → string', { 'target.type': 'string', format: FORMAT }, new Date(DATE_PLUS_TIME), STRING],
    ['string → Timestamp', { 'target.type': 'Timestamp', format: FORMAT }, STRING, new Date(DATE_PLUS_TIME)],
    ['Timestamp → unix ms', { 'target.type': 'unix' }, new Date(DATE_PLUS_TIME), DATE_PLUS_TIME],
    ['Timestamp → unix seconds', { 'target.type': 'unix', 'unix.precision': 'seconds' }, new Date(DATE_PLUS_TIME), 86401],
    ['Timestamp → unix µs', { 'target.type': 'unix', 'unix.precision': 'microseconds' }, new Date(DATE_PLUS_TIME), 86_401_000_000],
    ['unix µs → Timestamp', { 'target.type': 'Timestamp', 'unix.precision': 'microseconds' }, 86_401_000_000, new Date(DATE_PLUS_TIME)],
    ['Timestamp → Date', { 'target.type': 'Date' }, new Date(DATE_PLUS_TIME), new Date(Date.UTC(1970, 0, 2))],
    ['Timestamp → Time', { 'target.type': 'Time' }, new Date(DATE_PLUS_TIME), new Date(1000)],
    ['string with zone → unix', { 'target.type': 'unix', format: "yyyy-MM-dd'T'HH:mm:ssXXX" }, '1970-01-02T02:00:01+02:00', DATE_PLUS_TIME],
  ])('schemaless %s', (_name, props, input, expected) => {
    expect(conv(props as Record<string, string>).apply(rec(null, input))!.value).toEqual(expected);
  });

  it('converts a struct field and its schema, keeping optionality', () => {
    const schema = SchemaBuilder.struct().field('id', Schemas.INT32).field('ts', ConnectTimestamp.builder().optional().build()).build();
    const r = conv({ field: 'ts', 'target.type': 'string', format: FORMAT }).apply(rec(schema, new Struct(schema).put('id', 1).put('ts', new Date(DATE_PLUS_TIME))))!;
    expect(r.valueSchema!.field('ts')!.schema).toEqual(Schemas.OPTIONAL_STRING);
    expect((r.value as Struct).get('ts')).toBe(STRING);
    expect((r.value as Struct).get('id')).toBe(1);
  });

  it('converts a whole value with schema to the logical types', () => {
    const toDate = conv({ 'target.type': 'Date' }).apply(rec(ConnectTimestamp.schema(), new Date(DATE_PLUS_TIME)))!;
    expect(toDate.valueSchema!.name).toBe(ConnectDate.LOGICAL_NAME);
    const toTime = conv({ 'target.type': 'Time' }).apply(rec(Schemas.INT64, DATE_PLUS_TIME))!;
    expect([toTime.valueSchema!.name, toTime.value]).toEqual([ConnectTime.LOGICAL_NAME, new Date(1000)]);
  });

  it('requires a format for string targets and explains a mismatch', () => {
    expect(() => conv({ 'target.type': 'string' })).toThrow('TimestampConverter requires format option to be specified when using string timestamps');
    expect(() => conv({ 'target.type': 'unix', format: FORMAT }).apply(rec(null, 'yesterday'))).toThrow(/does not match pattern/);
    expect(conv({ 'target.type': 'unix' }).apply(rec(null, null))!.value).toBeNull();
  });
});

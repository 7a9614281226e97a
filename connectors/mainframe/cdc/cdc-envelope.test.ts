import { describe, it, expect } from 'vitest';
import { SinkRecord, Struct, BigDecimal } from '../../../sdk/data.ts';
import { CopybookConverter } from '../converter/copybook-converter.ts';
import { CDC_COPYBOOK, cdcRecord, withRdw } from '../testing.ts';
import { MainframeCdcEnvelope } from './cdc-envelope.ts';
import { timestampParser } from './timestamp-format.ts';

const converter = new CopybookConverter();
converter.configure({ 'copybook.contents': CDC_COPYBOOK }, false);

function sinkRecord(bytes: Buffer, offset = 0): SinkRecord {
  const { schema, value } = converter.toConnectData('mf.cdc', bytes) as {
    schema: NonNullable<SinkRecord['valueSchema']>;
    value: Struct;
  };
  return new SinkRecord({
    topic: 'mf.cdc',
    kafkaPartition: 0,
    kafkaOffset: offset,
    valueSchema: schema,
    value,
    timestamp: 1_700_000_000_000,
  });
}

describe('CopybookConverter', () => {
  it('decodes a raw EBCDIC message into a struct', () => {
    const r = sinkRecord(cdcRecord('PT', '2024-05-01-12.30.45.123456', null, [42, 'ALICE', 1050n]));
    const v = r.value as Struct;
    expect((v.get('HDR') as Struct).get('OP_CODE')).toBe('PT');
    expect((v.get('BEFORE_IMAGE') as Struct).get('CUST_ID')).toBeNull();
    expect((v.get('AFTER_IMAGE') as Struct).get('BALANCE')).toEqual(new BigDecimal(1050n, 2));
    expect(r.valueSchema!.name).toBe('mf.cdc.Value');
  });

  it('unwraps an RDW-framed message and refuses to encode', () => {
    const c = new CopybookConverter();
    c.configure({ 'copybook.contents': CDC_COPYBOOK, 'message.framing': 'rdw' }, false);
    const { value } = c.toConnectData(
      't',
      withRdw(cdcRecord('DL', '2024-05-01-12.30.45.000000', [1, 'X', 1n], null)),
    ) as { value: Struct };
    expect((value.get('HDR') as Struct).get('OP_CODE')).toBe('DL');
    expect(() => c.fromConnectData()).toThrow(/only reads mainframe records/);
  });

  it('reports invalid data as a DataException naming the field', () => {
    const bytes = cdcRecord('PT', '2024-05-01-12.30.45.000000', null, [1, 'X', 1n]);
    bytes[28 + 22 + 4] = 0x11; // after CUST-ID last byte: sign nibble 1
    expect(() => converter.toConnectData('mf.cdc', bytes)).toThrow(
      /Converting mainframe record on mf.cdc to Kafka Connect data failed: Invalid data in field CDC-REC.AFTER-IMAGE.CUST-ID at byte 50/,
    );
  });
});

describe('MainframeCdcEnvelope', () => {
  const t = new MainframeCdcEnvelope();
  t.configure({
    'op.field': 'HDR.OP-CODE',
    'op.map': 'PT=c,UP=u,DL=d',
    'timestamp.field': 'HDR.CHANGE-TS',
    'before.field': 'BEFORE-IMAGE',
    'after.field': 'AFTER-IMAGE',
    'key.fields': 'CUST-ID',
    'source.name': 'zos1',
  });

  it('maps inserts, updates and deletes onto Debezium envelopes', () => {
    const ins = t.apply(sinkRecord(cdcRecord('PT', '2024-05-01-12.30.45.123456', null, [42, 'ALICE', 1050n])))!;
    const v = ins.value as Struct;
    expect(ins.valueSchema!.name).toBe('mf.cdc.Envelope');
    expect(v.get('op')).toBe('c');
    expect(v.get('before')).toBeNull();
    expect((v.get('after') as Struct).get('NAME')).toBe('ALICE');
    expect((v.get('after') as Struct).schema.name).toBe('mf.cdc.Value');
    expect((v.get('source') as Struct).get('ts_ms')).toBe(Date.UTC(2024, 4, 1, 12, 30, 45, 123));
    expect((v.get('source') as Struct).get('name')).toBe('zos1');
    expect((ins.key as Struct).get('CUST_ID')).toBe(42);
    v.validate();

    const upd = t.apply(
      sinkRecord(cdcRecord('UP', '2024-05-01-12.31.00.000000', [42, 'ALICE', 1050n], [42, 'ALICE B', -1n])),
    )!;
    expect((upd.value as Struct).get('op')).toBe('u');
    expect(((upd.value as Struct).get('before') as Struct).get('BALANCE')).toEqual(new BigDecimal(1050n, 2));
    expect(((upd.value as Struct).get('after') as Struct).get('BALANCE')).toEqual(new BigDecimal(-1n, 2));

    const del = t.apply(sinkRecord(cdcRecord('DL', '2024-05-01-12.32.00.000000', [42, 'ALICE B', -1n], null)))!;
    expect((del.value as Struct).get('op')).toBe('d');
    expect((del.value as Struct).get('after')).toBeNull();
    expect((del.key as Struct).get('CUST_ID')).toBe(42);
  });

  it('fails on unknown operation codes unless told to skip them', () => {
    expect(() => t.apply(sinkRecord(cdcRecord('XX', '2024-05-01-12.32.00.000000', null, [1, 'A', 1n])))).toThrow(
      'Unknown CDC operation code "XX" in HDR.OP_CODE; map it in op.map',
    );
    const skip = new MainframeCdcEnvelope();
    skip.configure({ 'op.field': 'HDR.OP-CODE', 'op.map': 'PT=c', 'op.unknown': 'skip', 'after.field': 'AFTER-IMAGE' });
    expect(skip.apply(sinkRecord(cdcRecord('XX', '2024-05-01-12.32.00.000000', null, [1, 'A', 1n])))).toBeNull();
    expect(() => skip.configure({ 'op.field': 'A', 'op.map': 'PT=x', 'after.field': 'B' })).toThrow(
      /op.map: expected CODE=c\|u\|d\|r/,
    );
  });

  it('parses timestamp formats', () => {
    expect(timestampParser('yyyyMMddHHmmss')('20240501123045')).toBe(Date.UTC(2024, 4, 1, 12, 30, 45));
    expect(timestampParser('epoch_s')('1700000000')).toBe(1_700_000_000_000);
    expect(() => timestampParser('yyyy-Q')).toThrow(/unsupported pattern letter 'Q'/);
    expect(() => timestampParser('yyyy')('20x4')).toThrow(/does not match the format "yyyy"/);
  });
});

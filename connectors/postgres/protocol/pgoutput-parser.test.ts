import { describe, it, expect } from 'vitest';
import { parsePgOutputMessage, PgOutputParseError } from './pgoutput-parser.ts';
import { UNCHANGED_TOAST } from './pgoutput-messages.ts';
import { parseReplicationFrame, serializeStandbyStatusUpdate } from './replication-frames.ts';
import { parseLsn, formatLsn, PG_EPOCH_OFFSET_MICROS } from './lsn.ts';

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const cstr = (s: string): string => Buffer.from(s + '\0').toString('hex');

describe('LSN', () => {
  it('parses and prints X/Y', () => {
    expect(parseLsn('16/B374D848')).toBe(0x16b374d848n);
    expect(formatLsn(0x16b374d848n)).toBe('16/B374D848');
    expect(formatLsn(0n)).toBe('0/0');
    expect(() => parseLsn('nope')).toThrow(/Not an LSN/);
  });
});

describe('pgoutput messages (byte vectors)', () => {
  it('Begin', () => {
    // 'B' final_lsn=0/16B3748 commit_time=1 (µs after 2000-01-01) xid=742
    const m = parsePgOutputMessage(hex('42 0000000016B37480 0000000000000001 000002E6'));
    expect(m).toEqual({ tag: 'begin', finalLsn: 0x16b37480n, commitTimeMicros: PG_EPOCH_OFFSET_MICROS + 1n, xid: 742 });
  });

  it('Commit', () => {
    const m = parsePgOutputMessage(hex('43 00 0000000016B37480 0000000016B374B0 0000000000000000'));
    expect(m).toEqual({
      tag: 'commit',
      flags: 0,
      commitLsn: 0x16b37480n,
      endLsn: 0x16b374b0n,
      commitTimeMicros: PG_EPOCH_OFFSET_MICROS,
    });
  });

  it('Origin', () => {
    expect(parsePgOutputMessage(hex(`4F 0000000000000010 ${cstr('sub1')}`))).toEqual({
      tag: 'origin',
      originLsn: 16n,
      name: 'sub1',
    });
  });

  it('Relation with key flags, typmods and an empty namespace (pg_catalog)', () => {
    const body = `52 00004001 ${cstr('public')} ${cstr('t')} 64 0002 01 ${cstr('id')} 00000017 FFFFFFFF 00 ${cstr('n')} 000006A4 000A0006`;
    expect(parsePgOutputMessage(hex(body))).toEqual({
      tag: 'relation',
      xid: undefined,
      relationOid: 0x4001,
      namespace: 'public',
      name: 't',
      replicaIdentity: 'd',
      columns: [
        { isKey: true, name: 'id', typeOid: 23, typeModifier: -1 },
        { isKey: false, name: 'n', typeOid: 1700, typeModifier: 0x000a0006 },
      ],
    });
    const m = parsePgOutputMessage(hex(`52 00000001 00 ${cstr('x')} 66 0000`));
    expect(m).toMatchObject({ namespace: 'pg_catalog', replicaIdentity: 'f', columns: [] });
  });

  it('Type', () => {
    expect(parsePgOutputMessage(hex(`59 00004010 ${cstr('public')} ${cstr('mood')}`))).toEqual({
      tag: 'type',
      xid: undefined,
      typeOid: 0x4010,
      namespace: 'public',
      name: 'mood',
    });
  });

  it('Insert with text, null, unchanged-toast and binary columns', () => {
    const m = parsePgOutputMessage(hex(`49 00004001 4E 0004 74 00000002 3432 6E 75 62 00000002 0102`));
    expect(m).toEqual({
      tag: 'insert',
      xid: undefined,
      relationOid: 0x4001,
      newTuple: ['42', null, UNCHANGED_TOAST, Buffer.from([1, 2])],
    });
  });

  it('texts are decoded as UTF-8 whether or not the message is all ASCII', () => {
    const text = (s: string): string => {
      const b = Buffer.from(s, 'utf8');
      return `74 ${b.length.toString(16).padStart(8, '0')} ${b.toString('hex')}`;
    };
    const insert = (...cols: string[]) =>
      parsePgOutputMessage(hex(`49 00004001 4E ${cols.length.toString(16).padStart(4, '0')} ${cols.join(' ')}`));
    expect(insert(text('abc'), '6E', text('12'))).toMatchObject({ newTuple: ['abc', null, '12'] });
    expect(insert(text('abc'), text('héllo €'), text('x'), '75')).toMatchObject({
      newTuple: ['abc', 'héllo €', 'x', UNCHANGED_TOAST],
    });
    // An old tuple all ASCII followed by a new tuple that is not.
    const m = parsePgOutputMessage(hex(`55 00004001 4F 0001 ${text('k1')} 4E 0002 ${text('ü')} ${text('z')}`));
    expect(m).toMatchObject({ oldTuple: ['k1'], newTuple: ['ü', 'z'] });
  });

  it('Update with key tuple, old tuple, and new tuple only', () => {
    const tuple1 = '0001 74 00000001 31';
    const tuple2 = '0001 74 00000001 32';
    expect(parsePgOutputMessage(hex(`55 00004001 4B ${tuple1} 4E ${tuple2}`))).toMatchObject({
      keyTuple: ['1'],
      newTuple: ['2'],
    });
    expect(parsePgOutputMessage(hex(`55 00004001 4F ${tuple1} 4E ${tuple2}`))).toMatchObject({
      oldTuple: ['1'],
      newTuple: ['2'],
    });
    const only = parsePgOutputMessage(hex(`55 00004001 4E ${tuple2}`));
    expect(only).toEqual({ tag: 'update', xid: undefined, relationOid: 0x4001, newTuple: ['2'] });
    expect(() => parsePgOutputMessage(hex(`55 00004001 58 ${tuple2}`))).toThrow(PgOutputParseError);
  });

  it('Delete with key or old tuple', () => {
    expect(parsePgOutputMessage(hex('44 00004001 4B 0001 74 00000001 37'))).toEqual({
      tag: 'delete',
      xid: undefined,
      relationOid: 0x4001,
      keyTuple: ['7'],
    });
    expect(parsePgOutputMessage(hex('44 00004001 4F 0001 6E'))).toMatchObject({ oldTuple: [null] });
  });

  it('Truncate with options', () => {
    expect(parsePgOutputMessage(hex('54 00000002 03 00004001 00004002'))).toEqual({
      tag: 'truncate',
      xid: undefined,
      cascade: true,
      restartIdentity: true,
      relationOids: [0x4001, 0x4002],
    });
  });

  it('logical decoding Message', () => {
    expect(parsePgOutputMessage(hex(`4D 01 0000000000000100 ${cstr('pfx')} 00000003 616263`))).toEqual({
      tag: 'message',
      xid: undefined,
      transactional: true,
      lsn: 0x100n,
      prefix: 'pfx',
      content: Buffer.from('abc'),
    });
  });

  it('streaming: Stream Start/Stop/Commit/Abort and xid-prefixed data messages', () => {
    expect(parsePgOutputMessage(hex('53 000003E8 01'))).toEqual({ tag: 'stream_start', xid: 1000, firstSegment: true });
    expect(parsePgOutputMessage(hex('45'))).toEqual({ tag: 'stream_stop' });
    expect(parsePgOutputMessage(hex('49 000003E8 00004001 4E 0001 6E'), true)).toEqual({
      tag: 'insert',
      xid: 1000,
      relationOid: 0x4001,
      newTuple: [null],
    });
    expect(
      parsePgOutputMessage(hex('63 000003E8 00 0000000000000010 0000000000000020 0000000000000000')),
    ).toMatchObject({ tag: 'stream_commit', xid: 1000, commitLsn: 16n, endLsn: 32n });
    expect(parsePgOutputMessage(hex('41 000003E8 000003E9'))).toEqual({ tag: 'stream_abort', xid: 1000, subXid: 1001 });
    expect(parsePgOutputMessage(hex('41 000003E8 000003E8 0000000000000030 0000000000000000'))).toMatchObject({
      abortLsn: 48n,
    });
  });

  it('two-phase messages', () => {
    expect(
      parsePgOutputMessage(hex(`62 0000000000000010 0000000000000020 0000000000000000 00000005 ${cstr('g1')}`)),
    ).toMatchObject({ tag: 'begin_prepare', xid: 5, gid: 'g1' });
    expect(
      parsePgOutputMessage(hex(`50 00 0000000000000010 0000000000000020 0000000000000000 00000005 ${cstr('g1')}`)),
    ).toMatchObject({ tag: 'prepare', xid: 5 });
    expect(
      parsePgOutputMessage(hex(`4B 00 0000000000000010 0000000000000020 0000000000000000 00000005 ${cstr('g1')}`)),
    ).toMatchObject({ tag: 'commit_prepared', endLsn: 32n });
    expect(
      parsePgOutputMessage(
        hex(`72 00 0000000000000010 0000000000000020 0000000000000000 0000000000000000 00000005 ${cstr('g1')}`),
      ),
    ).toMatchObject({ tag: 'rollback_prepared', rollbackEndLsn: 32n });
  });

  it('rejects unknown tags and truncated input', () => {
    expect(() => parsePgOutputMessage(hex('5A'))).toThrow(/Unknown pgoutput message tag/);
    expect(() => parsePgOutputMessage(hex('42 0000'))).toThrow(/Truncated/);
  });
});

describe('replication stream framing', () => {
  it('XLogData', () => {
    const f = parseReplicationFrame(hex('77 0000000000000010 0000000000000020 0000000000000000 45'));
    expect(f).toEqual({
      type: 'xlogdata',
      startLsn: 16n,
      walEnd: 32n,
      sendTimeMicros: PG_EPOCH_OFFSET_MICROS,
      data: Buffer.from('E'),
    });
  });

  it('primary keepalive', () => {
    expect(parseReplicationFrame(hex('6B 0000000000000020 0000000000000001 01'))).toEqual({
      type: 'keepalive',
      walEnd: 32n,
      sendTimeMicros: PG_EPOCH_OFFSET_MICROS + 1n,
      replyRequested: true,
    });
  });

  it('standby status update serializes to 34 bytes', () => {
    const b = serializeStandbyStatusUpdate({
      written: 0x10n,
      flushed: 0x10n,
      applied: 0x10n,
      clockUnixMicros: PG_EPOCH_OFFSET_MICROS + 2n,
    });
    expect(b.toString('hex')).toBe('72' + '0000000000000010'.repeat(3) + '0000000000000002' + '00');
  });
});

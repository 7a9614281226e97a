import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runMainframeCommand } from './mainframe-command.ts';
import { encodeBinary, encodePacked, encodeText, encodeZoned, vbBlock, withRdw } from '../testing.ts';

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = { stdout: new Collect(), stderr: new Collect() };
  const code = await runMainframeCommand(args, io);
  return { code, out: io.stdout.text, err: io.stderr.text };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-mf-cli-'));
const copybook = path.join(dir, 'rec.cpy');
fs.writeFileSync(
  copybook,
  [
    '       01  REC.',
    '           05  KIND        PIC X.',
    '           05  ORDER-HDR.',
    '               10  ORDER-ID    PIC 9(18) COMP.',
    '               10  TOTAL       PIC S9(5)V99 COMP-3.',
    '               10  N           PIC 9.',
    '               10  ITEMS OCCURS 0 TO 3 DEPENDING ON N PIC X(2).',
    '           05  NOTE REDEFINES ORDER-HDR.',
    '               10  NOTE-TEXT   PIC X(8).',
    '               10  FILLER      PIC X(10).',
    '           05  RATE        COMP-1.',
  ].join('\n'),
);

describe('tributary mainframe', () => {
  it('decode writes one JSON object per record (VB, segments, ODO, big integers as strings)', async () => {
    const order = Buffer.concat([
      encodeText('O', 1),
      Buffer.from('7FFFFFFFFFFFFFFF', 'hex'),
      encodePacked(-1230, 7),
      encodeZoned(2, 1, false),
      encodeText('AABBCC', 6),
      Buffer.from('41100000', 'hex'),
    ]);
    const note = Buffer.concat([
      encodeText('N', 1),
      encodeText('HELLO', 8),
      encodeText('', 11),
      Buffer.from('C276A000', 'hex'),
    ]);
    const input = path.join(dir, 'data.vb');
    fs.writeFileSync(input, Buffer.concat([vbBlock([order, note])]));
    const r = await run([
      'decode',
      '--copybook',
      copybook,
      '--input',
      input,
      '--encoding',
      'cp037',
      '--record-format',
      'VB',
      '--segment-field',
      'KIND',
      '--segment',
      'O=ORDER-HDR',
      '--segment',
      'N=NOTE',
    ]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(
      r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      {
        KIND: 'O',
        ORDER_HDR: { ORDER_ID: '9223372036854775807', TOTAL: '-12.30', N: 2, ITEMS: ['AA', 'BB'] },
        RATE: 1,
      },
      { KIND: 'N', NOTE: { NOTE_TEXT: 'HELLO' }, RATE: -118.625 },
    ]);
  });

  it('decode reads RDW files and fixed-length files with --record-length', async () => {
    const rec = Buffer.concat([encodeText('N', 1), encodeText('X', 8), encodeText('', 10), encodeBinary(0, 4)]);
    const v = path.join(dir, 'data.v');
    fs.writeFileSync(v, Buffer.concat([withRdw(rec), withRdw(rec)]));
    const rv = await run(['decode', '--copybook', copybook, '--input', v, '--record-format', 'V']);
    expect(rv.out.trim().split('\n')).toHaveLength(2);
    const f = path.join(dir, 'data.f');
    fs.writeFileSync(f, Buffer.concat([rec, rec, rec]));
    const rf = await run([
      'decode',
      '--copybook',
      copybook,
      '--input',
      f,
      '--record-format',
      'F',
      '--record-length',
      String(rec.length),
    ]);
    expect(
      rf.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).KIND),
    ).toEqual(['N', 'N', 'N']);
  });

  it('decodes ASCII text lines with a free-format copybook (auto-detected) and a per-record header', async () => {
    const cpy = path.join(dir, 'ascii.cpy');
    fs.writeFileSync(cpy, '01 LINE.\n  05 CODE PIC X(3).\n  05 QTY PIC S9(4).\n  05 PRICE PIC 9(3)V99.\n');
    const input = path.join(dir, 'data.txt');
    fs.writeFileSync(input, 'H1|AB 001M12345\r\nH2|XYZ000{00010\n');
    const r = await run([
      'decode',
      '--copybook',
      cpy,
      '--input',
      input,
      '--encoding',
      'ascii',
      '--record-format',
      'D',
      '--copybook-format',
      'auto',
      '--option',
      'record.start.offset=3',
    ]);
    expect(r.err).toBe('');
    expect(
      r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { CODE: 'AB', QTY: -14, PRICE: '123.45' },
      { CODE: 'XYZ', QTY: 0, PRICE: '0.10' },
    ]);
  });

  it('reports truncated files and bad options', async () => {
    const f = path.join(dir, 'short.f');
    fs.writeFileSync(f, Buffer.alloc(5, 0x40));
    const r = await run([
      'decode',
      '--copybook',
      copybook,
      '--input',
      f,
      '--record-format',
      'F',
      '--record-length',
      '4',
    ]);
    expect(r.code).toBe(1);
    expect(r.err).toBe('file ends inside a fixed-length record: 1 of 4 bytes present (at byte 4)\n');
    const bad = await run(['decode', '--copybook', copybook, '--input', f, '--record-format', 'Q']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(
      /Invalid value Q for configuration record.format: String must be one of: F, FB, V, VB, D, T/,
    );
    expect((await run(['decode', '--bogus', 'x'])).code).toBe(2);
  });

  it('layout prints the computed layout', async () => {
    const r = await run(['layout', '--copybook', copybook, '--style', 'tributary']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toMatch(/^LEVEL NAME\s+TYPE\s+FLAGS\s+START\s+END\s+LENGTH$/);
    expect(r.out).toMatch(/ {4}10 ORDER-ID\s+COMP 9\(18\)\s+2\s+9\s+8\n/);
    expect(r.out).toMatch(/ {2}05 NOTE\s+GROUP\s+R\(ORDER-HDR\)\s+2\s+19\s+18\n/);
  });
});

describe('tributary mainframe: streaming, errors, help', () => {
  const cpy = path.join(dir, 'amount.cpy');
  fs.writeFileSync(
    cpy,
    ['       01  R.', '           05  ID    PIC X(2).', '           05  AMT   PIC 9(8).9(2).'].join('\n'),
  );
  const rec = (id: string, amt: string) => Buffer.concat([encodeText(id, 2), encodeText(amt, 11)]);

  it('writes the records before an invalid one, then the error naming record, file byte, field and offset, exit 1', async () => {
    const f = path.join(dir, 'amounts.f');
    fs.writeFileSync(
      f,
      Buffer.concat([
        rec('A1', '00000001.50'),
        rec('A2', '00000789.09'),
        rec('A3', '789.09'),
        rec('A4', '00000002.00'),
      ]),
    );
    const r = await run(['decode', '--copybook', cpy, '--input', f]);
    expect(
      r.out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { ID: 'A1', AMT: '1.50' },
      { ID: 'A2', AMT: '789.09' },
    ]);
    expect(r.err).toBe(
      'Record 3 (file byte 26): Invalid data in field R.AMT at byte 2 of the record: invalid character \'.\' at position 4 of numeric-edited text "789.09     " (expected a digit)\n',
    );
    expect(r.code).toBe(1);
    const lenient = await run([
      'decode',
      '--copybook',
      cpy,
      '--input',
      f,
      '--option',
      'invalid.data.policy=lenient',
      '--option',
      'generate_record_id=true',
    ]);
    expect(lenient.code).toBe(0);
    expect(JSON.parse(lenient.out.trim().split('\n')[2])).toEqual({
      File_Id: 0,
      Record_Id: 2,
      Record_Byte_Length: 13,
      ID: 'A3',
      AMT: '789.09',
    });
  });

  it('answers --help with the usage and exit 0', async () => {
    for (const args of [['--help'], ['decode', '--help'], ['layout', '--help']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.out).toContain('tributary mainframe decode');
    }
  });

  it('ends quietly when the reader closes the pipe', async () => {
    const f = path.join(dir, 'many.f');
    fs.writeFileSync(f, Buffer.concat(Array.from({ length: 20000 }, (_, i) => rec('B' + (i % 10), '00000001.00'))));
    let written = 0;
    const stdout = new Writable({
      write(_chunk, _enc, cb) {
        written++;
        const err = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
        cb(err);
      },
    });
    stdout.on('error', () => {});
    const stderr = new Collect();
    const code = await runMainframeCommand(['decode', '--copybook', cpy, '--input', f], { stdout, stderr });
    expect(code).toBe(0);
    expect(stderr.text).toBe('');
    expect(written).toBe(1);
  });

  it("layout prints Cobrix's layout table by default", async () => {
    const r = await run(['layout', '--copybook', cpy]);
    expect(r.out).toBe(
      [
        '-------- FIELD LEVEL/NAME --------- --ATTRIBS--    FLD  START     END  LENGTH',
        '',
        '1 R                                                   1      1     13     13',
        '  5 ID                                                2      1      2      2',
        '  5 AMT                                               3      3     13     11',
        '',
      ].join('\n'),
    );
  });
  it('decode writes fixed-length records as bytes, the same with generated columns, blanks and an invalid field (null or the error after the lines before it)', async () => {
    const flat = path.join(dir, 'flat.cpy');
    fs.writeFileSync(
      flat,
      [
        '       01  TXN.',
        '           05  ID    PIC 9(6) COMP-3.',
        '           05  NAME  PIC X(8).',
        '           05  AMT   PIC S9(5)V99.',
        '           05  CNT   PIC S9(4) COMP.',
      ].join('\n'),
    );
    const input = path.join(dir, 'flat.dat');
    fs.writeFileSync(
      input,
      Buffer.concat([
        encodePacked(123, 6, false),
        encodeText('ANN "Q"', 8),
        encodeZoned(-1230, 7),
        encodeBinary(7, 2),
        Buffer.alloc(4, 0x40),
        encodeText('', 8),
        encodeZoned(0, 7),
        encodeBinary(-1, 2),
        Buffer.from('1A00000F', 'hex'),
        encodeText('Z', 8),
        encodeZoned(9999999, 7),
        encodeBinary(0, 2),
      ]),
    );
    const args = [
      'decode',
      '--copybook',
      flat,
      '--input',
      input,
      '--record-format',
      'F',
      '--option',
      'generate_record_id=true',
    ];
    const r = await run([...args, '--option', 'invalid.data.policy=null']);
    expect(r.err).toBe('');
    expect(r.out).toBe(
      [
        '{"File_Id":0,"Record_Id":0,"Record_Byte_Length":21,"ID":123,"NAME":"ANN \\"Q\\"","AMT":"-12.30","CNT":7}',
        '{"File_Id":0,"Record_Id":1,"Record_Byte_Length":21,"ID":null,"NAME":"","AMT":"0.00","CNT":-1}',
        '{"File_Id":0,"Record_Id":2,"Record_Byte_Length":21,"ID":null,"NAME":"Z","AMT":"99999.99","CNT":0}',
        '',
      ].join('\n'),
    );
    const failing = await run(args);
    expect(failing.code).toBe(1);
    expect(failing.out.split('\n')).toHaveLength(3);
    expect(failing.err).toMatch(/^Record 3 \(file byte 42\): Invalid data in field TXN\.ID at byte 0/);
  });
});

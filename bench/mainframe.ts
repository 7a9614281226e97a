/**
 * Mainframe decoding: records/s and MB/s decoding a fixed-length EBCDIC file (default 1 GiB)
 * with a 30-field copybook of mixed COMP-3, zoned decimal, binary and text, on one core.
 * Phases: framing only (the reference floor: reading and cutting records), decoding to values,
 * decoding to JSON objects and decoding to Connect Structs (on a slice).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseLayout } from '../connectors/mainframe/copybook/layout.ts';
import { RecordDecoder } from '../connectors/mainframe/decoder/record-decoder.ts';
import { DEFAULT_DECODE_OPTIONS } from '../connectors/mainframe/decoder/options.ts';
import { JsonView } from '../connectors/mainframe/decoder/json-view.ts';
import { ConnectView } from '../connectors/mainframe/decoder/connect-view.ts';
import { encodeBinary, encodePacked, encodeText, encodeZoned } from '../connectors/mainframe/testing.ts';

export const COPYBOOK = `
       01  TXN.
           05  TXN-ID            PIC 9(12) COMP-3.
           05  ACCOUNT-NO        PIC 9(10).
           05  BRANCH            PIC X(6).
           05  CUSTOMER-NAME     PIC X(30).
           05  AMOUNT            PIC S9(11)V99 COMP-3.
           05  FEE               PIC S9(5)V99 COMP-3.
           05  CURRENCY          PIC X(3).
           05  RATE              PIC S9(3)V9(6) COMP-3.
           05  POSTED-DATE       PIC 9(8).
           05  POSTED-TIME       PIC 9(6).
           05  CHANNEL           PIC X(4).
           05  STATUS-CODE       PIC X(2).
           05  TELLER-ID         PIC S9(9) COMP.
           05  SEQ-NO            PIC S9(4) COMP.
           05  BALANCE-BEFORE    PIC S9(13)V99 COMP-3.
           05  BALANCE-AFTER     PIC S9(13)V99 COMP-3.
           05  REFERENCE         PIC X(16).
           05  DESCRIPTION       PIC X(40).
           05  COUNTRY           PIC X(2).
           05  MCC               PIC 9(4).
           05  POINTS            PIC S9(7) COMP-3.
           05  FLAGS             PIC X(4).
           05  TAX               PIC S9(7)V99.
           05  DISCOUNT          PIC S9(5)V99.
           05  ORIG-AMOUNT       PIC S9(11)V99 COMP-3.
           05  ORIG-CURRENCY     PIC X(3).
           05  BATCH-NO          PIC 9(6) COMP-3.
           05  TERMINAL          PIC X(8).
           05  AUTH-CODE         PIC X(6).
           05  FILLER            PIC X(10).
`;

export function record(i: number): Buffer {
  return Buffer.concat([
    encodePacked(100000000000 + i, 12, false), encodeZoned(1000000000 + (i % 999999), 10, false), encodeText(`BR${i % 1000}`, 6),
    encodeText(`CUSTOMER NUMBER ${i}`, 30), encodePacked(BigInt(i * 12345 - 500000), 13), encodePacked(i % 10000, 7), encodeText('EUR', 3),
    encodePacked(1234567, 9), encodeZoned(20240101 + (i % 28), 8, false), encodeZoned(120000 + (i % 5959), 6, false), encodeText('ATM', 4),
    encodeText('OK', 2), encodeBinary(i % 100000, 4), encodeBinary(i % 9999, 2), encodePacked(BigInt(i) * 1000n, 15), encodePacked(BigInt(i) * 1001n, 15),
    encodeText(`REF${i}`, 16), encodeText(`PAYMENT FOR ORDER ${i}`, 40), encodeText('DE', 2), encodeZoned(5411, 4, false), encodePacked(i % 1000000, 7),
    encodeText('YNNY', 4), encodeZoned(i % 1000000, 9), encodeZoned(-(i % 10000), 7), encodePacked(BigInt(i * 7), 13), encodeText('USD', 3),
    encodePacked(i % 999999, 6, false), encodeText(`T${i % 100000}`, 8), encodeText('A1B2C3', 6), encodeText('', 10),
  ]);
}

export async function runMainframeBench(opts: { bytes?: number; structBytes?: number } = {}): Promise<object> {
  const layout = parseLayout(COPYBOOK);
  const decoder = new RecordDecoder(layout, { ...DEFAULT_DECODE_OPTIONS });
  const size = layout.size;
  const sample = Buffer.concat(Array.from({ length: 4096 }, (_, i) => record(i)));
  const target = opts.bytes ?? 2 ** 30;
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'trib-bench-mf-')), 'txn.dat');
  const fd = fs.openSync(file, 'w');
  let written = 0;
  while (written + sample.length <= target) {
    fs.writeSync(fd, sample);
    written += sample.length;
  }
  fs.closeSync(fd);
  const records = written / size;
  const chunkSize = size * 16384;

  const pass = (fn: (buf: Buffer, at: number) => void, limitBytes = written): { seconds: number; cpuSeconds: number; records: number; bytes: number } => {
    const rfd = fs.openSync(file, 'r');
    const buf = Buffer.allocUnsafe(chunkSize);
    let pos = 0;
    let n = 0;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    while (pos < limitBytes) {
      const got = fs.readSync(rfd, buf, 0, Math.min(chunkSize, limitBytes - pos), pos);
      if (got <= 0) break;
      for (let at = 0; at + size <= got; at += size) { fn(buf, at); n++; }
      pos += got;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(c0);
    fs.closeSync(rfd);
    return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, records: n, bytes: pos };
  };
  // CPU-time rates too: on a shared machine wall time includes waiting for a core
  const rate = (r: { seconds: number; cpuSeconds: number; records: number; bytes: number }) => ({
    records: r.records, seconds: +r.seconds.toFixed(3), cpuSeconds: +r.cpuSeconds.toFixed(3),
    recordsPerSecond: Math.round(r.records / r.seconds), mbPerSecond: +(r.bytes / 1e6 / r.seconds).toFixed(1),
    recordsPerCpuSecond: Math.round(r.records / r.cpuSeconds), mbPerCpuSecond: +(r.bytes / 1e6 / r.cpuSeconds).toFixed(1),
  });

  let sink = 0;
  const framing = rate(pass((buf, at) => { sink += buf[at]; }));
  // warm up the JIT on a slice so the measured pass runs optimized code
  pass((buf, at) => { sink += decoder.decode(buf, at, at + size).values.length; }, Math.min(written, 20 * 2 ** 20));
  const decode = rate(pass((buf, at) => { sink += decoder.decode(buf, at, at + size).values.length; }));
  const json = new JsonView(decoder);
  const structLimit = Math.min(written, opts.structBytes ?? 100 * 2 ** 20);
  const toJson = rate(pass((buf, at) => { sink += json.toJson(decoder.decode(buf, at, at + size).values) === null ? 0 : 1; }, structLimit));
  const view = new ConnectView(decoder);
  const toStruct = rate(pass((buf, at) => { sink += view.toStruct(decoder.decode(buf, at, at + size).values).schema.fields.length; }, structLimit));
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  const result = { recordSize: size, fields: 30, fileBytes: written, fileRecords: records, framingOnly: framing, decodeToValues: decode, decodeToJson: toJson, decodeToConnectStruct: toStruct, checksum: sink };
  process.stderr.write(`${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await runMainframeBench({ bytes: Number(process.env.BENCH_BYTES ?? 2 ** 30) });
}

/**
 * Mainframe decoding: records/s and MB/s decoding a fixed-length EBCDIC file (default 1 GiB)
 * with a 30-field copybook of mixed COMP-3, zoned decimal, binary and text, on one core, next to
 * Cobrix's cobol-parser on the JVM reading the same file (bench/java/CobrixBench.java).
 * Phases: framing only (the reference floor: reading and cutting records), decoding to values
 * (the internal record form), decoding to JSON lines (the bytes `mainframe decode` writes, into
 * /dev/null), `tributary mainframe decode` as a process, and on a slice decoding to JSON objects
 * and to Connect Structs. Cobrix: its rows, and its rows written as JSON lines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildReader, parseDecodingConfig } from '../connectors/mainframe/config.ts';
import { JsonLinesWriter } from '../connectors/mainframe/decoder/json-lines-writer.ts';
import { JsonView } from '../connectors/mainframe/decoder/json-view.ts';
import { ConnectView } from '../connectors/mainframe/decoder/connect-view.ts';
import { cobrixClasspath, COBRIX_VERSION } from '../test/setup/cobrix.ts';
import { DOWNLOAD_CACHE } from '../test/setup/paths.ts';
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
    encodePacked(100000000000 + i, 12, false),
    encodeZoned(1000000000 + (i % 999999), 10, false),
    encodeText(`BR${i % 1000}`, 6),
    encodeText(`CUSTOMER NUMBER ${i}`, 30),
    encodePacked(BigInt(i * 12345 - 500000), 13),
    encodePacked(i % 10000, 7),
    encodeText('EUR', 3),
    encodePacked(1234567, 9),
    encodeZoned(20240101 + (i % 28), 8, false),
    encodeZoned(120000 + (i % 5959), 6, false),
    encodeText('ATM', 4),
    encodeText('OK', 2),
    encodeBinary(i % 100000, 4),
    encodeBinary(i % 9999, 2),
    encodePacked(BigInt(i) * 1000n, 15),
    encodePacked(BigInt(i) * 1001n, 15),
    encodeText(`REF${i}`, 16),
    encodeText(`PAYMENT FOR ORDER ${i}`, 40),
    encodeText('DE', 2),
    encodeZoned(5411, 4, false),
    encodePacked(i % 1000000, 7),
    encodeText('YNNY', 4),
    encodeZoned(i % 1000000, 9),
    encodeZoned(-(i % 10000), 7),
    encodePacked(BigInt(i * 7), 13),
    encodeText('USD', 3),
    encodePacked(i % 999999, 6, false),
    encodeText(`T${i % 100000}`, 8),
    encodeText('A1B2C3', 6),
    encodeText('', 10),
  ]);
}

type Pass = { seconds: number; cpuSeconds: number; records: number; bytes: number };

// CPU-time rates too: on a shared machine wall time includes waiting for a core
const rate = (r: Pass) => ({
  records: r.records,
  seconds: +r.seconds.toFixed(3),
  cpuSeconds: +r.cpuSeconds.toFixed(3),
  recordsPerSecond: Math.round(r.records / r.seconds),
  mbPerSecond: +(r.bytes / 1e6 / r.seconds).toFixed(1),
  recordsPerCpuSecond: Math.round(r.records / r.cpuSeconds),
  mbPerCpuSecond: +(r.bytes / 1e6 / r.cpuSeconds).toFixed(1),
  cpuMicrosPerRecord: +((r.cpuSeconds * 1e6) / r.records).toFixed(3),
});

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Cobrix's decoding of the same file: `rows` (its record form) or `json` (rows written as JSON lines), one pass after a warm-up. */
function runCobrix(
  copybook: string,
  file: string,
  mode: 'rows' | 'json',
  warmupBytes: number,
): ReturnType<typeof rate> & { thread: 'cpu seconds of the decoding thread' } {
  const classpath = cobrixClasspath();
  const classes = path.join(DOWNLOAD_CACHE, `cobrix-${COBRIX_VERSION}`, 'bench-classes');
  const source = path.join(HERE, 'java', 'CobrixBench.java');
  const stamp = path.join(classes, 'source.stamp');
  const text = fs.readFileSync(source, 'utf8');
  if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== text) {
    fs.rmSync(classes, { recursive: true, force: true });
    fs.mkdirSync(classes, { recursive: true });
    execFileSync('javac', ['-nowarn', '-cp', classpath, '-d', classes, source], { stdio: 'pipe' });
    fs.writeFileSync(stamp, text);
  }
  const out = execFileSync(
    'java',
    ['-cp', `${classes}${path.delimiter}${classpath}`, 'CobrixBench', copybook, file, mode, '1', String(warmupBytes)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 1 << 20 },
  );
  const r = JSON.parse(out.trim().split('\n').pop()!) as Pass;
  return { ...rate(r), thread: 'cpu seconds of the decoding thread' };
}

export async function runMainframeBench(
  opts: { bytes?: number; structBytes?: number; cobrix?: boolean } = {},
): Promise<object> {
  // the decoding config `tributary mainframe decode` uses (its defaults), so every phase decodes the same way
  const reader = buildReader(parseDecodingConfig({ 'copybook.contents': COPYBOOK }));
  const decoder = reader.decoder;
  const size = reader.layout.size;
  const sample = Buffer.concat(Array.from({ length: 4096 }, (_, i) => record(i)));
  const target = opts.bytes ?? 2 ** 30;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-bench-mf-'));
  const file = path.join(dir, 'txn.dat');
  const copybookFile = path.join(dir, 'txn.cpy');
  fs.writeFileSync(copybookFile, COPYBOOK);
  const fd = fs.openSync(file, 'w');
  let written = 0;
  while (written + sample.length <= target) {
    fs.writeSync(fd, sample);
    written += sample.length;
  }
  fs.closeSync(fd);
  const records = written / size;
  // large reads: 16,384 records (3.9 MB) at a time
  const chunkSize = size * 16384;

  const pass = (fn: (buf: Buffer, at: number) => void, limitBytes = written, after?: () => void): Pass => {
    const rfd = fs.openSync(file, 'r');
    const buf = Buffer.allocUnsafe(chunkSize);
    let pos = 0;
    let n = 0;
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    while (pos < limitBytes) {
      const got = fs.readSync(rfd, buf, 0, Math.min(chunkSize, limitBytes - pos), pos);
      if (got <= 0) break;
      for (let at = 0; at + size <= got; at += size) {
        fn(buf, at);
        n++;
      }
      pos += got;
    }
    after?.();
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(c0);
    fs.closeSync(rfd);
    return { seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, records: n, bytes: pos };
  };
  const warm = Math.min(written, 20 * 2 ** 20);

  let sink = 0;
  const framing = rate(
    pass((buf, at) => {
      sink += buf[at];
    }),
  );
  // warm up the JIT on a slice so the measured pass runs optimized code
  pass((buf, at) => {
    sink += decoder.decode(buf, at, at + size).values.length;
  }, warm);
  const decode = rate(
    pass((buf, at) => {
      sink += decoder.decode(buf, at, at + size).values.length;
    }),
  );

  // JSON lines: the CLI's writer into a reused 4 MiB buffer, written to /dev/null when full
  const writer = JsonLinesWriter.create(decoder, reader.schemaRetention);
  if (!writer) throw new Error('the bench copybook has no fast JSON lines writer');
  const view = new JsonView(decoder, reader.schemaRetention);
  const check = Buffer.allocUnsafe(writer.maxLineBytes);
  for (let i = 0; i < 4096; i++) {
    const n = writer.write(sample, i * size, (i + 1) * size, check, 0);
    const exact = `${JSON.stringify(view.toJson(decoder.decode(sample, i * size, (i + 1) * size).values))}\n`;
    if (n < 0 || check.toString('utf8', 0, n) !== exact)
      throw new Error(`JSON lines writer differs from JsonView at record ${i}`);
  }
  const devNull = fs.openSync('/dev/null', 'w');
  const out = Buffer.allocUnsafe(4 << 20);
  let o = 0;
  let jsonBytes = 0;
  const toLines = (buf: Buffer, at: number) => {
    if (o + writer.maxLineBytes > out.length) {
      fs.writeSync(devNull, out, 0, o);
      jsonBytes += o;
      o = 0;
    }
    const r = writer.write(buf, at, at + size, out, o);
    if (r < 0) throw new Error('bench record handed back to the exact path');
    o = r;
  };
  const drain = () => {
    fs.writeSync(devNull, out, 0, o);
    jsonBytes += o;
    o = 0;
  };
  pass(toLines, warm, drain);
  jsonBytes = 0;
  const jsonLines = { ...rate(pass(toLines, written, drain)), outputBytes: jsonBytes };
  fs.closeSync(devNull);

  // the whole command, as a user runs it (process start and module loading included)
  const t0 = process.hrtime.bigint();
  const cli = spawnSync(
    process.execPath,
    [path.join(HERE, '..', 'cli', 'bin.js'), 'mainframe', 'decode', '--copybook', copybookFile, '--input', file],
    { stdio: ['ignore', fs.openSync('/dev/null', 'w'), 'pipe'] },
  );
  const cliSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (cli.status !== 0) throw new Error(`mainframe decode failed: ${cli.stderr.toString()}`);
  const cliRun = { seconds: +cliSeconds.toFixed(3), mbPerSecond: +(written / 1e6 / cliSeconds).toFixed(1) };

  const structLimit = Math.min(written, opts.structBytes ?? 100 * 2 ** 20);
  const toJson = rate(
    pass((buf, at) => {
      sink += view.toJson(decoder.decode(buf, at, at + size).values) === null ? 0 : 1;
    }, structLimit),
  );
  const connect = new ConnectView(decoder);
  const toStruct = rate(
    pass((buf, at) => {
      sink += connect.toStruct(decoder.decode(buf, at, at + size).values).schema.fields.length;
    }, structLimit),
  );

  let cobrix: object | undefined;
  let ratios: object | undefined;
  if (opts.cobrix !== false) {
    const rows = runCobrix(copybookFile, file, 'rows', warm);
    const json = runCobrix(copybookFile, file, 'json', warm);
    cobrix = {
      version: COBRIX_VERSION,
      java: spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr.split('\n')[0],
      decodeToRows: rows,
      decodeToJsonLines: json,
    };
    const ratio = (a: number, b: number) => +(a / b).toFixed(2);
    ratios = {
      valuesVsCobrixRows: {
        wall: ratio(decode.mbPerSecond, rows.mbPerSecond),
        cpu: ratio(decode.mbPerCpuSecond, rows.mbPerCpuSecond),
      },
      jsonLinesVsCobrixJsonLines: {
        wall: ratio(jsonLines.mbPerSecond, json.mbPerSecond),
        cpu: ratio(jsonLines.mbPerCpuSecond, json.mbPerCpuSecond),
      },
      cliVsCobrixJsonLines: { wall: ratio(cliRun.mbPerSecond, json.mbPerSecond) },
    };
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const result = {
    recordSize: size,
    fields: 30,
    fileBytes: written,
    fileRecords: records,
    framingOnly: framing,
    decodeToValues: decode,
    decodeToJsonLines: jsonLines,
    cliDecodeToDevNull: cliRun,
    decodeToJsonObjects: toJson,
    decodeToConnectStruct: toStruct,
    cobrix,
    ratios,
    checksum: sink,
  };
  process.stderr.write(`${JSON.stringify(result, null, 2)}\n`);
  return result;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  await runMainframeBench({
    bytes: Number(process.env.BENCH_BYTES ?? 2 ** 30),
    cobrix: process.env.BENCH_COBRIX !== '0',
  });
}

/**
 * Embedded log benchmark: append and read throughput of EmbeddedLog (LMDB) for 200-byte records,
 * next to a raw `fs` reference measured in the same run, in both sync policies.
 *
 * - ours, append: `appenders` concurrent appenders (one partition each), `batch` records per append
 *   call, each call awaited before the next (each resolves only once durable per the sync policy).
 * - raw, append: one file, the same records framed by the same codec into recycled buffers (the
 *   identical bytes ours stores), one write per batch, plus fdatasync per batch in 'durable' mode
 *   (none in 'os' mode). Framing is timed on both sides (a file log has to build those bytes too);
 *   `appendWriteOnly` writes pre-framed buffers instead, for reference.
 * - read: ours reads every partition from offset 0 with maxRecords = batch; raw reads the file back
 *   in 1 MiB blocks and decodes the same framing into the same LogRecord objects.
 * Each measurement runs `repeat` times (page cache flushed with sync(1) between phases) and the
 * median is reported. ratio = ours / raw (records/s).
 *
 * Run: npx tsx bench/log-bench.ts [records]   (writes bench/results/log.json)
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHUNK_HEADER_BYTES } from '../runtime/log/chunk-format.ts';
import { ChunkPool, encodeChunks } from '../runtime/log/chunk-encoder.ts';
import { decodeChunkInto } from '../runtime/log/chunk-decoder.ts';
import { EmbeddedLog } from '../runtime/log/embedded-log.ts';
import type { AppendRecord, LogRecord, SyncPolicy } from '../runtime/log/types.ts';

export interface LogBenchOptions {
  /** Records per measured run (default 1,000,000). */
  records?: number;
  /** Record value size in bytes (default 200; key null, no headers). */
  recordBytes?: number;
  /** Records per append call / per raw write (default 500). */
  batch?: number;
  /** Concurrent appenders (default 4). */
  appenders?: number;
  /** Where to write the JSON results (default bench/results/log.json; null: don't write). */
  outFile?: string | null;
  /** Repetitions of each measurement; the median run is reported (default 5). */
  repeat?: number;
  /** Print the table (default true). */
  print?: boolean;
}

interface Throughput {
  records: number;
  seconds: number;
  recordsPerSec: number;
  /** Payload MB/s (record value bytes, 1 MB = 1e6 bytes). */
  mbPerSec: number;
}

function throughput(records: number, recordBytes: number, seconds: number): Throughput {
  return {
    records,
    seconds: round(seconds, 4),
    recordsPerSec: Math.round(records / seconds),
    mbPerSec: round((records * recordBytes) / seconds / 1e6, 1),
  };
}

function round(n: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

function makeBatches(count: number, batch: number, recordBytes: number): AppendRecord[][] {
  const out: AppendRecord[][] = [];
  for (let b = 0; b < count; b++) {
    const records: AppendRecord[] = new Array(batch);
    for (let i = 0; i < batch; i++) {
      records[i] = { key: null, value: crypto.randomBytes(recordBytes) };
    }
    out.push(records);
  }
  return out;
}

async function benchOurs(
  dir: string,
  sync: SyncPolicy,
  records: number,
  recordBytes: number,
  batch: number,
  appenders: number,
) {
  const log = await EmbeddedLog.open({ dir, sync, retentionCheckIntervalMs: 0 });
  try {
    await log.createTopic({ name: 'bench', partitions: appenders, retentionMs: -1 });
    await log.createTopic({ name: 'warmup', partitions: appenders, retentionMs: -1 });
    // distinct records per appender, reused across its calls (building records is the caller's cost)
    const sets = Array.from({ length: appenders }, () => makeBatches(4, batch, recordBytes));
    const callsPerAppender = Math.ceil(records / batch / appenders);
    const run = async (topic: string, calls: number) => {
      await Promise.all(
        sets.map(async (set, a) => {
          for (let c = 0; c < calls; c++) await log.append([{ topic, partition: a, records: set[c % set.length] }]);
        }),
      );
    };
    await run('warmup', Math.max(4, Math.ceil(calls(50_000, batch, appenders))));
    const t0 = performance.now();
    await run('bench', callsPerAppender);
    const appendSec = (performance.now() - t0) / 1000;
    const written = callsPerAppender * batch * appenders;

    // read everything back
    let readCount = 0;
    let checksum = 0;
    const r0 = performance.now();
    for (let p = 0; p < appenders; p++) {
      const tp = { topic: 'bench', partition: p };
      const end = log.endOffset(tp);
      let next = 0;
      while (next < end) {
        const rs = log.read(tp, next, { maxRecords: batch });
        for (let i = 0; i < rs.length; i++) checksum += rs[i].value![0];
        readCount += rs.length;
        next = rs[rs.length - 1].offset + 1;
      }
    }
    const readSec = (performance.now() - r0) / 1000;
    if (readCount !== written) throw new Error(`read ${readCount} records, wrote ${written}`);
    const storedBytes = Array.from(
      { length: appenders },
      (_, p) => log.stats({ topic: 'bench', partition: p }).bytes,
    ).reduce((a, b) => a + b, 0);
    return {
      append: throughput(written, recordBytes, appendSec),
      read: { ...throughput(readCount, recordBytes, readSec), checksum },
      storedBytes,
    };
  } finally {
    await log.close();
  }
}

function calls(records: number, batch: number, appenders: number): number {
  return records / batch / appenders;
}

function benchRaw(dir: string, sync: SyncPolicy, records: number, recordBytes: number, batch: number) {
  const sets = makeBatches(4, batch, recordBytes);
  const nBatches = Math.ceil(records / batch);
  const file = path.join(dir, `raw-${sync}.log`);
  const now = Date.now();
  // like ours, the raw writer frames into recycled buffers
  const pool = new ChunkPool();
  const taken: Buffer[] = [];
  const alloc = (size: number) => pool.alloc(size, taken);
  const writeRun = (preEncoded: Buffer[] | null, target: string) => {
    const fd = fs.openSync(target, 'w');
    try {
      const t0 = performance.now();
      for (let b = 0; b < nBatches; b++) {
        if (preEncoded) fs.writeSync(fd, preEncoded[b % preEncoded.length]);
        else {
          const chunks = encodeChunks(sets[b % sets.length], now, alloc);
          if (chunks.length === 1) fs.writeSync(fd, chunks[0].buf);
          else
            fs.writevSync(
              fd,
              chunks.map((c) => c.buf),
            );
          pool.release(taken);
        }
        if (sync === 'durable') fs.fdatasyncSync(fd);
      }
      return (performance.now() - t0) / 1000;
    } finally {
      fs.closeSync(fd);
    }
  };
  const pre = sets.map((s) => frame(s, now));
  const preFile = path.join(dir, `raw-${sync}-preframed.log`);
  for (let i = 0; i < 200; i++) {
    encodeChunks(sets[i % sets.length], now, alloc); // warm-up of the framing code
    pool.release(taken);
  }
  const writeOnlySec = writeRun(pre, preFile);
  fs.rmSync(preFile);
  settle();
  const appendSec = writeRun(null, file);
  const written = nBatches * batch;

  // read back: 1 MiB blocks, decode the same framing into LogRecord objects
  const r0 = performance.now();
  const fd = fs.openSync(file, 'r');
  let readCount = 0;
  let checksum = 0;
  try {
    const block = Buffer.allocUnsafe(1024 * 1024);
    let carry = Buffer.alloc(0);
    let base = 0;
    for (;;) {
      const n = fs.readSync(fd, block, 0, block.length, null);
      if (n === 0) break;
      let data = carry.length > 0 ? Buffer.concat([carry, block.subarray(0, n)]) : Buffer.from(block.subarray(0, n));
      for (;;) {
        if (data.length < CHUNK_HEADER_BYTES) break;
        const count = data.readUInt32BE(8); // after magic, version, reserved and crc (chunk-format.ts)
        const size = chunkSize(data, count);
        if (size < 0 || size > data.length) break;
        const out: LogRecord[] = [];
        decodeChunkInto(data.subarray(0, size), base, base, base + count, 'bench', 0, out, {
          records: Infinity,
          bytes: Infinity,
        });
        for (let i = 0; i < out.length; i++) checksum += out[i].value![0];
        readCount += out.length;
        base += count;
        data = data.subarray(size);
      }
      carry = data;
    }
  } finally {
    fs.closeSync(fd);
  }
  const readSec = (performance.now() - r0) / 1000;
  fs.rmSync(file);
  if (readCount !== written) throw new Error(`raw read ${readCount} records, wrote ${written}`);
  return {
    append: throughput(written, recordBytes, appendSec),
    appendWriteOnly: throughput(written, recordBytes, writeOnlySec),
    read: { ...throughput(readCount, recordBytes, readSec), checksum },
  };
}

function frame(records: AppendRecord[], now: number): Buffer {
  const chunks = encodeChunks(records, now);
  return chunks.length === 1 ? chunks[0].buf : Buffer.concat(chunks.map((c) => c.buf));
}

/** Size of the chunk at the start of `data` (walking its records), or -1 if incomplete. */
function chunkSize(data: Buffer, count: number): number {
  let p = CHUNK_HEADER_BYTES;
  for (let i = 0; i < count; i++) {
    if (p + 4 > data.length) return -1;
    p += 4 + data.readUInt32BE(p);
  }
  return p;
}

/** Flushes dirty pages left by the previous phase, so that no phase pays for another's writeback. */
function settle(): void {
  try {
    execFileSync('sync');
  } catch {
    // no sync(1) on this platform: carry on
  }
}

function median<T>(runs: T[], key: (t: T) => number): T {
  return [...runs].sort((a, b) => key(a) - key(b))[Math.floor(runs.length / 2)];
}

export async function runLogBench(opts: LogBenchOptions = {}): Promise<object> {
  const records = opts.records ?? 1_000_000;
  const recordBytes = opts.recordBytes ?? 200;
  const batch = opts.batch ?? 500;
  const appenders = opts.appenders ?? 4;
  const repeat = Math.max(1, opts.repeat ?? 5);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-log-bench-'));
  const modes: Record<string, unknown> = {};
  try {
    for (const sync of ['durable', 'os'] as const) {
      const oursRuns: Awaited<ReturnType<typeof benchOurs>>[] = [];
      const rawRuns: ReturnType<typeof benchRaw>[] = [];
      for (let r = 0; r < repeat; r++) {
        const dir = path.join(root, `ours-${sync}-${r}`);
        settle();
        oursRuns.push(await benchOurs(dir, sync, records, recordBytes, batch, appenders));
        fs.rmSync(dir, { recursive: true, force: true });
        settle();
        rawRuns.push(benchRaw(root, sync, records, recordBytes, batch));
      }
      // medians of each figure, taken independently
      const ours = {
        append: median(oursRuns, (o) => o.append.recordsPerSec).append,
        read: median(oursRuns, (o) => o.read.recordsPerSec).read,
        storedBytes: oursRuns[0].storedBytes,
        runs: oursRuns.map((o) => ({
          appendRecordsPerSec: o.append.recordsPerSec,
          readRecordsPerSec: o.read.recordsPerSec,
        })),
      };
      const raw = {
        append: median(rawRuns, (o) => o.append.recordsPerSec).append,
        appendWriteOnly: median(rawRuns, (o) => o.appendWriteOnly.recordsPerSec).appendWriteOnly,
        read: median(rawRuns, (o) => o.read.recordsPerSec).read,
        runs: rawRuns.map((o) => ({
          appendRecordsPerSec: o.append.recordsPerSec,
          appendWriteOnlyRecordsPerSec: o.appendWriteOnly.recordsPerSec,
          readRecordsPerSec: o.read.recordsPerSec,
        })),
      };
      modes[sync] = {
        ours,
        raw,
        ratio: {
          append: round(ours.append.recordsPerSec / raw.append.recordsPerSec, 3),
          appendVsWriteOnly: round(ours.append.recordsPerSec / raw.appendWriteOnly.recordsPerSec, 3),
          read: round(ours.read.recordsPerSec / raw.read.recordsPerSec, 3),
        },
      };
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  const result = {
    benchmark: 'embedded-log',
    date: new Date().toISOString(),
    environment: {
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      tmpdir: os.tmpdir(),
    },
    params: {
      records,
      recordBytes,
      framedRecordBytes: recordBytes + 24,
      batch,
      appenders,
      repeat,
      key: null,
      headers: 0,
    },
    targets: { minRatioVsRaw: 0.5, minDurableRecordsPerSec: 200_000 },
    modes,
  };
  const outFile =
    opts.outFile === undefined
      ? path.join(path.dirname(fileURLToPath(import.meta.url)), 'results', 'log.json')
      : opts.outFile;
  if (outFile) {
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
  }
  if (opts.print ?? true) printTable(result.modes as Record<string, ModeResult>, result.params);
  return result;
}

interface ModeResult {
  ours: { append: Throughput; read: Throughput };
  raw: { append: Throughput; appendWriteOnly: Throughput; read: Throughput };
  ratio: { append: number; appendVsWriteOnly: number; read: number };
}

function printTable(
  modes: Record<string, ModeResult>,
  params: { records: number; recordBytes: number; batch: number; appenders: number },
): void {
  const rows: string[][] = [['sync', 'operation', 'ours rec/s', 'ours MB/s', 'raw rec/s', 'raw MB/s', 'ours/raw']];
  const fmt = (n: number) => n.toLocaleString('en-US');
  for (const [sync, m] of Object.entries(modes)) {
    rows.push([
      sync,
      'append',
      fmt(m.ours.append.recordsPerSec),
      String(m.ours.append.mbPerSec),
      fmt(m.raw.append.recordsPerSec),
      String(m.raw.append.mbPerSec),
      m.ratio.append.toFixed(2),
    ]);
    rows.push([
      sync,
      'append (raw pre-framed)',
      '',
      '',
      fmt(m.raw.appendWriteOnly.recordsPerSec),
      String(m.raw.appendWriteOnly.mbPerSec),
      m.ratio.appendVsWriteOnly.toFixed(2),
    ]);
    rows.push([
      sync,
      'read',
      fmt(m.ours.read.recordsPerSec),
      String(m.ours.read.mbPerSec),
      fmt(m.raw.read.recordsPerSec),
      String(m.raw.read.mbPerSec),
      m.ratio.read.toFixed(2),
    ]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(
    `embedded log: ${fmt(params.records)} records of ${params.recordBytes} B, ${params.batch} per append, ${params.appenders} appenders`,
  );
  for (const r of rows)
    console.log(r.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const n = process.argv[2] ? Number(process.argv[2]) : undefined;
  runLogBench({ records: n }).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

/**
 * mainframe → MainframeFileSourceConnector (fixed-length EBCDIC records, zoned-decimal id, tailing
 * the file) → embedded log → FileStreamSink → a text file of the decoded records. Source state: the
 * mainframe input file, decoded by the test from its fixed-length layout; sink state: the output file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeText, encodeZoned } from '../../../connectors/mainframe/testing.ts';
import { ChaosWorker, type Pipeline } from '../harness.ts';

const COPYBOOK = `
       01  EVENT-REC.
           05  EV-ID               PIC 9(9).
           05  EV-TEXT             PIC X(11).
`;
const RECORD_LENGTH = 20;
const DECODED = /^Struct\{EV_ID=(\d+),EV_TEXT=EVENT \d+\}$/;

function ebcdicDigits(b: Buffer): number {
  // zoned decimal, unsigned: F0..F9 per digit
  let n = 0;
  for (const byte of b) n = n * 10 + (byte & 0x0f);
  return n;
}

export async function mainframeToLog(): Promise<Pipeline> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-chaos-mf-'));
  const input = path.join(dir, 'input', 'EVENTS.DAT');
  fs.mkdirSync(path.dirname(input));
  fs.writeFileSync(input, Buffer.alloc(0));
  fs.writeFileSync(path.join(dir, 'event.cpy'), COPYBOOK);
  const output = path.join(dir, 'out.txt');
  const worker = await ChaosWorker.create(
    dir,
    { 'tributary.data.dir': path.join(dir, 'data'), 'file.allowed.paths': dir },
    [
      {
        name: 'mainframe-source',
        config: {
          'connector.class': 'MainframeFileSourceConnector',
          topic: 'chaos-mainframe',
          'input.path': path.dirname(input),
          copybook: path.join(dir, 'event.cpy'),
          'record.format': 'F',
          envelope: 'none',
          'poll.interval.ms': '100',
          'batch.size': '200',
          'errors.retry.timeout': '-1',
          'errors.retry.delay.max.ms': '1000',
        },
      },
      {
        name: 'file-sink',
        config: {
          'connector.class': 'FileStreamSink',
          file: output,
          topics: 'chaos-mainframe',
          'errors.retry.timeout': '-1',
          'errors.retry.delay.max.ms': '1000',
        },
      },
    ],
  );
  return {
    worker,
    async produce(from, count) {
      const recs = Array.from({ length: count }, (_v, i) =>
        Buffer.concat([encodeZoned(from + i, 9, false), encodeText(`EVENT ${(from + i) % 1_000_000}`, 11)]),
      );
      fs.appendFileSync(input, Buffer.concat(recs));
    },
    async sourceIds() {
      const buf = fs.readFileSync(input);
      const ids: number[] = [];
      for (let at = 0; at + RECORD_LENGTH <= buf.length; at += RECORD_LENGTH)
        ids.push(ebcdicDigits(buf.subarray(at, at + 9)));
      return ids;
    },
    async sinkState() {
      if (!fs.existsSync(output)) return { ids: [], malformed: 0 };
      const lines = fs.readFileSync(output, 'utf8').split('\n');
      lines.pop();
      const ids: number[] = [];
      let malformed = 0;
      for (const l of lines) {
        const m = DECODED.exec(l);
        if (m) ids.push(Number(m[1]));
        else malformed++;
      }
      return { ids, malformed };
    },
    async close() {
      await worker.kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

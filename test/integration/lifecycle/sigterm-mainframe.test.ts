/**
 * Issue 22: SIGTERM with the mainframe source in its streaming mode (tail=true: records appended
 * to a fixed-length record file become creates) → FileStreamSink, while records are appended: the
 * worker exits 0 within the graceful timeout, and the restarted worker delivers every record.
 */
import { afterAll, describe, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { killLeftovers, sigtermUnderLoad, workerDir, type Load } from './sigterm-scenario.ts';

afterAll(() => killLeftovers());

const COPYBOOK = `
       01  REC.
           05  ID              PIC 9(8).
           05  TAG             PIC X(4).
`;

function appendLoad(file: string): Load {
  let next = 1;
  let running = true;
  const loop = (async () => {
    while (running) {
      fs.appendFileSync(
        file,
        Array.from({ length: 20 }, (_x, i) => `${String(next + i).padStart(8, '0')}ROWS`).join(''),
      );
      next += 20;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return next - 1;
    },
  };
}

function distinctIds(file: string): number {
  if (!fs.existsSync(file)) return 0;
  return new Set([...fs.readFileSync(file, 'utf8').matchAll(/ID=(\d+)/g)].map((m) => Number(m[1]))).size;
}

describe('SIGTERM with the mainframe source tailing a record file', () => {
  it('exits 0 within the graceful timeout under load, and nothing is lost on the next start', async () => {
    const dir = workerDir('sigterm-mainframe');
    const input = path.join(dir, 'in');
    fs.mkdirSync(input);
    fs.writeFileSync(path.join(input, 'records.dat'), '');
    fs.writeFileSync(path.join(dir, 'rec.cpy'), COPYBOOK);
    const output = path.join(dir, 'output.txt');
    const topic = `sigterm-mainframe-${Date.now()}`;
    await sigtermUnderLoad(dir, {
      connectors: [
        {
          name: 'mainframe-source',
          config: {
            'connector.class': 'MainframeFileSourceConnector',
            topic,
            'input.path': input,
            copybook: path.join(dir, 'rec.cpy'),
            'record.format': 'F',
            encoding: 'ascii',
            envelope: 'none',
            tail: 'true',
            'poll.interval.ms': '50',
          },
        },
        {
          name: 'file-sink',
          config: {
            'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
            file: output,
            topics: topic,
          },
        },
      ],
      startLoad: () => appendLoad(path.join(input, 'records.dat')),
      delivered: () => Promise.resolve(distinctIds(output)),
    });
  }, 420_000);
});

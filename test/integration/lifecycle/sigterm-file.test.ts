/**
 * Issue 22: SIGTERM with a FileStreamSource → FileStreamSink pipeline while lines are appended to
 * the input: the worker exits 0 within the graceful timeout, and the restarted worker writes every
 * line to the output file.
 */
import { afterAll, describe, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { killLeftovers, sigtermUnderLoad, workerDir, type Load } from './sigterm-scenario.ts';

afterAll(() => killLeftovers());

function appendLoad(file: string): Load {
  let next = 1;
  let running = true;
  const loop = (async () => {
    while (running) {
      fs.appendFileSync(file, Array.from({ length: 20 }, (_x, i) => `line-${next + i}\n`).join(''));
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

function distinctLines(file: string): number {
  if (!fs.existsSync(file)) return 0;
  return new Set(
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('line-')),
  ).size;
}

describe('SIGTERM with file source and sink', () => {
  it('exits 0 within the graceful timeout under load, and nothing is lost on the next start', async () => {
    const dir = workerDir('sigterm-file');
    const input = path.join(dir, 'input.txt');
    const output = path.join(dir, 'output.txt');
    fs.writeFileSync(input, '');
    const topic = `sigterm-file-${Date.now()}`;
    await sigtermUnderLoad(dir, {
      connectors: [
        {
          name: 'file-source',
          config: {
            'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
            file: input,
            topic,
            'batch.size': '50',
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
      startLoad: () => appendLoad(input),
      delivered: () => Promise.resolve(distinctLines(output)),
    });
  }, 420_000);
});

/** file → FileStreamSource → embedded log → FileStreamSink → file. Source state: the input file; sink state: the output file's complete lines. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ChaosWorker, type Pipeline } from '../harness.ts';

export const EVENT_LINE = /^ev-(\d+)$/;

export interface FilePipeline extends Pipeline {
  dir: string;
  dataDir: string;
  topic: string;
}

/** `dataDir`: where the embedded log lives (a small tmpfs for the disk-full scenario); default inside the pipeline's directory. */
export async function fileToFile(opts: { dataDir?: string } = {}): Promise<FilePipeline> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-chaos-file-'));
  const input = path.join(dir, 'in.txt');
  const output = path.join(dir, 'out.txt');
  fs.writeFileSync(input, '');
  const dataDir = opts.dataDir ?? path.join(dir, 'data');
  const topic = 'chaos-lines';
  const patient = { 'errors.retry.timeout': '-1', 'errors.retry.delay.max.ms': '1000' };
  const worker = await ChaosWorker.create(
    dir,
    {
      'tributary.data.dir': dataDir,
      'file.allowed.paths': dir,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    },
    [
      {
        name: 'src',
        config: { 'connector.class': 'FileStreamSource', file: input, topic, 'batch.size': '200', ...patient },
      },
      { name: 'sink', config: { 'connector.class': 'FileStreamSink', file: output, topics: topic, ...patient } },
    ],
  );
  const lines = (file: string): string[] => {
    if (!fs.existsSync(file)) return [];
    const all = fs.readFileSync(file, 'utf8').split('\n');
    all.pop(); // the last line may still be partial while the worker writes
    return all;
  };
  return {
    dir,
    dataDir,
    topic,
    worker,
    async produce(from, count) {
      fs.appendFileSync(input, Array.from({ length: count }, (_v, i) => `ev-${from + i}\n`).join(''));
    },
    async sourceIds() {
      return lines(input).map((l) => Number(EVENT_LINE.exec(l)![1]));
    },
    async sinkState() {
      const ids: number[] = [];
      let malformed = 0;
      for (const l of lines(output)) {
        const m = EVENT_LINE.exec(l);
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

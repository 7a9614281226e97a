/** The test kit on built-in connectors: the FileStream source and sink run through the harnesses as through a worker. */
import { it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStreamSourceTask } from '../../connectors/file/file-stream-source.ts';
import { FileStreamSinkTask } from '../../connectors/file/file-stream-sink.ts';
import { SinkTaskHarness, SourceTaskHarness } from './index.ts';

const dir = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'trib-kit-')));

it('FileStreamSource: lines with byte offsets, committed and resumed after a crash', async () => {
  const d = dir();
  const file = path.join(d, 'in.txt');
  fs.writeFileSync(file, 'a\nb\n');
  const h = await SourceTaskHarness.start({
    task: () => new FileStreamSourceTask(),
    config: { file, topic: 'lines' },
    worker: { fileAllowedPaths: [d] },
    schemas: false,
  });
  try {
    expect((await h.pollUntil(2)).map((r) => r.value)).toEqual(['a', 'b']);
    await h.commit();
    expect(h.committedOffset({ filename: file })).toEqual({ position: 4 });
    fs.appendFileSync(file, 'c\n');
    expect((await h.pollUntil(1)).map((r) => r.value)).toEqual(['c']);
    await h.restart({ crash: true });
    expect((await h.pollUntil(1)).map((r) => r.value)).toEqual(['c']);
    expect(h.topic('lines').map((r) => r.value)).toEqual(['a', 'b', 'c', 'c']);
  } finally {
    await h.close();
  }
});

it('FileStreamSink: refuses a file outside file.allowed.paths, writes and commits inside', async () => {
  const d = dir();
  await expect(
    SinkTaskHarness.start({
      task: () => new FileStreamSinkTask(),
      config: { topics: 't', file: path.join(d, 'out.txt') },
    }),
  ).rejects.toThrow(/file.allowed.paths/);
  const h = await SinkTaskHarness.start({
    task: () => new FileStreamSinkTask(),
    config: { topics: 't', file: path.join(d, 'out.txt') },
    worker: { fileAllowedPaths: [d] },
  });
  try {
    await h.send('t', [{ value: 'x' }, { value: 'y' }]);
    await h.deliver();
    await h.commit();
    expect(fs.readFileSync(path.join(d, 'out.txt'), 'utf8')).toBe('x\ny\n');
    expect(h.committedOffsets()).toEqual([{ topic: 't', partition: 0, offset: 2 }]);
  } finally {
    await h.close();
  }
});

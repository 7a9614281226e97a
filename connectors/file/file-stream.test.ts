import { describe, it, expect, afterEach, vi } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { FileStreamSinkConnector, FileStreamSinkTask } from './file-stream-sink.ts';
import { FileStreamSourceConnector, FileStreamSourceTask } from './file-stream-source.ts';
import { fileAccessError } from './file-access.ts';
import type { SinkRecord } from '../../sdk/data.ts';
import type { SinkTaskContext, SourceTaskContext } from '../../sdk/spi.ts';

const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'trib-filestream-')));

function captureLogger(): { logger: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

function sinkTask(dir: string, file: string, allowed = [dir]): { task: FileStreamSinkTask; lines: string[] } {
  const { logger, lines } = captureLogger();
  const task = new FileStreamSinkTask();
  task.initialize({
    connectorName: 'sink',
    taskId: 0,
    logger,
    worker: { fileAllowedPaths: allowed },
  } as unknown as SinkTaskContext);
  task.start({ file });
  return { task, lines };
}

const stopper = new AbortController();
function sourceTask(
  file: string,
  allowed: string[],
  position?: number,
): { task: FileStreamSourceTask; lines: string[] } {
  const { logger, lines } = captureLogger();
  const task = new FileStreamSourceTask();
  task.initialize({
    connectorName: 'src',
    taskId: 0,
    logger,
    worker: { fileAllowedPaths: allowed },
    signal: stopper.signal,
    offsetStorageReader: { offset: () => (position === undefined ? null : { position }), offsets: () => new Map() },
    configs: () => ({}),
  } as unknown as SourceTaskContext);
  task.start({ file, topic: 't', 'batch.size': '1000' });
  return { task, lines };
}

const values = async (task: FileStreamSourceTask) => ((await task.poll()) ?? []).map((r) => r.value as string);
const record = (value: string) => ({ value }) as unknown as SinkRecord;

describe('FileStreamSink: torn tail after a crash', () => {
  it('cuts a torn last line at start, so the re-delivered record does not merge with the fragment', async () => {
    const dir = tmp();
    const out = path.join(dir, 'out.txt');
    // What a SIGKILL in the middle of a large write leaves: complete lines, then half a record.
    fs.writeFileSync(out, 'record-1\nrecord-2\nrecor');
    const { task, lines } = sinkTask(dir, out);
    await task.put([record('record-3'), record('record-4')]);
    task.stop();
    expect(fs.readFileSync(out, 'utf8')).toBe('record-1\nrecord-2\nrecord-3\nrecord-4\n');
    expect(lines.join('')).toMatch(/Cut a torn last line \(5 bytes/);
  });

  it('a write that fails half-way (a full disk) is cut back before the error surfaces, so a retried put starts clean', async () => {
    const dir = tmp();
    const out = path.join(dir, 'out.txt');
    fs.writeFileSync(out, 'record-1\n');
    const { task } = sinkTask(dir, out);
    const real = fs.writeSync;
    let calls = 0;
    const spy = vi.spyOn(fs, 'writeSync').mockImplementation(((
      fd: number,
      buf: Buffer,
      offset: number,
      length: number,
    ) => {
      if (++calls === 1) return real(fd, buf, offset, Math.min(length, 5));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as typeof fs.writeSync);
    try {
      await expect(task.put([record('record-2'), record('record-3')])).rejects.toThrow(/ENOSPC/);
    } finally {
      spy.mockRestore();
    }
    expect(fs.readFileSync(out, 'utf8')).toBe('record-1\n');
    await task.put([record('record-2'), record('record-3')]);
    task.stop();
    expect(fs.readFileSync(out, 'utf8')).toBe('record-1\nrecord-2\nrecord-3\n');
  });

  it('empties a file that holds only a torn line, and leaves a clean file alone', async () => {
    const dir = tmp();
    const torn = path.join(dir, 'torn.txt');
    fs.writeFileSync(torn, 'no newline at all');
    sinkTask(dir, torn).task.stop();
    expect(fs.readFileSync(torn, 'utf8')).toBe('');
    const clean = path.join(dir, 'clean.txt');
    fs.writeFileSync(clean, 'a\nb\n');
    const { task, lines } = sinkTask(dir, clean);
    task.stop();
    expect(fs.readFileSync(clean, 'utf8')).toBe('a\nb\n');
    expect(lines.join('')).not.toMatch(/torn/);
  });
});

describe('FileStreamSource: truncated or rotated files', () => {
  afterEach(() => undefined);

  it('reads a file truncated and rewritten in place (logrotate copytruncate) from its start, without a fragment', async () => {
    const dir = tmp();
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, 'old-line-1\nold-line-2\n');
    const { task, lines } = sourceTask(file, [dir]);
    expect(await values(task)).toEqual(['old-line-1', 'old-line-2']);
    // copytruncate: same inode, truncated to 0, then the application writes more than before.
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, 'new-line-number-1\nnew-line-number-2\n');
    expect(await values(task)).toEqual(['new-line-number-1', 'new-line-number-2']);
    expect(lines.join('')).toMatch(/reading it again from the start/);
    task.stop();
  });

  it('notices a truncation to a shorter file', async () => {
    const dir = tmp();
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, 'a-long-first-line\nanother-long-line\n');
    const { task } = sourceTask(file, [dir]);
    expect(await values(task)).toEqual(['a-long-first-line', 'another-long-line']);
    fs.writeFileSync(file, 'x\n');
    expect(await values(task)).toEqual(['x']);
    task.stop();
  });

  it('follows a file replaced by a new one (rotation by rename), after reading the rest of the old one', async () => {
    const dir = tmp();
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, 'one\n');
    const { task, lines } = sourceTask(file, [dir]);
    expect(await values(task)).toEqual(['one']);
    fs.appendFileSync(file, 'two\n');
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, 'three\n');
    expect(await values(task)).toEqual(['two']);
    expect(await values(task)).toEqual(['three']);
    expect(lines.join('')).toMatch(/replaced by another file/);
    task.stop();
  });

  it('after a restart, a committed position that no longer ends a line means the file was rewritten', async () => {
    const dir = tmp();
    const file = path.join(dir, 'app.log');
    fs.writeFileSync(file, 'rewritten-content-is-longer\n');
    const { task } = sourceTask(file, [dir], 4); // position 4 was the end of "old\n"
    expect(await values(task)).toEqual(['rewritten-content-is-longer']);
    task.stop();
  });
});

describe('FileStream connectors confined to file.allowed.paths', () => {
  it('validation refuses files outside the allowed directories, naming file and the fix', () => {
    const dir = tmp();
    const other = tmp();
    fs.symlinkSync('/etc/shadow', path.join(dir, 'shadow-link'));
    for (const c of [new FileStreamSourceConnector(), new FileStreamSinkConnector()]) {
      expect(c.validate({ file: path.join(dir, 'ok.txt') }, { fileAllowedPaths: [dir] })).toEqual([]);
      const [none] = c.validate({ file: '/etc/shadow' }, { fileAllowedPaths: [] });
      expect(none.errorMessages[0]).toMatch(/configuration file: .*file\.allowed\.paths is empty.*add the directory/);
      for (const bad of ['/etc/shadow', `${dir}/../${path.basename(other)}/x`, path.join(dir, 'shadow-link')]) {
        const [v] = c.validate({ file: bad }, { fileAllowedPaths: [dir] });
        expect(v.name).toBe('file');
        expect(v.errorMessages[0]).toMatch(/outside the worker's file\.allowed\.paths/);
      }
    }
    expect(fileAccessError(path.join(dir, 'shadow-link'), [dir])).toMatch(/\/etc\/shadow once symlinks/);
  });

  it('tasks refuse again at start (config stored before the worker narrowed its allowed paths)', () => {
    const dir = tmp();
    expect(() => sourceTask('/etc/shadow', [dir])).toThrow(/outside the worker's file\.allowed\.paths/);
    expect(() => sinkTask(dir, '/tmp/../etc/evil.txt')).toThrow(/outside the worker's file\.allowed\.paths/);
    expect(() => sinkTask(dir, path.join(dir, 'x.txt'), [])).toThrow(/file\.allowed\.paths is empty/);
    expect(fs.existsSync('/etc/evil.txt')).toBe(false);
  });
});

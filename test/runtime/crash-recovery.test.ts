/**
 * Crash safety of the whole pipeline: a 100k-line file → embedded log → file pipeline in a real
 * worker process, killed with SIGKILL several times mid-run and restarted. Afterwards every line
 * has arrived, in order, and the only duplicates are re-deliveries of the last uncommitted sink
 * batch before each kill (the sink commits after every put here, so at most one batch). A kill
 * during a write may leave a torn last line; the restarted sink cuts it, so no line of the output
 * is ever two records merged.
 */
import { describe, it, expect } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LINES = 100_000;
const BATCH = 200;

function startWorker(dir: string): ChildProcess {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'cli/bin.js'), 'standalone', 'worker.properties', 'source.json', 'sink.json'],
    {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn' },
    },
  );
  child.stderr!.on('data', (d) => fs.appendFileSync(path.join(dir, 'worker.log'), d));
  return child;
}

/** The complete lines written so far: while a worker runs (or right after a kill) the last line may still be partial. */
function completeLines(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.pop();
  return lines;
}

/** Every line, once no worker writes any more: the file must end with a complete line. */
function finalLines(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return completeLines(file);
}

/** A worker that exited on its own (e.g. a config error) fails the test at once, with its log. */
function assertRunning(child: ChildProcess, dir: string): void {
  if (child.exitCode === null && child.signalCode === null) return;
  const log = fs.existsSync(path.join(dir, 'worker.log'))
    ? fs.readFileSync(path.join(dir, 'worker.log'), 'utf8').slice(-2000)
    : '';
  throw new Error(`the worker exited by itself (code ${child.exitCode}):\n${log}`);
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('crash recovery (SIGKILL during a file → file pipeline)', () => {
  it('delivers every line in order; duplicates only from the last uncommitted batch', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-crash-'));
    const input = Array.from({ length: LINES }, (_v, i) => `line-${String(i).padStart(6, '0')}`);
    fs.writeFileSync(path.join(dir, 'in.txt'), input.join('\n') + '\n');
    fs.writeFileSync(
      path.join(dir, 'worker.properties'),
      [
        'listeners=http://127.0.0.1:0',
        'tributary.data.dir=data',
        'offset.flush.interval.ms=0',
        `file.allowed.paths=${dir}`,
        `consumer.max.poll.records=${BATCH}`,
        'key.converter=org.apache.kafka.connect.storage.StringConverter',
        'value.converter=org.apache.kafka.connect.storage.StringConverter',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(dir, 'source.json'),
      JSON.stringify({
        name: 'src',
        config: {
          'connector.class': 'FileStreamSource',
          file: path.join(dir, 'in.txt'),
          topic: 'lines',
          'batch.size': String(BATCH),
        },
      }),
    );
    fs.writeFileSync(
      path.join(dir, 'sink.json'),
      JSON.stringify({
        name: 'sink',
        config: { 'connector.class': 'FileStreamSink', file: path.join(dir, 'out.txt'), topics: 'lines' },
      }),
    );
    const out = path.join(dir, 'out.txt');

    let killsMidRun = 0;
    for (let round = 0; round < 6; round++) {
      const child = startWorker(dir);
      const before = completeLines(out).length;
      // Wait until this incarnation has made progress, then kill it at a random moment.
      const deadline = Date.now() + 30_000;
      while (completeLines(out).length <= before && Date.now() < deadline) {
        assertRunning(child, dir);
        await new Promise((r) => setTimeout(r, 20));
      }
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 150));
      const progressed = new Set(completeLines(out)).size;
      await kill(child);
      if (progressed < LINES) killsMidRun++;
    }
    expect(killsMidRun).toBeGreaterThanOrEqual(3);

    const final = startWorker(dir);
    try {
      const deadline = Date.now() + 120_000;
      while (new Set(completeLines(out)).size < LINES && Date.now() < deadline) {
        assertRunning(final, dir);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await kill(final);
    }

    const got = finalLines(out);
    // No line is a fragment or two records merged (what appending after a torn tail produced).
    expect(got.filter((l) => !/^line-\d{6}$/.test(l))).toEqual([]);
    // Every line arrived.
    expect(new Set(got).size).toBe(LINES);
    // Output = runs of consecutive input lines; a new run only ever starts at most one batch back
    // (a re-delivery after a kill), never ahead of what was already written.
    const index = got.map((l) => Number(l.slice(5)));
    let prev = -1;
    let highest = -1;
    let duplicates = 0;
    let rewinds = 0;
    let maxRewind = 0;
    for (const i of index) {
      if (i !== prev + 1) {
        expect(i).toBeLessThanOrEqual(highest);
        rewinds++;
        maxRewind = Math.max(maxRewind, highest + 1 - i);
      }
      if (i <= highest) duplicates++;
      else highest = i;
      prev = i;
    }
    expect(highest).toBe(LINES - 1);
    expect(duplicates).toBe(got.length - LINES);
    expect(rewinds).toBeLessThanOrEqual(6);
    expect(maxRewind).toBeLessThanOrEqual(BATCH);
    console.log(
      `crash test: ${killsMidRun} kills mid-run, ${rewinds} re-deliveries, ${duplicates} duplicate lines, max rewind ${maxRewind}`,
    );
  }, 300_000);
});

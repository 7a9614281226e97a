/**
 * The shape every SIGTERM test shares: a worker process runs a pipeline while a load writes to
 * its source; SIGTERM must end the process with exit code 0 within task.shutdown.graceful.timeout.ms
 * plus a margin, on its own (not by the CLI's last-resort exit for a process held open after the
 * stop); a restarted worker then delivers everything the load wrote.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { waitFor } from '../../helpers/wait.ts';
import { signalAndWait, startWorkerProcess, workerLog } from '../../helpers/worker-process.ts';

export const GRACEFUL_TIMEOUT_MS = 5000;
/** Process start-up and the REST/herder stop around the tasks' own stop, on a loaded 2-core machine. */
const MARGIN_MS = 10_000;

export interface Load {
  /** Writes to the source until stop() is called; resolves with how many distinct ids were written. */
  stop(): Promise<number>;
}

export interface Scenario {
  connectors: Array<{ name: string; config: Record<string, string> }>;
  startLoad(): Load;
  /** Distinct ids that reached the destination. */
  delivered(): Promise<number>;
}

export function workerDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `trib-${prefix}-`));
  fs.writeFileSync(
    path.join(dir, 'worker.properties'),
    [
      'listeners=http://127.0.0.1:0',
      `tributary.data.dir=${path.join(dir, 'data')}`,
      'offset.flush.interval.ms=1000',
      `task.shutdown.graceful.timeout.ms=${GRACEFUL_TIMEOUT_MS}`,
      'tributary.log.sync=os',
      'tributary.log.level=info',
      `file.allowed.paths=${dir}`,
      '',
    ].join('\n'),
  );
  return dir;
}

const processes = new Set<ChildProcess>();
export function killLeftovers(): void {
  for (const p of processes) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

async function sigterm(dir: string, child: ChildProcess): Promise<void> {
  const ended = await signalAndWait(child, 'SIGTERM', GRACEFUL_TIMEOUT_MS + MARGIN_MS + 20_000);
  const log = workerLog(dir);
  expect(ended, `the worker outlived SIGTERM; log tail:\n${log.slice(-3000)}`).not.toBeNull();
  expect(ended!.code, log.slice(-3000)).toBe(0);
  expect(ended!.ms).toBeLessThan(GRACEFUL_TIMEOUT_MS + MARGIN_MS);
  expect(log).toContain('Worker stopped');
  // Closed by its own stop, not by the last-resort exit for a process something still held open.
  expect(log).not.toContain('was still held open');
  expect(log).not.toMatch(/Graceful stop of task .* failed/);
}

/** Runs the pipeline under load, SIGTERMs it, restarts it and waits for every id the load wrote. */
export async function sigtermUnderLoad(dir: string, s: Scenario, minDeliveredBeforeStop = 50): Promise<void> {
  const files = s.connectors.map((c, i) => {
    const file = `connector-${i}.json`;
    fs.writeFileSync(path.join(dir, file), JSON.stringify(c));
    return file;
  });
  let child = startWorkerProcess(dir, files);
  processes.add(child);
  const load = s.startLoad();
  await waitFor(async () => (await s.delivered().catch(() => 0)) >= minDeliveredBeforeStop, {
    timeoutMs: 120_000,
    intervalMs: 250,
    what: `${minDeliveredBeforeStop} records through the pipeline before SIGTERM`,
  });
  // SIGTERM while the load still writes, so records are in flight in every stage.
  await sigterm(dir, child);
  const written = await load.stop();
  expect(await s.delivered()).toBeLessThanOrEqual(written);

  child = startWorkerProcess(dir, files);
  processes.add(child);
  await waitFor(async () => (await s.delivered().catch(() => 0)) === written, {
    timeoutMs: 180_000,
    intervalMs: 500,
    what: `all ${written} ids at the destination after the restart`,
  });
  await sigterm(dir, child);
}

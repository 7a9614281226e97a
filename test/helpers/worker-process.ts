/** A standalone worker in its own process (`tributary standalone worker.properties <connector.json …>` in `dir`), for crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts the worker; its stderr goes to `dir/worker.log`. */
export function startWorkerProcess(dir: string, connectorFiles: string[]): ChildProcess {
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'cli/bin.js'), 'standalone', 'worker.properties', ...connectorFiles],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr!.on('data', (d) => fs.appendFileSync(path.join(dir, 'worker.log'), d));
  return child;
}

/** SIGKILL, resolved once the process is gone. */
export function killProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** Sends `signal` and resolves with how the process ended and how long it took (null when it outlived `timeoutMs`; it is then SIGKILLed). */
export function signalAndWait(
  child: ChildProcess,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number } | null> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    if (child.exitCode !== null || child.signalCode !== null)
      return resolve({ code: child.exitCode, signal: child.signalCode, ms: 0 });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve(null);
    }, timeoutMs);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      resolve({ code, signal: sig, ms: Date.now() - t0 });
    });
    child.kill(signal);
  });
}

/** What the worker wrote to stderr so far (`dir/worker.log`). */
export function workerLog(dir: string): string {
  const file = path.join(dir, 'worker.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

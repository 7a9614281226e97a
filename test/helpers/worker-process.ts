/** A standalone worker in its own process (`tributary standalone worker.properties <connector.json …>` in `dir`), for crash tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts the worker; its stderr goes to `dir/worker.log`. */
export function startWorkerProcess(dir: string, connectorFiles: string[]): ChildProcess {
  const child = spawn(process.execPath, [path.join(ROOT, 'cli/bin.js'), 'standalone', 'worker.properties', ...connectorFiles], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
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

/** `npm start` as a new user runs it: a worker with a file → embedded log → file pipeline. */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait.ts';
import { main } from '../../cli/main.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('quickstart (npm start)', () => {
  it('brings up the REST API and streams the input file to the output file', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-quickstart-'));
    const child = spawn(process.execPath, [path.join(ROOT, 'cli/bin.js'), 'quickstart', '--port=0'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    try {
      const url = await waitFor(() => /REST API at (http:\/\/\S+)/.exec(stdout)?.[1], {
        timeoutMs: 30_000,
        what: 'worker URL',
      });
      const status = await waitFor(async () => {
        const s = (await (await fetch(`${url}/connectors?expand=status`)).json()) as Record<
          string,
          { status: { tasks: Array<{ state: string }> } }
        >;
        return Object.values(s).length === 2 && Object.values(s).every((c) => c.status.tasks[0]?.state === 'RUNNING')
          ? s
          : null;
      });
      expect(Object.keys(status).sort()).toEqual(['quickstart-file-sink', 'quickstart-file-source']);
      const out = path.join(cwd, '.tributary/quickstart/output.txt');
      await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').split('\n').length > 11, {
        timeoutMs: 20_000,
        what: 'output lines',
      });
      const lines = fs.readFileSync(out, 'utf8').split('\n');
      expect(lines[0]).toBe('hello tributary 1');
      expect(lines[10]).toMatch(/^hello tributary 11 at /);

      // The CLI client verbs talk to the same worker.
      const io = { stdout: new Collect(), stderr: new Collect() };
      expect(await main(['connectors', 'list', '--url', url], io)).toBe(0);
      expect(JSON.parse(io.stdout.text)).toEqual(['quickstart-file-sink', 'quickstart-file-source']);
      const io2 = { stdout: new Collect(), stderr: new Collect() };
      expect(await main(['connectors', 'status', 'nope', '--url', url], io2)).toBe(1);
      expect(io2.stderr.text).toContain('"error_code": 404');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    expect(child.exitCode === 0 || child.signalCode === 'SIGTERM').toBe(true);
  }, 90_000);
});

import { Writable } from 'node:stream';
class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

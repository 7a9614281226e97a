/**
 * What a standalone worker on the embedded log loads by the time its one FileStreamSource is
 * RUNNING (issue 18, start-up): the file connector's code, and none of the other plugins' code or
 * libraries, nor the Kafka client. The modules are recorded by bench/startup/module-recorder.mjs.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../helpers/wait.ts';
import { freePort } from '../helpers/free-port.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('standalone worker start-up', () => {
  it('loads only the plugin it runs, and no Kafka client on the embedded log', { timeout: 240_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-startup-'));
    const port = await freePort();
    fs.writeFileSync(
      path.join(dir, 'w.properties'),
      [`listeners=http://127.0.0.1:${port}`, `tributary.data.dir=${dir}/data`, `file.allowed.paths=${dir}`, ''].join(
        '\n',
      ),
    );
    fs.writeFileSync(path.join(dir, 'in.txt'), 'a\n');
    fs.writeFileSync(
      path.join(dir, 'c.json'),
      JSON.stringify({
        name: 'x',
        config: { 'connector.class': 'FileStreamSource', file: path.join(dir, 'in.txt'), topic: 'lines' },
      }),
    );
    const record = path.join(dir, 'modules.txt');
    const child = spawn(
      process.execPath,
      [
        '--import',
        path.join(ROOT, 'bench/startup/module-recorder.mjs'),
        path.join(ROOT, 'cli/bin.js'),
        'standalone',
        'w.properties',
        'c.json',
      ],
      {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { ...process.env, TRIBUTARY_MODULE_RECORD: record, TRIBUTARY_RUN_SOURCES: '1' },
      },
    );
    let log = '';
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    try {
      await waitFor(
        async () => {
          if (child.exitCode !== null) throw new Error(`the worker exited: ${log.slice(-2000)}`);
          const res = await fetch(`http://127.0.0.1:${port}/connectors/x/status`).catch(() => null);
          if (!res?.ok) return false;
          const s = (await res.json()) as { connector: { state: string }; tasks: Array<{ state: string }> };
          return s.connector.state === 'RUNNING' && s.tasks[0]?.state === 'RUNNING';
        },
        { timeoutMs: 180_000, what: 'the FileStreamSource connector and task RUNNING' },
      );
      const loaded = [...new Set(fs.readFileSync(record, 'utf8').split('\n').filter(Boolean))].map((f) =>
        path.relative(ROOT, f),
      );
      expect(loaded).toContain('connectors/file/file-stream-source.ts');
      const otherPlugins = loaded.filter(
        (f) =>
          /^(connectors|smt)\//.test(f) &&
          !/^(connectors\/(file|[^/]+\/index\.ts|s3\/version\.ts)|smt\/index\.ts)/.test(f),
      );
      expect(otherPlugins).toEqual([]);
      const libraries = loaded.filter((f) =>
        /node_modules\/(kafkajs|node-forge|pg|mysql2|avsc|protobufjs|hyparquet-writer|@aws-sdk|snappyjs)\//.test(f),
      );
      expect(libraries).toEqual([]);
      expect(loaded.filter((f) => /^runtime\/(distributed|transport\/kafka-transport)/.test(f))).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

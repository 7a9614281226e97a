/** A third-party plugin package on plugin.path is listed by the REST API and works in a pipeline. */
import { it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { waitFor } from '../helpers/wait.ts';

const EXAMPLE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/plugin-uppercase');
let worker: RunningWorker;
afterAll(() => worker?.stop());

it('loads examples/plugin-uppercase from plugin.path and applies it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-plugin-'));
  fs.writeFileSync(path.join(dir, 'in.txt'), 'hello\nworld\n');
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(dir, 'data'),
      'file.allowed.paths': dir,
      'tributary.log.sync': 'os',
      'plugin.path': EXAMPLE,
    },
    { logger: silentLogger },
  );
  const plugins = (await (await fetch(`${worker.url}/connector-plugins?connectorsOnly=false`)).json()) as Array<{
    class: string;
    type: string;
    version: string;
  }>;
  expect(plugins).toContainEqual({ class: 'com.example.Uppercase$Value', type: 'transformation', version: '1.0.0' });
  const post = (name: string, config: Record<string, string>) =>
    fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, config }),
    });
  expect(
    (
      await post('src', {
        'connector.class': 'FileStreamSource',
        file: path.join(dir, 'in.txt'),
        topic: 'words',
        transforms: 'upper',
        'transforms.upper.type': 'com.example.Uppercase$Value',
      })
    ).status,
  ).toBe(201);
  expect(
    (await post('sink', { 'connector.class': 'FileStreamSink', file: path.join(dir, 'out.txt'), topics: 'words' }))
      .status,
  ).toBe(201);
  await waitFor(
    () =>
      fs.existsSync(path.join(dir, 'out.txt')) &&
      fs.readFileSync(path.join(dir, 'out.txt'), 'utf8') === 'HELLO\nWORLD\n',
    { what: 'upper-cased lines' },
  );
});

/** A third-party plugin package on plugin.path is listed by the REST API and works in a pipeline. */
import { it, expect, afterAll } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandaloneWorker, type RunningWorker } from '../../app/workers.ts';
import { silentLogger } from '../../runtime/logging.ts';
import { waitFor } from '../helpers/wait.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const EXAMPLE = path.join(ROOT, 'examples/plugin-uppercase');
let worker: RunningWorker;
afterAll(() => worker?.stop());

it('loads examples/plugin-uppercase, which imports tributary/sdk, from plugin.path and applies it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-plugin-'));
  expect(fs.readFileSync(path.join(EXAMPLE, 'index.js'), 'utf8')).toContain("from 'tributary/sdk'");
  // The package as `npm install` leaves it: its file:../.. dependency linked into its node_modules.
  const plugins = path.join(dir, 'plugins');
  const pkg = path.join(plugins, 'plugin-uppercase');
  fs.cpSync(EXAMPLE, pkg, { recursive: true, filter: (src) => !src.includes('node_modules') });
  fs.mkdirSync(path.join(pkg, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(pkg, 'node_modules', 'tributary'), 'dir');
  fs.writeFileSync(path.join(dir, 'in.txt'), 'hello\nworld\n');
  worker = await startStandaloneWorker(
    {
      listeners: 'http://127.0.0.1:0',
      'tributary.data.dir': path.join(dir, 'data'),
      'file.allowed.paths': dir,
      'tributary.log.sync': 'os',
      'plugin.path': plugins,
    },
    { logger: silentLogger },
  );
  const listed = (await (await fetch(`${worker.url}/connector-plugins?connectorsOnly=false`)).json()) as Array<{
    class: string;
    type: string;
    version: string;
  }>;
  expect(listed).toContainEqual({ class: 'com.example.Uppercase$Value', type: 'transformation', version: '1.0.0' });
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

/**
 * The dependency rules of .dependency-cruiser.cjs (run by `npm run lint`): the real tree passes,
 * and the rules fail on a planted wrong-way import or cycle in a small fixture tree (a temporary
 * directory per case: nothing is written into the project, so a failing case leaves nothing behind).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const DEPCRUISE = path.join(ROOT, 'node_modules/.bin/depcruise');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');

function cruise(cwd: string, folders: string[]): { status: number | null; out: string } {
  const r = spawnSync(DEPCRUISE, [...folders, '--config', CONFIG, '--output-type', 'err'], { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** A fixture tree laid out as the project is, every import pointing the right way. */
const CLEAN: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      allowImportingTsExtensions: true,
      noEmit: true,
    },
  }),
  'runtime/errors.ts': 'export class ConnectException extends Error {}\n',
  'runtime/spi/connector.ts': "import type { Task } from './task.ts';\nexport interface Connector { task(): Task }\n",
  // a type-only cycle vanishes at run time and is allowed
  'runtime/spi/task.ts':
    "import type { Connector } from './connector.ts';\nexport interface Task { owner?: Connector }\n",
  'runtime/worker/herder-api.ts':
    "import { ConnectException } from '../errors.ts';\nexport interface Herder { connectors(): string[] }\nexport const fail = () => new ConnectException('x');\n",
  'runtime/rest/server.ts':
    "import type { Herder } from '../worker/herder-api.ts';\nexport const serve = (h: Herder) => h.connectors();\n",
  'runtime/boot/standalone-worker.ts':
    "import { serve } from '../rest/server.ts';\nexport const start = () => serve({ connectors: () => [] });\n",
  'sdk/index.ts': "export { ConnectException } from '../runtime/errors.ts';\n",
  'connectors/file/index.ts':
    "import { ConnectException } from '../../sdk/index.ts';\nexport const filePlugins = [ConnectException];\n",
  'runtime/data/struct.ts': 'export class Struct {}\n',
  'sdk/data.ts': "export { Struct } from '../runtime/data/struct.ts';\n",
  'sdk/internal/tls.ts': "export { ConnectException as TlsError } from '../../runtime/errors.ts';\n",
  'connectors/shared/naming.ts': 'export const topicOf = (s: string) => s;\n',
  'connectors/shared/tls.ts':
    "import { TlsError } from '../../sdk/internal/tls.ts';\nexport const pgTls = () => TlsError;\n",
  'connectors/postgres/index.ts':
    "import { Struct } from '../../sdk/data.ts';\nimport { topicOf } from '../shared/naming.ts';\nimport { pgTls } from '../shared/tls.ts';\nexport const postgresPlugins = [Struct, topicOf, pgTls];\n",
  'connectors/jdbc/index.ts':
    "import { pgTls } from '../shared/tls.ts';\nimport { topicOf } from '../shared/naming.ts';\nexport const jdbcPlugins = [pgTls, topicOf];\n",
  'smt/cast.ts': "import { Struct } from '../sdk/data.ts';\nexport const Cast = Struct;\n",
  'app/builtins.ts':
    "import { filePlugins } from '../connectors/file/index.ts';\nimport { postgresPlugins } from '../connectors/postgres/index.ts';\nimport { jdbcPlugins } from '../connectors/jdbc/index.ts';\nimport { Cast } from '../smt/cast.ts';\nimport { start } from '../runtime/boot/standalone-worker.ts';\nexport const run = () => [filePlugins, postgresPlugins, jdbcPlugins, Cast, start()];\n",
};

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  let dir = '';
  const plant = (files: Record<string, string>) => {
    const d = fs.mkdtempSync(path.join(dir, 'tree-'));
    for (const [file, text] of Object.entries({ ...CLEAN, ...files })) {
      fs.mkdirSync(path.dirname(path.join(d, file)), { recursive: true });
      fs.writeFileSync(path.join(d, file), text);
    }
    return cruise(d, ['app', 'runtime', 'connectors', 'smt', 'sdk']);
  };

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-deprules-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('the project tree passes', () => {
    const r = cruise(ROOT, ['app', 'runtime', 'connectors', 'smt', 'sdk', 'cli', 'examples']);
    expect(r.out).toMatch(/no dependency violations found/);
    expect(r.status).toBe(0);
  });

  it('a fixture laid out the right way passes (the failures below come from the planted import alone)', () => {
    const r = plant({});
    expect(r.out).toMatch(/no dependency violations found \(17 modules/);
    expect(r.status).toBe(0);
  });

  it.each([
    [
      'runtime-knows-no-plugin',
      'runtime/worker/herder-api.ts',
      "import { filePlugins } from '../../connectors/file/index.ts';\nexport const x = filePlugins;\n",
    ],
    [
      'runtime-knows-no-plugin',
      'runtime/errors.ts',
      "export { run } from '../app/builtins.ts';\nexport class ConnectException extends Error {}\n",
    ],
    [
      'worker-below-rest-and-modes',
      'runtime/worker/herder-api.ts',
      "import { serve } from '../rest/server.ts';\nexport interface Herder { connectors(): string[] }\nexport const fail = serve;\n",
    ],
    [
      'rest-uses-worker-interfaces',
      'runtime/rest/server.ts',
      "import { start } from '../boot/standalone-worker.ts';\nexport const serve = (h: unknown) => [h, start];\n",
    ],
    [
      'runtime-base-below-worker',
      'runtime/errors.ts',
      "import type { Herder } from './worker/herder-api.ts';\nexport class ConnectException extends Error { h?: Herder }\n",
    ],
    [
      'runtime-publishes-sdk-lazily',
      'runtime/errors.ts',
      "import { ConnectException as C } from '../sdk/index.ts';\nexport class ConnectException extends C {}\n",
    ],
    [
      'plugins-below-entry-points',
      'connectors/file/index.ts',
      "import { run } from '../../app/builtins.ts';\nexport const filePlugins = [run];\n",
    ],
    [
      'plugins-import-sdk-not-runtime',
      'connectors/file/index.ts',
      "import { Struct } from '../../runtime/data/struct.ts';\nexport const filePlugins = [Struct];\n",
    ],
    [
      'plugins-import-sdk-not-runtime',
      'smt/cast.ts',
      "import { ConnectException } from '../runtime/errors.ts';\nexport const Cast = ConnectException;\n",
    ],
    [
      'connectors-independent',
      'connectors/file/index.ts',
      "import { postgresPlugins } from '../postgres/index.ts';\nexport const filePlugins = [postgresPlugins];\n",
    ],
    [
      'connectors-independent',
      'connectors/shared/naming.ts',
      "import { filePlugins } from '../file/index.ts';\nexport const topicOf = (s: string) => s + filePlugins.length;\n",
    ],
    [
      'connectors-independent',
      'smt/cast.ts',
      "import { filePlugins } from '../connectors/file/index.ts';\nexport const Cast = filePlugins;\n",
    ],
    [
      'connectors-independent',
      'connectors/jdbc/index.ts',
      "import { postgresPlugins } from '../postgres/index.ts';\nexport const jdbcPlugins = postgresPlugins;\n",
    ],
    [
      'sdk-knows-no-plugin',
      'sdk/data.ts',
      "export { Struct } from '../runtime/data/struct.ts';\nexport { Cast } from '../smt/cast.ts';\n",
    ],
    [
      'sdk-internal-for-builtins',
      'sdk/index.ts',
      "export { ConnectException } from '../runtime/errors.ts';\nexport { TlsError } from './internal/tls.ts';\n",
    ],
    [
      'no-circular',
      'runtime/spi/task.ts',
      "import { ConnectException } from '../errors.ts';\nimport { x } from './cycle.ts';\nexport const Task = [ConnectException, x];\n",
    ],
  ])('fails on %s planted in %s', (rule, file, text) => {
    const extra: Record<string, string> = { [file]: text };
    if (rule === 'no-circular')
      extra['runtime/spi/cycle.ts'] = "import { Task } from './task.ts';\nexport const x = () => Task;\n";
    const r = plant(extra);
    expect(r.status).not.toBe(0);
    // a cycle is reported from either of its modules
    expect(r.out).toContain(rule === 'no-circular' ? `error ${rule}: runtime/spi/` : `error ${rule}: ${file}`);
    expect(r.out).toContain(file);
  });
});

/** The published entry point runs the compiled JavaScript of `npm run build` when dist/ matches the sources. */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distState, entryChoice, scanSources } from '../../../cli/dist-freshness.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-dist-'));

beforeAll(() => {
  if (distState() !== 'fresh') execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 280_000 });
}, 300_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs dist/cli/main.js itself (cli/bin.js would fall back to the sources if someone edits one meanwhile). */
function compiled(argv: string[]): { status: number | null; stdout: string; stderr: string } {
  const script = `const { main } = await import(${JSON.stringify(pathToFileURL(path.join(ROOT, 'dist/cli/main.js')).href)}); process.exitCode = await main(process.argv.slice(1));`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script, '--', ...argv], {
    cwd: tmp,
    encoding: 'utf8',
  });
}

describe('the compiled CLI', () => {
  it('answers --help and --version from dist/, reading package.json from the project root', () => {
    const help = compiled(['--help']);
    expect({ status: help.status, stderr: help.stderr }).toEqual({ status: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: tributary/);
    const version = compiled(['--version']);
    expect({ status: version.status, stdout: version.stdout, stderr: version.stderr }).toEqual({
      status: 0,
      stdout: `tributary ${PKG.version}\n`,
      stderr: '',
    });
  });

  it('resolves the project root from dist/: examples and console files are read from there', async () => {
    const root = (await import(pathToFileURL(path.join(ROOT, 'dist/runtime/util/project-root.js')).href)) as {
      PROJECT_ROOT: string;
      fromProjectRoot: (...s: string[]) => string;
    };
    expect(root.PROJECT_ROOT).toBe(ROOT);
    expect(fs.existsSync(root.fromProjectRoot('examples', 'quickstart', 'worker.properties'))).toBe(true);
    expect(fs.readdirSync(root.fromProjectRoot('runtime', 'rest', 'ui', 'static')).length).toBeGreaterThan(0);
    const r = compiled(['mainframe', 'decode', '--help']);
    expect(r.status, r.stderr).toBe(0);
  });

  it('cli/bin.js runs the sources when asked (TRIBUTARY_RUN_SOURCES=1)', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'cli/bin.js'), '--version'], {
      cwd: tmp,
      encoding: 'utf8',
      env: { ...process.env, TRIBUTARY_RUN_SOURCES: '1' },
    });
    expect({ status: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({
      status: 0,
      stdout: `tributary ${PKG.version}\n`,
      stderr: '',
    });
  });
});

describe('dist/ freshness', () => {
  function fakeCheckout(): string {
    const root = fs.mkdtempSync(path.join(tmp, 'root-'));
    for (const d of ['app', 'runtime', 'connectors', 'smt', 'sdk', 'cli'])
      fs.mkdirSync(path.join(root, d, 'sub'), { recursive: true });
    for (const f of ['tsconfig.json', 'tsconfig.build.json', 'runtime/sub/a.ts', 'cli/b.ts', 'cli/b.test.ts'])
      fs.writeFileSync(path.join(root, f), '');
    return root;
  }
  function stamp(root: string): void {
    fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
    fs.writeFileSync(path.join(root, 'dist/.build-stamp.json'), JSON.stringify(scanSources(root)));
  }
  const later = (file: string): void => fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));

  it('is absent without a stamp, fresh after the build, stale after an edit, an added or a removed source', () => {
    const root = fakeCheckout();
    expect(distState(root)).toBe('absent');
    stamp(root);
    expect(distState(root)).toBe('fresh');
    later(path.join(root, 'cli/b.test.ts')); // tests are not compiled
    expect(distState(root)).toBe('fresh');
    later(path.join(root, 'runtime/sub/a.ts'));
    expect(distState(root)).toBe('stale');
    stamp(root);
    fs.writeFileSync(path.join(root, 'smt/c.ts'), '');
    fs.utimesSync(path.join(root, 'smt/c.ts'), new Date(0), new Date(0));
    expect(distState(root)).toBe('stale');
    stamp(root);
    fs.rmSync(path.join(root, 'smt/c.ts'));
    expect(distState(root)).toBe('stale');
    stamp(root);
    later(path.join(root, 'tsconfig.build.json'));
    expect(distState(root)).toBe('stale');
  });

  it('cli/bin.js runs dist/ only when fresh; a stale dist/ falls back to the sources with a note for a person', () => {
    expect(entryChoice('fresh', {})).toEqual({ run: 'dist', note: null });
    expect(entryChoice('absent', {})).toEqual({ run: 'sources', note: null });
    expect(entryChoice('stale', {}).run).toBe('sources');
    expect(entryChoice('stale', {}).note).toMatch(/^tributary: dist\/ is older than the sources, .*npm run build.*\n$/);
    expect(entryChoice('stale', { VITEST: 'true' })).toEqual({ run: 'sources', note: null });
    expect(entryChoice('fresh', { TRIBUTARY_RUN_SOURCES: '1' })).toEqual({ run: 'sources', note: null });
  });
});

/** `tributary new`: the files, the names derived from the package name, and the refusals. */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { main } from '../main.ts';
import { SDK_VERSION } from '../../sdk/version.ts';

function io() {
  const out = { stdout: '', stderr: '' };
  const stream = (k: 'stdout' | 'stderr') =>
    ({ write: (s: string) => ((out[k] += s), true) }) as unknown as NodeJS.WritableStream;
  return { out, io: { stdout: stream('stdout'), stderr: stream('stderr') } };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'trib-new-'));

describe('tributary new', () => {
  it('writes a TypeScript project with the manifest, the SDK dependency, a test and a README', async () => {
    const dir = path.join(tmp(), 'p');
    const r = io();
    expect(
      await main(['new', 'transform', 'order-masker', '--dir', dir, '--namespace', 'io.acme', '--sdk', '^0.1.0'], r.io),
    ).toBe(0);
    expect(r.out.stdout).toContain('npm install');
    expect(
      fs
        .readdirSync(dir, { recursive: true })
        .map(String)
        .filter((f) => f.includes('.'))
        .sort(),
    ).toEqual([
      '.gitignore',
      'README.md',
      'package.json',
      'src/index.ts',
      'src/plugin.ts',
      'src/version.ts',
      'test/order-masker.test.ts',
      'tsconfig.json',
    ]);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      name: 'order-masker',
      type: 'module',
      dependencies: { tributary: '^0.1.0' },
      tributary: {
        sdk: `^${SDK_VERSION}`,
        plugins: 'dist/src/index.js',
        classes: [
          { kind: 'transformation', class: 'io.acme.OrderMasker$Key', aliases: ['OrderMasker$Key'] },
          { kind: 'transformation', class: 'io.acme.OrderMasker$Value', aliases: ['OrderMasker$Value'] },
        ],
      },
    });
    expect(fs.readFileSync(path.join(dir, 'src/plugin.ts'), 'utf8')).toContain("from 'tributary/sdk'");
    expect(fs.readFileSync(path.join(dir, 'test/order-masker.test.ts'), 'utf8')).toContain(
      "from 'tributary/sdk/testing'",
    );
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toContain('plugin.path');
  });

  it('defaults the SDK dependency to this installation and the directory to the name', async () => {
    const cwd = process.cwd();
    const parent = tmp();
    process.chdir(parent);
    try {
      expect(await main(['new', 'connector', 'pg-audit'], io().io)).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(parent, 'pg-audit/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      tributary: { classes: Array<{ class: string }> };
    };
    expect(pkg.dependencies.tributary).toBe(`file:${path.resolve(import.meta.dirname, '../..')}`);
    expect(pkg.tributary.classes.map((c) => c.class)).toEqual(['com.example.PgAuditSourceConnector']);
  });

  it('refuses a bad name, a bad namespace, a non-empty directory and a missing name', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'x'), '');
    const cases: Array<[string[], RegExp]> = [
      [['new', 'sink', 'Bad Name'], /"Bad Name" is not a valid npm package name/],
      [
        ['new', 'sink', 'ok', '--namespace', '1bad', '--dir', path.join(tmp(), 'n')],
        /--namespace "1bad" is not a dotted name/,
      ],
      [['new', 'sink', 'ok', '--dir', dir], /exists and is not empty/],
      [['new', 'converter'], /tributary new converter <name>/],
    ];
    for (const [argv, message] of cases) {
      const r = io();
      expect(await main(argv, r.io)).toBe(2);
      expect(r.out.stderr).toMatch(message);
    }
  });
});

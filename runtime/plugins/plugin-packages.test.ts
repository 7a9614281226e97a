/** Plugin packages: the manifest, the SDK range check, and each package's own dependencies. */
import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PluginRegistry } from './registry.ts';
import { SDK_VERSION } from './sdk-version.ts';
import { SinkRecord } from '../data/records.ts';

function writePackage(root: string, name: string, pkg: Record<string, unknown>, files: Record<string, string>): string {
  const dir = path.join(root, name);
  for (const [rel, text] of Object.entries({
    'package.json': JSON.stringify({ name, version: '1.0.0', type: 'module', ...pkg }),
    ...files,
  })) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

/** A transformation plugin whose apply() puts `what()` into a header. */
const stampPlugin = (cls: string, what: string, imports = '') => `${imports}
const def = { keys: new Map(), groups: [], parse: () => ({}), validate: () => [], names: () => [] };
export const tributaryPlugins = [{ type: 'transformation', className: '${cls}', create: () => ({
  configure() {}, config: () => def, apply: (r) => { const h = r.headers.duplicate(); h.addString('stamp', ${what}); return r.newRecord({ headers: h }); },
}) }];`;

const stamp = (r: PluginRegistry, cls: string) => {
  const t = r.get(cls, 'transformation').create();
  t.configure({});
  return t.apply(new SinkRecord({ topic: 't', kafkaPartition: 0, kafkaOffset: 0 }))!.headers.lastWithName('stamp')
    ?.value;
};

const root = () => fs.mkdtempSync(path.join(os.tmpdir(), 'trib-pkgs-'));

describe('plugin packages', () => {
  it('load each with its own node_modules: two versions of one dependency side by side', async () => {
    const dir = root();
    for (const [name, version] of [
      ['plugin-a', '1.0.0'],
      ['plugin-b', '2.0.0'],
    ]) {
      writePackage(
        dir,
        name,
        { tributary: { sdk: `^${SDK_VERSION}`, plugins: 'index.js' } },
        {
          'index.js': stampPlugin(`com.example.${name}`, 'dep.version', "import dep from 'shared-dep';"),
          'node_modules/shared-dep/package.json': JSON.stringify({
            name: 'shared-dep',
            version,
            type: 'module',
            main: 'index.js',
          }),
          'node_modules/shared-dep/index.js': `export default { version: '${version}' };`,
        },
      );
    }
    const r = new PluginRegistry();
    expect(await r.loadPluginPath([dir])).toEqual([path.join(dir, 'plugin-a'), path.join(dir, 'plugin-b')]);
    expect([stamp(r, 'com.example.plugin-a'), stamp(r, 'com.example.plugin-b')]).toEqual(['1.0.0', '2.0.0']);
  });

  it('refuses a package built for another SDK range, naming both versions', async () => {
    const dir = root();
    writePackage(
      dir,
      'future-plugin',
      { version: '3.1.0', tributary: { sdk: '^9.0.0', plugins: 'index.js' } },
      { 'index.js': stampPlugin('com.example.Future', "'x'") },
    );
    await expect(new PluginRegistry().loadPluginPath([dir])).rejects.toThrow(
      `Failed to load plugin package ${path.join(dir, 'future-plugin')}: future-plugin@3.1.0 requires Tributary SDK ^9.0.0, but this worker provides SDK ${SDK_VERSION}`,
    );
    const errors: string[] = [];
    await new PluginRegistry().loadPluginPath([dir], (_d, err) => errors.push(err.message));
    expect(errors[0]).toMatch(/its package.json "tributary.sdk" range must include/);
  });

  it('checks the declared classes against the exports, adds declared aliases and lists the manifest version', async () => {
    const dir = root();
    writePackage(
      dir,
      'declared',
      {
        version: '1.2.3',
        tributary: {
          sdk: `>=${SDK_VERSION}`,
          classes: [{ kind: 'transformation', class: 'com.example.Declared', aliases: ['Decl'] }],
        },
      },
      { 'index.js': stampPlugin('com.example.Declared', "'d'") },
    );
    const r = new PluginRegistry();
    await r.loadPluginPath([dir]);
    expect(r.get('Decl', 'transformation')).toMatchObject({ className: 'com.example.Declared', version: '1.2.3' });

    const bad = root();
    writePackage(
      bad,
      'mismatch',
      {
        tributary: {
          classes: [
            { kind: 'source', class: 'com.example.Declared' },
            { kind: 'transformation', class: 'com.example.Missing' },
          ],
        },
      },
      { 'index.js': stampPlugin('com.example.Declared', "'d'") },
    );
    await expect(new PluginRegistry().loadPluginPath([bad])).rejects.toThrow(
      /declared but not exported: source com.example.Declared, transformation com.example.Missing; exported but not declared: transformation com.example.Declared;/,
    );
  });

  it('names the manifest field to fix', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [
        { sdk: 'not a range' },
        /invalid package.json field "tributary.sdk" \("not a range"\): must be a semver range such as "\^/,
      ],
      [
        { classes: [{ kind: 'widget', class: 'x' }] },
        /"tributary.classes\[0\].kind" \("widget"\): must be one of source, sink/,
      ],
      [{ plugins: '' }, /"tributary.plugins" \(""\): must be the path of the module/],
      ['yes', /the package.json field "tributary" must be an object/],
    ];
    for (const [manifest, message] of cases) {
      const dir = root();
      writePackage(dir, 'p', { tributary: manifest }, { 'index.js': stampPlugin('com.example.P', "'p'") });
      await expect(new PluginRegistry().loadPluginPath([dir])).rejects.toThrow(message);
    }
    const unbuilt = root();
    writePackage(unbuilt, 'unbuilt', { tributary: { plugins: 'dist/index.js' } }, {});
    await expect(new PluginRegistry().loadPluginPath([unbuilt])).rejects.toThrow(
      /its plugin module dist\/index.js does not exist \(build the package first, e.g. npm run build\)/,
    );
  });
});

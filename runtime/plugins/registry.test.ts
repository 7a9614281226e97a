import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PluginRegistry } from './registry.ts';
import type { PluginDescriptor } from './types.ts';

// A source registered as the file connector is (the built-ins' own names are tested in app/builtins.test.ts).
const fileSource: PluginDescriptor = {
  type: 'source',
  className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  aliases: ['tributary.file.FileStreamSource'],
  version: '1.0.0',
  create: () => ({}) as never,
};
const createPluginRegistry = () => new PluginRegistry().register(fileSource);

describe('plugin registry', () => {
  const registry = createPluginRegistry();

  it.each([
    'org.apache.kafka.connect.file.FileStreamSourceConnector',
    'FileStreamSourceConnector',
    'FileStreamSource',
    'tributary.file.FileStreamSource',
  ])('finds the file source by %s', (name) => {
    expect(registry.get(name, 'source').className).toBe('org.apache.kafka.connect.file.FileStreamSourceConnector');
  });

  it('narrows by type and explains how to list plugins when nothing matches', () => {
    expect(registry.find('FileStreamSource', 'sink')).toBeUndefined();
    expect(() => registry.get('com.example.Missing', 'source')).toThrow(
      /Failed to find any class that implements source and which name matches com.example.Missing.*connector-plugins/,
    );
  });

  it('rejects invalid descriptors and duplicates', () => {
    expect(() =>
      new PluginRegistry().register({ type: 'source', className: '', version: '', create: undefined } as never),
    ).toThrow(/className must be a non-empty string; version must be a non-empty string; create must be a function/);
    const r = createPluginRegistry();
    expect(() => r.register(r.get('FileStreamSource', 'source'))).toThrow(/registered twice/);
  });

  it('loads npm plugin packages from plugin.path', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'trib-plugins-'));
    const pkg = path.join(root, 'tributary-plugin-upper');
    fs.mkdirSync(pkg);
    fs.writeFileSync(
      path.join(pkg, 'package.json'),
      JSON.stringify({
        name: 'tributary-plugin-upper',
        type: 'module',
        main: 'index.js',
        tributary: { plugins: 'index.js' },
      }),
    );
    fs.writeFileSync(
      path.join(pkg, 'index.js'),
      `
      const def = { keys: new Map(), groups: [], parse: () => ({}), validate: () => [] };
      export const tributaryPlugins = [{
        type: 'transformation', className: 'com.example.Upper', aliases: ['Upper'], version: '2.0.0',
        create: () => ({ configure() {}, config: () => def, apply: (r) => r.newRecord({ value: String(r.value).toUpperCase() }) }),
      }];`,
    );
    fs.mkdirSync(path.join(root, 'not-a-plugin'));
    fs.writeFileSync(
      path.join(root, 'not-a-plugin', 'package.json'),
      JSON.stringify({ name: 'x', type: 'module', main: 'index.js' }),
    );
    fs.writeFileSync(path.join(root, 'not-a-plugin', 'index.js'), 'export const nothing = 1;');
    const r = createPluginRegistry();
    const loaded = await r.loadPluginPath([root]);
    expect(loaded).toEqual([pkg]);
    expect(r.get('Upper', 'transformation').version).toBe('2.0.0');
    await expect(r.loadPluginPath([path.join(root, 'missing')])).rejects.toThrow(/does not exist/);
  });
});

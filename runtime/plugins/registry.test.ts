import { describe, it, expect } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PluginRegistry } from './registry.ts';
import type { LazyPluginDescriptor, PluginDescriptor } from './types.ts';

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

  describe('lazy descriptors (load instead of create)', () => {
    const lazySource = (load: () => Promise<() => never>): LazyPluginDescriptor => ({
      type: 'source',
      className: 'com.example.LazySourceConnector',
      aliases: ['Lazy'],
      version: '3.1.0',
      load,
    });

    it('lists and finds the plugin without loading its code, and loads it once on first use', async () => {
      let loads = 0;
      const instance = { type: 'source' } as never;
      const r = new PluginRegistry().register(
        lazySource(async () => {
          loads++;
          return () => instance;
        }),
      );
      expect(r.list().map((d) => [d.className, d.type, d.version, d.aliases])).toEqual([
        ['com.example.LazySourceConnector', 'source', '3.1.0', ['Lazy']],
      ]);
      const d = r.get('LazySource', 'source');
      expect(r.get('Lazy', 'source')).toBe(d);
      expect(loads).toBe(0);
      expect(() => d.create()).toThrow(
        /Plugin com.example.LazySourceConnector \(source\) was used before its code was loaded/,
      );
      const [a, b] = await Promise.all([r.load(d), r.load(d)]);
      expect(a).toBe(d);
      expect(b).toBe(d);
      expect(loads).toBe(1);
      expect(d.create()).toBe(instance);
      await r.loadNamed('Lazy', 'source');
      await r.loadAll();
      expect(loads).toBe(1);
    });

    it('a module that fails to load gives an error naming the plugin and the cause, where the plugin is used', async () => {
      const r = new PluginRegistry().register(
        lazySource(async () => {
          throw new Error("Cannot find package 'no-such-driver' imported from lazy-source.js");
        }),
      );
      const d = r.get('Lazy', 'source');
      await expect(r.load(d)).rejects.toThrow(
        "Failed to load plugin com.example.LazySourceConnector (source): Cannot find package 'no-such-driver' imported from lazy-source.js",
      );
      await expect(r.loadNamed('Lazy', 'source')).resolves.toBeUndefined();
      expect(() => d.create()).toThrow(
        /^Failed to load plugin com.example.LazySourceConnector \(source\): Cannot find package 'no-such-driver'/,
      );
      await expect(r.loadAll()).rejects.toThrow(/Failed to load plugin com.example.LazySourceConnector/);
    });

    it('refuses a load() that does not resolve with a factory', async () => {
      const r = new PluginRegistry().register(lazySource(async () => ({}) as never));
      await expect(r.load(r.get('Lazy', 'source'))).rejects.toThrow(
        /Failed to load plugin com.example.LazySourceConnector \(source\): its load\(\) resolved with object, not a function/,
      );
    });

    it('rejects a descriptor with neither create nor load', () => {
      expect(() =>
        new PluginRegistry().register({ type: 'sink', className: 'com.example.X', version: '1' } as never),
      ).toThrow(/Invalid plugin descriptor com.example.X: create must be a function .*or load a function/);
    });
  });
});

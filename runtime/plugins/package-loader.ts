/**
 * Loads one plugin package from a directory: reads its manifest (manifest.ts), refuses an
 * incompatible SDK range, imports its plugin module and checks the exported descriptors against
 * the manifest.
 *
 * Isolation: the module is imported by its file URL inside the package directory, so every bare
 * import it makes (its dependencies) resolves from the package's own `node_modules` first, as Node
 * resolves from the importing file: two packages may use two versions of one dependency. Only the
 * SDK is shared with the worker (sdk-host.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyPluginDescriptor } from './types.ts';
import { checkSdkRange, readPluginPackage, type PluginPackage } from './manifest.ts';
import { installHostSdk } from './sdk-host.ts';

export interface LoadedPackage {
  pkg: PluginPackage;
  descriptors: AnyPluginDescriptor[];
}

export async function loadPluginPackage(dir: string): Promise<LoadedPackage> {
  const pkg = readPluginPackage(
    JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>,
    dir,
  );
  checkSdkRange(pkg);
  const entry = pkg.manifest?.plugins ?? pkg.main ?? 'index.js';
  const file = path.resolve(dir, entry);
  if (!fs.existsSync(file)) {
    if (!pkg.manifest) return { pkg, descriptors: [] };
    throw new Error(
      `its plugin module ${entry} does not exist${entry.startsWith('dist/') ? ' (build the package first, e.g. npm run build)' : ''}`,
    );
  }
  await installHostSdk();
  const mod = (await import(pathToFileURL(file).href)) as {
    tributaryPlugins?: unknown;
    default?: { tributaryPlugins?: unknown };
  };
  const list = mod.tributaryPlugins ?? mod.default?.tributaryPlugins;
  if (list === undefined) {
    if (pkg.manifest) throw new Error(`module ${entry} does not export "tributaryPlugins"`);
    return { pkg, descriptors: [] };
  }
  if (!Array.isArray(list))
    throw new Error(`"tributaryPlugins" exported by ${entry} must be an array of plugin descriptors`);
  return { pkg, descriptors: applyManifest(pkg, list as AnyPluginDescriptor[]) };
}

/** Checks the exports against the declared classes; fills versions and adds declared aliases. */
function applyManifest(pkg: PluginPackage, list: AnyPluginDescriptor[]): AnyPluginDescriptor[] {
  const declared = pkg.manifest?.classes;
  const version = pkg.manifest?.version ?? pkg.version;
  if (declared) {
    const key = (kind: string, cls: string) => `${kind} ${cls}`;
    const exported = new Set(list.map((d) => key(d?.type, d?.className)));
    const missing = declared.filter((c) => !exported.has(key(c.kind, c.class))).map((c) => `${c.kind} ${c.class}`);
    const undeclared = list
      .filter((d) => !declared.some((c) => c.kind === d?.type && c.class === d?.className))
      .map((d) => `${d?.type} ${d?.className}`);
    if (missing.length || undeclared.length) {
      throw new Error(
        `package.json "tributary.classes" does not match the exported tributaryPlugins:${missing.length ? ` declared but not exported: ${missing.join(', ')};` : ''}${undeclared.length ? ` exported but not declared: ${undeclared.join(', ')};` : ''} list every plugin with its kind and class`,
      );
    }
  }
  return list.map((d) => {
    if (!d || typeof d !== 'object') return d;
    const extraAliases = declared?.find((c) => c.kind === d.type && c.class === d.className)?.aliases ?? [];
    const aliases = [...new Set([...(d.aliases ?? []), ...extraAliases])];
    return { ...d, aliases, version: d.version || version || '' } as AnyPluginDescriptor;
  });
}

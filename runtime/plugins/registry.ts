/**
 * The plugin registry: an explicit name → descriptor map. Built-ins register at startup;
 * third-party npm packages found under `plugin.path` register through their exported
 * `tributaryPlugins` list. A class is found by its listed name, any alias, or its simple name
 * (the part after the last `.`, with or without a `Connector` suffix, as Kafka Connect allows).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConnectException } from '../errors.ts';
import type { DescriptorOf, PluginDescriptor, PluginType } from './types.ts';
import { loadPluginPackage } from './package-loader.ts';

export const PLUGIN_TYPES: readonly PluginType[] = [
  'source',
  'sink',
  'converter',
  'header_converter',
  'transformation',
  'predicate',
];

export class PluginNotFoundError extends ConnectException {
  constructor(name: string, type?: PluginType | PluginType[]) {
    const kinds = type === undefined ? 'plugin' : ([] as PluginType[]).concat(type).join(' or ');
    super(
      `Failed to find any class that implements ${kinds} and which name matches ${name}. Run \`tributary plugins\` or GET /connector-plugins?connectorsOnly=false for the installed plugins.`,
      {
        code: 'TRIB_ERR_PLUGIN_NOT_FOUND',
      },
    );
  }
}

export class PluginRegistry {
  private readonly descriptors: PluginDescriptor[] = [];
  private readonly byName = new Map<string, PluginDescriptor[]>();

  register(...descriptors: PluginDescriptor[]): this {
    for (const d of descriptors) {
      checkDescriptor(d);
      if (this.descriptors.some((x) => x.className === d.className && x.type === d.type)) {
        throw new ConnectException(`Plugin ${d.className} (${d.type}) is registered twice`);
      }
      this.descriptors.push(d);
      for (const name of namesOf(d)) {
        const list = this.byName.get(name) ?? [];
        list.push(d);
        this.byName.set(name, list);
      }
    }
    return this;
  }

  /** Finds a plugin by any of its names; `type` narrows the search (a name may be both a $Key and $Value). */
  find<T extends PluginType>(name: string, type: T | T[]): DescriptorOf<T> | undefined {
    const types = ([] as T[]).concat(type);
    const candidates = this.byName.get(name.trim()) ?? [];
    return candidates.find((d) => types.includes(d.type as T)) as DescriptorOf<T> | undefined;
  }

  get<T extends PluginType>(name: string, type: T | T[]): DescriptorOf<T> {
    const d = this.find(name, type);
    if (!d) throw new PluginNotFoundError(name, type);
    return d;
  }

  /** Any plugin of any type whose name matches (for /connector-plugins/{plugin}/config). */
  findAny(name: string): PluginDescriptor | undefined {
    return this.byName.get(name.trim())?.[0];
  }

  list(types: readonly PluginType[] = PLUGIN_TYPES): PluginDescriptor[] {
    return this.descriptors
      .filter((d) => types.includes(d.type))
      .sort((a, b) => a.className.localeCompare(b.className));
  }

  /**
   * Loads plugins from `plugin.path`: each entry is either a directory of npm packages or one
   * package directory. A package is a plugin when its package.json has a `"tributary"` manifest
   * (manifest.ts) or its main module exports `tributaryPlugins`; each loads with its own
   * dependencies (package-loader.ts).
   */
  async loadPluginPath(
    pluginPath: string[],
    onError: (pkgDir: string, err: Error) => void = (dir, err) => {
      throw new ConnectException(`Failed to load plugin package ${dir}: ${err.message}`, { cause: err });
    },
  ): Promise<string[]> {
    const loaded: string[] = [];
    for (const entry of pluginPath.map((p) => p.trim()).filter(Boolean)) {
      if (!fs.existsSync(entry))
        throw new ConnectException(
          `plugin.path entry "${entry}" does not exist: create it or remove it from plugin.path`,
        );
      const pkgDirs = fs.existsSync(path.join(entry, 'package.json')) ? [entry] : listPackageDirs(entry);
      for (const dir of pkgDirs) {
        try {
          const { descriptors } = await loadPluginPackage(dir);
          if (descriptors.length === 0) continue;
          this.register(...descriptors);
          loaded.push(dir);
        } catch (err) {
          onError(dir, err as Error);
        }
      }
    }
    return loaded;
  }
}

function listPackageDirs(root: string): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(root).sort()) {
    const dir = path.join(root, name);
    if (!fs.statSync(dir).isDirectory()) continue;
    if (name.startsWith('@')) out.push(...listPackageDirs(dir));
    else if (fs.existsSync(path.join(dir, 'package.json'))) out.push(dir);
  }
  return out;
}

function checkDescriptor(d: PluginDescriptor): void {
  const problems: string[] = [];
  if (!d || typeof d !== 'object') throw new ConnectException('A plugin descriptor must be an object');
  if (!PLUGIN_TYPES.includes(d.type))
    problems.push(`type must be one of ${PLUGIN_TYPES.join(', ')} (got ${String(d.type)})`);
  if (typeof d.className !== 'string' || d.className.trim() === '')
    problems.push('className must be a non-empty string');
  if (typeof d.version !== 'string' || d.version === '') problems.push('version must be a non-empty string');
  if (typeof d.create !== 'function') problems.push('create must be a function returning a new instance');
  if (problems.length)
    throw new ConnectException(`Invalid plugin descriptor ${String(d.className)}: ${problems.join('; ')}`);
}

function namesOf(d: PluginDescriptor): Set<string> {
  const names = new Set<string>([d.className, ...(d.aliases ?? [])]);
  for (const n of [...names]) {
    const simple = n.slice(n.lastIndexOf('.') + 1);
    names.add(simple);
    if ((d.type === 'source' || d.type === 'sink') && simple.endsWith('Connector'))
      names.add(simple.slice(0, -'Connector'.length));
  }
  return names;
}

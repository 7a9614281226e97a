/**
 * The plugin registry: an explicit name → descriptor map. Built-ins register at startup;
 * third-party npm packages found under `plugin.path` register through their exported
 * `tributaryPlugins` list. A class is found by its listed name, any alias, or its simple name
 * (the part after the last `.`, with or without a `Connector` suffix, as Kafka Connect allows).
 *
 * A lazy descriptor (`load` instead of `create`) is listed and found without its code; its module
 * is imported by `load()` on first use, so a worker loads only the plugins its connectors use.
 * Until then its `create()` throws; a module that failed to load makes `create()` throw the load
 * error, naming the plugin and the cause.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConnectException } from '../errors.ts';
import type { AnyPluginDescriptor, DescriptorOf, LazyPluginDescriptor, PluginDescriptor, PluginType } from './types.ts';

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

export class PluginLoadError extends ConnectException {}

/** The load state of a lazy plugin: its factory once imported, or why the import failed. */
interface LazyState {
  source: LazyPluginDescriptor;
  factory?: () => unknown;
  error?: ConnectException;
  pending?: Promise<void>;
}

export class PluginRegistry {
  private readonly descriptors: PluginDescriptor[] = [];
  private readonly byName = new Map<string, PluginDescriptor[]>();
  private readonly lazy = new Map<PluginDescriptor, LazyState>();

  register(...input: AnyPluginDescriptor[]): this {
    for (const given of input) {
      checkDescriptor(given);
      if (this.descriptors.some((x) => x.className === given.className && x.type === given.type)) {
        throw new ConnectException(`Plugin ${given.className} (${given.type}) is registered twice`);
      }
      const d = isEager(given) ? given : this.lazyDescriptor(given);
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

  /**
   * Imports a lazy plugin's code (once; concurrent calls share the import) so that its `create()`
   * works; resolves with the same descriptor. Throws, naming the plugin and the cause, when the
   * module cannot be loaded. A descriptor with `create` is returned as it is.
   */
  async load<D extends PluginDescriptor>(d: D): Promise<D> {
    const state = this.lazy.get(d);
    if (!state || state.factory) return d;
    if (!state.error) {
      state.pending ??= state.source.load().then((factory) => {
        if (typeof factory !== 'function')
          throw new TypeError(`its load() resolved with ${typeof factory}, not a function creating instances`);
        state.factory = factory;
      });
      try {
        await state.pending;
      } catch (err) {
        state.error ??= new PluginLoadError(
          `Failed to load plugin ${d.className} (${d.type}): ${(err as Error)?.message ?? String(err)}`,
          { code: 'TRIB_ERR_PLUGIN_LOAD', cause: err },
        );
      }
    }
    if (state.error) throw state.error;
    return d;
  }

  /**
   * Loads the plugin a config names, if one matches; a failed load is not thrown here but kept:
   * the plugin's `create()` throws it where the plugin is used, as a missing plugin fails there.
   */
  async loadNamed(name: string, type: PluginType | PluginType[]): Promise<void> {
    const d = this.find(name, type);
    if (d) await this.load(d).catch(() => undefined);
  }

  /** Loads every registered plugin (tools listing every plugin's config definition, tests). */
  async loadAll(): Promise<void> {
    for (const d of this.descriptors) await this.load(d);
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
    const entries = pluginPath.map((p) => p.trim()).filter(Boolean);
    // The package loader (and semver with it) is imported only by a worker with a plugin.path.
    if (entries.length === 0) return loaded;
    const { loadPluginPackage } = await import('./package-loader.js');
    for (const entry of entries) {
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

  /** The registry's descriptor of a lazy plugin: the listing facts and a `create()` that works once loaded. */
  private lazyDescriptor(source: LazyPluginDescriptor): PluginDescriptor {
    const state: LazyState = { source };
    const d = {
      type: source.type,
      className: source.className,
      ...(source.aliases ? { aliases: source.aliases } : {}),
      version: source.version,
      create: () => {
        if (state.factory) return state.factory();
        throw (
          state.error ??
          new ConnectException(
            `Plugin ${source.className} (${source.type}) was used before its code was loaded: PluginRegistry.load() must be awaited first`,
            { code: 'TRIB_ERR_PLUGIN_NOT_LOADED' },
          )
        );
      },
    } as PluginDescriptor;
    this.lazy.set(d, state);
    return d;
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

function isEager(d: AnyPluginDescriptor): d is PluginDescriptor {
  return typeof (d as { create?: unknown }).create === 'function';
}

function checkDescriptor(d: AnyPluginDescriptor): void {
  const problems: string[] = [];
  if (!d || typeof d !== 'object') throw new ConnectException('A plugin descriptor must be an object');
  if (!PLUGIN_TYPES.includes(d.type))
    problems.push(`type must be one of ${PLUGIN_TYPES.join(', ')} (got ${String(d.type)})`);
  if (typeof d.className !== 'string' || d.className.trim() === '')
    problems.push('className must be a non-empty string');
  if (typeof d.version !== 'string' || d.version === '') problems.push('version must be a non-empty string');
  if (typeof (d as { create?: unknown }).create !== 'function' && typeof (d as { load?: unknown }).load !== 'function')
    problems.push(
      "create must be a function returning a new instance (or load a function importing the plugin's code)",
    );
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
